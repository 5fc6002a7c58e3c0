"""Profiles from other tools and files as Dutch offices make them: every code of the ESCO skills
hierarchy and ESCO skill URIs that map to a group, an optional `external_ref` (never a BSN) that makes
a second import of the same file an update, warnings for likely duplicates, and CSV files in
Windows-1252 or UTF-16 with semicolons or tabs, as Excel writes them."""

from __future__ import annotations

import csv
import io
import json
import threading

import duckdb
import openpyxl
import pytest
from jsonschema import Draft202012Validator

from incubator.cli.main import main
from incubator.core import db
from incubator.core.errors import DomainError
from incubator.core.i18n import translate
from incubator.market.arrays import load_market
from incubator.market.seed import load_market_data
from incubator.people import checks, participants, snapshots, wizard
from incubator.people import files as pi
from incubator.people import importing as saving
from incubator.people.profile import PROFILE_SCHEMA, Profile, Skill
from incubator.suggestions import features as fx
from tests.people.test_importing import csv_bytes, rejected, workbook_bytes
from tests.support.app import ROOT
from tests.support.people import fingerprint

HEADER = list(pi.TEMPLATE_COLUMNS)
TAILORING_URI = "http://data.europa.eu/esco/skill/528c2f16-139f-4a5b-8880-a6f02ed33f2a"  # S6.5.6, a group
SHOW_INITIATIVE_URI = "http://data.europa.eu/esco/skill/001115fb-569f-4ee6-8381-c6807ef2527f"  # a skill in T3.2
MUSICAL_STAFF_URI = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"  # in no group we know
ISCED_F_URI = "http://data.europa.eu/esco/isced-f/0011"  # a knowledge group: no code, no skill URI
BAKER_OCCUPATION_URI = "http://data.europa.eu/esco/occupation/1aadb308-432a-4d01-b54b-b4f7f76dd419"
OTHER_TOOL_SKILLS = ("S5.1", "S7.1", "S3.5.0", "S1.6")


# --- every code of the hierarchy, and skill URIs ------------------------------------------------------

def test_a_profile_with_any_hierarchy_code_and_skill_uris_imports_from_json_and_csv_and_scores(seeded, people):
    manager = people["manager"]
    as_json = json.dumps([{"id": "", "display_name": "Lina", "skills": [
        *({"esco_group": code, "level": 3} for code in OTHER_TOOL_SKILLS),
        {"esco_uri": TAILORING_URI, "level": 4},
        {"esco_group": "T3.2", "esco_uri": SHOW_INITIATIVE_URI, "level": 2},
    ]}]).encode()
    cell = "; ".join([*(f"{code}:3" for code in OTHER_TOOL_SKILLS), f"{TAILORING_URI}:4", f"{SHOW_INITIATIVE_URI}:2"])
    as_csv = csv_bytes([{"display_name": "Omar", "skills": cell}])
    expected = (*(Skill(code, 3) for code in OTHER_TOOL_SKILLS), Skill("S6.5.6", 4), Skill("T3.2", 2))
    for name, content in (("tool.json", as_json), ("tool.csv", as_csv)):
        preview = saving.preview_import(seeded, actor=manager, file_name=name, content=content)
        assert preview.is_valid, preview.english_lines()
    result = saving.import_profiles(seeded, actor=manager, file_name="tool.json", content=as_json)
    result2 = saving.import_profiles(seeded, actor=manager, file_name="tool.csv", content=as_csv)
    saved = [snapshots.load_profile(seeded, actor=manager, participant_id=pid)
             for pid in result.created + result2.created]
    assert [p.skills for p in saved] == [expected, expected]
    # Exported as codes, which import again.
    exported = snapshots.export_profiles(seeded, actor=manager)
    assert exported[0]["skills"][4] == {"esco_group": "S6.5.6", "level": 4}

    # Scored: the group URI counts fully; S5.1 and S1.6 count for the narrower codes ventures use.
    market = load_market(seeded)
    person = fx.people_from_profiles(saved[:1], market)
    matched = fx._matched_skills(market, person)[0]
    k = market.skill_index()
    assert matched[k["S6.5.6"]] == pytest.approx(1.0)
    assert matched[k["S5.1.0"]] == pytest.approx(fx.BROADER_GROUP_SHARE * 3 / 4)
    assert matched[k["S1.6.1"]] == pytest.approx(fx.BROADER_GROUP_SHARE * 3 / 4)
    assert matched[k["S3.5.1"]] == pytest.approx(fx.RELATED_GROUP_SHARE * 3 / 4)  # S3.5.0: same parent
    grid = fx.features_grid(market, person)[0]
    skill_match = dict(zip(market.venture_ids, grid[:, fx.F["skill_match"]].tolist(), strict=True))
    without = fx.features_grid(market, fx.people_from_profiles([Profile(id="P-000009")], market))[0]
    assert skill_match["se_it_freelance"] > without[market.venture_index("se_it_freelance"), fx.F["skill_match"]]
    for v in range(market.n_ventures):
        assert grid[v] == pytest.approx(fx.pair_features(saved[0], v, market), abs=1e-4)


def test_an_unknown_code_or_a_skill_uri_outside_the_groups_is_refused_naming_row_and_column(seeded, people):
    manager = people["manager"]
    content = csv_bytes([{"skills": "S5.1:2"}, {"skills": "S9.9:2"}, {"skills": f"{MUSICAL_STAFF_URI}:3"},
                         {"skills": f"{BAKER_OCCUPATION_URI}:1"}, {"skills": f"{ISCED_F_URI}:2"},
                         {"skills": TAILORING_URI}])
    preview = rejected(seeded, manager, "x.csv", content)
    found = [(p.row, p.column, p.message) for p in preview.problems]
    assert found == [(3, "skills", checks.UNKNOWN_SKILL), (4, "skills", checks.UNKNOWN_SKILL_URI),
                     (5, "skills", checks.UNKNOWN_SKILL_URI), (6, "skills", checks.UNKNOWN_SKILL_URI),
                     (7, "skills", checks.BAD_ENTRY)]
    assert MUSICAL_STAFF_URI in preview.problems[1].english()

    content = json.dumps([
        {"id": "", "skills": [{"esco_uri": MUSICAL_STAFF_URI, "level": 2}]},
        {"id": "", "skills": [{"esco_uri": ISCED_F_URI, "level": 2}]},
        {"id": "", "skills": [{"esco_group": "S1.6", "esco_uri": TAILORING_URI, "level": 2}]},
        {"id": "", "skills": [{"level": 2}]},
        {"id": "", "skills": [{"esco_group": "S9.9.9", "level": 2}]},
    ]).encode()
    preview = rejected(seeded, manager, "x.json", content)
    found = [(p.row, p.column, p.message) for p in preview.problems]
    assert found == [(1, "skills", checks.UNKNOWN_SKILL_URI), (2, "skills[1].esco_uri", pi.BAD_FORM),
                     (3, "skills", checks.SKILL_URI_MISMATCH), (4, "skills[1]", pi.NEEDS_SKILL),
                     (5, "skills", checks.UNKNOWN_SKILL)]
    assert "S6.5.6" in preview.problems[2].english()


def test_the_schema_says_which_codes_and_uris_it_accepts(seeded):
    skill = PROFILE_SCHEMA["properties"]["skills"]["items"]
    assert {"esco_group", "esco_uri"} <= set(skill["properties"]) and skill["required"] == ["level"]
    assert "hierarchy" in skill["properties"]["esco_group"]["description"]
    assert "group" in skill["properties"]["esco_uri"]["description"]
    codes = [row[0] for row in seeded.execute("SELECT code FROM esco_skill_hierarchy").fetchall()]
    validator = Draft202012Validator(PROFILE_SCHEMA)
    assert len(codes) == 427
    for code in codes:
        assert validator.is_valid({"id": "", "skills": [{"esco_group": code, "level": 1}]}), code
    assert validator.is_valid({"id": "", "skills": [{"esco_uri": SHOW_INITIATIVE_URI, "level": 1}]})
    assert not validator.is_valid({"id": "", "skills": [{"esco_uri": ISCED_F_URI, "level": 1}]})
    assert not validator.is_valid({"id": "", "skills": [{"level": 1}]})
    assert "BSN" in PROFILE_SCHEMA["properties"]["external_ref"]["description"]
    assert json.loads((ROOT / "docs" / "profile.schema.json").read_text(encoding="utf-8")) == PROFILE_SCHEMA


def test_the_wizard_keeps_codes_beyond_the_curated_groups_with_their_english_esco_name(seeded):
    profile = Profile(id="P-000001", skills=(Skill("S5.1", 3), Skill("S6.5.6", 2)))
    plain = wizard.reference_choices(seeded, "nl")["skill_groups"]
    assert "S5.1" not in plain and "S6.5.6" in plain and len(plain) == 99
    offered = wizard.reference_choices(seeded, "nl", profile)["skill_groups"]
    assert offered["S5.1"] == "programming computer systems (S5.1, ESCO-naam in het Engels)"
    assert offered["S6.5.6"] == plain["S6.5.6"]  # the project's own translation stays
    assert wizard.reference_choices(seeded, "en", profile)["skill_groups"]["S5.1"] == "programming computer systems (S5.1)"


# --- external_ref -----------------------------------------------------------------------------------

ROWS_WITH_REFS = [{"display_name": "Sara", "municipality": "GM0363", "external_ref": "CRM-0042"},
                  {"display_name": "Yonas", "municipality": "GM0014", "external_ref": "crm/2024/17"}]


@pytest.mark.parametrize("kind", ["json", "xlsx", "csv"])
def test_external_ref_round_trips_through_import_and_export(seeded, people, kind):
    manager = people["manager"]
    result = saving.import_profiles(seeded, actor=manager, file_name="c.csv", content=csv_bytes(ROWS_WITH_REFS))
    assert seeded.execute("SELECT participant_id, external_ref FROM participants ORDER BY 1").fetchall() == [
        ("P-000001", "CRM-0042"), ("P-000002", "crm/2024/17")]
    assert result.created == ["P-000001", "P-000002"]
    exported = snapshots.export_profiles(seeded, actor=manager, pseudonymise=False)
    assert [item["external_ref"] for item in exported] == ["CRM-0042", "crm/2024/17"]
    assert all("external_ref" not in item for item in snapshots.export_profiles(seeded, actor=manager))
    writer = {"json": pi.export_json, "xlsx": pi.export_workbook, "csv": pi.export_csv}[kind]
    again = saving.import_profiles(seeded, actor=manager, file_name=f"e.{kind}", content=writer(exported))
    assert again.updated == ["P-000001", "P-000002"] and again.created == []
    assert snapshots.export_profiles(seeded, actor=manager, pseudonymise=False) == exported
    assert "external_ref" in [c.value for c in openpyxl.load_workbook(io.BytesIO(pi.template_workbook(seeded, "nl")))
                              ["profiles"][1]]


def test_an_external_ref_held_by_another_participant_or_twice_in_a_file_is_refused(seeded, people):
    manager = people["manager"]
    saving.import_profiles(seeded, actor=manager, file_name="c.csv", content=csv_bytes(ROWS_WITH_REFS))
    content = csv_bytes([{"id": "P-000002", "external_ref": "CRM-0042"}, {"external_ref": "X-1"},
                         {"external_ref": "X-1"}, {"external_ref": "=HYPERLINK(1)"}])
    preview = rejected(seeded, manager, "x.csv", content)
    assert [(p.row, p.column, p.message) for p in preview.problems] == [
        (2, "external_ref", saving.EXTERNAL_REF_TAKEN), (3, "external_ref", checks.DUPLICATE_EXTERNAL_REF),
        (4, "external_ref", checks.DUPLICATE_EXTERNAL_REF), (5, "external_ref", checks.BAD_EXTERNAL_REF)]


BSN_SHAPED = ["111222333", "123456789", "12345678", "123.456.782", "123 45 6782", "client-111222333", "BSN 111 222 333"]


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_a_bsn_shaped_external_ref_is_refused_and_never_shown_back(seeded, people, kind):
    manager = people["manager"]
    values: list[object] = list(BSN_SHAPED)
    if kind == "csv":
        content = csv_bytes([{"external_ref": v} for v in values])
    elif kind == "xlsx":
        values.append(111222333)  # a number cell, as Excel keeps a pasted BSN
        content = workbook_bytes([[*([""] * (len(HEADER) - 1)), v] for v in values])
    else:
        values.append(111222333)
        content = json.dumps([{"id": "", "external_ref": v} for v in values]).encode()
    preview = rejected(seeded, manager, f"x.{kind}", content)
    first = 1 if kind == "json" else 2
    assert [(p.row, p.column, p.message) for p in preview.problems] == [
        (first + i, "external_ref", checks.BSN_REFUSED) for i in range(len(values))]
    shown = " ".join(preview.english_lines() + [translate(p.message, lang, **p.params) for p in preview.problems
                                                for lang in ("nl", "ar")])
    for digits in ("111222333", "123456789", "12345678", "456", "6782"):
        assert digits not in shown
    assert "burgerservicenummer" in translate(checks.BSN_REFUSED, "nl") and "BSN" in translate(checks.BSN_REFUSED, "ar")


def test_ids_that_are_not_bsn_shaped_are_kept():
    for value in ("CRM-0042", "7512", "client-123456789", "2024-0001-17", "A12345678B"):
        assert not checks.looks_like_bsn(value), value
    for value in BSN_SHAPED:
        assert checks.looks_like_bsn(value), value


# --- a second import of the same file ---------------------------------------------------------------------

def test_the_same_file_imported_twice_offers_updates_instead_of_doubling_the_cohort(seeded, people):
    manager = people["manager"]
    content = csv_bytes(ROWS_WITH_REFS)
    assert saving.import_profiles(seeded, actor=manager, file_name="c.csv", content=content).created == [
        "P-000001", "P-000002"]
    preview = saving.preview_import(seeded, actor=manager, file_name="c.csv", content=content)
    assert (preview.new_count, preview.update_count, preview.matched_count) == (0, 2, 2)
    assert preview.matched_by_ref == {2: "P-000001", 3: "P-000002"} and preview.warnings == []
    before = fingerprint(seeded)
    with pytest.raises(saving.UpdatesNotConfirmed) as refusal:
        saving.import_profiles(seeded, actor=manager, file_name="c.csv", content=content)
    assert refusal.value.params == {"count": 2} and fingerprint(seeded) == before
    result = saving.import_profiles(seeded, actor=manager, file_name="c.csv", content=content, update_matches=True)
    assert result.updated == ["P-000001", "P-000002"] and result.created == []
    assert seeded.execute("SELECT count(*) FROM participants").fetchone()[0] == 2
    assert snapshots.profile_history(seeded, actor=manager, participant_id="P-000002")["version"].tolist() == [1, 2]


def test_the_command_line_asks_for_update_matches(db_path, con, tmp_path, capsys):
    load_market_data(con.cursor())
    con.close()
    cohort = tmp_path / "cohort.csv"
    cohort.write_bytes(csv_bytes(ROWS_WITH_REFS, delimiter=";"))
    assert main(["--db", str(db_path), "import-profiles", str(cohort)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "import-profiles", str(cohort), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Read as UTF-8, with semicolons between the columns." in out
    assert "2 rows update participants found by their external_ref" in out and "(0 new, 2 existing)" in out
    assert main(["--db", str(db_path), "import-profiles", str(cohort)]) == 1
    assert "Confirm that they are updated; nothing was saved." in capsys.readouterr().err
    assert main(["--db", str(db_path), "import-profiles", str(cohort), "--update-matches"]) == 0
    assert "0 new participants, 2 new snapshots" in capsys.readouterr().out


def test_rows_that_look_like_people_already_here_get_a_warning(seeded, people, cohort):
    manager, mentor = people["manager"], people["mentor"]
    saving.import_profiles(seeded, actor=manager, file_name="c.csv",
                           content=csv_bytes([{"display_name": "Hana", "municipality": "GM0014"}]))
    hana = participants.list_participants(seeded, actor=manager)[-1].participant_id
    content = csv_bytes([{"display_name": "hana ", "municipality": "Groningen"}, {"display_name": "Hana"},
                         {"display_name": "Amal"}, {"display_name": "Amal"}])
    preview = saving.preview_import(seeded, actor=manager, file_name="c.csv", content=content)
    assert preview.is_valid and preview.new_count == 4
    assert [(p.row, p.column, p.message, p.params) for p in preview.warnings] == [
        (2, "display_name", saving.LIKELY_DUPLICATE, {"participant": hana}),
        (4, "display_name", saving.LIKELY_DUPLICATE, {"participant": cohort["mentored"]}),
        (5, "display_name", saving.LIKELY_DUPLICATE, {"participant": cohort["mentored"]}),
        (5, "display_name", saving.SAME_IN_FILE, {"other": 4}),
    ]
    # A mentor is warned only about the participants they can see (Hana is not theirs).
    seen_by_mentor = saving.preview_import(seeded, actor=mentor, file_name="c.csv", content=content).warnings
    assert {p.params.get("participant") for p in seen_by_mentor} == {cohort["mentored"], None}


def test_thirty_imports_of_one_file_at_once_never_give_one_external_ref_two_participants(db_path, con, people):
    load_market_data(con.cursor())
    content = csv_bytes([{"display_name": "Sara", "external_ref": "CRM-0042"}])
    barrier, outcomes = threading.Barrier(30), []

    def one() -> None:
        cur = con.cursor()
        barrier.wait()
        try:
            result = saving.import_profiles(cur, actor=people["manager"], file_name="c.csv", content=content,
                                            update_matches=True)
            outcomes.append("created" if result.created else "updated")
        except DomainError as exc:
            outcomes.append(type(exc).__name__)
        except duckdb.Error as exc:  # a raw database error would reach a user
            outcomes.append(f"raw {type(exc).__name__}")

    threads = [threading.Thread(target=one) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 30 and not [o for o in outcomes if o.startswith("raw")], outcomes
    assert outcomes.count("created") == 1, outcomes
    assert set(outcomes) <= {"created", "updated", "ImportConflict"}
    assert con.execute("SELECT count(*), count(external_ref) FROM participants").fetchone() == (1, 1)


def test_a_database_made_before_external_ref_migrates_and_keeps_its_participants(db_path):
    old = duckdb.connect(str(db_path))
    db.migrate(old, up_to=5)
    old.execute("INSERT INTO participants (participant_id, display_name) VALUES ('P-000001', 'Sara')")
    old.close()
    con = db.connect(db_path)
    assert con.execute("SELECT participant_id, display_name, external_ref FROM participants").fetchall() == [
        ("P-000001", "Sara", None)]
    con.execute("INSERT INTO participants (participant_id, external_ref) VALUES ('P-000002', 'X'), ('P-000003', NULL)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO participants (participant_id, external_ref) VALUES ('P-000004', 'X')")
    con.close()


# --- files as Dutch offices make them ------------------------------------------------------------------

DUTCH_ROWS = [
    {"display_name": "José Café €", "municipality": "’s-Hertogenbosch", "capital_eur": "2.500,50",
     "hours_per_week": "24,5", "skills": "S3.5.1:3; S1.6:2", "home_based_only": "ONWAAR", "on_benefit": "WAAR"},
    {"display_name": "Zoë", "municipality": "GM0363", "capital_eur": "1250,75"},
]


def dutch_excel_csv(rows: list[dict], encoding: str = "cp1252", delimiter: str = ";") -> bytes:
    """A table as Excel on Dutch Windows saves it: "CSV (gescheiden door lijstscheidingsteken)"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row.get(column, "") for column in HEADER])
    return buffer.getvalue().encode(encoding)


def test_a_dutch_excel_csv_in_windows_1252_with_semicolons_and_decimal_commas_imports(seeded, people):
    manager = people["manager"]
    content = dutch_excel_csv(DUTCH_ROWS)
    assert b"Jos\xe9 Caf\xe9 \x80" in content and b"Zo\xeb" in content  # the real bytes of é, ë and €
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    preview = saving.preview_import(seeded, actor=manager, file_name="cohort.csv", content=content)
    assert preview.is_valid, preview.english_lines()
    assert preview.csv_format == ("cp1252", ";")
    assert translate(preview.read_as[0], "en", **preview.read_as[1]) == (
        "Read as Windows-1252, with semicolons between the columns.")
    assert translate(preview.read_as[0], "nl", **preview.read_as[1]) == (
        "Gelezen als Windows-1252, met puntkomma's tussen de kolommen.")
    result = saving.import_profiles(seeded, actor=manager, file_name="cohort.csv", content=content)
    jose, zoe = (snapshots.load_profile(seeded, actor=manager, participant_id=pid) for pid in result.created)
    assert jose.display_name == "José Café €" and zoe.display_name == "Zoë"
    assert jose.municipality == "GM0796"  # 's-Hertogenbosch, typed with Excel's curly apostrophe
    assert (jose.capital_eur, jose.hours_per_week, zoe.capital_eur) == (2500.5, 24.5, 1250.75)
    assert (jose.home_based_only, jose.on_benefit) == (False, True)
    assert jose.skills == (Skill("S3.5.1", 3), Skill("S1.6", 2))


def test_arabic_names_survive_only_in_utf8_files_and_the_preview_says_which(seeded, people):
    manager = people["manager"]
    rows = [{**DUTCH_ROWS[1], "display_name": "سارة أحمد"}]
    with pytest.raises(UnicodeEncodeError):
        dutch_excel_csv(rows)  # Windows-1252 cannot hold Arabic script at all
    for encoding, shown in (("utf-8-sig", "UTF-8 (BOM)"), ("utf-8", "UTF-8")):
        preview = saving.preview_import(seeded, actor=manager, file_name="c.csv",
                                        content=dutch_excel_csv(rows, encoding=encoding))
        assert preview.read_as[1] == {"encoding": shown}
        assert [p.display_name for p in preview.profiles.values()] == ["سارة أحمد"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_tab_separated_file_imports(seeded, people, encoding):
    # Excel's "Unicode text" is UTF-16 with a byte-order mark and tabs between the columns.
    rows = [{**DUTCH_ROWS[0], "display_name": "نور"}, DUTCH_ROWS[1]]
    content = dutch_excel_csv(rows, encoding=encoding, delimiter="\t")
    preview = saving.preview_import(seeded, actor=people["manager"], file_name="export.txt", content=content)
    assert preview.is_valid, preview.english_lines()
    assert preview.csv_format == (encoding, "\t")
    assert preview.read_as[0] == pi.READ_AS["\t"]
    assert [p.display_name for p in preview.profiles.values()] == ["نور", "Zoë"]
    assert preview.profiles[2].capital_eur == 2500.5


def test_json_and_excel_previews_name_no_csv_format(seeded, people):
    preview = saving.preview_import(seeded, actor=people["manager"], file_name="x.json", content=b'[{"id": ""}]')
    assert preview.is_valid and preview.read_as is None
