"""The read-aloud button beside each suggestion (AppTest): it speaks the suggestion as plain translated
text (its name, the chance and the reasons; no Markdown) in the language's voice."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.suggestions.test_suggestions_page import PAGE, app_programme, no_exception  # noqa: F401 - the fixture
from tests.support.app import signed_in_app


def spoken(at) -> list[dict[str, str]]:
    return [{k: v[0] for k, v in parse_qs(urlsplit(frame.proto.src).fragment).items()} for frame in at.get("iframe")]


@pytest.mark.parametrize(("lang", "tag"), [("en", "en-GB"), ("fa", "fa-IR")])
def test_each_suggestion_has_a_read_aloud_button_in_the_language(app_programme, lang, tag):  # noqa: F811
    at = signed_in_app(app_programme["newcomer"], lang=lang, page=PAGE).run()
    no_exception(at)
    headings = [h.value for h in at.subheader if h.value[:2] in {f"{n}." for n in range(1, 6)}]
    frames = spoken(at)
    assert len(headings) == 5 and len(frames) == 5
    for heading, frame in zip(headings, frames, strict=True):
        assert frame["lang"] == tag
        assert frame["text"].startswith(heading.replace("\\", ""))  # the name as text, not escaped Markdown
        assert ":material/" not in frame["text"] and "\\" not in frame["text"] and "\u2068" not in frame["text"]
    if lang == "en":
        assert all("Estimated chance: " in frame["text"] for frame in frames)
        assert all(frame["text"].count(". ") >= 2 for frame in frames)  # the reasons follow as sentences

