"""The exported pipeline workbook, opened with openpyxl: its sheets, tables, formats, lists, overdue
marks, charts and properties; formula-like text written as text; no names unless a manager asks
(and then the audit log says whose names went out); a mentor's workbook holds their own people."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from incubator.core.errors import NotAllowed, ValidationFailed
from incubator.core.i18n import translate
from incubator.pipeline import workbook_layout as wl
from incubator.pipeline.workbook_export import EURO_FORMAT, export_workbook
from incubator.programme import milestones as ms
from tests.support.pipeline_workbook import TODAY, exported


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _column(sheet, label: str) -> int:
    return [c.value for c in sheet[1]].index(label) + 1


def test_the_workbook_has_its_sheets_as_real_tables_with_formats_lists_and_charts(workbook_world):
    cur, team, group = workbook_world
    book = _book(exported(cur, team["manager"]))
    assert book.sheetnames == ["Pipeline", "Milestones", "Sessions", "Outcomes", "KPIs", "Legend"]
    milestone_count = cur.execute("SELECT count(*) FROM milestones").fetchone()[0]
    for name, rows in (("Pipeline", 3), ("Milestones", milestone_count), ("Sessions", 1), ("Outcomes", 1)):
        sheet = book[name]
        (table,) = sheet.tables.values()
        assert table.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{rows + 1}"
        assert table.tableStyleInfo.showRowStripes and table.autoFilter is not None
        assert sheet.freeze_panes == "B2"
        assert sheet.max_row == rows + 1
    pipeline, milestones = book["Pipeline"], book["Milestones"]
    assert [c.value for c in pipeline[1]] == wl.PIPELINE.header("en")
    assert pipeline.column_dimensions["F"].width > pipeline.column_dimensions["A"].width  # the venture is wider
    amal = next(r for r in pipeline.iter_rows(min_row=2) if r[0].value == group["amal"])
    assert amal[_column(pipeline, "Intake") - 1].is_date
    assert amal[_column(pipeline, "Typical start-up capital") - 1].number_format == EURO_FORMAT
    assert amal[_column(pipeline, "Stage") - 1].value == "Registered"
    assert milestones.cell(2, _column(milestones, "Due on")).number_format == "dd/mm/yyyy"
    lists = {str(v.sqref).rstrip("0123456789:").split(":")[0].rstrip("0123456789"): v
             for v in milestones.data_validations.dataValidation
             if v.type == "list"}
    status_letter = milestones.cell(1, _column(milestones, "Status")).column_letter
    assert lists[status_letter].formula1 == '"To do,In progress,Done,Blocked,Skipped"'
    overdue_rules = [rule for rules in milestones.conditional_formatting for rule in rules.rules]
    assert overdue_rules and "TODAY()" in overdue_rules[0].formula[0] and '"In progress"' in overdue_rules[0].formula[0]
    assert len(book["KPIs"]._charts) == 2  # the funnel and the KPIs over time
    assert book.properties.title == "Programme pipeline" and book.properties.creator == "Versnelling"
    custom = {p.name: p.value for p in book.custom_doc_props.props}
    assert custom["Language"] == "en" and custom["With names"] is False


def test_labels_are_in_the_managers_language(workbook_world):
    cur, team, _ = workbook_world
    book = _book(exported(cur, team["manager"], lang="nl"))
    assert book.sheetnames[1] == translate("Milestones", "nl") != "Milestones"
    sheet = book[book.sheetnames[1]]
    assert [c.value for c in sheet[1]] == wl.MILESTONES.header("nl")
    assert translate("To do", "nl") in sheet.data_validations.dataValidation[0].formula1 or \
        translate("To do", "nl") in sheet.data_validations.dataValidation[1].formula1


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+2", "-2", "@SUM(A1)", "\tcmd", "\r=1", "  =1+1"])
def test_text_that_looks_like_a_formula_is_written_as_text(workbook_world, text):
    cur, team, group = workbook_world
    first = ms.milestones_of(cur, actor=team["manager"], participant_id=group["amal"])[0]
    ms.update_milestone(cur, actor=team["manager"], milestone_id=first.milestone_id, base_version=first.version,
                        today=TODAY, evidence="x " + text)  # the domain strips; the workbook must not
    cur.execute("UPDATE milestones SET evidence = ? WHERE milestone_id = ?", [text, first.milestone_id])
    content = exported(cur, team["manager"])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet2.xml")
    sheet = _book(content)["Milestones"]
    cell = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == first.milestone_id)[
        _column(sheet, "Evidence note") - 1]
    # A carriage return is stored as Excel's escape _x000D_, which Excel reads back (openpyxl does not).
    assert cell.data_type == "s" and cell.value.replace("_x000D_", "\r") == text and cell.quotePrefix


def test_no_names_unless_a_manager_asks_and_the_audit_log_says_whose(workbook_world):
    cur, team, group = workbook_world
    plain = exported(cur, team["manager"])
    everything = " ".join(str(c.value) for s in _book(plain).worksheets for r in s.iter_rows() for c in r)
    assert "Amal Haddad" not in everything and "Yonas" not in everything
    assert cur.execute("SELECT count(*) FROM audit_log WHERE action = 'pipeline.export'").fetchone()[0] == 1
    named = _book(exported(cur, team["manager"], with_names=True))["Pipeline"]
    assert [c.value for c in named[1]][:2] == ["Participant", "Name"]
    assert {r[1].value for r in named.iter_rows(min_row=2)} == {"Sara B", "Amal Haddad", "Yonas Tesfay"}
    entries = cur.execute("SELECT actor_user_id, subject FROM audit_log WHERE action = 'pipeline.export_name'"
                          " ORDER BY subject").fetchall()
    assert entries == [(team["manager"].user_id, f"participant:{pid}") for pid in sorted(group["ids"])]
    assert cur.execute("SELECT count(*) FROM audit_log WHERE action = 'pipeline.export_with_names'").fetchone()[0] == 1
    with pytest.raises(ValidationFailed):
        exported(cur, team["mentor"], with_names=True)


def test_a_mentor_exports_only_their_own_participants_and_a_newcomer_nothing(workbook_world):
    cur, team, group = workbook_world
    mine = _book(exported(cur, team["mentor"]))["Pipeline"]
    assert {r[0].value for r in mine.iter_rows(min_row=2)} == set(group["ids"])
    other = _book(exported(cur, team["other_mentor"]))
    assert other["Pipeline"].max_row == 1 and other["Milestones"].max_row == 1
    for role in ("newcomer", "stakeholder", "admin"):
        with pytest.raises(NotAllowed):
            exported(cur, team[role])


def test_a_sheet_longer_than_excel_allows_goes_on_in_a_second_sheet(workbook_world, monkeypatch):
    cur, team, _ = workbook_world
    monkeypatch.setattr(wl, "EXCEL_ROWS", 11)  # ten rows a sheet
    count = cur.execute("SELECT count(*) FROM milestones").fetchone()[0]
    buffer, steps = io.BytesIO(), []
    summary = export_workbook(cur, buffer, actor=team["manager"], lang="en", today=TODAY,
                              progress=lambda done, total: steps.append((done, total)))
    book = _book(buffer.getvalue())
    parts = [n for n in book.sheetnames if n.startswith("Milestones")]
    assert parts[:2] == ["Milestones", "Milestones (2)"] and summary.rows["milestones"] == count
    assert sum(book[n].max_row - 1 for n in parts) == count
    assert steps[-1][0] == steps[-1][1] and steps == sorted(steps)



def test_rows_read_one_part_of_the_participants_at_a_time_are_the_rows_of_one_read(workbook_world, monkeypatch):
    """Each sheet's query runs over IDS_PER_RANGE participants at a time (to hold DuckDB's memory
    to one range of ids): ranges of one participant each give the same sheets, row for row, as one."""
    from incubator.pipeline import workbook_export as we

    cur, team, _ = workbook_world
    whole = _book(exported(cur, team["manager"]))
    monkeypatch.setattr(we, "IDS_PER_RANGE", 1)
    parted = _book(exported(cur, team["manager"]))

    def rows(book, name):
        return [[c.value for c in row] for row in book[name].iter_rows()]

    participants = {r[0] for r in rows(whole, "Milestones")[1:]}
    assert len(participants) >= 2 and len(rows(whole, "Pipeline")) - 1 >= 3  # more than one part to read
    for name in ("Pipeline", "Milestones", "Sessions", "Outcomes"):
        assert rows(parted, name) == rows(whole, name), name
        assert [t.ref for t in parted[name].tables.values()] == [t.ref for t in whole[name].tables.values()]
