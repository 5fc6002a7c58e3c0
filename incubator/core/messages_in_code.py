"""Find every message the code shows, so that a test (and `python -m incubator messages`) can say
which ones a catalogue lacks. Messages are the first argument of `t(...)`, `ui.t(...)` and
`N_(...)` when it is a string literal; messages with plural forms are the first two arguments of
`tn(...)`, `ui.tn(...)`, `translate_plural(...)` and `N_plural(...)`."""

from __future__ import annotations

import ast
import gettext
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from incubator.core import i18n
from incubator.core.i18n import LANGUAGES, catalogue, plural_catalogue

MARKERS = frozenset({"t", "N_"})
PLURAL_MARKERS = frozenset({"tn", "translate_plural", "N_plural"})
SOURCE_DIRS = ("incubator", "app_pages", "ui")
SOURCE_FILES = ("streamlit_app.py",)


def source_files(root: Path) -> Iterator[Path]:
    for folder in SOURCE_DIRS:
        yield from sorted((root / folder).rglob("*.py"))
    for name in SOURCE_FILES:
        if (root / name).exists():
            yield root / name


@lru_cache(maxsize=1024)
def _calls(path: Path, mtime_ns: int) -> tuple[ast.Call, ...]:
    """Every call in one file (parsed once for both kinds of marker, again when the file changes)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return tuple(node for node in ast.walk(tree) if isinstance(node, ast.Call))


def _marked_calls(path: Path, markers: frozenset[str], literals: int) -> Iterator[tuple[tuple[str, ...], int]]:
    """(the first `literals` string arguments, line) of every call to one of these markers."""
    for node in _calls(path, path.stat().st_mtime_ns):
        if len(node.args) < literals:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        first = node.args[:literals]
        if name in markers and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in first):
            yield tuple(a.value for a in first), node.lineno


def messages_in(path: Path) -> Iterator[tuple[str, int]]:
    """(message, line) for every marked string literal in one file."""
    for (message,), line in _marked_calls(path, MARKERS, 1):
        yield message, line


def plural_messages_in(path: Path) -> Iterator[tuple[tuple[str, str], int]]:
    """((singular, plural), line) for every marked message with plural forms in one file."""
    yield from _marked_calls(path, PLURAL_MARKERS, 2)


def used_messages(root: Path) -> dict[str, str]:
    """Every message used in the code, with the first place it is used."""
    found: dict[str, str] = {}
    for path in source_files(root):
        for message, line in messages_in(path):
            found.setdefault(message, f"{path.relative_to(root)}:{line}")
    return found


def used_plural_messages(root: Path) -> dict[tuple[str, str], str]:
    """Every message with plural forms used in the code, with the first place it is used."""
    found: dict[tuple[str, str], str] = {}
    for path in source_files(root):
        for message, line in plural_messages_in(path):
            found.setdefault(message, f"{path.relative_to(root)}:{line}")
    return found


def missing_translations(root: Path, languages: Iterable[str] = LANGUAGES) -> dict[str, dict[str, str]]:
    """{language: {message: where it is used}} for messages without a translation; a message with
    plural forms (named by its singular) also when its catalogue entry has no plural forms or
    leaves one empty."""
    used = used_messages(root)
    used_plural = used_plural_messages(root)
    for cached in (catalogue, plural_catalogue, i18n.translations):
        cached.cache_clear()
    missing = {}
    for lang in languages:
        forms = plural_catalogue(lang)
        missing[lang] = {msg: where for msg, where in used.items() if msg not in catalogue(lang)}
        missing[lang] |= {singular: where for (singular, _), where in used_plural.items()
                          if not forms.get(singular) or not all(forms[singular])}
    return missing


def placeholders(text: str) -> set[str]:
    """The names in braces that str.format fills in: "{count} of {total:,}" -> {"count", "total"}.
    Raises ValueError for braces str.format cannot read."""
    return {re.split(r"[.\[]", field)[0] for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _read(po_file: Path) -> Catalog:
    with po_file.open("rb") as handle:
        return read_po(handle, locale=po_file.parent.parent.name)


def _forms_of_one_number(catalog: Catalog) -> set[int]:
    """The plural forms this language uses for one number only (Arabic: 0, 1 and 2; Dutch: 1)."""
    plural = gettext.c2py(catalog.plural_expr)
    used = Counter(plural(n) for n in range(1000))
    return {form for form, times in used.items() if times == 1}


def number_placeholder(msgid: str) -> str | None:
    """The placeholder that holds a plural message's number: {count}, or else the first one."""
    names = [field for _, field, _, _ in string.Formatter().parse(msgid) if field]
    return "count" if "count" in names else names[0] if names else None


def placeholder_problems(po_file: Path) -> list[str]:
    """Translations in one .po file whose placeholders differ from their msgid's. As in gettext's own
    check, a plural form used for one number only ("مشكلتان", two problems) may leave out the
    number's placeholder; nothing else may be left out or added."""
    catalog = _read(po_file)
    single = _forms_of_one_number(catalog)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        where = f"{po_file.parent.parent.name}/{po_file.name}: {ids[0]!r}"
        try:
            expected = placeholders(ids[0])
            if any(placeholders(other) != expected for other in ids[1:]):
                problems.append(f"{where}: msgid_plural has other placeholders")
            for index, text in enumerate(strings):
                found = placeholders(text)
                left_out_number = (message.pluralizable and index in single
                                   and found == expected - {number_placeholder(ids[0])})
                if text and found != expected and not left_out_number:
                    problems.append(f"{where}: form {index} has {sorted(found)}, the msgid {sorted(expected)}")
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
    return problems


def plural_form_problems(lang: str) -> list[str]:
    """Parts of one language that disagree on Plural-Forms, and plural messages without every form."""
    parts = sorted((i18n.LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po"))
    catalogs = {po_file.name: _read(po_file) for po_file in parts}
    problems = [f"{lang}/{name}: Plural-Forms {c.plural_forms!r} differs from core.po's"
                for name, c in catalogs.items() if "core.po" in catalogs and c.plural_forms != catalogs["core.po"].plural_forms]
    for name, catalog in catalogs.items():
        for message in catalog:
            if message.id and message.pluralizable and (len(message.string) != catalog.num_plurals or not all(message.string)):
                problems.append(f"{lang}/{name}: {message.id[0]!r} has {sum(map(bool, message.string))} of "
                                f"{catalog.num_plurals} forms")
    return problems
