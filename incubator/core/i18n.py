"""Languages: gettext catalogues read with Babel, and locale-aware formatting.

The domain returns codes and English message keys; the interface translates them with `translate`.
Catalogues live in `locales/<lang>/LC_MESSAGES/<part>.po`; all parts of a language are merged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
LANGUAGES: dict[str, str] = {"nl": "Nederlands", "en": "English", "ar": "العربية"}
DEFAULT_LANGUAGE = "nl"
RTL_LANGUAGES = frozenset({"ar", "fa", "prs"})
# The Babel locale used for formatting numbers, money and dates in each interface language.
_FORMAT_LOCALES = {"nl": "nl_NL", "en": "en_NL", "ar": "ar"}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for translation without translating it here."""
    return message


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


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, merged from every part's .po file."""
    messages: dict[str, str] = {}
    for po_file in sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and isinstance(message.id, str) and message.string:
                    messages[message.id] = message.string
    return messages


def translate(message_key: str, lang: str, **params: object) -> str:
    """Translate an English message key and fill in its parameters.

    Falls back to English when a message is missing; a test makes sure none is."""
    text = catalogue(lang).get(message_key, message_key) if lang in LANGUAGES else message_key
    if params:
        params = {k: translate(v, lang) if isinstance(v, Msgid) else format_cents(int(v), lang) if isinstance(v, Cents)
                  else v for k, v in params.items()}
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return message_key.format(**params)
    return text


def language_from_locale(locale_tag: str | None) -> str:
    """The interface language for a browser locale such as 'ar-SA' or 'nl'."""
    if not locale_tag:
        return DEFAULT_LANGUAGE
    primary = locale_tag.replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


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
