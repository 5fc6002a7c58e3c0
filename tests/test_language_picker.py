"""The language picker (AppTest): all eight languages, each by its own name, with the browser's
language chosen the first time (st.context.locale), and the page's direction following the choice."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from incubator.core import i18n
from tests.support.app import APP_PATH


@pytest.mark.parametrize(("locale", "lang"), [
    ("ti-ER", "ti"), ("fa-AF", "fa_AF"), ("prs", "fa_AF"), ("fa-IR", "fa"), ("uk-UA", "uk"), ("tr", "tr"),
    ("ar-SY", "ar"), ("en-GB", "en"), ("nl-NL", "nl"), ("de-DE", "nl"),
])
def test_the_browser_language_is_chosen_and_every_language_is_offered_by_its_own_name(app_env, locale, lang):
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.context = {"locale": locale}
    at.run()
    assert not at.exception
    picker = at.selectbox(key="ui.lang_picker")
    assert picker.value == lang
    assert picker.options == ["Nederlands", "English", "العربية", "ትግርኛ", "دری", "فارسی", "Українська", "Türkçe"]
    title = next(h for h in at.get("html") if 'class="page-title"' in h.proto.body)
    direction = "rtl" if lang in ("ar", "fa", "fa_AF") else "ltr"
    assert f'dir="{direction}" lang="{lang.replace("_", "-")}"' in title.proto.body


def test_choosing_dari_turns_the_page_right_to_left(app_env):
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.context = {"locale": "ti-ER"}
    at.run()
    assert not any("direction: rtl" in h.proto.body for h in at.get("html"))
    at.selectbox(key="ui.lang_picker").select("fa_AF").run()
    assert not at.exception
    assert at.session_state["ui.lang"] == "fa_AF" and i18n.is_rtl("fa_AF")
    assert any("direction: rtl" in h.proto.body for h in at.get("html"))
    assert any('dir="rtl" lang="fa-AF"' in h.proto.body for h in at.get("html"))
