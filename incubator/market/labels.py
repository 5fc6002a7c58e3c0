"""The labels of the market data: one row per (kind, code, language) in the `labels` table (migration
016), loaded from `data/labels/<lang>.csv` by the seed. A ninth language is a catalogue and a data
file, not a migration. English is the fallback of every reader: a code without a label in the
reader's language shows its English label.

Two ways to read them: `labels_in(cur, kind, lang)` gives the texts of one language (SQL, with the
English text where the language has none), `labels_of(cur, kind)` gives a `Label` per code with the
texts of every language, for results that the interface shows later in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import duckdb

from incubator.core.i18n import LANGUAGES

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class LabelKind:
    """A kind of label: the table and column whose codes it names, and the data file that holds them."""

    kind: str
    table: str
    column: str
    file: str


KINDS: dict[str, LabelKind] = {k.kind: k for k in (
    LabelKind("venture", "ventures", "venture_id", "ventures.csv"),
    LabelKind("sector", "sectors", "sbi_code", "sectors.csv"),
    LabelKind("licence", "licences", "licence_id", "licences.csv"),
    LabelKind("funding_route", "funding_routes", "route_id", "funding_routes.csv"),
    LabelKind("skill_group", "skill_groups", "code", "skill_groups.csv"),
    LabelKind("occupation", "occupations", "esco_uri", "occupations.csv"),
    LabelKind("cefr", "cefr_levels", "level", "cefr.csv"),
    LabelKind("isced", "isced_levels", "level", "isced.csv"),
    LabelKind("demand_signal", "demand_signals", "signal_id", "demand_signals.csv"),
)}


class Label:
    """A name in each language the data has it in (language -> text); English where a language has
    none, and the first text there is when even English is missing (a title typed in one language)."""

    __slots__ = ("texts",)

    def __init__(self, texts: Mapping[str, str]) -> None:
        object.__setattr__(self, "texts", MappingProxyType({k: v for k, v in texts.items() if v}))

    @classmethod
    def same(cls, text: str) -> Label:
        """The same text in every language (an idea's title as its author typed it, a bare code)."""
        return cls({FALLBACK_LANGUAGE: text})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Label does not change")

    def get(self, lang: str) -> str:
        text = self.texts.get(lang) or self.texts.get(FALLBACK_LANGUAGE)
        return text if text is not None else next(iter(self.texts.values()), "")

    def for_language(self, lang: str) -> str:
        """As a message parameter: `incubator.core.i18n.translate` fills in the reader's language."""
        return self.get(lang)

    @property
    def en(self) -> str:
        return self.get(FALLBACK_LANGUAGE)

    def __str__(self) -> str:  # in English where a message is formatted as plain text (logs, CLI)
        return self.en

    def __repr__(self) -> str:
        return f"Label({dict(self.texts)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Label) and dict(self.texts) == dict(other.texts)

    def __hash__(self) -> int:
        return hash(frozenset(self.texts.items()))

    def __reduce__(self) -> tuple:  # a MappingProxy does not pickle (the market cache, copies)
        return (Label, (dict(self.texts),))


def joined(labels: Iterable[Label], separator: str = ", ") -> Label:
    """Several labels as one, in each language (a venture's licences in one sentence)."""
    labels = list(labels)
    languages = {lang for label in labels for lang in label.texts}
    return Label({lang: separator.join(label.get(lang) for label in labels) for lang in languages})


LABELS_IN_SQL = """
SELECT english.code, COALESCE(own.text, english.text) AS text
FROM labels english
LEFT JOIN labels own ON own.kind = english.kind AND own.code = english.code AND own.language = ?
WHERE english.kind = ? AND english.language = 'en'
"""


def labels_in(cur: duckdb.DuckDBPyConnection, kind: str, lang: str) -> dict[str, str]:
    """code -> text of one kind in one language, English where the language has no label."""
    return dict(cur.execute(LABELS_IN_SQL, [lang, kind]).fetchall())


def labels_of(cur: duckdb.DuckDBPyConnection, kind: str) -> dict[str, Label]:
    """code -> Label (every language) of one kind."""
    texts: dict[str, dict[str, str]] = {}
    for code, language, text in cur.execute(
            "SELECT code, language, text FROM labels WHERE kind = ?", [kind]).fetchall():
        texts.setdefault(code, {})[language] = text
    return {code: Label(by_language) for code, by_language in texts.items()}


def label_of(cur: duckdb.DuckDBPyConnection, kind: str, code: str) -> Label | None:
    """The Label of one code, or None when the code has none."""
    rows = cur.execute("SELECT language, text FROM labels WHERE kind = ? AND code = ?", [kind, code]).fetchall()
    return Label(dict(rows)) if rows else None


def label_sql(kind: str, code: str, lang: str = "$lang") -> str:
    """A SQL expression for the label of `code` (a column or expression) in the language that the
    parameter `lang` holds, English where that language has none: for queries that return a frame."""
    if kind not in KINDS:
        raise ValueError(kind)
    return (f"COALESCE((SELECT text FROM labels WHERE kind = '{kind}' AND code = CAST({code} AS VARCHAR)"
            f" AND language = {lang}), (SELECT text FROM labels WHERE kind = '{kind}'"
            f" AND code = CAST({code} AS VARCHAR) AND language = 'en'))")


def language_literal(lang: str) -> str:
    """An interface language as a SQL string literal, for label_sql in a query built as text."""
    if lang not in LANGUAGES:
        raise ValueError(lang)
    return f"'{lang}'"


def every_label(cur: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Label]]:
    """kind -> code -> Label, every kind at once (the market arrays read them once per dataset)."""
    texts: dict[str, dict[str, dict[str, str]]] = {}
    for kind, code, language, text in cur.execute("SELECT kind, code, language, text FROM labels").fetchall():
        texts.setdefault(kind, {}).setdefault(code, {})[language] = text
    return {kind: {code: Label(t) for code, t in codes.items()} for kind, codes in texts.items()}


def texts_in_every_language(cur: duckdb.DuckDBPyConnection, kind: str) -> list[tuple[str, str]]:
    """(code, text) of one kind in every language: English first, then Dutch, then the others, so that
    a reader matching typed names keeps the first where two codes share a text."""
    return cur.execute("SELECT code, text FROM labels WHERE kind = ?"
                       " ORDER BY language <> 'en', language <> 'nl', language, code", [kind]).fetchall()
