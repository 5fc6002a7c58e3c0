"""The command line: suggest prints JSON, score-cohort writes a real Excel file from JSON, CSV or
Excel, train --from-outcomes refuses below 200 outcomes and compares old and new above. Every command
runs in this process through `main(argv)` (tests/cli/test_cli.py starts `python -m incubator`)."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from incubator.cli import main as cli
from incubator.core import db
from incubator.people import files as profile_import
from incubator.suggestions import features as fx
from incubator.suggestions import synthetic_outcomes as outcomes
from tests.support.databases import copy_database
from tests.support.privacy import consent_to_research
from tests.support.scoring import COOK, TAILOR, market, quick_model_dir


@pytest.fixture(scope="module")
def db_file(tmp_path_factory, market_template) -> Path:
    """A database with the market data, for the command line to open."""
    return copy_database(market_template, tmp_path_factory.mktemp("cli") / "incubator.duckdb")


def printed_json(db_file: Path, *args: str) -> list[dict]:
    """What `suggest ... --json` prints, parsed (stdout captured here: module fixtures have no capsys)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(db_file, *args) == 0
    return json.loads(out.getvalue())


def main(db_file: Path, *args: str, models: Path | None = None) -> int:
    return cli.main(["--db", str(db_file), *args, "--models-dir", str(models or quick_model_dir())])


@pytest.fixture(scope="module")
def plain(db_file, tmp_path_factory) -> list[dict]:
    path = tmp_path_factory.mktemp("profiles") / "tailor.json"
    path.write_text(json.dumps(TAILOR), encoding="utf-8")
    return printed_json(db_file, "suggest", str(path), "--top", "5", "--json")


def test_suggest_prints_the_ranked_ventures_as_json(plain):
    found = plain
    assert len(found) == 5
    for item in found:
        assert {"venture_id", "name", "family", "isco", "score", "reasons"} <= set(item)
        assert 0 < item["score"] < 1 and len(item["isco"]) == 4 and all(isinstance(r, str) for r in item["reasons"])
    assert [i["score"] for i in found] == sorted((i["score"] for i in found), reverse=True)
    assert found[0]["family"] == "craft" and len({i["family"] for i in found}) >= 2
    assert any(r.startswith("Your skills in fabricating garments") for r in found[0]["reasons"])


def test_suggest_ignores_protected_fields(db_file, tmp_path, plain):
    (tmp_path / "extra.json").write_text(json.dumps(TAILOR | {"nationality": "SY", "religion": "x", "gender": "f", "age": 40}))
    assert printed_json(db_file, "suggest", str(tmp_path / "extra.json"), "--json") == plain


def test_suggest_in_another_municipality_and_language_as_text(db_file, tmp_path, capsys):
    (tmp_path / "tailor.json").write_text(json.dumps(TAILOR), encoding="utf-8")
    assert main(db_file, "suggest", str(tmp_path / "tailor.json"), "--municipality", "GM0014", "--lang", "nl") == 0
    out = capsys.readouterr().out
    assert out.startswith("Synthetic-model estimates for P-000001 (GM0014).")
    assert "1. Kledingreparatie en vermaken" in out and "Je vaardigheden in" in out


def test_a_broken_profile_file_is_a_plain_message(db_file, tmp_path, capsys):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert main(db_file, "suggest", str(tmp_path / "broken.json")) == 1
    assert capsys.readouterr().err.startswith("error: The profile file")


@pytest.mark.parametrize("kind", ["json", "csv", "xlsx"])
def test_score_cohort_writes_a_labelled_workbook_without_personal_data(db_file, tmp_path, kind):
    profiles = [TAILOR | {"display_name": "Amal"}, COOK | {"display_name": "Yonas"}]
    content = {"json": lambda: json.dumps(profiles).encode(), "csv": lambda: profile_import.export_csv(profiles),
               "xlsx": lambda: profile_import.export_workbook(profiles)}[kind]()
    (tmp_path / f"cohort.{kind}").write_bytes(content)
    assert main(db_file, "score-cohort", str(tmp_path / f"cohort.{kind}"), "--out", str(tmp_path / "out.xlsx"), "--top", "3") == 0
    book = load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["Synthetic-model estimates", "About"]
    rows = list(book["Synthetic-model estimates"].iter_rows(values_only=True))
    assert rows[0] == ("profile_id", "rank", "venture_id", "venture", "family", "isco", "score (synthetic-model estimates)")
    assert [r[0] for r in rows[1:]] == ["P-000001"] * 3 + ["P-000002"] * 3
    assert rows[1][1:3] == (1, "cr_alterations")  # the tailor's first pick, as `suggest` gives it one at a time
    assert "Amal" not in str(rows) and "GM0344" not in str(rows)
    assert "synthetic data" in str(list(book["About"].iter_rows(values_only=True)))


def test_score_cohort_writes_names_only_when_asked(db_file, tmp_path):
    (tmp_path / "cohort.json").write_text(json.dumps([TAILOR | {"display_name": "Amal"}]), encoding="utf-8")
    assert main(db_file, "score-cohort", str(tmp_path / "cohort.json"), "--out", str(tmp_path / "o.xlsx"), "--with-names") == 0
    header = next(load_workbook(tmp_path / "o.xlsx").worksheets[0].iter_rows(values_only=True))
    assert header[:3] == ("profile_id", "display_name", "municipality")


def test_train_from_outcomes_refuses_below_two_hundred_and_compares_old_and_new(db_file, tmp_path, capsys):
    models = tmp_path / "models"
    shutil.copytree(quick_model_dir(), models)
    assert main(db_file, "train", "--from-outcomes", models=models) == 1
    assert "Only 0 programme outcomes are recorded; retraining needs at least 200." in capsys.readouterr().err

    cohort = outcomes.generate(market(), 240, seed=41)
    con = db.connect(db_file)
    try:
        for i, (x, y) in enumerate(zip(cohort.features, cohort.outcome, strict=True)):
            features = json.dumps(dict(zip(fx.FEATURE_NAMES, map(float, x), strict=True)))
            con.execute("INSERT INTO programme_outcomes (choice_id, participant_id, venture_id, launched, running_12m, features)"
                        " VALUES (?, ?, ?, ?, ?, ?)", [i + 1, f"P-{i:06d}", "cr_tailoring", bool(y), bool(y), features])
        consent_to_research(con, [f"P-{i:06d}" for i in range(len(cohort.outcome))])
    finally:
        con.close()
    assert main(db_file, "train", "--from-outcomes", "--folds", "3", models=models) == 0
    assert "Chosen:" in capsys.readouterr().out
    card = json.loads((models / "model_card.json").read_text(encoding="utf-8"))
    assert card["training_data"]["source"] == "programme_outcomes" and card["training_data"]["rows"] == 240
    assert card["previous"]["training_data"] == "synthetic"
    assert "Compared with the previous model" in (models / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert np.isfinite(card["previous"]["on_this_data"]["brier"])
