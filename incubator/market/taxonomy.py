"""Classifications the market data uses: ESCO skill groups and occupations (with their ISCO-08 unit
group), SBI codes, CEFR and ISCED levels, RIASEC codes, and the code formats each of them has."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from incubator.core.i18n import N_
from incubator.market.labels import label_sql

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
ISCED_LEVELS = tuple(range(9))
RIASEC = ("R", "I", "A", "S", "E", "C")

# Code formats, shown in error messages as the form a value should have.
ESCO_SKILL_GROUP = re.compile(r"^(?:[ST]\d{1,2}(?:\.\d{1,2}){0,2}|L\d?)$")
# Any code of the ESCO skills hierarchy, levels 0 to 3: S, S1, S1.2, S1.2.3, T, T6, T6.4, L, L1, K.
ESCO_SKILL_CODE_PATTERN = r"^(?:[KLST]|[ST]\d{1,2}(?:\.\d{1,2}){0,2}|L\d)$"
ESCO_SKILL_CODE = re.compile(ESCO_SKILL_CODE_PATTERN)
ESCO_SKILL_URI_PATTERN = r"^http://data\.europa\.eu/esco/skill/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$"
ESCO_OCCUPATION_URI = re.compile(r"^http://data\.europa\.eu/esco/occupation/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$")
ESCO_SKILL_URI = re.compile(ESCO_SKILL_URI_PATTERN)
ESCO_OCCUPATION_CODE = re.compile(r"^\d{4}(?:\.\d{1,3})+$")
ISCO_UNIT_GROUP = re.compile(r"^\d{4}$")
SBI_CODE = re.compile(r"^\d{2}\.\d{2}(?:\.\d)?$")
SBI_SECTION = re.compile(r"^[A-U]$")
REGION_CODE = re.compile(r"^(?:NL|PV\d{2}|CR\d{2}|GM\d{4})$")
RIASEC_CODE = re.compile(r"^(?!.*(.).*\1)[RIASEC]{1,3}$")

FORMS = {
    "skill_group": "S6.5.6",
    "skill_code": "S, S6, S6.5 or S6.5.6 (also T, L, K)",
    "occupation_uri": "http://data.europa.eu/esco/occupation/<uuid>",
    "skill_uri": "http://data.europa.eu/esco/skill/<uuid>",
    "occupation_code": "2512.4",
    "isco": "NNNN",
    "sbi": "NN.NN or NN.NN.N",
    "sbi_section": "A-U",
    "region": "NL, PVnn, CRnn or GMnnnn",
    "riasec": "1-3 of R I A S E C",
    "weights": "S6.5.6:1.0;S1.2.3:0.5",
    "date": "YYYY-MM-DD",
}

# SBI 2008 (NACE Rev. 2) divisions per section: the letter of a venture must match its code.
_SECTION_BY_DIVISION = (
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
    ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68),
    ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93),
    ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
)

FAMILY_LABELS = {
    "self_employment": N_("Self-employment"),
    "craft": N_("Craft"),
    "ethnic_entrepreneurship": N_("Ethnic entrepreneurship"),
}
PREMISES_LABELS = {
    "home": N_("At home"),
    "workshop": N_("Workshop"),
    "shop": N_("Shop"),
    "mobile": N_("Mobile (at the client's)"),
}
# The ways a venture can start (ventures.csv `start_options`), reviewed against how such ventures are
# really run; the premises above are where it usually runs once it has grown (see data/SOURCES.md).
START_OPTION_LABELS = {
    "home": N_("At home"),
    "shared_workshop": N_("In a shared workshop, kitchen or studio"),
    "market_stall": N_("At a market stall"),
    "mobile": N_("At the client's or on the road"),
    "own_premises": N_("In premises of its own (workshop, shop or office)"),
}
# The usual premises is always one of the ways to start.
START_OPTION_OF_PREMISES = {"home": "home", "mobile": "mobile", "workshop": "own_premises", "shop": "own_premises"}
PROVENANCE_LABELS = {
    "cbs": N_("CBS (Statistics Netherlands)"),
    "kvk": N_("KVK (Chamber of Commerce)"),
    "uwv": N_("UWV"),
    "esco": N_("ESCO classification"),
    "published": N_("official publication"),
    "curated": N_("curated judgement"),
    "derived": N_("derived by the project"),
    "synthetic": N_("synthetic"),
    "local": N_("local figures uploaded by a manager"),
}
PROVENANCES = frozenset(PROVENANCE_LABELS) - {"local"}


def sbi2008_section(code: str) -> str | None:
    """The SBI 2008 section letter of a class such as '56.10' (None for an unknown division)."""
    division = int(code[:2])
    for letter, first, last in _SECTION_BY_DIVISION:
        if first <= division <= last:
            return letter
    return None


def cefr_rank(level: str) -> int:
    """1 for A1 up to 6 for C2."""
    return CEFR_LEVELS.index(level) + 1


@dataclass(frozen=True)
class WeightedSkill:
    code: str
    weight: float


def parse_weighted_skills(text: str) -> list[WeightedSkill]:
    """'S6.5.6:1.0;S1.2.3:0.5' as a list; raises ValueError naming the first bad part."""
    skills = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        code, sep, weight = part.partition(":")
        if not sep or not ESCO_SKILL_GROUP.match(code):
            raise ValueError(part)
        try:
            value = float(weight)
        except ValueError:
            raise ValueError(part) from None
        if not 0 < value <= 1:
            raise ValueError(part)
        skills.append(WeightedSkill(code, value))
    return skills


def parent_skill_group(code: str) -> str | None:
    """S6.5.6 -> S6.5 -> S6; T6.4 -> T6; a top group has none."""
    if "." in code:
        return code.rsplit(".", 1)[0]
    return None


def list_skill_groups(cur: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """The ESCO skill groups the ventures use, each `label` in `lang` (English where it has none)."""
    return cur.execute(f"SELECT code, {label_sql('skill_group', 'code')} AS label, level, parent_code, esco_uri"
                       " FROM skill_groups ORDER BY code", {"lang": lang}).df()


def list_occupations(cur: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """The ESCO occupations the ventures link to, with their ISCO-08 unit group and `label` in `lang`."""
    return cur.execute(f"SELECT esco_uri, isco, esco_code, {label_sql('occupation', 'esco_uri')} AS label"
                       " FROM occupations ORDER BY label", {"lang": lang}).df()


def list_cefr_levels(cur: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    return cur.execute(f"SELECT level, rank, {label_sql('cefr', 'level')} AS label FROM cefr_levels ORDER BY rank",
                       {"lang": lang}).df()


def list_isced_levels(cur: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    return cur.execute(f"SELECT level, {label_sql('isced', 'level')} AS label FROM isced_levels ORDER BY level",
                       {"lang": lang}).df()
