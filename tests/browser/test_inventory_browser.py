"""The inventory in a real browser: a newcomer signs in, switches to Arabic and completes the wizard,
right to left, then sees the summary with its charts."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.people.inventory import AMBITION_ITEMS, LIFE_DOMAINS, RIASEC_ITEMS
from tests.support.databases import copy_database

from .conftest import ARTIFACTS, sign_in, wait_for_app

PASSWORD = "a long enough password"


@pytest.fixture
def seeded_browser_db(tmp_path: Path, market_template: Path) -> Path:
    """The database the app_server fixture will serve (same path), with the market dataset, an
    administrator and a newcomer's account; prepared before the server opens the file."""
    db_path = copy_database(market_template, tmp_path / "browser.duckdb")
    con = db.connect(db_path)
    users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username="first-admin", password=PASSWORD, role="admin")
    users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username="layla", password=PASSWORD, role="newcomer")
    con.close()
    return db_path


def save_and_continue(page, next_number: int) -> None:
    page.get_by_role("button", name="احفظ وتابع").click()
    page.get_by_text(f"الخطوة {next_number} من 9").wait_for()
    wait_for_app(page)


def pick(page, label: str, typed: str, option: str) -> None:
    """Choose in a select box by typing part of an option, as a person would."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).get_by_role("combobox").first.click()
    page.keyboard.type(typed)
    page.get_by_role("option", name=option).first.click()


def answer_radios(page, option_index: int, count: int) -> None:
    """Answer the step's `count` 5-point questions with the same point (once all are drawn)."""
    groups = page.get_by_test_id("stForm").get_by_role("radiogroup")
    expect(groups).to_have_count(count)
    for index in range(count):
        option = groups.nth(index).locator("label").nth(option_index)
        option.scroll_into_view_if_needed()
        option.click()
        assert groups.nth(index).get_by_role("radio").nth(option_index).is_checked()


def test_newcomer_completes_the_wizard_in_arabic(seeded_browser_db, app_server, page):
    assert app_server["db_path"] == seeded_browser_db
    page.goto(app_server["url"])
    sign_in(page, "layla", PASSWORD)

    page.get_by_test_id("stSidebar").get_by_role("combobox").click()
    page.get_by_role("option", name="العربية").click()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="المهارات والطموحات", exact=True).click()
    page.get_by_role("button", name="ابدأ الجرد الخاص بي").click()
    page.get_by_text("الخطوة 1 من 9").wait_for()
    wait_for_app(page)
    heading = page.locator("h1.page-title")
    assert heading.get_attribute("dir") == "rtl" and heading.inner_text() == "المهارات والطموحات"

    # 1 About you
    page.get_by_label("اسمك (يمكنك تركه فارغًا)").fill("سارة أحمد")
    pick(page, "أين تسكن؟", "Amsterdam", "Amsterdam")
    page.get_by_label("في أي سنة جئت إلى هولندا؟").fill("2019")
    save_and_continue(page, 2)
    # 2 Languages
    pick(page, "الاستماع", "B1", "B1 · معظم المواقف اليومية")
    pick(page, "التحدث", "A2", "A2 · أمور يومية بسيطة")
    save_and_continue(page, 3)
    # 3 Education and work: a baker (typed in Arabic)
    pick(page, "المهنة", "خبّاز", "خبّاز")
    page.get_by_test_id("stForm").get_by_test_id("stNumberInput").first.locator("input").fill("4")
    save_and_continue(page, 4)
    # 4 Skills
    pick(page, "المهارة", "S3.5.1", "(S3.5.1)")
    save_and_continue(page, 5)
    # 5 Interests and 6 ambition: every item answered
    answer_radios(page, 4, len(RIASEC_ITEMS))
    save_and_continue(page, 6)
    answer_radios(page, 3, len(AMBITION_ITEMS))
    save_and_continue(page, 7)
    # 7 Situation
    page.get_by_label("مالك الخاص لمشروع (باليورو)").fill("2500")
    save_and_continue(page, 8)
    # 8 How things are going
    answer_radios(page, 3, len(LIFE_DOMAINS))
    pick(page, "أي درجة تناسبك أكثر الآن؟", "3", "3 · المشاركة في أنشطة منظمة (دورة، نادٍ)")
    save_and_continue(page, 9)

    page.get_by_text("سارة أحمد").wait_for()
    page.get_by_text("\u206675 / 100\u2069").wait_for()  # ambition: every item answered 4 of 5
    page.get_by_role("button", name="احفظ الجرد الخاص بي").click()
    page.get_by_text("تم الحفظ كنسخة رقم 1.").wait_for()
    direction = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=\"stMain\"]')).direction")
    assert direction == "rtl"
    page.screenshot(path=str(ARTIFACTS / "inventory_saved_arabic.png"), full_page=True)

    page.get_by_role("link", name="اعرض الملخص").click()
    page.get_by_text("المهارات حسب المجموعة").wait_for()
    wait_for_app(page)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(3)  # radar, life domains, skills; progress needs two saves
    page.screenshot(path=str(ARTIFACTS / "profile_summary_arabic.png"), full_page=True)


def test_manager_previews_a_cohort_file_and_imports_only_the_valid_rows(seeded_browser_db, app_server, page, tmp_path):
    con = db.connect(seeded_browser_db)
    users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username="maria", password=PASSWORD, role="manager")
    con.close()
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("id;display_name;municipality;dutch_cefr;skills\n"
                      ";سارة أحمد;Amsterdam;A2;\"S3.5.1:3; eten en drinken serveren:2\"\n"
                      ";Yonas;Atlantis;B1;\n"
                      ";Hana;GM0014;;S6.5.6:2\n", encoding="utf-8")
    page.goto(app_server["url"])
    sign_in(page, "maria", PASSWORD)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Participants", exact=True).click()
    page.get_by_text("There are no participants yet.").wait_for()
    page.locator("input[type=file]").set_input_files(str(cohort))
    page.get_by_text("3 rows: 2 valid (2 new, 0 existing), 1 with problems.").wait_for()
    page.get_by_text("Import only the 2 valid rows and skip the rows with problems").click()
    page.get_by_role("button", name="Import 2 profiles").click()
    page.get_by_text("Imported: 2 new participants, 0 new snapshots.").wait_for()
    wait_for_app(page)
    expect(page.get_by_role("button", name="Import 2 profiles")).to_have_count(0)  # the file is not offered again
