"""The wizard for people who read little (AppTest): every question and every answer scale shows a
Material Symbols pictogram beside its words, and every question has a read-aloud button that speaks
the translated question in the language's own voice (the frame's address carries the BCP-47 tag)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from incubator.core import i18n
from incubator.people import inventory as inv
from incubator.people import wizard
from tests.people.test_people_pages import app_accounts, no_exception  # noqa: F401 - the fixture
from tests.support.app import signed_in_app

PAGE = "app_pages/people/inventory.py"


def read_aloud_frames(at) -> list[dict[str, str]]:
    """The read-aloud frames on the page, each as the values in its address's fragment."""
    frames = []
    for element in at.get("iframe"):
        address = urlsplit(element.proto.src)
        assert address.path == "/app/static/read_aloud.html" and not address.query  # nothing for a server
        frames.append({name: values[0] for name, values in parse_qs(address.fragment).items()})
    return frames


def labelled_widgets(at) -> list:
    return [*at.selectbox, *at.radio, *at.text_input, *at.number_input]


@pytest.mark.parametrize(("lang", "tag", "direction"), [("ti", "ti-ER", "ltr"), ("fa_AF", "fa-AF", "rtl")])
def test_every_step_shows_pictograms_and_reads_each_question_aloud(app_accounts, lang, tag, direction):  # noqa: F811
    at = no_exception(signed_in_app(app_accounts["newcomer"], lang=lang, page=PAGE).run())
    at.button(key="inventory.start").click().run()
    for index, step in enumerate(inv.STEPS[:-1]):
        at.session_state["inventory.step"] = index
        no_exception(at.run())
        questions = wizard.questions(step)
        top_level = {f"inventory.q.{q.key}" for q in questions if q.kind != "rows"}
        widgets = {w.key: w for w in labelled_widgets(at) if w.key in top_level}
        assert set(widgets) == top_level, step
        for question in questions:
            if question.kind == "rows":
                heading = f"**:material/{question.pictogram}: {i18n.translate(question.label, lang)}**"
                assert heading in [m.value for m in at.markdown], question.key
            else:
                label = widgets[f"inventory.q.{question.key}"].label
                assert label == f":material/{question.pictogram}: {i18n.translate(question.label, lang)}"
        for radio in at.radio:  # the scales and the yes/no questions: a pictogram on every point
            assert radio.options and all(":material/" in option for option in radio.options), radio.key
        frames = read_aloud_frames(at)
        assert [f["text"] for f in frames] == [i18n.translate(q.label, lang) for q in questions], step
        assert {(f["lang"], f["dir"], f["label"]) for f in frames} == {
            (tag, direction, i18n.translate("Read aloud", lang))}
        assert {f["none"] for f in frames} == {i18n.translate(
            "This device has no voice for this language. Ask someone to read it with you.", lang)}
