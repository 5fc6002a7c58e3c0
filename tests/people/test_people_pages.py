"""The inventory pages with AppTest: a newcomer completes the wizard step by step (a draft at every
step, the dated snapshot at the end), a mentor fills it in for a new participant, the summary shows
the charts, and the participants page offers the template and the export."""

from __future__ import annotations

import pytest

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN, Actor
from incubator.people import participants, snapshots
from incubator.people.inventory import AMBITION_ITEMS, RIASEC_ITEMS, STEPS
from incubator.people.profile import Profile
from tests.support.app import TEST_PASSWORD, signed_in_app
from tests.support.databases import copy_database


@pytest.fixture
def app_accounts(app_env, market_template):
    """The market dataset and an account of each role in the app's database, closed again so that
    the app can open it."""
    con = db.connect(copy_database(market_template, app_env))
    ids = {
        role: users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username=f"app-{role}", password=TEST_PASSWORD, role=role)
        for role in ("admin", "manager", "mentor", "newcomer")
    }
    con.close()
    return ids


def no_exception(at):
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def step_of(at) -> str:
    return STEPS[at.session_state["inventory.step"]]


def next_step(at):
    at.button(key="inventory.next").click().run()
    return no_exception(at)


def fill_wizard(at, *, name: str) -> None:
    """Answer every step of the wizard as a person would."""
    assert step_of(at) == "about"
    at.text_input(key="inventory.q.display_name").input(name)
    at.selectbox(key="inventory.q.municipality").select_index(0)
    at.number_input(key="inventory.q.year_of_arrival").set_value(2019)
    next_step(at)
    assert step_of(at) == "languages"
    for skill, index in (("listening", 3), ("reading", 2), ("speaking", 2), ("writing", 1)):  # B1, A2, A2, A1
        at.selectbox(key=f"inventory.q.dutch.{skill}").select_index(index)
    at.selectbox(key="inventory.q.other_languages.0.code").select_index(0)
    at.selectbox(key="inventory.q.other_languages.0.cefr").select_index(5)  # C2
    next_step(at)
    assert step_of(at) == "work"
    at.selectbox(key="inventory.q.isced_level").select_index(3)
    at.selectbox(key="inventory.q.experience.0.esco_uri").select_index(0)
    at.number_input(key="inventory.q.experience.0.years").set_value(4.5)
    next_step(at)
    assert step_of(at) == "skills"
    at.selectbox(key="inventory.q.skills.0.esco_group").select_index(0)
    at.selectbox(key="inventory.q.skills.0.level").select_index(2)
    at.selectbox(key="inventory.q.skills.0.evidence").select_index(1)
    next_step(at)
    assert step_of(at) == "interests"
    for item in RIASEC_ITEMS:
        at.radio(key=f"inventory.q.{item.id}").set_value(5 if item.domain == "E" else 2)
    next_step(at)
    assert step_of(at) == "ambition"
    for item in AMBITION_ITEMS:
        at.radio(key=f"inventory.q.{item.id}").set_value(4)
    next_step(at)
    assert step_of(at) == "situation"
    at.number_input(key="inventory.q.capital_eur").set_value(2500)
    at.radio(key="inventory.q.home_based_only").set_value(False)
    at.radio(key="inventory.q.childcare").set_value(True)
    at.selectbox(key="inventory.q.benefit_status").select_index(0)  # social assistance
    next_step(at)
    assert step_of(at) == "wellbeing"
    at.radio(key="inventory.q.domain.housing").set_value(4)
    at.radio(key="inventory.q.domain.work").set_value(2)
    at.selectbox(key="inventory.q.ladder_rung").select_index(2)  # rung 3
    next_step(at)
    assert step_of(at) == "review"


def saved_profile(app_env, participant_id: str):
    con = db.connect(app_env)
    try:
        manager = Actor(0, "manager", "test")
        inventory = snapshots.load_inventory(con.cursor(), actor=manager, participant_id=participant_id,
                                                include_draft=False)
        versions = con.execute("SELECT version, draft FROM profile_snapshots WHERE participant_id = ?"
                               " ORDER BY version", [participant_id]).fetchall()
        return inventory, versions
    finally:
        con.close()


def test_newcomer_completes_the_wizard_and_saves_a_dated_snapshot(app_accounts, app_env):
    at = no_exception(signed_in_app(app_accounts["newcomer"], page="app_pages/people/inventory.py").run())
    at.button(key="inventory.start").click().run()
    fill_wizard(no_exception(at), name="سارة")
    assert any("سارة" in md.value for md in at.markdown)  # the review lists the answers
    at.button(key="inventory.save").click().run()
    no_exception(at)
    assert [s.value for s in at.success] == ["Saved as version 1."]

    inventory, versions = saved_profile(app_env, "P-000001")
    assert versions == [(1, False)]
    profile, details = inventory.profile, inventory.details
    assert profile.display_name == "سارة" and profile.municipality is not None
    assert profile.cefr("nl") == "A2" and len(profile.languages) == 2
    assert profile.experience[0].years == 4.5 and profile.experience[0].isco
    assert len(profile.skills) == 1 and profile.skills[0].level == 3
    assert profile.interests["E"] == 100 and profile.interests["R"] == 25 and profile.ambition == 75
    assert (profile.capital_eur, profile.on_benefit, profile.ladder_rung) == (2500, True, 3)
    assert details.year_of_arrival == 2019 and details.childcare is True
    assert details.life_domains == {"housing": 4, "work": 2}
    assert set(details.steps_done) == set(STEPS)


def test_back_keeps_the_answers_as_a_draft(app_accounts, app_env):
    at = no_exception(signed_in_app(app_accounts["newcomer"], lang="nl", page="app_pages/people/inventory.py").run())
    at.button(key="inventory.start").click().run()
    at.text_input(key="inventory.q.display_name").input("Amal")
    next_step(at)
    at.button(key="inventory.back").click().run()
    no_exception(at)
    assert step_of(at) == "about" and at.text_input(key="inventory.q.display_name").value == "Amal"
    _, versions = saved_profile(app_env, "P-000001")
    assert versions == [(1, True)]  # a draft, not yet a snapshot
    # Coming back later continues where the person stopped.
    again = no_exception(signed_in_app(app_accounts["newcomer"], page="app_pages/people/inventory.py").run())
    assert step_of(again) == "languages"


def test_a_wrong_answer_shows_a_translated_message_and_stays_on_the_step(app_accounts):
    at = no_exception(signed_in_app(app_accounts["newcomer"], lang="ar", page="app_pages/people/inventory.py").run())
    at.button(key="inventory.start").click().run()
    next_step(at)
    assert step_of(at) == "languages"
    at.selectbox(key="inventory.q.other_languages.0.code").select_index(0)
    at.selectbox(key="inventory.q.other_languages.1.code").select_index(0)
    at.button(key="inventory.next").click().run()
    assert not at.exception
    assert step_of(at) == "languages"
    assert len(at.error) == 1 and "أكثر من مرة" in at.error[0].value


def test_mentor_fills_in_the_inventory_for_a_new_participant(app_accounts, app_env):
    at = no_exception(signed_in_app(app_accounts["mentor"], page="app_pages/people/inventory.py").run())
    assert any("There are no participants yet." in i.value for i in at.info)
    at.button(key="inventory.new").click().run()
    no_exception(at)
    assert at.selectbox(key="inventory.participant").value == "P-000001"
    fill_wizard(at, name="Hana")
    at.button(key="inventory.save").click().run()
    no_exception(at)
    inventory, versions = saved_profile(app_env, "P-000001")
    assert versions == [(1, False)] and inventory.profile.display_name == "Hana"
    con = db.connect(app_env)
    try:
        record = participants.get_participant(con.cursor(), "P-000001")
    finally:
        con.close()
    assert record.mentor_user_ids == (app_accounts["mentor"],) and record.owner_user_id is None


def test_summary_shows_charts_and_progress(app_accounts, app_env):
    con = db.connect(app_env)
    cur = con.cursor()
    newcomer = users.get_actor(cur, app_accounts["newcomer"])
    record = participants.create_participant(cur, actor=newcomer)
    inventory = snapshots.load_inventory(cur, actor=newcomer, participant_id=record.participant_id)
    from incubator.people.wizard import apply_answers

    first = apply_answers(inventory, "wellbeing", {"domain.housing": 2, "domain.work": 1, "ladder_rung": 2})
    first = apply_answers(first, "skills", {"skills": [{"esco_group": "S3.5.1", "level": 3}]})
    snapshots.save_inventory(cur, actor=newcomer, inventory=first)
    later = apply_answers(first, "wellbeing", {"domain.housing": 4, "domain.work": 3, "ladder_rung": 4})
    snapshots.save_inventory(cur, actor=newcomer, inventory=later)
    con.close()
    for lang in ("en", "ar"):
        at = no_exception(signed_in_app(app_accounts["newcomer"], lang=lang, page="app_pages/people/profile_summary.py").run())
        charts = at.get("plotly_chart")
        assert len(charts) == 4  # radar, life domains, skills, progress
    metrics = {m.label: m for m in no_exception(
        signed_in_app(app_accounts["newcomer"], page="app_pages/people/profile_summary.py").run()).metric}
    assert metrics["Participation ladder"].value.strip("\u2066\u2069") == "4 / 6"


def test_summary_without_a_saved_inventory_points_to_the_wizard(app_accounts):
    at = no_exception(signed_in_app(app_accounts["newcomer"], page="app_pages/people/profile_summary.py").run())
    assert [i.value for i in at.info] == ["No inventory has been saved yet."]


def test_participants_page_lists_offers_template_and_exports(app_accounts, app_env):
    con = db.connect(app_env)
    manager = users.get_actor(con.cursor(), app_accounts["manager"])
    for name in ("Sara", "Yonas"):
        record = participants.create_participant(con.cursor(), actor=manager, display_name=name)
        snapshots.save_profile(con.cursor(), actor=manager, profile=Profile(id=record.participant_id, display_name=name))
    con.close()
    at = no_exception(signed_in_app(app_accounts["manager"], page="app_pages/people/participants.py").run())
    table = at.dataframe[0].value
    assert table["Participant"].tolist() == ["P-000001", "P-000002"]
    keys = {b.key for b in at.get("download_button")} if at.get("download_button") else set()
    assert {"participants.template_xlsx", "participants.template_csv"} <= keys
    at.button(key="participants.export").click().run()
    no_exception(at)
    assert at.session_state["participants.export_file"][2] == 2
    # A mentor without participants sees an empty list, not an error.
    mentor = no_exception(signed_in_app(app_accounts["mentor"], lang="ar", page="app_pages/people/participants.py").run())
    assert len(mentor.info) == 1


@pytest.mark.parametrize(("lang", "profiles", "label"), [
    ("en", 1, "Download 1 profile"), ("en", 2, "Download 2 profiles"), ("nl", 1, "1 profiel downloaden"),
    ("ar", 1, "تنزيل ملف تعريف واحد"), ("ar", 2, "تنزيل ملفي تعريف"), ("ar", 3, "تنزيل 3 ملفات تعريف"),
])
def test_the_export_button_counts_profiles_in_the_reader_s_language(app_accounts, app_env, lang, profiles, label):
    con = db.connect(app_env)
    manager = users.get_actor(con.cursor(), app_accounts["manager"])
    for _ in range(profiles):
        record = participants.create_participant(con.cursor(), actor=manager)
        snapshots.save_profile(con.cursor(), actor=manager, profile=Profile(id=record.participant_id))
    con.close()
    at = no_exception(signed_in_app(app_accounts["manager"], lang=lang, page="app_pages/people/participants.py").run())
    at.button(key="participants.export").click().run()
    no_exception(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count(label) == 1, labels
