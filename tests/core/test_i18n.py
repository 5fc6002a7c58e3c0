"""Languages: every message the code shows has a translation in nl, en and ar, with every plural form;
every translation keeps the placeholders of its msgid; formatting per locale."""

import datetime as dt

import pytest

from incubator.core import i18n
from incubator.core.errors import DomainError
from incubator.core.messages_in_code import (
    messages_in,
    missing_translations,
    placeholder_problems,
    plural_form_problems,
    plural_messages_in,
    used_messages,
    used_plural_messages,
)
from tests.support.app import ROOT

PO_FILES = sorted(i18n.LOCALES_DIR.glob("*/LC_MESSAGES/*.po"))
PROBLEMS = i18n.N_plural("{count} problem", "{count} problems")


def test_every_used_message_is_translated_in_every_language():
    missing = missing_translations(ROOT)
    assert missing == {lang: {} for lang in i18n.LANGUAGES}


def test_the_scan_finds_messages_in_pages_and_domain():
    used = used_messages(ROOT)
    assert "Sign in" in used
    assert "The user name or password is not correct." in used  # an N_ marker in the domain


def test_scan_sees_implicitly_joined_literals(tmp_path):
    source = tmp_path / "page.py"
    source.write_text('ui.t("first half, "\n     "second half")\nN_("marked")\nt(variable)\n')
    assert [m for m, _ in messages_in(source)] == ["first half, second half", "marked"]


def test_arabic_and_dutch_catalogues_translate():
    assert i18n.translate("Sign in", "nl") == "Inloggen"
    assert i18n.translate("Sign in", "ar") == "تسجيل الدخول"
    assert i18n.translate("Account {username} was created.", "ar", username="amal") == "تم إنشاء الحساب amal."


def test_language_from_browser_locale():
    assert i18n.language_from_locale("ar-SA") == "ar"
    assert i18n.language_from_locale("en_GB") == "en"
    assert i18n.language_from_locale("ti-ER") == "ti"
    assert [i18n.language_from_locale(tag) for tag in ("fa-AF", "prs", "fa-Arab-AF", "fa-IR", "fa")] == [
        "fa_AF", "fa_AF", "fa_AF", "fa", "fa"]  # Dari by any of its tags, Farsi otherwise
    assert [i18n.language_from_locale(tag) for tag in ("uk-UA", "tr", "de-DE", "so")] == ["uk", "tr", "nl", "nl"]
    assert i18n.language_from_locale(None) == i18n.DEFAULT_LANGUAGE
    assert [lang for lang in i18n.LANGUAGES if i18n.is_rtl(lang)] == ["ar", "fa_AF", "fa"]


def test_every_language_formats_money_numbers_and_dates_with_its_own_locale():
    day = dt.date(2026, 12, 2)
    assert i18n.format_number(1234567, "uk") == "1\u00a0234\u00a0567"
    assert i18n.format_number(1234567, "tr") == "1.234.567"
    assert i18n.format_date(day, "ti") == "ታሕ 2, 2026"
    assert i18n.format_date(day, "fa") == "2 دسامبر 2026"
    assert i18n.format_date(day, "fa_AF") == "2 دسم 2026"
    assert i18n.format_date(day, "uk") == "2 груд. 2026\u202fр."
    assert i18n.format_share(0.42, "tr") == "%42"


def test_money_numbers_and_dates_follow_the_locale():
    assert i18n.format_eur(8000, "nl") == "€ 8.000"
    assert i18n.format_eur(8000, "en") == "€ 8.000"
    assert i18n.format_eur(8000, "ar") == "8,000 €"
    assert i18n.format_number(1234567, "nl") == "1.234.567"
    assert i18n.format_date(dt.date(2026, 11, 28), "nl") == "28 nov 2026"
    assert i18n.format_date(dt.date(2026, 11, 28), "en") == "28 Nov 2026"


# --- plural forms ------------------------------------------------------------------------------------

def test_every_plural_message_has_every_form_of_its_language():
    assert [problem for lang in i18n.LANGUAGES for problem in plural_form_problems(lang)] == []
    assert {lang: i18n.translations(lang).plural(2) for lang in i18n.LANGUAGES} == {
        "nl": 1, "en": 1, "ar": 2, "ti": 1, "fa_AF": 1, "fa": 1, "uk": 1, "tr": 1}
    assert {lang: i18n.translations(lang).plural(5) for lang in ("uk", "ti", "tr")} == {"uk": 2, "ti": 1, "tr": 1}
    forms = {lang: len(i18n.plural_catalogue(lang)["{count} problem"]) for lang in i18n.LANGUAGES}
    assert forms == {"nl": 2, "en": 2, "ar": 6, "ti": 2, "fa_AF": 2, "fa": 2, "uk": 3, "tr": 2}


def test_a_draft_nobody_reviewed_is_shown_plural_forms_included():
    # Every message of the five newest languages is a machine draft (gettext's fuzzy flag): better
    # than English for a newcomer, so it is shown; Babel's compiled catalogue would drop it by default.
    for lang in ("ti", "fa_AF", "fa", "uk", "tr"):
        assert i18n.translate_plural("{count} problem", "{count} problems", 5, lang, count=5) != "5 problems", lang
        assert i18n.translate("Sign in", lang) != "Sign in", lang


def test_the_scan_finds_plural_messages_and_a_missing_one_is_reported(tmp_path):
    used = used_plural_messages(ROOT)
    assert ("Import {count} profile", "Import {count} profiles") in used  # ui.tn on a page
    assert ("{count} problem", "{count} problems") in used  # N_plural in the domain
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "page.py").write_text('ui.tn("{count} apple", "{count} apples", n)\nN_plural("a {n}", "b {n}", number="n")\n')
    assert [m for m, _ in plural_messages_in(tmp_path / "ui" / "page.py")] == [("{count} apple", "{count} apples"), ("a {n}", "b {n}")]
    assert set(missing_translations(tmp_path)["ar"]) == {"{count} apple", "a {n}"}


@pytest.mark.parametrize(("n", "expected"), [
    (0, "لا مشكلات"), (1, "مشكلة واحدة"), (2, "مشكلتان"), (3, "3 مشكلات"), (10, "10 مشكلات"), (11, "11 مشكلة"),
    (99, "99 مشكلة"), (100, "100 مشكلة"), (103, "103 مشكلات"),
])
def test_arabic_has_six_plural_forms(n, expected):
    assert i18n.translate_plural("{count} problem", "{count} problems", n, "ar", count=n) == expected


def test_dutch_and_english_have_two_and_unknown_messages_fall_back_to_english():
    assert [i18n.translate(PROBLEMS, "nl", count=n) for n in (0, 1, 2)] == ["0 problemen", "1 probleem", "2 problemen"]
    assert [i18n.translate(PROBLEMS, "en", count=n) for n in (0, 1, 2)] == ["0 problems", "1 problem", "2 problems"]
    assert i18n.translate_plural("{count} pear", "{count} pears", 1, "ar", count=1) == "1 pear"
    assert i18n.translate_plural("{count} pear", "{count} pears", 5, "ti", count=5) == "5 pears"


def test_a_domain_error_with_a_plural_key_and_counted_parts():
    refused = DomainError(i18n.N_("The file was rejected: {problems} in {rows}. Nothing was saved."),
                          problems=i18n.Counted(PROBLEMS, 3), rows=i18n.Counted(i18n.N_plural("{count} row", "{count} rows"), 1))
    assert refused.english() == "The file was rejected: 3 problems in 1 row. Nothing was saved."
    assert i18n.translate(refused.message_key, "ar", **refused.params) == "تم رفض الملف: 3 مشكلات في صف واحد. لم يُحفظ أي شيء."
    assert i18n.translate(refused.message_key, "nl", **refused.params) == (
        "Het bestand is geweigerd: 3 problemen in 1 rij. Er is niets opgeslagen.")


# --- placeholders ------------------------------------------------------------------------------------

def test_every_translation_keeps_the_placeholders_of_its_msgid():
    assert {po.parent.parent.name for po in PO_FILES} == set(i18n.LANGUAGES)
    assert [problem for po in PO_FILES for problem in placeholder_problems(po)] == []


def test_the_placeholder_check_finds_lost_added_and_broken_placeholders(tmp_path):
    header = (i18n.LOCALES_DIR / "ar" / "LC_MESSAGES" / "core.po").read_text(encoding="utf-8").split("\n\n")[0]
    po = tmp_path / "ar" / "LC_MESSAGES" / "broken.po"
    po.parent.mkdir(parents=True)
    po.write_text(header + """

msgid "Hello {name}"
msgstr "مرحبا"

msgid "{count} of {total}"
msgstr "{count} من {all}"

msgid "Score {score:.0%}"
msgstr "النتيجة {score"

msgid "{count} file in {folder}"
msgid_plural "{count} files in {folder}"
msgstr[0] "{count} ملف"
msgstr[1] "ملف واحد في {folder}"
msgstr[2] "ملفان"
msgstr[3] "{count} ملفات في {folder}"
msgstr[4] "ملفًا في {folder}"
msgstr[5] "{count} ملف في {folder}"
""", encoding="utf-8")
    found = placeholder_problems(po)
    assert [p.split(": ", 2)[1] for p in found] == ["'Hello {name}'", "'{count} of {total}'", "'Score {score:.0%}'",
                                                     "'{count} file in {folder}'", "'{count} file in {folder}'",
                                                     "'{count} file in {folder}'"]
    # Form 1 (one only) may leave out the number; form 2 (two only) may not lose {folder} too; form
    # 4 (11 to 99) needs its number; form 0 (zero only) keeps the number but loses {folder}.
    assert [p.rsplit(": ", 1)[1].split(" has")[0] for p in found[3:]] == ["form 0", "form 2", "form 4"]


def test_a_message_key_as_parameter_is_translated_with_the_message():
    key = "{field}: an amount cannot be negative."
    assert i18n.translate(key, "nl", field=i18n.Msgid("Your own money")) == "Uw eigen geld: een bedrag kan niet negatief zijn."
    assert i18n.translate(key, "nl", field="Your own money") == "Your own money: een bedrag kan niet negatief zijn."


def test_amounts_in_cents_are_formatted_exactly():
    assert i18n.format_cents(128_383, "nl") == "€\xa01.283,83"  # a space that never breaks the line
    assert i18n.format_cents(-124_000, "nl") == "€\xa0-1.240,00"
    assert "1,283.83" in i18n.format_cents(128_383, "ar")
    assert i18n.format_cents(10**17 + 1, "nl").endswith(",01")  # no float rounding, however large


def test_an_amount_parameter_is_written_as_money_in_the_messages_language():
    key = "{field}: at most {limit}."
    assert i18n.translate(key, "nl", field="x", limit=i18n.Cents(3_905_700)) == "x: hoogstens €\xa039.057,00."
    assert "39,057.00" in i18n.translate(key, "ar", field="x", limit=i18n.Cents(3_905_700))
    assert key.format(field="x", limit=i18n.Cents(3_905_700)) == "x: at most €\xa039.057,00."
