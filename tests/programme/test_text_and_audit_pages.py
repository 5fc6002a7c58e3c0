"""Pages (AppTest): what people typed never reaches a Markdown element unescaped (names, account
names, notes' authors, titles); a refusal met on a page is in the audit log; the audit page shows
the chain's state to managers and administrators and exports an audited file; application logs carry
no personal data."""

from __future__ import annotations

import logging

import pytest

from incubator.core import audit, db
from incubator.core.errors import report_unexpected
from incubator.programme import notes
from tests.support.app import signed_in_app

IMAGE = "![](http://127.0.0.1:9/px.png)"
LINK = "[click](javascript:alert(1))"


def markdown_shown(at) -> list[str]:
    """Every string a run gave to an element that reads Markdown: bodies, captions, alerts, headers
    and the labels of expanders and widgets, in the page and in the sidebar."""
    found = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "subheader", "header", "title"):
        found += [element.value for element in at.get(kind)] + [element.value for element in at.sidebar.get(kind)]
    found += [element.label for element in at.get("expander")]
    return [str(f) for f in found]


@pytest.fixture
def marked_up(app_group, app_env):
    """The mentor's account name is a Markdown image, a participant's name a javascript: link, and a
    note and a milestone title carry both."""
    con = db.connect(app_env)
    try:
        cur = con.cursor()
        cur.execute("UPDATE users SET username = ? WHERE user_id = ?", [IMAGE, app_group["team"]["mentor"].user_id])
        cur.execute("UPDATE participants SET display_name = ? WHERE participant_id = ?", [LINK, app_group["amal"]])
        notes.add_note(cur, actor=app_group["team"]["manager"], participant_id=app_group["amal"],
                       body=f"{IMAGE} {LINK}")
    finally:
        con.close()
    return {**app_group, "db_path": app_env}


@pytest.mark.parametrize("who, page", [
    ("mentor", "app_pages/programme/notes.py"),
    ("manager", "app_pages/programme/matching.py"),
    ("mentor", "app_pages/programme/sessions.py"),
    ("mentor", "app_pages/people/participants.py"),
])
def test_typed_markup_never_reaches_markdown_unescaped(marked_up, who, page):
    at = signed_in_app(marked_up["team"][who].user_id, page=page).run()
    assert not at.exception, [e.message for e in at.exception]
    shown = markdown_shown(at)
    assert not [s for s in shown if "![](" in s or "](javascript" in s], shown


def _page_that_reaches_too_far():
    """A page script that asks the domain for a record the signed-in account may not see, the way
    every page calls the domain: inside ui.errors_shown(), the one place errors become messages."""
    import ui
    from incubator.programme import notes

    with ui.errors_shown():
        notes.notes_of(ui.cursor(), actor=ui.signed_in(), participant_id=ui.st.session_state["target"])


def test_a_refusal_met_on_a_page_is_audited(marked_up):
    from streamlit.testing.v1 import AppTest

    from tests.support.app import start_session

    other = marked_up["team"]["other_mentor"]
    at = AppTest.from_function(_page_that_reaches_too_far, default_timeout=60)
    at.session_state["ui.lang"] = "en"
    at.session_state["auth.session_token"] = start_session(other.user_id)
    at.session_state["target"] = marked_up["amal"]
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [e.value for e in at.error] == ["You are not allowed to do this."]
    con = db.connect(marked_up["db_path"])
    try:
        refused = con.execute("SELECT actor_user_id, action, subject FROM audit_log WHERE outcome = 'refused'").fetchall()
        assert refused == [(other.user_id, "note.view", f"participant:{marked_up['amal']}")]
        assert audit.verify(con.cursor()).intact
    finally:
        con.close()


def test_the_audit_page_shows_the_chain_and_exports_for_managers(marked_up):
    at = signed_in_app(marked_up["team"]["manager"].user_id, page="app_pages/core/audit_log.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(s.value.startswith("The audit log is intact:") for s in at.success)
    at.checkbox(key="audit.refused").check().run()
    at = at.button(key="audit.prepare").click().run()
    assert not at.exception, [e.message for e in at.exception]
    con = db.connect(marked_up["db_path"])
    try:
        assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'audit.export'").fetchone()[0] == 1
        con.execute("UPDATE audit_log SET action = 'plan.view' WHERE entry_id = 2")
    finally:
        con.close()
    at = signed_in_app(marked_up["team"]["admin"].user_id, page="app_pages/core/audit_log.py").run()
    assert [e.value for e in at.error] == ["Audit row 2 (position 2) was changed after it was written."]


def test_a_newcomer_cannot_open_the_audit_page(marked_up):
    at = signed_in_app(marked_up["team"]["newcomer"].user_id, page="app_pages/core/audit_log.py").run()
    assert "This page is not open to you" in "".join(h.value for h in at.get("html"))


def test_application_logs_carry_no_personal_data(marked_up, caplog):
    """A page run with a name and a note in view, a refused attempt and an unexpected error whose
    message quotes a name: the log (every logger, every level) names neither."""
    caplog.set_level(logging.DEBUG)
    at = signed_in_app(marked_up["team"]["manager"].user_id, page="app_pages/programme/notes.py").run()
    at.selectbox(key="notes.participant").set_value(marked_up["amal"]).run()
    signed_in_app(marked_up["team"]["newcomer"].user_id, page="app_pages/core/audit_log.py").run()
    try:
        raise RuntimeError(f"Constraint Error: duplicate key {LINK} Amal Haddad")
    except RuntimeError as exc:
        report_unexpected(exc, logging.getLogger("versnelling"))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "unexpected error E-" in logged
    for personal in (LINK, IMAGE, "Amal", "Sara B", "Yonas"):
        assert personal not in logged
