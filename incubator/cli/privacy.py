"""erase, retention and export-person: a person's rights on the command line (acting as the command
line, with a manager's rights). An erasure rewrites the database file afterwards, so that the erased
values leave its bytes too (incubator.privacy.erasure)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from incubator.cli.database import open_database
from incubator.core.access import COMMAND_LINE_MANAGER
from incubator.core.i18n import LANGUAGES
from incubator.privacy import erasure, export

RETENTION_ENV = "INCUBATOR_RETENTION_MONTHS"


def register(subparsers: argparse._SubParsersAction) -> None:
    erase = subparsers.add_parser("erase", help="erase everything about a participant (asks you to type the number)")
    erase.add_argument("participant_id", metavar="P-000123")
    erase.add_argument("--confirm", metavar="P-000123", help="the participant number again, instead of typing it")
    erase.set_defaults(handler=run_erase)

    retention = subparsers.add_parser(
        "retention", help="list (or, with --apply, erase) the participants whose retention period has ended")
    retention.add_argument("--apply", action="store_true", help="erase them (without it: a dry run that only lists)")
    retention.add_argument("--months", type=int, default=None,
                           help=f"months after leaving (default: ${RETENTION_ENV} or {erasure.DEFAULT_RETENTION_MONTHS})")
    retention.set_defaults(handler=run_retention)

    person = subparsers.add_parser("export-person", help="everything about one participant, as JSON and Excel")
    person.add_argument("participant_id", metavar="P-000123")
    person.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder for the two files")
    person.add_argument("--lang", choices=sorted(LANGUAGES), default="en", help="the language of the workbook")
    person.set_defaults(handler=run_export_person)


def _rewrite(args: argparse.Namespace) -> None:
    if str(args.db) != ":memory:":
        size = erasure.rewrite_file(args.db)
        print(f"The database file was rewritten ({size:,} bytes): the erased values are gone from it.")


def run_erase(args: argparse.Namespace) -> int:
    typed = args.confirm
    if typed is None:
        print(f"This erases everything about {args.participant_id}. It cannot be undone.")
        print("Type the participant number to confirm: ", end="", flush=True)
        typed = sys.stdin.readline().strip()
    con = open_database(args)
    try:
        done = erasure.erase_participant(con.cursor(), actor=COMMAND_LINE_MANAGER,
                                         participant_id=args.participant_id, confirmation=typed)
    finally:
        con.close()
    print(f"Erased {done.participant_id}: {done.total} rows in {len(done.rows_removed)} tables.")
    _rewrite(args)
    return 0


def run_retention(args: argparse.Namespace) -> int:
    months = args.months if args.months is not None else int(os.environ.get(RETENTION_ENV,
                                                                            erasure.DEFAULT_RETENTION_MONTHS))
    today = dt.date.today()
    con = open_database(args)
    try:
        cur = con.cursor()
        due = erasure.due_for_erasure(cur, actor=COMMAND_LINE_MANAGER, today=today, months=months)
        if not args.apply:
            for participant_id, left_on in due:
                print(f"{participant_id}\tleft on {left_on.isoformat()}")
            print(f"{len(due)} participants left {months} months ago or more. Dry run: nothing erased"
                  " (add --apply to erase them).")
            return 0
        done = erasure.apply_retention(cur, actor=COMMAND_LINE_MANAGER, today=today, months=months)
    finally:
        con.close()
    for item in done:
        print(f"Erased {item.participant_id}")
    print(f"{len(done)} participants erased after {months} months.")
    if done:
        _rewrite(args)
    return 0


def run_export_person(args: argparse.Namespace) -> int:
    con = open_database(args)
    try:
        data = export.export_personal_data(con.cursor(), actor=COMMAND_LINE_MANAGER,
                                           participant_id=args.participant_id, today=dt.date.today())
    finally:
        con.close()
    args.out.mkdir(parents=True, exist_ok=True)
    for suffix, content in ((".json", data.to_json()), (".xlsx", data.to_workbook(args.lang))):
        target = args.out / f"{args.participant_id}{suffix}"
        target.write_bytes(content)
        os.chmod(target, 0o600)  # personal data: readable by the owner only
        print(target)
    return 0
