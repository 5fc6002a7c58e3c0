"""The pipeline dashboard in a real browser: a manager opens it on the hand-built cohort of
tests/pipeline/cohort.py, sees the five participants, picks a cohort in the filter and the figures
change to its one participant; the map and the charts are drawn. A phone-sized screenshot is saved in
tests/artifacts/."""

from __future__ import annotations

from playwright.sync_api import expect

from incubator.core import db
from incubator.market import seed
from tests.pipeline.cohort import build
from tests.support.app import TEST_PASSWORD

from .conftest import ARTIFACTS, sign_in, wait_for_app


def _prepare(db_path) -> None:
    con = db.connect(db_path)
    try:
        cur = con.cursor()
        seed.load_market_data(cur)
        build(cur)
    finally:
        con.close()


def _metric(page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).first.get_by_test_id("stMetricValue")


def test_a_manager_filters_the_dashboard_by_cohort(app_server, page):
    _prepare(app_server["db_path"])
    page.goto(app_server["url"])
    wait_for_app(page)
    sign_in(page, "pl-manager", TEST_PASSWORD)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Pipeline dashboard", exact=True).click()
    wait_for_app(page)
    expect(_metric(page, "Participants")).to_have_text("5")
    expect(_metric(page, "Ventures launched")).to_have_text("2")
    page.locator(".js-plotly-plot").first.wait_for()

    page.get_by_test_id("stSelectbox").filter(has_text="Cohort").click()
    page.get_by_role("option", name="C2", exact=True).click()
    wait_for_app(page)
    expect(_metric(page, "Participants")).to_have_text("1")
    expect(_metric(page, "Ventures launched")).to_have_text("0")
    expect(page.locator(".js-plotly-plot .choroplethlayer, .js-plotly-plot .geolayer").first).to_be_attached()

    page.set_viewport_size({"width": 390, "height": 844})
    wait_for_app(page)
    page.screenshot(path=str(ARTIFACTS / "pipeline_dashboard_phone.png"), full_page=True)
