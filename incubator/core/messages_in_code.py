"""Find every message the code shows, so that a test (and `python -m incubator messages`) can say
which ones a catalogue lacks. Messages are the first argument of `t(...)`, `ui.t(...)` and
`N_(...)` when it is a string literal."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

from incubator.core.i18n import LANGUAGES, catalogue

MARKERS = frozenset({"t", "N_"})
SOURCE_DIRS = ("incubator", "app_pages", "ui")
SOURCE_FILES = ("streamlit_app.py",)


def source_files(root: Path) -> Iterator[Path]:
    for folder in SOURCE_DIRS:
        yield from sorted((root / folder).rglob("*.py"))
    for name in SOURCE_FILES:
        if (root / name).exists():
            yield root / name


def messages_in(path: Path) -> Iterator[tuple[str, int]]:
    """(message, line) for every marked string literal in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        first = node.args[0]
        if name in MARKERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value, node.lineno


def used_messages(root: Path) -> dict[str, str]:
    """Every message used in the code, with the first place it is used."""
    found: dict[str, str] = {}
    for path in source_files(root):
        for message, line in messages_in(path):
            found.setdefault(message, f"{path.relative_to(root)}:{line}")
    return found


def missing_translations(root: Path, languages: Iterable[str] = LANGUAGES) -> dict[str, dict[str, str]]:
    """{language: {message: where it is used}} for messages without a translation."""
    used = used_messages(root)
    catalogue.cache_clear()
    return {
        lang: {msg: where for msg, where in used.items() if msg not in catalogue(lang)}
        for lang in languages
    }
