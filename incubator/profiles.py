"""The skills-and-ambition inventory of one newcomer, in the exchange format
(docs/profile.schema.json). No nationality, ethnicity or religion: there is no field for them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

RIASEC = ("R", "I", "A", "S", "E", "C")
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        """Read the exchange format; fields a person has not answered get the defaults above.
        Structure is checked by the JSON Schema, values by the inventory's validation."""
        education = data.get("education") or {}
        interests = dict.fromkeys(RIASEC, 50)
        interests.update({k: int(v) for k, v in (data.get("interests") or {}).items() if k in RIASEC})
        optional = {
            key: data[key]
            for key in ("ambition", "capital_eur", "hours_per_week", "home_based_only", "on_benefit", "ladder_rung")
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
            skills=tuple(Skill(item["esco_group"], int(item["level"])) for item in data.get("skills") or ()),
            interests=interests,
            **optional,
        )

    def to_dict(self) -> dict[str, Any]:
        """The exchange format; empty optional values are left out."""
        data = asdict(self)
        data["languages"] = [asdict(item) for item in self.languages]
        data["experience"] = [
            {k: v for k, v in asdict(item).items() if v is not None} for item in self.experience
        ]
        data["skills"] = [asdict(item) for item in self.skills]
        data["education"] = {k: v for k, v in asdict(self.education).items() if v is not None}
        return {k: v for k, v in data.items() if v is not None}

    def cefr(self, language_code: str) -> str | None:
        """The person's CEFR level in a language, or None."""
        for language in self.languages:
            if language.code == language_code:
                return language.cefr
        return None
