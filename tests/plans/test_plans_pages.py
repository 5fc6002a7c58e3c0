"""Page tests (AppTest) of the business plan, forecast, funding and take-home pages: a mentor starts
the plan of the chosen venture and fills the canvas, a newcomer reads it in Dutch and Arabic, bad
input is refused with a translated message that names the field, an editor working on an older
version is stopped, and a plan whose venture was set aside is read-only."""

from __future__ import annotations

import pytest

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN, COMMAND_LINE_MANAGER
from incubator.people import participants, snapshots
from incubator.plans import business_plan as bp
from incubator.suggestions import choices
from tests.support.app import TEST_PASSWORD, signed_in_app
from tests.support.scoring import profile, quick_model, with_market

PLAN, FORECAST = "app_pages/plans/business_plan.py", "app_pages/plans/forecast.py"
FUNDING, TAKE_HOME = "app_pages/plans/funding.py", "app_pages/plans/take_home.py"


@pytest.fixture
def app_plan(app_env):
    """Accounts of each role; the newcomer's participant (mentored by the mentor, a tailor) has chosen
    made-to-measure tailoring; no plan yet. The database is closed again so the app can open it."""
    con = db.connect(app_env)
    cur = with_market(con.cursor())
    ids = {role: users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=f"app-{role}", password=TEST_PASSWORD, role=role)
           for role in ("admin", "manager", "mentor", "newcomer")}
    mentor = users.get_actor(cur, ids["mentor"])
    record = participants.create_participant(cur, actor=mentor, display_name="Amal")
    # Only a manager binds a newcomer's account to a record (issue 9).
    participants.link_owner(cur, actor=COMMAND_LINE_MANAGER, participant_id=record.participant_id,
                            owner_user_id=ids["newcomer"])
    snapshots.save_profile(cur, actor=mentor, profile=profile(id=record.participant_id, display_name="Amal"))
    choices.choose_venture(cur, actor=mentor, participant_id=record.participant_id, venture_id="cr_tailoring",
                           model=quick_model())
    con.close()
    return {"participant_id": record.participant_id, "db": app_env, **ids}


def versions(db_path) -> int:
    con = db.connect(db_path)
    try:
        return con.execute("SELECT count(*) FROM plan_versions").fetchone()[0]
    finally:
        con.close()


def started(app_plan) -> int:
    """Start the plan in the database (as the mentor) and return its id."""
    con = db.connect(app_plan["db"])
    try:
        cur = con.cursor()
        return bp.start_plan(cur, actor=users.get_actor(cur, app_plan["mentor"]),
                             participant_id=app_plan["participant_id"]).plan_id
    finally:
        con.close()


def no_exception(at) -> None:
    assert not at.exception, [e.message for e in at.exception]


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_a_mentor_starts_the_plan_fills_the_canvas_and_comments(app_plan):
    at = signed_in_app(app_plan["mentor"], page=PLAN).run()
    no_exception(at)
    # Venture and idea names are escaped in the Markdown source (ui.typed): they read as typed.
    assert "Chosen for the business plan: \u2068Made\\-to\\-measure tailoring\u2069" in [i.value for i in at.info]
    button(at, "Start the business plan for the chosen venture").click().run()
    no_exception(at)
    assert versions(app_plan["db"]) == 1
    assert any(h.value == "Made\\-to\\-measure tailoring" for h in at.subheader)
    plan_id = int(next(t.key for t in at.text_area if t.key.endswith(".canvas.problem")).split(".")[1])
    at.text_area(key=f"plan.{plan_id}.canvas.problem").input("No tailor **nearby**")
    button(at, "Save the canvas").click().run()
    no_exception(at)
    assert "Saved as version 2." in [s.value for s in at.success] and versions(app_plan["db"]) == 2

    at.text_area(key=f"plan.{plan_id}.comment_body").input("Which **street**? <b>ask</b>")
    button(at, "Add the comment").click().run()
    no_exception(at)
    assert "The comment was added." in [s.value for s in at.success]
    assert "Which **street**? <b>ask</b>" in [t.value for t in at.text]  # shown as text, not Markdown or HTML


@pytest.mark.parametrize(("lang", "title"), [("nl", "Ondernemingsplan"), ("ar", "خطة العمل")])
def test_the_newcomer_reads_and_edits_their_own_plan_in_their_language(app_plan, lang, title):
    plan_id = started(app_plan)
    for page in (PLAN, FORECAST, FUNDING, TAKE_HOME):
        at = signed_in_app(app_plan["newcomer"], lang=lang, page=page).run()
        no_exception(at)
    at = signed_in_app(app_plan["newcomer"], lang=lang, page=PLAN).run()
    assert any(title in h.value for h in at.get("html"))
    assert not at.text_area(key=f"plan.{plan_id}.canvas.problem").disabled


def test_the_forecast_page_shows_the_charts_and_refuses_zero_sales_naming_the_field(app_plan):
    plan_id = started(app_plan)
    at = signed_in_app(app_plan["mentor"], lang="nl", page=FORECAST).run()
    no_exception(at)
    assert len(at.get("plotly_chart")) == 2
    assert any(m.label == "Break-evenmaand" for m in at.metric)
    assert any("suggestie: controleer dit" in n.label for n in at.number_input)
    at.number_input(key=f"plan.{plan_id}.money.volume").set_value(0)
    button(at, "Opslaan en berekenen").click().run()
    no_exception(at)
    assert [e.value for e in at.error] == [
        "Verkopen in een gemiddelde maand: minstens één verkoop per maand, anders verdient het bedrijf niets."]
    assert versions(app_plan["db"]) == 1

    at.number_input(key=f"plan.{plan_id}.money.volume").set_value(25)
    button(at, "Opslaan en berekenen").click().run()
    no_exception(at)
    assert versions(app_plan["db"]) == 2 and len(at.success) == 1
    assert not any("suggestie" in n.label for n in at.number_input if n.key.endswith(".volume"))


def test_an_editor_on_an_older_version_is_stopped_and_can_load_the_latest(app_plan):
    plan_id = started(app_plan)
    mentor = signed_in_app(app_plan["mentor"], page=PLAN).run()
    newcomer = signed_in_app(app_plan["newcomer"], page=PLAN).run()
    newcomer.text_area(key=f"plan.{plan_id}.canvas.problem").input("the newcomer's words")
    button(newcomer, "Save the canvas").click().run()
    mentor.text_area(key=f"plan.{plan_id}.canvas.problem").input("the mentor's words")
    button(mentor, "Save the canvas").click().run()
    no_exception(mentor)
    assert any(e.value.startswith("Someone else saved this plan (version 2) while you were working on version 1.")
               for e in mentor.error)
    assert versions(app_plan["db"]) == 2
    button(mentor, "Load the latest version").click().run()
    assert mentor.text_area(key=f"plan.{plan_id}.canvas.problem").value == "the newcomer's words"


def test_a_plan_whose_venture_was_set_aside_is_read_only_on_the_page(app_plan):
    plan_id = started(app_plan)
    con = db.connect(app_plan["db"])
    cur = con.cursor()
    choices.set_aside(cur, actor=users.get_actor(cur, app_plan["mentor"]), participant_id=app_plan["participant_id"],
                      venture_id="cr_tailoring", note="No workshop in her street")
    con.close()
    at = signed_in_app(app_plan["newcomer"], page=PLAN).run()
    no_exception(at)
    assert any("which was set aside on" in w.value for w in at.warning)
    assert at.text_area(key=f"plan.{plan_id}.canvas.problem").disabled


def test_the_funding_and_take_home_pages_show_routes_checklists_and_downloads(app_plan):
    started(app_plan)
    at = signed_in_app(app_plan["mentor"], page=FUNDING).run()
    no_exception(at)
    assert {"Bbz business capital loan", "Qredits microcredit"} <= {h.value for h in at.subheader}
    assert any((c.key or "").endswith(".bbz.business_plan") for c in at.checkbox)
    at = signed_in_app(app_plan["mentor"], page=TAKE_HOME).run()
    no_exception(at)
    assert at.selectbox(key="plan.take_home.second").value == "ar"  # the tailor speaks Arabic
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Download the business plan", "Download the profile summary"]
