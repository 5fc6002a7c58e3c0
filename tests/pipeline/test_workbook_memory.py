"""The export's memory does not grow with the number of rows: a Milestones sheet (table, drop-down
lists, date checks, overdue marks) of 4N rows takes no more memory while it is written than one of
N rows. Python's own allocations are counted (tracemalloc), so the figure does not depend on what
else runs on the machine; the rows come from a DuckDB query over range(n), fetched in batches."""

from __future__ import annotations

import io
import tracemalloc

import duckdb
import xlsxwriter

from incubator.pipeline import workbook_export as we
from incubator.pipeline import workbook_layout as wl

ROWS = 1_000
ROW_SQL = """
    SELECT i, 'P-' || (i // 12), 'Milestone ' || i, DATE '2027-01-01' + CAST(i % 400 AS INTEGER),
           'participant', 'todo', NULL, 'proof ' || i, NULL, i % 30, 1, TRUE
    FROM range(?) t(i) ORDER BY i"""


def _peak_while_writing(rows: int) -> int:
    """Bytes of Python memory at the peak of writing a Milestones sheet of `rows` rows."""
    cur = duckdb.connect()
    book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
    w = we._Writer(book, "en")  # noqa: SLF001 - the writing side alone, without a whole programme
    columns = wl.columns_of(wl.MILESTONES, with_names=False)
    cur.execute(ROW_SQL, [rows])
    tracemalloc.start()
    try:
        sheet = we._prepare_sheet(w, wl.MILESTONES, columns, "Milestones", rows, "milestones_1", "en")  # noqa: SLF001
        written = we._stream_rows(sheet, cur, w.cell_writers(columns, we._labels("en")), rows=rows,  # noqa: SLF001
                                  batch_rows=250, shape=None, lang="en", progress=None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    book.close()
    cur.close()
    assert written == rows
    return peak


def test_writing_four_times_the_rows_takes_no_more_memory():
    _peak_while_writing(10)  # the first export loads the translations and XlsxWriter's lazy parts
    small, large = _peak_while_writing(ROWS), _peak_while_writing(4 * ROWS)
    # Before the table's cells stopped being recorded one by one, 3,000 more rows took about 2 MiB
    # more (a dict entry for each of their 36,000 cells); a batch of 250 rows takes well under 0.5 MiB.
    assert large - small < 512 * 1024, (small, large)
