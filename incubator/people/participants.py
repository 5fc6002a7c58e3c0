"""Participants and their mentors, with access decided here: a newcomer sees only their own record,
a mentor the participants assigned to them, a manager everyone. Every change is written to the audit
log (never the content). The dated snapshots of a participant's inventory are incubator.people.snapshots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from incubator.core import names, participant_stage
from incubator.core.access import COMMAND_LINE_MANAGER, Actor, require
from incubator.core.audit import audit
from incubator.core.db import retry_on_conflict, transaction
from incubator.core.errors import NotFound, ValidationFailed
from incubator.core.i18n import N_

# The command line acts for whoever holds the database file, with a manager's rights; its audit
# entries carry no user id (incubator.core.access).
COMMAND_LINE = COMMAND_LINE_MANAGER


class ParticipantNotFound(NotFound):
    default_key = N_("Participant {participant_id} does not exist.")

    def __init__(self, participant_id: str) -> None:
        super().__init__(None, participant_id=participant_id)


@dataclass(frozen=True)
class ParticipantRecord:
    """Whose record it is and who mentors them (an access.ParticipantResource)."""

    participant_id: str
    owner_user_id: int | None
    mentor_user_ids: tuple[int, ...]
    display_name: str | None
    created_at: dt.datetime



_RECORD_SQL = """
    SELECT p.participant_id, p.owner_user_id,
           coalesce(list(m.mentor_user_id ORDER BY m.mentor_user_id) FILTER (WHERE m.mentor_user_id IS NOT NULL), []),
           p.display_name, p.created_at
    FROM participants p LEFT JOIN participant_mentors m USING (participant_id)
    {where}
    GROUP BY ALL ORDER BY p.participant_id
"""


def _records(cur: duckdb.DuckDBPyConnection, where: str = "", params: Sequence[object] = ()) -> list[ParticipantRecord]:
    rows = cur.execute(_RECORD_SQL.format(where=where), list(params)).fetchall()
    return [ParticipantRecord(pid, owner, tuple(mentors), name, created) for pid, owner, mentors, name, created in rows]


def get_participant(cur: duckdb.DuckDBPyConnection, participant_id: str) -> ParticipantRecord:
    """The record, whoever asks (callers check access). Raises ParticipantNotFound."""
    found = _records(cur, "WHERE p.participant_id = ?", [participant_id])
    if not found:
        raise ParticipantNotFound(participant_id)
    return found[0]


def id_frame(participant_ids: Iterable[str]) -> pd.DataFrame:
    """Participant ids as a one-column frame to join against (typed, so that an empty one is text too)."""
    return pd.DataFrame({"participant_id": pd.Series(list(participant_ids), dtype="string")})


def records_by_ids(cur: duckdb.DuckDBPyConnection, participant_ids: list[str]) -> list[ParticipantRecord]:
    """The records of these ids that exist (callers check access), in one query."""
    cur.register("wanted_ids", id_frame(participant_ids))
    try:
        return _records(cur, "WHERE p.participant_id IN (SELECT participant_id FROM wanted_ids)")
    finally:
        cur.unregister("wanted_ids")


def participant_for_user(cur: duckdb.DuckDBPyConnection, user_id: int) -> ParticipantRecord | None:
    """A newcomer's own record, or None before they have one."""
    found = _records(cur, "WHERE p.owner_user_id = ?", [user_id])
    return found[0] if found else None


def list_participants(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> list[ParticipantRecord]:
    """The participants this actor may see: their own (newcomer), assigned (mentor), all (manager)."""
    if actor.role == "newcomer":
        own = participant_for_user(cur, actor.user_id)
        return [own] if own else []
    require(actor, "profile.list")
    if actor.role == "manager":
        return _records(cur)
    return _records(
        cur,
        "WHERE p.participant_id IN (SELECT participant_id FROM participant_mentors WHERE mentor_user_id = ?)",
        [actor.user_id],
    )


def next_participant_ids(cur: duckdb.DuckDBPyConnection, count: int) -> list[str]:
    """`count` new pseudonymous ids from the participant sequence (P-000123; a seventh digit past
    P-999999). Numbers drawn in a transaction that then fails stay unused."""
    numbers = sorted(row[0] for row in cur.execute(
        "SELECT nextval('participant_number_seq') FROM range(?)", [count]).fetchall())
    return [f"P-{number:06d}" for number in numbers]


def _check_newcomer_account(cur: duckdb.DuckDBPyConnection, user_id: int) -> None:
    row = cur.execute("SELECT role FROM users WHERE user_id = ? AND active", [user_id]).fetchone()
    if row is None or row[0] != "newcomer":
        raise ValidationFailed(N_("Only an active newcomer's account can own a participant record."))
    if participant_for_user(cur, user_id) is not None:
        raise ValidationFailed(N_("This account has a participant record already."))


@retry_on_conflict
def create_participant(cur: duckdb.DuckDBPyConnection, *, actor: Actor, owner_user_id: int | None = None,
                       display_name: str | None = None) -> ParticipantRecord:
    """A new participant with a pseudonymous id (P-000123). A newcomer may create their own record
    once; mentors and managers create records for others, and a mentor is assigned to the records
    they create. Only a manager binds someone else's newcomer account to a record (`owner_user_id`):
    a mentor who could would see that person's record."""
    names.check_name(display_name)
    if actor.role == "newcomer" and owner_user_id in (None, actor.user_id):
        owner_user_id = actor.user_id
    else:
        require(actor, "profile.create")
        if owner_user_id is not None:
            require(actor, "participant.bind_account")
    with transaction(cur):
        if owner_user_id is not None:
            _check_newcomer_account(cur, owner_user_id)
        participant_id = next_participant_ids(cur, 1)[0]
        cur.execute(
            "INSERT INTO participants (participant_id, owner_user_id, display_name, created_by) VALUES (?, ?, ?, ?)",
            [participant_id, owner_user_id, (display_name or "").strip() or None, actor.account_id],
        )
        if actor.role == "mentor":
            cur.execute(
                "INSERT INTO participant_mentors (participant_id, mentor_user_id, assigned_by) VALUES (?, ?, ?)",
                [participant_id, actor.user_id, actor.user_id],
            )
        participant_stage.refresh(cur, [participant_id])
        audit(cur, actor.account_id, "participant.create", f"participant:{participant_id}")
    return get_participant(cur, participant_id)


@retry_on_conflict(queue="participant:{participant_id}")
def assign_mentor(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, mentor_user_id: int) -> None:
    """Give a participant a mentor (managers). Assigning the same mentor twice changes nothing."""
    require(actor, "participant.assign")
    get_participant(cur, participant_id)
    row = cur.execute("SELECT role FROM users WHERE user_id = ? AND active", [mentor_user_id]).fetchone()
    if row is None or row[0] != "mentor":
        raise ValidationFailed(N_("Only an active mentor's account can be assigned as mentor."))
    with transaction(cur):
        cur.execute(
            "INSERT INTO participant_mentors (participant_id, mentor_user_id, assigned_by) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [participant_id, mentor_user_id, actor.account_id],
        )
        audit(cur, actor.account_id, "participant.assign_mentor", f"participant:{participant_id}")


@retry_on_conflict(queue="participant:{participant_id}")
def unassign_mentor(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, mentor_user_id: int) -> None:
    require(actor, "participant.assign")
    with transaction(cur):
        cur.execute(
            "DELETE FROM participant_mentors WHERE participant_id = ? AND mentor_user_id = ?",
            [participant_id, mentor_user_id],
        )
        audit(cur, actor.account_id, "participant.unassign_mentor", f"participant:{participant_id}")


@retry_on_conflict(queue="participant:{participant_id}")
def link_owner(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, owner_user_id: int) -> None:
    """Link a newcomer's account to a record made for them (for instance by an import); managers only."""
    require(actor, "participant.bind_account")
    with transaction(cur):  # checked inside: an account linked just before must be seen
        if get_participant(cur, participant_id).owner_user_id is not None:
            raise ValidationFailed(N_("This participant is linked to an account already."))
        _check_newcomer_account(cur, owner_user_id)
        cur.execute("UPDATE participants SET owner_user_id = ? WHERE participant_id = ?", [owner_user_id, participant_id])
        audit(cur, actor.account_id, "participant.link_owner", f"participant:{participant_id}")


def accounts_for_assignment(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> pd.DataFrame:
    """Active mentors, and newcomers without a record yet: whom a manager can assign or link."""
    require(actor, "participant.assign")
    return cur.execute(
        "SELECT user_id, username, role FROM users u WHERE active AND (role = 'mentor' OR (role = 'newcomer'"
        " AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.owner_user_id = u.user_id))) ORDER BY username"
    ).df()


def participant_overview(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> pd.DataFrame:
    """One row per participant the actor may see: id, name, mentors, account, last save."""
    records = list_participants(cur, actor=actor)
    ids = id_frame([r.participant_id for r in records])
    cur.register("visible_participants", ids)
    try:
        return cur.execute(
            "SELECT p.participant_id, p.display_name,"
            " (SELECT string_agg(u.username, ', ' ORDER BY u.username) FROM participant_mentors m"
            "   JOIN users u ON u.user_id = m.mentor_user_id WHERE m.participant_id = p.participant_id) AS mentors,"
            " (SELECT username FROM users WHERE user_id = p.owner_user_id) AS account,"
            " s.version, s.saved_at, s.ladder_rung, d.draft IS NOT NULL AS has_draft"
            " FROM visible_participants v JOIN participants p USING (participant_id)"
            " LEFT JOIN (SELECT participant_id, max(version) AS version, max(saved_at) AS saved_at,"
            "            arg_max(ladder_rung, version) AS ladder_rung"
            "            FROM profile_snapshots WHERE NOT draft GROUP BY ALL) s USING (participant_id)"
            " LEFT JOIN (SELECT participant_id, TRUE AS draft FROM profile_snapshots WHERE draft) d"
            "   USING (participant_id)"
            " ORDER BY p.participant_id"
        ).df()
    finally:
        cur.unregister("visible_participants")


def actor_by_username(cur: duckdb.DuckDBPyConnection, username: str) -> Actor:
    """The active account with this name, for commands run on someone's behalf (`--as`)."""
    row = cur.execute(
        "SELECT user_id, role, username FROM users WHERE username = lower(trim(?)) AND active", [username]
    ).fetchone()
    if row is None:
        raise NotFound()
    return Actor(*row)
