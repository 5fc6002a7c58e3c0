"""The read-aloud button: a frame of ours (static/read_aloud.html, served by Streamlit's static file
serving) that speaks a text with the browser's own speech synthesis. The text, its language and the
button's translated words travel in the address's fragment, which the browser never sends to a server;
the frame's script is a file, so the Content-Security-Policy needs no exception for it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import streamlit as st

from incubator.core import i18n

FRAME_PATH = "/app/static/read_aloud.html"
# The BCP-47 tag each interface language is spoken in (the utterance's `lang`, which picks the voice).
SPEECH_TAGS = {"nl": "nl-NL", "en": "en-GB", "ar": "ar", "ti": "ti-ER", "fa_AF": "fa-AF", "fa": "fa-IR",
               "uk": "uk-UA", "tr": "tr-TR"}
READ_ALOUD = i18n.N_("Read aloud")
NO_VOICE = i18n.N_("This device has no voice for this language. Ask someone to read it with you.")
# One line: the button. The frame grows itself when it has to say that there is no voice.
FRAME_HEIGHT = 44
_SENTENCE_END = (".", "!", "?", "؟", "።", "…", ":")


def frame_address(spoken: str, lang: str, translate: Callable[[str], str]) -> str:
    """The frame's address for speaking `spoken` (plain text, already translated) in `lang`."""
    values = {"lang": SPEECH_TAGS[lang], "dir": "rtl" if i18n.is_rtl(lang) else "ltr",
              "label": translate(READ_ALOUD), "none": translate(NO_VOICE), "text": spoken}
    return FRAME_PATH + "#" + "&".join(f"{name}={quote(value, safe='')}" for name, value in values.items())


def sentences(*parts: str) -> str:
    """Parts of a text read as sentences, each ended with a full stop where it has none, so that the
    voice pauses between a title and what follows."""
    cleaned = [part.strip() for part in parts if part and part.strip()]
    return " ".join(part if part.endswith(_SENTENCE_END) else f"{part}." for part in cleaned)


def read_aloud_button(spoken: str, lang: str, translate: Callable[[str], str]) -> None:
    """The button that reads `spoken` aloud, where the page puts it."""
    st.iframe(frame_address(spoken, lang, translate), height=FRAME_HEIGHT,
              alt=f"{translate(READ_ALOUD)}: {spoken[:80]}")
