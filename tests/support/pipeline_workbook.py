"""Fixtures of the pipeline workbook tests: the programme team and cohort of tests/programme (made
once per test process in a template database), with the milestones of the two participants who chose
a venture, one session and one outcome; each test gets its own copy. Import the fixtures into a test
module by name."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from incubator.core import db
from incubator.core.access import Actor
from incubator.pipeline.workbook_export import export_workbook
from incubator.programme import milestones as ms
from incubator.programme import outcomes, sessions
from tests.programme.conftest import START, TODAY, make_group, make_team
from tests.support.databases import copy_database

__all__ = ["START", "TODAY", "exported", "milestone_rows", "workbook_app", "workbook_con", "workbook_template",
           "workbook_world"]


@pytest.fixture(scope="session")
def workbook_template(tmp_path_factory: pytest.TempPathFactory, market_template: Path) -> tuple[Path, dict, dict]:
    path = copy_database(market_template, tmp_path_factory.mktemp("templates") / "workbook.duckdb")
    con = db.connect(path)
    try:
        cur = con.cursor()
        team = make_team(cur)
        group = make_group(cur, team)
        manager, mentor = team["manager"], team["mentor"]
        for pid in (group["own"], group["amal"]):
            ms.instantiate(cur, actor=manager, participant_id=pid)
        sessions.log_session(cur, actor=mentor, participant_id=group["amal"], held_on=START + dt.timedelta(days=7),
                             duration_minutes=45, topics=["plan"], notes=None, next_steps=[],
                             today=TODAY)
        outcomes.record_outcome(cur, actor=mentor, participant_id=group["amal"], today=TODAY,
                                launched_on=dt.date(2027, 5, 1), jobs_fte=1.5)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path, team, group


@pytest.fixture
def workbook_con(workbook_template, tmp_path: Path):
    copy = copy_database(workbook_template[0], tmp_path / "workbook.duckdb")
    connection = db.connect(copy)
    yield connection
    connection.close()


@pytest.fixture
def workbook_world(workbook_con, workbook_template) -> tuple[duckdb.DuckDBPyConnection, dict[str, Actor], dict]:
    """(cursor, team, group) on this test's copy."""
    return workbook_con.cursor(), workbook_template[1], workbook_template[2]


@pytest.fixture
def workbook_app(app_env: Path, workbook_template) -> dict:
    """The template copied to the app's database file, for page tests."""
    copy_database(workbook_template[0], app_env)
    return {"team": workbook_template[1], **workbook_template[2]}


def exported(cur, actor: Actor, *, lang: str = "en", with_names: bool = False, today: dt.date = TODAY) -> bytes:
    buffer = io.BytesIO()
    export_workbook(cur, buffer, actor=actor, lang=lang, today=today, with_names=with_names)
    return buffer.getvalue()


def milestone_rows(content: bytes, sheet: str = "Milestones") -> tuple[object, object]:
    """The workbook (openpyxl) and its Milestones sheet, to edit as a manager would in Excel."""
    book = load_workbook(io.BytesIO(content))
    return book, book[sheet]
