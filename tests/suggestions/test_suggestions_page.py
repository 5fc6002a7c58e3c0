"""Page tests (AppTest): the suggestions page for a mentor and for the newcomer, explore mode without
an account (nothing stored), and the model card page."""

from __future__ import annotations

import pytest

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN, COMMAND_LINE_MANAGER
from incubator.market.labels import labels_in
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
    record = participants.create_participant(cur, actor=mentor, display_name="Amal")
    # Only a manager binds a newcomer's account to a record (issue 9).
    participants.link_owner(cur, actor=COMMAND_LINE_MANAGER, participant_id=record.participant_id,
                            owner_user_id=ids["newcomer"])
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


def _in_order(block) -> list:
    """Every element under a block, in the order drawn."""
    found = []
    for child in block.children.values():
        found += _in_order(child) if hasattr(child, "children") and child.type != "markdown" else [child]
    return found


def test_a_choice_by_an_arabic_reading_newcomer_shows_in_dutch_for_the_mentor_and_marks_the_card(app_programme):
    newcomer = signed_in_app(app_programme["newcomer"], lang="ar", page=PAGE).run()
    first = choose_buttons(newcomer)[0]
    venture_id = first.key.removeprefix("suggest.choose.")
    first.click().run()
    no_exception(newcomer)
    con = db.connect(app_programme["db"])
    name_nl, name_ar = (labels_in(con, "venture", lang)[venture_id] for lang in ("nl", "ar"))
    con.close()
    assert any(name_ar in s.value for s in newcomer.success)

    mentor = signed_in_app(app_programme["mentor"], lang="nl", page=PAGE).run()
    no_exception(mentor)
    chosen = [s.value for s in mentor.success if s.value.startswith("Gekozen voor het ondernemingsplan: ")]
    assert len(chosen) == 1 and name_nl in chosen[0] and name_ar not in chosen[0]
    # The chosen card carries the mark, right under its heading, and no other card does.
    drawn = _in_order(mentor.main)
    marks = [i for i, e in enumerate(drawn) if e.type == "markdown" and "Gekozen voor het ondernemingsplan" in e.value
             and not e.value.startswith("Gekozen voor het ondernemingsplan: ")]
    assert len(marks) == 1
    # Between the heading and the mark only the heading's read-aloud button.
    before = [e for e in drawn[: marks[0]] if e.type != "iframe"]
    heading = before[-1]
    assert drawn[marks[0] - 1].type in {"subheader", "iframe"}
    assert heading.type == "subheader" and name_nl in heading.value.replace("\\", "")


def test_reasons_say_your_to_the_newcomer_and_her_name_to_the_mentor_and_differ_by_colour(app_programme):
    own = signed_in_app(app_programme["newcomer"], lang="nl", page=PAGE).run()
    mentor = signed_in_app(app_programme["mentor"], lang="nl", page=PAGE).run()
    no_exception(own), no_exception(mentor)

    def reasons(at):
        return [m.value for m in at.markdown if m.value.startswith((":green-background[", ":orange-background["))]

    own_reasons, mentor_reasons = reasons(own), reasons(mentor)
    assert own_reasons and len(own_reasons) == len(mentor_reasons)
    assert any("Je vaardigheden in" in r for r in own_reasons) and not any("Amal" in r for r in own_reasons)
    assert any("De vaardigheden van \u2068Amal\u2069 in" in r for r in mentor_reasons)
    assert not any("Je " in r or " je " in r or "jouw" in r for r in mentor_reasons)
    helping = [r for r in own_reasons if r.startswith(":green-background[")]
    hurting = [r for r in own_reasons if r.startswith(":orange-background[")]
    assert helping and hurting
    assert all(":material/check_circle:" in r for r in helping) and all(":material/warning:" in r for r in hurting)


def test_a_typed_idea_title_and_note_show_as_typed_not_as_markdown(app_programme):
    at = signed_in_app(app_programme["mentor"], page=PAGE).run()
    at.text_input(key="suggest.idea_title").input("**Big** [offer](http://x.test) :red[now]")
    at.text_area(key="suggest.idea_note").input("# not a heading")
    next(b for b in at.button if b.label == "Add the idea").click().run()
    no_exception(at)
    title = next(m.value for m in at.markdown if "offer" in m.value)
    assert title.startswith("**\\*\\*Big\\*\\* \\[offer\\]\\(http\\:")  # escaped inside our own bold
    assert "# not a heading" in [t.value for t in at.text]


def test_the_calibration_chart_names_both_axes(app_programme):
    import json

    at = signed_in_app(app_programme["newcomer"], page="app_pages/suggestions/model_card.py").run()
    no_exception(at)
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    assert layout["xaxis"]["title"]["text"] == "Estimated chance (model)"
    assert layout["yaxis"]["title"]["text"] == "Observed share that launched and still ran"
