"""The command line: `suggest --json` lists the ventures a person's constraints rule out after the
suggestions, each with its barriers and what would open them; the text output names them too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from incubator.cli import main as cli
from incubator.core import db
from tests.support.scoring import TAILOR, quick_model_dir, with_market


@pytest.fixture(scope="module")
def db_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli-ruled-out") / "incubator.duckdb"
    con = db.connect(path)
    with_market(con.cursor())
    con.close()
    return path


def suggest(db_file: Path, tmp_path: Path, capsys, *args: str, **changes) -> str:
    (tmp_path / "person.json").write_text(json.dumps(TAILOR | changes), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["--db", str(db_file), "suggest", str(tmp_path / "person.json"), *args,
                     "--models-dir", str(quick_model_dir())]) == 0
    return capsys.readouterr().out


def test_suggest_json_lists_what_few_hours_rule_out(db_file, tmp_path, capsys):
    items = json.loads(suggest(db_file, tmp_path, capsys, "--json", hours_per_week=8))
    suggested = [i for i in items if i["status"] == "suggested"]
    ruled_out = [i for i in items if i["status"] == "ruled_out"]
    assert items == suggested + ruled_out  # the suggestions first
    assert 0 < len(suggested) < 5
    assert [i["venture_id"] for i in ruled_out] == ["cr_alterations", "cr_tailoring", "cr_upholstery"]
    tailoring = ruled_out[1]
    assert tailoring["barriers"] == [{"kind": "hours", "text": "It needs at least 12 hours a week; you have 8",
                                      "openings": ["12 hours a week for the business would open it"]}]
    assert 0 < tailoring["score_opened"] < 1 and tailoring["fit"] > suggested[0].get("fit", 0)


def test_suggest_json_has_nothing_ruled_out_when_the_best_fit_is_allowed(db_file, tmp_path, capsys):
    items = json.loads(suggest(db_file, tmp_path, capsys, "--json"))
    assert len(items) == 5 and {i["status"] for i in items} == {"suggested"}


def test_suggest_as_text_names_the_ruled_out_ventures_in_dutch(db_file, tmp_path, capsys):
    out = suggest(db_file, tmp_path, capsys, "--lang", "nl", hours_per_week=8)
    assert "Ondernemingen die bij je passen, en wat in de weg staat" in out
    assert "x Maatkleermaker [craft]" in out and "> 12 uur per week voor het bedrijf zou het openen" in out
