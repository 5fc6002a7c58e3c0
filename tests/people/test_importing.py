"""Importing a cohort from JSON, CSV and real Excel workbooks: the preview names every bad row and cell,
a rejected file leaves the database exactly as it was, formulas stay text, names in Arabic script
work, and 10,000 rows import whole or not at all."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from incubator.cli.main import main
from incubator.core import excel
from incubator.core.errors import NotAllowed
from incubator.people import checks, participants, snapshots
from incubator.people import files as pi
from incubator.people import importing as saving
from incubator.people.inventory import Details, Inventory
from incubator.people.profile import PROFILE_SCHEMA, Experience, Language, Profile, Skill
from incubator.people.wizard import apply_answers
from tests.support.people import BAKER_URI, fingerprint

HEADER = list(pi.TEMPLATE_COLUMNS)
GOOD_ROW = {
    "display_name": "سارة أحمد", "municipality": "Amsterdam", "dutch_cefr": "A2", "other_languages": "ar:C2; Engels:B1",
    "isced_level": "3", "education_field": "Services", "experience": "bakker:3; 5141:2",
    "skills": "S6.5.6:3; preparing food and drinks:2", "interest_R": "70", "ambition": "65", "capital_eur": "2500,50",
    "hours_per_week": "24", "home_based_only": "nee", "on_benefit": "ja", "ladder_rung": "3",
}


def csv_bytes(rows: list[dict], header: list[str] = HEADER, delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode("utf-8")


def workbook_bytes(rows: list[list], header: list[str] = HEADER) -> bytes:
    """A real workbook as a person's spreadsheet program would write it (formulas included)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rejected(cur, actor, name, content, **options) -> saving.ImportPreview:
    """Import a file that must be refused; the database must be exactly as before."""
    before = fingerprint(cur)
    with pytest.raises(saving.ProfilesRejected) as refusal:
        saving.import_profiles(cur, actor=actor, file_name=name, content=content, **options)
    assert fingerprint(cur) == before
    return refusal.value.preview


# --- good files ---------------------------------------------------------------------------------

def test_csv_with_labels_in_dutch_and_english_and_arabic_names(seeded, people):
    manager = people["manager"]
    content = csv_bytes([GOOD_ROW, {"display_name": "Yonas", "municipality": "GM0014"}], delimiter=";")
    preview = saving.preview_import(seeded, actor=manager, file_name="cohort.csv", content=content)
    assert preview.is_valid and preview.new_count == 2, preview.english_lines()
    result = saving.import_profiles(seeded, actor=manager, file_name="cohort.csv", content=content)
    assert result.created == ["P-000001", "P-000002"] and result.updated == [] and result.skipped_rows == []
    sara = snapshots.load_profile(seeded, actor=manager, participant_id="P-000001")
    assert sara.display_name == "سارة أحمد" and sara.municipality == "GM0363"
    assert sara.languages == (Language("nl", "A2"), Language("ar", "C2"), Language("en", "B1"))
    assert sara.education.isced_level == 3 and sara.education.field == "10"
    assert sara.experience == (Experience(3.0, "7512", BAKER_URI), Experience(2.0, "5141"))
    assert sara.skills == (Skill("S6.5.6", 3), Skill("S3.5.1", 2))
    assert sara.interests["R"] == 70 and sara.interests["I"] == 50 and sara.ambition == 65
    assert (sara.capital_eur, sara.hours_per_week, sara.home_based_only, sara.on_benefit, sara.ladder_rung) == (
        2500.5, 24.0, False, True, 3)
    yonas = snapshots.load_profile(seeded, actor=manager, participant_id="P-000002")
    assert yonas == Profile(id="P-000002", display_name="Yonas", municipality="GM0014")
    assert participants.get_participant(seeded, "P-000001").display_name == "سارة أحمد"
    assert len(seeded.execute("SELECT * FROM audit_log WHERE action = 'profile.import'").fetchall()) == 2


def test_excel_workbook_with_formulas_keeps_them_as_text(seeded, people):
    manager = people["manager"]
    row = {**GOOD_ROW, "display_name": '=HYPERLINK("http://x","click")'}
    content = workbook_bytes([[row.get(c, "") for c in HEADER], ["", "@SUM(A1)", "GM0363"]])
    raw = openpyxl.load_workbook(io.BytesIO(content)).active
    assert raw["B2"].data_type == "f"  # a real formula cell in the file
    result = saving.import_profiles(seeded, actor=manager, file_name="cohort.xlsx", content=content)
    names = [snapshots.load_profile(seeded, actor=manager, participant_id=pid).display_name for pid in result.created]
    assert names == ['=HYPERLINK("http://x","click")', "@SUM(A1)"]

    exported = snapshots.export_profiles(seeded, actor=manager, pseudonymise=False)
    sheet = openpyxl.load_workbook(io.BytesIO(pi.export_workbook(exported))).active
    for cell in (sheet["B2"], sheet["B3"]):
        assert cell.data_type == "s" and cell.quotePrefix, cell.value
    assert sheet["B2"].value == '=HYPERLINK("http://x","click")'
    exported_csv = pi.export_csv(exported).decode("utf-8-sig")
    assert "'=HYPERLINK" in exported_csv and "'@SUM(A1)" in exported_csv
    # Both exports read back to the same names (the apostrophe is taken off again).
    for name, content in (("again.xlsx", pi.export_workbook(exported)), ("again.csv", pi.export_csv(exported))):
        preview = saving.preview_import(seeded, actor=manager, file_name=name, content=content)
        assert preview.is_valid, preview.english_lines()
        assert [p.display_name for p in preview.profiles.values()] == names


def test_formulas_in_number_and_code_columns_are_refused_not_calculated(seeded, people):
    content = workbook_bytes([["", "Sara", "=A1", "", "", "=1+2", "", "", "", "+5*3", "", "", "", "", "", "@A1"]])
    preview = rejected(seeded, people["manager"], "cohort.xlsx", content)
    assert {(p.row, p.column) for p in preview.problems} == {
        (2, "municipality"), (2, "isced_level"), (2, "interest_R"), (2, "ambition")}
    assert all(p.message == checks.FORMULA for p in preview.problems)


@pytest.mark.parametrize("kind", ["json", "xlsx", "csv"])
def test_export_and_import_round_trip(seeded, people, kind):
    manager = people["manager"]
    saving.import_profiles(seeded, actor=manager, file_name="cohort.csv", content=csv_bytes([GOOD_ROW, {"ladder_rung": "6"}]))
    exported = snapshots.export_profiles(seeded, actor=manager, pseudonymise=False)
    writer = {"json": pi.export_json, "xlsx": pi.export_workbook, "csv": pi.export_csv}[kind]
    result = saving.import_profiles(seeded, actor=manager, file_name=f"export.{kind}", content=writer(exported))
    assert result.updated == ["P-000001", "P-000002"] and result.created == []
    again = snapshots.export_profiles(seeded, actor=manager, pseudonymise=False)
    assert again == exported
    assert snapshots.profile_history(seeded, actor=manager, participant_id="P-000001")["version"].tolist() == [1, 2]
    for item in again:
        assert list(Draft202012Validator(PROFILE_SCHEMA).iter_errors(item)) == []


def test_json_ids_that_do_not_exist_are_refused_and_new_rows_get_the_next_numbers(seeded, people):
    content = json.dumps([{"id": "P-000500", "display_name": "نور"}, {"id": ""}]).encode()
    preview = rejected(seeded, people["manager"], "move.json", content)
    assert [(p.row, p.column, p.params) for p in preview.problems] == [(1, "id", {"value": "P-000500"})]
    result = saving.import_profiles(seeded, actor=people["manager"], file_name="move.json", content=content,
                                    valid_only=True)
    assert result.created == ["P-000001"] and result.skipped_rows == [1]
    assert participants.create_participant(seeded, actor=people["manager"]).participant_id == "P-000002"


def test_import_of_an_existing_participant_keeps_what_the_file_does_not_carry(seeded, people, cohort):
    manager, pid = people["manager"], cohort["own"]
    inventory = apply_answers(Inventory(Profile(id=pid)), "wellbeing", {"domain.housing": 2, "ladder_rung": 2})
    inventory = apply_answers(inventory, "interests", {"riasec.r1": 5})
    snapshots.save_inventory(seeded, actor=manager, inventory=inventory)
    snapshots.save_inventory(seeded, actor=manager, inventory=inventory, draft=True)  # a draft at version 2
    content = json.dumps([{"id": pid, "ladder_rung": 5, "interests": {"R": 10}}]).encode()
    result = saving.import_profiles(seeded, actor=manager, file_name="update.json", content=content)
    assert result.updated == [pid]
    loaded = snapshots.load_inventory(seeded, actor=manager, participant_id=pid, include_draft=False)
    assert loaded.profile.ladder_rung == 5 and loaded.profile.interests["R"] == 10
    assert loaded.details.life_domains == {"housing": 2} and loaded.details.answers == {}
    versions = seeded.execute("SELECT version, draft FROM profile_snapshots WHERE participant_id = ? ORDER BY version",
                              [pid]).fetchall()
    assert versions == [(1, False), (2, False), (3, True)]  # the draft moved up and is still the newest


# --- access ---------------------------------------------------------------------------------------

def test_a_mentor_imports_for_themself_and_only_changes_their_own(seeded, people, cohort):
    mentor = people["mentor"]
    content = csv_bytes([{"id": cohort["mentored"], "ladder_rung": "2"}, {"id": cohort["other"], "ladder_rung": "2"},
                         {"display_name": "Hana"}])
    preview = rejected(seeded, mentor, "cohort.csv", content)
    assert [(p.row, p.column, p.message) for p in preview.problems] == [(3, "id", saving.NOT_YOURS)]
    result = saving.import_profiles(seeded, actor=mentor, file_name="cohort.csv", content=content, valid_only=True)
    assert result.updated == [cohort["mentored"]] and result.created == ["P-000004"] and result.skipped_rows == [3]
    assert participants.get_participant(seeded, "P-000004").mentor_user_ids == (mentor.user_id,)


@pytest.mark.parametrize("role", ["newcomer", "admin"])
def test_newcomers_and_administrators_cannot_import(seeded, people, role):
    with pytest.raises(NotAllowed):
        saving.preview_import(seeded, actor=people[role], file_name="x.csv", content=csv_bytes([GOOD_ROW]))


# --- bad files --------------------------------------------------------------------------------------

BAD_FILES = {
    "unknown columns": ("x.csv", csv_bytes([GOOD_ROW], header=["name", *HEADER[1:]]), [(0, "")]),
    "shifted header": ("x.csv", b"Naam;Gemeente\nSara;Amsterdam\n", [(0, "")]),
    "duplicate column": ("x.csv", csv_bytes([GOOD_ROW], header=[*HEADER, "ambition"]), [(0, "ambition")]),
    "header only": ("x.csv", csv_bytes([]), [(0, "")]),
    "empty file": ("x.csv", b"", [(0, "")]),
    # UTF-16 with a byte-order mark, Windows-1252 and UTF-8 are read (tests/people/test_esco_files.py);
    # bytes that are none of them, or that hold NUL bytes, are not text.
    "not text": ("x.csv", b"id,display_name\n,Zo\x81\x90\n", [(0, "")]),
    "NUL bytes": ("x.csv", b"id,display_name\n,Zo\x00e\n", [(0, "")]),
    "not a workbook": ("x.xlsx", b"PK\x03\x04 not really a zip", [(0, "")]),
    "not JSON": ("x.json", b'[{"id": ""', [(0, "")]),
    "JSON object": ("x.json", b'{"id": ""}', [(0, "")]),
    "unknown kind": ("x.pdf", b"\x00\x01", [(0, "")]),
    "wrong types in JSON": ("x.json", json.dumps([
        {"id": "", "ambition": "high", "home_based_only": "yes", "languages": {"nl": "A2"}},
        {"id": 7}, "Sara", {"display_name": "no id"}, {"id": "", "nationality": "x"},
    ]).encode(), [(1, "ambition"), (1, "home_based_only"), (1, "languages"), (2, "id"), (3, ""), (4, ""), (5, "")]),
    "values out of range in JSON": ("x.json", json.dumps([
        {"id": "", "ladder_rung": 9, "skills": [{"esco_group": "S3.5.1", "level": 0}],
         "languages": [{"code": "ar", "cefr": "D1"}], "experience": [{"years": 2}]},
    ]).encode(), [(1, "ladder_rung"), (1, "skills[1].level"), (1, "languages[1].cefr"), (1, "experience[1]")]),
    "wrong types in CSV": ("x.csv", csv_bytes([{"ambition": "high", "ladder_rung": "2.5", "on_benefit": "maybe",
                                                "capital_eur": "lots", "hours_per_week": "-3"}]),
                           [(2, "ambition"), (2, "ladder_rung"), (2, "on_benefit"), (2, "capital_eur"),
                            (2, "hours_per_week")]),
    "duplicate ids": ("x.csv", csv_bytes([{"id": "P-000001"}, {"id": "P-000001"}, {"id": "Q-1"}]),
                      [(2, "id"), (3, "id"), (4, "id")]),
    "unknown codes": ("x.csv", csv_bytes([{"municipality": "Atlantis", "skills": "S9.9.9:2; juggling:3",
                                           "experience": "9999:2; astronaut:1", "other_languages": "xx:B1",
                                           "education_field": "99", "dutch_cefr": "B3"}]),
                      [(2, "municipality"), (2, "skills"), (2, "experience"), (2, "other_languages"),
                       (2, "education_field"), (2, "dutch_cefr")]),
    "entries without a value": ("x.csv", csv_bytes([{"skills": "S3.5.1", "experience": "bakker",
                                                     "other_languages": "ar:C2; ar:B1; nl:B1"}]),
                                [(2, "skills"), (2, "experience"), (2, "other_languages")]),
    "more cells than columns": ("x.csv", b"id,display_name\n,Sara,extra\n", [(2, "")]),
    "control characters": ("x.csv", csv_bytes([{"display_name": "Sara\x07"}]), [(2, "display_name")]),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_crafted_bad_files_are_rejected_row_by_row_and_change_nothing(seeded, people, cohort, case):
    name, content, expected = BAD_FILES[case]
    preview = rejected(seeded, people["manager"], name, content)
    assert sorted({(p.row, p.column) for p in preview.problems}) == sorted(set(expected)), preview.english_lines()
    assert all(p.english() and not re.search(r"\{[a-z_]+\}", p.english()) for p in preview.problems)
    if preview.file_problems:  # a file that cannot be read offers no rows to import
        assert not preview.can_import_valid_rows


def test_only_the_valid_rows_when_asked(seeded, people):
    content = csv_bytes([GOOD_ROW, {"municipality": "Atlantis"}, {"display_name": "Hana"}])
    preview = rejected(seeded, people["manager"], "x.csv", content)
    assert preview.bad_rows == [3] and preview.can_import_valid_rows and len(preview.profiles) == 2
    result = saving.import_profiles(seeded, actor=people["manager"], file_name="x.csv", content=content, valid_only=True)
    assert result.created == ["P-000001", "P-000002"] and result.skipped_rows == [3]
    with pytest.raises(saving.ProfilesRejected):  # nothing valid: nothing to import even when asked
        saving.import_profiles(seeded, actor=people["manager"], file_name="x.csv",
                           content=csv_bytes([{"municipality": "Atlantis"}]), valid_only=True)


cell_text = st.one_of(
    st.sampled_from(["", "GM0363", "Amsterdam", "A2", "ar:C2", "S3.5.1:2", "7512:3", "bakker:1", "yes", "nee", "3",
                     "42", "-1", "101", "=1+1", "+A1", "@SUM(1)", "-x", "P-000001", "P-000009", "X", "S9:9", ";;", ":"]),
    st.text(alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x064A), max_size=12),
    st.text(max_size=12),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries({}, optional={c: cell_text for c in HEADER}), min_size=1, max_size=6),
       kind=st.sampled_from(["csv", "xlsx"]))
def test_any_file_is_either_imported_whole_or_leaves_the_database_unchanged(seeded, people, cohort, rows, kind):
    # A workbook cannot hold control characters at all; a CSV file can, and they are refused.
    content = csv_bytes(rows) if kind == "csv" else workbook_bytes(
        [[ILLEGAL_CHARACTERS_RE.sub("", r.get(c, "")) for c in HEADER] for r in rows])
    manager = people["manager"]
    before = fingerprint(seeded)
    preview = saving.preview_import(seeded, actor=manager, file_name=f"f.{kind}", content=content)
    lines = set(preview.rows)
    for problem in preview.problems:
        assert problem.row in lines or problem.row == 0
        assert problem.column in HEADER or problem.column == "" and problem.row == 0 or problem.message == pi.TOO_MANY_CELLS
        assert problem.english()
    try:
        result = saving.import_profiles(seeded, actor=manager, file_name=f"f.{kind}", content=content)
    except saving.ProfilesRejected:
        assert fingerprint(seeded) == before
    else:
        assert not preview.problems
        assert len(result.created) + len(result.updated) == len(preview.rows)
        # Names in any script come back as written (trimmed, in Unicode normal form C).
        new_rows = [r for r in preview.rows if preview.profiles[r].id not in preview.existing_ids]
        ids = dict(zip(new_rows, result.created, strict=True))
        def as_read(value: str) -> str:
            return ILLEGAL_CHARACTERS_RE.sub("", value) if kind == "xlsx" else value

        written = [r for r in rows if any(as_read(v).strip() for v in r.values())]  # blank rows are skipped
        for row, given_row in zip(preview.rows, written, strict=True):
            given_name = unicodedata.normalize("NFC", as_read(given_row.get("display_name", "")).strip())
            if given_name and not given_name.startswith("'") and row in ids:
                assert participants.get_participant(seeded, ids[row]).display_name == given_name


# --- size --------------------------------------------------------------------------------------------

def test_ten_thousand_rows_import_and_one_bad_row_rejects_them_all(seeded, people):
    # How fast: benchmarks/bench_profile_import.py (a test asserts no timings on a shared machine).
    manager = people["manager"]
    rows = [{**GOOD_ROW, "display_name": f"نور {n}", "ladder_rung": str(1 + n % 6)} for n in range(10_000)]
    bad = csv_bytes([*rows[:-1], {**rows[-1], "municipality": "Atlantis"}])
    preview = rejected(seeded, manager, "big.csv", bad)
    assert [(p.row, p.column) for p in preview.problems] == [(10_001, "municipality")]

    result = saving.import_profiles(seeded, actor=manager, file_name="big.csv", content=csv_bytes(rows))
    assert len(result.created) == 10_000
    assert seeded.execute("SELECT count(*), count(DISTINCT participant_id) FROM profile_snapshots").fetchone() == (10_000, 10_000)
    assert participants.get_participant(seeded, "P-010000").display_name == "نور 9999"


def test_excel_template_and_csv_template(seeded):
    workbook = openpyxl.load_workbook(io.BytesIO(pi.template_workbook(seeded, "nl")))
    assert workbook.sheetnames[:2] == ["profiles", "instructions"]
    sheet = workbook["profiles"]
    assert [c.value for c in sheet[1]] == HEADER
    assert "GM0363" in sheet["C1"].comment.text
    assert any("A1" in (v.formula1 or "") for v in sheet.data_validations.dataValidation)
    instructions = workbook["instructions"]
    assert instructions["A1"].value == "Kolom" and instructions["B5"].value.startswith("Niveau Nederlands")
    assert workbook["municipalities"].max_row > 300 and workbook["skill_groups"]["A1"].value == "code"
    header, body = excel.read_table(pi.template_workbook(seeded, "ar"))
    assert header == HEADER and body == []
    assert pi.template_csv().decode("utf-8-sig").strip() == ",".join(HEADER)


# --- the command line --------------------------------------------------------------------------------

def test_command_line_import_and_export(db_path, con, seeded, tmp_path, capsys):
    con.close()
    good, bad = tmp_path / "good.csv", tmp_path / "bad.json"
    good.write_bytes(csv_bytes([GOOD_ROW, {"display_name": "Yonas"}]))
    bad.write_text(json.dumps([{"id": ""}, {"id": "", "municipality": "GM9999", "ladder_rung": 8}]), encoding="utf-8")

    assert main(["--db", str(db_path), "import-profiles", str(good), "--dry-run"]) == 0
    assert "2 valid (2 new, 0 existing)" in capsys.readouterr().out
    assert main(["--db", str(db_path), "import-profiles", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "row 2, column ladder_rung: 8 is outside the range 1 to 6." in err
    assert "row 2, column municipality" in err and "Nothing was saved." in err
    assert main(["--db", str(db_path), "import-profiles", str(bad), "--dry-run"]) == 1
    capsys.readouterr()
    assert main(["--db", str(db_path), "import-profiles", str(bad), "--valid-only"]) == 0
    assert "Skipped rows with problems: 2." in capsys.readouterr().out
    assert main(["--db", str(db_path), "import-profiles", str(good)]) == 0
    assert main(["--db", str(db_path), "import-profiles", str(tmp_path / "missing.csv")]) == 2

    out = tmp_path / "export.json"
    assert main(["--db", str(db_path), "export-profiles", "--out", str(out)]) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert [item["id"] for item in exported] == ["P-000001", "P-000002", "P-000003"]
    assert all("display_name" not in item and Draft202012Validator(PROFILE_SCHEMA).is_valid(item) for item in exported)
    assert main(["--db", str(db_path), "export-profiles", "--out", str(tmp_path / "x.xlsx"), "--with-names"]) == 0
    assert openpyxl.load_workbook(tmp_path / "x.xlsx").active["B3"].value == "سارة أحمد"
    capsys.readouterr()
    assert main(["--db", str(db_path), "profile-schema"]) == 0
    assert json.loads(capsys.readouterr().out) == PROFILE_SCHEMA


def test_profiles_made_in_the_wizard_export_like_imported_ones(seeded, people, cohort):
    inventory = Inventory(Profile(id=cohort["own"], skills=(Skill("S3.5.1", 2),)), Details(skill_evidence={"S3.5.1": "certified"}))
    snapshots.save_inventory(seeded, actor=people["manager"], inventory=inventory)
    table = pi.profiles_table(snapshots.export_profiles(seeded, actor=people["manager"]))
    assert table.loc[0, "skills"] == "S3.5.1:2" and list(table.columns) == HEADER


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(columns=st.lists(st.sampled_from(HEADER), unique=True, min_size=1).flatmap(st.permutations),
       extra=st.lists(st.sampled_from(["name", "Nationaliteit", "religion", "", "ambition", "id "]), max_size=2))
def test_columns_in_any_order_work_and_unknown_or_repeated_ones_reject_the_file(seeded, people, columns, extra):
    header = [*columns, *extra]
    existing = participants.create_participant(seeded, actor=people["manager"]).participant_id  # ids name records
    row = {**{f"interest_{k}": "50" for k in "RIASEC"}, **GOOD_ROW, "id": existing,
           "external_ref": "CRM-0042"}  # a value in every column
    content = csv_bytes([row], header=header)
    before = fingerprint(seeded)
    preview = saving.preview_import(seeded, actor=people["manager"], file_name="f.csv", content=content)
    names = [h.strip() for h in header]
    wrong = any(n not in HEADER for n in names) or len(set(names)) < len(names)
    if wrong:
        assert preview.file_problems and not preview.profiles
        with pytest.raises(saving.ProfilesRejected):
            saving.import_profiles(seeded, actor=people["manager"], file_name="f.csv", content=content)
        assert fingerprint(seeded) == before
    else:
        assert preview.is_valid, preview.english_lines()
        profile = preview.profiles[2]
        if "municipality" in columns:
            assert profile.municipality == "GM0363"
        if "ladder_rung" in columns:
            assert profile.ladder_rung == 3


json_junk = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 1000) | st.text(max_size=8)
    | st.sampled_from(["GM0363", "A2", "S3.5.1", "7512", "P-000001", "=1+1", "سارة"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from([*PROFILE_SCHEMA["properties"], "code", "cefr", "isco", "years", "esco_group", "level",
                         "R", "nationality"]), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(json_junk, min_size=1, max_size=4))
def test_any_json_list_is_either_imported_whole_or_leaves_the_database_unchanged(seeded, people, items):
    content = json.dumps(items, ensure_ascii=False).encode("utf-8")
    before = fingerprint(seeded)
    try:
        result = saving.import_profiles(seeded, actor=people["manager"], file_name="f.json", content=content)
    except saving.ProfilesRejected as refusal:
        assert fingerprint(seeded) == before
        assert all(p.row <= len(items) and p.english() for p in refusal.preview.problems)
    else:
        assert len(result.created) + len(result.updated) == len(items)
        assert all(Draft202012Validator(PROFILE_SCHEMA).is_valid(item) for item in items)
