"""The command line: `python -m incubator COMMAND`. Domain errors are printed as plain messages,
never as tracebacks or DuckDB's raw errors."""

from __future__ import annotations

import argparse
import os
import sys

import duckdb

from incubator import db
from incubator.commands import register_all
from incubator.errors import DomainError


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
    register_all(subparsers)
    return parser


def open_database(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    return db.connect(args.db)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except DomainError as exc:
        print(f"error: {exc.english()}", file=sys.stderr)
        return 1
