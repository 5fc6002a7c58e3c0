"""Names people read on screen (a participant's name, an account's name, a note's author) carry no
invisible characters: a right-to-left override (U+202E) makes "Amal‮ladmin" read backwards, a zero-width
space (U+200B) or an isolate (U+2067) makes two names that look the same differ, or hides a word."""

from __future__ import annotations

import unicodedata

from incubator.core.errors import ValidationFailed
from incubator.core.i18n import N_

INVISIBLE = N_("A name cannot contain the invisible character {character}. Type the name again without it.")

# Control, format (bidirectional overrides, embeddings and isolates, zero-width spaces, the BOM, tags),
# private-use, surrogate and unassigned code points, and the line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
# Letters that show as nothing (Hangul fillers, the braille blank) although Unicode counts them as letters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# The zero-width non-joiner and joiner are part of the spelling of Persian (Dari) and other names when
# they stand between two letters; anywhere else they only hide something.
_JOINERS = frozenset("\u200c\u200d")


USER_NAME_INVISIBLE = N_("A user name cannot contain the invisible character {character}.")


def invisible_character(text: str, *, joiners_between_letters: bool = True) -> str | None:
    """The first invisible character of `text` as people can look it up ("U+202E RIGHT-TO-LEFT
    OVERRIDE"), or None when there is none. A user name (typed to sign in) allows no joiner at all."""
    for index, ch in enumerate(text):
        if joiners_between_letters and ch in _JOINERS and 0 < index < len(text) - 1 and text[index - 1].isalpha() and text[index + 1].isalpha():
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES or ch in _BLANK_LETTERS:
            return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')}"
    return None


def may_hide_characters(text: str) -> bool:
    """False when `text` surely holds no invisible character, found without a look at each character:
    every refused category is one that str.isprintable refuses too, and the blank letters are the only
    printable characters refused. For checking thousands of names at once."""
    return not text.isprintable() or not _BLANK_LETTERS.isdisjoint(text)


def check_name(text: str | None) -> None:
    """Raise ValidationFailed naming the first invisible character of a name."""
    found = invisible_character(text or "")
    if found is not None:
        raise ValidationFailed(INVISIBLE, character=found)
