"""The seed: every validation rule rejects a crafted bad file with a message naming file, line,
column and reason, and the database keeps exactly what it had; reloading gives the same rows."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incubator.cli import main as cli
from incubator.core import db
from incubator.core.i18n import LANGUAGES, translate
from incubator.market import labels, seed
from tests.support.app import ROOT

DATA = ROOT / "data"
MARKET_TABLES = [spec.table for spec in seed.SPECS] + ["venture_skills", "venture_licences", "labels",
                                                       "market_dataset"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of data/ that a test may spoil."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def loaded(seeded, data_dir):
    """A database with the real dataset loaded (the files data_dir starts as)."""
    return seeded


def snapshot(cur) -> dict[str, list]:
    return {table: cur.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in MARKET_TABLES}


def edit(data_dir: Path, file: str, change: Callable[[list[dict]], None]) -> None:
    """Rewrite one CSV after `change` has edited its rows (a list of dicts, header kept)."""
    path = data_dir / file
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames), list(reader)
    change(rows)
    header = list(dict.fromkeys([*header, *(k for r in rows for k in r)]))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[h for h in header if any(h in r for r in rows)],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(venture_id_or_index, column: str, value: str, key: str = "venture_id"):
    def change(rows: list[dict]) -> None:
        row = rows[venture_id_or_index] if isinstance(venture_id_or_index, int) else next(
            r for r in rows if r[key] == venture_id_or_index)
        row[column] = value
    return change


# (file, change, expected message key, expected params) -- line numbers count the header as line 1.
CASES = {
    "missing column": ("ventures.csv", lambda rows: [r.pop("riasec") for r in rows],
                       seed.MISSING_COLUMNS, {"columns": "riasec"}),
    "unexpected column": ("licences.csv", lambda rows: [r.update(colour="red") for r in rows],
                          seed.UNEXPECTED_COLUMNS, {"columns": "colour"}),
    "empty required value": ("ventures.csv", set_cell(0, "riasec", ""),
                             seed.REQUIRED, {"line": 2, "column": "riasec"}),
    "not a whole number": ("ventures.csv", set_cell(1, "capital_low_eur", "1.500"),
                           seed.NOT_INTEGER, {"line": 3, "column": "capital_low_eur", "value": "1.500"}),
    "not a number": ("ventures.csv", set_cell(2, "season_05", "high"),
                     seed.NOT_NUMBER, {"line": 4, "column": "season_05", "value": "high"}),
    "not a boolean": ("licences.csv", set_cell(0, "legally_required", "yes"),
                      seed.NOT_BOOLEAN, {"line": 2, "column": "legally_required", "value": "yes"}),
    "not a date": ("sectors.csv", set_cell(0, "retrieved", "28-11-2026"),
                   seed.NOT_DATE, {"line": 2, "column": "retrieved", "value": "28-11-2026"}),
    "out of range": ("ventures.csv", set_cell("cr_barber", "jobs_potential", "7"),
                     seed.OUT_OF_RANGE, {"column": "jobs_potential", "value": "7", "low": 0, "high": 3}),
    "survival above 100": ("sectors.csv", set_cell("I", "survival_5y_pct", "159", key="sbi_code"),
                           seed.OUT_OF_RANGE, {"column": "survival_5y_pct", "value": "159"}),
    "not a choice": ("ventures.csv", set_cell(0, "family", "franchise"),
                     seed.NOT_A_CHOICE, {"line": 2, "column": "family", "value": "franchise"}),
    "badly formed SBI code": ("ventures.csv", set_cell(0, "sbi2008", "6201"),
                              seed.BAD_FORM, {"line": 2, "column": "sbi2008", "value": "6201"}),
    "badly formed ESCO URI": ("occupations.csv", set_cell(0, "esco_uri", "esco:occupation/123"),
                              seed.BAD_FORM, {"line": 2, "column": "esco_uri"}),
    "badly formed RIASEC code": ("ventures.csv", set_cell(0, "riasec", "RR"),
                                 seed.BAD_FORM, {"line": 2, "column": "riasec", "value": "RR"}),
    "badly formed skill weights": ("ventures.csv", set_cell(0, "skills_required", "S5.1.0=1"),
                                   seed.BAD_FORM, {"line": 2, "column": "skills_required", "value": "S5.1.0=1"}),
    "skill weight above 1": ("ventures.csv", set_cell(0, "skills_helpful", "S1.15.1:1.5"),
                             seed.BAD_FORM, {"line": 2, "column": "skills_helpful", "value": "S1.15.1:1.5"}),
    "duplicate id": ("ventures.csv", set_cell(1, "venture_id", "se_it_freelance"),
                     seed.DUPLICATE, {"line": 3, "column": "venture_id", "value": "se_it_freelance"}),
    "unknown licence": ("ventures.csv", set_cell(0, "licence_ids", "kvk_registration;pilot_licence"),
                        seed.UNKNOWN_REFERENCE, {"line": 2, "column": "licence_ids", "value": "pilot_licence",
                                                 "target": "licences.csv"}),
    "unknown skill group": ("ventures.csv", set_cell(0, "skills_required", "S9.9.9:1.0"),
                            seed.UNKNOWN_REFERENCE, {"line": 2, "column": "skills_required", "value": "S9.9.9",
                                                     "target": "skill_groups.csv"}),
    "unknown occupation": ("ventures.csv", set_cell(
        0, "esco_occupation_uri", "http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000000"),
        seed.UNKNOWN_REFERENCE, {"line": 2, "column": "esco_occupation_uri", "target": "occupations.csv"}),
    "unknown CEFR level": ("ventures.csv", set_cell(0, "cefr_typical", "D1"),
                           seed.UNKNOWN_REFERENCE, {"line": 2, "column": "cefr_typical", "value": "D1"}),
    "unknown province": ("municipalities.csv", set_cell(0, "province_code", "PV99"),
                         seed.UNKNOWN_REFERENCE, {"line": 2, "column": "province_code", "value": "PV99",
                                                  "target": "provinces.csv"}),
    "unknown region in a signal": ("regional_signals.csv", set_cell(0, "region_code", "GM9999"),
                                   seed.UNKNOWN_REFERENCE, {"line": 2, "column": "region_code", "value": "GM9999"}),
    "unknown sector in a signal": ("regional_signals.csv", set_cell(0, "sbi_code", "01.11"),
                                   seed.UNKNOWN_REFERENCE, {"line": 2, "column": "sbi_code", "value": "01.11",
                                                            "target": "sectors.csv"}),
    "venture section not in sectors": ("sectors.csv", lambda rows: rows.remove(next(r for r in rows
                                                                                    if r["sbi_code"] == "J")),
                                       seed.UNKNOWN_REFERENCE, {"file": "ventures.csv", "column": "sbi_section",
                                                                "value": "J"}),
    "capital out of order": ("ventures.csv", set_cell(0, "capital_typical_eur", "900"),
                             seed.WRONG_ORDER, {"line": 2, "column": "capital_typical_eur", "value": 900,
                                                "other": "capital_low_eur"}),
    "seasonality not averaging 1": ("ventures.csv", set_cell(0, "season_01", "2.50"),
                                    seed.SEASON_MEAN, {"line": 2, "column": "season_01..season_12"}),
    "section does not match the SBI code": ("ventures.csv", set_cell(0, "sbi_section", "M"),
                                            seed.SECTION_MISMATCH, {"line": 2, "column": "sbi_section", "value": "M",
                                                                    "code": "62.01", "expected": "J"}),
    "ISCO group not the occupation's": ("ventures.csv", set_cell(0, "isco", "2513"),
                                        seed.ISCO_MISMATCH, {"line": 2, "column": "isco", "value": "2513",
                                                             "expected": "2512"}),
    "alcohol without the SVH certificate": ("ventures.csv", set_cell(
        "et_restaurant", "licence_ids",
        "kvk_registration;nvwa_registration;hygiene_code;operating_permit;alcohol_licence;bibob_check"),
        seed.NEEDS_LICENCE, {"column": "licence_ids", "licence": "svh_social_hygiene"}),
    "food business without NVWA registration": ("ventures.csv", set_cell(
        "et_food_truck", "licence_ids", "kvk_registration;hygiene_code;market_pitch_permit"),
        seed.NEEDS_LICENCE, {"column": "licence_ids", "licence": "nvwa_registration"}),
    "published figure without a source": ("sectors.csv", set_cell("F", "source", "", key="sbi_code"),
                                          seed.NEEDS_SOURCE, {"column": "source", "provenance": "cbs"}),
    "a household the norms do not know": ("social_assistance_norms.csv", set_cell(0, "household", "family"),
                                          seed.NOT_A_CHOICE, {"line": 2, "column": "household", "value": "family"}),
    "unknown provenance": ("demand_signals.csv", set_cell(0, "provenance", "rumour"),
                           seed.NOT_A_CHOICE, {"line": 2, "column": "provenance", "value": "rumour"}),
    "a kind of label nobody knows": ("labels/nl.csv", set_cell(3, "kind", "colour"),
                                     seed.UNKNOWN_LABEL_KIND, {"line": 5, "value": "colour"}),
    "a label of a code its file lacks": ("labels/ar.csv", set_cell(0, "code", "se_astronaut"),
                                         seed.UNKNOWN_LABEL_CODE, {"line": 2, "kind": "venture", "value": "se_astronaut",
                                                                   "target": "ventures.csv"}),
    "a sector code as a venture": ("labels/nl.csv", set_cell(0, "code", "TOTAL"),
                                   seed.UNKNOWN_LABEL_CODE, {"line": 2, "kind": "venture", "value": "TOTAL"}),
    "a label twice": ("labels/en.csv", lambda rows: rows.insert(5, dict(rows[1])),
                      seed.LABEL_TWICE, {"line": 7, "kind": "venture", "code": "se_web_design"}),
    "an empty label": ("labels/ar.csv", set_cell("cr_barber", "text", " ", key="code"),
                       seed.EMPTY_LABEL, {"kind": "venture", "code": "cr_barber"}),
    "a code without an English label": ("labels/en.csv", lambda rows: rows.remove(
        next(r for r in rows if r["kind"] == "cefr" and r["code"] == "B2")),
        seed.NO_ENGLISH_LABEL, {"kind": "cefr", "code": "B2"}),
    "a label file without its text column": ("labels/nl.csv", lambda rows: [r.pop("text") for r in rows],
                                             seed.MISSING_COLUMNS, {"columns": "text"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_rule_rejects_a_bad_file_and_leaves_the_database_unchanged(loaded, data_dir, case):
    file, change, key, params = CASES[case]
    before = snapshot(loaded)
    edit(data_dir, file, change)
    with pytest.raises(seed.SeedRejected) as rejected:
        seed.load_market_data(loaded, data_dir)
    assert rejected.value.message_key == key
    expected = {"file": file, **params}
    assert {k: rejected.value.params.get(k) for k in expected} == expected
    assert rejected.value.english().startswith(expected["file"])
    assert snapshot(loaded) == before


@pytest.mark.parametrize(("content", "key"), [
    (b"", seed.EMPTY_FILE),
    (b"level,rank\n", seed.EMPTY_FILE),
    ("level;rank\nA1;1\n".encode("utf-16"), seed.UNREADABLE),
    (b"x" * (seed.MAX_FILE_BYTES + 1), seed.FILE_TOO_LARGE),
])
def test_unreadable_empty_or_huge_files_are_rejected(loaded, data_dir, content, key):
    before = snapshot(loaded)
    (data_dir / "cefr.csv").write_bytes(content)
    with pytest.raises(seed.SeedRejected) as rejected:
        seed.load_market_data(loaded, data_dir)
    assert rejected.value.message_key == key and rejected.value.params["file"] == "cefr.csv"
    assert snapshot(loaded) == before


def test_a_missing_file_is_named(loaded, data_dir):
    (data_dir / "licences.csv").unlink()
    with pytest.raises(seed.SeedRejected) as rejected:
        seed.load_market_data(loaded, data_dir)
    assert rejected.value.english() == "The data file licences.csv is missing."


def test_a_failure_while_writing_rolls_everything_back(loaded, data_dir):
    # The last table written gains a NOT NULL column the loader does not fill: its insert fails after
    # every other table has already been replaced inside the transaction.
    loaded.execute("ALTER TABLE labels ADD COLUMN must_not_be_null INTEGER DEFAULT 1")
    loaded.execute("ALTER TABLE labels ALTER COLUMN must_not_be_null SET NOT NULL")
    loaded.execute("ALTER TABLE labels ALTER COLUMN must_not_be_null DROP DEFAULT")
    before = snapshot(loaded)
    edit(data_dir, "ventures.csv", set_cell(0, "hours_per_week", "30"))
    with pytest.raises(duckdb.ConstraintException):
        seed.load_market_data(loaded, data_dir)
    assert snapshot(loaded) == before


def test_reloading_gives_the_same_rows_and_version(cur, data_dir):
    first = seed.load_market_data(cur, data_dir)
    rows_first = snapshot(cur)
    second = seed.load_market_data(cur, data_dir)
    rows_second = snapshot(cur)
    assert first == second
    for table in MARKET_TABLES[:-1]:
        assert rows_first[table] == rows_second[table], table
    assert [r[:3] for r in rows_first["market_dataset"]] == [r[:3] for r in rows_second["market_dataset"]]
    assert cur.execute("SELECT count(*) FROM market_dataset").fetchone()[0] == 1
    assert first.rows["ventures"] >= 60


def test_a_changed_file_gives_a_new_version_and_replaces_the_rows(loaded, data_dir):
    old_version = loaded.execute("SELECT version FROM market_dataset").fetchone()[0]
    edit(data_dir, "ventures.csv", set_cell("cr_barber", "hours_per_week", "44"))
    result = seed.load_market_data(loaded, data_dir)
    assert result.version != old_version
    assert loaded.execute("SELECT hours_per_week FROM ventures WHERE venture_id = 'cr_barber'").fetchone() == (44,)
    assert loaded.execute("SELECT count(*) FROM ventures").fetchone()[0] == result.rows["ventures"]


def test_venture_skills_and_licences_are_normalised(loaded):
    skills = loaded.execute(
        "SELECT skill_code, kind, weight FROM venture_skills WHERE venture_id = 'cr_tailoring' ORDER BY ALL").fetchall()
    assert ("S6.5.6", "required", 1.0) in skills
    licences = loaded.execute(
        "SELECT licence_id FROM venture_licences WHERE venture_id = 'et_restaurant' ORDER BY position").fetchall()
    assert ("svh_social_hygiene",) in licences and licences[0] == ("kvk_registration",)


def test_seed_command_loads_and_reports_a_bad_file(tmp_path, data_dir, capsys):
    database = str(tmp_path / "cli.duckdb")
    assert cli.main(["--db", database, "seed", "--data-dir", str(data_dir)]) == 0
    assert "ventures" in capsys.readouterr().out
    edit(data_dir, "ventures.csv", set_cell(0, "cefr_typical", "Z9"))
    assert cli.main(["--db", database, "seed", "--data-dir", str(data_dir)]) == 1
    assert "ventures.csv, line 2, column cefr_typical: Z9 is not in cefr.csv." in capsys.readouterr().err
    con = db.connect(database)
    assert con.execute("SELECT cefr_typical FROM ventures WHERE venture_id = 'se_it_freelance'").fetchone() == ("A2",)
    con.close()


_LICENCES = (DATA / "licences.csv").read_text(encoding="utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=st.integers(min_value=1, max_value=17), column=st.integers(min_value=0, max_value=11),
       value=st.text(max_size=30))
def test_any_cell_value_either_validates_or_is_rejected_with_its_place(line, column, value):
    """Whatever is typed into a cell, validation ends in typed rows or a SeedRejected that names
    the file and, for a row problem, its line; never another exception."""
    rows = list(csv.reader(io.StringIO(_LICENCES)))
    rows[line][column] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    contents = seed.read_data_dir(DATA)
    contents["licences.csv"] = out.getvalue().encode("utf-8")
    try:
        seed.validate_all(contents)
    except seed.SeedRejected as rejected:
        assert rejected.params["file"] in {"licences.csv", "ventures.csv", *map(seed.label_file, LANGUAGES)}
        assert "line" in rejected.params or rejected.message_key in (seed.UNEXPECTED_COLUMNS, seed.MISSING_COLUMNS)


def test_the_social_assistance_norms_load_exactly_with_their_date(loaded):
    rows = loaded.execute("SELECT household, amount_month_eur, amount_without_holiday_eur, valid_from, level"
                          " FROM social_assistance_norms ORDER BY household").fetchall()
    assert [(h, str(a), w and str(w), str(d), lv) for h, a, w, d, lv in rows] == [
        ("couple", "1834.04", None, "2024-01-01", "2024"), ("single", "1283.83", "1219.64", "2024-01-01", "2024")]


def test_the_labels_of_every_interface_language_load_and_a_file_of_another_language_is_not_read(loaded, data_dir):
    """A ninth language is a data file: the labels of a language of the interface load from its file
    (Tigrinya here), a file of a language the interface does not have is left alone, and a reader in a
    language without a label gets the English one."""
    (data_dir / "labels" / "ti.csv").write_text(
        "kind,code,text\nventure,cr_tailoring,ሰፋዪ ክዳውንቲ\ncefr,B1,ማእከላይ\n", encoding="utf-8")
    (data_dir / "labels" / "xx.csv").write_text("kind,colour\nnonsense,1\n", encoding="utf-8")
    result = seed.load_market_data(loaded, data_dir)
    assert result.rows["labels"] == loaded.execute("SELECT count(*) FROM labels").fetchone()[0]
    shipped = {p.stem for p in (data_dir / "labels").glob("*.csv")} - {"xx"}
    assert {"nl", "en", "ar", "ti"} <= shipped <= set(LANGUAGES)
    assert {r[0] for r in loaded.execute("SELECT DISTINCT language FROM labels").fetchall()} == shipped
    tigrinya = labels.labels_in(loaded, "venture", "ti")
    assert tigrinya["cr_tailoring"] == "ሰፋዪ ክዳውንቲ"
    assert tigrinya["cr_barber"] == labels.labels_in(loaded, "venture", "en")["cr_barber"]  # English fallback
    assert labels.labels_in(loaded, "cefr", "ti")["B1"] == "ማእከላይ"
    assert labels.label_of(loaded, "venture", "cr_tailoring").get("ti") == "ሰፋዪ ክዳውንቲ"


def test_without_an_english_label_file_the_seed_is_refused(loaded, data_dir):
    before = snapshot(loaded)
    (data_dir / "labels" / "en.csv").unlink()
    with pytest.raises(seed.SeedRejected) as rejected:
        seed.load_market_data(loaded, data_dir)
    assert rejected.value.english() == "The data file labels/en.csv is missing."
    assert snapshot(loaded) == before


def test_a_label_message_is_translated(loaded, data_dir):
    edit(data_dir, "labels/nl.csv", set_cell(3, "kind", "colour"))
    with pytest.raises(seed.SeedRejected) as rejected:
        seed.load_market_data(loaded, data_dir)
    dutch = translate(rejected.value.message_key, "nl", **rejected.value.params)
    arabic = translate(rejected.value.message_key, "ar", **rejected.value.params)
    assert "colour" in dutch and dutch != rejected.value.english() and "colour" in arabic and arabic != dutch
