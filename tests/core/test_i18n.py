"""Languages: every message the code shows has a translation in nl, en and ar; formatting per locale."""

import datetime as dt

from incubator.core import i18n
from incubator.core.messages_in_code import messages_in, missing_translations, used_messages
from tests.support.app import ROOT


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
    assert i18n.language_from_locale("ti-ER") == i18n.DEFAULT_LANGUAGE
    assert i18n.language_from_locale(None) == i18n.DEFAULT_LANGUAGE
    assert i18n.is_rtl("ar") and not i18n.is_rtl("nl")


def test_money_numbers_and_dates_follow_the_locale():
    assert i18n.format_eur(8000, "nl") == "€ 8.000"
    assert i18n.format_eur(8000, "en") == "€ 8.000"
    assert "8,000" in i18n.format_eur(8000, "ar") or "٨" in i18n.format_eur(8000, "ar")
    assert i18n.format_number(1234567, "nl") == "1.234.567"
    assert i18n.format_date(dt.date(2026, 11, 28), "nl") == "28 nov 2026"
    assert i18n.format_date(dt.date(2026, 11, 28), "en") == "28 Nov 2026"


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
