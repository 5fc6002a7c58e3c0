"""The market explorer page with AppTest: open for everyone (also signed out), filters narrow the
list, a venture opens with its skills, licences, funding routes and sources, in nl, en and ar."""

from __future__ import annotations

import pytest

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.market import catalogue as market
from tests.support.app import TEST_PASSWORD, signed_in_app
from tests.support.databases import copy_database

PAGE = "app_pages/market/explorer.py"
# The page's tables in order (AppTest does not expose a dataframe's key).
TABLES = ("ventures", "skills", "licences", "funding", "sources")


def table(at, name):
    return at.dataframe[TABLES.index(name)].value


def _ok(at):
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def market_app(app_env, market_template):
    """The app's database with the market data loaded and one account of each role."""
    con = db.connect(copy_database(market_template, app_env))
    cur = con.cursor()
    ids = {role: users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=f"page-{role}", password=TEST_PASSWORD, role=role)
           for role in ("admin", "manager", "newcomer")}
    counts = {family: n for family, n in cur.execute("SELECT family, count(*) FROM ventures GROUP BY 1").fetchall()}
    con.close()
    return {"ids": ids, "counts": counts}


def test_signed_out_visitor_explores_the_market(market_app):
    at = _ok(signed_in_app(None, page=PAGE).run())
    total = sum(market_app["counts"].values())
    captions = [c.value for c in at.caption]
    assert f"{total} ventures fit the filters." in captions
    assert any("ESCO classification of the European Commission" in c for c in captions)
    assert len(at.dataframe) == len(TABLES)


def test_filters_narrow_the_list(market_app):
    at = _ok(signed_in_app(None, page=PAGE).run())
    family_box = at.selectbox(key="market.family")
    craft_index = [None, "self_employment", "craft", "ethnic_entrepreneurship"].index("craft")
    _ok(family_box.select_index(craft_index).run())
    assert f"{market_app['counts']['craft']} ventures fit the filters." in [c.value for c in at.caption]
    _ok(at.number_input(key="market.max_capital").set_value(5000).run())
    _ok(at.selectbox(key="market.max_cefr").select_index(1).run())  # up to A2
    table_rows = table(at, "ventures")
    assert 0 < len(table_rows) < market_app["counts"]["craft"]


def test_opening_a_venture_shows_its_detail(market_app):
    at = _ok(signed_in_app(None, page=PAGE).run())
    box = at.selectbox(key="market.venture")
    index = next(i for i, name in enumerate(box.options) if name == "Restaurant of a home cuisine")
    _ok(box.select_index(index).run())
    assert at.subheader[0].value == "Restaurant of a home cuisine"
    licences = table(at, "licences")
    assert "Social Hygiene certificate (SVH)" in set(licences.iloc[:, 0])
    sources = table(at, "sources")
    assert "curated judgement" in set(sources["provenance"])


def test_the_page_speaks_arabic_and_dutch(market_app):
    at = _ok(signed_in_app(market_app["ids"]["newcomer"], lang="ar", page=PAGE).run())
    assert any("مستكشف السوق" in h.value for h in at.get("html"))
    assert any("تصنيف ESCO" in c.value for c in at.caption)
    at = _ok(signed_in_app(None, lang="nl", page=PAGE).run())
    assert any(c.value.endswith("ondernemingen passen bij de filters.") for c in at.caption)


def test_only_managers_see_the_local_upload(market_app):
    manager = _ok(signed_in_app(market_app["ids"]["manager"], page=PAGE).run())
    assert "Local market figures" in [e.label for e in manager.expander]
    newcomer = _ok(signed_in_app(market_app["ids"]["newcomer"], page=PAGE).run())
    assert "Local market figures" not in [e.label for e in newcomer.expander]


def test_an_empty_database_says_how_to_load_the_data(app_env):
    con = db.connect(app_env)
    users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username="page-admin", password=TEST_PASSWORD, role="admin")
    con.close()
    at = _ok(signed_in_app(None, page=PAGE).run())
    assert [i.value for i in at.info] == ["The market data is not loaded yet. Run: python -m incubator seed"]
    assert market.MARKET_NOT_LOADED == at.info[0].value
