"""The checks' two slowest parts as main had them before issue 12 (row by row), kept only so that a
test can compare their results with the column-wise versions in incubator.people.checks."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from incubator.people.checks import Frames, _is_missing
from incubator.people.profile import RIASEC, Education, Experience, Language, Profile, Skill


def _numbers(values: pd.Series) -> pd.Series:
    """Text to numbers; a decimal comma is read as a point, and points before a decimal comma as
    thousands separators (Dutch Excel: 2.500,50). NaN where it is not a number."""
    dutch = values.str.fullmatch(r"-?\d{1,3}(?:\.\d{3})+,\d+").fillna(False).astype(bool)
    values = values.where(~dutch, values.str.replace(".", "", regex=False))
    comma = values.str.contains(",", regex=False) & ~values.str.contains(".", regex=False)
    values = values.where(~comma, values.str.replace(",", ".", regex=False))
    return pd.to_numeric(values.where(values != ""), errors="coerce")


def _by_row(frame: pd.DataFrame, columns: list[str]) -> dict[int, list[tuple]]:
    """Entries of a long frame grouped by row, as plain tuples (a sub-frame per row would be slow)."""
    grouped: dict[int, list[tuple]] = {}
    values = [frame[c].tolist() for c in columns]
    for row, *entry in zip(frame["row"].tolist(), *values, strict=True):
        grouped.setdefault(int(row), []).append(tuple(None if _is_missing(v) else v for v in entry))
    return grouped


def profiles_from_frames(frames: Frames, rows: Iterable[int]) -> dict[int, Profile]:
    """Typed frames (after `check_frames`) as Profiles, for the given rows. Missing values get the
    exchange format's defaults."""
    wanted = set(rows)
    languages = _by_row(frames.languages, ["code", "cefr"])
    experience = _by_row(frames.experience, ["isco", "esco_uri", "years"])
    skills = _by_row(frames.skills, ["code", "level"])
    defaults = Profile(id="")
    built: dict[int, Profile] = {}
    for record in frames.base.to_dict("records"):
        row = int(record["row"])
        if row not in wanted:
            continue

        def value(name: str, default: object, kind: type = float, record: dict = record) -> object:
            v = record.get(name)
            return default if _is_missing(v) else kind(v)

        built[row] = Profile(
            id=record["id"] or "",
            display_name=value("display_name", None, str),
            municipality=value("municipality", None, str),
            languages=tuple(Language(code, cefr) for code, cefr in languages.get(row, ())),
            education=Education(value("isced_level", 0, int), value("education_field", None, str)),
            experience=tuple(Experience(float(years), isco, uri) for isco, uri, years in experience.get(row, ())),
            skills=tuple(Skill(code, int(level)) for code, level in skills.get(row, ())),
            interests={k: value(f"interest_{k}", defaults.interests[k], int) for k in RIASEC},
            ambition=value("ambition", defaults.ambition, int),
            capital_eur=value("capital_eur", defaults.capital_eur),
            hours_per_week=value("hours_per_week", defaults.hours_per_week),
            home_based_only=value("home_based_only", defaults.home_based_only, bool),
            on_benefit=value("on_benefit", defaults.on_benefit, bool),
            ladder_rung=value("ladder_rung", defaults.ladder_rung, int),
            external_ref=value("external_ref", None, str),
        )
    return built
