"""The workshop view in a real browser: a mentor opens it for a cohort of twelve, hides the names
(initials), ticks three milestones done in the check-in table and saves them in one go; the overdue
list shrinks by three. Then the workshop view and the milestones page in Arabic, on a desktop and a
390x844 phone, are saved as screenshots in tests/artifacts/."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.market import seed
from incubator.people import participants
from incubator.programme import cohorts
from incubator.programme import milestones as ms

from .conftest import ARTIFACTS, sign_in, wait_for_app

PASSWORD = "a long enough password"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
NAMES = ("Amal Haddad", "Yonas Tesfay", "Olena Koval", "Samir Nasser", "Hiwet Berhe", "Reza Karimi",
         "Fatima Idris", "Dawit Alem", "Leyla Demir", "Omar Saleh", "Selam Tekle", "Nadia Rahimi")
ROW_PX = 35  # the data editor's header and row height


def _prepare(db_path) -> None:
    """A cohort of twelve that started 100 days ago, mentored by mentor-sara, each with the common
    milestones: the first three of each are overdue (36 in all)."""
    con = db.connect(db_path)
    cur = con.cursor()
    seed.load_market_data(cur)
    users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="first-admin", password=PASSWORD, role="admin")
    manager = users.get_actor(cur, users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="manager-ed", password=PASSWORD,
                                                     role="manager"))
    mentor = users.get_actor(cur, users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="mentor-sara", password=PASSWORD,
                                                    role="mentor"))
    ids = [participants.create_participant(cur, actor=mentor, display_name=name).participant_id for name in NAMES]
    cohort = cohorts.create_cohort(cur, actor=manager, name="Workshop group", municipality="GM0344",
                                   start_on=dt.date.today() - dt.timedelta(days=100), programme="Versnelling")
    cohorts.add_participants(cur, actor=manager, cohort_id=cohort.cohort_id, participant_ids=ids)
    for pid in ids:
        ms.instantiate(cur, actor=mentor, participant_id=pid)
    con.close()


def _nav(page, name: str) -> None:
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link").first.wait_for()
    wait_for_app(page)
    more = page.get_by_test_id("stSidebar").get_by_text(re.compile(r"View \d+ more"))
    if more.count():  # the sidebar shows the first pages only until asked
        more.click()
    nav.get_by_role("link", name=name, exact=True).click()
    wait_for_app(page)


def _wait_for_the_rerun_of_an_edit(page) -> None:
    """An edit in the grid starts a rerun a moment later: wait until it has started (unless it has
    already run and ended), then until it has ended, so the next click lands on the redrawn grid."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.locator("[data-testid='stApp'][data-test-script-state='running']").wait_for(state="attached", timeout=3000)
    except PlaywrightTimeout:
        pass  # the rerun was over before we looked
    wait_for_app(page)


def test_a_mentor_hides_names_ticks_three_milestones_and_the_overdue_list_shrinks(app_server, page):
    _prepare(app_server["db_path"])
    page.goto(app_server["url"])
    wait_for_app(page)
    sign_in(page, "mentor-sara", PASSWORD)
    _nav(page, "Workshop view")
    board = page.locator(".st-key-workshop_board table")
    board.wait_for()
    assert board.get_by_text("Amal Haddad").count() == 1
    page.get_by_text("36 are overdue.").wait_for()

    page.get_by_test_id("stRadio").get_by_text("Initials").click()
    wait_for_app(page)
    board.get_by_text("A. H.").wait_for()
    expect(page.get_by_text("Amal Haddad")).to_have_count(0)  # nowhere on the screen, once the rerun is drawn

    grid = page.get_by_test_id("stDataFrameResizable").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 120, box["y"] + ROW_PX * 1.5)  # focus the grid first (a read-only cell)
    wait_for_app(page)
    for row in range(3):  # the "Done" cell of the first three people: select it, the space bar ticks it
        page.mouse.click(box["x"] + 30, box["y"] + ROW_PX * (row + 1) + ROW_PX / 2)
        page.keyboard.press(" ")
        _wait_for_the_rerun_of_an_edit(page)  # each edit reruns the page; the next click waits for it
    page.get_by_test_id("stHeading").filter(has_text="Check-ins").click()  # the grid lets go of its last edit
    wait_for_app(page)
    page.get_by_role("button", name="Save the check-ins").click()
    page.get_by_text("Saved 3 check-ins.").wait_for()
    page.get_by_text("33 are overdue.").wait_for()
    wait_for_app(page)

    picker = page.get_by_test_id("stSidebar").get_by_role("combobox").first
    picker.scroll_into_view_if_needed()
    picker.click()
    option = page.get_by_role("option", name="العربية")
    if not option.is_visible():  # the click landed while the page was still drawing: open the list again
        wait_for_app(page)
        picker.click()
    option.click()
    wait_for_app(page)
    for title, name, marker in (("عرض الورشة", "workshop", ".st-key-workshop_board table"),
                                ("المراحل", "milestones", ".js-plotly-plot")):
        _nav(page, title)
        page.locator(marker).first.wait_for()
        wait_for_app(page)
        for size, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
            page.set_viewport_size(size)
            page.locator(marker).first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"programme_{name}_ar_{suffix}.png"), full_page=True)
            if name == "workshop" and size is PHONE:
                # Every cell of the board on the phone's screen: none cut off at the left (right to left).
                boxes = page.locator(".st-key-workshop_board td").evaluate_all(
                    "cells => cells.map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right]; })")
                assert boxes and all(left >= 0 and right <= PHONE["width"] for left, right in boxes), boxes[:5]
        page.set_viewport_size(DESKTOP)
