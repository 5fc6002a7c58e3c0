"""The pipeline dashboard through the app (AppTest) on the hand-built cohort: a manager sees everyone, a
mentor only their own, a newcomer or a stakeholder cannot open it, filters change the figures, Dutch and
Arabic render, and synthetic participants are labelled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from incubator.core import db, i18n, participant_stage
from tests.pipeline.cohort import build
from tests.support.app import signed_in_app
from tests.support.databases import copy_database

PAGE = "app_pages/pipeline/dashboard.py"


@pytest.fixture
def app_cohort(app_env, market_template):
    copy_database(market_template, app_env)
    con = db.connect(app_env)
    try:
        people = build(con.cursor())
    finally:
        con.close()
    return {"people": people, "db_path": app_env}


def opened(app_cohort, who, lang="en"):
    at = signed_in_app(app_cohort["people"][who].user_id, lang=lang, page=PAGE).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def html(at):
    return "".join(h.value for h in at.get("html"))


def test_a_manager_sees_everyone_and_a_filter_changes_the_figures(app_cohort):
    at = opened(app_cohort, "manager")
    assert (metric(at, "Participants"), metric(at, "Ventures launched"), metric(at, "Running at 12 months")) == (
        "5", "2", "50%")
    assert not at.warning  # nothing synthetic here
    # The page judges against the real today: P1 left social assistance on 2025-06-01.
    today = dt.date.today()
    months = 12 * (today.year - 2025) + today.month - 6
    estimate = i18n.format_eur(Decimal("1283.83") * months, "en", cents=True)
    formula = (f"Months off social assistance ({months}) × the monthly norm for a single adult "
               f"({i18n.format_eur(Decimal('1283.83'), 'en', cents=True)}) = {estimate}")
    assert formula in [m.value for m in at.markdown]  # the norm in cents, so that the sum can be checked
    at.selectbox(key="pipeline.cohort").set_value(902).run()
    assert (metric(at, "Participants"), metric(at, "Ventures launched")) == ("1", "0")
    at.selectbox(key="pipeline.cohort").set_value(None).run()
    at.selectbox(key="pipeline.mentor").set_value(app_cohort["people"]["mentor_a"].user_id).run()
    assert metric(at, "Participants") == "2"


def test_a_mentor_sees_only_their_own_participants_without_a_mentor_filter(app_cohort):
    at = opened(app_cohort, "mentor_b")
    assert metric(at, "Participants") == "2"
    assert "pipeline.mentor" not in [s.key for s in at.selectbox]


@pytest.mark.parametrize("who", ["newcomer", "stakeholder"])
def test_a_newcomer_or_a_stakeholder_cannot_open_it(app_cohort, who):
    at = opened(app_cohort, who)
    assert "This page is not open to you" in html(at)
    assert not at.metric


@pytest.mark.parametrize(("lang", "title", "label"), [("nl", "Dashboard van de pijplijn", "Gestarte ondernemingen"),
                                                      ("ar", "لوحة مسار البرنامج", "المشاريع التي بدأت")])
def test_dutch_and_arabic_render(app_cohort, lang, title, label):
    at = opened(app_cohort, "manager", lang=lang)
    assert title in html(at)
    assert metric(at, label) in ("2", "٢")


def test_synthetic_participants_are_labelled(app_cohort):
    con = db.connect(app_cohort["db_path"])
    try:
        con.execute("UPDATE participants SET synthetic = TRUE WHERE participant_id IN ('P1', 'P2')")
        participant_stage.refresh(con, ["P1", "P2"])  # by hand, past the writers that keep the stages
    finally:
        con.close()
    at = opened(app_cohort, "manager")
    assert [w.value for w in at.warning] == [
        "Synthetic data: 2 of the 5 participants counted here are made up (a demo workspace), and so are the figures "
        "about them."]
