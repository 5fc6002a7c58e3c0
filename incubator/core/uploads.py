"""Reading uploaded files so that no file can hurt the server: limits checked before parsing (the
unpacked size and the number of parts of a workbook, the nesting depth of JSON) and while reading
(rows, columns and the length of a cell), XML without entities or a DTD, and every way a file can
be malformed turned into a translated message that says what is wrong and where.

A 1 MB .xlsx can unpack to a gigabyte of spaces in one cell; the 20 MB limit on the upload counts
only the packed bytes, so the parts are measured from the archive's directory before anything is
parsed (zipfile never unpacks more than a part's stated size).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator

from openpyxl import load_workbook

from incubator.core import excel
from incubator.core.errors import ImportRejected
from incubator.core.i18n import N_

MAX_UNPACKED_BYTES = 60_000_000  # every part of a workbook together, unpacked
MAX_PARTS = 1_000  # a workbook of ours has about 15; Excel's own rarely more than 100
MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell
MAX_COLUMNS = 200
MAX_SHEET_ROWS = 200_000  # rows of a sheet, empty ones included (a cohort file holds at most 50,000)
MAX_JSON_DEPTH = 32  # the exchange format nests 4 deep
MAX_JSON_DIGITS = 30  # no number of the exchange format has more

TOO_LARGE_UNPACKED = N_("The workbook unpacks to more than {limit} MB. Save it again in Excel without pictures "
                        "or hidden sheets, or split it.")
TOO_MANY_PARTS = N_("The workbook has more than {limit} parts inside. Save it again in Excel as a plain .xlsx file.")
XML_WITH_DTD = N_("The workbook contains XML with a document type or entities ({part}), which we never read. "
                  "Save it again in Excel as a plain .xlsx file.")
DAMAGED_WORKBOOK = N_("The workbook is damaged (sheet {sheet}, near row {row}). Open it in Excel, save it again "
                      "and upload it again.")
CELL_TOO_LONG = N_("Sheet {sheet}, row {row}, column {column}: the cell holds more than {limit} characters.")
CSV_CELL_TOO_LONG = N_("Line {row}: a cell holds more than {limit} characters.")
TOO_MANY_COLUMNS = N_("Row {row} has more than {limit} columns.")
SHEET_TOO_MANY_ROWS = N_("Sheet {sheet} has more than {limit} rows (empty rows count too). Delete the rows "
                         "below your table in Excel, or split the file.")
SHEET_TOO_MANY_COLUMNS = N_("Sheet {sheet}, row {row} has more than {limit} columns.")
CSV_DAMAGED = N_("Line {row} cannot be read as CSV: {reason}.")
JSON_TOO_DEEP = N_("The JSON file nests lists and objects more than {limit} deep; a profile nests at most 4.")
JSON_NUMBER_TOO_LONG = N_("The JSON file holds a number with more than {limit} digits.")
JSON_NOT_A_NUMBER = N_("The JSON file holds {value}, which is not a number in JSON.")
JSON_LONE_SURROGATE = N_("Profile {row}, field {field}: the text holds a broken character (a lone surrogate, "
                         "code {code}).")


class UploadRefused(ImportRejected):
    """A file refused before or while it was read; `message_key` and `params` say what and where."""

    def __init__(self, message_key: str, **params: object) -> None:
        super().__init__(message_key, **params)


# --- workbooks -------------------------------------------------------------------------------------

def check_workbook_archive(content: bytes, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse an .xlsx whose parts unpack too large, that has too many parts, or whose XML declares a
    document type (the way to XML entities), before any part is parsed. A file that is no zip archive
    is left to the workbook reader, which says so."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise UploadRefused(TOO_MANY_PARTS, limit=MAX_PARTS)
        if sum(part.file_size for part in parts) > max_unpacked_bytes:
            raise UploadRefused(TOO_LARGE_UNPACKED, limit=max_unpacked_bytes // 1_000_000)
        for part in parts:
            if part.filename.endswith((".xml", ".rels", ".vml")) and _declares_dtd(archive, part):
                raise UploadRefused(XML_WITH_DTD, part=part.filename[:80])


_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _declares_dtd(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    # A DTD (and so any entity) must come before the root element: reading up to it is enough.
    try:
        with archive.open(part) as stream:
            head = b""
            while len(head) < 1_000_000:
                chunk = stream.read(16_384)
                if not chunk:
                    break
                head += chunk
                root = _ROOT_START.search(head)
                if root:
                    return b"<!DOCTYPE" in head[: root.start()].upper() or b"<!ENTITY" in head[: root.start()].upper()
            return b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper()
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        return False  # unreadable parts are the workbook reader's to refuse


def read_sheet(content: bytes, *, sheet: str | None = None,
               max_rows: int | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows of a sheet (the first one unless named) as text, with each row's line
    number, read row by row: the limits on columns and cell length hold for every row as it comes,
    and reading stops after `max_rows` + 1 rows. Entirely empty rows are left out. Anything malformed
    is an UploadRefused that names the sheet and the row."""
    check_workbook_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a malformed workbook
        raise ImportRejected(excel.NOT_A_WORKBOOK) from exc
    try:
        worksheet = workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook.worksheets[0]
        title = worksheet.title
        # The size the sheet declares (its <dimension>): read-only sheets pad every row to that width
        # and every gap between rows with empty rows, so a far cell would make billions of cells.
        if (worksheet.max_column or 0) > MAX_COLUMNS:
            raise UploadRefused(SHEET_TOO_MANY_COLUMNS, sheet=title, row=1, limit=MAX_COLUMNS)
        if (worksheet.max_row or 0) > MAX_SHEET_ROWS:
            raise UploadRefused(SHEET_TOO_MANY_ROWS, sheet=title, limit=MAX_SHEET_ROWS)
        line = 0
        header: list[str] | None = None
        body: list[tuple[int, list[str]]] = []
        rows = worksheet.iter_rows()
        while True:
            try:
                cells = next(rows, None)
            except UploadRefused:
                raise
            except Exception as exc:  # noqa: BLE001 - a bad number, date, reference or XML in the part
                raise UploadRefused(DAMAGED_WORKBOOK, sheet=title, row=line + 1) from exc
            if cells is None:
                break
            line += 1  # read-only sheets yield every row from the first, empty ones included
            if line > MAX_SHEET_ROWS:
                raise UploadRefused(SHEET_TOO_MANY_ROWS, sheet=title, limit=MAX_SHEET_ROWS)
            values = []
            for index, cell in enumerate(cells, start=1):
                value = getattr(cell, "value", None)
                if value is None:
                    values.append("")
                    continue
                if index > MAX_COLUMNS:
                    raise UploadRefused(SHEET_TOO_MANY_COLUMNS, sheet=title, row=line, limit=MAX_COLUMNS)
                text = excel.cell_text(value)
                if len(text) > MAX_CELL_CHARS:
                    raise UploadRefused(CELL_TOO_LONG, sheet=title, row=line, column=column_letter(index),
                                        limit=MAX_CELL_CHARS)
                values.append(text)
            if header is None:
                header = values
                while header and header[-1] == "":
                    header.pop()
                continue
            row = values[: len(header)] + [""] * (len(header) - len(values))
            if any(row):
                body.append((line, row))
                if max_rows is not None and len(body) > max_rows:
                    break
        return header or [], body
    finally:
        workbook.close()


def column_letter(number: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- CSV -------------------------------------------------------------------------------------------

def csv_rows(decoded: str, *, delimiter: str = ",", max_rows: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a CSV text, with the limits on cells, columns and rows applied row by row
    as it is read. Stops after `max_rows` + 1 rows that are not empty (the caller says that there are
    too many)."""
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)
    read = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise UploadRefused(CSV_CELL_TOO_LONG, row=start, limit=MAX_CELL_CHARS) from None
            raise UploadRefused(CSV_DAMAGED, row=start, reason=str(exc)[:80]) from None
        if len(cells) > MAX_COLUMNS:
            raise UploadRefused(TOO_MANY_COLUMNS, row=start, limit=MAX_COLUMNS)
        if any(len(cell) > MAX_CELL_CHARS for cell in cells):
            raise UploadRefused(CSV_CELL_TOO_LONG, row=start, limit=MAX_CELL_CHARS)
        yield start, cells
        read += any(cell.strip() for cell in cells)
        if max_rows is not None and read > max_rows:
            return


# --- JSON ------------------------------------------------------------------------------------------

def json_depth(value: object) -> int:
    """How deep lists and objects nest in a parsed JSON value (1 for a flat list), counted without
    recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item if isinstance(child, (list, dict)))
    return deepest


def _refuse_constant(name: str) -> object:
    raise UploadRefused(JSON_NOT_A_NUMBER, value=name)


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_JSON_DIGITS:
        raise UploadRefused(JSON_NUMBER_TOO_LONG, limit=MAX_JSON_DIGITS)
    return int(text)


def _bounded_float(text: str) -> float:
    if len(text) > MAX_JSON_DIGITS * 2:
        raise UploadRefused(JSON_NUMBER_TOO_LONG, limit=MAX_JSON_DIGITS)
    return float(text)


def load_json(text: str) -> object:
    """json.loads with the nesting depth bounded and numbers bounded (NaN and Infinity are no JSON).
    Python's parser gives up past about 1,000 levels with a RecursionError (cleanly: it counts its own
    depth), which is refused here like any nesting past MAX_JSON_DEPTH. A json.JSONDecodeError is the
    caller's to report."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_int=_bounded_int, parse_float=_bounded_float)
    except RecursionError:
        raise UploadRefused(JSON_TOO_DEEP, limit=MAX_JSON_DEPTH) from None
    if json_depth(value) > MAX_JSON_DEPTH:
        raise UploadRefused(JSON_TOO_DEEP, limit=MAX_JSON_DEPTH)
    return value


def lone_surrogate(value: object, path: str = "") -> tuple[str, str] | None:
    """(where, code) of the first text in a JSON value that is not valid Unicode (a lone surrogate
    such as "\\ud800", which JSON allows and UTF-8 cannot hold), or None."""
    if isinstance(value, str):
        for char in value:
            if 0xD800 <= ord(char) <= 0xDFFF:
                return path, f"{ord(char):04x}"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = lone_surrogate(key, path) or lone_surrogate(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value, start=1):
            found = lone_surrogate(item, f"{path}[{index}]")
            if found:
                return found
    return None
