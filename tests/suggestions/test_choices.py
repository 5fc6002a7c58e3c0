"""Suggestions for participants in a real database: who may see, adjust and choose; ideas and
set-asides with notes; the chosen venture for the business plan; outcomes for retraining."""

from __future__ import annotations

import json

import pytest

from incubator.core.access import COMMAND_LINE_MANAGER
from incubator.core.errors import NotAllowed, NotFound, ValidationFailed
from incubator.market.labels import labels_in
from incubator.people import participants, snapshots
from incubator.suggestions import choices as suggestions
from incubator.suggestions import features as fx
from tests.support.privacy import consent_to_research
from tests.support.scoring import COOK, market, profile, quick_model


@pytest.fixture
def programme(seeded, people):
    """The market data, a tailor owned by the newcomer account and mentored by the mentor, and a cook
    that only the manager follows."""
    cur = seeded
    tailor = participants.create_participant(cur, actor=people["mentor"], display_name="Amal")
    # Only a manager binds a newcomer's account to a record (issue 9).
    participants.link_owner(cur, actor=COMMAND_LINE_MANAGER, participant_id=tailor.participant_id,
                            owner_user_id=people["newcomer"].user_id)
    snapshots.save_profile(cur, actor=people["mentor"], profile=profile(id=tailor.participant_id, display_name="Amal"))
    cook = participants.create_participant(cur, actor=people["manager"])
    snapshots.save_profile(cur, actor=people["manager"], profile=profile(COOK, id=cook.participant_id))
    return {"tailor": tailor.participant_id, "cook": cook.participant_id, **people}


def view(cur, programme, role: str, who: str = "tailor"):
    return suggestions.suggestions_for(cur, actor=programme[role], participant_id=programme[who], model=quick_model())


def test_mentor_newcomer_and_manager_see_the_suggestions_with_their_own_rights(cur, programme):
    mentor = view(cur, programme, "mentor")
    assert len(mentor.suggestions) == 5 and mentor.municipality == "GM0344"
    assert mentor.may_adjust and mentor.may_choose and mentor.trained_on == "synthetic"
    own = view(cur, programme, "newcomer")
    assert own.may_choose and not own.may_adjust
    assert [s.venture_id for s in own.suggestions] == [s.venture_id for s in mentor.suggestions]
    assert view(cur, programme, "manager", "cook").may_adjust


@pytest.mark.parametrize("role, who", [("mentor", "cook"), ("newcomer", "cook"), ("admin", "tailor")])
def test_others_are_refused(cur, programme, role, who):
    with pytest.raises(NotAllowed):
        view(cur, programme, role, who)
    with pytest.raises(NotAllowed):
        suggestions.choose_venture(cur, actor=programme[role], participant_id=programme[who], venture_id="cr_tailoring",
                                   model=quick_model())


def test_a_mentor_sets_a_suggestion_aside_with_a_note_and_brings_it_back(cur, programme):
    first = view(cur, programme, "mentor").suggestions[0].venture_id
    mentor, pid = programme["mentor"], programme["tailor"]
    with pytest.raises(ValidationFailed) as no_note:
        suggestions.set_aside(cur, actor=mentor, participant_id=pid, venture_id=first, note="  ")
    assert no_note.value.message_key == "Write a note that says why."
    with pytest.raises(NotAllowed):
        suggestions.set_aside(cur, actor=programme["newcomer"], participant_id=pid, venture_id=first, note="no")
    suggestions.set_aside(cur, actor=mentor, participant_id=pid, venture_id=first, note="No workshop space nearby")
    after = view(cur, programme, "mentor")
    assert first not in [s.venture_id for s in after.suggestions]
    assert [(s.venture_id, s.note, s.set_by) for s in after.set_aside] == [(first, "No workshop space nearby", "test-mentor")]
    suggestions.restore(cur, actor=mentor, participant_id=pid, venture_id=first)
    assert view(cur, programme, "mentor").suggestions[0].venture_id == first
    actions = [row[0] for row in cur.execute("SELECT action FROM audit_log WHERE subject = ? ORDER BY entry_id",
                                             [f"participant:{pid}"]).fetchall()]
    assert "suggest.set_aside" in actions and "suggest.restore" in actions


def test_a_mentor_adds_an_idea_and_the_newcomer_chooses_it(cur, programme):
    mentor, pid = programme["mentor"], programme["tailor"]
    with pytest.raises(ValidationFailed):
        suggestions.add_idea(cur, actor=mentor, participant_id=pid, title="")
    with pytest.raises(NotAllowed):
        suggestions.add_idea(cur, actor=programme["newcomer"], participant_id=pid, title="Mine")
    idea_id = suggestions.add_idea(cur, actor=mentor, participant_id=pid, title="Wedding dresses to measure",
                                   note="Her network asks for it", family="craft")
    ideas = view(cur, programme, "newcomer").ideas
    assert [(i.idea_id, i.title, i.family, i.created_by) for i in ideas] == [(idea_id, "Wedding dresses to measure", "craft", "test-mentor")]
    choice = suggestions.choose_venture(cur, actor=programme["newcomer"], participant_id=pid, idea_id=idea_id)
    assert choice.idea_id == idea_id and choice.score is None
    # An idea keeps its title as the mentor typed it, whoever reads it.
    assert {choice.name.get(lang) for lang in ("nl", "en", "ar")} == {"Wedding dresses to measure"}


def test_choosing_a_venture_records_it_for_the_business_plan(cur, programme):
    pid = programme["tailor"]
    assert suggestions.current_choice(cur, actor=programme["newcomer"], participant_id=pid) is None
    choice = suggestions.choose_venture(cur, actor=programme["newcomer"], participant_id=pid, venture_id="cr_tailoring",
                                        model=quick_model())
    assert choice.venture_id == "cr_tailoring"
    at = market().venture_index("cr_tailoring")
    assert [choice.name.get(lang) for lang in ("nl", "en", "ar")] == [market().names[lang][at] for lang in ("nl", "en", "ar")]
    assert 0 < choice.score < 1 and choice.model_version == quick_model().version and choice.chosen_by == "test-newcomer"
    stored = json.loads(cur.execute("SELECT features FROM venture_choices WHERE choice_id = ?", [choice.choice_id]).fetchone()[0])
    assert list(stored) == list(fx.FEATURE_NAMES) and stored["related_experience_years"] == 15
    later = suggestions.choose_venture(cur, actor=programme["mentor"], participant_id=pid, venture_id="cr_alterations",
                                       model=quick_model())
    assert suggestions.current_choice(cur, actor=programme["manager"], participant_id=pid).choice_id == later.choice_id
    assert view(cur, programme, "mentor").choice.venture_id == "cr_alterations"
    with pytest.raises(NotFound):
        suggestions.choose_venture(cur, actor=programme["mentor"], participant_id=pid, venture_id="no_such_venture")


def test_outcomes_of_chosen_ventures_are_recorded_for_retraining(cur, programme):
    mentor, pid = programme["mentor"], programme["tailor"]
    with pytest.raises(NotFound):
        suggestions.record_outcome(cur, actor=mentor, participant_id=pid, launched=True, running_12m=True)
    suggestions.choose_venture(cur, actor=mentor, participant_id=pid, venture_id="cr_tailoring", model=quick_model())
    with pytest.raises(ValidationFailed):
        suggestions.record_outcome(cur, actor=mentor, participant_id=pid, launched=False, running_12m=True)
    suggestions.record_outcome(cur, actor=mentor, participant_id=pid, launched=True, running_12m=False)
    suggestions.record_outcome(cur, actor=mentor, participant_id=pid, launched=True, running_12m=True)  # a correction
    assert len(suggestions.outcome_training_data(cur)[1]) == 0  # no consent to research yet
    consent_to_research(cur, [pid])
    x, y = suggestions.outcome_training_data(cur)
    assert x.shape == (1, len(fx.FEATURES)) and list(y) == [1]
    assert x[0, fx.F["related_experience_years"]] == 15


def test_a_choice_stores_the_venture_id_and_each_reader_gets_the_name_in_their_language(cur, programme):
    """The newcomer reads Arabic and chooses; the mentor reads Dutch: the stored row holds the id only,
    and the name comes from the market data in the language asked for."""
    pid = programme["tailor"]
    suggestions.choose_venture(cur, actor=programme["newcomer"], participant_id=pid, venture_id="cr_tailoring",
                               model=quick_model())
    stored = cur.execute("SELECT venture_id, idea_id FROM venture_choices WHERE participant_id = ?", [pid]).fetchall()
    assert stored == [("cr_tailoring", None)]
    seen_by_mentor = view(cur, programme, "mentor").choice
    dutch = (labels_in(cur, "venture", "nl")["cr_tailoring"], labels_in(cur, "venture", "ar")["cr_tailoring"])
    assert seen_by_mentor.venture_id == "cr_tailoring" and seen_by_mentor.name.get("nl") == dutch[0]
    assert seen_by_mentor.name.get("ar") == dutch[1] and dutch[0] != dutch[1]


def test_reasons_speak_to_the_participant_and_of_them_to_anyone_else(cur, programme):
    own = view(cur, programme, "newcomer")
    mentor = view(cur, programme, "mentor")
    cook = view(cur, programme, "manager", "cook")  # no display name: the pseudonymous id
    assert (own.about, mentor.about, cook.about) == (None, "Amal", programme["cook"])
    own_keys = [r.message.key for s in own.suggestions for r in s.reasons]
    mentor_messages = [r.message for s in mentor.suggestions for r in s.reasons]
    assert any(key.startswith(("Your ", "You ")) for key in own_keys)
    assert not any("{name}" in key for key in own_keys)
    assert not any(m.key.startswith(("Your ", "You ")) or "your" in m.key for m in mentor_messages)
    third = [m for m in mentor_messages if "{name}" in m.key]
    assert third and all(m.params["name"] == "Amal" for m in third)
    assert all("{name}" not in r.message.key or r.message.params["name"] == programme["cook"]
               for s in cook.suggestions for r in s.reasons)
    # The same reasons, worded for the reader, in every language.
    assert len(mentor_messages) == len(own_keys)
    first = third[0]
    assert "Amal" in first.text("nl") and "Amal" in first.text("ar") and "Amal" in first.text("en")


def test_every_second_person_reason_has_a_third_person_form():
    from incubator.suggestions import ranking

    second = {key for key in ranking.ABOUT_SOMEONE}
    assert all("{name}" in third for third in ranking.ABOUT_SOMEONE.values())
    source = open(ranking.__file__, encoding="utf-8").read()
    import re

    you = {m for m in re.findall(r'N_\("([^"]*)"\)', source) if re.search(r"\b(you|your|yours)\b", m, re.I)}
    assert you <= second, you - second
