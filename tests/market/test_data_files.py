"""The curated files in data/: every code is well formed, every reference inside data/ resolves, and
every ESCO URI, ISCO unit group and skill-group code exists in the published ESCO v1.1.1 files
(../shared/data/esco). Nothing is skipped: without ../shared these tests fail."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from incubator.core.i18n import LANGUAGES
from incubator.market import seed
from incubator.market import taxonomy as tx
from incubator.market.labels import KINDS
from tests.support.app import ROOT, SHARED

DATA = ROOT / "data"
ESCO = SHARED / "data" / "esco"
REGIONS = SHARED / "data" / "regions"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict[str, str]]]:
    return {spec.file: rows(DATA / spec.file) for spec in seed.SPECS}


@pytest.fixture(scope="module")
def english() -> dict[tuple[str, str], str]:
    """(kind, code) -> the English label in data/labels/en.csv."""
    return {(r["kind"], r["code"]): r["text"] for r in rows(DATA / "labels" / "en.csv")}


@pytest.fixture(scope="module")
def esco_occupations() -> dict[str, dict[str, str]]:
    assert ESCO.is_dir(), f"the ESCO reference files are missing: {ESCO}"
    return {r["conceptUri"]: r for r in rows(ESCO / "occupations_en.csv")}


@pytest.fixture(scope="module")
def esco_skill_groups() -> dict[str, dict[str, str]]:
    assert ESCO.is_dir(), f"the ESCO reference files are missing: {ESCO}"
    return {r["code"]: r for r in rows(ESCO / "skillGroups_en.csv") if r["code"]}


def test_every_file_passes_the_loader_validation():
    contents = seed.read_data_dir(DATA)
    ctx = seed.validate_all(contents)
    assert set(ctx.rows) == {spec.file for spec in seed.SPECS} | {seed.LABELS_FOLDER}


def test_enough_ventures_in_every_family(data):
    ventures = data["ventures.csv"]
    families = Counter(v["family"] for v in ventures)
    assert len(ventures) >= 60
    assert set(families) == set(tx.FAMILY_LABELS)
    assert min(families.values()) >= 15, families


def test_occupation_uris_and_isco_groups_exist_in_esco(data, english, esco_occupations):
    for occupation in data["occupations.csv"]:
        published = esco_occupations.get(occupation["esco_uri"])
        assert published is not None, occupation["esco_uri"]
        assert occupation["isco"] == published["iscoGroup"]
        assert occupation["esco_code"] == published["code"]
        assert english[("occupation", occupation["esco_uri"])] == published["preferredLabel"]
    for venture in data["ventures.csv"]:
        published = esco_occupations[venture["esco_occupation_uri"]]
        assert venture["isco"] == published["iscoGroup"], venture["venture_id"]


def test_isco_codes_exist_as_isco08_unit_groups(data):
    isco_groups = {r["code"] for r in rows(ESCO / "ISCOGroups_en.csv")}
    used = {v["isco"] for v in data["ventures.csv"]} | {o["isco"] for o in data["occupations.csv"]}
    used |= {d["isco"] for d in data["demand_signals.csv"] if d["isco"]}
    assert used - isco_groups == set()
    assert all(tx.ISCO_UNIT_GROUP.match(code) for code in used)


def test_skill_group_codes_uris_and_labels_are_as_published(data, english, esco_skill_groups):
    for group in data["skill_groups.csv"]:
        published = esco_skill_groups.get(group["code"])
        assert published is not None, group["code"]
        assert group["esco_uri"] == published["conceptUri"]
        assert english[("skill_group", group["code"])] == published["preferredLabel"].strip()
        if group["parent_code"]:
            assert group["parent_code"] in esco_skill_groups
    for venture in data["ventures.csv"]:
        for column in ("skills_required", "skills_helpful"):
            for skill in tx.parse_weighted_skills(venture[column]):
                assert skill.code in esco_skill_groups, (venture["venture_id"], skill.code)


def test_taxonomy_holds_only_the_concepts_the_ventures_use(data):
    used_skills = {
        s.code for v in data["ventures.csv"] for c in ("skills_required", "skills_helpful")
        for s in tx.parse_weighted_skills(v[c])
    }
    assert {g["code"] for g in data["skill_groups.csv"]} == used_skills
    assert {o["esco_uri"] for o in data["occupations.csv"]} == {v["esco_occupation_uri"] for v in data["ventures.csv"]}


def test_sbi_codes_are_well_formed_and_match_their_section(data):
    for venture in data["ventures.csv"]:
        assert tx.SBI_CODE.match(venture["sbi2008"]), venture["venture_id"]
        assert venture["sbi2025"] == "" or tx.SBI_CODE.match(venture["sbi2025"]), venture["venture_id"]
        assert tx.sbi2008_section(venture["sbi2008"]) == venture["sbi_section"], venture["venture_id"]
    sections = {s["sbi_code"] for s in data["sectors.csv"] if s["level"] == "section"}
    assert {v["sbi_section"] for v in data["ventures.csv"]} <= sections


def test_every_reference_inside_data_resolves(data):
    licences = {r["licence_id"] for r in data["licences.csv"]}
    regions = {"NL"} | {r["province_code"] for r in data["provinces.csv"]} | {
        r["corop_code"] for r in data["corop.csv"]} | {r["gm_code"] for r in data["municipalities.csv"]}
    sectors = {r["sbi_code"] for r in data["sectors.csv"]}
    cefr = {r["level"] for r in data["cefr.csv"]}
    for venture in data["ventures.csv"]:
        assert set(filter(None, venture["licence_ids"].split(";"))) <= licences
        assert venture["cefr_typical"] in cefr
    for signal in data["regional_signals.csv"]:
        assert signal["region_code"] in regions and signal["sbi_code"] in sectors, signal["signal_id"]
    for signal in data["demand_signals.csv"]:
        assert signal["sbi_section"] == "" or signal["sbi_section"] in sectors
    for municipality in data["municipalities.csv"]:
        assert municipality["province_code"] in {r["province_code"] for r in data["provinces.csv"]}
        assert municipality["corop_code"] in {r["corop_code"] for r in data["corop.csv"]}


def test_regions_are_the_cbs_2024_files_with_their_source(data):
    for name, count in (("municipalities.csv", 342), ("corop.csv", 40), ("provinces.csv", 12)):
        ours, theirs = data[name], rows(REGIONS / name)
        assert len(ours) == count
        assert [{k: r[k] for k in theirs[0]} for r in ours] == theirs
        assert all("85755NED" in r["source"] and r["retrieved"] for r in ours)
    assert sum(int(r["population"]) for r in data["municipalities.csv"]) == 17_942_942


def test_every_row_has_a_provenance_and_sourced_rows_name_their_source(data):
    for file, file_rows in data.items():
        for row in file_rows:
            assert row["provenance"] in tx.PROVENANCES, file
            if row["provenance"] in seed.SOURCED_PROVENANCES:
                assert row["source"] and re.match(r"^\d{4}-\d{2}-\d{2}$", row["retrieved"]), (file, row)
    assert {v["provenance"] for v in data["ventures.csv"]} == {"curated"}


def test_sector_figures_are_the_ones_published_in_the_facts_sheet(data):
    facts = (SHARED / "FACTS.md").read_text(encoding="utf-8")
    for sector in data["sectors.csv"]:
        for column in ("businesses", "one_person_businesses"):
            if sector[column]:
                assert f"{int(sector[column]):,}" in facts, (sector["sbi_code"], column)
        for column in ("survival_1y_pct", "survival_3y_pct", "survival_5y_pct"):
            value = sector[column]
            if value:
                shown = "51-52%" if value == "51.5" else f"{float(value):g}%"
                assert shown in facts, (sector["sbi_code"], column)
        if sector["provenance"] != "cbs":
            assert not any(sector[c] for c in ("businesses", "survival_5y_pct", "starts")), sector["sbi_code"]


def test_venture_judgements_are_consistent(data):
    for v in data["ventures.csv"]:
        assert int(v["capital_low_eur"]) <= int(v["capital_typical_eur"]) <= int(v["capital_high_eur"])
        assert int(v["revenue_month_low_eur"]) <= int(v["revenue_month_high_eur"])
        season = [float(v[c]) for c in seed.SEASON_COLUMNS]
        assert abs(sum(season) / 12 - 1) < 0.005 and min(season) > 0, v["venture_id"]
        licences = set(v["licence_ids"].split(";"))
        if v["sbi_section"] == "I" or v["sbi2008"].startswith(("10.", "47.2", "46.3")):
            assert {"nvwa_registration", "hygiene_code"} <= licences, v["venture_id"]
        if "alcohol_licence" in licences:
            assert "svh_social_hygiene" in licences
    food_truck = next(v for v in data["ventures.csv"] if v["venture_id"] == "et_food_truck")
    assert int(food_truck["capital_low_eur"]) >= 50_000


def test_sources_document_names_every_file_and_carries_the_esco_attribution():
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    assert "This service uses the ESCO classification of the European Commission." in text
    assert "translations" in text
    for table_id in ("81589NED", "80472NED", "85755NED", "83148NED"):
        assert table_id in text
    for spec in seed.SPECS:
        assert f"`{spec.file}`" in text, spec.file
    for lang in LANGUAGES:  # every language's labels say where they come from
        assert f"`labels/{lang}.csv`" in text, lang
    assert "not reviewed by a native speaker" in text


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_code_of_every_kind_has_a_label_in_every_language(data, lang):
    """Fails for a language whose data/labels file is missing or incomplete (until a translator's
    branch brings it), and for a label of a code that no longer exists."""
    path = DATA / "labels" / f"{lang}.csv"
    assert path.is_file(), f"data/labels/{lang}.csv is missing"
    labelled = {(r["kind"], r["code"]) for r in rows(path) if r["text"].strip()}
    expected = {(kind, row[k.column]) for kind, k in KINDS.items() for row in data[k.file]}
    assert sorted(expected - labelled) == [], f"codes without a label in {lang}"
    assert sorted(labelled - expected) == [], f"labels in {lang} of codes that do not exist"
