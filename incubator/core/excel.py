"""Excel workbooks (openpyxl) that are safe both ways.

Reading: every cell comes back as text, and a cell holding a formula comes back as the formula's
text; nothing is ever calculated (workbooks are opened without cached values). Writing: text that
starts like a formula (=, +, -, @, a tab or a carriage return, also after spaces) is written as a string cell with Excel's quote prefix, so Excel
shows it and never runs it, also after someone edits the cell.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from incubator.core.errors import ImportRejected
from incubator.core.i18n import N_

FORMULA_START = ("=", "+", "-", "@")
# A spreadsheet also runs a formula after a tab or a carriage return, and after leading spaces.
_FORMULA_TRIGGERS = frozenset({*FORMULA_START, "\t", "\r"})
NOT_A_WORKBOOK = N_("The file is not an Excel workbook (.xlsx) that can be read.")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def cell_text(value: object) -> str:
    """A cell's value as text: whole numbers without '.0', dates as YYYY-MM-DD, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_table(content: bytes, *, sheet: str | None = None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows of a sheet (the first one unless named), as text, with each row's
    line number in the sheet. Rows that are entirely empty are left out."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportRejected(NOT_A_WORKBOOK) from exc
    try:
        worksheet = workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        header = [cell_text(v) for v in next(rows, ())]
        while header and header[-1] == "":
            header.pop()
        body = []
        for line, values in enumerate(rows, start=2):
            cells = [cell_text(v) for v in values[: len(header)]]
            cells += [""] * (len(header) - len(cells))
            if any(cells):
                body.append((line, cells))
        return header, body
    finally:
        workbook.close()


def starts_like_formula(value: object) -> bool:
    """Text a spreadsheet could run: it starts with =, +, -, @, a tab or a carriage return, also
    after leading spaces."""
    return isinstance(value, str) and value.lstrip(" ")[:1] in _FORMULA_TRIGGERS


def safe_text(value: object) -> object:
    """For CSV: text that starts like a formula gets an apostrophe in front, so a spreadsheet shows
    it as text. The importer takes the apostrophe off again. Every CSV writer uses it."""
    if starts_like_formula(value):
        return "'" + value
    return value


@dataclass
class SheetSpec:
    """One sheet to write: a table, with optional notes on header cells and drop-down lists."""

    name: str
    table: pd.DataFrame
    notes: dict[str, str] = field(default_factory=dict)  # column -> note shown on the header cell
    choices: dict[str, Sequence[str]] = field(default_factory=dict)  # column -> allowed values
    blank_rows: int = 0  # rows the drop-down lists cover below the table (for a template)
    width: int = 18


def write_workbook(sheets: Iterable[SheetSpec]) -> bytes:
    """An .xlsx file with one sheet per spec; formula-like text is stored as text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        worksheet = workbook.create_sheet(spec.name[:31])
        columns = list(spec.table.columns)
        worksheet.append(columns)
        for index, column in enumerate(columns, start=1):
            cell = worksheet.cell(row=1, column=index)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            if column in spec.notes:
                cell.comment = Comment(spec.notes[column], "Versnelling")
            worksheet.column_dimensions[get_column_letter(index)].width = spec.width
        for values in spec.table.itertuples(index=False, name=None):
            worksheet.append([None if _missing(v) else v for v in values])
        for row in worksheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    # Assigning a string starting with "=" makes openpyxl write a formula; force text.
                    cell.data_type = "s"
                    if starts_like_formula(cell.value):
                        cell.quotePrefix = True
        last_row = max(len(spec.table) + 1 + spec.blank_rows, 2)
        for column, allowed in spec.choices.items():
            if column not in columns:
                continue
            letter = get_column_letter(columns.index(column) + 1)
            validation = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True)
            validation.add(f"{letter}2:{letter}{last_row}")
            worksheet.add_data_validation(validation)
        worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
