"""The pipeline workbook a manager can live in: sheets Pipeline, Milestones, Sessions, Outcomes, KPIs
and a Legend, each data sheet a real Excel table (filters, banded rows) with a frozen header, column
widths, number, euro and date formats, overdue rows marked by conditional formatting, drop-down lists
on the columns a manager may edit, two native charts (the funnel, KPIs over time), document
properties, and every label in the manager's language.

Pseudonymised unless a manager asks for names (then every participant whose name went out is in the
audit log). Rows stream from DuckDB in batches straight into the file: XlsxWriter's constant_memory
mode keeps one row in memory at a time, and each sheet's query runs for IDS_PER_RANGE participants
at a time, so DuckDB's joins, sort and result hold one range of ids, never the whole programme
(benchmarks/bench_pipeline_export.py measures it against pandas' `to_excel`). Text that Excel could
take for a formula is written as a text cell with Excel's quote prefix, so it stays text also after
someone edits the cell."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import BinaryIO

import duckdb
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_range

from incubator.core import i18n
from incubator.core.access import Actor, require
from incubator.core.audit import audit, audit_many
from incubator.core.db import retrying, transaction
from incubator.core.errors import ValidationFailed
from incubator.core.i18n import LANGUAGES, N_, translate
from incubator.market.labels import label_sql, language_literal
from incubator.market.taxonomy import FAMILY_LABELS
from incubator.pipeline import workbook_layout as wl
from incubator.pipeline.scope import PipelineFilter
from incubator.pipeline.stages import DATE_COLUMNS, STAGES, registered_stages, stages_sql
from incubator.programme import milestones as ms
from incubator.programme.outcomes import REVENUE_BANDS, band_words
from incubator.programme.sessions import TOPICS

BATCH_ROWS = 5_000
# Participants whose rows one run of a sheet's query gives. At 100,000 participants the Pipeline query
# over all of them held 180 MiB in DuckDB (hash tables, the sort and the result at once).
IDS_PER_RANGE = 10_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_FORMATS = {"nl": "dd-mm-yyyy", "en": "dd/mm/yyyy", "ar": "yyyy/mm/dd"}
EURO_FORMAT = '"€" #,##0;[Red]"€" -#,##0'
YES, NO = N_("yes"), N_("no")
UNKNOWN_LANGUAGE = N_("There is no workbook in the language {lang}.")
NAMES_FOR_MANAGERS = N_("Only a programme manager may export names.")
PSEUDONYMISED = N_("Pseudonymised: participants are named by their id only.")
WITH_NAMES = N_("With names, as asked by {user} on {date}: keep this file safe and delete it when you are done.")
SYNTHETIC_DATA = N_("This workbook holds synthetic (made-up) demo data.")
EDITABLE_NOTE = N_("You may change the columns marked editable on the Milestones sheet and upload the workbook "
                   "again: the app shows every change before it saves them.")
STATUS_LIST_TITLE = N_("Pick a value from the list.")
DATE_ERROR = N_("Type a date, like 2027-03-01.")
FUNNEL_TITLE = N_("Participants per stage")
OVER_TIME_TITLE = N_("KPIs over time")
MONTH = N_("Month")
JOINED, LAUNCHED, DONE = N_("Participants who joined"), N_("Ventures registered"), N_("Milestones done")
AT_OR_BEYOND = N_("Participants at or beyond the stage")
EDITABLE, NOT_EDITABLE = N_("editable"), N_("not editable")
SHEET, COLUMN, MEANING = N_("Sheet"), N_("Column"), N_("Meaning")
CODE, LABEL = N_("Code"), N_("Label")


@dataclass
class ExportSummary:
    rows: dict[str, int] = field(default_factory=dict)  # sheet key -> data rows written
    with_names: bool = False
    synthetic: bool = False


Progress = Callable[[int, int], None]  # (rows written, rows in all)


def _used(sql: str, params: dict) -> dict:
    """The named parameters a statement uses (DuckDB refuses any it does not)."""
    return {name: value for name, value in params.items() if re.search(rf"\${name}\b", sql)}


def _serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


class _Writer:
    """The formats of one workbook and a cell writer per column kind."""

    def __init__(self, book: xlsxwriter.Workbook, lang: str) -> None:
        self.book, self.lang = book, lang
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"})
        self.quoted = book.add_format({"quote_prefix": True})
        self.formats = {
            "date": book.add_format({"num_format": DATE_FORMATS[lang]}),
            "euro": book.add_format({"num_format": EURO_FORMAT}),
            "decimal": book.add_format({"num_format": "0.00"}),
            "int": book.add_format({"num_format": "0"}),
        }
        self.overdue = book.add_format({"bg_color": "#FCE4D6", "font_color": "#9C0006"})
        self.yes, self.no = translate(YES, lang), translate(NO, lang)

    def text(self, sheet, row: int, col: int, value: str) -> None:
        # Excel would take "=...", "+...", "-...", "@..." (also after spaces, a tab or a carriage
        # return) for a formula once someone edits the cell: a quote-prefixed text cell stays text.
        if value.lstrip(" ").startswith(FORMULA_START):
            sheet.write_string(row, col, value, self.quoted)
        else:
            sheet.write_string(row, col, value)

    def cell_writers(self, columns: tuple[wl.Column, ...], labels: dict[str, dict]) -> list[Callable]:
        """One function (value, row number) per column that gives a non-empty value's cell as XML."""
        writers = []
        quoted = self.quoted._get_xf_index()
        for col, column in enumerate(columns):
            letter, kind = xl_col_to_name(col), column.kind
            if kind == "text":
                writers.append(lambda v, r, a=letter: _text_cell(a, r, str(v), quoted))
            elif kind == "date":
                style = self.formats["date"]._get_xf_index()
                writers.append(lambda v, r, a=letter, s=style: f'<c r="{a}{r}" s="{s}"><v>{(v - EXCEL_EPOCH).days}</v></c>')
            elif kind in ("int", "euro", "decimal"):
                style = self.formats[kind]._get_xf_index()
                writers.append(lambda v, r, a=letter, s=style: f'<c r="{a}{r}" s="{s}"><v>{v}</v></c>')
            elif kind == "yesno":
                yes, no = _inline(self.yes), _inline(self.no)
                writers.append(lambda v, r, a=letter, y=yes, n=no: f'<c r="{a}{r}" t="inlineStr">{y if v else n}</c>')
            else:
                names = labels[column.key]
                writers.append(lambda v, r, a=letter, n=names: _text_cell(a, r, n.get(v, str(v)), quoted))
        return writers


_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")


def _inline(text: str) -> str:
    """An inline string (the <is> element) as Excel reads it: XML escaped, control characters as
    Excel's _xHHHH_ escapes (a literal escape kept literal), leading and trailing spaces kept."""
    if not _NEEDS_ESCAPE.search(text):
        return f"<is><t>{text}</t></is>"
    text = _LITERAL_ESCAPE.sub(r"_x005F\1", text[:32767])
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", escape(text, quote=False))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<is><t{space}>{text}</t></is>"


def _text_cell(letter: str, row: int, text: str, quoted: int) -> str:
    # Excel would take "=...", "+...", "-...", "@..." (also after spaces, a tab or a carriage
    # return) for a formula once someone edits the cell: a quote-prefixed text cell stays text.
    if text.lstrip(" ").startswith(FORMULA_START):
        return f'<c r="{letter}{row}" s="{quoted}" t="inlineStr">{_inline(text)}</c>'
    return f'<c r="{letter}{row}" t="inlineStr">{_inline(text)}</c>'


def _labels(lang: str) -> dict[str, dict]:
    """Codes as the reader reads them, per labelled column."""
    t = lambda key: translate(key, lang)  # noqa: E731 - a short local alias
    return {
        "family": {k: t(v) for k, v in FAMILY_LABELS.items()},
        "stage": {i: t(label) for i, (_, label) in enumerate(STAGES)},
        "owner": {k: t(v) for k, v in ms.OWNERS.items()},
        "status": {k: t(v) for k, v in ms.STATUSES.items()},
        "revenue_band": {key: band_words(key).text(lang) for key, _, _ in REVENUE_BANDS},
    }


def _queries(stages: str, *, lang: str, with_names: bool) -> dict[str, str]:
    """The SQL of each data sheet, its columns in the layout's order, each ordered for the reader."""
    venture_name = label_sql("venture", "v.venture_id", language_literal(lang))
    licence_name = label_sql("licence", "l.licence_id", language_literal(lang))
    stage_on = "[" + ", ".join(f"st.{c}" for c in DATE_COLUMNS) + "][st.stage_index + 1]"
    return {
        "pipeline": f"""
            WITH st AS ({stages}),
            mentor_names AS (
                SELECT pm.participant_id, string_agg(u.username, ', ' ORDER BY u.username) AS mentors
                FROM participant_mentors pm JOIN users u ON u.user_id = pm.mentor_user_id
                WHERE pm.participant_id IN (SELECT participant_id FROM st) GROUP BY pm.participant_id),
            open_ms AS (
                SELECT participant_id, count(*) AS open_n, count(*) FILTER (WHERE due_on < $today) AS overdue_n,
                       min(due_on) AS next_due_on
                FROM milestones WHERE status IN ('todo', 'in_progress', 'blocked')
                  AND participant_id IN (SELECT participant_id FROM st) GROUP BY participant_id)
            SELECT st.participant_id, {"p.display_name, " if with_names else ""}co.name,
                   coalesce(mu.name, st.municipality), mn.mentors, st.family, coalesce({venture_name}, i.title),
                   st.stage_index, {stage_on}, st.intake_on, coalesce(om.open_n, 0), coalesce(om.overdue_n, 0),
                   om.next_due_on, v.capital_typical_eur, o.launched_on, o.jobs_fte, st.synthetic
            FROM st
            {"LEFT JOIN participants p ON p.participant_id = st.participant_id" if with_names else ""}
            LEFT JOIN cohorts co ON co.cohort_id = st.cohort_id
            LEFT JOIN municipalities mu ON mu.gm_code = st.municipality
            LEFT JOIN mentor_names mn ON mn.participant_id = st.participant_id
            LEFT JOIN ventures v ON v.venture_id = st.venture_id
            LEFT JOIN venture_choices vc ON vc.choice_id = st.choice_id
            LEFT JOIN venture_ideas i ON i.idea_id = vc.idea_id
            LEFT JOIN open_ms om ON om.participant_id = st.participant_id
            LEFT JOIN programme_outcomes o ON o.choice_id = st.choice_id
            ORDER BY st.participant_id""",
        "milestones": f"""
            WITH st AS ({stages})
            SELECT m.milestone_id, m.participant_id, m.template_key, m.title, {licence_name}, m.due_on, m.owner, m.status,
                   m.reason, m.evidence, m.completed_on,
                   CASE WHEN m.status IN ('todo', 'in_progress', 'blocked') AND m.due_on < $today
                        THEN date_diff('day', m.due_on, $today) END,
                   m.version, m.synthetic
            FROM milestones m JOIN st ON st.participant_id = m.participant_id
            LEFT JOIN licences l ON l.licence_id = m.licence_id
            ORDER BY m.participant_id, m.due_on, m.position, m.milestone_id""",
        "sessions": f"""
            WITH st AS ({stages}),
            steps AS (SELECT session_id, count(*) AS n FROM session_next_steps GROUP BY session_id)
            SELECT s.participant_id, s.held_on, u.username, s.duration_minutes, s.topics, coalesce(steps.n, 0)
            FROM mentoring_sessions s JOIN st ON st.participant_id = s.participant_id
            LEFT JOIN users u ON u.user_id = s.mentor_user_id
            LEFT JOIN steps ON steps.session_id = s.session_id
            ORDER BY s.participant_id, s.held_on, s.session_id""",
        "outcomes": f"""
            WITH st AS ({stages})
            SELECT o.participant_id, coalesce({venture_name}, i.title), o.launched, o.launched_on, o.running_6m,
                   o.running_12m, o.running_24m, o.jobs_fte, o.revenue_band, o.left_assistance_on, o.synthetic
            FROM programme_outcomes o JOIN st ON st.choice_id = o.choice_id
            LEFT JOIN ventures v ON v.venture_id = o.venture_id
            LEFT JOIN venture_choices vc ON vc.choice_id = o.choice_id
            LEFT JOIN venture_ideas i ON i.idea_id = vc.idea_id
            ORDER BY o.participant_id""",
    }


def _milestone_rows(rows: list[tuple], lang: str) -> list[tuple]:
    """The milestone's title in the workbook's language, as the app shows it."""
    titles = {key: translate(title, lang) for key, title in ms.TEMPLATE_TITLES.items()}
    shaped = []
    for mid, pid, key, own_title, licence, *rest in rows:
        if licence is not None:
            title = translate(ms.LICENCE_TITLE, lang, licence=licence)
        else:
            title = titles.get(key) or own_title or ""
        shaped.append((mid, pid, title, *rest))
    return shaped


def _session_rows(rows: list[tuple], lang: str) -> list[tuple]:
    topics = {key: translate(label, lang) for key, label in TOPICS.items()}
    return [(pid, held, mentor, minutes, i18n.format_list([topics.get(t, t) for t in keys or ()], lang), steps)
            for pid, held, mentor, minutes, keys, steps in rows]


SHAPERS = {"milestones": _milestone_rows, "sessions": _session_rows}


def _add_table(sheet, *, name: str, header: list[str], last_row: int, header_format) -> None:
    """A real Excel table over the sheet's rows. XlsxWriter refuses tables in constant_memory mode
    because a table may write cells anywhere; this one writes only its header row, before any data
    row, so the mode is lifted for the call and the header written again as streamed cells.

    XlsxWriter's add_table also records every cell of the table in a dict (to refuse overlapping
    tables): about 1.4 KB a row of 12 columns, 1.4 GB for a full sheet. So the table is added over
    the header and one row, and then given its whole range (the only thing that depends on it)."""
    last_col, last_row = len(header) - 1, max(last_row, 1)
    sheet.constant_memory = False
    try:
        sheet.add_table(0, 0, 1, last_col, {
            "name": name, "style": "Table Style Medium 2", "banded_rows": True, "autofilter": True,
            "columns": [{"header": h} for h in header]})
    finally:
        sheet.constant_memory = True
    table = sheet.tables[-1]
    table["range"] = table["a_range"] = table["autofilter"] = xl_range(0, 0, last_row, last_col)
    sheet.table_cells.clear()  # nothing else is ever added to this sheet
    for col, text in enumerate(header):
        sheet.write_string(0, col, text, header_format)


def _prepare_sheet(w: _Writer, layout: wl.SheetLayout, columns: tuple[wl.Column, ...], name: str, rows: int,
                   table_name: str, lang: str) -> object:
    """A data sheet with its table, widths, frozen header, lists, date checks and overdue marks."""
    sheet = w.book.add_worksheet(name)
    if lang in i18n.RTL_LANGUAGES:
        sheet.right_to_left()
    header = [translate(c.label, lang) for c in columns]
    _add_table(sheet, name=table_name, header=header, last_row=rows, header_format=w.header)
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, 1)
    last = max(rows, 1)
    index = {c.key: i for i, c in enumerate(columns)}
    if layout is wl.MILESTONES:
        labels = _labels(lang)
        for key in ("status", "owner"):
            col = index[key]
            sheet.data_validation(1, col, last, col, {
                "validate": "list", "source": list(labels[key].values()),
                "input_title": translate(columns[col].label, lang)[:32],
                "error_message": translate(STATUS_LIST_TITLE, lang)})
        for key in ("due_on", "completed_on"):
            col = index[key]
            sheet.data_validation(1, col, last, col, {
                "validate": "date", "criteria": "between", "minimum": dt.date(2000, 1, 1),
                "maximum": dt.date(2100, 12, 31), "ignore_blank": True, "error_message": translate(DATE_ERROR, lang)})
        due, status = xl_col_to_name(index["due_on"]), xl_col_to_name(index["status"])
        open_labels = ",".join(f'${status}2="{labels["status"][s].replace(chr(34), chr(34) * 2)}"'
                               for s in ("todo", "in_progress", "blocked"))
        sheet.conditional_format(1, 0, last, len(columns) - 1, {
            "type": "formula", "criteria": f"=AND(${due}2<TODAY(),OR({open_labels}))", "format": w.overdue})
    elif layout is wl.PIPELINE:
        overdue = xl_col_to_name(index["overdue_milestones"])
        sheet.conditional_format(1, 0, last, len(columns) - 1, {
            "type": "formula", "criteria": f"=${overdue}2>0", "format": w.overdue})
    return sheet


class _RowsByIdRange:
    """The rows of one sheet's query, run for one range of participant ids after the other (`id_ranges`:
    the first and last id of each, in order). Read like a cursor, with fetchmany."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, sql: str, params: dict,
                 id_ranges: list[tuple[str, str]]) -> None:
        self.cur, self.sql, self.params = cur, sql, params
        self.id_ranges = iter(id_ranges)
        self.running = False

    def fetchmany(self, size: int) -> list[tuple]:
        while True:
            if self.running and (batch := self.cur.fetchmany(size)):
                return batch
            id_range = next(self.id_ranges, None)
            if id_range is None:
                return []
            self.cur.execute(self.sql, _in_range(self.params, id_range))
            self.running = True


def _in_range(params: dict, id_range: tuple[str, str]) -> dict:
    """A sheet query's parameters for one range of participant ids ($id_first to $id_last)."""
    return {**params, "id_first": id_range[0], "id_last": id_range[1]}


def _id_ranges(cur: duckdb.DuckDBPyConnection, registered: str) -> list[tuple[str, str]]:
    """The first and last participant id of each run of IDS_PER_RANGE participants, in id order."""
    return cur.execute(f"""
        SELECT min(participant_id), max(participant_id) FROM (
            SELECT participant_id, (row_number() OVER (ORDER BY participant_id) - 1) // $size AS part
            FROM {registered}) GROUP BY part ORDER BY part""", {"size": IDS_PER_RANGE}).fetchall()


def _stream_rows(sheet, cur, writers: list[Callable], *, rows: int, batch_rows: int,
                 shape: Callable | None, lang: str, progress: Callable[[int], None] | None) -> int:
    """Write up to `rows` rows of `cur` (an open result or _RowsByIdRange), batch by batch, as XML
    straight into the sheet's row file (XlsxWriter's constant_memory store), after the header row XlsxWriter wrote. Going
    past XlsxWriter's per-cell calls makes the export several times faster; the cells are the ones
    it writes itself (inline strings, numbers with the column's style)."""
    sheet._check_dimensions(max(rows, 1), len(writers) - 1)
    sheet._write_single_row(1)  # the header row goes out first
    out, written = sheet.row_data_fh, 0
    while written < rows:
        batch = cur.fetchmany(min(batch_rows, rows - written))
        if not batch:
            break
        if shape is not None:
            batch = shape(batch, lang)
        chunk = []
        for number, values in enumerate(batch, start=written + 2):
            chunk.append(f'<row r="{number}">')
            chunk.extend(write(value, number) for write, value in zip(writers, values, strict=True)
                         if value is not None and value != "")
            chunk.append("</row>")
        out.write("".join(chunk))
        written += len(batch)
        if progress:
            progress(written)
    sheet.previous_row = rows + 1  # nothing may be written above the streamed rows
    return written


def export_workbook(cur: duckdb.DuckDBPyConnection, out: str | BinaryIO, *, actor: Actor, lang: str, today: dt.date,
                    with_names: bool = False, filters: PipelineFilter | None = None,
                    progress: Progress | None = None, batch_rows: int = BATCH_ROWS,
                    sheets: tuple[str, ...] = tuple(s.key for s in wl.SHEETS)) -> ExportSummary:
    """Write the workbook of the participants the actor may see (within the filters) to `out` (a
    path or a binary file). Names only for a manager who asks; every export is audited, and with
    names each participant whose name went out. Raises NotAllowed."""
    if lang not in LANGUAGES:
        raise ValidationFailed(UNKNOWN_LANGUAGE, lang=lang)
    stages_sql(actor, filters)  # access first: a manager everyone, a mentor their own (raises NotAllowed)
    if with_names and actor.role != "manager":
        raise ValidationFailed(NAMES_FOR_MANAGERS)
    require(actor, "profile.export")
    # The stages computed once for every sheet, count and the audit (each read them again before).
    with registered_stages(cur, actor=actor, filters=filters, name="export_stages") as registered:
        stages, params = f"SELECT * FROM {registered}", {"today": today}
        # Each sheet's query runs over one range of participant ids at a time, for its count too (the
        # count runs the query a second time: that keeps the count exactly the rows written, in bounded memory).
        ranged_stages = f"{stages} WHERE participant_id BETWEEN $id_first AND $id_last"
        queries = {key: sql for key, sql in _queries(ranged_stages, lang=lang, with_names=with_names).items()
                   if key in sheets}
        id_ranges = _id_ranges(cur, registered)
        counts = {key: sum(cur.execute(f"SELECT count(*) FROM ({sql})", _in_range(_used(sql, params), id_range))
                           .fetchone()[0] for id_range in id_ranges)
                  for key, sql in queries.items()}
        summary = ExportSummary(with_names=with_names)
        summary.synthetic = bool(cur.execute(f"SELECT coalesce(bool_or(synthetic), FALSE) FROM ({stages})",
                                             _used(stages, params)).fetchone()[0])
        _audit_export(cur, actor, stages, params, with_names=with_names)

        book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_numbers": False, "strings_to_urls": False})
        w = _Writer(book, lang)
        labels = _labels(lang)
        total, done = sum(counts.values()), 0
        if progress:
            progress(0, total)
        for layout in wl.DATA_SHEETS:
            if layout.key not in queries:
                continue
            columns = wl.columns_of(layout, with_names=with_names)
            sql = queries[layout.key]
            source = _RowsByIdRange(cur, sql, _used(sql, params), id_ranges)
            rows_left, part = counts[layout.key], 1
            while True:
                in_part = min(rows_left, wl.EXCEL_ROWS - 1)
                sheet = _prepare_sheet(w, layout, columns, wl.part_name(layout.name(lang), part), in_part,
                                       f"{layout.key}_{part}", lang)
                writers = w.cell_writers(columns, labels)
                row = _stream_rows(sheet, source, writers, rows=in_part, batch_rows=batch_rows,
                                   shape=SHAPERS.get(layout.key), lang=lang,
                                   progress=(lambda n, base=done: progress(base + n, total)) if progress else None)
                done += row
                summary.rows[layout.key] = summary.rows.get(layout.key, 0) + row
                rows_left -= in_part
                part += 1
                if rows_left <= 0:
                    break
        if "kpis" in sheets:
            _kpi_sheet(cur, w, stages, params, lang)
        if "legend" in sheets:
            _legend_sheet(w, lang, actor, today, with_names=with_names, synthetic=summary.synthetic)
        book.set_properties({
            "title": translate(N_("Programme pipeline"), lang), "subject": translate(N_("Participants, milestones, "
                                                                                         "sessions and outcomes"), lang),
            "author": "Versnelling", "company": "Versnelling", "created": dt.datetime.combine(today, dt.time()),
            "keywords": "versnelling, pipeline", "comments": translate(WITH_NAMES, lang, user=actor.username or "-",
                                                                        date=today.isoformat())
            if with_names else translate(PSEUDONYMISED, lang)})
        book.set_custom_property("Versnelling export", "pipeline")
        book.set_custom_property("Language", lang)
        book.set_custom_property("Exported on", today.isoformat())  # what Days late was counted against
        book.set_custom_property("With names", with_names)
        book.set_custom_property("Synthetic", summary.synthetic)
        book.close()
        return summary


def _audit_export(cur: duckdb.DuckDBPyConnection, actor: Actor, stages: str, params: dict, *, with_names: bool) -> None:
    named = [row[0] for row in cur.execute(f"SELECT participant_id FROM ({stages})", _used(stages, params)).fetchall()] \
        if with_names else []

    def write() -> None:
        with transaction(cur):
            audit(cur, actor.account_id, "pipeline.export_with_names" if with_names else "pipeline.export", None)
            audit_many(cur, actor, "pipeline.export_name", named)

    retrying(cur, write)


def _kpi_sheet(cur: duckdb.DuckDBPyConnection, w: _Writer, stages: str, params: dict, lang: str) -> None:
    """The funnel (participants at or beyond each stage) and three figures a month, each charted."""
    t = lambda key, **p: translate(key, lang, **p)  # noqa: E731 - a short local alias
    sheet = w.book.add_worksheet(wl.KPIS.name(lang))
    if lang in i18n.RTL_LANGUAGES:
        sheet.right_to_left()
    at = dict(cur.execute(f"SELECT stage_index, count(*) FROM ({stages}) GROUP BY ALL", _used(stages, params)).fetchall())
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 3, 16)
    sheet.write_string(0, 0, t(wl.STAGE.label), w.header)
    sheet.write_string(0, 1, t(AT_OR_BEYOND), w.header)
    for i, (_, label) in enumerate(STAGES):
        sheet.write_string(i + 1, 0, t(label))
        sheet.write_number(i + 1, 1, sum(n for index, n in at.items() if index >= i), w.formats["int"])
    funnel = w.book.add_chart({"type": "bar"})
    funnel.add_series({"name": t(AT_OR_BEYOND), "categories": [sheet.name, 1, 0, len(STAGES), 0],
                       "values": [sheet.name, 1, 1, len(STAGES), 1], "fill": {"color": "#2F75B5"}})
    funnel.set_title({"name": t(FUNNEL_TITLE)})
    funnel.set_y_axis({"reverse": True})
    funnel.set_legend({"none": True})
    sheet.insert_chart(0, 5, funnel, {"x_scale": 1.4, "y_scale": 1.2})

    monthly = cur.execute(f"""
        WITH st AS ({stages}),
        joined AS (SELECT date_trunc('month', intake_on) AS month, count(*) AS n FROM st GROUP BY ALL),
        launched AS (SELECT date_trunc('month', o.launched_on) AS month, count(*) AS n FROM programme_outcomes o
                     JOIN st ON st.choice_id = o.choice_id WHERE o.launched AND o.launched_on IS NOT NULL GROUP BY ALL),
        done AS (SELECT date_trunc('month', m.completed_on) AS month, count(*) AS n FROM milestones m
                 JOIN st ON st.participant_id = m.participant_id WHERE m.status = 'done' GROUP BY ALL)
        SELECT CAST(month AS DATE), coalesce(joined.n, 0), coalesce(launched.n, 0), coalesce(done.n, 0)
        FROM joined FULL JOIN launched USING (month) FULL JOIN done USING (month)
        WHERE month <= $today ORDER BY month""", params).fetchall()
    top = len(STAGES) + 3
    for col, key in enumerate((MONTH, JOINED, LAUNCHED, DONE)):
        sheet.write_string(top, col, t(key), w.header)
    month_format = w.book.add_format({"num_format": "mmm yyyy"})
    for i, (month, *figures) in enumerate(monthly, start=top + 1):
        sheet.write_number(i, 0, _serial(month), month_format)
        for col, value in enumerate(figures, start=1):
            sheet.write_number(i, col, value, w.formats["int"])
    over_time = w.book.add_chart({"type": "line"})
    last = top + max(len(monthly), 1)
    for col in (1, 2, 3):
        over_time.add_series({"name": [sheet.name, top, col], "categories": [sheet.name, top + 1, 0, last, 0],
                              "values": [sheet.name, top + 1, col, last, col]})
    over_time.set_title({"name": t(OVER_TIME_TITLE)})
    over_time.set_x_axis({"date_axis": True, "num_format": "mmm yyyy"})
    sheet.insert_chart(top, 5, over_time, {"x_scale": 1.4, "y_scale": 1.2})


def _legend_sheet(w: _Writer, lang: str, actor: Actor, today: dt.date, *, with_names: bool, synthetic: bool) -> None:
    """What every column means, which ones may be edited, the codes behind the lists, and whether
    the workbook is pseudonymised or synthetic."""
    t = lambda key, **p: translate(key, lang, **p)  # noqa: E731 - a short local alias
    sheet = w.book.add_worksheet(wl.LEGEND.name(lang))
    if lang in i18n.RTL_LANGUAGES:
        sheet.right_to_left()
    sheet.set_column(0, 1, 24)
    sheet.set_column(2, 2, 90)
    sheet.set_column(3, 3, 14)
    lines = [t(WITH_NAMES, user=actor.username or "-", date=today.isoformat()) if with_names else t(PSEUDONYMISED),
             t(EDITABLE_NOTE)]
    if synthetic:
        lines.insert(0, t(SYNTHETIC_DATA))
    row = 0
    for line in lines:
        w.text(sheet, row, 0, line)
        row += 1
    row += 1
    for col, key in enumerate((SHEET, COLUMN, MEANING, EDITABLE)):
        sheet.write_string(row, col, t(key), w.header)
    for layout in wl.DATA_SHEETS:
        for column in wl.columns_of(layout, with_names=with_names):
            row += 1
            sheet.write_string(row, 0, layout.name(lang))
            sheet.write_string(row, 1, t(column.label))
            sheet.write_string(row, 2, t(column.meaning))
            sheet.write_string(row, 3, t(EDITABLE if column.editable else NOT_EDITABLE))
    row += 2
    labels = _labels(lang)
    for col, key in enumerate((COLUMN, CODE, LABEL)):
        sheet.write_string(row, col, t(key), w.header)
    for column in (c for c in wl.MILESTONES.columns if c.kind == "label"):
        for code, label in labels[column.key].items():
            row += 1
            sheet.write_string(row, 0, t(column.label))
            sheet.write_string(row, 1, str(code))
            sheet.write_string(row, 2, label)

