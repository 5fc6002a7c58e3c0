"""audit verify, audit list, audit export: the hash-chained audit log for whoever holds the file
(acting as an administrator, who sees account names and pseudonymous ids, never personal data)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from incubator.cli.database import open_database
from incubator.core import audit
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.core.i18n import translate


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("audit", help="verify, list or export the audit log")
    commands = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = commands.add_parser("verify", help="check the hash chain; names the first broken row (exit status 1)")
    verify.set_defaults(handler=run_verify)
    for name, helptext, handler in (("list", "print audit rows, newest first", run_list),
                                    ("export", "write audit rows to FILE.csv or FILE.xlsx", run_export)):
        command = commands.add_parser(name, help=helptext)
        command.add_argument("--participant", help="a participant id (P-000123)")
        command.add_argument("--user-id", type=int, help="the account that acted")
        command.add_argument("--action", help="an action (profile.view) or its area (profile)")
        command.add_argument("--refused", action="store_true", help="only refused attempts")
        command.add_argument("--since", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        command.add_argument("--until", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        command.set_defaults(handler=handler)
    commands.choices["list"].add_argument("--limit", type=int, default=100)
    commands.choices["list"].add_argument("--json", action="store_true")
    commands.choices["export"].add_argument("--out", required=True, type=Path)


def run_verify(args: argparse.Namespace) -> int:
    cur = open_database(args).cursor()
    found = audit.verify(cur)
    for message, params in found.messages():
        print(translate(message, "en", **params))
    return 0 if found.intact else 1


def _filter(args: argparse.Namespace) -> audit.AuditFilter:
    return audit.AuditFilter(participant_id=args.participant, actor_user_id=args.user_id, action=args.action,
                             outcome=audit.REFUSED if args.refused else None, since=args.since, until=args.until)


def run_list(args: argparse.Namespace) -> int:
    cur = open_database(args).cursor()
    rows = audit.list_entries(cur, actor=COMMAND_LINE_ADMIN, where=_filter(args), limit=args.limit)
    if args.json:
        print(rows.to_json(orient="records", date_format="iso", force_ascii=False))
        return 0
    for row in rows.itertuples(index=False):
        who = row.username if isinstance(row.username, str) else "-"
        print(f"{row.entry_id}\t{row.happened_at:%Y-%m-%d %H:%M:%S}\t{who}\t{row.action}\t{row.outcome}\t"
              f"{row.subject if isinstance(row.subject, str) else '-'}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    cur = open_database(args).cursor()
    file_format = "xlsx" if args.out.suffix.lower() == ".xlsx" else "csv"
    content = audit.export_entries(cur, actor=COMMAND_LINE_ADMIN, where=_filter(args), file_format=file_format)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    print(f"Wrote the audit log to {args.out}.")
    return 0
