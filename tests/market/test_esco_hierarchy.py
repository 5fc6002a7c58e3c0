"""The ESCO skills hierarchy and the individual skills placed in it (data/esco_skill_hierarchy.csv,
data/esco_skills.csv) are exactly what the published ESCO v1.1.1 files say: derived here again
from ../shared/data/esco and compared row by row. Without ../shared these tests fail."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from incubator.market import taxonomy as tx
from tests.support.app import ROOT, SHARED

DATA = ROOT / "data"
ESCO = SHARED / "data" / "esco"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def published() -> dict[str, tuple[str, str, int, str]]:
    """code -> (URI, English term, level, broader code) from skillsHierarchy_en.csv."""
    assert ESCO.is_dir(), f"the ESCO reference files are missing: {ESCO}"
    concepts: dict[str, tuple[str, str, int, str]] = {}
    for row in rows(ESCO / "skillsHierarchy_en.csv"):
        parent = ""
        for level in range(4):
            code, uri = row[f"Level {level} code"], row[f"Level {level} URI"]
            if not uri:
                break
            if not code:  # the knowledge branch (ISCED-F URIs) has no codes below K
                parent = ""
                continue
            concepts.setdefault(code, (uri, row[f"Level {level} preferred term"].strip(), level, parent))
            parent = code
    return concepts


def test_the_hierarchy_file_holds_every_published_code_as_published(published):
    shipped = {r["code"]: (r["esco_uri"], r["label_en"], int(r["level"]), r["parent_code"])
               for r in rows(DATA / "esco_skill_hierarchy.csv")}
    assert shipped == published
    assert {"S5.1", "S7.1", "S3.5.0", "S1.6", "S", "T", "L", "K"} <= set(shipped)
    assert all(tx.ESCO_SKILL_CODE.match(code) and tx.ESCO_SKILL_URI.match(uri)
               for code, (uri, *_rest) in shipped.items())
    english = {r["code"]: r["text"] for r in rows(DATA / "labels" / "en.csv") if r["kind"] == "skill_group"}
    for group in rows(DATA / "skill_groups.csv"):  # the curated groups are the same concepts
        assert published[group["code"]][0] == group["esco_uri"], group["code"]
        assert published[group["code"]][1] == english[group["code"]], group["code"]


def test_individual_skills_map_to_the_one_group_esco_names_as_broader(published):
    group_of_uri = {uri: code for code, (uri, *_rest) in published.items()}
    expected: dict[str, tuple[str, str]] = {}
    for collection in ("transversal", "digital", "language"):
        for row in rows(ESCO / f"{collection}SkillsCollection_en.csv"):
            broader = {group_of_uri[u.strip()] for u in row["broaderConceptUri"].split("|") if u.strip() in group_of_uri}
            if len(broader) == 1 and row["conceptUri"] not in group_of_uri:
                expected.setdefault(row["conceptUri"], (row["preferredLabel"].strip(), broader.pop()))
    shipped = {r["esco_uri"]: (r["label_en"], r["group_code"]) for r in rows(DATA / "esco_skills.csv")}
    assert shipped == expected
    assert all(r["provenance"] == "derived" and "broaderConceptUri" in r["source"] for r in rows(DATA / "esco_skills.csv"))
    show_initiative = "http://data.europa.eu/esco/skill/001115fb-569f-4ee6-8381-c6807ef2527f"
    assert shipped[show_initiative] == ("show initiative", "T3.2")
    # The sample of individual skills has no broader concepts: none of it is guessed into a group.
    manage_musical_staff = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
    assert manage_musical_staff in {r["ESCOURI"] for r in rows(ESCO / "skills_sample_en.csv")}
    assert manage_musical_staff not in shipped
