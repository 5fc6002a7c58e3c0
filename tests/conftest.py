"""Fixtures shared by the tests: a temporary database, accounts of each role, and AppTest runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from incubator import accounts, db
from incubator.access import Actor

ROOT = Path(__file__).resolve().parents[1]
APP_PATH = str(ROOT / "streamlit_app.py")
SHARED = ROOT.parent / "shared"
TEST_PASSWORD = "correct horse battery"


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
        user_id = accounts.create_user(cur, actor=None, username=f"test-{role}", password=TEST_PASSWORD, role=role)
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


def signed_in_app(user_id: int | None, *, lang: str = "en", page: str | None = None):
    """An AppTest of the whole app with this account signed in (None: signed out)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.session_state["ui.lang"] = lang
    if user_id is not None:
        at.session_state["auth.user_id"] = user_id
        at.session_state["auth.last_seen"] = dt.datetime.now()
    if page is not None:
        at.switch_page(page)
    return at
