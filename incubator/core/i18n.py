"""Languages: gettext catalogues read with Babel, and locale-aware formatting.

The domain returns codes and English message keys; the interface translates them with `translate`.
Catalogues live in `locales/<lang>/LC_MESSAGES/<part>.po`; all parts of a language are merged.
A message whose words change with a number has plural forms (`translate_plural`, `ui.tn`, and
`N_plural` for a domain error's key), chosen by the catalogue's Plural-Forms line through Babel.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
# Each interface language by its catalogue folder, with its own name for itself (the picker shows it).
# Dari is `fa_AF` (Persian as written in Afghanistan), beside Farsi `fa` as written in Iran.
LANGUAGES: dict[str, str] = {
    "nl": "Nederlands", "en": "English", "ar": "العربية", "ti": "ትግርኛ", "fa_AF": "دری",
    "fa": "فارسی", "uk": "Українська", "tr": "Türkçe",
}
DEFAULT_LANGUAGE = "nl"
SOURCE_LANGUAGE = "en"  # the messages are written in English; the other catalogues translate them
RTL_LANGUAGES = frozenset({"ar", "fa", "fa_AF"})
# The Babel locale used for formatting numbers, money and dates in each interface language: Tigrinya
# as written in Eritrea, where most Tigrinya-speaking newcomers come from.
_FORMAT_LOCALES = {"nl": "nl_NL", "en": "en_NL", "ar": "ar", "ti": "ti_ER", "fa_AF": "fa_AF", "fa": "fa_IR",
                   "uk": "uk_UA", "tr": "tr_TR"}
# Browser language tags that name one of ours another way: Dari's own code, and Persian in Afghanistan.
_LOCALE_ALIASES = {"prs": "fa_AF"}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for translation without translating it here."""
    return message


class Plural(NamedTuple):
    """A message whose words change with a number: gettext's msgid and msgid_plural. The parameter
    named `number` chooses the form (Arabic has six, Dutch and English two)."""

    singular: str
    plural: str
    number: str = "count"

    def format(self, **params: object) -> str:
        """The English text, as `str.format` gives it for a plain msgid (the command line, the logs)."""
        return (self.singular if params.get(self.number) == 1 else self.plural).format(**params)


def N_plural(singular: str, plural: str, *, number: str = "count") -> Plural:  # noqa: N802 - like N_
    """Mark a message with plural forms for translation, translate later (a domain error's key)."""
    return Plural(singular, plural, number)


class Counted(NamedTuple):
    """A number with its own plural message, as the value of another message's placeholder: for a
    sentence that counts two things ("{problems} in {rows}"), since one msgid has one number."""

    message: Plural
    n: int

    def __format__(self, spec: str) -> str:
        return self.message.format(**{self.message.number: self.n})


def _po_files(lang: str) -> list[Path]:
    # core.po first: its header (with the Plural-Forms line) heads the merged catalogue.
    return sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po"), key=lambda p: (p.stem != "core", p.name))


def read_catalogues(lang: str) -> list[tuple[Path, Catalog]]:
    """Every part's catalogue of one language, as Babel reads it (read afresh: callers may change them)."""
    parts = []
    for po_file in _po_files(lang):
        with po_file.open("rb") as handle:
            parts.append((po_file, read_po(handle, locale=lang)))
    return parts


class Msgid(str):
    """A parameter that is itself a message key (such as the name of a field in an error): `translate`
    translates it into the same language before filling it in."""

    __slots__ = ()


class Cents(int):
    """A parameter that is an amount in euro cents: `translate` writes it as money in the message's
    language (and in English wherever it is formatted as text, such as on the command line)."""

    def __format__(self, spec: str) -> str:
        return format_cents(int(self), "en") if not spec else int(self).__format__(spec)

    def __str__(self) -> str:
        return format_cents(int(self), "en")


class Listed(tuple):
    """A parameter that is a list of values (month numbers, field names): `translate` joins them the way
    the message's language does ("1, 2 en 3"; in Arabic with its own comma and "و"). Msgid items are
    translated first."""

    __slots__ = ()

    def for_language(self, lang: str) -> str:
        return format_list([translate(v, lang) if isinstance(v, Msgid) else str(v) for v in self], lang)

    def __str__(self) -> str:
        return self.for_language("en")


def format_list(items: list[str], lang: str) -> str:
    """Items joined as a sentence in this language (Babel's CLDR list patterns)."""
    from babel.lists import format_list as babel_list

    return babel_list(list(items), locale=_locale(lang)) if items else ""


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language without plural forms, merged from every part's .po file."""
    messages: dict[str, str] = {}
    for _, part in read_catalogues(lang):
        for message in part:
            if message.id and isinstance(message.id, str) and message.string:
                messages[message.id] = message.string
    return messages


@cache
def translations(lang: str) -> Translations:
    """Babel's Translations for one language, every part merged (for ngettext and the catalogue's
    Plural-Forms). A plural message with a form left empty falls back to English as a whole."""
    merged: Catalog | None = None
    for _, part in read_catalogues(lang):
        if merged is None:
            merged = part
            continue
        for message in part:
            if message.id:
                merged[message.id] = message
    buffer = io.BytesIO()
    if merged is not None:
        for message in list(merged):
            if message.pluralizable and not all(message.string):
                del merged[message.id]
        write_mo(buffer, merged, use_fuzzy=True)  # drafts nobody has reviewed yet are shown too
        buffer.seek(0)
    return Translations(buffer) if merged is not None else Translations()


@cache
def plural_catalogue(lang: str) -> dict[str, tuple[str, ...]]:
    """{singular msgid: every form} for the messages with plural forms of one language."""
    forms: dict[str, tuple[str, ...]] = {}
    for _, part in read_catalogues(lang):
        for message in part:
            if message.id and message.pluralizable:
                forms[message.id[0]] = tuple(message.string)
    return forms


def translate_plural(singular: str, plural: str, n: int, lang: str, **params: object) -> str:
    """The form of a plural message for the number n in this language, with its parameters filled in.

    Falls back to English (singular for 1, plural otherwise) when a message is missing."""
    count = int(n)
    text = translations(lang).ngettext(singular, plural, count) if lang in LANGUAGES else (
        singular if count == 1 else plural)
    return _filled(text, singular if count == 1 else plural, lang, params)


def translate(message_key: str | Plural, lang: str, **params: object) -> str:
    """Translate an English message key and fill in its parameters. A `Plural` key takes its form
    from the parameter it names.

    Falls back to English when a message is missing; a test makes sure none is."""
    if isinstance(message_key, Plural):
        return translate_plural(message_key.singular, message_key.plural, params[message_key.number], lang, **params)
    text = catalogue(lang).get(message_key, message_key) if lang in LANGUAGES else message_key
    return _filled(text, message_key, lang, params)


def _filled(text: str, english: str, lang: str, params: dict[str, object]) -> str:
    params = {name: translate(value.message, lang, **{value.message.number: value.n})
              if isinstance(value, Counted) else value for name, value in params.items()}
    if params:
        params = {k: translate(v, lang) if isinstance(v, Msgid) else format_cents(int(v), lang) if isinstance(v, Cents)
                  else format_date(v, lang) if isinstance(v, dt.date)
                  else v.for_language(lang) if hasattr(v, "for_language") else v for k, v in params.items()}
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return english.format(**params)
    return text


def language_from_locale(locale_tag: str | None) -> str:
    """The interface language for a browser locale such as 'ar-SA' or 'nl'."""
    if not locale_tag:
        return DEFAULT_LANGUAGE
    tag = locale_tag.replace("_", "-").lower()
    parts = tag.split("-")
    if parts[0] in _LOCALE_ALIASES or (parts[0] == "fa" and "af" in parts[1:]):  # fa-AF, fa-Arab-AF, prs
        return "fa_AF"
    return parts[0] if parts[0] in LANGUAGES else DEFAULT_LANGUAGE


def is_rtl(lang: str) -> bool:
    return lang in RTL_LANGUAGES


def _locale(lang: str) -> Locale:
    return Locale.parse(_FORMAT_LOCALES.get(lang, "en"))


def format_number(value: float | int | Decimal, lang: str, *, digits: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def format_eur(amount: float | int | Decimal, lang: str, *, cents: bool = False) -> str:
    """An amount in euros, as people of this language write it (EUR 8.000 / € 8,000)."""
    pattern = None if cents else "¤ #,##0"
    if lang == "ar":
        pattern = None if cents else "#,##0 ¤"
    return format_currency(amount, "EUR", format=pattern, locale=_locale(lang), currency_digits=cents)


def format_cents(cents: int, lang: str) -> str:
    """An amount held in euro cents, with its cents (EUR 1.240,50), exact: never through a float."""
    return format_eur(Decimal(cents).scaleb(-2), lang, cents=True)


def format_share(value: float, lang: str) -> str:
    """A share between 0 and 1 as a percentage."""
    return format_percent(value, locale=_locale(lang))


def format_date(value: dt.date, lang: str) -> str:
    return _babel_format_date(value, format="medium", locale=_locale(lang))
