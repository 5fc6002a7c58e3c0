"""The audit log: who viewed, changed, exported or erased which person's data, and when, refused
attempts included; never the content. Append-only, and chained by hashes so that an edit shows.

Writing and sealing are two steps (docs/CONTRACTS.md, "Audit"). `audit` appends a row inside the
caller's transaction and marks it unsealed; after that transaction commits, every SEAL_EVERY_ROWS
rows or SEAL_AFTER_S seconds, and before every verify, list and export, `seal` gives every unsealed
row the next position in the chain and `sha256(previous hash, the row)`. Writers never wait
for each other (a chain built inside every writer's transaction would make all of them conflict on the
head); sealers take turns (a queue in the process, and the head row conflicts if two ever meet).
`verify` walks the chain and names the first row that does not match.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import pandas as pd

from incubator.core import db, excel
from incubator.core.access import Actor, require
from incubator.core.errors import ConcurrentChange, NotAllowed
from incubator.core.i18n import N_, N_plural, Plural

DONE, REFUSED = "done", "refused"
GENESIS = "0" * 64  # the "previous hash" of the first row
SEAL_QUEUE = "audit:chain"
SEAL_EVERY_ROWS = 64
SEAL_AFTER_S = 1.0
_VERIFY_BATCH = 10_000

INTACT = N_plural("The audit log is intact: {count} row chained, the last hash is {hash}.",
                   "The audit log is intact: {count} rows chained, the last hash is {hash}.")
CHANGED = N_("Audit row {entry_id} (position {position}) was changed after it was written.")
DELETED = N_("Audit row {entry_id} (position {position}) was deleted from the log.")
GAP = N_("The chain has a gap at position {position}: a sealed row was removed.")
NOT_CHAINED = N_("Audit row {entry_id} is in the log but not in the chain: it was added by hand.")
TAIL_CUT = N_("The chain ends at position {position}, but it had reached position {head}: rows were removed "
              "from the end.")
UNSEALED = N_plural("{count} row is waiting to be sealed.", "{count} rows are waiting to be sealed.")


def audit(cur: duckdb.DuckDBPyConnection, actor_user_id: int | None, action: str, subject: str | None, *,
          outcome: str = DONE) -> None:
    """Record one action. `subject` names the record (`participant:P-0001`), not its data."""
    with db.transaction(cur):
        entry_id = cur.execute(
            "INSERT INTO audit_log (actor_user_id, action, subject, outcome) VALUES (?, ?, ?, ?) RETURNING entry_id",
            [actor_user_id, action, subject, outcome],
        ).fetchone()[0]
        cur.execute("INSERT INTO audit_unsealed VALUES (?)", [entry_id])
    _seal_after_commit(cur)


def audit_many(cur: duckdb.DuckDBPyConnection, actor: Actor, action: str, participant_ids: list[str]) -> None:
    """One audit entry per participant, written in one statement."""
    if not participant_ids:
        return
    frame = pd.DataFrame({
        "actor_user_id": pd.Series([actor.account_id] * len(participant_ids), dtype=object),
        "action": action,
        "subject": [f"participant:{pid}" for pid in participant_ids],
    })
    cur.register("audit_rows", frame)
    try:
        with db.transaction(cur):
            _insert_many(cur)
    finally:
        cur.unregister("audit_rows")
    _seal_after_commit(cur, len(participant_ids))


def _insert_many(cur: duckdb.DuckDBPyConnection) -> None:
    ids = cur.execute(
        "INSERT INTO audit_log (actor_user_id, action, subject, outcome) SELECT *, 'done' FROM audit_rows"
        " RETURNING entry_id"
    ).fetchall()
    cur.register("audit_new_ids", pd.DataFrame({"entry_id": [row[0] for row in ids]}, dtype="int64"))
    try:
        cur.execute("INSERT INTO audit_unsealed SELECT entry_id FROM audit_new_ids")
    finally:
        cur.unregister("audit_new_ids")


class _SealClock:
    """When the last seal ran and how many rows were written since, in this process (the only one
    that opens the file). Sealing after every write would double its cost; sealing every
    SEAL_EVERY_ROWS rows or SEAL_AFTER_S seconds keeps the unsealed tail short and cheap."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows = 0
        self.sealed_at = time.monotonic()

    def due(self, rows: int) -> bool:
        with self.lock:
            self.rows += rows
            if self.rows < SEAL_EVERY_ROWS and time.monotonic() - self.sealed_at < SEAL_AFTER_S:
                return False
            self.rows, self.sealed_at = 0, time.monotonic()
            return True


_clock = _SealClock()


def _seal_after_commit(cur: duckdb.DuckDBPyConnection, rows: int = 1) -> None:
    """Seal once the caller's transaction has committed (a row rolled back is never chained), when a
    seal is due; once per transaction is enough (a seal takes every unsealed row)."""
    db.after_commit(cur, lambda: _clock.due(rows) and _seal_quietly(cur), key=SEAL_QUEUE)


def _seal_quietly(cur: duckdb.DuckDBPyConnection) -> None:
    try:
        seal(cur)
    except ConcurrentChange:
        pass  # the rows stay unsealed and the next seal takes them; the user's action is saved already


def record_refusal(cur: duckdb.DuckDBPyConnection, exc: NotAllowed) -> None:
    """Write a refused attempt into the log (once, however many boundaries it passes). The domain's
    transaction has been rolled back by now, so the row is written on its own."""
    if exc.recorded or exc.refusal is None:
        return
    exc.recorded = True
    refusal = exc.refusal
    db.retrying(cur, lambda: audit(cur, refusal.actor_user_id, refusal.permission, refusal.subject, outcome=REFUSED))


@contextmanager
def refusals_recorded(cur: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Around a call into the domain from outside (a page, a command): a NotAllowed leaving the block
    is recorded in the audit log, then raised again. `ui.errors_shown`, the router's guard and the
    command line use it, so every refusal a person meets is audited."""
    try:
        yield
    except NotAllowed as exc:
        record_refusal(cur, exc)
        raise


def entry_hash(previous: str, position: int, row: tuple) -> str:
    """sha256 over the previous hash, the position and the row's fields (entry_id, happened_at,
    actor_user_id, action, subject, outcome) as JSON: any change to any of them changes the hash."""
    entry_id, happened_at, actor_user_id, action, subject, outcome = row
    fields = [previous, position, entry_id, happened_at.isoformat() if happened_at else None, actor_user_id, action,
              subject, outcome]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()


def seal(cur: duckdb.DuckDBPyConnection) -> int:
    """Chain every unsealed row, in the order of its entry id, after the head. Returns how many."""

    def write() -> int:
        with db.transaction(cur):
            pending = cur.execute(
                "SELECT a.entry_id, a.happened_at, a.actor_user_id, a.action, a.subject, a.outcome"
                " FROM audit_unsealed u JOIN audit_log a USING (entry_id)"
                " WHERE a.entry_id >= (SELECT min(entry_id) FROM audit_unsealed) ORDER BY a.entry_id"
            ).fetchall()
            if not pending:
                return 0
            head = cur.execute("SELECT position, entry_hash FROM audit_chain_head").fetchone()
            position, previous = head or (0, GENESIS)
            positions, hashes = [], []
            for row in pending:
                position += 1
                previous = entry_hash(previous, position, row)
                positions.append(position)
                hashes.append(previous)
            sealed = pd.DataFrame({"position": pd.Series(positions, dtype="int64"),
                                   "entry_id": pd.Series([row[0] for row in pending], dtype="int64"),
                                   "entry_hash": hashes})
            cur.register("audit_sealed", sealed)
            try:
                cur.execute("INSERT INTO audit_chain (position, entry_id, entry_hash) SELECT * FROM audit_sealed")
                cur.execute("DELETE FROM audit_unsealed WHERE entry_id IN (SELECT entry_id FROM audit_sealed)")
            finally:
                cur.unregister("audit_sealed")
            cur.execute(
                "INSERT INTO audit_chain_head VALUES (1, ?, ?)"
                " ON CONFLICT (head) DO UPDATE SET position = excluded.position, entry_hash = excluded.entry_hash",
                [position, previous],
            )
            return len(pending)

    return db.retrying(cur, write, queue=[SEAL_QUEUE])


@dataclass(frozen=True)
class Verification:
    """What `verify` found: `problem` (a msgid and its values) names the first broken row; None when
    the chain is intact. `unsealed` rows wait for the next seal and are not judged."""

    checked: int
    head_hash: str
    unsealed: int
    problem: tuple[str, dict] | None = None
    broken_entry_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None

    def messages(self) -> list[tuple[str | Plural, dict]]:
        said = [self.problem] if self.problem else [(INTACT, {"count": self.checked, "hash": self.head_hash})]
        if self.unsealed:
            said.append((UNSEALED, {"count": self.unsealed}))
        return said


def verify(cur: duckdb.DuckDBPyConnection, *, seal_first: bool = True) -> Verification:
    """Seal what waits (unless told not to), then walk the chain from the first position, recomputing
    each hash from the row in the log; the first row that is missing, changed, out of place or not
    chained at all is named."""
    if seal_first:
        seal(cur)
    unsealed = cur.execute("SELECT count(*) FROM audit_unsealed").fetchone()[0]
    head = cur.execute("SELECT position, entry_hash FROM audit_chain_head").fetchone() or (0, GENESIS)
    result = cur.execute(
        "SELECT c.position, c.entry_id, c.entry_hash, a.entry_id, a.happened_at, a.actor_user_id, a.action,"
        " a.subject, a.outcome FROM audit_chain c LEFT JOIN audit_log a USING (entry_id) ORDER BY c.position"
    )
    previous, expected = GENESIS, 0
    while batch := result.fetchmany(_VERIFY_BATCH):
        for position, entry_id, stored, logged_id, *fields in batch:
            expected += 1
            if position != expected:
                return Verification(expected - 1, previous, unsealed, (GAP, {"position": expected}))
            if logged_id is None:
                return Verification(expected - 1, previous, unsealed,
                                    (DELETED, {"entry_id": entry_id, "position": position}), entry_id)
            if entry_hash(previous, position, (entry_id, *fields)) != stored:
                return Verification(expected - 1, previous, unsealed,
                                    (CHANGED, {"entry_id": entry_id, "position": position}), entry_id)
            previous = stored
    if expected < head[0]:
        return Verification(expected, previous, unsealed, (TAIL_CUT, {"position": expected, "head": head[0]}))
    stray = cur.execute(
        "SELECT min(entry_id) FROM audit_log a WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.entry_id = a.entry_id)"
        " AND NOT EXISTS (SELECT 1 FROM audit_unsealed u WHERE u.entry_id = a.entry_id)"
    ).fetchone()[0]
    if stray is not None:
        return Verification(expected, previous, unsealed, (NOT_CHAINED, {"entry_id": stray}), stray)
    return Verification(expected, previous, unsealed)


def check_chain(cur: duckdb.DuckDBPyConnection, *, actor: Actor | None) -> Verification:
    """`verify` for a manager or an administrator (the audit page)."""
    require(actor, "audit.view")
    return verify(cur)


@dataclass(frozen=True)
class AuditFilter:
    """Which rows to read: a participant, an account, an action (or its area: `profile`), an outcome,
    a period (days, both included)."""

    participant_id: str | None = None
    actor_user_id: int | None = None
    action: str | None = None
    outcome: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


COLUMNS = ("entry_id", "happened_at", "actor_user_id", "username", "action", "outcome", "subject", "sealed")


def list_entries(cur: duckdb.DuckDBPyConnection, *, actor: Actor | None, where: AuditFilter = AuditFilter(),
                 limit: int | None = 1000) -> pd.DataFrame:
    """The audit rows a manager or an administrator asked for, newest first, with the account name
    (what waits is sealed first, so that every row shown is chained)."""
    require(actor, "audit.view")
    seal(cur)
    conditions, params = [], []
    if where.participant_id:
        conditions.append("a.subject = ?")
        params.append(f"participant:{where.participant_id.strip()}")
    if where.actor_user_id is not None:
        conditions.append("a.actor_user_id = ?")
        params.append(where.actor_user_id)
    if where.action:
        conditions.append("(a.action = ? OR a.action LIKE ? ESCAPE '\\')")
        area = where.action.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [where.action.strip(), f"{area}.%"]
    if where.outcome:
        conditions.append("a.outcome = ?")
        params.append(where.outcome)
    if where.since:
        conditions.append("a.happened_at >= ?")
        params.append(dt.datetime.combine(where.since, dt.time()))
    if where.until:
        conditions.append("a.happened_at < ?")
        params.append(dt.datetime.combine(where.until + dt.timedelta(days=1), dt.time()))
    sql = ("SELECT a.entry_id, a.happened_at, a.actor_user_id, u.username, a.action, a.outcome, a.subject,"
           " c.position IS NOT NULL AS sealed FROM audit_log a LEFT JOIN users u ON u.user_id = a.actor_user_id"
           " LEFT JOIN audit_chain c USING (entry_id)"
           + (" WHERE " + " AND ".join(conditions) if conditions else "") + " ORDER BY a.entry_id DESC")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return cur.execute(sql, params).df()


def export_entries(cur: duckdb.DuckDBPyConnection, *, actor: Actor | None, where: AuditFilter = AuditFilter(),
                   file_format: str = "csv") -> bytes:
    """The rows of `list_entries` (all of them) as CSV or an Excel workbook, the export itself audited."""
    require(actor, "audit.view")
    frame = list_entries(cur, actor=actor, where=where, limit=None)
    db.retrying(cur, lambda: audit(cur, actor.account_id, "audit.export", None))
    if file_format == "xlsx":
        return excel.write_workbook([excel.SheetSpec("audit_log", frame, width=22)])
    if file_format != "csv":
        raise ValueError(f"unknown format {file_format!r}")
    buffer = io.StringIO()
    frame.map(excel.safe_text).to_csv(buffer, index=False, lineterminator="\r\n")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
