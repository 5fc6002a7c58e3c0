"""Participants, their mentors, and the dated snapshots of their inventory, with access decided here:
a newcomer sees and edits only their own record, a mentor the participants assigned to them, a
manager everyone. Every view, change and export is written to the audit log (never the content).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from incubator.access import Actor, is_allowed, require
from incubator.audit import audit
from incubator.db import transaction
from incubator.errors import NotAllowed, NotFound, ValidationFailed
from incubator.i18n import N_
from incubator.inventory import LIFE_DOMAINS, Details, Inventory, new_inventory
from incubator.profile_checks import profile_problems
from incubator.profiles import RIASEC, Profile

# The command line acts for whoever holds the database file, with a manager's rights; its audit
# entries carry no user id.
COMMAND_LINE = Actor(0, "manager", "command line")
SOURCES = ("wizard", "import", "api")
VIEW_AUDIT_MINUTES = 10


class ParticipantNotFound(NotFound):
    default_key = N_("Participant {participant_id} does not exist.")

    def __init__(self, participant_id: str) -> None:
        super().__init__(None, participant_id=participant_id)


class ProfileNotSaved(NotFound):
    default_key = N_("Participant {participant_id} has not saved an inventory yet.")

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


def _user_id(actor: Actor) -> int | None:
    return actor.user_id or None


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


def next_participant_ids(cur: duckdb.DuckDBPyConnection, count: int, *, taken: Iterable[str] = ()) -> list[str]:
    """`count` new pseudonymous ids after the highest in use (and after any in `taken`)."""
    numbers = [int(pid[2:]) for pid in taken if pid.startswith("P-") and pid[2:].isdigit()]
    highest = cur.execute(
        "SELECT max(TRY_CAST(substr(participant_id, 3) AS INTEGER)) FROM participants"
    ).fetchone()[0] or 0
    start = max([highest, *numbers]) + 1
    return [f"P-{number:06d}" for number in range(start, start + count)]


def _check_newcomer_account(cur: duckdb.DuckDBPyConnection, user_id: int) -> None:
    row = cur.execute("SELECT role FROM users WHERE user_id = ? AND active", [user_id]).fetchone()
    if row is None or row[0] != "newcomer":
        raise ValidationFailed(N_("Only an active newcomer's account can own a participant record."))
    if participant_for_user(cur, user_id) is not None:
        raise ValidationFailed(N_("This account has a participant record already."))


def create_participant(cur: duckdb.DuckDBPyConnection, *, actor: Actor, owner_user_id: int | None = None,
                       display_name: str | None = None) -> ParticipantRecord:
    """A new participant with a pseudonymous id (P-000123). A newcomer may create their own record
    once; mentors and managers create records for others, and a mentor is assigned to the records
    they create."""
    if actor.role == "newcomer" and owner_user_id in (None, actor.user_id):
        owner_user_id = actor.user_id
    else:
        require(actor, "profile.create")
    with transaction(cur):
        if owner_user_id is not None:
            _check_newcomer_account(cur, owner_user_id)
        participant_id = next_participant_ids(cur, 1)[0]
        cur.execute(
            "INSERT INTO participants (participant_id, owner_user_id, display_name, created_by) VALUES (?, ?, ?, ?)",
            [participant_id, owner_user_id, (display_name or "").strip() or None, _user_id(actor)],
        )
        if actor.role == "mentor":
            cur.execute(
                "INSERT INTO participant_mentors (participant_id, mentor_user_id, assigned_by) VALUES (?, ?, ?)",
                [participant_id, actor.user_id, actor.user_id],
            )
        audit(cur, _user_id(actor), "participant.create", f"participant:{participant_id}")
    return get_participant(cur, participant_id)


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
            [participant_id, mentor_user_id, _user_id(actor)],
        )
        audit(cur, _user_id(actor), "participant.assign_mentor", f"participant:{participant_id}")


def unassign_mentor(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, mentor_user_id: int) -> None:
    require(actor, "participant.assign")
    with transaction(cur):
        cur.execute(
            "DELETE FROM participant_mentors WHERE participant_id = ? AND mentor_user_id = ?",
            [participant_id, mentor_user_id],
        )
        audit(cur, _user_id(actor), "participant.unassign_mentor", f"participant:{participant_id}")


def link_owner(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, owner_user_id: int) -> None:
    """Link a newcomer's account to a record made for them (for instance by an import)."""
    require(actor, "participant.assign")
    record = get_participant(cur, participant_id)
    if record.owner_user_id is not None:
        raise ValidationFailed(N_("This participant is linked to an account already."))
    with transaction(cur):
        _check_newcomer_account(cur, owner_user_id)
        cur.execute("UPDATE participants SET owner_user_id = ? WHERE participant_id = ?", [owner_user_id, participant_id])
        audit(cur, _user_id(actor), "participant.link_owner", f"participant:{participant_id}")


def accounts_for_assignment(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> pd.DataFrame:
    """Active mentors, and newcomers without a record yet: whom a manager can assign or link."""
    require(actor, "participant.assign")
    return cur.execute(
        "SELECT user_id, username, role FROM users u WHERE active AND (role = 'mentor' OR (role = 'newcomer'"
        " AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.owner_user_id = u.user_id))) ORDER BY username"
    ).df()


# --- snapshots ---------------------------------------------------------------------------------

SNAPSHOT_COLUMNS = (
    "participant_id", "version", "draft", "saved_at", "saved_by", "source", "profile", "details",
    "municipality", "dutch_cefr", "isced_level", "ambition", "capital_eur", "hours_per_week", "on_benefit",
    "ladder_rung", "skills_count", *(f"interest_{k.lower()}" for k in RIASEC),
    *(f"domain_{d}" for d in LIFE_DOMAINS),
)


def snapshot_row(profile: Profile, details: Details) -> dict[str, object]:
    """The columns of one snapshot besides its key, time and author."""
    row: dict[str, object] = {
        "profile": json.dumps(profile.to_dict(), ensure_ascii=False),
        "details": json.dumps(details.to_dict(), ensure_ascii=False),
        "municipality": profile.municipality,
        "dutch_cefr": profile.cefr("nl"),
        "isced_level": profile.education.isced_level,
        "ambition": profile.ambition,
        "capital_eur": profile.capital_eur,
        "hours_per_week": profile.hours_per_week,
        "on_benefit": profile.on_benefit,
        "ladder_rung": profile.ladder_rung,
        "skills_count": len(profile.skills),
    }
    row.update({f"interest_{k.lower()}": profile.interests.get(k) for k in RIASEC})
    row.update({f"domain_{d}": details.life_domains.get(d) for d in LIFE_DOMAINS})
    return row


def insert_snapshots(cur: duckdb.DuckDBPyConnection, rows: list[dict[str, object]]) -> None:
    """Insert many snapshot rows in one statement (inside the caller's transaction)."""
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in SNAPSHOT_COLUMNS})
    cur.register("incoming_snapshots", frame)
    try:
        columns = ", ".join(SNAPSHOT_COLUMNS)
        cur.execute(f"INSERT INTO profile_snapshots ({columns}) SELECT {columns} FROM incoming_snapshots")
    finally:
        cur.unregister("incoming_snapshots")


def _raise_problems(cur: duckdb.DuckDBPyConnection, inventory: Inventory) -> None:
    problems = profile_problems(cur, inventory.profile)
    if problems:
        first = problems[0]
        raise ValidationFailed(first.message, **first.params)
    for _field, message, params in inventory.details.problems():
        raise ValidationFailed(message, **params)


def save_inventory(cur: duckdb.DuckDBPyConnection, *, actor: Actor, inventory: Inventory, draft: bool = False,
                   source: str = "wizard") -> int:
    """Save the inventory: a draft waits at the next version number (saving a draft again replaces
    it); a full save makes that version a dated snapshot. Returns the version number."""
    record = get_participant(cur, inventory.participant_id)
    require(actor, "profile.edit", record)
    _raise_problems(cur, inventory)
    row = snapshot_row(inventory.profile, inventory.details)
    with transaction(cur):
        latest = cur.execute(
            "SELECT coalesce(max(version), 0) FROM profile_snapshots WHERE participant_id = ? AND NOT draft",
            [record.participant_id],
        ).fetchone()[0]
        version = latest + 1
        cur.execute("DELETE FROM profile_snapshots WHERE participant_id = ? AND draft", [record.participant_id])
        insert_snapshots(cur, [{
            **row, "participant_id": record.participant_id, "version": version, "draft": draft,
            "saved_at": dt.datetime.now(), "saved_by": _user_id(actor), "source": source,
        }])
        if not draft:
            cur.execute(
                "UPDATE participants SET display_name = ? WHERE participant_id = ?",
                [inventory.profile.display_name, record.participant_id],
            )
        audit(cur, _user_id(actor), "profile.save_draft" if draft else "profile.save",
              f"participant:{record.participant_id}")
    return version


def save_profile(cur: duckdb.DuckDBPyConnection, *, actor: Actor, profile: Profile, draft: bool = False,
                 details: Details | None = None) -> int:
    """Save a profile in the exchange format as a new dated snapshot (or a draft). Returns the version."""
    return save_inventory(cur, actor=actor, inventory=Inventory(profile, details or Details()), draft=draft,
                          source="api" if details is None else "wizard")


def _audit_view(cur: duckdb.DuckDBPyConnection, actor: Actor, record: ParticipantRecord) -> None:
    """Record a view by someone other than the owner; once per ten minutes is enough (every widget
    change reruns the page)."""
    if record.owner_user_id == actor.user_id:
        return
    subject = f"participant:{record.participant_id}"
    recent = cur.execute(
        "SELECT 1 FROM audit_log WHERE actor_user_id IS NOT DISTINCT FROM ? AND action = 'profile.view'"
        " AND subject = ? AND happened_at > current_timestamp - to_minutes(?) LIMIT 1",
        [_user_id(actor), subject, VIEW_AUDIT_MINUTES],
    ).fetchone()
    if recent is None:
        audit(cur, _user_id(actor), "profile.view", subject)


def _latest(cur: duckdb.DuckDBPyConnection, participant_id: str, *, include_draft: bool) -> tuple | None:
    return cur.execute(
        "SELECT profile, details, version, draft, saved_at FROM profile_snapshots WHERE participant_id = ?"
        + ("" if include_draft else " AND NOT draft") + " ORDER BY version DESC, draft DESC LIMIT 1",
        [participant_id],
    ).fetchone()


def load_profile(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> Profile:
    """The latest saved snapshot (not a draft) in the exchange format. Raises ProfileNotSaved."""
    record = get_participant(cur, participant_id)
    require(actor, "profile.view", record)
    _audit_view(cur, actor, record)
    latest = _latest(cur, participant_id, include_draft=False)
    if latest is None:
        raise ProfileNotSaved(participant_id)
    return Profile.from_dict(json.loads(latest[0]))


def load_inventory(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str,
                   include_draft: bool = True) -> Inventory:
    """The whole inventory to continue with: the draft when there is one, else the latest snapshot,
    else an empty inventory."""
    record = get_participant(cur, participant_id)
    require(actor, "profile.view", record)
    _audit_view(cur, actor, record)
    latest = _latest(cur, participant_id, include_draft=include_draft)
    if latest is None:
        return new_inventory(participant_id, record.display_name)
    return Inventory(Profile.from_dict(json.loads(latest[0])), Details.from_dict(json.loads(latest[1])))


def has_draft(cur: duckdb.DuckDBPyConnection, participant_id: str) -> bool:
    return cur.execute(
        "SELECT count(*) FROM profile_snapshots WHERE participant_id = ? AND draft", [participant_id]
    ).fetchone()[0] > 0


def profile_history(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> pd.DataFrame:
    """Every saved snapshot (no drafts), oldest first, with the values progress is measured by."""
    record = get_participant(cur, participant_id)
    require(actor, "profile.view", record)
    _audit_view(cur, actor, record)
    domains = ", ".join(f"domain_{d}" for d in LIFE_DOMAINS)
    interests = ", ".join(f"interest_{k.lower()}" for k in RIASEC)
    return cur.execute(
        f"SELECT version, saved_at, source, u.username AS saved_by, ladder_rung, ambition, dutch_cefr,"
        f" isced_level, capital_eur, hours_per_week, on_benefit, skills_count, {interests}, {domains},"
        f" list_avg([{domains}]) AS life_domains_mean"
        f" FROM profile_snapshots s LEFT JOIN users u ON u.user_id = s.saved_by"
        f" WHERE participant_id = ? AND NOT draft ORDER BY version",
        [participant_id],
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


def export_profiles(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_ids: Iterable[str] | None = None,
                    pseudonymise: bool = True) -> list[dict]:
    """The latest snapshot of every participant the actor may export, in the exchange format.
    Display names are left out unless `pseudonymise` is False."""
    require(actor, "profile.export")
    wanted = set(participant_ids) if participant_ids is not None else None
    records = [
        r for r in list_participants(cur, actor=actor)
        if is_allowed(actor, "profile.export", r) and (wanted is None or r.participant_id in wanted)
    ]
    if wanted is not None and len(records) < len(wanted):
        raise NotAllowed()
    ids = id_frame([r.participant_id for r in records])
    cur.register("export_ids", ids)
    try:
        rows = cur.execute(
            "SELECT arg_max(profile, version) FROM profile_snapshots JOIN export_ids USING (participant_id)"
            " WHERE NOT draft GROUP BY participant_id ORDER BY participant_id"
        ).fetchall()
    finally:
        cur.unregister("export_ids")
    exported = [json.loads(row[0]) for row in rows]
    if pseudonymise:
        for item in exported:
            item.pop("display_name", None)
    with transaction(cur):
        audit_many(cur, actor, "profile.export", [item["id"] for item in exported])
    return exported


def audit_many(cur: duckdb.DuckDBPyConnection, actor: Actor, action: str, participant_ids: list[str]) -> None:
    """One audit entry per participant, written in one statement."""
    if not participant_ids:
        return
    frame = pd.DataFrame({
        "actor_user_id": pd.Series([_user_id(actor)] * len(participant_ids), dtype=object),
        "action": action,
        "subject": [f"participant:{pid}" for pid in participant_ids],
    })
    cur.register("audit_rows", frame)
    try:
        cur.execute("INSERT INTO audit_log (actor_user_id, action, subject) SELECT * FROM audit_rows")
    finally:
        cur.unregister("audit_rows")


def actor_by_username(cur: duckdb.DuckDBPyConnection, username: str) -> Actor:
    """The active account with this name, for commands run on someone's behalf (`--as`)."""
    row = cur.execute(
        "SELECT user_id, role, username FROM users WHERE username = lower(trim(?)) AND active", [username]
    ).fetchone()
    if row is None:
        raise NotFound()
    return Actor(*row)
