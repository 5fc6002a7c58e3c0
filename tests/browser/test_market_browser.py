"""The market explorer in a real browser: a visitor who is not signed in filters the market and
opens a venture."""

from playwright.sync_api import expect

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN
from tests.support.databases import copy_database

from .conftest import ARTIFACTS, wait_for_app


def _prepare(db_path, market_template) -> dict[str, int]:
    """The market data and an administrator, before the server first opens the file."""
    con = db.connect(copy_database(market_template, db_path))
    cur = con.cursor()
    users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="first-admin", password="a long enough password", role="admin")
    counts = dict(cur.execute("SELECT family, count(*) FROM ventures GROUP BY 1").fetchall())
    con.close()
    return counts


def _choose(page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def test_visitor_filters_the_market_and_opens_a_venture(app_server, page, market_template):
    counts = _prepare(app_server["db_path"], market_template)
    page.goto(app_server["url"])
    wait_for_app(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Market explorer", exact=True).click()
    page.get_by_text(f"{sum(counts.values())} ventures fit the filters.").wait_for()

    _choose(page, "Family", "Craft")
    page.get_by_text(f"{counts['craft']} ventures fit the filters.").wait_for()

    _choose(page, "Open a venture", "Barbershop")
    page.get_by_role("heading", name="Barbershop").wait_for()
    page.get_by_text("Licences and certificates").wait_for()
    page.get_by_text("Sources of these figures").wait_for()
    expect(page.get_by_text("This service uses the ESCO classification of the European Commission.")).to_have_count(1)
    page.get_by_role("tab", name="Business density by region").click()
    page.get_by_text("Derived figures assume the national density").wait_for()
    page.screenshot(path=str(ARTIFACTS / "market_barbershop.png"), full_page=True)
