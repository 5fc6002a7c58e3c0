"""Suggestions in a real browser: a mentor signs in, opens the suggestions for their participant,
reads why the first venture fits, and chooses it for the business plan."""

from __future__ import annotations

from playwright.sync_api import expect

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.people import participants, snapshots
from incubator.people.profile import Profile
from tests.support.databases import copy_database
from tests.support.scoring import TAILOR

from .conftest import ARTIFACTS, sign_in, wait_for_app

PASSWORD = "a long enough password"


def _prepare(db_path, market_template) -> None:
    """Market data, an administrator, a mentor and their participant (a tailor), before the server
    first opens the file."""
    con = db.connect(copy_database(market_template, db_path))
    cur = con.cursor()
    users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="first-admin", password=PASSWORD, role="admin")
    mentor_id = users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="mentor-sara", password=PASSWORD, role="mentor")
    mentor = users.get_actor(cur, mentor_id)
    record = participants.create_participant(cur, actor=mentor, display_name="Amal")
    snapshots.save_profile(cur, actor=mentor, profile=Profile.from_dict(TAILOR | {"id": record.participant_id,
                                                                                        "display_name": "Amal"}))
    con.close()


def test_mentor_opens_suggestions_for_a_participant_and_chooses_one(app_server, page, market_template):
    _prepare(app_server["db_path"], market_template)
    page.goto(app_server["url"])
    wait_for_app(page)
    sign_in(page, "mentor-sara", PASSWORD)

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Suggestions", exact=True).click()
    page.get_by_text("never a verdict").wait_for()
    choose = page.get_by_role("button", name="Choose this venture")
    expect(choose).to_have_count(5)
    wait_for_app(page)
    first = page.get_by_test_id("stHeading").filter(has_text="1. ").first.inner_text()
    # The mentor reads about Amal (third person); names and labels are isolated for mixed directions.
    page.get_by_text("\u2068Amal\u2069's skills in \u2068fabricating garments and textile products\u2069 match this venture"
                     ).first.wait_for()

    choose.first.click()
    page.get_by_text("The venture was chosen for the business plan.").wait_for()
    wait_for_app(page)
    chosen = page.get_by_text("Chosen for the business plan: ")
    chosen.wait_for()
    assert first.removeprefix("1. ").strip() in chosen.inner_text()
    page.screenshot(path=str(ARTIFACTS / "suggestions_chosen.png"), full_page=True)
