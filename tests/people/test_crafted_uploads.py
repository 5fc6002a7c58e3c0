"""Uploads that cannot hurt the server: each crafted file (bombs included, made here) gets a message
that names what is wrong and where, the database stays as it was, and reading the bombs keeps the
server's memory bounded (measured in a process of its own)."""

import json
import subprocess
import sys

import pytest

from incubator.core import uploads
from incubator.core.access import COMMAND_LINE_MANAGER
from incubator.core.errors import ImportRejected
from incubator.core.i18n import translate
from incubator.market import local_figures
from incubator.people import files, importing
from tests.support import crafted_uploads
from tests.support.app import ROOT
from tests.support.databases import copy_database

EXPECTED = {
    "deep.json": (uploads.JSON_TOO_DEEP, {"limit": uploads.MAX_JSON_DEPTH}),
    "surrogate.json": (uploads.JSON_LONE_SURROGATE, {"row": 1, "field": "display_name", "code": "d800"}),
    "digits.json": (uploads.JSON_NUMBER_TOO_LONG, {"limit": uploads.MAX_JSON_DIGITS}),
    "nan.json": (uploads.JSON_NOT_A_NUMBER, {"value": "NaN"}),
    "long.csv": (uploads.CSV_CELL_TOO_LONG, {"row": 2, "limit": uploads.MAX_CELL_CHARS}),
    "wide.csv": (uploads.TOO_MANY_COLUMNS, {"row": 2, "limit": uploads.MAX_COLUMNS}),
    "entity.xlsx": (uploads.XML_WITH_DTD, {"part": "xl/worksheets/sheet1.xml"}),
    "far.xlsx": (uploads.SHEET_TOO_MANY_COLUMNS, {"sheet": "profiles", "row": 1, "limit": uploads.MAX_COLUMNS}),
    "parts.xlsx": (uploads.TOO_MANY_PARTS, {"limit": uploads.MAX_PARTS}),
    "bomb.xlsx": (uploads.TOO_LARGE_UNPACKED, {"limit": uploads.MAX_UNPACKED_BYTES // 1_000_000}),
    "longcell.xlsx": (uploads.CELL_TOO_LONG, {"sheet": "profiles", "row": 2, "column": "B", "limit": uploads.MAX_CELL_CHARS}),
    **{name: (uploads.DAMAGED_WORKBOOK, {"sheet": "profiles", "row": 2})
       for name in ("number.xlsx", "date.xlsx", "reference.xlsx", "shared.xlsx")},
}


@pytest.fixture(scope="module")
def corpus() -> dict[str, bytes]:
    return {file_name: content for _, file_name, content in crafted_uploads.cohort_files()}


def table_counts(cur) -> dict[str, int]:
    tables = [r[0] for r in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()]
    return {t: cur.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.parametrize("file_name", sorted(EXPECTED))
def test_a_crafted_cohort_file_is_refused_with_a_message_that_says_what_and_where(seeded, corpus, file_name):
    before = table_counts(seeded)
    preview = importing.preview_import(seeded, actor=COMMAND_LINE_MANAGER, file_name=file_name, content=corpus[file_name])
    message, params = EXPECTED[file_name]
    assert [(p.message, p.params) for p in preview.problems] == [(message, params)]
    for lang in ("nl", "ar"):  # translated, with every placeholder filled
        shown = translate(message, lang, **params)
        assert shown != message and "{" not in shown
    with pytest.raises(ImportRejected):
        importing.import_profiles(seeded, actor=COMMAND_LINE_MANAGER, file_name=file_name, content=corpus[file_name])
    assert table_counts(seeded) == before


def test_every_file_of_the_corpus_is_expected(corpus):
    assert set(corpus) == set(EXPECTED)


def test_a_plain_cohort_workbook_still_reads_row_by_row(seeded):
    content = crafted_uploads._workbook([["display_name", "hours_per_week"], ["Sara", 12], [None, None], ["Amal", 8.5]])
    frames, problems, rows, kind = files.read_frames("cohort.xlsx", content)
    assert (kind, problems, rows) == ("xlsx", [], [2, 4])
    assert list(frames.base["display_name"]) == ["Sara", "Amal"]
    assert list(frames.base["hours_per_week"]) == ["12", "8.5"]


@pytest.mark.parametrize("name,file_name,content", crafted_uploads.market_files()[:1])
def test_a_crafted_local_market_file_says_which_line(seeded, people, name, file_name, content):
    before = table_counts(seeded)
    with pytest.raises(local_figures.UploadRejected) as refused:
        local_figures.upload_local_market_file(seeded, people["manager"], file_name=file_name, content=content)
    assert (refused.value.message_key, refused.value.params) == (
        uploads.CSV_CELL_TOO_LONG, {"row": 2, "limit": uploads.MAX_CELL_CHARS})
    assert table_counts(seeded) == before


MEASURE = r"""
import json, resource, sys
sys.path.insert(0, sys.argv[1])
from incubator.core import db
from incubator.core.access import COMMAND_LINE_MANAGER
from incubator.people import importing
from tests.support import crafted_uploads

cur = db.connect(sys.argv[2]).cursor()
bombs = {
    "bomb.xlsx": crafted_uploads.spaces_bomb(300),
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "wide.csv": ("display_name\n" + "x," * 1_000_000 + "\n").encode(),
    "far.xlsx": crafted_uploads.far_cell_workbook(),
}
importing.preview_import(cur, actor=COMMAND_LINE_MANAGER, file_name="warm.csv", content=b"display_name\nSara\n")
growth = {}
for file_name, content in bombs.items():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    preview = importing.preview_import(cur, actor=COMMAND_LINE_MANAGER, file_name=file_name, content=content)
    assert preview.problems, file_name
    growth[file_name] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
print(json.dumps(growth))
"""


def test_reading_the_bombs_keeps_memory_bounded(tmp_path, market_template):
    # ru_maxrss only grows, so each bomb's growth is measured from the peak before it, in a fresh process.
    path = copy_database(market_template, tmp_path / "measure.duckdb")
    result = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT), str(path)], capture_output=True, text=True,
                            cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    growth_mb = json.loads(result.stdout.strip().splitlines()[-1])
    # Generous: before, this 300 KB bomb (300 MB of spaces) alone grew the process by 577 MB.
    assert all(mb < 80 for mb in growth_mb.values()), growth_mb
