"""Fixtures of the programme tests: a team with one account of each role (a second mentor and a
stakeholder too), and a cohort of three in Utrecht whose intake and start are fixed dates, so that a
fixed TODAY says the same in every year the suite runs.

The team and the cohort are made once per test process in a template database (like the market
template of tests/conftest.py); a test that asks for `team` or `group` gets its own copy of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN, Actor
from incubator.people import participants, snapshots
from incubator.programme import cohorts
from incubator.suggestions import choices
from tests.support.app import TEST_PASSWORD
from tests.support.databases import copy_database
from tests.support.scoring import COOK, TAILOR, profile, quick_model

INTAKE = dt.date(2027, 1, 4)
START = dt.date(2027, 1, 11)
TODAY = dt.date(2027, 6, 1)


def set_intake(cur, participant_ids, day: dt.date = INTAKE) -> None:
    """Participants made now get a fixed intake date (the day their record was made)."""
    cur.execute("UPDATE participants SET created_at = ? WHERE participant_id IN (SELECT unnest(?))",
                [dt.datetime.combine(day, dt.time(9)), list(participant_ids)])


def make_team(cur) -> dict[str, Actor]:
    """One account of each role, a second mentor and a stakeholder."""
    made = {}
    for name, role in (("admin", "admin"), ("manager", "manager"), ("mentor", "mentor"), ("other_mentor", "mentor"),
                       ("newcomer", "newcomer"), ("stakeholder", "stakeholder")):
        user_id = users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=f"team-{name}", password=TEST_PASSWORD, role=role)
        made[name] = Actor(user_id, role, f"team-{name}")
    return made


def make_group(cur, team: dict[str, Actor]) -> dict:
    """A cohort starting on START in Utrecht: the newcomer's own record (a tailor who chose
    made-to-measure tailoring), Amal Haddad (a cook who chose catering) and Yonas Tesfay (no venture
    chosen yet), all mentored by the mentor."""
    manager, mentor = team["manager"], team["mentor"]
    # Only a manager binds a newcomer's account to a record; the mentor is then assigned.
    own = participants.create_participant(cur, actor=manager, owner_user_id=team["newcomer"].user_id, display_name="Sara B")
    participants.assign_mentor(cur, actor=manager, participant_id=own.participant_id, mentor_user_id=mentor.user_id)
    amal = participants.create_participant(cur, actor=mentor, display_name="Amal Haddad")
    yonas = participants.create_participant(cur, actor=mentor, display_name="Yonas Tesfay")
    snapshots.save_profile(cur, actor=mentor, profile=profile(TAILOR, id=own.participant_id, display_name="Sara B"))
    snapshots.save_profile(cur, actor=mentor, profile=profile(COOK, id=amal.participant_id, display_name="Amal Haddad",
                                                              municipality="GM0344"))
    snapshots.save_profile(cur, actor=mentor, profile=profile(TAILOR, id=yonas.participant_id, display_name="Yonas Tesfay"))
    choices.choose_venture(cur, actor=mentor, participant_id=own.participant_id, venture_id="cr_tailoring",
                           model=quick_model())
    choices.choose_venture(cur, actor=mentor, participant_id=amal.participant_id, venture_id="et_catering",
                           model=quick_model())
    ids = [own.participant_id, amal.participant_id, yonas.participant_id]
    set_intake(cur, ids)
    cohort = cohorts.create_cohort(cur, actor=manager, name="Spring 2027", start_on=START, municipality="GM0344",
                                   programme="Versnelling Utrecht")
    cohorts.add_participants(cur, actor=manager, cohort_id=cohort.cohort_id, participant_ids=ids)
    return {"cohort_id": cohort.cohort_id, "own": ids[0], "amal": ids[1], "yonas": ids[2], "ids": ids}


@pytest.fixture(scope="session")
def programme_template(tmp_path_factory: pytest.TempPathFactory, market_template: Path) -> tuple[Path, dict, dict]:
    """The seeded database with the team and the group, made once per test process."""
    path = copy_database(market_template, tmp_path_factory.mktemp("templates") / "programme.duckdb")
    con = db.connect(path)
    try:
        cur = con.cursor()
        team = make_team(cur)
        group = make_group(cur, team)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path, team, group


@pytest.fixture
def con(db_path: Path, request: pytest.FixtureRequest):
    """As in tests/conftest.py, but a test that asks for the team or the group starts from a copy of
    the programme template (which has them both)."""
    if {"team", "group"} & set(request.fixturenames):
        template = request.getfixturevalue("programme_template")[0]
    else:
        template = request.getfixturevalue("market_template" if "seeded" in request.fixturenames else "migrated_template")
    copy_database(template, db_path)
    connection = db.connect(db_path)
    yield connection
    connection.close()


@pytest.fixture
def team(seeded, programme_template) -> dict[str, Actor]:
    """The team of the template (in this test's copy)."""
    return programme_template[1]


@pytest.fixture
def group(seeded, programme_template) -> dict:
    """The cohort of the template (in this test's copy)."""
    return programme_template[2]


@pytest.fixture
def app_group(app_env: Path, programme_template) -> dict:
    """The template copied to the app's database file (no connection left open), for page tests."""
    copy_database(programme_template[0], app_env)
    return {"team": programme_template[1], **programme_template[2]}
