"""The take-home sheet as HTML: Dutch beside the participant's language with `lang` and `dir` on each
cell, A4 print rules with a page per part, everything a person typed escaped, and figures per
language. (Its rendering in Chromium is tests/browser/test_plans_browser.py.)"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from incubator.core.i18n import format_cents
from incubator.people.profile import Profile
from incubator.plans import business_plan as bp
from incubator.plans import sheet

TYPED = 'Klanten <script>alert("x")</script> & buren'


class Cells(HTMLParser):
    """The (lang, dir) of every cell of the two-column tables (not of the month table inside), and
    whether a script element appears."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str | None, str | None]] = []
        self.scripts = 0
        self.in_months = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.in_months |= tag == "table" and attributes.get("class") == "months"
        if tag == "td" and "colspan" not in attributes and not self.in_months:
            self.cells.append((attributes.get("lang"), attributes.get("dir")))
        self.scripts += tag == "script"

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_months = False


def test_the_plan_sheet_puts_dutch_and_arabic_side_by_side_and_escapes_what_was_typed(seeded, people, plan):
    bp.save_texts(seeded, actor=people["newcomer"], plan_id=plan.plan_id, base_version=1, canvas={"problem": TYPED})
    html = sheet.plan_sheet_html(seeded, actor=people["newcomer"], plan_id=plan.plan_id, second_lang="ar",
                                 today=dt.date(2026, 12, 1))
    parsed = Cells()
    parsed.feed(html)
    assert parsed.scripts == 0 and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; buren" in html
    assert set(parsed.cells) == {("nl", "ltr"), ("ar", "rtl")}
    assert parsed.cells[0::2] == [("nl", "ltr")] * (len(parsed.cells) // 2)  # Dutch always first in a row
    assert "@page { size: A4;" in html and html.count('class="part"') == 5 and "break-after: page" in html
    assert "Ondernemingsplan" in html and "خطة العمل" in html and "Maatkleermaker" in html
    assert format_cents(500_000, "nl") in html and format_cents(500_000, "ar") in html
    assert "Bijstandsnorm" in html or "bijstandsnorm" in html
    assert re.search(r"<svg[^>]+viewBox", html)


def test_the_second_column_is_the_participants_language():
    arabic_speaker = Profile.from_dict({"id": "P-000001", "languages": [{"code": "nl", "cefr": "A2"},
                                                                        {"code": "ar", "cefr": "C2"}]})
    assert sheet.second_language(arabic_speaker, "nl") == sheet.second_language(arabic_speaker, "en") == "ar"
    english_and_arabic = Profile.from_dict({"id": "P-000002", "languages": [{"code": "en", "cefr": "B1"},
                                                                            {"code": "ar", "cefr": "C2"}]})
    assert sheet.second_language(english_and_arabic, "en") == "ar"  # the language they know best
    assert sheet.second_language(None, "ar") == "ar" and sheet.second_language(None, "nl") == "en"


def test_the_profile_summary_sheet_is_bilingual_too(seeded, people, plan):
    html = sheet.profile_sheet_html(seeded, actor=people["mentor"], participant_id=plan.participant_id,
                                    second_lang="ar")
    parsed = Cells()
    parsed.feed(html)
    assert set(parsed.cells) == {("nl", "ltr"), ("ar", "rtl")}
    assert "Profieloverzicht" in html and "ملخص الملف الشخصي" in html
    assert "Arabisch" in html and "العربية" in html  # the language names in each column's language


def test_a_tigrinya_second_column_is_left_to_right_with_the_datas_tigrinya_labels(seeded, people, plan):
    """Any interface language can stand beside Dutch: the labels of the data come from the labels
    table in that language (English where it has none yet), the cells say lang="ti"."""
    seeded.execute("INSERT OR REPLACE INTO labels VALUES ('venture', 'cr_tailoring', 'ti', 'ሰፋዪ ክዳውንቲ ብዓቐን'),"
                   " ('licence', 'kvk_registration', 'ti', 'ምዝገባ ኣብ መዝገብ ንግዲ (KVK)'),"
                   " ('skill_group', 'S6.5.6', 'ti', 'ምስፋይ')")
    tigrinya_speaker = Profile.from_dict({"id": "P-000003", "languages": [{"code": "nl", "cefr": "A1"},
                                                                          {"code": "ti", "cefr": "C2"}]})
    assert sheet.second_language(tigrinya_speaker, "nl") == "ti"
    html = sheet.plan_sheet_html(seeded, actor=people["newcomer"], plan_id=plan.plan_id, second_lang="ti",
                                 today=dt.date(2026, 12, 1))
    parsed = Cells()
    parsed.feed(html)
    assert set(parsed.cells) == {("nl", "ltr"), ("ti", "ltr")}
    assert 'lang="ti" dir="ltr"><h1>' in html and "ሰፋዪ ክዳውንቲ ብዓቐን" in html and "Maatkleermaker" in html
    assert "ምዝገባ ኣብ መዝገብ ንግዲ (KVK)" in html  # the checklist names the licence in Tigrinya
    assert '"Noto Sans Ethiopic"' in html  # a font with Ge'ez glyphs where the machine has one
    profile_html = sheet.profile_sheet_html(seeded, actor=people["mentor"], participant_id=plan.participant_id,
                                            second_lang="ti")
    assert "ምስፋይ" in profile_html and "ዓረብኛ" in profile_html  # a skill group, and Arabic named in Tigrinya


def test_a_dari_second_column_is_right_to_left_and_prs_in_a_profile_means_dari(seeded, people, plan):
    seeded.execute("INSERT OR REPLACE INTO labels VALUES ('venture', 'cr_tailoring', 'fa_AF', 'خیاطی به اندازه')")
    for code, expected in (("prs", "fa_AF"), ("fa", "fa"), ("uk", "uk"), ("tr", "tr"), ("so", "en")):
        speaker = Profile.from_dict({"id": "P-000004", "languages": [{"code": code, "cefr": "C2"}]})
        assert sheet.second_language(speaker, "nl") == expected, code
    assert sheet.interface_language("fa-AF") == "fa_AF" and sheet.interface_language("xx") is None
    html = sheet.plan_sheet_html(seeded, actor=people["newcomer"], plan_id=plan.plan_id, second_lang="fa_AF",
                                 today=dt.date(2026, 12, 1))
    parsed = Cells()
    parsed.feed(html)
    assert set(parsed.cells) == {("nl", "ltr"), ("fa-AF", "rtl")}
    assert parsed.cells[0::2] == [("nl", "ltr")] * (len(parsed.cells) // 2)
    assert "خیاطی به اندازه" in html and '<span lang="fa-AF" dir="rtl">' in html  # the month table's headers
    assert format_cents(500_000, "fa_AF") in html
