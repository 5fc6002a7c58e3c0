"""The command line: `python -m incubator COMMAND`. Domain errors are printed as plain messages,
never as tracebacks or DuckDB's raw errors. Each part of the project adds its commands in its own
module of this package (`register(subparsers)`); the list below is the whole command line."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from incubator.cli import audit as audit_commands
from incubator.cli import (
    market,
    messages,
    people,
    plans,
    privacy,
    programme,
    setup,
    store,
    suggestions,
    workbook,
)
from incubator.core import audit, db
from incubator.core.errors import UNEXPECTED, DomainError, NotAllowed, report_unexpected
from incubator.core.i18n import translate

COMMAND_MODULES = (setup, market, people, suggestions, plans, programme, workbook, privacy, audit_commands, messages,
                   store)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m incubator",
        description="Versnelling: the incubator toolkit for newcomers who start a venture.",
    )
    parser.add_argument(
        "--db",
        default=os.environ.get("INCUBATOR_DB", db.DEFAULT_DB_PATH),
        help="the DuckDB file (default: $INCUBATOR_DB or data/incubator.duckdb)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except DomainError as exc:
        if isinstance(exc, NotAllowed):
            _record_refusal(args, exc)
        print(f"error: {exc.english()}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the one handler for whatever nobody foresaw
        reference = report_unexpected(exc, logging.getLogger("versnelling"))
        print(f"error: {translate(UNEXPECTED, 'en', reference=reference)}", file=sys.stderr)
        return 70


def _record_refusal(args: argparse.Namespace, exc: NotAllowed) -> None:
    """A refused command (`--as` an account without the right) is audited like a refused page."""
    con = db.connect(args.db)
    try:
        audit.record_refusal(con.cursor(), exc)
    finally:
        con.close()
