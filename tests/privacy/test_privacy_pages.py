"""The privacy pages (AppTest): the newcomer reads the notice in Dutch and Arabic, says yes and stops
again on their own screen, and prepares their download; a manager records a consent, corrects a name
and erases a participant with the typed confirmation, after which the file holds nothing of them."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from incubator.core import db
from incubator.core.i18n import translate
from incubator.people import consent
from tests.support.app import signed_in_app

MINE = "app_pages/privacy/my_privacy.py"
REQUESTS = "app_pages/privacy/privacy_requests.py"


def no_exception(at):
    assert not at.exception, [e.message for e in at.exception]
    return at


def read(path, sql, params=()):
    con = db.connect(path)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def shown(at) -> str:
    """The page's text as a reader sees it (Markdown's escapes taken off)."""
    parts = (*at.markdown, *at.caption, *at.subheader, *at.success, *at.error, *at.warning)
    return " ".join(m.value for m in parts).replace("\\", "")


def test_the_newcomer_reads_the_notice_in_dutch_and_says_yes_then_stops(app_group, app_env):
    newcomer, pid = app_group["team"]["newcomer"], app_group["own"]
    at = no_exception(signed_in_app(newcomer.user_id, lang="nl", page=MINE).run())
    text = shown(at)
    assert translate(consent.NOTICE[0], "nl") in text and "Zo gebruiken we je gegevens." in text
    assert "We vragen nooit naar je nationaliteit" in text and consent.NOTICE_VERSION in text
    at.button(key="privacy.give.research").click().run()
    no_exception(at)
    assert "Dank je. Je antwoord is opgeslagen." in shown(at)
    assert read(app_env, "SELECT given_method, notice_version, withdrawn_at FROM consents WHERE participant_id = ?"
                " AND purpose = 'research'", [pid]) == [("in_app", consent.NOTICE_VERSION, None)]
    at.button(key="privacy.withdraw.research").click().run()
    no_exception(at)
    assert read(app_env, "SELECT count(withdrawn_at) FROM consents WHERE participant_id = ?", [pid]) == [(1,)]
    at.button(key="privacy.mine.prepare").click().run()
    no_exception(at)
    downloads = at.get("download_button")
    assert len(downloads) == 2
    assert read(app_env, "SELECT count(*) FROM audit_log WHERE action = 'participant.export_personal_data'") == [(1,)]


def test_the_notice_and_the_download_in_arabic(app_group, app_env):
    newcomer, pid = app_group["team"]["newcomer"], app_group["own"]
    at = no_exception(signed_in_app(newcomer.user_id, lang="ar", page=MINE).run())
    assert "هكذا نستخدم معلوماتك." in shown(at) and "نعم، أوافق" in [b.label for b in at.button]
    at.button(key="privacy.mine.prepare").click().run()
    as_json, as_excel = at.session_state[f"privacy.mine.{pid}"]
    assert json.loads(as_json)["participant_id"] == pid
    assert load_workbook(io.BytesIO(as_excel)).sheetnames[0] == "عن هذا الملف"


def test_a_manager_records_consent_corrects_a_name_and_erases_with_the_typed_number(app_group, app_env):
    manager, pid = app_group["team"]["manager"], app_group["amal"]
    at = no_exception(signed_in_app(manager.user_id, lang="nl", page=REQUESTS).run())
    at.selectbox(key="privacy.requests.participant").set_value(pid).run()
    at.selectbox(key="privacy.requests.purpose").set_value("municipality")
    at.radio(key="privacy.requests.method").set_value("signed_form")
    at.button[[b.label for b in at.button].index("Antwoord vastleggen")].click().run()
    no_exception(at)
    assert read(app_env, "SELECT purpose, given_method FROM consents WHERE participant_id = ?", [pid]) == [
        ("municipality", "signed_form")]
    at.selectbox(key="privacy.requests.field").set_value("display_name")
    at.text_input(key="privacy.requests.value").input("Amal Haddad-Nour")
    at.button[[b.label for b in at.button].index("Verbetering opslaan")].click().run()
    no_exception(at)
    assert read(app_env, "SELECT display_name FROM participants WHERE participant_id = ?", [pid]) == [("Amal Haddad-Nour",)]

    at.text_input(key="privacy.requests.typed").input("P-999999")
    at.button[[b.label for b in at.button].index("Wissen")].click().run()
    no_exception(at)
    assert f"Typ het deelnemersnummer {pid} om het wissen te bevestigen." in shown(at)
    assert read(app_env, "SELECT count(*) FROM participants WHERE participant_id = ?", [pid]) == [(1,)]
    at.text_input(key="privacy.requests.typed").input(pid)
    at.button[[b.label for b in at.button].index("Wissen")].click().run()
    no_exception(at)
    assert f"{pid} is gewist." in shown(at)
    assert read(app_env, "SELECT count(*) FROM participants WHERE participant_id = ?", [pid]) == [(0,)]
    assert b"Amal Haddad" not in app_env.read_bytes()  # the page rewrote the file under the app's connection
    assert read(app_env, "SELECT count(*) FROM participants") == [(2,)]
