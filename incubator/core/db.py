"""The store: the only module that knows the DuckDB file.

One connection per process (`connect`), one cursor per script run or command (`con.cursor()`);
numbered migrations in `migrations/NNN_name.sql`, applied in order and recorded in
`schema_migrations`; multi-statement writes inside `transaction(cur)` (nested blocks join the outer
one); domain writes retried on a write conflict (`retry_on_conflict`, `retrying`).
"""

from __future__ import annotations

import functools
import random
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

import duckdb

from incubator.core import encryption
from incubator.core.errors import ConcurrentChange

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DEFAULT_DB_PATH = "data/incubator.duckdb"
_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


def connect(path: str | Path, *, migrate_now: bool = True, key: str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database file (creating it and its folder when missing) and migrate it. With a key
    (by default INCUBATOR_DB_KEY) the file is encrypted; with or without one, it and its .wal are
    readable by their owner only.

    Raises DatabaseLocked when another process holds the file, DatabaseKeyNeeded / WrongDatabaseKey /
    DatabaseNotEncrypted when the key does not fit the file."""
    path = Path(path)
    key = key or encryption.key_from_environment()
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
        encryption.restrict_new_files()
        encryption.owner_only(path)
    if key and str(path) != ":memory:":
        con = encryption.connect_encrypted(path, key)
    else:
        try:
            con = duckdb.connect(str(path), config=encryption.SAFE_CONFIG)
        except duckdb.Error as exc:
            raise (encryption.translated_open_error(exc, str(path)) or exc) from None
    if migrate_now:
        migrate(con)
    return con


def latest_migration() -> int:
    """The number of the newest migration this code knows."""
    return migrations()[-1][0]


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


def migrate(con: duckdb.DuckDBPyConnection, *, up_to: int | None = None) -> list[int]:
    """Apply the migrations not yet recorded (up to and including `up_to`, when given: a database as an
    older version left it), each in its own transaction. Returns their numbers."""
    cur = con.cursor()
    done = set(applied_migrations(cur))
    newly_applied = []
    for number, name, sql_file in migrations():
        if number in done or (up_to is not None and number > up_to):
            continue
        with transaction(cur):
            cur.execute(sql_file.read_text(encoding="utf-8"))
            cur.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
        newly_applied.append(number)
    return newly_applied


# Retrying a write conflict: DuckDB is optimistic, so two transactions that change the same row or
# insert the same key do not wait for each other; one of them fails. Re-running the whole write a few
# times, a little later each time and at a random moment (so that the losers do not collide again),
# lets every one of them through; after RETRY_ATTEMPTS tries the person reads ConcurrentChange.
RETRY_ATTEMPTS = 10
RETRY_FIRST_WAIT_S = 0.005
RETRY_LONGEST_WAIT_S = 0.4
_CONFLICT_WORDS = ("conflict", "duplicate key")

T = TypeVar("T")
P = ParamSpec("P")


@dataclass
class _Open:
    """The transaction a cursor has open, and the first failure inside one of its inner blocks."""

    failure: BaseException | None = None
    after_commit: dict[object, Callable[[], None]] = field(default_factory=dict)


# Keyed by the cursor object's id: a cursor is used by one thread only, and its entry lives exactly as
# long as its outermost `with transaction(cur)` block, so the id cannot be reused meanwhile.
_open: dict[int, _Open] = {}


def in_transaction(cur: duckdb.DuckDBPyConnection) -> bool:
    """True inside a `with transaction(cur)` block of this cursor."""
    return id(cur) in _open


def after_commit(cur: duckdb.DuckDBPyConnection, step: Callable[[], None], *, key: object = None) -> None:
    """Run `step` once the outermost transaction of this cursor has committed (at once outside one);
    never when it rolls back. Steps given the same `key` run once. The audit log seals its new rows
    this way (incubator.core.audit)."""
    state = _open.get(id(cur))
    if state is None:
        step()
    else:
        state.after_commit.setdefault(key if key is not None else object(), step)


def is_write_conflict(exc: BaseException) -> bool:
    """A DuckDB error that says another transaction changed the same rows or keys at the same time."""
    if isinstance(exc, ConcurrentChange):
        return True
    if not isinstance(exc, duckdb.TransactionException | duckdb.ConstraintException):
        return False
    text = str(exc).lower()
    return any(word in text for word in _CONFLICT_WORDS)


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    try:
        cur.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass  # DuckDB ends a transaction whose COMMIT failed by itself: nothing is left to roll back


@contextmanager
def transaction(cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN, then COMMIT when the block ends, or ROLLBACK on any error (which is raised again).

    An inner `with transaction(cur)` joins the outer one: only the outermost block commits or rolls
    back, and a failure inside an inner block rolls back the whole transaction even when the outer
    block catches it (DuckDB has no savepoints). A write conflict is raised as ConcurrentChange."""
    state = _open.get(id(cur))
    if state is not None:  # an inner block: the outermost one commits
        try:
            yield cur
        except BaseException as exc:
            state.failure = state.failure or exc
            raise
        return
    state = _open[id(cur)] = _Open()
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            if state.failure is not None:
                raise state.failure
        except BaseException as exc:
            _rollback(cur)
            if is_write_conflict(exc) and not isinstance(exc, ConcurrentChange):
                raise ConcurrentChange() from exc
            raise
        try:
            cur.execute("COMMIT")
        except duckdb.Error as exc:
            _rollback(cur)
            if is_write_conflict(exc):
                raise ConcurrentChange() from exc
            raise
    finally:
        del _open[id(cur)]
    for step in state.after_commit.values():
        step()


class _Queue:
    __slots__ = ("lock", "__weakref__")

    def __init__(self) -> None:
        self.lock = threading.RLock()  # a write may call another write of the same key


# Writers of the same thing (one participant's snapshots, one user name's failed sign-ins) wait for
# each other here before they try, instead of colliding and retrying: thirty at once on a busy machine
# would otherwise use up their attempts. Only one process may open the file, so this queue sees every
# writer; it only saves work: what keeps the data right is still DuckDB's conflict and the retry.
_QUEUES: weakref.WeakValueDictionary[str, _Queue] = weakref.WeakValueDictionary()
_QUEUES_GUARD = threading.Lock()


@contextmanager
def _queued(keys: Iterable[str]) -> Iterator[None]:
    with _QUEUES_GUARD:
        queues = [_QUEUES.setdefault(key, _Queue()) for key in sorted(set(keys))]  # sorted: no deadlock
    for queue in queues:
        queue.lock.acquire()
    try:
        yield
    finally:
        for queue in reversed(queues):
            queue.lock.release()


def retrying(cur: duckdb.DuckDBPyConnection, write: Callable[[], T], *, queue: Iterable[str] = (),
             attempts: int = RETRY_ATTEMPTS) -> T:
    """Run `write()` and, when it fails on a write conflict, run it again from the start (after a short
    random wait), up to `attempts` times; then raise ConcurrentChange. `write` must read what it needs
    itself, so that a second run sees what the other writer saved and does not apply anything twice.
    Writers naming the same `queue` keys take turns in this process (see _QUEUES).

    Inside an open transaction of this cursor nothing is retried here: the conflict has spoilt the
    whole transaction, so it goes up to the outermost `retrying`, which runs everything again."""
    if in_transaction(cur):
        return write()
    keys = tuple(queue)
    for attempt in range(1, attempts + 1):
        try:
            with _queued(keys):
                return write()
        except (ConcurrentChange, duckdb.Error) as exc:
            if not is_write_conflict(exc):
                raise
            if attempt == attempts:
                cause = exc.__cause__ if isinstance(exc, ConcurrentChange) and exc.__cause__ else exc
                raise ConcurrentChange() from cause
        time.sleep(random.uniform(0, min(RETRY_LONGEST_WAIT_S, RETRY_FIRST_WAIT_S * 2 ** attempt)))
    raise AssertionError("unreachable")  # the loop returns or raises


def retry_on_conflict(write: Callable[P, T] | None = None, *, queue: str | None = None):
    """A decorator for a domain write function whose first argument is the cursor: `retrying` it.
    `queue` is a key formatted with the call's keyword arguments (`"participant:{participant_id}"`):
    calls with the same key take turns (see `retrying`)."""

    def decorate(function: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(function)
        def retried(*args: P.args, **kwargs: P.kwargs) -> T:
            cur = args[0] if args else kwargs["cur"]
            keys = [queue.format(**kwargs)] if queue else []
            return retrying(cur, lambda: function(*args, **kwargs), queue=keys)

        return retried

    return decorate(write) if write is not None else decorate


def claim(cur: duckdb.DuckDBPyConnection, key: str) -> None:
    """Mark something that only one writer at a time may change (the first administrator, the
    set-aside of one venture for one participant), inside the caller's transaction. Two transactions
    that claim the same key conflict, so one of them is retried and then sees what the other did;
    rows that only ever get appended would otherwise let both through."""
    cur.execute(
        "INSERT INTO write_claims (claim_key, claimed_at) VALUES (?, current_timestamp)"
        " ON CONFLICT (claim_key) DO UPDATE SET claimed_at = excluded.claimed_at",
        [key],
    )
