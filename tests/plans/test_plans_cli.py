"""The command line: plan create (choose a venture and start its plan), plan show --json (with the
break-even month and the living-income check), and forecast --out (a workbook read back with openpyxl:
the monthly table, euro formats and native charts)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from incubator.cli import main as cli
from incubator.core import db
from incubator.market import seed
from incubator.people import participants, snapshots
from incubator.plans.workbook import EURO_FORMAT
from tests.support.scoring import TAILOR, profile, quick_model_dir


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    """A database file with the market data and one participant with a saved profile, closed again."""
    path = str(tmp_path / "cli.duckdb")
    con = db.connect(path)
    cur = con.cursor()
    seed.load_market_data(cur)
    record = participants.create_participant(cur, actor=participants.COMMAND_LINE)
    snapshots.save_profile(cur, actor=participants.COMMAND_LINE, profile=profile(TAILOR, id=record.participant_id))
    con.close()
    monkeypatch.setattr("incubator.suggestions.model.MODELS_DIR", quick_model_dir())
    return path


def test_plan_create_show_and_forecast(database, tmp_path, capsys):
    assert cli.main(["--db", database, "plan", "create", "P-000001", "--venture", "cr_bakery"]) == 0
    assert "Artisan bakery (version 1)" in capsys.readouterr().out

    assert cli.main(["--db", database, "plan", "show", "P-000001", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["venture_id"] == "cr_bakery" and shown["status"] == "current"
    assert isinstance(shown["break_even_month"], int)
    living = shown["living_income"]
    assert living["norm_cents"] == 128_383 and living["norm_level"] == "2024" and living["household"] == "single"
    assert living["verdict"] in {"enough", "enough_later", "short"} and living["message"]
    assert len(shown["forecast"]["months"]) == 24 and "bbz_business_loan" in [r["route_id"] for r in shown["funding"]["routes"]]
    assert "forecast.price_cents" in shown["suggestions"]

    out = tmp_path / "forecast.xlsx"
    assert cli.main(["--db", database, "forecast", "P-000001", "--out", str(out), "--lang", "nl"]) == 0
    book = load_workbook(io.BytesIO(out.read_bytes()))
    table = book["Prognose"]
    assert [c.value for c in table[1]][:5] == ["Maand", "Kalendermaand", "Seizoensindex", "Verkoop", "Omzet"]
    months = list(table.iter_rows(min_row=2, max_row=25, values_only=True))
    assert [row[0] for row in months] == list(range(1, 25))
    assert [Decimal(str(row[12])) * 100 for row in months] == [Decimal(m["cash_cents"]) for m in shown["forecast"]["months"]]
    assert table.cell(2, 5).number_format == EURO_FORMAT
    totals = {row[0]: row for row in table.iter_rows(min_row=26, max_row=28, values_only=True)}
    assert Decimal(str(totals["Totaal"][4])) == sum(Decimal(str(r[4])) for r in months)
    assert len(table._charts) == 2
    assert {"Start en financiering", "Inkomen om van te leven", "Over"} <= set(book.sheetnames)


def test_plan_show_for_a_participant_without_a_plan_says_what_to_do(database, capsys):
    assert cli.main(["--db", database, "plan", "show", "P-000001"]) == 1
    assert "has no business plan yet" in capsys.readouterr().err


def test_plan_create_for_an_unknown_venture_is_refused_plainly(database, capsys):
    assert cli.main(["--db", database, "plan", "create", "P-000001", "--venture", "no_such_venture"]) == 1
    assert "Venture no_such_venture is not in the market data." in capsys.readouterr().err
