"""Fixtures shared by the inventory tests (profiles, participants, import): a database with the market
dataset loaded, participants with mentors, and a fingerprint of everything an import may change."""

from __future__ import annotations

import duckdb
import pytest

from incubator import participants
from incubator.access import Actor
from incubator.seed import load_market_data

BAKER_URI = "http://data.europa.eu/esco/occupation/1aadb308-432a-4d01-b54b-b4f7f76dd419"
TABLES = ("participants", "participant_mentors", "profile_snapshots", "audit_log")


@pytest.fixture
def seeded(cur: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor on a migrated database with the market dataset (municipalities, skill groups,
    occupations) loaded by the market part's own loader."""
    load_market_data(cur)
    return cur


@pytest.fixture
def cohort(seeded: duckdb.DuckDBPyConnection, people: dict[str, Actor]) -> dict[str, str]:
    """Three participants: the newcomer's own record (mentored by the mentor), another mentored by
    the mentor, and one nobody mentors."""
    own = participants.create_participant(seeded, actor=people["newcomer"])
    mentored = participants.create_participant(seeded, actor=people["mentor"], display_name="Amal")
    other = participants.create_participant(seeded, actor=people["manager"], display_name="Yonas")
    participants.assign_mentor(seeded, actor=people["manager"], participant_id=own.participant_id,
                               mentor_user_id=people["mentor"].user_id)
    return {"own": own.participant_id, "mentored": mentored.participant_id, "other": other.participant_id}


def fingerprint(cur: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Every row of the tables an import writes, in a fixed order."""
    return {table: sorted(map(repr, cur.execute(f"SELECT * FROM {table}").fetchall())) for table in TABLES}


def test_fixtures_give_three_participants(cohort, seeded):
    assert seeded.execute("SELECT count(*) FROM participants").fetchone()[0] == 3
    assert seeded.execute("SELECT count(*) FROM municipalities").fetchone()[0] > 300
