"""Crafted upload files that once crashed or exhausted the server, made in the test (no committed
binaries). Each is (name, file name, bytes); `cohort_files` go through the cohort import,
`market_files` through the local market upload."""

from __future__ import annotations

import io
import json
import zipfile
import zlib

from openpyxl import Workbook

HEADER = "display_name,municipality,hours_per_week\n"


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "profiles"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewritten(xlsx: bytes, changes: dict[str, bytes]) -> bytes:
    """The workbook with some of its parts replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, changes.pop(item.filename, source.read(item.filename)))
        for name, content in changes.items():
            target.writestr(name, content)
    return out.getvalue()


def _sheet_xml(cells: str, dimension: str = "A1:C2") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>'
    ).encode()


class _RepeatingDeflate:
    """Deflates a part made of one chunk repeated many times in the time of one chunk: after a full
    flush deflate starts afresh, so every repetition of the chunk compresses to the same bytes."""

    def __init__(self, chunk: bytes) -> None:
        self.chunk = chunk
        self.deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.block: bytes | None = None

    def compress(self, data: bytes) -> bytes:
        if data is self.chunk and self.block is not None:
            return self.block
        out = self.deflate.compress(data) + self.deflate.flush(zlib.Z_FULL_FLUSH)
        if data is self.chunk:
            self.block = out
        return out

    def flush(self) -> bytes:
        return self.deflate.flush()


def spaces_bomb(megabytes: int = 62) -> bytes:
    """A small .xlsx whose one cell holds `megabytes` MB of spaces (they compress about 1000 to 1)."""
    plain = _workbook([["display_name"], ["x"]])
    source = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    chunk = b" " * 1_000_000
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item.filename, source.read(item.filename))
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet._compressor = _RepeatingDeflate(chunk)  # zipfile's own writer, with the cheap deflate
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                        b'<row r="1"><c r="A1" t="inlineStr"><is><t>display_name</t></is></c></row>'
                        b'<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve">')
            for _ in range(megabytes):
                sheet.write(chunk)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return out.getvalue()


def entity_workbook() -> bytes:
    """An .xlsx whose sheet declares XML entities that expand (a 'billion laughs')."""
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [<!ENTITY l0 "ha">' + laughs + ']>'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>display_name</t></is></c></row>'
           '<row r="2"><c r="A2" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>').encode()
    return _rewritten(_workbook([["display_name"], ["x"]]), {"xl/worksheets/sheet1.xml": xml})


def far_cell_workbook() -> bytes:
    """An .xlsx with one cell in the first row and one in the last row and column of a sheet:
    reading it pads a million rows of 16,384 cells."""
    cells = ('<row r="1"><c r="A1" t="inlineStr"><is><t>display_name</t></is></c></row>'
             '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    return _rewritten(_workbook([["display_name"], ["x"]]),
                      {"xl/worksheets/sheet1.xml": _sheet_xml(cells, "A1:XFD1048576")})


def many_entries_zip(entries: int = 1_100) -> bytes:
    """A workbook padded with thousands of tiny parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        source = zipfile.ZipFile(io.BytesIO(_workbook([["display_name"], ["x"]])))
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        for number in range(entries):
            target.writestr(f"xl/media/pad{number}.bin", b"")
    return out.getvalue()


_HEAD = ('<row r="1"><c r="A1" t="inlineStr"><is><t>display_name</t></is></c>'
         '<c r="B1" t="inlineStr"><is><t>hours_per_week</t></is></c></row>')


def damaged_workbook(second_cell: str) -> bytes:
    """A workbook whose second row's second cell is `second_cell` (raw sheet XML)."""
    cells = _HEAD + f'<row r="2"><c r="A2" t="inlineStr"><is><t>Sara</t></is></c>{second_cell}</row>'
    return _rewritten(_workbook([["display_name"], ["x"]]), {"xl/worksheets/sheet1.xml": _sheet_xml(cells)})


def cohort_files() -> list[tuple[str, str, bytes]]:
    profile = {"id": "", "display_name": "Sara", "municipality": "GM0363"}
    return [
        ("json nested 100,000 deep", "deep.json", b"[" * 100_000 + b"]" * 100_000),
        ("json lone surrogate", "surrogate.json",
         json.dumps([{**profile, "display_name": "\ud800"}]).encode()),
        ("json integer of 5,000 digits", "digits.json",
         b'[{"id": "", "display_name": "Sara", "capital_eur": 1' + b"0" * 5000 + b"}]"),
        ("json NaN", "nan.json", b'[{"id": "", "display_name": "Sara", "capital_eur": NaN}]'),
        ("csv cell over 131,072 characters", "long.csv", (HEADER + "a" * 200_000 + ",GM0363,10\n").encode()),
        ("csv row of a million columns", "wide.csv", (HEADER + "x," * 1_000_000 + "\n").encode()),
        ("xlsx with an XML entity", "entity.xlsx", entity_workbook()),
        ("xlsx with a far cell", "far.xlsx", far_cell_workbook()),
        ("xlsx of 1,100 parts", "parts.xlsx", many_entries_zip()),
        ("xlsx bomb of 62 MB of spaces", "bomb.xlsx", spaces_bomb()),
        ("xlsx cell of 40,000 characters", "longcell.xlsx",
         damaged_workbook(f'<c r="B2" t="inlineStr"><is><t>{"9" * 40_000}</t></is></c>')),
        ("xlsx number that is no number", "number.xlsx", damaged_workbook('<c r="B2"><v>abc</v></c>')),
        ("xlsx date that is no date", "date.xlsx", damaged_workbook('<c r="B2" t="d"><v>not-a-date</v></c>')),
        ("xlsx cell reference past the last column", "reference.xlsx",
         damaged_workbook('<c r="ZZZZZ2" t="inlineStr"><is><t>1</t></is></c>')),
        ("xlsx shared string that does not exist", "shared.xlsx", damaged_workbook('<c r="B2" t="s"><v>99999</v></c>')),
    ]


MARKET_HEADER = "region_code,sbi_code,indicator,value,unit,period,source,note\n"


def market_files() -> list[tuple[str, str, bytes]]:
    return [
        ("market csv cell over 131,072 characters", "long.csv",
         (MARKET_HEADER + "NL,56,starts,1,count,2024,x," + "a" * 200_000 + "\n").encode()),
        ("market csv value NaN", "nan.csv", (MARKET_HEADER + "NL,56,starts,nan,count,2024,x,\n").encode()),
        ("market csv row of a million columns", "wide.csv", (MARKET_HEADER + "x," * 1_000_000 + "\n").encode()),
    ]
