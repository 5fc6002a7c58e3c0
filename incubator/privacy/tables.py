"""Where a person's data lives: every table that holds rows about one participant, found in the
database's own catalogue and classified here.

Export and erasure walk the same map, so that whatever one finds the other removes. A table with a
`participant_id` column is about one participant; a table without one can still be, through a key of
a table that has it (a plan's versions through `plan_id`). A new table with such a column that is not
classified here fails `tests/privacy/test_tables.py`; erasure removes its rows meanwhile anyway
(everything found by the catalogue is erased, classified or not), so that a forgotten table never
keeps a person's data."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

PERSON_KEY = "participant_id"

# How erasure treats a table with a participant_id column. "rows": every row of the person goes.
# "counted": the rows go after their anonymous counts are added to erased_outcome_counts.
# "last": the participant's own row, removed after everything that refers to it.
# "kept": the record that the pseudonymous id was erased (nothing else about the person is in it).
PERSON_TABLES: dict[str, str] = {
    "participants": "last",
    "participant_mentors": "rows",
    "profile_snapshots": "rows",
    "profile_snapshot_skills": "rows",
    "profile_snapshot_languages": "rows",
    "profile_snapshot_experience": "rows",
    "venture_choices": "rows",
    "venture_ideas": "rows",
    "suggestion_set_asides": "rows",
    "programme_outcomes": "counted",
    "plans": "rows",
    "cohort_members": "rows",
    "milestone_plans": "rows",
    "milestones": "rows",
    "mentoring_sessions": "rows",
    "session_next_steps": "rows",
    "programme_notes": "rows",
    "consents": "rows",
    "rectifications": "rows",
    "erasures": "kept",
    "participant_stage": "rows",  # the pipeline's stages, derived from the tables above (a cache)
}


@dataclass(frozen=True)
class ChildTable:
    """A table about a participant through a parent's key: its rows whose `key` is one of the parent's."""

    table: str
    key: str
    parent: str


CHILD_TABLES: tuple[ChildTable, ...] = (
    ChildTable("milestone_events", "milestone_id", "milestones"),
    ChildTable("plan_versions", "plan_id", "plans"),
    ChildTable("plan_comments", "plan_id", "plans"),
    ChildTable("plan_views", "plan_id", "plans"),
)
# The keys of person tables that other tables refer to; a table with one of these columns and no
# participant_id must be a ChildTable (or listed in NOT_ABOUT_A_PARTICIPANT with the reason).
PARENT_KEYS = ("milestone_id", "plan_id", "session_id", "choice_id", "idea_id", "note_id", "step_id", "outcome_id")
NOT_ABOUT_A_PARTICIPANT: dict[str, str] = {
    "account_sessions": "its session_id is a sign-in session of an account (erased with the account, ACCOUNT_TABLES)",
}

# The newcomer's own account (users.user_id = participants.owner_user_id): the user name may be their
# name; the sessions and sign-in counts belong to it.
ACCOUNT_TABLES = {"users": "user_id", "account_sessions": "user_id", "account_sign_ins": "user_id",
                  "oidc_identities": "user_id"}


def tables_with_column(cur: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    """The base tables of the main schema that have this column, from the catalogue."""
    rows = cur.execute(
        "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t"
        " ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name"
        " WHERE c.table_catalog = current_database() AND c.table_schema = 'main' AND c.column_name = ?"
        " AND t.table_type = 'BASE TABLE' ORDER BY c.table_name", [column]).fetchall()
    return [name for (name,) in rows]


def person_tables(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table with a participant_id column, classified or not, in the order erasure empties them
    (the participant's own row last)."""
    found = tables_with_column(cur, PERSON_KEY)
    return sorted(found, key=lambda name: (PERSON_TABLES.get(name) == "last", name))


def unclassified(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables that hold a participant's data (directly or through a parent key) but are not classified."""
    direct = [t for t in tables_with_column(cur, PERSON_KEY) if t not in PERSON_TABLES]
    children = {c.table for c in CHILD_TABLES}
    through_parent = sorted({t for key in PARENT_KEYS for t in tables_with_column(cur, key)}
                            - set(tables_with_column(cur, PERSON_KEY)) - children - set(NOT_ABOUT_A_PARTICIPANT))
    return direct + through_parent
