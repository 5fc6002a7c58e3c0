"""Checks on profile values, shared by the wizard, the import and the command line.

Profiles are checked as tables, not one by one: a file of 10,000 people becomes a frame of scalar
values (one row a person) and three long frames (languages, experience, skills: one row an entry),
and every rule is a vectorised mask over a column. A test that only Python can make of a cell (the
label of a code in any language, a BSN, an invisible character) runs once per distinct value
(`_per_value`), never once per cell: a cohort names the same few municipalities, languages and
skills thousands of times. Each failure is a `Problem` naming the row and the column, with an
English message key that the interface translates.

Codes are checked against the market dataset's tables (municipalities, skill_groups, occupations,
the ESCO skills hierarchy and the ESCO skills placed in it) and the ISCO-08 unit groups; a cell may
hold a code or a label in Dutch or English, and a skill also an ESCO skill URI.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from incubator.core.i18n import N_, translate
from incubator.core.names import INVISIBLE, invisible_character, may_hide_characters
from incubator.market.isco08 import ISCO08_UNIT_GROUPS
from incubator.market.labels import texts_in_every_language
from incubator.people import inventory as inv
from incubator.people.profile import (
    CEFR_LEVELS,
    ESCO_GROUP_PATTERN,
    ESCO_OCCUPATION_PATTERN,
    EXTERNAL_REF_PATTERN,
    MAX_NAME_LENGTH,
    PARTICIPANT_ID_PATTERN,
    RIASEC,
    Education,
    Experience,
    Language,
    Profile,
    Skill,
    language_names,
)

# Why a value is refused. The interface shows "row, column: message".
NOT_NUMBER = N_("{value} is not a number.")
NOT_WHOLE = N_("{value} is not a whole number.")
OUT_OF_RANGE = N_("{value} is outside the range {low} to {high}.")
NOT_BOOLEAN = N_("{value} is not yes or no.")
FORMULA = N_("{value} looks like a formula. Formulas are not calculated: type the value itself.")
NOT_CEFR = N_("{value} is not a language level (A1, A2, B1, B2, C1 or C2).")
UNKNOWN_MUNICIPALITY = N_("{value} is not a municipality code (GM0363) or the name of a municipality.")
UNKNOWN_FIELD = N_("{value} is not a field of education (a code 00 to 10 or its name).")
UNKNOWN_LANGUAGE = N_("{value} is not a language code (such as ar) or the name of a language.")
UNKNOWN_SKILL = N_("{value} is not an ESCO skill group (such as S6.5.6) or the name of one we know.")
UNKNOWN_OCCUPATION = N_("{value} is not an ISCO-08 unit group (4 digits) or the name of an occupation we know.")
UNKNOWN_ESCO_URI = N_("{value} is not an ESCO occupation we know; give its ISCO-08 code as well.")
ISCO_MISMATCH = N_("The ISCO code {value} does not belong to this ESCO occupation ({expected}).")
BAD_ENTRY = N_("{value} does not have the form {form}.")
TWICE_IN_CELL = N_("{value} is listed more than once.")
DUTCH_IN_OTHER = N_("Dutch goes in the column dutch_cefr.")
BAD_NAME = N_("A name has at most {limit} characters and no control characters.")
BAD_ID = N_("{value} is not a participant id: P- and at least six digits, or empty for a new participant.")
DUPLICATE_ID = N_("The id {value} appears more than once in this file.")
UNKNOWN_SKILL_URI = N_("{value} is not an ESCO skill we can place in a skill group. Give the code of its group "
                       "(such as S6.5.6) instead.")
SKILL_URI_MISMATCH = N_("The ESCO skill {value} belongs to the group {expected}, not to the code beside it.")
BAD_EXTERNAL_REF = N_("An external reference has at most 64 letters, digits and the signs . _ : / # - "
                      "and starts with a letter or digit.")
BSN_REFUSED = N_("This looks like a citizen service number (BSN). A BSN may not be stored here: use the id "
                 "from the source system, or leave the cell empty.")
DUPLICATE_EXTERNAL_REF = N_("The external reference {value} appears more than once in this file.")

BOOLEANS = {
    "yes": True, "no": False, "ja": True, "nee": False, "true": True, "false": False, "waar": True,
    "onwaar": False, "y": True, "n": False, "j": True, "1": True, "0": False, "نعم": True, "لا": False,
}
FORMULA_START = ("=", "+", "-", "@")
SCALAR_COLUMNS = (
    "id", "display_name", "municipality", "isced_level", "education_field",
    *(f"interest_{letter}" for letter in RIASEC),
    "ambition", "capital_eur", "hours_per_week", "home_based_only", "on_benefit", "ladder_rung", "external_ref",
)
# column -> (low, high, whole number)
NUMBERS: dict[str, tuple[float, float, bool]] = {
    "isced_level": (0, 8, True),
    **{f"interest_{letter}": (0, 100, True) for letter in RIASEC},
    "ambition": (0, 100, True),
    "capital_eur": (0, inv.MAX_CAPITAL_EUR, False),
    "hours_per_week": (0, inv.MAX_HOURS, False),
    "ladder_rung": (1, 6, True),
}
YEARS = (0, inv.MAX_YEARS_EXPERIENCE)
_ID = re.compile(PARTICIPANT_ID_PATTERN)
_ESCO_GROUP = re.compile(ESCO_GROUP_PATTERN)
_ESCO_URI = re.compile(ESCO_OCCUPATION_PATTERN)
_EXTERNAL_REF = re.compile(EXTERNAL_REF_PATTERN)
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s.\-](?=\d)")
_DIGIT_RUN = re.compile(r"\d+")


@dataclass(frozen=True)
class Problem:
    """One reason a value is refused: the row (1-based; 0 for the whole file) and column."""

    row: int
    column: str
    message: str
    params: dict = field(default_factory=dict)

    def english(self) -> str:
        return translate(self.message, "en", **self.params)


@dataclass(frozen=True)
class Codes:
    """Every code a profile may use, and the labels (in any interface language, case-folded) that name them."""

    municipalities: dict[str, str]
    skill_groups: dict[str, str]
    occupation_labels: dict[str, str]  # label -> ESCO URI
    isco_by_uri: dict[str, str]
    isco: frozenset[str]
    languages: dict[str, str]
    fields: dict[str, str]
    skill_uris: dict[str, str] = field(default_factory=dict)  # ESCO skill URI -> code of its group

    @classmethod
    def load(cls, cur: duckdb.DuckDBPyConnection) -> Codes:
        municipalities: dict[str, str] = {}
        for code, name in cur.execute("SELECT gm_code, name FROM municipalities").fetchall():
            municipalities[_key(name)] = code
            municipalities[_key(code)] = code
        skills: dict[str, str] = {}
        # A label in any interface language names its code; English, then Dutch, where two collide.
        for code, text in texts_in_every_language(cur, "skill_group"):
            skills.setdefault(_key(text), code)
        for (code,) in cur.execute("SELECT code FROM skill_groups").fetchall():
            skills[_key(code)] = code
        # Every code of the ESCO hierarchy, and its English label where no curated group has it.
        skill_uris: dict[str, str] = {}
        for code, uri, label_en in cur.execute("SELECT code, esco_uri, label_en FROM esco_skill_hierarchy").fetchall():
            skills.setdefault(_key(label_en), code)
            skills[_key(code)] = code
            skill_uris[uri] = code
        for uri, group in cur.execute("SELECT esco_uri, group_code FROM esco_skills").fetchall():
            skill_uris.setdefault(uri, group)
        labels: dict[str, str] = {}
        isco_by_uri: dict[str, str] = {}
        for uri, text in texts_in_every_language(cur, "occupation"):
            labels.setdefault(_key(text), uri)
        for uri, isco in cur.execute("SELECT esco_uri, isco FROM occupations").fetchall():
            isco_by_uri[uri] = isco
        languages: dict[str, str] = {}
        for lang in ("nl", "en"):
            languages.update({_key(name): code for code, name in language_names(lang).items()})
        languages.update({code: code for code in language_names("en")})
        fields = {code: code for code in inv.ISCED_FIELDS}
        for lang in ("nl", "en"):
            fields.update({_key(translate(label, lang)): code for code, label in inv.ISCED_FIELDS.items()})
        return cls(municipalities, skills, labels, isco_by_uri,
                   frozenset(ISCO08_UNIT_GROUPS) | frozenset(isco_by_uri.values()), languages, fields, skill_uris)


def _key(text: object) -> str:
    # Excel and Word turn the apostrophe of 's-Hertogenbosch into a curly one (Windows-1252 has both).
    return unicodedata.normalize("NFKC", str(text)).strip().casefold().replace("\u2019", "'").replace("\u2018", "'")


def _elfproef(digits: str) -> bool:
    """The check every citizen service number passes: 9a + 8b + ... + 2h - i is a multiple of 11."""
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0 and digits != "000000000"


def looks_like_bsn(value: str) -> bool:
    """True for anything shaped like a citizen service number (BSN): a value that is 8 or 9 digits
    (spaces, dots and dashes aside), or that holds 8 or 9 digits in a row passing the BSN check.
    Such a value is refused and never shown back."""
    runs = _DIGIT_RUN.findall(value)
    if sum(map(len, runs)) < 8:  # both shapes need 8 digits: most references (HR-1234) end here
        return False
    if re.fullmatch(r"\d{8,9}", re.sub(r"[\s.\-]", "", value)):
        return True
    runs += _DIGIT_RUN.findall(_BETWEEN_DIGITS.sub("", value))
    return any(len(run) in (8, 9) and _elfproef(run.zfill(9)) for run in runs)


@dataclass
class Frames:
    """Profiles as tables of raw values (text, or what JSON gave). Every frame has a `row` column;
    the long frames also say which `column` of the file an entry came from."""

    base: pd.DataFrame
    languages: pd.DataFrame  # row, column, language, cefr
    experience: pd.DataFrame  # row, column, occupation, isco, esco_uri, years
    skills: pd.DataFrame  # row, column, skill, level

    @classmethod
    def empty_lists(cls, base: pd.DataFrame) -> Frames:
        return cls(
            base,
            pd.DataFrame(columns=["row", "column", "language", "cefr"]),
            pd.DataFrame(columns=["row", "column", "occupation", "isco", "esco_uri", "years"]),
            pd.DataFrame(columns=["row", "column", "skill", "level"]),
        )


def text(series: pd.Series) -> pd.Series:
    """Cells as stripped text: empty for missing, whole floats without '.0', booleans as words."""
    values = series.astype(object)
    missing = values.isna()
    if pd.api.types.infer_dtype(values[~missing], skipna=False) in ("string", "empty"):
        return _distinct(values.where(~missing, "").astype(object), lambda v: v.str.strip())

    def one(value: object) -> str:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()
    return pd.Series([one(v) for v in series.tolist()], index=series.index, dtype=object)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, mask: pd.Series, rows: pd.Series, column: str | pd.Series, message: str,
            values: pd.Series | None = None, **params: object) -> None:
        """A problem for every row where `mask` holds (most masks hold nowhere: return at once)."""
        if not mask.any():
            return
        columns = [column] * int(mask.sum()) if isinstance(column, str) else column[mask].tolist()
        shown = values[mask].tolist() if values is not None else [None] * len(columns)
        for row, col, value in zip(rows[mask].tolist(), columns, shown, strict=True):
            extra = {"value": _shown(value)} if value is not None else {}
            self.problems.append(Problem(int(row), col, message, {**extra, **params}))


def _per_value(values: pd.Series, work: Callable[[Any], object]) -> pd.Series:
    """`values.map(work)` (the same values and dtype), with `work` called once per distinct value."""
    positions, distinct = pd.factorize(values)
    results = np.empty(len(distinct) + 1, dtype=object)  # the last one for missing values (position -1)
    for index, value in enumerate(distinct.tolist()):
        results[index] = work(value)
    return pd.Series(results[positions].tolist(), index=values.index)


def _distinct(values: pd.Series, work: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`work(values)` for a vectorised `work` that treats each value alone, run on the distinct values
    and spread back: pandas' string methods loop in Python, once for every value they are given."""
    positions, distinct = values.factorize(use_na_sentinel=False)
    if len(distinct) * 2 > len(values):  # mostly distinct (names, ids): nothing to save
        return work(values)
    done = work(pd.Series(np.asarray(distinct, dtype=object), dtype=values.dtype))
    return pd.Series(done.array.take(positions), index=values.index, dtype=done.dtype)


def _shown(value: object) -> str:
    shown = str(value)
    return shown if len(shown) <= 100 else shown[:97] + "..."


def _numbers(values: pd.Series) -> pd.Series:
    """Text to numbers; a decimal comma is read as a point, and points before a decimal comma as
    thousands separators (Dutch Excel: 2.500,50). NaN where it is not a number."""
    return _distinct(values, _distinct_numbers)


def _distinct_numbers(values: pd.Series) -> pd.Series:
    # Only cells with a comma need the Dutch reading; finding them is one pass over plain strings.
    comma = values.str.contains(",", regex=False).fillna(False).to_numpy(dtype=bool) if len(values) else np.zeros(0, bool)
    if comma.any():
        odd = values[comma]
        dutch = odd.str.fullmatch(r"-?\d{1,3}(?:\.\d{3})+,\d+").fillna(False).astype(bool)
        odd = odd.where(~dutch, odd.str.replace(".", "", regex=False))
        odd = odd.where(odd.str.contains(".", regex=False), odd.str.replace(",", ".", regex=False))
        values = values.copy()
        values[comma] = odd
    return pd.to_numeric(values.where(values != ""), errors="coerce")


def _check_number(out: _Collector, rows: pd.Series, raw: pd.Series, column: str | pd.Series,
                  low: float | np.ndarray, high: float | np.ndarray, whole: bool | np.ndarray) -> pd.Series:
    """Numbers of one column, or of several stacked into one series (then `column`, `low`, `high`
    and `whole` hold a value for every entry)."""
    number = _numbers(raw)
    given = raw != ""
    formula = given & number.isna() & _distinct(raw, lambda v: v.str.startswith(FORMULA_START))
    bad = given & number.isna() & ~formula
    out.add(formula, rows, column, FORMULA, raw)
    out.add(bad, rows, column, NOT_NUMBER, raw)
    ok = number.notna()
    not_whole = ok & whole & (number % 1 != 0)
    out.add(not_whole, rows, column, NOT_WHOLE, raw)
    outside = ok & ~not_whole & ((number < low) | (number > high))
    if outside.any():
        lows, highs = np.broadcast_to(low, len(raw)), np.broadcast_to(high, len(raw))
        for row, col, value, lo, hi in zip(rows[outside], _each(column, outside), raw[outside], lows[outside],
                                           highs[outside], strict=True):
            out.problems.append(Problem(int(row), col, OUT_OF_RANGE,
                                        {"value": _shown(value), "low": _plain(lo), "high": _plain(hi)}))
    return number.where(ok & ~not_whole & ~outside)


def _each(column: str | pd.Series, mask: pd.Series) -> list[str]:
    return [column] * int(mask.sum()) if isinstance(column, str) else column[mask].tolist()


def _stacked(base: pd.DataFrame, names: list[str]) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Several columns as one long series (column after column), with each entry's row and column:
    one vectorised check then costs about as much for one row as a single column does."""
    size = len(base)
    raw = pd.Series(np.concatenate([base[c].to_numpy(dtype=object) for c in names]) if size else [], dtype=object)
    rows = pd.Series(np.tile(base["row"].to_numpy(), len(names)))
    columns = pd.Series(np.repeat(np.array(names, dtype=object), size), dtype=object)
    return raw, rows, columns


def _unstacked(values: pd.Series, base: pd.DataFrame, names: list[str]) -> dict[str, pd.Series]:
    array, size = values.to_numpy(), len(base)
    return {name: pd.Series(array[i * size:(i + 1) * size], index=base.index) for i, name in enumerate(names)}


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _check_code(out: _Collector, rows: pd.Series, raw: pd.Series, column: str | pd.Series,
                lookup: dict[str, str], message: str) -> pd.Series:
    """Resolve codes or labels through `lookup`; report what does not resolve."""
    code = _per_value(raw, lambda v: lookup.get(_key(v)) if v else None)
    bad = (raw != "") & code.isna()
    formula = bad & _distinct(raw, lambda v: v.str.startswith(("=", "@")))
    out.add(bad & formula, rows, column, FORMULA, raw)
    out.add(bad & ~formula, rows, column, message, raw)
    return code


def check_frames(frames: Frames, codes: Codes) -> tuple[Frames, list[Problem]]:
    """Check every value; return typed frames (bad values as missing) and the problems found."""
    out = _Collector()
    base = frames.base.copy()
    rows = base["row"]
    for column in SCALAR_COLUMNS:
        if column not in base:
            base[column] = ""
    raw, _, _ = _stacked(base, list(SCALAR_COLUMNS))
    base = base.assign(**_unstacked(text(raw), base, list(SCALAR_COLUMNS)))

    typed = pd.DataFrame({"row": rows})
    typed["id"] = base["id"]
    bad_id = (base["id"] != "") & ~_distinct(base["id"], lambda v: v.str.match(_ID))
    out.add(bad_id, rows, "id", BAD_ID, base["id"])
    repeated = (base["id"] != "") & base["id"].duplicated(keep=False)
    out.add(repeated, rows, "id", DUPLICATE_ID, base["id"])

    names = base["display_name"].map(lambda v: unicodedata.normalize("NFC", v))
    # A leading apostrophe is how exports keep formula-like text from being run; it is not part of the name.
    names = names.where(~names.str.match(r"^'\s*[=+\-@\t\r]"), names.str[1:])
    # Names are mostly distinct, but nearly all printable: control and invisible characters are all
    # unprintable (the blank letters aside), so only the other names need a look at each character.
    listed = names.tolist()
    suspect = np.fromiter(map(may_hide_characters, listed), bool, len(listed))
    control = np.zeros(len(listed), bool)
    hidden = np.full(len(listed), None, dtype=object)
    for index in np.flatnonzero(suspect).tolist():
        control[index] = any(unicodedata.category(c) == "Cc" for c in listed[index])
        hidden[index] = invisible_character(listed[index])
    bad_name = (names.str.len() > MAX_NAME_LENGTH) | control
    out.add(bad_name, rows, "display_name", BAD_NAME, limit=MAX_NAME_LENGTH)
    hidden = pd.Series(hidden, index=names.index)
    invisible = hidden.notna() & ~bad_name
    for row, character in zip(rows[invisible], hidden[invisible], strict=True):
        out.problems.append(Problem(int(row), "display_name", INVISIBLE, {"character": character}))
    bad_name |= invisible
    typed["display_name"] = names.where((names != "") & ~bad_name)

    typed["external_ref"] = _check_external_ref(out, rows, base["external_ref"])
    typed["municipality"] = _check_code(out, rows, base["municipality"], "municipality", codes.municipalities,
                                        UNKNOWN_MUNICIPALITY)
    typed["education_field"] = _check_code(out, rows, base["education_field"], "education_field", codes.fields,
                                           UNKNOWN_FIELD)
    names = list(NUMBERS)
    raw, stacked_rows, columns = _stacked(base, names)
    size = len(base)
    low, high, whole = (np.repeat(np.array([NUMBERS[n][i] for n in names]), size) for i in range(3))
    checked = _check_number(out, stacked_rows, raw, columns, low, high, whole.astype(bool))
    typed = typed.assign(**_unstacked(checked, base, names))
    for column in ("home_based_only", "on_benefit"):
        raw = base[column]
        value = _per_value(raw, lambda v: BOOLEANS.get(v.casefold()) if v else None)
        bad = (raw != "") & value.isna()
        out.add(bad, rows, column, NOT_BOOLEAN, raw)
        typed[column] = value

    languages = _check_languages(out, frames.languages, codes)
    experience = _check_experience(out, frames.experience, codes)
    skills = _check_skills(out, frames.skills, codes)
    return Frames(typed, languages, experience, skills), out.problems


def _check_external_ref(out: _Collector, rows: pd.Series, refs: pd.Series) -> pd.Series:
    """The id in the source system: well formed, once in the file, never a BSN. The value of a
    refused reference is not shown back (it could be a citizen service number)."""
    given = refs != ""
    bsn = given & _per_value(refs, looks_like_bsn).astype(bool)
    out.add(bsn, rows, "external_ref", BSN_REFUSED)
    bad = given & ~bsn & ~_distinct(refs, lambda v: v.str.match(_EXTERNAL_REF)).fillna(False).astype(bool)
    out.add(bad, rows, "external_ref", BAD_EXTERNAL_REF)
    twice = given & ~bsn & ~bad & refs.duplicated(keep=False)
    out.add(twice, rows, "external_ref", DUPLICATE_EXTERNAL_REF, refs)
    return refs.where(given & ~bsn & ~bad)


def _long_text(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    frame = frame.reset_index(drop=True).copy()
    for column in columns:
        frame[column] = text(frame[column]) if len(frame) else pd.Series(dtype=object)
    return frame


def _check_languages(out: _Collector, frame: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    frame = _long_text(frame, ["language", "cefr"])
    rows, columns = frame["row"], frame["column"]
    frame["code"] = _check_code(out, rows, frame["language"], columns, codes.languages, UNKNOWN_LANGUAGE)
    cefr = _distinct(frame["cefr"], lambda v: v.str.upper())
    bad = ~cefr.isin(CEFR_LEVELS)
    out.add(bad, rows, columns, NOT_CEFR, frame["cefr"])
    frame["cefr"] = cefr.where(~bad)
    dutch_elsewhere = (frame["code"] == "nl") & (columns == "other_languages")
    out.add(dutch_elsewhere, rows, "other_languages", DUTCH_IN_OTHER)
    twice = frame["code"].notna() & frame.duplicated(["row", "code"], keep="first")
    out.add(twice, rows, columns, TWICE_IN_CELL, frame["language"])
    return frame[["row", "code", "cefr"]]


def _check_experience(out: _Collector, frame: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    frame = _long_text(frame, ["occupation", "isco", "esco_uri", "years"])
    rows, columns = frame["row"], frame["column"]
    # A cell entry is an ISCO code, an ESCO URI or an occupation's name; JSON gives isco/esco_uri.
    entry = frame["occupation"]
    is_isco = _distinct(entry, lambda v: v.str.fullmatch(r"\d{4}"))
    is_uri = _distinct(entry, lambda v: v.str.startswith("http"))
    isco = frame["isco"].where(frame["isco"] != "", entry.where(is_isco, ""))
    uri = frame["esco_uri"].where(frame["esco_uri"] != "", entry.where(is_uri, ""))
    label = entry.where(~is_isco & ~is_uri & (entry != ""), "")
    from_label = _per_value(label, lambda v: codes.occupation_labels.get(_key(v)) if v else None)
    bad_label = (label != "") & from_label.isna()
    formula = bad_label & _distinct(label, lambda v: v.str.startswith(("=", "@")))
    out.add(formula, rows, columns, FORMULA, label)
    out.add(bad_label & ~formula, rows, columns, UNKNOWN_OCCUPATION, label)
    uri = uri.where(from_label.isna(), from_label)
    known_isco = _per_value(uri, codes.isco_by_uri.get)
    bad_uri_form = (uri != "") & ~_distinct(uri, lambda v: v.str.match(_ESCO_URI))
    out.add(bad_uri_form, rows, columns, BAD_ENTRY, uri, form="http://data.europa.eu/esco/occupation/...")
    unknown_uri = (uri != "") & ~bad_uri_form & known_isco.isna() & (isco == "")
    out.add(unknown_uri, rows, columns, UNKNOWN_ESCO_URI, uri)
    mismatch = known_isco.notna() & (isco != "") & (isco != known_isco)
    for row, column, given, expected in zip(rows[mismatch], columns[mismatch], isco[mismatch], known_isco[mismatch],
                                            strict=True):
        out.problems.append(Problem(int(row), column, ISCO_MISMATCH, {"value": given, "expected": expected}))
    isco = isco.where(isco != "", known_isco.fillna(""))
    bad_isco = (isco != "") & ~isco.isin(codes.isco) & ~mismatch
    out.add(bad_isco, rows, columns, UNKNOWN_OCCUPATION, isco)
    nothing = (entry == "") & (frame["isco"] == "") & (frame["esco_uri"] == "")
    out.add(nothing, rows, columns, BAD_ENTRY, frame["years"], form="occupation:years")
    years = _check_number(out, rows, frame["years"], "experience", *YEARS, False)
    missing_years = frame["years"] == ""
    out.add(missing_years & ~nothing, rows, columns, BAD_ENTRY, entry, form="occupation:years")
    result = pd.DataFrame({"row": rows, "isco": isco.where(isco != ""), "esco_uri": uri.where(uri != ""),
                           "years": years})
    twice = result.duplicated(["row", "isco", "esco_uri"], keep="first") & (entry != "")
    out.add(twice, rows, columns, TWICE_IN_CELL, entry)
    return result


def _check_skills(out: _Collector, frame: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    if "esco_uri" not in frame:
        frame = frame.assign(esco_uri="")
    frame = _long_text(frame, ["skill", "esco_uri", "level"])
    rows, columns = frame["row"], frame["column"]
    # A cell entry is a code, a label or an ESCO skill URI; JSON gives esco_group and/or esco_uri.
    entry = frame["skill"]
    is_uri = _distinct(entry, lambda v: v.str.startswith("http"))
    uri = frame["esco_uri"].where(frame["esco_uri"] != "", entry.where(is_uri, ""))
    code = _check_code(out, rows, entry.where(~is_uri, ""), columns, codes.skill_groups, UNKNOWN_SKILL)
    from_uri = _per_value(uri, lambda v: codes.skill_uris.get(v) if v else None)
    out.add((uri != "") & from_uri.isna(), rows, columns, UNKNOWN_SKILL_URI, uri)
    mismatch = code.notna() & from_uri.notna() & (code != from_uri)
    for row, column, given, expected in zip(rows[mismatch], columns[mismatch], uri[mismatch], from_uri[mismatch],
                                            strict=True):
        out.problems.append(Problem(int(row), column, SKILL_URI_MISMATCH, {"value": given, "expected": expected}))
    frame["code"] = code.where(code.notna(), from_uri).where(~mismatch)
    missing_level = (frame["level"] == "") & ((entry != "") | (uri != ""))
    out.add(missing_level, rows, columns, BAD_ENTRY, entry.where(entry != "", uri),
            form="skill:level")
    frame["level"] = _check_number(out, rows, frame["level"], "skills", 1, 4, True)
    twice = frame["code"].notna() & frame.duplicated(["row", "code"], keep="first")
    out.add(twice, rows, columns, TWICE_IN_CELL, entry.where(entry != "", uri))
    return frame[["row", "code", "level"]]


def frames_from_profiles(profiles: Iterable[Profile]) -> Frames:
    """Profiles (already typed) as frames, so the same checks apply to what the wizard saves."""
    base, languages, experience, skills = [], [], [], []
    for row, profile in enumerate(profiles, start=1):
        record = {
            "row": row, "id": profile.id, "display_name": profile.display_name or "",
            "municipality": profile.municipality or "", "isced_level": profile.education.isced_level,
            "education_field": profile.education.field or "", "ambition": profile.ambition,
            "capital_eur": profile.capital_eur, "hours_per_week": profile.hours_per_week,
            "home_based_only": profile.home_based_only, "on_benefit": profile.on_benefit,
            "ladder_rung": profile.ladder_rung, "external_ref": profile.external_ref or "",
        }
        record.update({f"interest_{k}": v for k, v in profile.interests.items()})
        base.append(record)
        languages += [{"row": row, "column": "languages", "language": x.code, "cefr": x.cefr} for x in profile.languages]
        experience += [
            {"row": row, "column": "experience", "occupation": "", "isco": x.isco or "", "esco_uri": x.esco_uri or "",
             "years": x.years}
            for x in profile.experience
        ]
        skills += [{"row": row, "column": "skills", "skill": x.esco_group, "level": x.level} for x in profile.skills]
    frames = Frames.empty_lists(pd.DataFrame(base, columns=["row", *SCALAR_COLUMNS]))
    for name, records in (("languages", languages), ("experience", experience), ("skills", skills)):
        if records:
            setattr(frames, name, pd.DataFrame(records))
    return frames


def _shared_by_row(frame: pd.DataFrame, columns: list[str], rows: set[int],
                   make: Callable[..., object]) -> dict[int, tuple]:
    """row -> its entries of a long frame made into objects (in the frame's order), for the given rows.
    Rows of a cohort list the same languages, skills and jobs: each distinct entry is made once, and
    the rows that list the same entries share one tuple of them (the objects are frozen), so that the
    work in Python is per row and per distinct entry, not per entry."""
    frame = frame[frame["row"].isin(rows)]
    if frame.empty:
        return {}
    entry = frame.groupby(columns, dropna=False, sort=False).ngroup().to_numpy()
    distinct, first = np.unique(entry, return_index=True)
    picked = frame.iloc[first]
    made = [make(*values) for values in zip(*(_listed(picked[c], None) for c in columns), strict=True)]
    made_by_id = dict(zip(distinct.tolist(), made, strict=True))
    order = np.argsort(frame["row"].to_numpy(), kind="stable")  # stable: a row's entries keep their order
    by_row, ids = frame["row"].to_numpy()[order], entry[order]
    starts = np.flatnonzero(np.r_[True, by_row[1:] != by_row[:-1]])
    ends = np.r_[starts[1:], len(by_row)]
    shared: dict[bytes, tuple] = {}
    grouped: dict[int, tuple] = {}
    for row, start, end in zip(by_row[starts].tolist(), starts.tolist(), ends.tolist(), strict=True):
        key = ids[start:end].tobytes()
        objects = shared.get(key)
        if objects is None:
            objects = shared[key] = tuple(made_by_id[i] for i in ids[start:end].tolist())
        grouped[int(row)] = objects
    return grouped


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _listed(values: pd.Series, default: object, kind: type | None = None) -> list:
    """A column as a list, `default` where missing (found for the whole column at once) and each
    other value made `kind`."""
    missing = values.isna().tolist()
    return [default if gone else (v if kind is None else kind(v)) for v, gone in zip(values.tolist(), missing, strict=True)]


def profiles_from_frames(frames: Frames, rows: Iterable[int]) -> dict[int, Profile]:
    """Typed frames (after `check_frames`) as Profiles, for the given rows. Missing values get the
    exchange format's defaults. Column by column: 10,000 rows take a fraction of a second."""
    wanted = set(rows)
    base = frames.base[frames.base["row"].isin(wanted)]
    languages = _shared_by_row(frames.languages, ["code", "cefr"], wanted, lambda code, cefr: Language(code, cefr))
    experience = _shared_by_row(frames.experience, ["isco", "esco_uri", "years"], wanted,
                                lambda isco, uri, years: Experience(float(years), isco, uri))
    skills = _shared_by_row(frames.skills, ["code", "level"], wanted, lambda code, level: Skill(code, int(level)))
    defaults = Profile(id="")

    def column(name: str, default: object, kind: type = float) -> list:
        return _listed(base[name], default, kind) if name in base else [default] * len(base)

    interests = [column(f"interest_{k}", defaults.interests[k], int) for k in RIASEC]
    built: dict[int, Profile] = {}
    for (row, pid, name, municipality, isced, field_, ambition, capital, hours, home, benefit, rung, ref,
         *interest) in zip(
            base["row"].tolist(), column("id", "", str), column("display_name", None, str),
            column("municipality", None, str), column("isced_level", 0, int), column("education_field", None, str),
            column("ambition", defaults.ambition, int), column("capital_eur", defaults.capital_eur),
            column("hours_per_week", defaults.hours_per_week), column("home_based_only", defaults.home_based_only, bool),
            column("on_benefit", defaults.on_benefit, bool), column("ladder_rung", defaults.ladder_rung, int),
            column("external_ref", None, str), *interests, strict=True):
        row = int(row)
        built[row] = Profile(
            id=pid or "", display_name=name, municipality=municipality,
            languages=languages.get(row, ()), education=Education(isced, field_),
            experience=experience.get(row, ()), skills=skills.get(row, ()),
            interests=dict(zip(RIASEC, interest, strict=True)), ambition=ambition, capital_eur=capital,
            hours_per_week=hours, home_based_only=home, on_benefit=benefit, ladder_rung=rung, external_ref=ref,
        )
    return built


def profile_problems(cur: duckdb.DuckDBPyConnection, profile: Profile) -> list[Problem]:
    """Everything wrong with one profile (row 1), checked by the same rules as an import."""
    _, problems = check_frames(frames_from_profiles([profile]), Codes.load(cur))
    return problems
