"""export and import-pipeline: the pipeline workbook on the command line (acting as the command line,
with a manager's rights, or as an account with --as)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from incubator.cli.database import open_database
from incubator.cli.programme import _actor, _cohort_id  # the same --as and --cohort as the programme commands
from incubator.core.i18n import LANGUAGES
from incubator.pipeline import workbook_import
from incubator.pipeline.scope import PipelineFilter
from incubator.pipeline.workbook_export import export_workbook


def register(subparsers: argparse._SubParsersAction) -> None:
    export = subparsers.add_parser("export", help="the pipeline workbook (.xlsx): pipeline, milestones, sessions, "
                                                  "outcomes, KPIs and a legend; pseudonymised unless --with-names")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx")
    export.add_argument("--with-names", action="store_true",
                        help="include participants' names (a manager only; recorded in the audit log)")
    export.add_argument("--cohort", metavar="C", help="only this cohort (its number or name)")
    export.add_argument("--lang", choices=sorted(LANGUAGES), default="nl", help="the language of the labels")
    export.add_argument("--as", dest="as_user", metavar="USERNAME")
    export.set_defaults(handler=run_export)
    load = subparsers.add_parser("import-pipeline", help="apply the edits made on the Milestones sheet of an "
                                                         "exported pipeline workbook")
    load.add_argument("file", type=Path, metavar="FILE.xlsx")
    load.add_argument("--dry-run", action="store_true", help="only show what would change")
    load.add_argument("--as", dest="as_user", metavar="USERNAME")
    load.set_defaults(handler=run_import)


def _progress_bar(done: int, total: int) -> None:
    share = done / total if total else 1.0
    bar = "#" * int(share * 30)
    print(f"\rExporting [{bar:<30}] {share:4.0%} ({done:,} of {total:,} rows)", end="", file=sys.stderr, flush=True)


def run_export(args: argparse.Namespace) -> int:
    con = open_database(args)
    try:
        cur = con.cursor()
        actor = _actor(cur, args.as_user)
        filters = PipelineFilter(cohort_id=_cohort_id(cur, actor, args.cohort)) if args.cohort else None
        summary = export_workbook(cur, str(args.out), actor=actor, lang=args.lang, today=dt.date.today(),
                                  with_names=args.with_names, filters=filters, progress=_progress_bar)
    finally:
        con.close()
    print(file=sys.stderr)
    rows = ", ".join(f"{n:,} {sheet}" for sheet, n in summary.rows.items())
    names = "with names (recorded in the audit log)" if summary.with_names else "pseudonymised"
    synthetic = " SYNTHETIC demo data." if summary.synthetic else ""
    print(f"Wrote {args.out}: {rows}; {names}.{synthetic}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    con = open_database(args)
    try:
        cur = con.cursor()
        result = workbook_import.import_workbook(cur, args.file.read_bytes(), actor=_actor(cur, args.as_user),
                                                 today=dt.date.today(), dry_run=args.dry_run)
    finally:
        con.close()
    preview = result.preview
    for row in preview.rows:
        if row.verdict == "unchanged":
            continue
        changes = "; ".join(f"{c.column}: {c.old or '-'} -> {c.new or '-'}" for c in row.changes)
        problem = workbook_import.problem_text(row.problem, "en")
        print(f"row {row.row} ({row.participant_id}, milestone {row.milestone_id}) {row.verdict}: {changes}"
              + (f" -- {problem}" if problem else ""))
    ready, conflicts, refused = (preview.count(v) for v in ("apply", "conflict", "refused"))
    if args.dry_run:
        print(f"Dry run: {ready} rows would be saved, {conflicts} changed in the app since the export, "
              f"{refused} refused. Nothing was saved.")
    else:
        print(f"Saved {result.saved} rows; {conflicts} changed in the app since the export, {refused} refused.")
    return 0 if not conflicts and not refused else 1
