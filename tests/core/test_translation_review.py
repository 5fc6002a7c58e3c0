"""The review round trip for translators who do not use gettext, on a copy of the real catalogues:
the workbook lists every message (a row per plural form), a filled-in workbook clears the `fuzzy`
flag of what was reviewed and writes corrections, and a workbook that changed anything else, lost a
placeholder or holds a formula is refused with the row and column, changing nothing."""

from __future__ import annotations

import io
import shutil
import threading
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from incubator.cli.main import main
from incubator.core import catalogue_files as files
from incubator.core import i18n, translation_review
from incubator.core.errors import ImportRejected
from tests.support.app import ROOT
from tests.support.concurrency import THREADS, WAIT_AT_MOST_S

LANG = "ar"  # six plural forms: the hardest case for rows per form


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with a copy of the English and Arabic catalogues, every Arabic message a draft."""
    for lang in ("en", LANG):
        shutil.copytree(i18n.LOCALES_DIR / lang, tmp_path / "incubator" / "locales" / lang)
    for path in files.part_files(LANG, tmp_path / "incubator" / "locales"):
        catalog = files.read_part(path)
        for message in catalog:
            if message.id:
                message.flags.add("fuzzy")
        files.write_part(path, catalog)
    return tmp_path


def locales(project: Path) -> Path:
    return project / "incubator" / "locales"


def review_rows(content: bytes) -> tuple[list[str], list[list]]:
    sheet = load_workbook(io.BytesIO(content))[translation_review.SHEET]
    rows = [[c.value if c.value is not None else "" for c in row] for row in sheet.iter_rows()]
    return rows[0], rows[1:]


def workbook_of(header: list[str], rows: list[list], *, sheet: str = translation_review.SHEET) -> bytes:
    book = Workbook()
    book.active.title = sheet
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row_of(rows: list[list], message: str, form: int | None = None) -> list:
    return next(r for r in rows if r[1] == message and (form is None or str(r[2]).startswith(f"{form} ")))


def message_in(project: Path, key: str):  # noqa: ANN201 - a babel Message
    for path in files.part_files(LANG, locales(project)):
        for message in files.read_part(path):
            if message.id and files.message_key(message) == key:
                return message
    raise AssertionError(key)


def catalogue_bytes(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in files.part_files(LANG, locales(project))}


def test_the_export_lists_every_message_with_a_row_per_plural_form(project):
    header, rows = review_rows(translation_review.export_review(LANG, root=ROOT, locales_dir=locales(project)))
    assert tuple(header) == translation_review.COLUMNS
    status = files.status(LANG, locales(project))
    assert len({r[1] for r in rows}) == status.messages
    forms = [r for r in rows if r[1] == "{count} problem"]
    assert [f[2].split(" ")[0] for f in forms] == ["0", "1", "2", "3", "4", "5"]
    assert row_of(rows, "{count} problem", 1)[4] == "{count} problem"  # the form for n = 1: the English singular
    assert row_of(rows, "{count} problem", 3)[4] == "{count} problems"
    assert row_of(rows, "{count} problem", 2)[5] == "مشكلتان"
    assert row_of(rows, "{count} problem", 0)[3].startswith("incubator/")  # where the app uses it


def test_a_filled_in_review_clears_the_flag_of_what_was_reviewed_and_writes_corrections(project):
    header, rows = review_rows(translation_review.export_review(LANG, root=ROOT, locales_dir=locales(project)))
    before = files.status(LANG, locales(project))
    assert before.fuzzy == before.translated
    confirmed = row_of(rows, "You are not allowed to do this.")
    confirmed[6] = "نعم"  # "yes" in the reviewer's own language works too
    corrected = row_of(rows, "This record does not exist.")
    corrected[7] = "هذا السجل غير موجود."
    plural_rows = [r for r in rows if r[1] == "{count} row"]
    for form in plural_rows[:3]:
        form[6] = "yes"  # half the forms: the message stays a draft
    result = translation_review.import_review(workbook_of(header, rows), reviewer="Test Reviewer",
                                              locales_dir=locales(project))
    assert (result.confirmed, result.corrected, result.still_fuzzy) == (1, 1, 1)
    assert not message_in(project, "You are not allowed to do this.").fuzzy
    fixed = message_in(project, "This record does not exist.")
    assert (fixed.string, fixed.fuzzy) == ("هذا السجل غير موجود.", False)
    assert message_in(project, "{count} row").fuzzy
    assert files.status(LANG, locales(project)).fuzzy == before.fuzzy - 2
    part = next(p for p in files.part_files(LANG, locales(project)) if p.name == "core.po")
    assert "by Test Reviewer" in files.header_field(files.read_part(part), files.REVIEWED_BY)


def refused(project: Path, content: bytes) -> list[tuple[str, dict]]:
    before = catalogue_bytes(project)
    with pytest.raises(ImportRejected) as caught:
        translation_review.import_review(content, locales_dir=locales(project))
    assert catalogue_bytes(project) == before  # nothing changed
    return getattr(caught.value, "problems", [(caught.value.message_key, caught.value.params)])


def test_a_correction_that_lost_a_placeholder_is_refused_by_row_and_nothing_changes(project):
    header, rows = review_rows(translation_review.export_review(LANG, root=ROOT, locales_dir=locales(project)))
    good = row_of(rows, "This record does not exist.")
    good[7] = "تصحيح صالح."
    lost = row_of(rows, "Something went wrong on our side. What you saved before is safe. If it happens again, "
                        "give this code to your programme's administrator: {reference}.")
    lost[7] = "حدث خطأ."
    line = rows.index(lost) + 2
    assert refused(project, workbook_of(header, rows)) == [
        (translation_review.LOST_PLACEHOLDERS, {"row": line, "placeholders": "{reference}"})]
    assert message_in(project, "This record does not exist.").string != "تصحيح صالح."


def test_edits_outside_the_correction_column_formulas_and_other_languages_are_refused(project):
    header, rows = review_rows(translation_review.export_review(LANG, root=ROOT, locales_dir=locales(project)))
    rows[0][4] = rows[0][4] + " (edited)"
    rows[1][5] = "ترجمة أخرى"
    rows[2][7] = "=HYPERLINK(\"http://x\")"
    rows[3][6] = "maybe"
    rows[4][1] = "A message nobody wrote"
    kinds = [key for key, _ in refused(project, workbook_of(header, rows))]
    assert kinds == [translation_review.CELL_CHANGED, translation_review.CATALOGUE_CHANGED,
                     translation_review.FORMULA, translation_review.REVIEWED_NOT_YES, translation_review.UNKNOWN_MESSAGE]
    rows = [r[:] for r in review_rows(translation_review.export_review(LANG, root=ROOT, locales_dir=locales(project)))[1]]
    rows[5][0] = "tr"
    assert [k for k, _ in refused(project, workbook_of(header, rows))] == [translation_review.MIXED_LANGUAGES]


def test_a_renamed_sheet_moved_columns_and_a_foreign_file_get_a_message(project):
    header, rows = review_rows(translation_review.export_review(LANG, root=ROOT, locales_dir=locales(project)))
    assert refused(project, workbook_of(header, rows, sheet="Blad1"))[0][0] == translation_review.NOT_A_REVIEW
    moved = [header[1], header[0], *header[2:]]
    assert refused(project, workbook_of(moved, rows))[0][0] == translation_review.COLUMNS_CHANGED
    assert refused(project, b"msgid,msgstr\n")[0][0] == "The file is not an Excel workbook (.xlsx) that can be read."
    message = i18n.translate(translation_review.COLUMNS_CHANGED, "ar", sheet="Review", columns="Language")
    assert "Review" in message and message != translation_review.COLUMNS_CHANGED


def test_thirty_reviews_at_once_each_confirming_another_message_all_land(project):
    header, rows = review_rows(translation_review.export_review(LANG, root=ROOT, locales_dir=locales(project)))
    singles = [r for r in rows if not r[2]][:THREADS]
    barrier = threading.Barrier(THREADS, timeout=WAIT_AT_MOST_S)
    errors: list[BaseException] = []

    def review(row: list) -> None:
        mine = [row[:6] + ["yes", ""]]
        content = workbook_of(header, mine)
        barrier.wait()
        try:
            translation_review.import_review(content, locales_dir=locales(project))
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=review, args=(row,)) for row in singles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_AT_MOST_S)
    assert errors == []
    assert [message_in(project, r[1]).fuzzy for r in singles] == [False] * THREADS


def test_the_messages_command_counts_drafts_and_round_trips_a_review(project, capsys):
    assert main(["messages", "--root", str(project), "--export-review", str(project / "ar.xlsx")]) == 0
    header, rows = review_rows((project / "ar.xlsx").read_bytes())
    rows[0][6] = "yes"
    (project / "ar.xlsx").write_bytes(workbook_of(header, rows))
    assert main(["messages", "--root", str(project), "--import-review", str(project / "ar.xlsx")]) == 0
    assert "1 confirmed" in capsys.readouterr().out
    main(["messages", "--root", str(project)])
    counts = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("ar\t")).split("\t")
    status = files.status(LANG, locales(project))
    assert counts[1:5] == [str(status.messages), str(status.translated), str(status.translated - 1), "0"]
