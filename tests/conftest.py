"""Fixtures shared by the tests: a temporary database, accounts of each role, and AppTest runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import Actor
from incubator.market.seed import load_market_data
from incubator.people import participants
from tests.support.app import TEST_PASSWORD


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "incubator.duckdb"


@pytest.fixture
def con(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated, empty database in a temporary file."""
    connection = db.connect(db_path)
    yield connection
    connection.close()


@pytest.fixture
def cur(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    return con.cursor()


@pytest.fixture
def people(cur: duckdb.DuckDBPyConnection) -> dict[str, Actor]:
    """One account of each role, all with TEST_PASSWORD."""
    made = {}
    for role in ("admin", "manager", "mentor", "newcomer"):
        user_id = users.create_user(cur, actor=None, username=f"test-{role}", password=TEST_PASSWORD, role=role)
        made[role] = Actor(user_id, role, f"test-{role}")
    return made


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, db_path: Path) -> Path:
    """Point the app at a fresh database file and clear Streamlit's caches."""
    import streamlit as st

    monkeypatch.setenv("INCUBATOR_DB", str(db_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield db_path
    st.cache_resource.clear()
    st.cache_data.clear()


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
