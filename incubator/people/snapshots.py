"""The dated snapshots of a participant's skills-and-ambition inventory: a draft at every step of the
wizard, a snapshot at every full save or import, loading the latest, the history that progress is
measured by, and the export in the exchange format. Access is checked here; every view by someone
other than the owner, every change and every export goes to the audit log (never the content).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

import duckdb
import pandas as pd

from incubator.core import participant_stage
from incubator.core.access import Actor, is_allowed, require
from incubator.core.audit import audit, audit_many
from incubator.core.db import retrying, transaction
from incubator.core.errors import NotAllowed, NotFound, Refusal, ValidationFailed
from incubator.core.i18n import N_
from incubator.people.checks import profile_problems
from incubator.people.inventory import LIFE_DOMAINS, Details, Inventory, new_inventory
from incubator.people.participants import (
    ParticipantRecord,
    get_participant,
    id_frame,
    list_participants,
)
from incubator.people.profile import RIASEC, Profile

SOURCES = ("wizard", "import", "api")
VIEW_AUDIT_MINUTES = 10


class ProfileNotSaved(NotFound):
    default_key = N_("Participant {participant_id} has not saved an inventory yet.")

    def __init__(self, participant_id: str) -> None:
        super().__init__(None, participant_id=participant_id)


SNAPSHOT_COLUMNS = (
    "participant_id", "version", "draft", "saved_at", "saved_by", "source", "profile", "details",
    "municipality", "dutch_cefr", "isced_level", "ambition", "capital_eur", "hours_per_week", "on_benefit",
    "ladder_rung", "skills_count", *(f"interest_{k.lower()}" for k in RIASEC),
    *(f"domain_{d}" for d in LIFE_DOMAINS), "home_based_only",
)
# The typed copies of a saved snapshot's lists (migration 011): table -> (profile list, its columns
# as SQL over one list item). Filled from the snapshot's JSON in the statement after it, so the two
# can never say different things.
TYPED_TABLES = {
    "profile_snapshot_skills": ("skills", "item ->> 'esco_group', CAST(item ->> 'level' AS INTEGER)"),
    "profile_snapshot_languages": ("languages", "item ->> 'code', item ->> 'cefr'"),
    "profile_snapshot_experience": ("experience", "item ->> 'isco', item ->> 'esco_uri', CAST(item ->> 'years' AS DOUBLE)"),
}


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
        "home_based_only": profile.home_based_only,
    }
    row.update({f"interest_{k.lower()}": profile.interests.get(k) for k in RIASEC})
    row.update({f"domain_{d}": details.life_domains.get(d) for d in LIFE_DOMAINS})
    return row


def insert_snapshots(cur: duckdb.DuckDBPyConnection, rows: list[dict[str, object]], *, replace: bool = False) -> None:
    """Insert many snapshot rows in one statement (inside the caller's transaction), and the typed
    rows of the saved ones. With `replace`, a row at the same participant and version (the draft
    waiting there) is overwritten: an upsert."""
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in SNAPSHOT_COLUMNS})
    insert_snapshot_frame(cur, frame, replace=replace)
    # A draft changes nothing the pipeline counts; a saved one can (the inventory date, the municipality).
    participant_stage.refresh(cur, [r["participant_id"] for r in rows if not r.get("draft")])


def insert_snapshot_frame(cur: duckdb.DuckDBPyConnection, frame: pd.DataFrame, *, replace: bool = False) -> None:
    """`insert_snapshots` for a frame with the SNAPSHOT_COLUMNS (the demo writes 100,000 at once)."""
    cur.register("incoming_snapshots", frame)
    try:
        columns = ", ".join(SNAPSHOT_COLUMNS)
        casts = {"saved_at": "CAST(saved_at AS TIMESTAMP)", "saved_by": "CAST(saved_by AS INTEGER)",
                 "version": "CAST(version AS INTEGER)"}
        select = ", ".join(casts.get(c, c) for c in SNAPSHOT_COLUMNS)
        sql = f"INSERT INTO profile_snapshots ({columns}) SELECT {select} FROM incoming_snapshots"
        if replace:
            sql += " ON CONFLICT (participant_id, version) DO UPDATE SET " + ", ".join(
                f"{c} = excluded.{c}" for c in SNAPSHOT_COLUMNS if c not in ("participant_id", "version"))
        cur.execute(sql)
        fill_typed_tables(cur, "incoming_snapshots")
    finally:
        cur.unregister("incoming_snapshots")


def fill_typed_tables(cur: duckdb.DuckDBPyConnection, source: str) -> None:
    """The typed rows (skills, languages, experience) of the saved snapshots in `source`, a table or
    registered frame with participant_id, version, draft and profile (the exchange-format JSON)."""
    for table, (key, values) in TYPED_TABLES.items():
        cur.execute(
            f"INSERT INTO {table} SELECT participant_id, version, position, {values}"
            f" FROM (SELECT participant_id, version, unnest(items) AS item, generate_subscripts(items, 1) AS position"
            f" FROM (SELECT participant_id, CAST(version AS INTEGER) AS version,"
            f" CAST(coalesce(json_extract(CAST(profile AS VARCHAR), '$.{key}'), '[]') AS JSON[]) AS items"
            f" FROM {source} WHERE NOT draft))")


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
    it); a full save makes that version a dated snapshot. Returns the version number.

    Both are one upsert at (participant, next version), so there is never more than one draft. Two
    saves at once that reach for the same version conflict; the one retried reads the versions again
    and takes the next (the checks before it are not repeated)."""
    record = get_participant(cur, inventory.participant_id)
    require(actor, "profile.edit", record)
    _raise_problems(cur, inventory)
    row = snapshot_row(inventory.profile, inventory.details)

    def write() -> int:
        with transaction(cur):
            latest = cur.execute(
                "SELECT coalesce(max(version), 0) FROM profile_snapshots WHERE participant_id = ? AND NOT draft",
                [record.participant_id],
            ).fetchone()[0]
            version = latest + 1
            insert_snapshots(cur, [{
                **row, "participant_id": record.participant_id, "version": version, "draft": draft,
                "saved_at": dt.datetime.now(), "saved_by": actor.account_id, "source": source,
            }], replace=True)
            if not draft:
                cur.execute(
                    "UPDATE participants SET display_name = ? WHERE participant_id = ?",
                    [inventory.profile.display_name, record.participant_id],
                )
            audit(cur, actor.account_id, "profile.save_draft" if draft else "profile.save",
                  f"participant:{record.participant_id}")
        return version

    return retrying(cur, write, queue=[f"snapshots:{record.participant_id}"])


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
        [actor.account_id, subject, VIEW_AUDIT_MINUTES],
    ).fetchone()
    if recent is None:
        audit(cur, actor.account_id, "profile.view", subject)


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
        refused = sorted(wanted - {r.participant_id for r in records})
        raise NotAllowed(refusal=Refusal(actor.account_id, "profile.export", f"participant:{refused[0]}"))
    ids = id_frame([r.participant_id for r in records])
    cur.register("export_ids", ids)
    try:
        rows = cur.execute(
            "SELECT arg_max(profile, version), any_value(p.external_ref) FROM profile_snapshots"
            " JOIN export_ids USING (participant_id) JOIN participants p USING (participant_id)"
            " WHERE NOT draft GROUP BY participant_id ORDER BY participant_id"
        ).fetchall()
    finally:
        cur.unregister("export_ids")
    # The participant's external_ref is the one the record holds now (the snapshot may be older).
    exported = [{**{k: v for k, v in json.loads(row[0]).items() if k != "external_ref"},
                 **({"external_ref": row[1]} if row[1] else {})} for row in rows]
    if pseudonymise:  # names and the id in another system both lead back to the person
        for item in exported:
            item.pop("display_name", None)
            item.pop("external_ref", None)
    with transaction(cur):
        audit_many(cur, actor, "profile.export", [item["id"] for item in exported])
    return exported
