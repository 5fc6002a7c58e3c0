"""How ventures can start (the review of premises and hours): the seed validates the ways to start
and the fewest hours a week, naming file, line and column; a database made before migration 007
keeps its ventures; the catalogue and the market explorer filter on the ways to start."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.market import catalogue as market
from incubator.market import seed
from incubator.market import taxonomy as tx
from tests.market.test_seed import DATA, edit, set_cell, snapshot
from tests.support.app import TEST_PASSWORD, signed_in_app


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def loaded(cur, data_dir):
    seed.load_market_data(cur, data_dir)
    return cur


def reviewed() -> dict[str, dict[str, str]]:
    with (DATA / "ventures.csv").open(encoding="utf-8", newline="") as handle:
        return {row["venture_id"]: row for row in csv.DictReader(handle)}


CASES = {
    "an unknown way to start": (set_cell(0, "start_options", "home;garage"), seed.NOT_A_CHOICE,
                                {"line": 2, "column": "start_options", "value": "garage"}),
    "a way to start twice": (set_cell(0, "start_options", "home;mobile;home"), seed.DUPLICATE,
                             {"line": 2, "column": "start_options", "value": "home;mobile;home"}),
    "no way to start": (set_cell(0, "start_options", ""), seed.REQUIRED, {"line": 2, "column": "start_options"}),
    "the usual premises not among the ways to start": (
        set_cell("cr_tailoring", "start_options", "home;shared_workshop"), seed.START_WITHOUT_PREMISES,
        {"line": list(reviewed()).index("cr_tailoring") + 2, "column": "start_options", "premises": "workshop",
         "option": "own_premises"}),
    "more hours to start than it usually takes": (set_cell(0, "hours_min_per_week", "40"), seed.WRONG_ORDER,
                                                  {"line": 2, "column": "hours_per_week", "other": "hours_min_per_week",
                                                   "other_value": 40}),
    "hours to start not a whole number": (set_cell(1, "hours_min_per_week", "ten"), seed.NOT_INTEGER,
                                          {"line": 3, "column": "hours_min_per_week", "value": "ten"}),
    "no hours at all": (set_cell(2, "hours_min_per_week", "0"), seed.OUT_OF_RANGE,
                        {"line": 4, "column": "hours_min_per_week", "value": "0"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_ways_to_start_or_hours_are_rejected_with_file_line_and_column(loaded, data_dir, case):
    change, key, params = CASES[case]
    before = snapshot(loaded)
    edit(data_dir, "ventures.csv", change)
    with pytest.raises(seed.SeedRejected) as rejected:
        seed.load_market_data(loaded, data_dir)
    assert rejected.value.message_key == key
    expected = {"file": "ventures.csv", **params}
    assert {k: rejected.value.params.get(k) for k in expected} == expected
    assert rejected.value.english().startswith(f"ventures.csv, line {params['line']}, column ")
    assert snapshot(loaded) == before


def test_the_review_lets_crafts_start_at_home_in_a_shared_workshop_or_at_a_market_stall():
    rows = reviewed()
    ways = {v: set(r["start_options"].split(";")) for v, r in rows.items()}
    assert {"cr_tailoring", "cr_alterations", "cr_upholstery", "cr_carpet_weaving", "et_catering"} <= {
        v for v, w in ways.items() if "home" in w}
    assert "shared_workshop" in ways["cr_furniture_maker"] and "home" not in ways["cr_car_repair"]
    assert {"se_market_trader", "et_fabric_shop"} <= {v for v, w in ways.items() if "market_stall" in w}
    assert set().union(*ways.values()) == set(tx.START_OPTION_LABELS)
    for v, r in rows.items():
        assert tx.START_OPTION_OF_PREMISES[r["premises"]] in ways[v], v
        assert 1 <= int(r["hours_min_per_week"]) <= int(r["hours_per_week"]), v
        assert "see SOURCES.md" in r["source"] and r["provenance"] == "curated"


def test_a_database_made_before_migration_007_keeps_its_ventures(db_path):
    con = db.connect(db_path, migrate_now=False)
    cur = con.cursor()
    db.applied_migrations(cur)
    for number, name, sql_file in db.migrations():
        if number < 7:
            cur.execute(sql_file.read_text(encoding="utf-8"))
            cur.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
    seasons = ", ".join(f"season_{m:02d}" for m in range(1, 13))
    cur.execute(f"""INSERT INTO ventures (venture_id, name_nl, name_en, name_ar, family, sbi_section, sbi2008,
        esco_occupation_uri, isco, skills_required, cefr_typical, capital_low_eur, capital_typical_eur,
        capital_high_eur, premises, hours_per_week, riasec, {seasons}, jobs_potential, revenue_month_low_eur,
        revenue_month_high_eur, provenance)
        VALUES ('cr_tailoring', 'Maatkleding', 'Tailoring', 'خياطة', 'craft', 'C', '14.13', 'uri', '7531',
        'S6.5.6:1.0', 'A2', 2000, 5000, 12000, 'workshop', 40, 'RA', {", ".join(["1.0"] * 12)}, 1, 1000, 3000,
        'curated')""")
    assert db.migrate(con)[0] == 7  # 007 first; later migrations follow
    assert cur.execute("SELECT venture_id, premises, start_options, hours_min_per_week FROM ventures").fetchall() == [
        ("cr_tailoring", "workshop", "own_premises", 40)]
    seed.load_market_data(cur)  # the next seed brings the reviewed values
    assert cur.execute("SELECT start_options FROM ventures WHERE venture_id = 'cr_tailoring'").fetchone()[0] == \
        reviewed()["cr_tailoring"]["start_options"]
    con.close()


def test_the_catalogue_filters_on_the_ways_to_start(loaded):
    at_a_stall = market.list_ventures(loaded, start="market_stall")
    assert len(at_a_stall) == sum("market_stall" in r["start_options"].split(";") for r in reviewed().values())
    assert all("market_stall" in s.split(";") for s in at_a_stall.start_options)
    either = market.list_ventures(loaded, start=["market_stall", "home"], family="craft")
    assert "cr_tailoring" in set(either.venture_id) and set(either.family) == {"craft"}
    assert len(market.list_ventures(loaded)) == len(reviewed())


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_market_explorer_filters_on_the_ways_to_start(app_env, lang):
    con = db.connect(app_env)
    seed.load_market_data(con.cursor())
    users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username="page-admin", password=TEST_PASSWORD, role="admin")
    con.close()  # with an account the app shows its pages, not the first administrator's set-up
    at = signed_in_app(None, lang=lang, page="app_pages/market/explorer.py").run()
    assert not at.exception
    at.multiselect(key="market.start").set_value(["market_stall"]).run()
    assert not at.exception
    expected = sum("market_stall" in r["start_options"].split(";") for r in reviewed().values())
    caption = {"en": f"{expected} ventures fit the filters.", "nl": f"{expected} ondernemingen passen bij de filters."}
    assert caption[lang] in [c.value for c in at.caption]
    label = {"en": "At a market stall", "nl": "Op een marktkraam"}[lang]
    assert all(label in ways for ways in at.dataframe[0].value["start_options"])
