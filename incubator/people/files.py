"""The cohort files: reading a JSON list in the exchange format, or the Excel/CSV template (one row
a person, codes or labels in Dutch or English), into tables of raw values with every problem of the
file, row and cell; the template itself; export in the same formats. Cells that look like formulas
are only ever text.

Checking those tables against the market dataset and saving them is incubator.people.importing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import duckdb
import numpy as np
import pandas as pd

from incubator.core import excel, uploads
from incubator.core.errors import ImportRejected
from incubator.core.i18n import LANGUAGES, N_, translate
from incubator.market.labels import labels_in
from incubator.people import inventory as inv
from incubator.people.checks import (
    BAD_EXTERNAL_REF,
    BSN_REFUSED,
    SCALAR_COLUMNS,
    Frames,
    Problem,
    looks_like_bsn,
    text,
)
from incubator.people.profile import (
    CEFR_LEVELS,
    PROFILE_SCHEMA,
    RIASEC,
    Profile,
    conforms,
    language_names,
    schema_validator,
)

LIST_COLUMNS = ("dutch_cefr", "other_languages", "experience", "skills")
TEMPLATE_COLUMNS = (
    "id", "display_name", "municipality", "dutch_cefr", "other_languages", "isced_level", "education_field",
    "experience", "skills", *(f"interest_{k}" for k in RIASEC), "ambition", "capital_eur", "hours_per_week",
    "home_based_only", "on_benefit", "ladder_rung", "external_ref",
)
COLUMN_NOTES = {
    "id": N_("Empty for a new participant; P-000123 to add a new snapshot for an existing one."),
    "display_name": N_("Optional. A first name or a nickname is enough."),
    "municipality": N_("CBS code (GM0363) or the name of the municipality."),
    "dutch_cefr": N_("Level of Dutch: A1, A2, B1, B2, C1 or C2. Empty if below A1."),
    "other_languages": N_("Other languages with their level, separated by semicolons: ar:C2; en:B1"),
    "isced_level": N_("Highest education, ISCED level 0 to 8."),
    "education_field": N_("Field of that education: a code 00 to 10 or its name."),
    "experience": N_("Work experience with years, separated by semicolons: 7512:3; hairdresser:2 (ISCO-08 code or occupation name)."),
    "skills": N_("Skills with a level from 1 to 4, separated by semicolons: S6.5.6:3; preparing food and drinks:2"),
    # (Any ESCO code such as S5.1 or an ESCO skill URI works too: see COLUMN_NOTES_MORE.)
    **{f"interest_{k}": N_("Interest from 0 to 100 (RIASEC).") for k in RIASEC},
    "ambition": N_("Ambition and self-confidence as an entrepreneur, 0 to 100."),
    "capital_eur": N_("Own money available for the business, in euros."),
    "hours_per_week": N_("Hours a week available for the business."),
    "home_based_only": N_("yes if the business must be at home, else no."),
    "on_benefit": N_("yes if the person receives a benefit, else no."),
    "ladder_rung": N_("Participation ladder, 1 to 6."),
    "external_ref": N_("Optional. The person's id in the system this file comes from, so that importing the file "
                       "again updates them. Never a citizen service number (BSN)."),
}
# Said after a column's note in the template (a separate message, so the older notes keep their translations).
COLUMN_NOTES_MORE = {
    "skills": N_("Any code of the ESCO skills hierarchy (such as S5.1 or T6.4) or an ESCO skill URI works too."),
}
SHOWN_FORMS = {
    "id": "P-000123", "municipality": "GM0363", "code": "ar", "field": "04", "isco": "7512",
    "esco_uri": "http://data.europa.eu/esco/occupation/...", "esco_group": "S6.5.6",
}
# Where a skill's esco_uri has the wrong form (the occupation's esco_uri keeps the form above).
SKILL_URI_FORM = "http://data.europa.eu/esco/skill/..."

MAX_FILE_BYTES = 20_000_000
MAX_ROWS = 50_000

UNKNOWN_KIND = N_("Upload a .json, .csv or .xlsx file.")
TOO_LARGE = N_("The file is larger than {limit} MB.")
TOO_MANY_ROWS = N_("The file has more than {limit} rows; split it into smaller files.")
NO_ROWS = N_("The file holds no profiles.")
NOT_TEXT = N_("The file is not text in UTF-8.")
NOT_READABLE_TEXT = N_("The file is not text that we can read. In Excel, save it as \"CSV UTF-8\" and upload it again.")
# How a CSV file was read, for the preview.
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16", "cp1252": "Windows-1252"}
READ_AS = {
    ",": N_("Read as {encoding}, with commas between the columns."),
    ";": N_("Read as {encoding}, with semicolons between the columns."),
    "\t": N_("Read as {encoding}, with tabs between the columns."),
}
NO_ARABIC_IN_CP1252 = N_("Windows-1252 cannot hold Arabic script. To keep Arabic names, save the file in Excel "
                         "as \"CSV UTF-8\".")
NOT_JSON = N_("The file is not valid JSON (line {line}, column {column}).")
NOT_A_LIST = N_("A JSON file holds a list of profiles: [ {...}, {...} ].")
NO_HEADER = N_("The first row must name the columns, as in the template.")
UNKNOWN_COLUMNS = N_("The columns {columns} are not in the template. Download the template to see its columns.")
DUPLICATE_COLUMN = N_("The column {column} appears more than once.")
TOO_MANY_CELLS = N_("This row has more cells than the header has columns.")
NOT_AN_OBJECT = N_("Each profile is an object in braces: { \"id\": \"\", ... }.")
FIELD_MISSING = N_("The field {field} is missing.")
FIELD_UNKNOWN = N_("The field {field} is not part of the format.")
EXPECTED = {
    "number": N_("A number is expected here, not {value}."),
    "integer": N_("A whole number is expected here, not {value}."),
    "string": N_("Text is expected here, not {value}."),
    "boolean": N_("true or false is expected here, not {value}."),
    "array": N_("A list in square brackets is expected here."),
    "object": N_("An object in braces is expected here."),
}
NOT_ALLOWED_VALUE = N_("{value} is not one of {choices}.")
BAD_FORM = N_("{value} does not have the form {form}.")
OUT_OF_RANGE = N_("{value} is outside the range {low} to {high}.")
TOO_LONG = N_("A name has at most {limit} characters and no control characters.")
NEEDS_OCCUPATION = N_("Work experience needs isco or esco_uri.")
NEEDS_SKILL = N_("A skill needs esco_group or esco_uri.")
NOT_VALID = N_("{value} is not valid here.")


# --- reading files -----------------------------------------------------------------------------

def file_kind(file_name: str, content: bytes) -> str | None:
    name = file_name.lower()
    for ending, kind in ((".json", "json"), (".csv", "csv"), (".txt", "csv"), (".xlsx", "xlsx"), (".xlsm", "xlsx")):
        if name.endswith(ending):
            return kind
    head = content[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if content.startswith(b"PK"):
        return "xlsx"
    if head[:1] in (b"[", b"{"):
        return "json"
    return "csv" if head else None


def _file_problem(kind: str, message: str, **params: object) -> tuple[Frames | None, list[Problem], list[int]]:
    return None, [Problem(0, "", message, params)], []


def read_frames(file_name: str, content: bytes) -> tuple[Frames | None, list[Problem], list[int], str]:
    """Parse a file into frames of raw values. Returns (frames, problems, row numbers, kind); frames
    is None when the file as a whole cannot be used."""
    kind = file_kind(file_name, content) or ""
    if len(content) > MAX_FILE_BYTES:
        return (*_file_problem(kind, TOO_LARGE, limit=MAX_FILE_BYTES // 1_000_000), kind)
    try:
        if kind == "json":
            return (*_json_frames(content), kind)
        if kind == "csv":
            encoding = text_encoding(content)
            if encoding is None:
                return (*_file_problem(kind, NOT_READABLE_TEXT), kind)
            header, body, problems = _csv_rows(content.decode(encoding))
            return (*_table_frames(header, body, problems), kind)
        if kind == "xlsx":
            header, body = uploads.read_sheet(content, max_rows=MAX_ROWS)
            return (*_table_frames(header, body, []), kind)
    except ImportRejected as exc:  # refused before or while reading: too large, too deep, malformed
        return (*_file_problem(kind, exc.message_key, **exc.params), kind)
    return (*_file_problem(kind, UNKNOWN_KIND), kind)


def text_encoding(content: bytes) -> str | None:
    """How a CSV file's bytes are text, decided by the bytes: a byte-order mark (UTF-8 or UTF-16, as
    Excel's "CSV UTF-8" and "Unicode text" write), else UTF-8 if they are valid UTF-8, else
    Windows-1252 (what Excel's plain "CSV" writes on Dutch Windows). None for bytes that are no text:
    NUL bytes, or bytes that Windows-1252 leaves undefined."""
    if content.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            content.decode("utf-16")
        except UnicodeDecodeError:
            return None
        return "utf-16"
    if b"\x00" in content:
        return None
    for encoding in ("utf-8", "cp1252"):
        try:
            content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def csv_delimiter(decoded: str) -> str:
    """Dutch spreadsheet programs write semicolons; the header names hold no separator, so the header
    tells which one the file uses (a file of one column has none: then a comma, as RFC 4180 says)."""
    first_line = decoded.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first_line.count)


def csv_format(content: bytes) -> tuple[str, str] | None:
    """(encoding, delimiter) a CSV file is read with, or None when it is not text."""
    encoding = text_encoding(content)
    return None if encoding is None else (encoding, csv_delimiter(content[:4096].decode(encoding, "ignore")))


def _csv_rows(decoded: str) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    rows = uploads.csv_rows(decoded, delimiter=csv_delimiter(decoded), max_rows=MAX_ROWS)
    header: list[str] = next(rows, (0, []))[1]
    body: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    for start, cells in rows:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(Problem(start, "", TOO_MANY_CELLS))
        cells = (cells + [""] * len(header))[: len(header)]
        if any(c.strip() for c in cells):
            body.append((start, cells))
    return header, body, problems


def _table_frames(header: list[str], body: list[tuple[int, list[str]]],
                  problems: list[Problem]) -> tuple[Frames | None, list[Problem], list[int]]:
    canonical = {c.casefold(): c for c in TEMPLATE_COLUMNS}
    names = [canonical.get(h.strip().casefold(), h.strip()) for h in header]
    if not any(names):
        return None, [Problem(0, "", NO_HEADER)], []
    unknown = [n for n in names if n not in TEMPLATE_COLUMNS]
    if unknown:
        return None, [Problem(0, "", UNKNOWN_COLUMNS, {"columns": ", ".join(n or "(empty)" for n in unknown)})], []
    for name in dict.fromkeys(n for n in names if names.count(n) > 1):
        problems.append(Problem(0, name, DUPLICATE_COLUMN, {"column": name}))
    if problems and any(p.row == 0 for p in problems):
        return None, problems, []
    if not body:
        return None, [Problem(0, "", NO_ROWS)], []
    if len(body) > MAX_ROWS:
        return None, [Problem(0, "", TOO_MANY_ROWS, {"limit": MAX_ROWS})], []
    rows = [line for line, _ in body]
    table = pd.DataFrame([cells for _, cells in body], columns=names, dtype=object)
    table.insert(0, "row", rows)
    for column in TEMPLATE_COLUMNS:
        if column not in table:
            table[column] = ""
    base = table[["row", *SCALAR_COLUMNS]]
    languages = pd.concat([
        _entries(table, "dutch_cefr", whole_cell=True).rename(columns={"name": "language", "value": "cefr"}),
        _entries(table, "other_languages").rename(columns={"name": "language", "value": "cefr"}),
    ], ignore_index=True)
    languages.loc[languages["column"] == "dutch_cefr", "cefr"] = languages["language"]
    languages.loc[languages["column"] == "dutch_cefr", "language"] = "nl"
    experience = _entries(table, "experience").rename(columns={"name": "occupation", "value": "years"})
    experience["isco"] = ""
    experience["esco_uri"] = ""
    skills = _entries(table, "skills").rename(columns={"name": "skill", "value": "level"})
    return Frames(base, languages, experience, skills), problems, rows


def _entries(table: pd.DataFrame, column: str, *, whole_cell: bool = False) -> pd.DataFrame:
    """A list cell ('ar:C2; en:B1') as one row per entry: row, column, name, value. Each distinct cell
    is split once (a cohort's cells repeat, and pandas' string methods loop in Python) and its entries
    are spread to every row that holds it, in the file's order."""
    cells = text(table[column])
    if whole_cell:
        parts = pd.DataFrame({"row": table["row"], "name": cells, "value": ""})
        parts = parts[parts["name"] != ""].reset_index(drop=True)
    else:
        positions, distinct = cells.factorize()
        split = _split_cells(pd.Series(np.asarray(distinct, dtype=object), dtype=object))
        if split is None:
            return pd.DataFrame({"row": pd.Series(dtype=int), "column": pd.Series(dtype=object),
                                 "name": pd.Series(dtype=object), "value": pd.Series(dtype=object)})
        counts = np.bincount(split["cell"].to_numpy(), minlength=len(distinct))
        per_row = counts[positions]
        starts = (np.cumsum(counts) - counts)[positions]
        take = np.repeat(starts - (np.cumsum(per_row) - per_row), per_row) + np.arange(per_row.sum())
        parts = pd.DataFrame({
            "row": np.repeat(table["row"].to_numpy(), per_row),
            "name": split["name"].take(take).reset_index(drop=True),
            "value": split["value"].take(take).reset_index(drop=True),
        })
    parts.insert(1, "column", column)
    return parts


def _split_cells(cells: pd.Series) -> pd.DataFrame | None:
    """The entries of distinct cells of text, without the empty ones: cell (its position), name,
    value. None when no cell holds any text."""
    exploded = cells.str.split(r"[;\n]", regex=True).explode().str.strip()
    exploded = exploded[exploded.notna() & (exploded != "")]
    if exploded.empty:
        return None
    split = exploded.str.rpartition(":")
    has_sep = (split[1] == ":") & ~split[2].str.startswith("//")  # a URI without a value: http://...
    parts = pd.DataFrame({
        "cell": exploded.index.to_numpy(),
        "name": split[0].where(has_sep, exploded.to_numpy()).str.strip().to_numpy(),
        "value": split[2].where(has_sep, "").str.strip().to_numpy(),
    })
    return parts[parts["name"] != ""].reset_index(drop=True)


def _json_frames(content: bytes) -> tuple[Frames | None, list[Problem], list[int]]:
    try:
        data = uploads.load_json(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, [Problem(0, "", NOT_TEXT)], []
    except json.JSONDecodeError as exc:
        return None, [Problem(0, "", NOT_JSON, {"line": exc.lineno, "column": exc.colno})], []
    if not isinstance(data, list):
        return None, [Problem(0, "", NOT_A_LIST)], []
    if not data:
        return None, [Problem(0, "", NO_ROWS)], []
    if len(data) > MAX_ROWS:
        return None, [Problem(0, "", TOO_MANY_ROWS, {"limit": MAX_ROWS})], []
    validator = schema_validator()
    problems: list[Problem] = []
    base, languages, experience, skills = [], [], [], []
    for row, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(row, "", NOT_AN_OBJECT))
            continue
        broken = uploads.lone_surrogate(item)
        if broken:  # JSON allows it, UTF-8 (and so the database) cannot hold it
            where, code = broken
            problems.append(Problem(row, where, uploads.JSON_LONE_SURROGATE, {"row": row, "field": where, "code": code}))
            continue
        errors = [] if conforms(item) else list(validator.iter_errors(item))
        problems += [_schema_problem(row, error) for error in errors]
        # Fields with a wrong shape are left out; the others are still checked, so that the preview
        # lists every problem of a row at once.
        wrong = {error.absolute_path[0] for error in errors if error.absolute_path}
        item = {k: v for k, v in item.items() if k not in wrong and k in PROFILE_SCHEMA["properties"]}
        education = item.get("education") or {}
        interests = item.get("interests") or {}
        record = {
            "row": row, **{k: item.get(k) for k in SCALAR_COLUMNS if k in item}, "id": item.get("id") or "",
            "isced_level": education.get("isced_level"), "education_field": education.get("field"),
            **{f"interest_{k}": interests.get(k) for k in RIASEC},
        }
        base.append(record)
        languages += [{"row": row, "column": "languages", "language": x["code"], "cefr": x["cefr"]}
                      for x in item.get("languages") or ()]
        experience += [{"row": row, "column": "experience", "occupation": "", "isco": x.get("isco"),
                        "esco_uri": x.get("esco_uri"), "years": x["years"]} for x in item.get("experience") or ()]
        skills += [{"row": row, "column": "skills", "skill": x.get("esco_group") or "", "esco_uri": x.get("esco_uri") or "",
                    "level": x["level"]} for x in item.get("skills") or ()]
    frames = Frames.empty_lists(pd.DataFrame(base, columns=["row", *SCALAR_COLUMNS], dtype=object))
    for name, records in (("languages", languages), ("experience", experience), ("skills", skills)):
        if records:
            setattr(frames, name, pd.DataFrame(records))
    return frames, problems, list(range(1, len(data) + 1))


def _schema_problem(row: int, error) -> Problem:  # error: jsonschema.ValidationError
    if list(error.absolute_path)[:1] == ["external_ref"]:  # never shown back: it could be a BSN
        value = error.instance
        bsn = isinstance(value, (int, float)) and not isinstance(value, bool) and looks_like_bsn(str(value))
        return Problem(row, "external_ref", BSN_REFUSED if bsn else BAD_EXTERNAL_REF)
    path = ""
    for part in error.absolute_path:
        path += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    value = error.instance
    shown = json.dumps(value, ensure_ascii=False)[:100] if not isinstance(value, (dict, list)) else ""
    kind = error.validator
    if kind == "required":
        missing = [f for f in error.validator_value if f not in (error.instance or {})]
        return Problem(row, path, FIELD_MISSING, {"field": ", ".join(missing)})
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return Problem(row, path, FIELD_UNKNOWN, {"field": ", ".join(extra)})
    if kind == "type":
        expected = error.validator_value[0] if isinstance(error.validator_value, list) else error.validator_value
        return Problem(row, path, EXPECTED.get(expected, NOT_VALID), {"value": shown})
    if kind == "enum":
        return Problem(row, path, NOT_ALLOWED_VALUE, {"value": shown, "choices": ", ".join(map(str, error.validator_value))})
    if kind == "pattern":
        last = str(error.absolute_path[-1]) if error.absolute_path else ""
        form = SKILL_URI_FORM if path.startswith("skills") and last == "esco_uri" else SHOWN_FORMS.get(last)
        return Problem(row, path, BAD_FORM, {"value": shown, "form": form or error.validator_value})
    if kind in ("minimum", "maximum"):
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        return Problem(row, path, OUT_OF_RANGE, {"value": shown, "low": low, "high": high})
    if kind == "maxLength":
        return Problem(row, path, TOO_LONG, {"limit": error.validator_value})
    if kind == "anyOf":
        return Problem(row, path, NEEDS_SKILL if path.startswith("skills") else NEEDS_OCCUPATION)
    return Problem(row, path, NOT_VALID, {"value": shown or path})


# --- template and export -----------------------------------------------------------------------

def template_csv() -> bytes:
    """The CSV template: the header row, in UTF-8 with a byte-order mark so that Excel reads Arabic."""
    return ("\ufeff" + ",".join(TEMPLATE_COLUMNS) + "\r\n").encode("utf-8")


def template_workbook(cur: duckdb.DuckDBPyConnection, lang: str) -> bytes:
    """The Excel template: an empty 'profiles' sheet with notes and drop-down lists, instructions in
    the person's language, and the codes on separate sheets with their names in the languages of
    `label_languages(lang)` (the import accepts a name in any interface language)."""
    def tr(message: str) -> str:
        return translate(message, lang)

    yes_no = ["yes", "no", "ja", "nee"]
    profiles = excel.SheetSpec(
        "profiles", pd.DataFrame(columns=list(TEMPLATE_COLUMNS)),
        notes={c: _note(c, tr) for c in COLUMN_NOTES},
        choices={"dutch_cefr": CEFR_LEVELS, "home_based_only": yes_no, "on_benefit": yes_no,
                 "ladder_rung": [str(r) for r in inv.LADDER], "isced_level": [str(n) for n in range(9)]},
        blank_rows=1000,
    )
    instructions = excel.SheetSpec("instructions", pd.DataFrame({
        tr(N_("Column")): list(TEMPLATE_COLUMNS),
        tr(N_("What to fill in")): [_note(c, tr) for c in TEMPLATE_COLUMNS],
    }), width=60)
    sheets = [profiles, instructions]
    municipalities = cur.execute("SELECT gm_code AS code, name FROM municipalities ORDER BY name").df()
    shown = label_languages(lang)
    skills = cur.execute("SELECT code FROM skill_groups ORDER BY code").df()
    occupations = cur.execute("SELECT isco, esco_uri FROM occupations").df()
    for frame, kind, key in ((skills, "skill_group", "code"), (occupations, "occupation", "esco_uri")):
        for other in shown:
            names = labels_in(cur, kind, other)
            frame.insert(len(frame.columns) - (kind == "occupation"), f"label_{other}", frame[key].map(names))
    occupations = occupations.sort_values("label_en", ignore_index=True)
    fields = pd.DataFrame({"code": list(inv.ISCED_FIELDS)} | {
        f"label_{other}": [translate(v, other) for v in inv.ISCED_FIELDS.values()] for other in shown})
    names_en = language_names("en")
    languages = pd.DataFrame({"code": list(names_en)} | {
        f"label_{other}": [language_names(other).get(c, "") for c in names_en] for other in shown}).sort_values("code")
    for name, table in (("municipalities", municipalities), ("skill_groups", skills), ("occupations", occupations),
                        ("education_fields", fields), ("languages", languages)):
        sheets.append(excel.SheetSpec(name, table, width=30))
    return excel.write_workbook(sheets)


def label_languages(lang: str) -> tuple[str, ...]:
    """The languages a template lists the names of codes in: Dutch and English (what a mentor or a
    source system types), and the reader's own language beside them."""
    return tuple(dict.fromkeys(("nl", "en", lang if lang in LANGUAGES else "en")))


def _note(column: str, tr) -> str:
    more = COLUMN_NOTES_MORE.get(column)
    return tr(COLUMN_NOTES[column]) + (" " + tr(more) if more else "")


def profiles_table(profiles: Iterable[dict]) -> pd.DataFrame:
    """Exchange-format profiles as template rows (codes only), for export to Excel or CSV."""
    rows = []
    for data in profiles:
        profile = Profile.from_dict(data)
        rows.append({
            "id": profile.id, "display_name": profile.display_name, "municipality": profile.municipality,
            "dutch_cefr": profile.cefr("nl"),
            "other_languages": "; ".join(f"{x.code}:{x.cefr}" for x in profile.languages if x.code != "nl"),
            "isced_level": profile.education.isced_level, "education_field": profile.education.field,
            "experience": "; ".join(f"{x.esco_uri or x.isco}:{x.years:g}" for x in profile.experience),
            "skills": "; ".join(f"{x.esco_group}:{x.level}" for x in profile.skills),
            **{f"interest_{k}": profile.interests.get(k) for k in RIASEC},
            "ambition": profile.ambition, "capital_eur": profile.capital_eur, "hours_per_week": profile.hours_per_week,
            "home_based_only": "yes" if profile.home_based_only else "no",
            "on_benefit": "yes" if profile.on_benefit else "no", "ladder_rung": profile.ladder_rung,
            "external_ref": profile.external_ref,
        })
    return pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS))


def export_json(profiles: list[dict]) -> bytes:
    return json.dumps(profiles, ensure_ascii=False, indent=2).encode("utf-8")


def export_workbook(profiles: list[dict]) -> bytes:
    return excel.write_workbook([excel.SheetSpec("profiles", profiles_table(profiles))])


def export_csv(profiles: list[dict]) -> bytes:
    table = profiles_table(profiles).map(excel.safe_text)
    return ("\ufeff" + table.to_csv(index=False, lineterminator="\r\n")).encode("utf-8")

