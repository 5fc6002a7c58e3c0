"""The store: the only module that knows the DuckDB file.

One connection per process (`connect`), one cursor per script run or command (`con.cursor()`);
numbered migrations in `migrations/NNN_name.sql`, applied in order and recorded in
`schema_migrations`; multi-statement writes inside `transaction(cur)`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from incubator.core.errors import DatabaseLocked

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DEFAULT_DB_PATH = "data/incubator.duckdb"
_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


def connect(path: str | Path, *, migrate_now: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database file (creating it and its folder when missing) and migrate it.

    Raises DatabaseLocked when another process holds the file."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseLocked(str(path)) from None
        raise
    if migrate_now:
        migrate(con)
    return con


def migrations() -> list[tuple[int, str, Path]]:
    """Every migration file as (number, name, path), in order."""
    found = []
    for sql_file in MIGRATIONS_DIR.glob("*.sql"):
        match = _MIGRATION_NAME.match(sql_file.name)
        if match:
            found.append((int(match.group(1)), match.group(2), sql_file))
    return sorted(found)


def applied_migrations(cur: duckdb.DuckDBPyConnection) -> list[int]:
    cur.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    return [row[0] for row in cur.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations not yet recorded, each in its own transaction. Returns their numbers."""
    cur = con.cursor()
    done = set(applied_migrations(cur))
    newly_applied = []
    for number, name, sql_file in migrations():
        if number in done:
            continue
        with transaction(cur):
            cur.execute(sql_file.read_text(encoding="utf-8"))
            cur.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
        newly_applied.append(number)
    return newly_applied


@contextmanager
def transaction(cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN, then COMMIT when the block ends, or ROLLBACK on any error (which is raised again)."""
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    cur.execute("COMMIT")
