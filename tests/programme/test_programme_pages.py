"""Page tests (AppTest) of the programme pages: each opens for the roles that may use it, in Dutch and
Arabic, and its main action works through the page (the domain does the checks)."""

from __future__ import annotations

import datetime as dt

import pytest

from incubator.core import db
from incubator.programme import milestones as ms
from tests.programme.conftest import set_intake
from tests.support.app import signed_in_app
from ui.navigation import PAGES

PROGRAMME_PAGES = [e for e in PAGES if e.path.startswith("app_pages/programme/")]


def no_exception(at):
    assert not at.exception, [e.message for e in at.exception]
    return at


def read(app_group, sql, params=()):
    con = db.connect(app_group["db_path"])
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture
def app_group(app_group, app_env):
    """The template's cohort with the milestones of every member given. Pages judge against the real
    today, so the cohort started 60 days before it (and its members joined a week before that)."""
    con = db.connect(app_env)
    try:
        start = dt.date.today() - dt.timedelta(days=60)
        con.execute("UPDATE cohorts SET start_on = ?", [start])
        set_intake(con.cursor(), app_group["ids"], start - dt.timedelta(days=7))
        for pid in app_group["ids"]:
            ms.instantiate(con.cursor(), actor=app_group["team"]["mentor"], participant_id=pid)
    finally:
        con.close()
    return {**app_group, "db_path": app_env}


@pytest.mark.parametrize("entry", PROGRAMME_PAGES, ids=lambda e: e.path.rsplit("/", 1)[-1])
def test_every_programme_page_opens_for_each_role_that_may_use_it(app_group, entry):
    for role in entry.roles:
        lang = "ar" if role in ("mentor", "stakeholder") else "nl"
        no_exception(signed_in_app(app_group["team"][role].user_id, lang=lang, page=entry.path).run())


def test_the_workshop_view_hides_names_and_saves_check_ins_in_one_go(app_group):
    mentor = app_group["team"]["mentor"]
    at = no_exception(signed_in_app(mentor.user_id, page="app_pages/programme/workshop.py").run())
    assert "Amal Haddad" in "".join(h.value for h in at.get("html"))
    at.radio(key="workshop.names").set_value("initials").run()
    html = "".join(h.value for h in at.get("html"))
    assert "A. H." in html and "Amal Haddad" not in html
    key = f"workshop.checkins.{app_group['cohort_id']}.0"
    at.session_state[key] = {"edited_rows": {0: {"done": True}, 1: {"done": True}}, "added_rows": [], "deleted_rows": []}
    no_exception(at.button(key="workshop.save").click().run())
    assert [s.value for s in at.success] == ["Saved 2 check-ins."]
    done = read(app_group, "SELECT participant_id FROM milestones WHERE status = 'done' ORDER BY participant_id")
    assert [p for p, in done] == app_group["ids"][:2]


def test_the_milestones_page_saves_an_allowed_change_and_a_newcomer_sees_their_own(app_group):
    mentor, newcomer = app_group["team"]["mentor"], app_group["team"]["newcomer"]
    [first] = read(app_group, "SELECT milestone_id FROM milestones WHERE participant_id = ? ORDER BY due_on LIMIT 1",
                   [app_group["own"]])
    at = no_exception(signed_in_app(mentor.user_id, page="app_pages/programme/milestones.py").run())
    at.selectbox(key=f"milestones.status.{first[0]}").set_value("in_progress")
    form_button = next(b for b in at.get("button") if getattr(b, "form_id", "") == f"milestones.form.{first[0]}.1")
    no_exception(form_button.click().run())
    assert read(app_group, "SELECT status, version FROM milestones WHERE milestone_id = ?", first) == [("in_progress", 2)]
    own = no_exception(signed_in_app(newcomer.user_id, lang="ar", page="app_pages/programme/milestones.py").run())
    assert len(own.expander) == len(read(app_group, "SELECT 1 FROM milestones WHERE participant_id = ?",
                                         [app_group["own"]]))  # their own milestones only


def test_a_manager_creates_a_cohort_on_its_page(app_group):
    at = no_exception(signed_in_app(app_group["team"]["manager"].user_id, page="app_pages/programme/cohorts.py").run())
    at.text_input(key="cohorts.name").input("Autumn 2027")
    at.text_input(key="cohorts.programme").input("Versnelling")
    no_exception(next(b for b in at.get("button") if getattr(b, "form_id", "") == "cohorts.create").click().run())
    assert read(app_group, "SELECT name FROM cohorts ORDER BY cohort_id") == [("Spring 2027",), ("Autumn 2027",)]


def test_a_mentor_logs_a_session_and_adds_a_note_and_a_manager_records_an_outcome(app_group):
    mentor, manager = app_group["team"]["mentor"], app_group["team"]["manager"]
    at = no_exception(signed_in_app(mentor.user_id, page="app_pages/programme/sessions.py").run())
    at.multiselect(key="sessions.topics").set_value(["money"])
    at.text_area(key="sessions.notes").input("Went over the costs")
    no_exception(next(b for b in at.get("button") if getattr(b, "form_id", "").startswith("sessions.log")).click().run())
    assert read(app_group, "SELECT topics, notes FROM mentoring_sessions") == [(["money"], "Went over the costs")]

    at = no_exception(signed_in_app(mentor.user_id, lang="ar", page="app_pages/programme/notes.py").run())
    at.text_area(key="notes.body").input("<script>x</script> **bold**")
    no_exception(next(b for b in at.get("button") if getattr(b, "form_id", "").startswith("notes.add")).click().run())
    assert read(app_group, "SELECT body, author_role FROM programme_notes") == [("<script>x</script> **bold**", "mentor")]
    assert "<script>x</script> **bold**" in [t.value for t in at.text]  # shown as typed, as text

    at = no_exception(signed_in_app(manager.user_id, page="app_pages/programme/outcomes.py").run())
    at.selectbox(key="outcomes.participant").set_value(app_group["amal"]).run()
    at.radio(key="outcomes.launched").set_value(False)
    no_exception(next(b for b in at.get("button") if getattr(b, "form_id", "").startswith("outcomes.record")).click().run())
    assert read(app_group, "SELECT participant_id, launched FROM programme_outcomes") == [(app_group["amal"], False)]
