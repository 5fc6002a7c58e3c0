"""The skills-and-ambition inventory of one newcomer, in the exchange format
(docs/profile.schema.json). No nationality, ethnicity or religion: there is no field for them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from jsonschema import Draft202012Validator

from incubator.core.i18n import LANGUAGES
from incubator.market.taxonomy import CEFR_LEVELS, ESCO_SKILL_CODE_PATTERN, ESCO_SKILL_URI_PATTERN, RIASEC

PARTICIPANT_ID_PATTERN = r"^P-[0-9]{6,}$"  # a seventh digit past P-999999
# Any code of the ESCO skills hierarchy (levels 0-3: S, S5, S5.1, S6.5.6, T6.4, L1, K); which codes
# exist is checked against the published hierarchy (data/esco_skill_hierarchy.csv).
ESCO_GROUP_PATTERN = ESCO_SKILL_CODE_PATTERN
ESCO_SKILL_PATTERN = ESCO_SKILL_URI_PATTERN
# The id of a person in the system a file came from. Letters, digits and . _ : / # - (so never a
# formula); never a citizen service number (BSN), which incubator.people.checks refuses.
EXTERNAL_REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,63}$"
ESCO_OCCUPATION_PATTERN = (
    r"^http://data\.europa\.eu/esco/occupation/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$"
)
MAX_NAME_LENGTH = 80
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "profile.schema.json"


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, e.g. "nl", "ar", "ti" is ISO 639-1 too
    cefr: str  # A1..C2


@dataclass(frozen=True)
class Education:
    isced_level: int = 0
    field: str | None = None


@dataclass(frozen=True)
class Experience:
    years: float
    isco: str | None = None  # ISCO-08 unit group, 4 digits
    esco_uri: str | None = None


@dataclass(frozen=True)
class Skill:
    esco_group: str  # e.g. "S6.5.6"
    level: int  # 1-4


@dataclass(frozen=True)
class Profile:
    id: str
    display_name: str | None = None
    municipality: str | None = None  # CBS GM code
    languages: tuple[Language, ...] = ()
    education: Education = field(default_factory=Education)
    experience: tuple[Experience, ...] = ()
    skills: tuple[Skill, ...] = ()
    interests: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RIASEC, 50))
    ambition: int = 50
    capital_eur: float = 0.0
    hours_per_week: float = 20.0
    home_based_only: bool = False
    on_benefit: bool = True
    ladder_rung: int = 1
    external_ref: str | None = None  # the id in the source system of an imported file

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        """Read the exchange format; fields a person has not answered get the defaults above.
        Structure is checked by the JSON Schema, values by the inventory's validation."""
        education = data.get("education") or {}
        interests = dict.fromkeys(RIASEC, 50)
        interests.update({k: int(v) for k, v in (data.get("interests") or {}).items() if k in RIASEC})
        optional = {
            key: data[key]
            for key in ("ambition", "capital_eur", "hours_per_week", "home_based_only", "on_benefit", "ladder_rung",
                        "external_ref")
            if data.get(key) is not None
        }
        return cls(
            id=str(data["id"]),
            display_name=data.get("display_name"),
            municipality=data.get("municipality"),
            languages=tuple(Language(item["code"], item["cefr"]) for item in data.get("languages") or ()),
            education=Education(int(education.get("isced_level", 0)), education.get("field")),
            experience=tuple(
                Experience(float(item.get("years", 0)), item.get("isco"), item.get("esco_uri"))
                for item in data.get("experience") or ()
            ),
            # An ESCO URI without a code stays a URI here; the import's checks turn it into its group's code.
            skills=tuple(Skill(item.get("esco_group") or item["esco_uri"], int(item["level"]))
                         for item in data.get("skills") or ()),
            interests=interests,
            **optional,
        )

    def to_dict(self) -> dict[str, Any]:
        """The exchange format; empty optional values are left out. (Written out by hand: it runs
        for every row of an import, and dataclasses.asdict deep-copies.)"""
        education = self.education
        data = {
            "id": self.id,
            "display_name": self.display_name,
            "municipality": self.municipality,
            "languages": [{"code": x.code, "cefr": x.cefr} for x in self.languages],
            "education": {k: v for k, v in (("isced_level", education.isced_level), ("field", education.field))
                          if v is not None},
            "experience": [
                {k: v for k, v in (("years", x.years), ("isco", x.isco), ("esco_uri", x.esco_uri)) if v is not None}
                for x in self.experience
            ],
            "skills": [{"esco_group": x.esco_group, "level": x.level} for x in self.skills],
            "interests": dict(self.interests),
            "ambition": self.ambition,
            "capital_eur": self.capital_eur,
            "hours_per_week": self.hours_per_week,
            "home_based_only": self.home_based_only,
            "on_benefit": self.on_benefit,
            "ladder_rung": self.ladder_rung,
            "external_ref": self.external_ref,
        }
        return {k: v for k, v in data.items() if v is not None}

    def cefr(self, language_code: str) -> str | None:
        """The person's CEFR level in a language, or None."""
        for language in self.languages:
            if language.code == language_code:
                return language.cefr
        return None


def _integer(low: int, high: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": low, "maximum": high}


# The exchange format as a JSON Schema (draft 2020-12). docs/profile.schema.json is written from this
# dict (`python -m incubator profile-schema`), and a test keeps the two the same.
PROFILE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://versnelling.invalid/schemas/profile.schema.json",
    "title": "Versnelling profile",
    "description": (
        "One newcomer's skills-and-ambition profile in the exchange format. Every field except id "
        "may be missing; it then gets the default named in docs/profile-format.md. There is no field "
        "for nationality, ethnicity or religion, and none may be added."
    ),
    "type": "object",
    "required": ["id"],
    "additionalProperties": False,
    "properties": {
        "id": {
            "type": "string",
            "pattern": r"^(?:P-[0-9]{6,})?$",
            "description": ("The pseudonymous participant id (P- and six digits, more past P-999999) of an "
                            "existing participant; empty for a new participant."),
        },
        "display_name": {"type": ["string", "null"], "maxLength": MAX_NAME_LENGTH},
        "external_ref": {
            "type": ["string", "null"],
            "description": (
                "Optional: the person's id in the system the file comes from, up to 64 letters, digits and "
                ". _ : / # - (pattern " + EXTERNAL_REF_PATTERN + "). Unique: a later import with the same "
                "external_ref updates that participant. Never a citizen service number (BSN): a value of 8 "
                "or 9 digits, or holding 9 digits that pass the BSN check, is refused."
            ),
        },
        "municipality": {
            "type": ["string", "null"],
            "pattern": r"^GM[0-9]{4}$",
            "description": "CBS municipality code.",
        },
        "languages": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "cefr"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": "^[a-z]{2}$", "description": "ISO 639-1."},
                    "cefr": {"enum": list(CEFR_LEVELS)},
                },
            },
        },
        "education": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "isced_level": _integer(0, 8),
                "field": {
                    "type": ["string", "null"],
                    "pattern": "^(?:0[0-9]|10)$",
                    "description": "ISCED-F 2013 broad field, two digits.",
                },
            },
        },
        "experience": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["years"],
                "anyOf": [{"required": ["isco"]}, {"required": ["esco_uri"]}],
                "additionalProperties": False,
                "properties": {
                    "isco": {"type": "string", "pattern": "^[0-9]{4}$", "description": "ISCO-08 unit group."},
                    "esco_uri": {"type": "string", "pattern": ESCO_OCCUPATION_PATTERN},
                    "years": {"type": "number", "minimum": 0, "maximum": 60},
                },
            },
        },
        "skills": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["level"],
                "anyOf": [{"required": ["esco_group"]}, {"required": ["esco_uri"]}],
                "additionalProperties": False,
                "properties": {
                    "esco_group": {
                        "type": "string", "pattern": ESCO_GROUP_PATTERN,
                        "description": (
                            "Any code of the ESCO v1.1.1 skills hierarchy, levels 0 to 3 (S, S5, S5.1, "
                            "S6.5.6, T6.4, L1, K; data/esco_skill_hierarchy.csv). A code the hierarchy "
                            "does not have is refused."
                        ),
                    },
                    "esco_uri": {
                        "type": "string", "pattern": ESCO_SKILL_PATTERN,
                        "description": (
                            "An ESCO skill URI instead of (or beside) the code: the URI of a group of the "
                            "hierarchy, or of an individual skill that ESCO places in one group "
                            "(data/esco_skills.csv). It is saved as that group's code; other skill URIs "
                            "are refused."
                        ),
                    },
                    "level": _integer(1, 4),
                },
            },
        },
        "interests": {
            "type": "object",
            "additionalProperties": False,
            "properties": {letter: _integer(0, 100) for letter in RIASEC},
        },
        "ambition": _integer(0, 100),
        "capital_eur": {"type": "number", "minimum": 0, "maximum": 1_000_000},
        "hours_per_week": {"type": "number", "minimum": 0, "maximum": 80},
        "home_based_only": {"type": "boolean"},
        "on_benefit": {"type": "boolean"},
        "ladder_rung": _integer(1, 6),
    },
}


def schema_text() -> str:
    """docs/profile.schema.json as it should read."""
    return json.dumps(PROFILE_SCHEMA, indent=2, ensure_ascii=False) + "\n"


@cache
def schema_validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(PROFILE_SCHEMA)
    return Draft202012Validator(PROFILE_SCHEMA)


@cache
def language_names(lang: str) -> dict[str, str]:
    """ISO 639-1 codes with their names in one interface language (from CLDR, through Babel)."""
    names = Locale.parse(lang if lang in LANGUAGES else "en").languages
    return dict(sorted(((code, name) for code, name in names.items() if len(code) == 2), key=lambda kv: kv[1]))


_JSON_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def conforms(instance: Any, schema: dict[str, Any] = PROFILE_SCHEMA) -> bool:
    """True when `instance` is valid against the profile schema. A quick check covering only the
    keywords PROFILE_SCHEMA uses; jsonschema (about 30 times slower) then explains the items this
    refuses. A test keeps the two in agreement."""
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(_JSON_TYPES[k](instance) for k in kinds):
            return False
    if "enum" in schema and instance not in schema["enum"]:
        return False
    if isinstance(instance, str):
        if "pattern" in schema and not _pattern(schema["pattern"]).search(instance):
            return False
        if "maxLength" in schema and len(instance) > schema["maxLength"]:
            return False
    if isinstance(instance, (int, float)) and not isinstance(instance, bool):
        if "minimum" in schema and instance < schema["minimum"]:
            return False
        if "maximum" in schema and instance > schema["maximum"]:
            return False
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        if any(name not in instance for name in schema.get("required", ())):
            return False
        if schema.get("additionalProperties") is False and any(name not in properties for name in instance):
            return False
        if "anyOf" in schema and not any(conforms(instance, option) for option in schema["anyOf"]):
            return False
        for name, value in instance.items():
            if name in properties and not conforms(value, properties[name]):
                return False
    if isinstance(instance, list) and "items" in schema:
        return all(conforms(item, schema["items"]) for item in instance)
    return True
