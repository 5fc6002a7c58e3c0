"""Page tests (AppTest): the suggestions page for a mentor and for the newcomer, explore mode without
an account (nothing stored), and the model card page."""

from __future__ import annotations

import pytest

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.people import participants, snapshots
from tests.support.app import TEST_PASSWORD, signed_in_app
from tests.support.databases import copy_database
from tests.support.scoring import profile

PAGE = "app_pages/suggestions/participant_suggestions.py"
DISCLAIMER = ("These scores are estimates from a model trained on synthetic data, until the programme's own outcomes "
              "replace it. Suggestions are material for a conversation with a mentor, never a verdict.")


@pytest.fixture
def app_programme(app_env, market_template):
    """Accounts of each role and one participant (a tailor) owned by the newcomer and mentored by the
    mentor, in the app's database with the market data (closed again so the app can open it)."""
    con = db.connect(copy_database(market_template, app_env))
    cur = con.cursor()
    ids = {role: users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=f"app-{role}", password=TEST_PASSWORD, role=role)
           for role in ("admin", "manager", "mentor", "newcomer")}
    mentor = users.get_actor(cur, ids["mentor"])
    record = participants.create_participant(cur, actor=mentor, owner_user_id=ids["newcomer"], display_name="Amal")
    snapshots.save_profile(cur, actor=mentor, profile=profile(id=record.participant_id, display_name="Amal"))
    con.close()
    return {"participant_id": record.participant_id, "db": app_env, **ids}


def count(db_path, table: str) -> int:
    con = db.connect(db_path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def no_exception(at) -> None:
    assert not at.exception, [e.message for e in at.exception]


def choose_buttons(at) -> list:
    return [b for b in at.button if (b.key or "").startswith("suggest.choose.")]


def test_a_mentor_sees_five_suggestions_and_chooses_one(app_programme):
    at = signed_in_app(app_programme["mentor"], page=PAGE).run()
    no_exception(at)
    assert DISCLAIMER in [i.value for i in at.info]
    assert len([h for h in at.subheader if h.value[:2] in {f"{n}." for n in range(1, 6)}]) == 5
    buttons = choose_buttons(at)
    assert len(buttons) == 5
    chosen = buttons[0].key.removeprefix("suggest.choose.")
    buttons[0].click().run()
    no_exception(at)
    assert "The venture was chosen for the business plan." in [s.value for s in at.success]
    assert any(s.value.startswith("Chosen for the business plan: ") for s in at.success)
    assert count(app_programme["db"], "venture_choices") == 1
    assert chosen


def test_a_mentor_sets_a_suggestion_aside_with_a_note_and_adds_an_idea(app_programme):
    at = signed_in_app(app_programme["mentor"], page=PAGE).run()
    first = choose_buttons(at)[0].key.removeprefix("suggest.choose.")
    at.text_area(key=f"suggest.aside_note.{first}").input("No workshop space in her street")
    next(b for b in at.button if b.label == "Set aside" and first in (b.key or b.id)).click().run()
    no_exception(at)
    assert "The suggestion was set aside." in [s.value for s in at.success]
    assert first not in [b.key.removeprefix("suggest.choose.") for b in choose_buttons(at)]
    assert any("No workshop space in her street" in m.value for m in at.markdown)

    at.text_input(key="suggest.idea_title").input("Wedding dresses to measure")
    at.text_area(key="suggest.idea_note").input("Her network asks for it")
    next(b for b in at.button if b.label == "Add the idea").click().run()
    no_exception(at)
    assert "The idea was added." in [s.value for s in at.success]
    assert any(m.value.startswith("**Wedding dresses to measure**") for m in at.markdown)


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_the_newcomer_sees_their_own_suggestions_in_their_language_and_may_choose_only(app_programme, lang):
    at = signed_in_app(app_programme["newcomer"], lang=lang, page=PAGE).run()
    no_exception(at)
    assert len(choose_buttons(at)) == 5
    assert not [b for b in at.button if (b.key or "").startswith("suggest.restore.")]
    assert not [t for t in at.text_area if (t.key or "").startswith("suggest.aside_note.")]
    heading = {"nl": "Suggesties", "ar": "الاقتراحات"}[lang]
    assert any(heading in h.value for h in at.get("html"))


def test_explore_mode_shows_suggestions_without_an_account_and_stores_nothing(app_programme):
    before = {t: count(app_programme["db"], t) for t in ("audit_log", "venture_choices", "participants", "profile_snapshots")}
    at = signed_in_app(None, page="app_pages/suggestions/explore.py").run()
    no_exception(at)
    at.selectbox(key="explore.municipality").set_value("GM0344")
    at.multiselect(key="explore.skills").set_value(["S6.5.6"])
    at.multiselect(key="explore.interests").set_value(["R", "A"])
    next(b for b in at.button if b.label == "Show ventures that could fit").click().run()
    no_exception(at)
    names = [h.value for h in at.subheader]
    assert len(names) == 5 and not choose_buttons(at)
    assert any("tailor" in n.lower() or "alteration" in n.lower() or "clothing" in n.lower() for n in names)
    assert {t: count(app_programme["db"], t) for t in before} == before


def test_the_model_card_page_shows_the_comparison_and_what_is_never_used(app_programme):
    at = signed_in_app(app_programme["newcomer"], page="app_pages/suggestions/model_card.py").run()
    no_exception(at)
    assert len(at.dataframe) >= 3
    assert any(m.value.startswith("Never used: nationality") for m in at.markdown)
    assert any("synthetic data" in w.value for w in at.warning)
