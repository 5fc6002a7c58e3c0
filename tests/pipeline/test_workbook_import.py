"""The round trip: a workbook exported, edited as a manager would in Excel (openpyxl) and uploaded.
Every changed row is previewed old -> new; a row changed in the app since the export, an edit of a
column that is not editable and a change the milestone rules refuse are not applied, the rest is
saved together; a file that is not such a workbook changes nothing and says where it is wrong."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from incubator.core.errors import DomainError, ImportRejected
from incubator.core.uploads import UploadRefused
from incubator.pipeline import workbook_import as wi
from incubator.programme import milestones as ms
from tests.support.concurrency import THREADS, run_together
from tests.support.pipeline_workbook import TODAY, exported, milestone_rows

COLUMNS = {"id": 1, "participant": 2, "title": 3, "due": 4, "owner": 5, "status": 6, "reason": 7, "evidence": 8,
           "completed": 9, "version": 11}


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row_of(sheet, milestone_id: int) -> int:
    return next(r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value == milestone_id)


def _state(cur) -> list[tuple]:
    return cur.execute("SELECT milestone_id, version, status, evidence, due_on, owner FROM milestones"
                       " ORDER BY milestone_id").fetchall()


@pytest.fixture
def amal_milestones(workbook_world):
    cur, team, group = workbook_world
    return ms.milestones_of(cur, actor=team["manager"], participant_id=group["amal"])


def test_an_unedited_workbook_changes_nothing(workbook_world):
    cur, team, _ = workbook_world
    result = wi.import_workbook(cur, exported(cur, team["manager"], lang="ar"), actor=team["manager"], today=TODAY)
    assert result.preview.rows == [] and result.saved == 0


def test_edits_are_previewed_old_to_new_and_saved_together(workbook_world, amal_milestones):
    cur, team, _ = workbook_world
    first, second = amal_milestones[0], amal_milestones[1]
    book, sheet = milestone_rows(exported(cur, team["manager"]))
    one, two = _row_of(sheet, first.milestone_id), _row_of(sheet, second.milestone_id)
    sheet.cell(one, COLUMNS["status"]).value = "Done"
    sheet.cell(one, COLUMNS["completed"]).value = dt.date(2027, 5, 20)
    sheet.cell(one, COLUMNS["evidence"]).value = "Ten interviews written up"
    sheet.cell(two, COLUMNS["owner"]).value = "Together"
    sheet.cell(two, COLUMNS["due"]).value = dt.date(2027, 7, 1)
    content = _saved(book)
    preview = wi.preview_import(cur, content, actor=team["manager"], today=TODAY)
    shown = {r.milestone_id: {(c.column, c.old, c.new) for c in r.changes} for r in preview.rows}
    assert shown == {
        first.milestone_id: {("Status", "To do", "Done"), ("Completed on", "", "2027-05-20"),
                             ("Evidence note", "", "Ten interviews written up")},
        second.milestone_id: {("Owner", "The participant", "Together"),
                              ("Due on", second.due_on.isoformat(), "2027-07-01")}}
    assert {r.verdict for r in preview.rows} == {"apply"} and _state(cur)[0][1] == 1  # nothing written yet
    result = wi.import_workbook(cur, content, actor=team["manager"], today=TODAY)
    assert result.saved == 2
    now = ms.get_milestone(cur, first.milestone_id)
    assert (now.status, now.completed_on, now.evidence, now.version) == ("done", dt.date(2027, 5, 20),
                                                                         "Ten interviews written up", 2)
    assert ms.get_milestone(cur, second.milestone_id).owner == "together"
    assert wi.preview_import(cur, content, actor=team["manager"], today=TODAY).count("apply") == 0


def test_a_row_changed_in_the_app_since_the_export_is_not_applied_the_others_are(workbook_world, amal_milestones):
    cur, team, _ = workbook_world
    first, second = amal_milestones[0], amal_milestones[1]
    book, sheet = milestone_rows(exported(cur, team["manager"]))
    ms.update_milestone(cur, actor=team["mentor"], milestone_id=first.milestone_id, base_version=1, today=TODAY,
                        status="in_progress")
    sheet.cell(_row_of(sheet, first.milestone_id), COLUMNS["status"]).value = "Blocked"
    sheet.cell(_row_of(sheet, first.milestone_id), COLUMNS["reason"]).value = "No money"
    sheet.cell(_row_of(sheet, second.milestone_id), COLUMNS["evidence"]).value = "Checked"
    result = wi.import_workbook(cur, _saved(book), actor=team["manager"], today=TODAY)
    verdicts = {r.milestone_id: r.verdict for r in result.preview.rows}
    assert verdicts == {first.milestone_id: "conflict", second.milestone_id: "apply"} and result.saved == 1
    assert "changed in the app after the export" in wi.problem_text(result.preview.rows[0].problem, "en")
    assert ms.get_milestone(cur, first.milestone_id).status == "in_progress"
    assert ms.get_milestone(cur, second.milestone_id).evidence == "Checked"


@pytest.mark.parametrize(("column", "value"), [("title", "A title of my own"), ("participant", "P-999999")])
def test_an_edit_of_a_column_that_is_not_editable_is_refused(workbook_world, amal_milestones, column, value):
    cur, team, _ = workbook_world
    first = amal_milestones[0]
    book, sheet = milestone_rows(exported(cur, team["manager"]))
    sheet.cell(_row_of(sheet, first.milestone_id), COLUMNS[column]).value = value
    sheet.cell(_row_of(sheet, first.milestone_id), COLUMNS["status"]).value = "In progress"
    before = _state(cur)
    result = wi.import_workbook(cur, _saved(book), actor=team["manager"], today=TODAY)
    (row,) = result.preview.rows
    assert row.verdict == "refused" and "cannot be changed" in wi.problem_text(row.problem, "en")
    assert _state(cur) == before


def test_a_change_the_milestone_rules_refuse_is_refused_with_their_reason(workbook_world, amal_milestones):
    cur, team, _ = workbook_world
    first = amal_milestones[0]
    book, sheet = milestone_rows(exported(cur, team["manager"]))
    sheet.cell(_row_of(sheet, first.milestone_id), COLUMNS["status"]).value = "Blocked"  # without a reason
    (row,) = wi.preview_import(cur, _saved(book), actor=team["manager"], today=TODAY).rows
    assert row.verdict == "refused" and wi.problem_text(row.problem, "en") == "Say why the milestone is Blocked."


def test_a_mentor_may_not_change_milestones_of_someone_they_do_not_mentor(workbook_world, amal_milestones):
    cur, team, _ = workbook_world
    book, sheet = milestone_rows(exported(cur, team["manager"]))
    sheet.cell(_row_of(sheet, amal_milestones[0].milestone_id), COLUMNS["status"]).value = "In progress"
    (row,) = wi.preview_import(cur, _saved(book), actor=team["other_mentor"], today=TODAY).rows
    assert row.verdict == "refused" and wi.problem_text(row.problem, "en") == "You are not allowed to do this."


def test_a_formula_typed_into_a_cell_refuses_the_workbook(workbook_world, amal_milestones):
    cur, team, _ = workbook_world
    book, sheet = milestone_rows(exported(cur, team["manager"]))
    row = _row_of(sheet, amal_milestones[0].milestone_id)
    sheet.cell(row, COLUMNS["evidence"]).value = '=HYPERLINK("http://example.org")'
    sheet.cell(row, COLUMNS["status"]).value = "In progress"
    before = _state(cur)
    with pytest.raises(ImportRejected) as refused:
        wi.import_workbook(cur, _saved(book), actor=team["manager"], today=TODAY)
    assert refused.value.english() == f"Sheet Milestones, cell H{row}: a formula is not read. Type the value itself."
    assert _state(cur) == before


def test_a_renamed_sheet_moved_columns_and_foreign_files_are_refused_by_name(workbook_world):
    cur, team, _ = workbook_world
    content = exported(cur, team["manager"])
    book, sheet = milestone_rows(content)
    sheet.title = "My milestones"
    with pytest.raises(ImportRejected, match="has no sheet Milestones"):
        wi.preview_import(cur, _saved(book), actor=team["manager"], today=TODAY)
    book, sheet = milestone_rows(content)
    sheet.move_range("F1:F500", cols=20)  # Status and Owner change places
    sheet.move_range("E1:E500", cols=1)
    sheet.move_range("Z1:Z500", cols=-21)
    with pytest.raises(ImportRejected, match=r"Sheet Milestones, column E: the column Status was moved.*\(Owner "):
        wi.preview_import(cur, _saved(book), actor=team["manager"], today=TODAY)
    other = Workbook()
    other.active.title = "Milestones"
    other.active.append(["Something", "else"])
    with pytest.raises(ImportRejected, match="column A: the header should be Milestone number, not Something"):
        wi.preview_import(cur, _saved(other), actor=team["manager"], today=TODAY)
    for foreign in (b"participant_id,status\nP-000001,done\n", b"", b"PK\x03\x04 not really a zip"):
        with pytest.raises(ImportRejected, match="not an Excel workbook"):
            wi.preview_import(cur, foreign, actor=team["manager"], today=TODAY)


def test_a_workbook_bomb_or_an_xml_entity_is_refused_before_it_is_read(workbook_world):
    cur, team, _ = workbook_world
    content = exported(cur, team["manager"])
    before = _state(cur)
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        out.writestr("xl/media/padding.bin", b" " * (wi.MAX_UNPACKED_BYTES + 1))  # compresses to well under 1 MB
    assert len(bomb.getvalue()) < 2_000_000
    with pytest.raises(UploadRefused, match="unpacks to more than 400 MB"):
        wi.preview_import(cur, bomb.getvalue(), actor=team["manager"], today=TODAY)
    entity = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(entity, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "docProps/custom.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">]>', 1)
            out.writestr(item, data)
    with pytest.raises(UploadRefused, match="docProps/custom.xml"):
        wi.import_workbook(cur, entity.getvalue(), actor=team["manager"], today=TODAY)
    assert _state(cur) == before


def _with_sheet_xml(content: bytes, change) -> bytes:
    """The workbook with its first Milestones sheet's XML changed by `change(xml) -> xml`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        sheet = wi._zip_sheets(source)["Milestones"]
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, change(data) if item.filename == sheet else data)
    return out.getvalue()


@pytest.mark.parametrize(("far", "message"), [
    (b'r="XFD1048576"', "more than 26 columns"),  # two cells that claim the whole grid
    (b'r="B1048576"', "more than 1[0-9,]* rows"),  # a few rows that claim a million
])
def test_a_crafted_cell_reference_is_refused_before_the_reader_builds_its_grid(workbook_world, far, message):
    # Before the check, python-calamine asked for 288 GB for the first one and aborted the server process.
    cur, team, _ = workbook_world
    before = _state(cur)
    crafted = _with_sheet_xml(exported(cur, team["manager"]), lambda xml: xml.replace(b'r="B2"', far, 1))
    with pytest.raises(ImportRejected, match=message):
        wi.preview_import(cur, crafted, actor=team["manager"], today=TODAY)
    unreferenced = _with_sheet_xml(exported(cur, team["manager"]), lambda xml: xml.replace(b'<c r="B2"', b"<c", 1))
    with pytest.raises(ImportRejected, match="cells without a cell reference"):
        wi.preview_import(cur, unreferenced, actor=team["manager"], today=TODAY)
    assert _state(cur) == before


def test_a_whole_number_too_large_for_the_app_is_refused_as_not_a_whole_number(workbook_world):
    """1.8e19 is whole, but larger than any number the app stores: refused with its row and column, not
    an OverflowError (hypothesis found it)."""
    cur, team, _ = workbook_world
    before = _state(cur)
    for column, label in ((COLUMNS["id"], "Milestone number"), (COLUMNS["version"], "Version")):
        book, sheet = milestone_rows(exported(cur, team["manager"]))
        sheet.cell(3, column).value = 1.8e19
        with pytest.raises(ImportRejected) as refused:
            wi.preview_import(cur, _saved(book), actor=team["manager"], today=TODAY)
        assert refused.value.message_key == wi.NOT_A_NUMBER
        assert refused.value.english().startswith(f"Sheet Milestones, row 3, column {label}: "), refused.value.english()
    assert _state(cur) == before


_cells = st.one_of(st.none(), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
                   st.integers(-5, 10**6), st.floats(allow_nan=True), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
                   st.booleans())


def test_whatever_is_typed_into_a_workbook_is_refused_clearly_or_previewed_and_writes_nothing(workbook_world):
    cur, team, _ = workbook_world
    content = exported(cur, team["manager"])
    before = _state(cur)

    @settings(max_examples=15, deadline=None, database=None)
    @given(edits=st.lists(st.tuples(st.integers(1, 8), st.integers(1, 13), _cells), min_size=1, max_size=6),
           rename=st.booleans())
    def check(edits, rename):
        book, sheet = milestone_rows(content)
        for row, col, value in edits:
            sheet.cell(row, col).value = value
        if rename:
            sheet.title = "Mijlpalen"  # the Dutch name: then the English headers do not fit
        try:
            preview = wi.preview_import(cur, _saved(book), actor=team["manager"], today=TODAY)
        except DomainError as refused:
            assert refused.message_key in {wi.NO_MILESTONES_SHEET, wi.COLUMN_MOVED, wi.COLUMN_WRONG,
                                           wi.FORMULA_REFUSED, wi.NOT_A_NUMBER, wi.DUPLICATE_ROW}
        else:
            assert all(r.verdict in {"apply", "refused", "conflict", "unchanged"} for r in preview.rows)
        assert _state(cur) == before

    check()


def test_thirty_uploads_of_one_workbook_at_once_save_it_once(workbook_world, workbook_con, amal_milestones):
    cur, team, _ = workbook_world
    first = amal_milestones[0]
    book, sheet = milestone_rows(exported(cur, team["manager"]))
    sheet.cell(_row_of(sheet, first.milestone_id), COLUMNS["status"]).value = "In progress"
    content = _saved(book)
    outcome = run_together(workbook_con, lambda c, i: wi.import_workbook(c, content, actor=team["manager"],
                                                                           today=TODAY))
    outcome.domain_errors()  # anything that went wrong is a translated message
    saved = [r.saved for r in outcome.results.values()]
    assert saved.count(1) == 1 and set(saved) <= {0, 1}
    assert len(outcome.results) + len(outcome.errors) == THREADS
    now = ms.get_milestone(cur, first.milestone_id)
    assert (now.status, now.version) == ("in_progress", 2)
    events = cur.execute("SELECT count(*) FROM milestone_events WHERE milestone_id = ?", [first.milestone_id])
    assert events.fetchone()[0] == 1
