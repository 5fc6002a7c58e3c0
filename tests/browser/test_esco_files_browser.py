"""A cohort file as Dutch Excel saves it, in a real browser: the preview says how it was read, and the
same file uploaded a second time offers to update the participants instead of adding them again."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.market.seed import load_market_data

from .conftest import ARTIFACTS, sign_in, wait_for_app

PASSWORD = "a long enough password"
# Excel's plain "CSV" on Dutch Windows: Windows-1252, semicolons, decimal commas.
DUTCH_EXCEL = ("id;display_name;municipality;capital_eur;skills;external_ref\r\n"
               ";José;Amsterdam;2.500,50;S5.1:3;CRM-0042\r\n"
               ";Zoë;’s-Hertogenbosch;1250,75;S1.6:2;CRM-0043\r\n").encode("cp1252")


@pytest.fixture
def seeded_browser_db(tmp_path: Path) -> Path:
    """The database the app_server fixture will serve (same path), prepared before the server opens it."""
    db_path = tmp_path / "browser.duckdb"
    con = db.connect(db_path)
    load_market_data(con.cursor())
    users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username="first-admin", password=PASSWORD, role="admin")
    users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username="maria", password=PASSWORD, role="manager")
    con.close()
    return db_path


def test_a_dutch_excel_file_is_read_and_a_second_upload_offers_updates(seeded_browser_db, app_server, page, tmp_path):
    cohort = tmp_path / "cohort.csv"
    cohort.write_bytes(DUTCH_EXCEL)
    page.goto(app_server["url"])
    sign_in(page, "maria", PASSWORD)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Participants", exact=True).click()
    page.get_by_text("There are no participants yet.").wait_for()

    page.locator("input[type=file]").set_input_files(str(cohort))
    page.get_by_text("2 rows: 2 valid (2 new, 0 existing), 0 with problems.").wait_for()
    page.get_by_text("Read as Windows-1252, with semicolons between the columns.", exact=False).wait_for()
    page.get_by_role("button", name="Import 2 profiles").click()
    page.get_by_text("Imported: 2 new participants, 0 new snapshots.").wait_for()
    wait_for_app(page)
    expect(page.locator("input[type=file]")).to_have_count(1)  # a fresh uploader: the old one has gone

    page.locator("input[type=file]").set_input_files(str(cohort))
    page.get_by_text("2 rows: 2 valid (0 new, 2 existing), 0 with problems.").wait_for()
    expect(page.get_by_role("button", name="Import 2 profiles")).to_have_count(0)  # not before the question
    page.get_by_text("Update the 2 participants who are already here (same external reference)").click()
    page.get_by_role("button", name="Import 2 profiles").click()
    page.get_by_text("Imported: 0 new participants, 2 new snapshots.").wait_for()
    expect(page.get_by_role("button", name="Import 2 profiles")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "import_dutch_excel_updates.png"), full_page=True)
