"""Plain language: every message is written in short sentences, so that a newcomer with a little
schooling in any language (and each translation, which follows the English) can read it. The rule
is measured on the English source: no sentence of more than 25 words."""

import re

from incubator.core import i18n

MAX_WORDS = 25
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n+")


def sentences(message: str) -> list[str]:
    """The sentences of a message, with each {placeholder} counted as one word and Markdown marks dropped."""
    text = re.sub(r"\{[^}]*\}", "X", message)
    text = re.sub(r"[*_`#>]", "", text)
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def test_sentences_are_split_at_stops_colons_and_new_lines():
    assert sentences("One two. Three: four\n- five {count} six") == ["One two.", "Three:", "four", "- five X six"]
    assert [len(s.split()) for s in sentences("**Bold** words, {a} and {b}.")] == [5]


def test_no_sentence_of_the_english_source_is_longer_than_25_words():
    long = []
    for path, catalog in i18n.read_catalogues(i18n.SOURCE_LANGUAGE):
        for message in catalog:
            if not message.id:
                continue
            for text in message.id if message.pluralizable else (message.id,):
                long += [f"{path.name}: {len(s.split())} words: {s}" for s in sentences(text) if len(s.split()) > MAX_WORDS]
    assert long == []
