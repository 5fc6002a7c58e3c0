"""Text as people of each language read it: direction isolates for numbers, codes and fragments of the
other script, Markdown kept out of data, and table cells in whole numbers and euros with a dash where
nothing is known. Pure functions of a language code (no streamlit); `ui` binds them to the session's
language."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable

import pandas as pd

from incubator.core import i18n

LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
EMPTY = "–"  # an en dash: "nothing known", never "None" or "nan"

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^])")


def isolate(text: object, direction: str = "auto") -> str:
    """Text wrapped in Unicode isolates, so that its direction neither takes nor gives to the sentence
    around it: "-3" stays "-3" in Arabic, "(B1)" keeps its parentheses, a Latin name inside Arabic
    text does not carry the next number along. `direction`: auto (first strong letter), ltr or rtl."""
    opening = {"auto": FSI, "ltr": LRI, "rtl": RLI}[direction]
    return f"{opening}{text}{PDI}"


def language_tag(lang: str) -> str:
    """A language code as HTML's `lang` attribute wants it (BCP 47): Dari's "fa_AF" is "fa-AF"."""
    return lang.replace("_", "-")


def bdi(text: object) -> str:
    """The HTML form of `isolate` for st.html: the text escaped inside <bdi>."""
    return f"<bdi>{escape_html(str(text))}</bdi>"


def escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def escape_markdown(text: object) -> str:
    """Data (a name, a label, something a person typed) inside a Markdown message shows as typed:
    every character Markdown or Streamlit's extensions (colours, icons, emoji, maths) would read is
    escaped with a backslash."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def typed(value: object) -> str:
    """What a person typed (a name, a note, an e-mail address, a title), ready for any Streamlit
    element that reads Markdown: st.markdown, st.caption, st.info and the like, and the labels of
    widgets, expanders and tabs. Every sign Markdown, HTML or Streamlit's extensions would read is
    escaped, so it shows exactly as typed: an image never loads, a link never becomes clickable.
    The one helper for user text inside our sentences; whole blocks go to `ui.show_typed` (st.text)."""
    return escape_markdown("-" if value is None or value == "" else value)


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _number(text: str, lang: str) -> str:
    # Numbers read left to right inside a right-to-left line ("-3" not "3-").
    return isolate(text, "ltr") if i18n.is_rtl(lang) else text


def whole(value: object, lang: str) -> str:
    """A whole number (years, counts, versions), never "6.00"; a dash when unknown."""
    return EMPTY if is_missing(value) else _number(i18n.format_number(round(float(value)), lang), lang)


def decimal(value: object, lang: str, digits: int = 1) -> str:
    return EMPTY if is_missing(value) else _number(i18n.format_number(float(value), lang, digits=digits), lang)


def euros(value: object, lang: str) -> str:
    """Euros as people of the language write them: whole (€ 3.000 / 3,000 €), never "3000.00"; cents
    only where an amount has them (a fee of € 85,15)."""
    if is_missing(value):
        return EMPTY
    amount = round(float(value), 2)
    return _number(i18n.format_eur(amount, lang, cents=not amount.is_integer()), lang)


def date(value: object, lang: str) -> str:
    if is_missing(value):
        return EMPTY
    day = value.date() if isinstance(value, dt.datetime | pd.Timestamp) else value
    return _number(i18n.format_date(day, lang), lang)


def plain(value: object, lang: str) -> str:
    """Text as it is (codes and names isolated in a right-to-left page); a dash when empty."""
    if is_missing(value) or value == "":
        return EMPTY
    if isinstance(value, bool):
        return i18n.translate("yes" if value else "no", lang)
    return isolate(value) if i18n.is_rtl(lang) else str(value)


def table_text(frame: pd.DataFrame, lang: str, *, whole_columns: Iterable[str] = (), euro_columns: Iterable[str] = (),
               decimal_columns: dict[str, int] | None = None, date_columns: Iterable[str] = ()) -> pd.DataFrame:
    """A table for st.dataframe with every cell written for the reader: the named columns as whole
    numbers, euros, decimals or dates, the other columns as text; a dash for every empty cell."""
    out = pd.DataFrame(index=frame.index)
    kinds = {c: (whole, ()) for c in whole_columns} | {c: (euros, ()) for c in euro_columns} \
        | {c: (decimal, (d,)) for c, d in (decimal_columns or {}).items()} | {c: (date, ()) for c in date_columns}
    for column in frame.columns:
        write, extra = kinds.get(column, (plain, ()))
        out[column] = [write(value, lang, *extra) for value in frame[column].tolist()]
    return out


def markdown_message(message_key: str, lang: str, **params: object) -> str:
    """A message of ours as Markdown, its values (data) escaped and isolated."""
    return i18n.translate(message_key, lang, **{k: isolate(escape_markdown(v)) for k, v in params.items()})


def problem_table(problems: Iterable, lang: str) -> pd.DataFrame:
    """An import's problems (incubator.people.importing.Problem) for st.table: one line a row of the
    file, so that the lines agree with the "{bad} with problems" count, with every problem of that row
    in full (st.table wraps long messages; a data frame would cut them off). Problems of the file as a
    whole come first."""
    by_row: dict[int, list[str]] = {}
    for problem in problems:
        line = f"**{escape_markdown(problem.column)}**: {markdown_message(problem.message, lang, **problem.params)}"
        by_row.setdefault(problem.row or 0, []).append(line)
    rows = sorted(by_row)
    return pd.DataFrame({
        i18n.translate("Row", lang): [i18n.translate("The whole file", lang) if row == 0 else str(row) for row in rows],
        i18n.translate("Problems", lang): ["  \n".join(by_row[row]) for row in rows],
    }).set_index(i18n.translate("Row", lang))
