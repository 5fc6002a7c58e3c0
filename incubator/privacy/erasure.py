"""Erasure and retention: a participant's every row and every free text about them removed from
every table, the anonymous counts kept for the programme's outcome figures, and the database file
rewritten so that the erased bytes are gone from it too.

Why the rewrite: DuckDB neither zeroes nor reuses freed space in a predictable way. A deleted row
stays in its column segment (marked deleted); a rewritten segment lands in a shared partial block
beside other tables' live data. Measured on this schema (tests/privacy/test_erasure.py, docs in
README "Privacy"): after DELETE + CHECKPOINT, after overwriting the values first, after VACUUM, and
after filling every free block, the erased name and note were still in the file's bytes; after
copying the database into a fresh file (`COPY FROM DATABASE`) and swapping it in, they were not.

The audit log keeps its rows: they name the pseudonymous id only (`participant:P-000123`), and the
erasure itself is one more entry, so the chain of entries stays whole."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from incubator.core import encryption
from incubator.core.access import Actor, require
from incubator.core.audit import audit
from incubator.core.db import claim, retrying, transaction
from incubator.core.errors import DatabaseLocked, DomainError, ValidationFailed
from incubator.core.i18n import N_
from incubator.people.participants import ParticipantNotFound, get_participant
from incubator.privacy import tables

CONFIRMATION_MISMATCH = N_("Type the participant number {participant_id} to confirm the erasure.")
DEFAULT_RETENTION_MONTHS = 24


class DatabaseInUse(DomainError):
    default_key = N_("The database file {path} is open elsewhere. Close the other programs that use it and try again.")

    def __init__(self, path: str) -> None:
        super().__init__(None, path=path)


@dataclass(frozen=True)
class Erasure:
    participant_id: str
    rows_removed: dict[str, int]  # table -> rows

    @property
    def total(self) -> int:
        return sum(self.rows_removed.values())


def _count_outcomes(cur: duckdb.DuckDBPyConnection, participant_id: str) -> None:
    """Add the person's latest outcome to the anonymous counts of their cohort (0: no cohort)."""
    cur.execute(
        "INSERT INTO erased_outcome_counts SELECT"
        " coalesce((SELECT cohort_id FROM cohort_members WHERE participant_id = $pid), 0), 1,"
        " count(o.outcome_id), count(o.launched_on), count(*) FILTER (WHERE o.running_6m),"
        " count(*) FILTER (WHERE o.running_12m), count(*) FILTER (WHERE o.running_24m), coalesce(sum(o.jobs_fte), 0),"
        " count(o.left_assistance_on)"
        " FROM (SELECT max(choice_id) AS choice_id FROM venture_choices WHERE participant_id = $pid) latest"
        " LEFT JOIN programme_outcomes o ON o.choice_id = latest.choice_id AND NOT coalesce(o.synthetic, FALSE)"
        " ON CONFLICT (cohort_key) DO UPDATE SET members = members + excluded.members,"
        " recorded = recorded + excluded.recorded, launched = launched + excluded.launched,"
        " running_6m = running_6m + excluded.running_6m, running_12m = running_12m + excluded.running_12m,"
        " running_24m = running_24m + excluded.running_24m, jobs_fte = jobs_fte + excluded.jobs_fte,"
        " left_assistance = left_assistance + excluded.left_assistance", {"pid": participant_id})


def _delete(cur: duckdb.DuckDBPyConnection, table: str, where: str, params: list | dict) -> int:
    return cur.execute(f'DELETE FROM "{table}" WHERE {where}', params).fetchone()[0]


def _erase_rows(cur: duckdb.DuckDBPyConnection, participant_id: str, owner_user_id: int | None) -> dict[str, int]:
    removed: dict[str, int] = {}
    found = set(tables.person_tables(cur))
    for child in tables.CHILD_TABLES:
        if child.table in found or child.parent not in found:
            continue
        removed[child.table] = _delete(cur, child.table, f"{child.key} IN (SELECT {child.key} FROM"
                                       f" {child.parent} WHERE participant_id = ?)", [participant_id])
    _count_outcomes(cur, participant_id)
    for table in tables.person_tables(cur):
        if tables.PERSON_TABLES.get(table) == "kept":
            continue
        removed[table] = _delete(cur, table, "participant_id = ?", [participant_id])
    if owner_user_id is not None:
        for table, column in tables.ACCOUNT_TABLES.items():
            removed[table] = _delete(cur, table, f"{column} = ?", [owner_user_id])
    # Claims name the participant's number only; they go too (all but this erasure's own, which must
    # stay for a second erasure at the same moment to conflict with).
    removed["write_claims"] = _delete(
        cur, "write_claims", "(claim_key LIKE $inside OR claim_key LIKE $end) AND claim_key <> $own",
        {"inside": f"%:{participant_id}:%", "end": f"%:{participant_id}", "own": f"erase:{participant_id}"})
    return {table: n for table, n in removed.items() if n}


def erase_participant(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str,
                      confirmation: str | None = None, reason: str = "request") -> Erasure:
    """Remove every row about the participant (and their newcomer account) from every table, keep their
    outcome as anonymous counts, record the erasure. `confirmation` must repeat the participant number.
    Raises ParticipantNotFound when there is no such participant (or they were erased already).
    The erased values stay in the file's free blocks until `rewrite_file` runs."""
    if confirmation is not None and confirmation.strip() != participant_id:
        raise ValidationFailed(CONFIRMATION_MISMATCH, participant_id=participant_id)
    require(actor, "privacy.erase", get_participant(cur, participant_id))
    key = f"erase:{participant_id}"

    def write() -> Erasure:
        with transaction(cur):
            claim(cur, key)
            owner = cur.execute("SELECT owner_user_id FROM participants WHERE participant_id = ?",
                                [participant_id]).fetchone()
            if owner is None:  # erased by someone else meanwhile
                raise ParticipantNotFound(participant_id)
            removed = _erase_rows(cur, participant_id, owner[0])
            cur.execute("INSERT INTO erasures (participant_id, reason, erased_by) VALUES (?, ?, ?)",
                        [participant_id, reason, actor.account_id])
            audit(cur, actor.account_id, "participant.erase", f"participant:{participant_id}")
            return Erasure(participant_id, removed)

    return retrying(cur, write, queue=[key])


# ----------------------------------------------------------------------------- retention

def due_for_erasure(cur: duckdb.DuckDBPyConnection, *, actor: Actor, today: dt.date,
                    months: int = DEFAULT_RETENTION_MONTHS) -> list[tuple[str, dt.date]]:
    """The participants who left the programme `months` or more before `today`, with the day they left."""
    require(actor, "privacy.erase")
    if months < 0:
        raise ValidationFailed()
    rows = cur.execute("SELECT participant_id, left_on FROM participants WHERE left_on IS NOT NULL"
                       " AND left_on + to_months(?) <= ? ORDER BY participant_id", [months, today]).fetchall()
    return [(pid, left) for pid, left in rows]


def apply_retention(cur: duckdb.DuckDBPyConnection, *, actor: Actor, today: dt.date,
                    months: int = DEFAULT_RETENTION_MONTHS) -> list[Erasure]:
    """Erase everyone whose retention period has ended (the same erasure as on request)."""
    done = []
    for participant_id, _ in due_for_erasure(cur, actor=actor, today=today, months=months):
        try:
            done.append(erase_participant(cur, actor=actor, participant_id=participant_id, reason="retention"))
        except ParticipantNotFound:
            continue  # erased at the same moment by someone else
    return done


# ----------------------------------------------------------------------------- the file

# A connection with an option no other part sets: DuckDB refuses to open a file that this process
# has open already with other options, which tells us another connection still holds it.
_REWRITE_CONFIG = {"custom_user_agent": "versnelling-file-rewrite"}


def rewrite_file(path: str | Path, *, key: str | None = None) -> int:
    """Copy the database into a fresh file and put it in the old one's place, so that the bytes of
    erased rows (which DuckDB leaves in freed and shared blocks) leave the file. Every connection to
    the file must be closed first (DatabaseInUse otherwise). An encrypted file (its key given, else
    INCUBATOR_DB_KEY) is rewritten into a file encrypted with the same key. Returns the new size."""
    path = Path(path)
    key = key if key is not None else encryption.key_from_environment()
    fresh = path.with_name(path.name + ".rewrite")
    fresh.unlink(missing_ok=True)
    try:
        if key:
            source = encryption.new_instance()
            encryption.attach(source, path, "original", key)
            catalog = "original"
        else:
            source = duckdb.connect(str(path), config=_REWRITE_CONFIG)
            catalog = None
    except DatabaseLocked:
        raise DatabaseInUse(str(path)) from None
    except duckdb.ConnectionException:
        raise DatabaseInUse(str(path)) from None
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseInUse(str(path)) from None
        raise
    try:
        source.execute(f'CHECKPOINT "{catalog}"' if catalog else "CHECKPOINT")
        catalog = catalog or source.execute("SELECT current_database()").fetchone()[0]
        encryption.attach(source, fresh, "rewritten", key)
        source.execute(f'COPY FROM DATABASE "{catalog}" TO rewritten')
        source.execute("DETACH rewritten")
    except BaseException:
        source.close()
        fresh.unlink(missing_ok=True)
        raise
    source.close()
    with open(fresh, "rb+") as handle:
        os.fsync(handle.fileno())
    os.chmod(fresh, path.stat().st_mode & 0o777)  # keep the owner-only mode of the original
    os.replace(fresh, path)
    Path(str(path) + ".wal").unlink(missing_ok=True)
    return path.stat().st_size
