"""The review round trip for translators who do not use gettext: one language's messages as a
workbook (one row per message, and per plural form), with a column to confirm a translation and one
for a correction; the workbook comes back and what was reviewed loses its `fuzzy` flag.

The import changes the catalogues only if every row passes: the sheet and its columns as exported,
every row's message, English and current translation as they are in the catalogues (a correction goes
in the Correction column, nothing else is edited), a correction keeps the placeholders of its
message, no cell holds a formula. Otherwise it names each problem by row and column and changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from babel.messages.catalog import Catalog
from openpyxl import load_workbook

from incubator.core import catalogue_files as files
from incubator.core import excel, uploads
from incubator.core.errors import ImportRejected
from incubator.core.i18n import LANGUAGES, LOCALES_DIR, N_, SOURCE_LANGUAGE, Counted, N_plural, translate
from incubator.core.messages_in_code import (
    number_placeholder,
    placeholders,
    used_messages,
    used_plural_messages,
)

SHEET = "Review"
COLUMNS = ("Language", "Message", "Form", "Used in", "English", "Translation", "Reviewed", "Correction")
NOTES = {
    "Message": N_("The message's key in the catalogue (its English text). Do not change it."),
    "Form": N_("For a message whose words change with a number: which form this row is, and numbers it is used for."),
    "Used in": N_("Where the app uses the message (file and line)."),
    "English": N_("The English message. Do not change it."),
    "Translation": N_("The translation the app shows now. Do not change it here: write a correction in Correction."),
    "Reviewed": N_("Write yes when the translation is right as it is (or when you wrote a correction)."),
    "Correction": N_("Your better translation. Keep every {name} in braces exactly as it is in the English."),
}
MAX_ROWS = 20_000  # a language has about 1,600 rows; anything far beyond is not an exported review
# How many problems a refused review lists (the rest are counted): enough to fix a batch at a time.
MAX_LISTED = 25

REVIEW_REFUSED = N_("The review was not imported: {problems}. Nothing was changed.")
PROBLEMS = N_plural("{count} problem", "{count} problems")
NOT_A_REVIEW = N_("This workbook has no sheet named {sheet}: export the review again and fill in that sheet.")
COLUMNS_CHANGED = N_("The columns of the {sheet} sheet were changed: it needs the columns {columns}, in this order.")
UNKNOWN_LANGUAGE = N_("Row {row}: {language} is not a language of the app.")
MIXED_LANGUAGES = N_("Row {row}: the review holds more than one language ({language} and {other}).")
UNKNOWN_MESSAGE = N_("Row {row}: column {column} holds no message of the catalogue (it was changed, or the message was removed).")
CELL_CHANGED = N_("Row {row}: column {column} was changed. Write your correction in the Correction column only.")
CATALOGUE_CHANGED = N_("Row {row}: the translation changed after this review was exported. Export the review again.")
LOST_PLACEHOLDERS = N_("Row {row}: the correction must keep {placeholders} exactly as in the English.")
FORMULA = N_("Row {row}, column {column}: the cell holds a formula. Write the text itself.")
REVIEWED_NOT_YES = N_("Row {row}: write yes in the Reviewed column, or leave it empty.")
EMPTY_REVIEW = N_("The review holds no rows. Export it again and fill in the Reviewed or Correction column.")


class ReviewRefused(ImportRejected):
    """A review workbook that was not imported, with every problem found (each a message and its values)."""

    def __init__(self, problems: list[tuple[str, dict]]) -> None:
        super().__init__(REVIEW_REFUSED, problems=Counted(PROBLEMS, len(problems)))
        self.problems = problems


@dataclass
class ReviewResult:
    language: str
    corrected: int = 0
    confirmed: int = 0
    still_fuzzy: int = 0
    parts: list[str] = field(default_factory=list)


@dataclass
class _Entry:
    part: Path
    key: str
    english: tuple[str, ...]  # the English of each form: (msgid,) or (msgid, msgid_plural)
    strings: tuple[str, ...]  # the current translation of each form
    fuzzy: bool


def _form_numbers(lang: str) -> dict[int, list[int]]:
    """{form index: the first numbers that use it} in this language."""
    plural = gettext.c2py(Catalog(locale=lang).plural_expr)
    numbers: dict[int, list[int]] = {}
    for n in range(200):
        numbers.setdefault(plural(n), []).append(n)
    return numbers


def _single_number_forms(lang: str) -> set[int]:
    return {form for form, times in Counter(gettext.c2py(Catalog(locale=lang).plural_expr)(n)
                                            for n in range(1000)).items() if times == 1}


def _entries(lang: str, locales_dir: Path) -> dict[str, _Entry]:
    """The messages of the English source, with this language's translation and where it is kept."""
    english = {files.message_key(m): m for path in files.part_files(SOURCE_LANGUAGE, locales_dir)
               for m in files.read_part(path) if m.id}
    entries: dict[str, _Entry] = {}
    forms = Catalog(locale=lang).num_plurals
    for path in files.part_files(lang, locales_dir):
        for message in files.read_part(path):
            key = message.id and files.message_key(message)
            if key in english and key not in entries:
                strings = tuple(message.string) if message.pluralizable else (message.string,)
                entries[key] = _Entry(path, key, _english_forms(english[key]), strings, message.fuzzy)
    for key, message in english.items():  # messages this language has no translation of yet
        if key not in entries:
            count = forms if message.pluralizable else 1
            entries[key] = _Entry(locales_dir / lang / "LC_MESSAGES" / Path(_part_of(message, locales_dir)).name,
                                  key, _english_forms(message), ("",) * count, True)
    return entries


def _english_forms(message) -> tuple[str, ...]:  # noqa: ANN001 - a babel Message
    return tuple(message.id) if message.pluralizable else (message.id,)


def _part_of(message, locales_dir: Path) -> str:  # noqa: ANN001 - a babel Message
    for path in files.part_files(SOURCE_LANGUAGE, locales_dir):
        if files.read_part(path).get(message.id) is not None:
            return path.name
    return "core.po"


def _english_of_form(entry: _Entry, index: int, numbers: dict[int, list[int]]) -> str:
    """The English singular for the form that the number 1 uses, the English plural for the others."""
    return entry.english[0] if len(entry.english) == 1 or 1 in numbers.get(index, []) else entry.english[1]


def _form_label(lang: str, index: int, numbers: dict[int, list[int]]) -> str:
    shown = ", ".join(str(n) for n in numbers.get(index, [])[:4])
    return f"{index} (n = {shown}, …)" if len(numbers.get(index, [])) > 4 else f"{index} (n = {shown})"


def export_review(lang: str, *, root: Path, locales_dir: Path = LOCALES_DIR) -> bytes:
    """The review workbook of one language: every message of the English source, one row per form."""
    if lang not in LANGUAGES or lang == SOURCE_LANGUAGE:
        raise ImportRejected(UNKNOWN_LANGUAGE, row=0, language=lang)
    used = used_messages(root) | {singular: where for (singular, _), where in used_plural_messages(root).items()}
    numbers = _form_numbers(lang)
    rows = []
    for entry in sorted(_entries(lang, locales_dir).values(), key=lambda e: (not e.fuzzy, e.part.name, e.key)):
        plural = len(entry.english) > 1
        for index, text in enumerate(entry.strings):
            rows.append({"Language": lang, "Message": entry.key,
                         "Form": _form_label(lang, index, numbers) if plural else "",
                         "Used in": used.get(entry.key, ""),
                         "English": _english_of_form(entry, index, numbers),
                         "Translation": text, "Reviewed": "", "Correction": ""})
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    notes = {column: translate(note, lang) for column, note in NOTES.items()}  # in the reviewer's language
    return excel.write_workbook([excel.SheetSpec(SHEET, table, notes=notes, choices={"Reviewed": ["yes"]}, width=40)])


def _yes_words() -> frozenset[str]:
    return frozenset(translate(N_("yes"), lang).casefold() for lang in LANGUAGES)


def _form_index(label: str) -> int | None:
    head = label.split(" ", 1)[0]
    return int(head) if head.isdigit() else None


def _correction_problem(lang: str, entry: _Entry, index: int, correction: str) -> bool:
    """True when a correction loses or adds a placeholder (a form used for one number alone, such as
    the Arabic for two, may leave out the number's placeholder, as gettext's own check allows)."""
    try:
        expected, found = placeholders(entry.english[0]), placeholders(correction)
    except ValueError:
        return True
    if found == expected:
        return False
    return not (len(entry.english) > 1 and index in _single_number_forms(lang)
                and found == expected - {number_placeholder(entry.english[0])})


def import_review(content: bytes, *, reviewer: str = "", locales_dir: Path = LOCALES_DIR,
                  today: dt.date | None = None) -> ReviewResult:
    """Apply a filled-in review workbook to its language's catalogues, all of it or nothing."""
    uploads.check_workbook_archive(content)
    if not _has_sheet(content):
        raise ImportRejected(NOT_A_REVIEW, sheet=SHEET)
    header, body = uploads.read_sheet(content, sheet=SHEET, max_rows=MAX_ROWS)
    if len(body) > MAX_ROWS:
        raise ImportRejected(uploads.SHEET_TOO_MANY_ROWS, sheet=SHEET, limit=MAX_ROWS)
    if tuple(header) != COLUMNS:
        raise ImportRejected(COLUMNS_CHANGED, sheet=SHEET, columns=", ".join(COLUMNS))
    if not body:
        raise ImportRejected(EMPTY_REVIEW)
    languages = {row[0] for _, row in body if row[0]}
    lang = body[0][1][0]
    problems: list[tuple[str, dict]] = []
    for line, row in body:
        if row[0] not in LANGUAGES or row[0] == SOURCE_LANGUAGE:
            problems.append((UNKNOWN_LANGUAGE, {"row": line, "language": row[0][:20]}))
        elif row[0] != lang:
            problems.append((MIXED_LANGUAGES, {"row": line, "language": lang, "other": row[0][:20]}))
    if problems or len(languages) != 1:
        raise ReviewRefused(problems)
    with files.locked(lang, locales_dir):
        entries = _entries(lang, locales_dir)
        numbers = _form_numbers(lang)
        yes = _yes_words()
        changes: dict[str, dict[int, str]] = {}
        reviewed_forms: dict[str, set[int]] = {}
        for line, row in body:
            values = dict(zip(COLUMNS, row, strict=True))
            for column in ("Reviewed", "Correction", "Translation", "English", "Message"):
                if values[column].startswith("="):
                    problems.append((FORMULA, {"row": line, "column": column}))
            entry = entries.get(values["Message"])
            index = _form_index(values["Form"]) if values["Form"] else 0
            if entry is None or index is None or index >= len(entry.strings) or (
                    bool(values["Form"]) != (len(entry.english) > 1)):
                problems.append((UNKNOWN_MESSAGE, {"row": line, "column": "Message" if entry is None else "Form"}))
                continue
            if values["English"] != _english_of_form(entry, index, numbers):
                problems.append((CELL_CHANGED, {"row": line, "column": "English"}))
            if values["Translation"] != entry.strings[index]:
                problems.append((CATALOGUE_CHANGED, {"row": line}))
            reviewed = values["Reviewed"].strip().casefold()
            if reviewed and reviewed not in yes:
                problems.append((REVIEWED_NOT_YES, {"row": line}))
            correction = values["Correction"].strip()
            if correction and not correction.startswith("=") and _correction_problem(lang, entry, index, correction):
                wanted = ", ".join("{" + name + "}" for name in sorted(placeholders(entry.english[0])))
                problems.append((LOST_PLACEHOLDERS, {"row": line, "placeholders": wanted or "-"}))
            if correction:
                changes.setdefault(entry.key, {})[index] = correction
            if correction or reviewed:
                reviewed_forms.setdefault(entry.key, set()).add(index)
        if problems:
            raise ReviewRefused(problems)
        return _apply(lang, entries, changes, reviewed_forms, reviewer=reviewer,
                      today=today or dt.date.today(), locales_dir=locales_dir)


def _has_sheet(content: bytes) -> bool:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a malformed workbook
        raise ImportRejected(excel.NOT_A_WORKBOOK) from exc
    try:
        return SHEET in workbook.sheetnames
    finally:
        workbook.close()


def _apply(lang: str, entries: dict[str, _Entry], changes: dict[str, dict[int, str]],
           reviewed_forms: dict[str, set[int]], *, reviewer: str, today: dt.date, locales_dir: Path) -> ReviewResult:
    """Write the corrections and clear the flag of every message whose forms were all reviewed, part
    file by part file (each rewritten whole); then note the review in each changed part's header."""
    result = ReviewResult(lang)
    by_part: dict[Path, list[_Entry]] = {}
    for key in reviewed_forms:
        by_part.setdefault(entries[key].part, []).append(entries[key])
    for path, part_entries in sorted(by_part.items()):
        catalog = files.read_part(path) if path.exists() else files.new_catalogue(lang)
        english = {files.message_key(m): m for m in files.read_part(locales_dir / SOURCE_LANGUAGE / "LC_MESSAGES" / path.name)
                   if m.id} if (locales_dir / SOURCE_LANGUAGE / "LC_MESSAGES" / path.name).exists() else {}
        for entry in part_entries:
            strings = list(entry.strings)
            for index, text in changes.get(entry.key, {}).items():
                strings[index] = text
            complete = reviewed_forms[entry.key] >= set(range(len(strings))) and all(strings)
            message = catalog.get(entry.english if len(entry.english) > 1 else entry.key)
            if message is None:
                source = english.get(entry.key)
                flags = set(source.flags) if source is not None else set()
                catalog.add(entry.english if len(entry.english) > 1 else entry.key, tuple(strings) if len(strings) > 1
                            else strings[0], flags=flags - {"fuzzy"})
                message = catalog.get(entry.english if len(entry.english) > 1 else entry.key)
            else:
                message.string = tuple(strings) if len(strings) > 1 else strings[0]
            if complete:
                message.flags.discard("fuzzy")
                result.confirmed += entry.key not in changes
                result.corrected += entry.key in changes
            else:
                message.flags.add("fuzzy")
                result.still_fuzzy += 1
        reviewed = sum(1 for m in catalog if m.id and files.is_translated(m) and not m.fuzzy)
        total = sum(1 for m in catalog if m.id)
        files.with_header_field(catalog, files.REVIEWED_BY, f"{reviewed} of {total} messages, last on {today.isoformat()}"
                                + (f" by {reviewer.strip()[:80]}" if reviewer.strip() else ""))
        files.write_part(path, catalog)
        result.parts.append(path.name)
    return result
