"""The catalogues of one language as files: who drafted them and whether a native speaker has
reviewed them (each part's header comment), how many messages are still drafts nobody has reviewed
(gettext's `fuzzy` flag: shown, since a draft is better than English for a newcomer, and counted),
and rewriting them safely when a review comes back.

A header comment reads, for example:

    # Drafted by: the Versnelling team with an AI model (Claude), 2026-12-02.
    # Reviewed by a native speaker: no.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from incubator.core.i18n import LOCALES_DIR, SOURCE_LANGUAGE

DRAFTED_BY = "Drafted by:"
REVIEWED_BY = "Reviewed by a native speaker:"


@dataclass(frozen=True)
class CatalogueStatus:
    """One language's catalogues measured against the English source."""

    language: str
    messages: int  # the messages of the English source
    translated: int  # with a translation (every plural form filled)
    fuzzy: int  # translated, but no native speaker has reviewed it yet
    drafted_by: str
    reviewed: str

    @property
    def missing(self) -> int:
        return self.messages - self.translated


def new_catalogue(lang: str, *, drafted_by: str = "a reviewer, through a review workbook") -> Catalog:
    """An empty part file of one language, its header saying who drafted it and that nobody reviewed it."""
    catalog = Catalog(locale=lang, project="Versnelling", version="1.0", fuzzy=False,
                      header_comment=f"# Translations for Versnelling ({lang}).")
    with_header_field(catalog, DRAFTED_BY, drafted_by)
    with_header_field(catalog, REVIEWED_BY, "no")
    return catalog


def part_files(lang: str, locales_dir: Path = LOCALES_DIR) -> list[Path]:
    return sorted((locales_dir / lang / "LC_MESSAGES").glob("*.po"))


def read_part(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parent.parent.name)


def message_key(message) -> str:  # noqa: ANN001 - a babel Message
    """A message's key: its msgid, or the singular msgid of a message with plural forms."""
    return message.id[0] if message.pluralizable else message.id


def is_translated(message) -> bool:  # noqa: ANN001 - a babel Message
    strings = message.string if message.pluralizable else (message.string,)
    return bool(strings) and all(strings)


def header_field(catalog: Catalog, name: str) -> str:
    """The value of one line of a catalogue's header comment ("Drafted by: ..."), or ""."""
    for line in (catalog.header_comment or "").splitlines():
        text = line.lstrip("#").strip()
        if text.startswith(name):
            return text[len(name):].strip().rstrip(".")
    return ""


def with_header_field(catalog: Catalog, name: str, value: str) -> None:
    """Set one line of the header comment, keeping the others (added at the end when it is new)."""
    lines = (catalog.header_comment or "").splitlines()
    line = f"# {name} {value}."
    for index, existing in enumerate(lines):
        if existing.lstrip("#").strip().startswith(name):
            lines[index] = line
            break
    else:
        lines.append(line)
    catalog.header_comment = "\n".join(lines)


def status(lang: str, locales_dir: Path = LOCALES_DIR) -> CatalogueStatus:
    source = {message_key(m) for path in part_files(SOURCE_LANGUAGE, locales_dir) for m in read_part(path) if m.id}
    translated: set[str] = set()
    fuzzy: set[str] = set()
    drafted, reviewed = set(), set()
    for path in part_files(lang, locales_dir):
        catalog = read_part(path)
        drafted.add(header_field(catalog, DRAFTED_BY))
        reviewed.add(header_field(catalog, REVIEWED_BY))
        for message in catalog:
            key = message.id and message_key(message)
            if key in source and is_translated(message):
                translated.add(key)
                if message.fuzzy:
                    fuzzy.add(key)
    return CatalogueStatus(lang, len(source), len(translated), len(fuzzy),
                           "; ".join(sorted(d for d in drafted if d)), "; ".join(sorted(r for r in reviewed if r)))


@contextmanager
def locked(lang: str, locales_dir: Path = LOCALES_DIR) -> Iterator[None]:
    """One writer at a time for one language's catalogues (across threads and processes): a review
    reads the files, checks against them and rewrites them without another review in between."""
    folder = str((locales_dir / lang).resolve())
    lock_path = Path(tempfile.gettempdir()) / f"versnelling-catalogue-{hashlib.sha256(folder.encode()).hexdigest()[:16]}.lock"
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_part(path: Path, catalog: Catalog) -> None:
    """Rewrite one part file whole or not at all (a new file moved over the old one)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=120, sort_output=False)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(buffer.getvalue())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
