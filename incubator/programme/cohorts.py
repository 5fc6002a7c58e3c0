"""Cohorts: a group of participants that starts together in one municipality and programme. A manager
creates them and adds participants one by one or from an imported cohort file; a participant is in
one cohort at most (its start date is where their milestones are counted from)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from incubator.core import participant_stage
from incubator.core.access import Actor, require
from incubator.core.audit import audit, audit_many
from incubator.core.db import retrying, transaction
from incubator.core.errors import NotFound, ValidationFailed
from incubator.core.i18n import N_
from incubator.people import importing
from incubator.people.participants import ParticipantNotFound, id_frame
from incubator.programme.stakeholders import ProgrammeRecord, visible_records

MAX_NAME = 100
NAME_NEEDED = N_("Give the cohort a name (at most {limit} characters).")
PROGRAMME_NEEDED = N_("Name the programme (at most {limit} characters).")
NAME_TAKEN = N_("A cohort named {name} exists already.")
UNKNOWN_MUNICIPALITY = N_("{code} is not a municipality of the market data.")
IN_OTHER_COHORT = N_("{participant_id} is in the cohort {cohort} already.")


class CohortNotFound(NotFound):
    default_key = N_("This cohort does not exist.")


@dataclass(frozen=True)
class Cohort:
    cohort_id: int
    name: str
    start_on: dt.date
    municipality: str
    municipality_name: str | None
    programme: str
    synthetic: bool
    members: int  # all members, also those the reader may not see


_COHORT_SQL = """
    SELECT c.cohort_id, c.name, c.start_on, c.municipality, m.name, c.programme, c.synthetic,
           (SELECT count(*) FROM cohort_members cm WHERE cm.cohort_id = c.cohort_id)
    FROM cohorts c LEFT JOIN municipalities m ON m.gm_code = c.municipality
"""


def _text(value: str | None, message: str) -> str:
    text = " ".join((value or "").split())
    if not text or len(text) > MAX_NAME:
        raise ValidationFailed(message, limit=MAX_NAME)
    return text


def create_cohort(cur: duckdb.DuckDBPyConnection, *, actor: Actor, name: str, start_on: dt.date, municipality: str,
                  programme: str) -> Cohort:
    """A new cohort. Raises ValidationFailed for a missing or taken name or an unknown municipality."""
    require(actor, "cohort.manage")
    name_text, programme_text = _text(name, NAME_NEEDED), _text(programme, PROGRAMME_NEEDED)
    code = (municipality or "").strip().upper()
    if cur.execute("SELECT 1 FROM municipalities WHERE gm_code = ?", [code]).fetchone() is None:
        raise ValidationFailed(UNKNOWN_MUNICIPALITY, code=code or "-")

    def write() -> int:
        with transaction(cur):
            # Checked inside the write: a second cohort of the same name at the same moment meets the
            # unique name, is retried and is told here.
            if cur.execute("SELECT 1 FROM cohorts WHERE lower(name) = lower(?)", [name_text]).fetchone():
                raise ValidationFailed(NAME_TAKEN, name=name_text)
            cohort_id = cur.execute(
                "INSERT INTO cohorts (name, start_on, municipality, programme, created_by) VALUES (?, ?, ?, ?, ?)"
                " RETURNING cohort_id", [name_text, start_on, code, programme_text, actor.account_id]).fetchone()[0]
            audit(cur, actor.account_id, "cohort.create", f"cohort:{cohort_id}")
        return cohort_id

    return _cohort(cur, retrying(cur, write, queue=[f"cohort_name:{name_text.lower()}"]))


def _cohort(cur: duckdb.DuckDBPyConnection, cohort_id: int) -> Cohort:
    row = cur.execute(_COHORT_SQL + " WHERE c.cohort_id = ?", [cohort_id]).fetchone()
    if row is None:
        raise CohortNotFound()
    return Cohort(*row)


def get_cohort(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int) -> Cohort:
    """One cohort: managers see every one, mentors those with a participant they mentor."""
    if cohort_id not in {c.cohort_id for c in list_cohorts(cur, actor=actor)}:
        _cohort(cur, cohort_id)  # CohortNotFound for an id that does not exist at all
        require(actor, "cohort.manage")
    return _cohort(cur, cohort_id)


def list_cohorts(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> list[Cohort]:
    """The cohorts this actor works with, the latest start first."""
    require(actor, "cohort.view")
    if actor.role == "manager":
        rows = cur.execute(_COHORT_SQL + " ORDER BY c.start_on DESC, c.cohort_id DESC").fetchall()
    else:
        rows = cur.execute(
            _COHORT_SQL + " WHERE c.cohort_id IN (SELECT cm.cohort_id FROM cohort_members cm JOIN participant_mentors pm"
            " USING (participant_id) WHERE pm.mentor_user_id = ?) ORDER BY c.start_on DESC, c.cohort_id DESC",
            [actor.user_id]).fetchall()
    return [Cohort(*row) for row in rows]


def members(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int) -> list[ProgrammeRecord]:
    """The members of a cohort this actor may see."""
    get_cohort(cur, actor=actor, cohort_id=cohort_id)
    return visible_records(cur, actor=actor, cohort_id=cohort_id)


def add_participants(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int, participant_ids: list[str]) -> int:
    """Add participants to a cohort in one transaction; returns how many were new in it. Refused, with
    nothing changed, when one of them does not exist or is in another cohort."""
    require(actor, "cohort.manage")
    wanted = sorted(set(participant_ids))

    def write() -> int:
        with transaction(cur):
            cohort = _cohort(cur, cohort_id)
            cur.register("cohort_candidates", id_frame(wanted))
            try:
                rows = cur.execute(
                    "SELECT w.participant_id, p.participant_id IS NOT NULL, cm.cohort_id, c.name"
                    " FROM cohort_candidates w LEFT JOIN participants p USING (participant_id)"
                    " LEFT JOIN cohort_members cm USING (participant_id) LEFT JOIN cohorts c ON c.cohort_id = cm.cohort_id"
                    " ORDER BY w.participant_id").fetchall()
            finally:
                cur.unregister("cohort_candidates")
            for pid, exists, other_id, other_name in rows:
                if not exists:
                    raise ParticipantNotFound(pid)
                if other_id is not None and other_id != cohort.cohort_id:
                    raise ValidationFailed(IN_OTHER_COHORT, participant_id=pid, cohort=other_name)
            new = [pid for pid, _, other_id, _ in rows if other_id is None]
            frame = pd.DataFrame({"participant_id": pd.Series(new, dtype="string")})
            cur.register("cohort_new_members", frame)
            try:
                cur.execute("INSERT INTO cohort_members (participant_id, cohort_id, added_by)"
                            " SELECT participant_id, ?, ? FROM cohort_new_members", [cohort_id, actor.account_id])
            finally:
                cur.unregister("cohort_new_members")
            participant_stage.refresh(cur, new)
            audit_many(cur, actor, "cohort.add", new)
            return len(new)

    return retrying(cur, write, queue=[f"cohort:{cohort_id}"])


def remove_participant(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int, participant_id: str) -> None:
    require(actor, "cohort.manage")

    def write() -> None:
        with transaction(cur):
            cur.execute("DELETE FROM cohort_members WHERE cohort_id = ? AND participant_id = ?", [cohort_id, participant_id])
            participant_stage.refresh(cur, [participant_id])
            audit(cur, actor.account_id, "cohort.remove", f"participant:{participant_id}")

    retrying(cur, write, queue=[f"cohort:{cohort_id}"])


@dataclass(frozen=True)
class CohortImport:
    result: importing.ImportResult
    added: int
    elsewhere: list[str]  # updated participants who are in another cohort (left there)


def add_from_import(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int, file_name: str, content: bytes,
                    update_matches: bool = False) -> CohortImport:
    """Import a cohort file (incubator.people.importing: all rows or none) and add its participants to
    the cohort. Participants the file updates who are in another cohort stay there and are named."""
    require(actor, "cohort.manage")
    _cohort(cur, cohort_id)
    result = importing.import_profiles(cur, actor=actor, file_name=file_name, content=content,
                                       update_matches=update_matches)
    saved = [*result.created, *result.updated]
    cur.register("imported_ids", id_frame(saved))
    try:
        elsewhere = [row[0] for row in cur.execute(
            "SELECT participant_id FROM cohort_members WHERE participant_id IN (SELECT participant_id FROM imported_ids)"
            " AND cohort_id <> ? ORDER BY participant_id", [cohort_id]).fetchall()]
    finally:
        cur.unregister("imported_ids")
    added = add_participants(cur, actor=actor, cohort_id=cohort_id,
                             participant_ids=[pid for pid in saved if pid not in set(elsewhere)])
    return CohortImport(result, added, elsewhere)


def participants_without_cohort(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> list[ProgrammeRecord]:
    """Participants in no cohort yet, to add one."""
    require(actor, "cohort.manage")
    return [r for r in visible_records(cur, actor=actor) if r.cohort_id is None]


def municipalities(cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every municipality of the market data, {GM code: name} by name (empty before the seed)."""
    return dict(cur.execute("SELECT gm_code, name FROM municipalities ORDER BY name").fetchall())
