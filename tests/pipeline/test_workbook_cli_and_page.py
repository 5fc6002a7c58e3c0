"""The workbook on the command line (in-process) and on its page (AppTest): a manager makes and
downloads the workbook, with names only when asked (audited), uploads it with an edit, sees the change
old -> new and saves it; a mentor gets no names choice; a newcomer cannot open the page."""

from __future__ import annotations

import io
import os
import shutil

from openpyxl import load_workbook

from incubator.cli.main import main
from incubator.core import db
from incubator.programme import milestones as ms
from tests.support.app import signed_in_app
from tests.support.pipeline_workbook import milestone_rows

PAGE = "app_pages/pipeline/workbook.py"


def no_exception(at):
    assert not at.exception, [e.message for e in at.exception]
    return at


def _first_open_row(sheet) -> int:
    return next(r[0].row for r in sheet.iter_rows(min_row=2) if r[5].value == "To do")


def test_export_and_import_pipeline_on_the_command_line(workbook_template, tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    shutil.copy(workbook_template[0], path)
    out = tmp_path / "pipeline.xlsx"
    assert main(["--db", str(path), "export", "--out", str(out), "--lang", "en", "--cohort", "Spring 2027"]) == 0
    assert "3 pipeline" in capsys.readouterr().out
    book = load_workbook(out)
    assert book["Pipeline"].cell(1, 2).value == "Cohort"  # no names
    assert main(["--db", str(path), "export", "--out", str(out), "--lang", "en", "--with-names"]) == 0
    assert "with names (recorded in the audit log)" in capsys.readouterr().out
    book = load_workbook(out)
    assert book["Pipeline"].cell(1, 2).value == "Name"
    sheet = book["Milestones"]
    row = _first_open_row(sheet)
    milestone_id = sheet.cell(row, 1).value
    sheet.cell(row, 6).value = "In progress"
    book.save(out)
    assert main(["--db", str(path), "import-pipeline", str(out), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert f"milestone {milestone_id}) apply: Status: To do -> In progress" in printed
    assert "Dry run: 1 rows would be saved" in printed
    assert main(["--db", str(path), "import-pipeline", str(out)]) == 0
    assert "Saved 1 rows" in capsys.readouterr().out
    con = db.connect(path)
    try:
        cur = con.cursor()
        assert ms.get_milestone(cur, milestone_id).status == "in_progress"
        assert cur.execute("SELECT count(*) FROM audit_log WHERE action = 'pipeline.export_with_names'"
                           " AND actor_user_id IS NULL").fetchone()[0] == 1
    finally:
        con.close()
    # The same file again: its values are the app's now, so there is nothing to save.
    assert main(["--db", str(path), "import-pipeline", str(out)]) == 0
    assert "Saved 0 rows" in capsys.readouterr().out


def test_a_manager_downloads_the_workbook_and_uploads_an_edit(workbook_app):
    team = workbook_app["team"]
    at = no_exception(signed_in_app(team["manager"].user_id, page=PAGE).run())
    at.checkbox(key="workbook.with_names").check().run()
    at.button(key="workbook.make").click().run()
    no_exception(at)
    (download,) = at.get("download_button")
    content = at.session_state["workbook.file"]
    assert download.proto.label == "Download the workbook"
    book, sheet = milestone_rows(content)
    assert book["Pipeline"].cell(1, 2).value == "Name"
    row = _first_open_row(sheet)
    milestone_id = sheet.cell(row, 1).value
    sheet.cell(row, 8).value = "Talked to the bank"
    buffer = io.BytesIO()
    book.save(buffer)
    at.file_uploader(key="workbook.upload").set_value(("pipeline.xlsx", buffer.getvalue(),
                                                        "application/vnd.ms-excel")).run()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    assert table[["Column", "Now", "In the workbook", "What happens"]].values.tolist() == [
        ["Evidence note", "-", "Talked to the bank", "Will be saved"]]
    at.button(key="workbook.apply").click().run()
    no_exception(at)
    assert "1 row was saved." in [s.value for s in at.success]
    con = db.connect(os.environ["INCUBATOR_DB"])
    try:
        assert ms.get_milestone(con.cursor(), milestone_id).evidence == "Talked to the bank"
    finally:
        con.close()


def test_a_mentor_gets_no_names_choice_and_a_newcomer_no_page(workbook_app):
    team = workbook_app["team"]
    at = no_exception(signed_in_app(team["mentor"].user_id, lang="nl", page=PAGE).run())
    assert not [c for c in at.checkbox if c.key == "workbook.with_names"]
    at.button(key="workbook.make").click().run()
    no_exception(at)
    book = load_workbook(io.BytesIO(at.session_state["workbook.file"]))
    assert book.sheetnames[0] == "Pijplijn"
    newcomer = signed_in_app(team["newcomer"].user_id, page=PAGE).run()
    assert not [b for b in newcomer.button if b.key == "workbook.make"]
