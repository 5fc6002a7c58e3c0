"""A person's right of access: everything kept about one participant, as JSON and as a workbook
that a person can read, with who viewed or changed their data (the audit entries about them).

It walks the same map of tables as erasure (incubator.privacy.tables), so that a new table about a
participant shows up in the export as soon as it exists."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pandas as pd

from incubator.core.access import Actor, require
from incubator.core.audit import audit
from incubator.core.excel import SheetSpec, write_workbook
from incubator.core.i18n import N_, translate
from incubator.people.participants import get_participant
from incubator.privacy import tables

SECTION_LABELS = {
    "account": N_("Your account"),
    "participants": N_("Your record"),
    "profile_snapshots": N_("Your profile, every saved version"),
    "profile_snapshot_skills": N_("Your skills, every saved version"),
    "profile_snapshot_languages": N_("Your languages, every saved version"),
    "profile_snapshot_experience": N_("Your work experience, every saved version"),
    "participant_mentors": N_("Your mentors"),
    "venture_choices": N_("Ventures you chose"),
    "venture_ideas": N_("Your own ideas"),
    "suggestion_set_asides": N_("Ventures set aside"),
    "plans": N_("Your plans"),
    "plan_versions": N_("Your plans, every version"),
    "plan_comments": N_("Comments on your plans"),
    "plan_views": N_("Who read your plans"),
    "cohort_members": N_("Your group"),
    "milestone_plans": N_("Your milestone plan"),
    "milestones": N_("Your milestones"),
    "participant_stage": N_("Your stage in the programme"),
    "milestone_events": N_("Changes to your milestones"),
    "mentoring_sessions": N_("Your sessions"),
    "session_next_steps": N_("Next steps from your sessions"),
    "programme_notes": N_("Notes about you"),
    "programme_outcomes": N_("Your results"),
    "consents": N_("Your consents"),
    "rectifications": N_("Corrections you asked for"),
    "audit": N_("Who viewed or changed your data"),
}
ABOUT = N_("Everything Versnelling keeps about {participant_id}, made on {date}. Each sheet is one part.")
# Never part of anyone's export: secrets, not information about the person.
LEFT_OUT_COLUMNS = {"password_hash", "token_hash"}


@dataclass(frozen=True)
class PersonalData:
    participant_id: str
    made_on: dt.date
    sections: dict[str, pd.DataFrame]  # section key (a table name, "account" or "audit") -> rows

    def to_json(self) -> bytes:
        """Every section as a list of objects; JSON columns as nested objects."""
        body = {"participant_id": self.participant_id, "made_on": self.made_on.isoformat(),
                "sections": {key: [_plain_row(row) for row in frame.to_dict("records")]
                             for key, frame in self.sections.items()}}
        return json.dumps(body, ensure_ascii=False, indent=2, default=str).encode("utf-8")

    def to_workbook(self, lang: str) -> bytes:
        """One sheet per part with rows, titled in the reader's language; an opening sheet says what it is."""
        about = pd.DataFrame({"": [translate(ABOUT, lang, participant_id=self.participant_id,
                                             date=self.made_on.isoformat())]})
        sheets, used = [SheetSpec(translate(N_("About this file"), lang)[:31], about, width=100)], set()
        for key, frame in self.sections.items():
            if frame.empty:
                continue
            name = translate(SECTION_LABELS[key], lang) if key in SECTION_LABELS else key
            name = name[:28]
            while name in used:
                name += "+"
            used.add(name)
            readable = frame.map(_cell) if hasattr(frame, "map") else frame.applymap(_cell)
            readable.columns = [str(c).replace("_", " ") for c in frame.columns]
            sheets.append(SheetSpec(name, readable, width=24))
        return write_workbook(sheets)


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, float) and pd.isna(value):
        return None
    return value


def _plain_row(row: dict) -> dict:
    out = {}
    for column, value in row.items():
        value = _plain(value)
        if isinstance(value, str) and value[:1] in "{[":
            try:
                value = json.loads(value)
            except ValueError:
                pass
        out[column] = value
    return out


def _cell(value: object) -> object:
    """What a spreadsheet cell can hold: lists joined, numbers and dates as they are, missing as empty."""
    value = _plain(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if value is pd.NaT:
        return None
    return value


def _frame(cur: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    frame = cur.execute(sql, params).df()
    return frame.drop(columns=[c for c in frame.columns if c in LEFT_OUT_COLUMNS])


def collect(cur: duckdb.DuckDBPyConnection, participant_id: str) -> dict[str, pd.DataFrame]:
    """Every row about the participant, by table (no access check: callers check)."""
    owner = cur.execute("SELECT owner_user_id FROM participants WHERE participant_id = ?", [participant_id]).fetchone()
    sections: dict[str, pd.DataFrame] = {}
    if owner and owner[0] is not None:
        sections["account"] = _frame(cur, "SELECT username, role, active, created_at, password_changed_at"
                                          " FROM users WHERE user_id = ?", [owner[0]])
    found = tables.person_tables(cur)
    for table in sorted(found, key=lambda t: (t != "participants", t != "profile_snapshots", t)):
        if tables.PERSON_TABLES.get(table) == "kept":
            continue
        sections[table] = _frame(cur, f'SELECT * FROM "{table}" WHERE participant_id = ?', [participant_id])
    for child in tables.CHILD_TABLES:
        if child.parent in found and child.table not in found:
            sections[child.table] = _frame(
                cur, f'SELECT * FROM "{child.table}" WHERE {child.key} IN'
                     f' (SELECT {child.key} FROM "{child.parent}" WHERE participant_id = ?)', [participant_id])
    subjects = [f"participant:{participant_id}"] + ([f"user:{owner[0]}"] if owner and owner[0] is not None else [])
    sections["audit"] = _frame(
        cur, "SELECT a.happened_at, coalesce(u.username, 'command line') AS who, u.role, a.action, a.subject"
             " FROM audit_log a LEFT JOIN users u ON u.user_id = a.actor_user_id"
             " WHERE a.subject IN (SELECT unnest(?::VARCHAR[])) ORDER BY a.entry_id", [subjects])
    return sections


def export_personal_data(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str,
                         today: dt.date) -> PersonalData:
    """Everything about the participant: for the newcomer themself, or a manager for them. Audited."""
    require(actor, "privacy.export", get_participant(cur, participant_id))
    sections = collect(cur, participant_id)
    audit(cur, actor.account_id, "participant.export_personal_data", f"participant:{participant_id}")
    return PersonalData(participant_id, today, sections)
