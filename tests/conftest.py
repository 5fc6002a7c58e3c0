"""Fixtures shared by the tests: a temporary database, accounts of each role, and AppTest runs.

Three things keep the suite fast without changing what a test means:
- passwords are hashed with argon2's cheapest parameters in the test process (production keeps the
  library's strong defaults; tests/accounts checks both and that each verifies the other's hashes);
- migrating and loading the market data happen once per test process, into checkpointed template
  files; each test gets its own copy in its tmp_path (`con` copies the seeded template when the test
  asks for `seeded`, directly or through `cohort`, and the migrated empty one otherwise);
- Streamlit's scan of the installed packages for components is done once per test process, not once
  per AppTest (see `one_component_scan`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from argon2 import PasswordHasher, profiles

from incubator.accounts import passwords, users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN, Actor
from incubator.market import catalogue
from incubator.market.seed import load_market_data
from incubator.people import participants
from tests.support.app import TEST_PASSWORD
from tests.support.databases import copy_database

# argon2 "only for testing" parameters: a hash takes microseconds instead of half a second.
CHEAP_HASHER = PasswordHasher.from_parameters(profiles.CHEAPEST)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[PasswordHasher]:
    """Swap the password hasher of this test process for the cheap one. `streamlit run` servers of
    the browser tests keep the strong one; they verify the cheap hashes the tests store, because an
    argon2 hash carries its own parameters."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", CHEAP_HASHER)
        yield CHEAP_HASHER


@pytest.fixture(scope="session", autouse=True)
def one_component_scan() -> Iterator[None]:
    """Each AppTest's first run scans every installed distribution's metadata for Streamlit components
    (Streamlit 1.67, `BidiComponentManager.discover_and_register_components`): 0.08 s of parsing the
    same 94 METADATA files for every AppTest made. The page and language-picker tests took 34 s with
    it and 18 s without. What is installed does not change while the tests run: the answer is kept."""
    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests",
                      functools.cache(manifest_scanner.scan_component_manifests))
        yield


def _template(folder: Path, name: str, *, with_market: bool) -> Path:
    path = folder / name
    con = db.connect(path)
    if with_market:
        load_market_data(con.cursor())
    con.execute("CHECKPOINT")
    con.close()
    assert not path.with_name(name + ".wal").exists()  # everything is in the one file a copy takes
    return path


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with every migration applied and nothing else (made once per test process)."""
    return _template(tmp_path_factory.mktemp("templates"), "migrated.duckdb", with_market=False)


@pytest.fixture(scope="session")
def market_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database file with the market data loaded by the market part's own loader (once per
    test process). Copy it with tests.support.databases.copy_database; never open it."""
    return _template(tmp_path_factory.mktemp("templates"), "market.duckdb", with_market=True)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where this test's database file is (not created: `con` or the app creates it)."""
    return tmp_path / "incubator.duckdb"


@pytest.fixture
def con(db_path: Path, request: pytest.FixtureRequest) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated, empty database in a temporary file (with the market data when the test uses
    `seeded`)."""
    template = "market_template" if "seeded" in request.fixturenames else "migrated_template"
    copy_database(request.getfixturevalue(template), db_path)
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
        user_id = users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=f"test-{role}", password=TEST_PASSWORD, role=role)
        made[role] = Actor(user_id, role, f"test-{role}")
    return made


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, db_path: Path) -> Path:
    """Point the app at this test's database file and clear Streamlit's caches."""
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
    occupations) loaded by the market part's own loader: `cur`, on a copy of the seeded template."""
    assert catalogue.is_loaded(cur)
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
