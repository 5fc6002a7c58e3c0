"""The business plan in a real browser: a mentor chooses a venture on the Suggestions page, goes to
the business plan, starts it, fills the lean canvas, and sees the forecast with its charts; a newcomer
downloads the take-home plan in Arabic, which Chromium renders with Dutch and Arabic side by side
(each column with its own `dir`) and prints on A4. Screenshots of every page, on a desktop and on a
390x844 phone, in Dutch and Arabic, are saved in tests/artifacts/."""

from __future__ import annotations

import re

from incubator.core.i18n import translate
from incubator.plans import business_plan as bp
from incubator.suggestions import choices
from tests.support.scoring import quick_model

from .conftest import ARTIFACTS, prepared_newcomer, sign_in, wait_for_app

PASSWORD = "a long enough password"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


def _prepare(db_path, *, with_plan: bool) -> None:
    """The mentor and their participant Amal (a tailor, owned by the newcomer 'amal'), with a plan for
    tailoring when asked."""
    with prepared_newcomer(db_path, "amal", "Amal", password=PASSWORD) as (cur, mentor, record):
        if with_plan:
            choices.choose_venture(cur, actor=mentor, participant_id=record.participant_id,
                                   venture_id="cr_tailoring", model=quick_model())
            plan = bp.start_plan(cur, actor=mentor, participant_id=record.participant_id)
            bp.save_texts(cur, actor=mentor, plan_id=plan.plan_id, base_version=1,
                          canvas={"problem": "Klanten vinden geen kleermaker dichtbij.",
                                  "customer_segments": "النساء في الحي"})


def _nav(page, name: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True).click()


def _language(page, name: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("combobox").first.click()
    page.get_by_role("option", name=name).click()
    wait_for_app(page)


def _shots(page, name: str, marker) -> None:
    """A desktop and a phone screenshot of the page as it is now, with the marker scrolled into view
    (the phone one without reloading, so the session stays signed in)."""
    for size, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        marker().first.scroll_into_view_if_needed()
        marker().first.wait_for(state="visible")
        page.screenshot(path=str(ARTIFACTS / f"{name}_{suffix}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_mentor_chooses_a_venture_fills_the_canvas_and_sees_the_forecast(app_server, page):
    _prepare(app_server["db_path"], with_plan=False)
    page.goto(app_server["url"])
    wait_for_app(page)
    sign_in(page, "mentor-sara", PASSWORD)

    _nav(page, "Suggestions")
    choose = page.get_by_role("button", name="Choose this venture")
    choose.first.wait_for()
    wait_for_app(page)
    venture = page.get_by_test_id("stHeading").filter(has_text="1. ").first.inner_text().removeprefix("1. ").strip()
    choose.first.click()
    page.get_by_text("The venture was chosen for the business plan.").wait_for()
    page.get_by_role("link", name="Go to the business plan").click()

    page.get_by_role("button", name="Start the business plan for the chosen venture").click()
    page.get_by_text("Version 1, saved on").wait_for()
    wait_for_app(page)
    assert page.get_by_test_id("stHeading").filter(has_text=venture).count() >= 1
    page.get_by_label("Problem", exact=True).fill("Women in the area find no tailor <b>nearby</b>")
    page.get_by_label("Customers", exact=True).fill("Neighbours and the mosque's wedding parties")
    page.get_by_role("button", name="Save the canvas").click()
    page.get_by_text("Saved as version 2.").wait_for()
    wait_for_app(page)
    assert page.get_by_label("Problem", exact=True).input_value() == "Women in the area find no tailor <b>nearby</b>"

    _nav(page, "Financial forecast")
    page.get_by_text("The next 24 months").wait_for()
    charts = page.locator(".js-plotly-plot")
    charts.nth(1).wait_for()
    wait_for_app(page)
    assert charts.count() == 2
    assert page.get_by_test_id("stMetric").filter(has_text="Break-even month").count() == 1
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 1  # the cash line is drawn
    charts.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "plan_forecast_en_desktop.png"), full_page=True)


def test_the_take_home_plan_in_arabic_and_dutch_side_by_side(app_server, page, tmp_path):
    _prepare(app_server["db_path"], with_plan=True)
    page.goto(app_server["url"])
    wait_for_app(page)
    sign_in(page, "amal", PASSWORD)

    for language, code in (("Nederlands", "nl"), ("العربية", "ar")):
        _language(page, language)
        # Each page, with what shows that it has finished drawing, and what the screenshot should show.
        ready = {
            "Business plan": lambda code=code: page.get_by_label(translate("Problem", code), exact=True),
            "Financial forecast": lambda: page.locator(".js-plotly-plot").nth(1),
            "Funding routes": lambda: page.get_by_test_id("stHeading").filter(has_text="Qredits"),
            # the preview of the sheet, drawn in its own frame
            "Take-home plan": lambda: page.frame_locator("iframe").first.locator("h1").filter(has_text="Ondernemingsplan"),
        }
        for number, (title, marker) in enumerate(ready.items(), 1):
            _nav(page, translate(title, code))
            page.locator("h1.page-title").filter(has_text=translate(title, code)).wait_for()
            marker().first.wait_for()
            wait_for_app(page)
            assert page.locator("h1.page-title").get_attribute("dir") == ("rtl" if code == "ar" else "ltr")
            _shots(page, f"plan_{number}_{title.lower().replace(' ', '_').replace('-', '_')}_{code}", marker)

    with page.expect_download() as download:
        page.get_by_role("button", name="تنزيل خطة العمل").click()
    sheet_file = tmp_path / download.value.suggested_filename
    download.value.save_as(sheet_file)
    assert sheet_file.name.endswith("-ar.html")

    sheet = page.context.new_page()
    sheet.goto(sheet_file.as_uri())
    first_row = sheet.locator("table.bilingual tr").first
    dutch, arabic = first_row.locator("td").nth(0), first_row.locator("td").nth(1)
    assert (dutch.get_attribute("lang"), dutch.get_attribute("dir")) == ("nl", "ltr")
    assert (arabic.get_attribute("lang"), arabic.get_attribute("dir")) == ("ar", "rtl")
    assert arabic.evaluate("cell => getComputedStyle(cell).direction") == "rtl"
    left, right = dutch.bounding_box(), arabic.bounding_box()
    assert left["x"] + left["width"] <= right["x"] + 1 and abs(left["y"] - right["y"]) < 1  # side by side
    assert "Ondernemingsplan" in dutch.inner_text() and "خطة العمل" in arabic.inner_text()
    cells = sheet.locator("table.bilingual td[lang]")
    assert set(cells.evaluate_all("cells => cells.map(c => c.lang + ':' + c.dir)")) == {"nl:ltr", "ar:rtl"}
    assert sheet.get_by_text("النساء في الحي").count() == 2  # typed text appears as typed in both columns
    sheet.screenshot(path=str(ARTIFACTS / "plan_take_home_sheet_ar_nl.png"), full_page=True)
    sheet.set_viewport_size(PHONE)
    sheet.screenshot(path=str(ARTIFACTS / "plan_take_home_sheet_ar_nl_phone.png"), full_page=True)
    pdf = sheet.pdf(format="A4", print_background=True)
    (ARTIFACTS / "plan_take_home_sheet_ar_nl.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 5  # a page per part, at least
    sheet.close()
