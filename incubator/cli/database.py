"""The database file a command works on (the global --db option)."""

from __future__ import annotations

import argparse

import duckdb

from incubator.core import db


def open_database(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    """Open (and migrate) the file named by --db. Raises DatabaseLocked when another process holds it."""
    return db.connect(args.db)
