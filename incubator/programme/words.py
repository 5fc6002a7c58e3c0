"""A message for the reader: an English msgid with values that are formatted in the reader's language
when it is shown (language names from CLDR, a sector's own translations, dates, counts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from incubator.core import i18n
from incubator.people.profile import language_names
from incubator.suggestions.ranking import Label


@dataclass(frozen=True)
class Languages:
    """ISO 639-1 codes, shown as the languages' names in the reader's language."""

    codes: tuple[str, ...]

    def text(self, lang: str) -> str:
        names = language_names(lang)
        return ", ".join(names.get(code, code) for code in self.codes)


@dataclass(frozen=True)
class Euros:
    """A whole amount of euros, formatted in the reader's language (i18n gives it the language)."""

    amount: int

    def for_language(self, lang: str) -> str:
        return i18n.format_eur(self.amount, lang)


@dataclass(frozen=True)
class Words:
    """A msgid (plain or with plural forms) and its values; `good` says whether it speaks for or against."""

    key: str | i18n.Plural
    params: dict = field(default_factory=dict)
    good: bool = True

    def params_for(self, lang: str) -> dict[str, object]:
        out: dict[str, object] = {}
        for name, value in self.params.items():
            if isinstance(value, Label):
                out[name] = value.get(lang)
            elif isinstance(value, Languages):
                out[name] = value.text(lang)
            elif isinstance(value, dt.date):
                out[name] = i18n.format_date(value, lang)
            elif isinstance(value, float):
                out[name] = i18n.format_number(value, lang, digits=1)
            else:
                out[name] = value
        return out

    def text(self, lang: str) -> str:
        return i18n.translate(self.key, lang, **self.params_for(lang))
