"""Loading the market-opportunity dataset (data/*.csv): every file is validated (columns, types,
ranges, code formats, references that resolve) before anything is written, then all tables are
replaced in one transaction and the dataset version (a SHA-256 of the files) is recorded. A bad
row raises SeedRejected naming the file, line, column and reason; the database keeps its data."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from incubator.core import db, participant_stage
from incubator.core.errors import ImportRejected
from incubator.core.i18n import LANGUAGES, N_
from incubator.market import labels as lb
from incubator.market import taxonomy as tx

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
LABELS_FOLDER = "labels"  # data/labels/<lang>.csv: kind, code, text

# Reasons a file is rejected. Each is a message key, so people read it in their language.
MISSING_FILE = N_("The data file {file} is missing.")
UNREADABLE = N_("{file}: the file cannot be read as CSV in UTF-8.")
EMPTY_FILE = N_("{file}: the file has no rows.")
MISSING_COLUMNS = N_("{file}, line 1: the columns {columns} are missing.")
UNEXPECTED_COLUMNS = N_("{file}, line 1: the columns {columns} are not expected.")
REQUIRED = N_("{file}, line {line}, column {column}: a value is required.")
NOT_INTEGER = N_("{file}, line {line}, column {column}: {value} is not a whole number.")
NOT_NUMBER = N_("{file}, line {line}, column {column}: {value} is not a number.")
NOT_BOOLEAN = N_("{file}, line {line}, column {column}: {value} is not true or false.")
NOT_DATE = N_("{file}, line {line}, column {column}: {value} is not a date (YYYY-MM-DD).")
OUT_OF_RANGE = N_("{file}, line {line}, column {column}: {value} is outside the range {low} to {high}.")
NOT_A_CHOICE = N_("{file}, line {line}, column {column}: {value} is not one of {choices}.")
BAD_FORM = N_("{file}, line {line}, column {column}: {value} does not have the form {form}.")
DUPLICATE = N_("{file}, line {line}, column {column}: {value} appears more than once.")
UNKNOWN_REFERENCE = N_("{file}, line {line}, column {column}: {value} is not in {target}.")
WRONG_ORDER = N_("{file}, line {line}, column {column}: {value} is smaller than {other} ({other_value}).")
SEASON_MEAN = N_("{file}, line {line}, column {column}: the twelve monthly indices average {mean}, not 1.0.")
SECTION_MISMATCH = N_("{file}, line {line}, column {column}: {value} is not the section of SBI code {code} ({expected}).")
ISCO_MISMATCH = N_("{file}, line {line}, column {column}: {value} is not the ISCO group of the occupation ({expected}).")
NEEDS_LICENCE = N_("{file}, line {line}, column {column}: this venture also needs {licence}.")
NEEDS_SOURCE = N_("{file}, line {line}, column {column}: a row with provenance {provenance} needs a source.")
FILE_TOO_LARGE = N_("{file}: the file is larger than {limit} and was not read.")
UNKNOWN_LABEL_KIND = N_("{file}, line {line}, column kind: {value} is not a kind of label. Known kinds: {kinds}.")
UNKNOWN_LABEL_CODE = N_("{file}, line {line}, column code: there is no {kind} {value} in {target}.")
LABEL_TWICE = N_("{file}, line {line}: the {kind} {code} has a label more than once.")
EMPTY_LABEL = N_("{file}, line {line}, column text: the label of the {kind} {code} is empty.")
NO_ENGLISH_LABEL = N_("{file}: the {kind} {code} has no English label. Every code needs one.")
START_WITHOUT_PREMISES = N_("{file}, line {line}, column {column}: the usual premises {premises} needs {option} "
                            "among the ways to start.")

MAX_FILE_BYTES = 2_000_000
SEASON_COLUMNS = tuple(f"season_{m:02d}" for m in range(1, 13))
SOURCED_PROVENANCES = frozenset({"cbs", "kvk", "uwv", "esco", "published"})


class MarketDataRejected(ImportRejected):
    """A market data file failed validation; nothing was written."""

    default_key = N_("The market data was rejected; the database keeps its previous data.")


class SeedRejected(MarketDataRejected):
    """A file in data/ failed validation during `python -m incubator seed`."""


@dataclass(frozen=True)
class Col:
    """One column: its type, whether it may be empty, and the checks its values pass."""

    name: str
    kind: str = "text"  # text | int | float | bool | date
    required: bool = True
    choices: tuple[str, ...] | None = None
    pattern: re.Pattern[str] | None = None
    form: str | None = None
    low: float | None = None
    high: float | None = None
    ref: tuple[str, str] | None = None  # (file, column) that must hold the value
    unique: bool = False


RowCheck = Callable[["Context", dict, int], None]


@dataclass(frozen=True)
class FileSpec:
    file: str
    table: str
    columns: tuple[Col, ...]
    row_checks: tuple[RowCheck, ...] = ()


@dataclass
class Context:
    """What is known while validating: the values of earlier files that others refer to."""

    file: str = ""
    known: dict[tuple[str, str], set] = field(default_factory=dict)
    rows: dict[str, list[dict]] = field(default_factory=dict)

    def reject(self, key: str, **params: object) -> None:
        raise_rejected(key, file=self.file, **params)


def raise_rejected(key: str, **params: object) -> None:
    raise SeedRejected(key, **params)


# ----------------------------------------------------------------------------- columns of each file

def _provenance_columns() -> tuple[Col, ...]:
    return (
        Col("provenance", choices=tuple(sorted(tx.PROVENANCES))),
        Col("source", required=False),
        Col("retrieved", kind="date", required=False),
    )


def _check_provenance(ctx: Context, row: dict, line: int) -> None:
    if row["provenance"] in SOURCED_PROVENANCES and not row["source"]:
        ctx.reject(NEEDS_SOURCE, line=line, column="source", provenance=row["provenance"])


def _list_refs(column: str, target: tuple[str, str]) -> RowCheck:
    """A ';'-separated column whose every item must be in another file."""

    def check(ctx: Context, row: dict, line: int) -> None:
        items = [i.strip() for i in (row[column] or "").split(";") if i.strip()]
        if len(items) != len(set(items)):
            ctx.reject(DUPLICATE, line=line, column=column, value=row[column])
        for item in items:
            if item not in ctx.known[target]:
                ctx.reject(UNKNOWN_REFERENCE, line=line, column=column, value=item, target=target[0])

    return check


def _ordered(*columns: str) -> RowCheck:
    def check(ctx: Context, row: dict, line: int) -> None:
        for smaller, larger in zip(columns, columns[1:], strict=False):
            if row[smaller] is not None and row[larger] is not None and row[larger] < row[smaller]:
                ctx.reject(WRONG_ORDER, line=line, column=larger, value=row[larger], other=smaller,
                           other_value=row[smaller])

    return check


def _check_venture(ctx: Context, row: dict, line: int) -> None:
    """The rules that tie a venture's columns together and to the other files."""
    expected = tx.sbi2008_section(row["sbi2008"])
    if row["sbi_section"] != expected:
        ctx.reject(SECTION_MISMATCH, line=line, column="sbi_section", value=row["sbi_section"],
                   code=row["sbi2008"], expected=expected)
    occupation_isco = ctx.known[("occupations.csv", "isco_by_uri")].get(row["esco_occupation_uri"])
    if occupation_isco is not None and row["isco"] != occupation_isco:
        ctx.reject(ISCO_MISMATCH, line=line, column="isco", value=row["isco"], expected=occupation_isco)
    seen: set[str] = set()
    for column in ("skills_required", "skills_helpful"):
        try:
            skills = tx.parse_weighted_skills(row[column] or "")
        except ValueError as bad:
            ctx.reject(BAD_FORM, line=line, column=column, value=str(bad), form=tx.FORMS["weights"])
        if column == "skills_required" and not skills:
            ctx.reject(REQUIRED, line=line, column=column)
        for skill in skills:
            if skill.code not in ctx.known[("skill_groups.csv", "code")]:
                ctx.reject(UNKNOWN_REFERENCE, line=line, column=column, value=skill.code, target="skill_groups.csv")
            if skill.code in seen:
                ctx.reject(DUPLICATE, line=line, column=column, value=skill.code)
            seen.add(skill.code)
    mean = sum(row[c] for c in SEASON_COLUMNS) / 12
    if abs(mean - 1.0) > 0.01:
        ctx.reject(SEASON_MEAN, line=line, column="season_01..season_12", mean=f"{mean:.3f}")
    licences = {i.strip() for i in (row["licence_ids"] or "").split(";") if i.strip()}
    needed = ["kvk_registration"]
    if _is_food_business(row["sbi2008"]):
        needed += ["nvwa_registration", "hygiene_code"]
    if "alcohol_licence" in licences:
        needed += ["svh_social_hygiene", "operating_permit"]
    for licence in needed:
        if licence not in licences:
            ctx.reject(NEEDS_LICENCE, line=line, column="licence_ids", licence=licence)


def _check_start_options(ctx: Context, row: dict, line: int) -> None:
    """The ways a venture can start: known codes, each once, the usual premises among them."""
    items = [i.strip() for i in row["start_options"].split(";")]
    for item in items:
        if item not in tx.START_OPTION_LABELS:
            ctx.reject(NOT_A_CHOICE, line=line, column="start_options", value=item,
                       choices=", ".join(tx.START_OPTION_LABELS))
    if len(items) != len(set(items)):
        ctx.reject(DUPLICATE, line=line, column="start_options", value=row["start_options"])
    option = tx.START_OPTION_OF_PREMISES[row["premises"]]
    if option not in items:
        ctx.reject(START_WITHOUT_PREMISES, line=line, column="start_options", premises=row["premises"], option=option)


def _is_food_business(sbi2008: str) -> bool:
    """Making, serving or selling food: NVWA registration and a hygiene code are needed."""
    return sbi2008[:2] in {"10", "11", "56"} or sbi2008.startswith(("46.3", "47.2"))


def _check_hierarchy_parent(ctx: Context, row: dict, line: int) -> None:
    """A code's broader code comes earlier in the file, one level up (level 0 has none)."""
    levels = ctx.known.setdefault(("esco_skill_hierarchy.csv", "levels_so_far"), {})  # type: ignore[arg-type]
    parent = row["parent_code"]
    if (parent is None) != (row["level"] == 0):
        ctx.reject(REQUIRED if parent is None else UNKNOWN_REFERENCE, line=line, column="parent_code",
                   value=parent, target="esco_skill_hierarchy.csv")
    if parent is not None and levels.get(parent) != row["level"] - 1:
        ctx.reject(UNKNOWN_REFERENCE, line=line, column="parent_code", value=parent, target="esco_skill_hierarchy.csv")
    levels[row["code"]] = row["level"]


def _check_occupation(ctx: Context, row: dict, line: int) -> None:
    if not row["esco_code"].startswith(row["isco"]):
        ctx.reject(ISCO_MISMATCH, line=line, column="isco", value=row["isco"], expected=row["esco_code"][:4])


def _check_sector(ctx: Context, row: dict, line: int) -> None:
    code, level = row["sbi_code"], row["level"]
    fits = {
        "total": code == "TOTAL",
        "section": bool(tx.SBI_SECTION.match(code)) and row["section"] == code,
        "division": bool(re.match(r"^\d{2}$", code)),
        "class": bool(tx.SBI_CODE.match(code)),
    }[level]
    if not fits:
        ctx.reject(BAD_FORM, line=line, column="sbi_code", value=code, form=f"{level}: {tx.FORMS['sbi']}")
    if level in ("division", "class") and row["section"] != tx.sbi2008_section(code):
        ctx.reject(SECTION_MISMATCH, line=line, column="section", value=row["section"], code=code,
                   expected=tx.sbi2008_section(code))
    if row["one_person_businesses"] is not None and row["businesses"] is not None \
            and row["one_person_businesses"] > row["businesses"]:
        ctx.reject(WRONG_ORDER, line=line, column="businesses", value=row["businesses"],
                   other="one_person_businesses", other_value=row["one_person_businesses"])


PCT = {"kind": "float", "required": False, "low": 0, "high": 100}
REGIONS = ("regions", "code")

SPECS: tuple[FileSpec, ...] = (
    FileSpec("cefr.csv", "cefr_levels", (
        Col("level", choices=tx.CEFR_LEVELS, unique=True), Col("rank", kind="int", low=1, high=6, unique=True),
        *_provenance_columns()), (_check_provenance,)),
    FileSpec("isced.csv", "isced_levels", (
        Col("level", kind="int", low=0, high=8, unique=True),
        *_provenance_columns()), (_check_provenance,)),
    FileSpec("esco_skill_hierarchy.csv", "esco_skill_hierarchy", (
        Col("code", pattern=tx.ESCO_SKILL_CODE, form=tx.FORMS["skill_code"], unique=True),
        Col("esco_uri", pattern=tx.ESCO_SKILL_URI, form=tx.FORMS["skill_uri"], unique=True),
        Col("label_en"), Col("level", kind="int", low=0, high=3),
        Col("parent_code", required=False, pattern=tx.ESCO_SKILL_CODE, form=tx.FORMS["skill_code"]),
        *_provenance_columns()), (_check_provenance, _check_hierarchy_parent)),
    FileSpec("esco_skills.csv", "esco_skills", (
        Col("esco_uri", pattern=tx.ESCO_SKILL_URI, form=tx.FORMS["skill_uri"], unique=True),
        Col("label_en"), Col("group_code", ref=("esco_skill_hierarchy.csv", "code")),
        *_provenance_columns()), (_check_provenance,)),
    FileSpec("skill_groups.csv", "skill_groups", (
        Col("code", pattern=tx.ESCO_SKILL_GROUP, form=tx.FORMS["skill_group"], unique=True),
        Col("esco_uri", pattern=tx.ESCO_SKILL_URI, form=tx.FORMS["skill_uri"], unique=True),
        Col("level", kind="int", low=1, high=3),
        Col("parent_code", required=False, pattern=tx.ESCO_SKILL_GROUP, form=tx.FORMS["skill_group"]),
        *_provenance_columns()), (_check_provenance,)),
    FileSpec("occupations.csv", "occupations", (
        Col("esco_uri", pattern=tx.ESCO_OCCUPATION_URI, form=tx.FORMS["occupation_uri"], unique=True),
        Col("isco", pattern=tx.ISCO_UNIT_GROUP, form=tx.FORMS["isco"]),
        Col("esco_code", pattern=tx.ESCO_OCCUPATION_CODE, form=tx.FORMS["occupation_code"]),
        *_provenance_columns()), (_check_provenance, _check_occupation)),
    FileSpec("licences.csv", "licences", (
        Col("licence_id", pattern=re.compile(r"^[a-z][a-z0-9_]*$"), form="lower_case_id", unique=True),
        Col("kind", choices=("registration", "permit", "exam", "check", "obligation")),
        Col("issuer"), Col("cost_eur_low", kind="float", required=False, low=0, high=100_000),
        Col("cost_eur_high", kind="float", required=False, low=0, high=100_000),
        Col("lead_time_weeks", kind="int", required=False, low=0, high=104),
        Col("exam_languages", required=False, pattern=re.compile(r"^[a-z]{2}(?:;[a-z]{2})*$"), form="nl;en;ar"),
        Col("legally_required", kind="bool"), *_provenance_columns(), Col("note", required=False)),
        (_check_provenance, _ordered("cost_eur_low", "cost_eur_high"))),
    FileSpec("funding_routes.csv", "funding_routes", (
        Col("route_id", pattern=re.compile(r"^[a-z][a-z0-9_]*$"), form="lower_case_id", unique=True),
        Col("kind", choices=("funding", "cost")), Col("provider"),
        Col("max_amount_eur", kind="float", required=False, low=0, high=1_000_000),
        Col("typical_low_eur", kind="float", required=False, low=0, high=1_000_000),
        Col("typical_high_eur", kind="float", required=False, low=0, high=1_000_000),
        Col("interest_pct", kind="float", required=False, low=0, high=30),
        Col("max_months", kind="int", required=False, low=0, high=120), Col("period", required=False),
        *_provenance_columns(), Col("note", required=False)),
        (_check_provenance, _ordered("typical_low_eur", "typical_high_eur", "max_amount_eur"))),
    FileSpec("sectors.csv", "sectors", (
        Col("sbi_code", unique=True), Col("level", choices=("total", "section", "division", "class")),
        Col("section", required=False, pattern=tx.SBI_SECTION, form=tx.FORMS["sbi_section"]),
        Col("businesses", kind="int", required=False, low=0, high=10_000_000),
        Col("businesses_period", required=False),
        Col("one_person_businesses", kind="int", required=False, low=0, high=10_000_000),
        Col("starts", kind="int", required=False, low=0, high=10_000_000),
        Col("closures", kind="int", required=False, low=0, high=10_000_000), Col("starts_period", required=False),
        Col("survival_1y_pct", **PCT), Col("survival_3y_pct", **PCT), Col("survival_5y_pct", **PCT),
        Col("survival_cohort", required=False), *_provenance_columns(), Col("note", required=False)),
        (_check_provenance, _check_sector)),
    FileSpec("provinces.csv", "provinces", (
        Col("province_code", pattern=re.compile(r"^PV\d{2}$"), form="PVnn", unique=True), Col("province_name"),
        Col("municipalities", kind="int", low=1, high=400), Col("population", kind="int", low=1, high=20_000_000),
        Col("year", kind="int", low=2000, high=2100), *_provenance_columns()), (_check_provenance,)),
    FileSpec("corop.csv", "corop_regions", (
        Col("corop_code", pattern=re.compile(r"^CR\d{2}$"), form="CRnn", unique=True), Col("corop_name"),
        Col("province_code", ref=("provinces.csv", "province_code")),
        Col("municipalities", kind="int", low=1, high=400), Col("population", kind="int", low=1, high=20_000_000),
        Col("year", kind="int", low=2000, high=2100), *_provenance_columns()), (_check_provenance,)),
    FileSpec("municipalities.csv", "municipalities", (
        Col("gm_code", pattern=re.compile(r"^GM\d{4}$"), form="GMnnnn", unique=True), Col("name"),
        Col("province_code", ref=("provinces.csv", "province_code")), Col("province_name"),
        Col("corop_code", ref=("corop.csv", "corop_code")), Col("corop_name"),
        Col("population", kind="int", low=1, high=2_000_000), Col("year", kind="int", low=2000, high=2100),
        *_provenance_columns()), (_check_provenance,)),
    FileSpec("regional_signals.csv", "regional_signals", (
        Col("signal_id", unique=True),
        Col("region_code", pattern=tx.REGION_CODE, form=tx.FORMS["region"], ref=REGIONS),
        Col("sbi_code", ref=("sectors.csv", "sbi_code")), Col("indicator"),
        Col("value", kind="float", low=0, high=100_000_000), Col("unit"), Col("period"),
        *_provenance_columns(), Col("method", required=False)), (_check_provenance,)),
    FileSpec("demand_signals.csv", "demand_signals", (
        Col("signal_id", unique=True), Col("indicator", choices=("uwv_tension", "cbs_vacancies")),
        Col("scope", choices=("national", "sector", "occupation")),
        Col("sbi_section", required=False, ref=("sectors.csv", "sbi_code")),
        Col("isco", required=False, pattern=tx.ISCO_UNIT_GROUP, form=tx.FORMS["isco"]),
        Col("value", kind="float", low=0, high=100_000_000),
        Col("unit"), Col("period"), *_provenance_columns(), Col("note", required=False)), (_check_provenance,)),
    FileSpec("ventures.csv", "ventures", (
        Col("venture_id", pattern=re.compile(r"^[a-z][a-z0-9_]*$"), form="lower_case_id", unique=True),
        Col("family", choices=tuple(tx.FAMILY_LABELS)),
        Col("sbi_section", pattern=tx.SBI_SECTION, form=tx.FORMS["sbi_section"], ref=("sectors.csv", "sbi_code")),
        Col("sbi2008", pattern=tx.SBI_CODE, form=tx.FORMS["sbi"]),
        Col("sbi2025", required=False, pattern=tx.SBI_CODE, form=tx.FORMS["sbi"]),
        Col("esco_occupation_uri", pattern=tx.ESCO_OCCUPATION_URI, form=tx.FORMS["occupation_uri"],
            ref=("occupations.csv", "esco_uri")),
        Col("isco", pattern=tx.ISCO_UNIT_GROUP, form=tx.FORMS["isco"]),
        Col("skills_required"), Col("skills_helpful", required=False),
        Col("cefr_typical", ref=("cefr.csv", "level")),
        Col("capital_low_eur", kind="int", low=0, high=1_000_000),
        Col("capital_typical_eur", kind="int", low=0, high=1_000_000),
        Col("capital_high_eur", kind="int", low=0, high=1_000_000),
        Col("licence_ids", required=False), Col("premises", choices=tuple(tx.PREMISES_LABELS)),
        Col("hours_per_week", kind="int", low=1, high=80), Col("start_options"),
        Col("hours_min_per_week", kind="int", low=1, high=80),
        Col("riasec", pattern=tx.RIASEC_CODE, form=tx.FORMS["riasec"]),
        *(Col(c, kind="float", low=0, high=3) for c in SEASON_COLUMNS),
        Col("jobs_potential", kind="int", low=0, high=3),
        Col("revenue_month_low_eur", kind="int", low=0, high=1_000_000),
        Col("revenue_month_high_eur", kind="int", low=0, high=1_000_000), *_provenance_columns()),
        (_check_provenance, _ordered("capital_low_eur", "capital_typical_eur", "capital_high_eur"),
         _ordered("revenue_month_low_eur", "revenue_month_high_eur"),
         _list_refs("licence_ids", ("licences.csv", "licence_id")), _check_venture,
         _ordered("hours_min_per_week", "hours_per_week"), _check_start_options)),
    # The living-income check of a business plan compares with these (Participatiewet art. 21).
    FileSpec("social_assistance_norms.csv", "social_assistance_norms", (
        Col("household", choices=("single", "couple"), unique=True),
        Col("amount_month_eur", kind="float", low=1, high=10_000),
        Col("amount_without_holiday_eur", kind="float", required=False, low=1, high=10_000),
        Col("valid_from", kind="date"), Col("level", pattern=re.compile(r"^\d{4}$"), form="YYYY"),
        Col("legal_basis"), Col("applies_to"), *_provenance_columns(), Col("note", required=False)),
        (_check_provenance, _ordered("amount_without_holiday_eur", "amount_month_eur"))),
)
SPEC_BY_FILE = {spec.file: spec for spec in SPECS}


# ----------------------------------------------------------------------------- reading and checking

def read_rows(file: str, content: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and (line number, raw row) of a CSV file in UTF-8."""
    if len(content) > MAX_FILE_BYTES:
        raise_rejected(FILE_TOO_LARGE, file=file, limit=f"{MAX_FILE_BYTES // 1_000_000} MB")
    try:
        reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
        rows = [(reader.line_num, row) for row in reader]
        header = list(reader.fieldnames or [])
    except (UnicodeDecodeError, csv.Error):
        raise_rejected(UNREADABLE, file=file)
    if not header or not rows:
        raise_rejected(EMPTY_FILE, file=file)
    return header, rows


def _convert(ctx: Context, col: Col, raw: str | None, line: int) -> object:
    text = (raw or "").strip()
    if raw is None and col.required:
        ctx.reject(REQUIRED, line=line, column=col.name)
    if not text:
        if col.required:
            ctx.reject(REQUIRED, line=line, column=col.name)
        return None
    value: object = text
    try:
        if col.kind == "int":
            value = int(text)
        elif col.kind == "float":
            value = float(text)
            if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
                raise ValueError(text)
        elif col.kind == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            value = text.lower() == "true"
        elif col.kind == "date":
            value = dt.date.fromisoformat(text)
    except ValueError:
        key = {"int": NOT_INTEGER, "float": NOT_NUMBER, "bool": NOT_BOOLEAN, "date": NOT_DATE}[col.kind]
        ctx.reject(key, line=line, column=col.name, value=text)
    if col.choices is not None and value not in col.choices:
        ctx.reject(NOT_A_CHOICE, line=line, column=col.name, value=text, choices=", ".join(map(str, col.choices)))
    if col.pattern is not None and not col.pattern.match(text):
        ctx.reject(BAD_FORM, line=line, column=col.name, value=text, form=col.form)
    if col.low is not None and not col.low <= value <= col.high:  # type: ignore[operator]
        ctx.reject(OUT_OF_RANGE, line=line, column=col.name, value=text, low=col.low, high=col.high)
    if col.ref is not None and value not in ctx.known.get(col.ref, set()):
        ctx.reject(UNKNOWN_REFERENCE, line=line, column=col.name, value=text, target=col.ref[0])
    return value


def validate_file(ctx: Context, spec: FileSpec, content: bytes, file_label: str | None = None) -> list[dict]:
    """Typed rows of one file, or SeedRejected at the first problem."""
    ctx.file = file_label or spec.file
    header, raw_rows = read_rows(ctx.file, content)
    names = [c.name for c in spec.columns]
    missing = [n for n in names if n not in header]
    if missing:
        ctx.reject(MISSING_COLUMNS, columns=", ".join(missing))
    extra = [h for h in header if h not in names]
    if extra:
        ctx.reject(UNEXPECTED_COLUMNS, columns=", ".join(extra))
    seen: dict[str, set] = {c.name: set() for c in spec.columns if c.unique}
    rows = []
    for line, raw in raw_rows:
        if None in raw:  # more fields than the header has
            ctx.reject(UNEXPECTED_COLUMNS, columns=", ".join(raw[None]))
        row = {col.name: _convert(ctx, col, raw.get(col.name), line) for col in spec.columns}
        for name, values in seen.items():
            if row[name] in values:
                ctx.reject(DUPLICATE, line=line, column=name, value=row[name])
            values.add(row[name])
        for check in spec.row_checks:
            check(ctx, row, line)
        rows.append(row)
    _remember(ctx, spec, rows)
    return rows


def _remember(ctx: Context, spec: FileSpec, rows: list[dict]) -> None:
    """Make this file's keys available to the files that refer to it."""
    ctx.rows[spec.file] = rows
    for col in spec.columns:
        ctx.known[(spec.file, col.name)] = {r[col.name] for r in rows if r[col.name] is not None}
    if spec.file == "occupations.csv":
        ctx.known[("occupations.csv", "isco_by_uri")] = {r["esco_uri"]: r["isco"] for r in rows}  # type: ignore[assignment]
    if spec.file in ("provinces.csv", "corop.csv", "municipalities.csv"):
        key = {"provinces.csv": "province_code", "corop.csv": "corop_code", "municipalities.csv": "gm_code"}
        ctx.known.setdefault(REGIONS, {"NL"}).update(r[key[spec.file]] for r in rows)


@dataclass(frozen=True)
class LoadResult:
    version: str
    rows: dict[str, int]


def dataset_version(contents: dict[str, bytes]) -> str:
    """SHA-256 over the file names and their bytes, in name order."""
    digest = hashlib.sha256()
    for name in sorted(contents):
        digest.update(name.encode() + b"\0" + contents[name] + b"\0")
    return digest.hexdigest()


def label_file(lang: str) -> str:
    return f"{LABELS_FOLDER}/{lang}.csv"


def read_data_dir(data_dir: Path) -> dict[str, bytes]:
    """The bytes of every data file, and of the label file of every interface language that has one
    (English must: it is every reader's fallback)."""
    contents = {}
    for spec in SPECS:
        path = Path(data_dir) / spec.file
        if not path.is_file():
            raise_rejected(MISSING_FILE, file=spec.file)
        contents[spec.file] = path.read_bytes()
    for lang in LANGUAGES:
        path = Path(data_dir) / label_file(lang)
        if path.is_file():
            contents[label_file(lang)] = path.read_bytes()
        elif lang == lb.FALLBACK_LANGUAGE:
            raise_rejected(MISSING_FILE, file=label_file(lang))
    return contents


def validate_all(contents: dict[str, bytes]) -> Context:
    """Check every file in dependency order; the context then holds the typed rows (the labels' under
    LABELS_FOLDER, as kind, code, language, text)."""
    ctx = Context()
    for spec in SPECS:
        validate_file(ctx, spec, contents[spec.file])
    ctx.rows[LABELS_FOLDER] = []
    for lang in LANGUAGES:
        if label_file(lang) in contents:
            ctx.rows[LABELS_FOLDER] += validate_labels(ctx, lang, contents[label_file(lang)])
    return ctx


def validate_labels(ctx: Context, lang: str, content: bytes) -> list[dict]:
    """The rows of one language's label file: a known kind, a code its file has, each (kind, code)
    once, a text; the English file names every code of every kind."""
    ctx.file = label_file(lang)
    header, raw_rows = read_rows(ctx.file, content)
    missing = [n for n in ("kind", "code", "text") if n not in header]
    if missing:
        ctx.reject(MISSING_COLUMNS, columns=", ".join(missing))
    extra = [h for h in header if h not in ("kind", "code", "text")]
    if extra:
        ctx.reject(UNEXPECTED_COLUMNS, columns=", ".join(extra))
    codes = {kind: {str(c) for c in ctx.known[(k.file, k.column)]} for kind, k in lb.KINDS.items()}
    seen: set[tuple[str, str]] = set()
    rows = []
    for line, raw in raw_rows:
        if None in raw:
            ctx.reject(UNEXPECTED_COLUMNS, columns=", ".join(raw[None]))
        kind, code, text = ((raw.get(c) or "").strip() for c in ("kind", "code", "text"))
        if kind not in lb.KINDS:
            ctx.reject(UNKNOWN_LABEL_KIND, line=line, value=kind, kinds=", ".join(lb.KINDS))
        if code not in codes[kind]:
            ctx.reject(UNKNOWN_LABEL_CODE, line=line, kind=kind, value=code, target=lb.KINDS[kind].file)
        if (kind, code) in seen:
            ctx.reject(LABEL_TWICE, line=line, kind=kind, code=code)
        seen.add((kind, code))
        if not text:
            ctx.reject(EMPTY_LABEL, line=line, kind=kind, code=code)
        rows.append({"kind": kind, "code": code, "language": lang, "text": text})
    if lang == lb.FALLBACK_LANGUAGE:
        for kind, known in codes.items():
            for code in sorted(known):
                if (kind, code) not in seen:
                    ctx.reject(NO_ENGLISH_LABEL, kind=kind, code=code)
    return rows


# One seed at a time in this process (and only one process may open the file): a seed replaces every
# market row, so two at once would only undo each other's work and conflict. A seed that had to wait
# for another one that loaded the very same files has nothing left to do.
_SEED_LOCK = threading.Lock()


def load_market_data(cur: duckdb.DuckDBPyConnection, data_dir: Path | str = DATA_DIR, *,
                     now: dt.datetime | None = None) -> LoadResult:
    """Validate every file in data_dir, then replace the market tables in one transaction."""
    contents = read_data_dir(Path(data_dir))
    ctx = validate_all(contents)
    version = dataset_version(contents)
    skills, licences = _venture_links(ctx.rows["ventures.csv"])
    counts = {spec.table: len(ctx.rows[spec.file]) for spec in SPECS}
    counts.update(venture_skills=len(skills), venture_licences=len(licences), labels=len(ctx.rows[LABELS_FOLDER]))

    def write() -> None:
        with db.transaction(cur):
            for spec in SPECS:
                _replace(cur, spec.table, ctx.rows[spec.file], [c.name for c in spec.columns])
            _replace(cur, "venture_skills", skills, ["venture_id", "skill_code", "kind", "weight"])
            _replace(cur, "venture_licences", licences, ["venture_id", "licence_id", "position"])
            _replace(cur, "labels", ctx.rows[LABELS_FOLDER], ["kind", "code", "language", "text"])
            participant_stage.refresh_after_catalogue(cur)  # a venture's family is part of the stages
            cur.execute("DELETE FROM market_dataset")
            cur.execute("INSERT INTO market_dataset VALUES (?, ?, ?, ?)",
                        [version, len(contents), sum(counts.values()), now or dt.datetime.now()])

    waited = not _SEED_LOCK.acquire(blocking=False)
    if waited:
        _SEED_LOCK.acquire()
    try:
        loaded = cur.execute("SELECT max(version) FROM market_dataset").fetchone()[0]
        if not (waited and loaded == version):
            db.retrying(cur, write)
    finally:
        _SEED_LOCK.release()
    return LoadResult(version, counts)


def _venture_links(ventures: list[dict]) -> tuple[list[dict], list[dict]]:
    skills, licences = [], []
    for v in ventures:
        for column, kind in (("skills_required", "required"), ("skills_helpful", "helpful")):
            for s in tx.parse_weighted_skills(v[column] or ""):
                skills.append({"venture_id": v["venture_id"], "skill_code": s.code, "kind": kind, "weight": s.weight})
        items = [i.strip() for i in (v["licence_ids"] or "").split(";") if i.strip()]
        licences += [{"venture_id": v["venture_id"], "licence_id": i, "position": n} for n, i in enumerate(items, 1)]
    return skills, licences


def _replace(cur: duckdb.DuckDBPyConnection, table: str, rows: list[dict], columns: list[str]) -> int:
    cur.execute(f"DELETE FROM {table}")
    if rows:
        insert_rows(cur, table, rows, columns)
    return len(rows)


def insert_rows(cur: duckdb.DuckDBPyConnection, table: str, rows: list[dict], columns: list[str]) -> None:
    """Insert typed rows in one statement (object columns keep None as NULL)."""
    frame = pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=object) for c in columns})
    cur.register("incoming_rows", frame)
    try:
        cur.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM incoming_rows")
    finally:
        cur.unregister("incoming_rows")
