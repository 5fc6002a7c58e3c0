"""The market explorer's charts (AppTest, read from the figures the page sends): the opened venture's
sector stands out in the survival chart, and derived regional figures say "derived" on their bars."""

from __future__ import annotations

import json

import pytest

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.market import seed
from incubator.market.labels import labels_in
from tests.support.app import TEST_PASSWORD, signed_in_app

PAGE = "app_pages/market/explorer.py"


@pytest.fixture
def market_app(app_env):
    con = db.connect(app_env)
    seed.load_market_data(con.cursor())
    users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username="chart-admin", password=TEST_PASSWORD, role="admin")
    venture_names, sector_names = labels_in(con, "venture", "nl"), labels_in(con, "sector", "nl")
    sections = {venture_names[v]: section for v, section in con.execute("SELECT venture_id, sbi_section FROM ventures").fetchall()}
    survival_sections = {r[0] for r in con.execute(
        "SELECT sbi_code FROM sectors WHERE level = 'section' AND survival_5y_pct IS NOT NULL").fetchall()}
    con.close()
    return {"sections": sections, "sector_names": sector_names, "survival_sections": survival_sections}


def figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("with_figure", [True, False])
def test_the_survival_chart_marks_the_opened_ventures_sector(market_app, with_figure):
    at = signed_in_app(None, lang="nl", page=PAGE).run()
    box = at.selectbox(key="market.venture")
    published = market_app["survival_sections"]
    venture_index = next(i for i, name in enumerate(box.options)
                         if (market_app["sections"][name] in published) == with_figure)
    box.select_index(venture_index).run()
    assert not at.exception
    venture_name = box.options[venture_index]
    section = market_app["sections"][venture_name]
    survival = figures(at)[0]
    marked = [trace for trace in survival["data"] if trace["name"] == f"Sector van {venture_name}"]
    others = [trace for trace in survival["data"] if trace["name"] == "Andere sectoren"]
    missing = f"Het CBS publiceert geen overlevingscijfer voor de sector van {venture_name}."
    if with_figure:
        assert len(marked) == 1 and list(marked[0]["x"]) == [market_app["sector_names"][section]]
        assert market_app["sector_names"][section] not in others[0]["x"]
        assert missing not in [c.value for c in at.caption]
    else:  # nothing to mark: the page says so instead of leaving the reader to look for it
        assert not marked and missing in [c.value for c in at.caption]


def test_derived_regional_figures_say_so_on_their_bars(market_app):
    for lang, word, legend in (("en", "derived", "derived by the project"), ("nl", "afgeleid", None)):
        at = signed_in_app(None, lang=lang, page=PAGE).run()
        assert not at.exception
        density = figures(at)[1]
        derived = [trace for trace in density["data"] if legend is None or trace["name"] == legend]
        texts = [text for trace in derived for text in trace.get("text", [])]
        assert texts and word in texts
        if legend:  # every derived bar carries the word; published ones do not
            assert set(texts) == {"derived"}
            assert all(set(t.get("text", [])) <= {""} for t in density["data"] if t["name"] != legend)
