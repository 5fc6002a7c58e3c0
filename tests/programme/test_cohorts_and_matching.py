"""Cohorts (created by a manager, members added one by one or from a cohort file, one cohort each) and
mentor matching (the suggested mentor with its reasons, capacity respected, assign, unassign and
reassign in bulk). Refusals leave the database as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from incubator.core.errors import NotAllowed, ValidationFailed
from incubator.people import participants
from incubator.programme import cohorts, mentoring
from tests.programme.conftest import START


def table(cur, name):
    return cur.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()


def test_a_manager_creates_a_cohort_and_a_name_or_place_that_does_not_fit_is_refused(cur, team):
    made = cohorts.create_cohort(cur, actor=team["manager"], name="  Autumn   2027 ", start_on=dt.date(2027, 9, 6),
                                 municipality="gm0363", programme="Versnelling Amsterdam")
    assert (made.name, made.municipality, made.municipality_name, made.members) == (
        "Autumn 2027", "GM0363", "Amsterdam", 0)
    before = table(cur, "cohorts")
    for name, place, key in (("autumn 2027", "GM0363", cohorts.NAME_TAKEN), ("", "GM0363", cohorts.NAME_NEEDED),
                             ("Winter", "GM9999", cohorts.UNKNOWN_MUNICIPALITY)):
        with pytest.raises(ValidationFailed) as refused:
            cohorts.create_cohort(cur, actor=team["manager"], name=name, start_on=START, municipality=place,
                                  programme="Versnelling")
        assert refused.value.message_key == key
    for role in ("mentor", "newcomer", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            cohorts.create_cohort(cur, actor=team[role], name="Mine", start_on=START, municipality="GM0344",
                                  programme="x")
    assert table(cur, "cohorts") == before


def test_members_are_added_all_or_nothing_and_each_is_in_one_cohort_only(cur, team, group):
    other = cohorts.create_cohort(cur, actor=team["manager"], name="Other", start_on=START, municipality="GM0344",
                                  programme="x")
    new = participants.create_participant(cur, actor=team["mentor"]).participant_id
    before = table(cur, "cohort_members")
    with pytest.raises(ValidationFailed) as refused:  # Amal is in Spring 2027 already
        cohorts.add_participants(cur, actor=team["manager"], cohort_id=other.cohort_id, participant_ids=[new, group["amal"]])
    assert refused.value.params == {"participant_id": group["amal"], "cohort": "Spring 2027"}
    with pytest.raises(participants.ParticipantNotFound):
        cohorts.add_participants(cur, actor=team["manager"], cohort_id=other.cohort_id, participant_ids=[new, "P-999999"])
    with pytest.raises(NotAllowed):
        cohorts.add_participants(cur, actor=team["mentor"], cohort_id=other.cohort_id, participant_ids=[new])
    assert table(cur, "cohort_members") == before
    # Adding someone who is a member already counts nobody twice.
    assert cohorts.add_participants(cur, actor=team["manager"], cohort_id=group["cohort_id"],
                                    participant_ids=[new, group["amal"]]) == 1
    assert cohorts.get_cohort(cur, actor=team["manager"], cohort_id=group["cohort_id"]).members == 4


def test_who_sees_which_cohort(cur, team, group):
    assert [c.name for c in cohorts.list_cohorts(cur, actor=team["manager"])] == ["Spring 2027"]
    assert [c.name for c in cohorts.list_cohorts(cur, actor=team["mentor"])] == ["Spring 2027"]
    assert cohorts.list_cohorts(cur, actor=team["other_mentor"]) == []
    with pytest.raises(NotAllowed):
        cohorts.get_cohort(cur, actor=team["other_mentor"], cohort_id=group["cohort_id"])
    for role in ("newcomer", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            cohorts.list_cohorts(cur, actor=team[role])


def test_members_come_from_a_cohort_file_too(cur, team, group):
    other = cohorts.create_cohort(cur, actor=team["manager"], name="From a file", start_on=START, municipality="GM0344",
                                  programme="x")
    content = b"display_name,municipality\nHiwet,GM0344\nReza,GM0344\n"
    imported = cohorts.add_from_import(cur, actor=team["manager"], cohort_id=other.cohort_id, file_name="group.csv",
                                       content=content)
    assert imported.added == 2 and imported.elsewhere == []
    names = {r.display_name for r in cohorts.members(cur, actor=team["manager"], cohort_id=other.cohort_id)}
    assert names == {"Hiwet", "Reza"}


def profile_of(cur, team, user_id, capacity, languages, sectors):
    return mentoring.set_mentor_profile(cur, actor=team["manager"], mentor_user_id=user_id, capacity=capacity,
                                        languages=languages, sectors=sectors)


def test_the_suggested_mentor_says_why_a_shared_language_the_sector_and_free_places(cur, team, group):
    cur.execute("DELETE FROM participant_mentors")  # nobody mentored yet
    profile_of(cur, team, team["mentor"].user_id, 2, ["nl", "en"], ["C"])  # C: industry, the tailor's
    profile_of(cur, team, team["other_mentor"].user_id, 3, ["ti", "nl"], ["I"])  # I: catering
    # Amal (a cook who speaks Tigrinya and English) against both mentors.
    amal = mentoring.suggest_mentors(cur, actor=team["manager"], participant_id=group["amal"])
    assert [m.username for m in amal] == ["team-other_mentor", "team-mentor"]
    words = [(w.text("en"), w.good) for w in amal[0].reasons]
    assert ("Speaks Tigrinya, as the participant does", True) in words
    assert any(text.startswith("Knows the sector of the chosen venture: ") and good for text, good in words)
    assert ("Has 3 free places", True) in words
    assert any(text.startswith("Does not know the sector") and not good for text, good in (
        (w.text("en"), w.good) for w in amal[1].reasons))
    # Yonas has chosen no venture: the sector cannot be compared.
    yonas = mentoring.suggest_mentors(cur, actor=team["manager"], participant_id=group["yonas"])
    assert ("No venture chosen yet, so the sector cannot be compared", False) in [
        (w.text("en"), w.good) for w in yonas[0].reasons]
    assert yonas[0].reasons[0].text("ar")  # reasons are words in the reader's language


def test_proposals_for_a_cohort_respect_capacity_and_are_assigned_unassigned_and_moved_in_bulk(cur, team, group):
    cur.execute("DELETE FROM participant_mentors")
    profile_of(cur, team, team["mentor"].user_id, 1, ["nl"], ["C"])
    profile_of(cur, team, team["other_mentor"].user_id, 1, ["ar"], ["I"])
    proposals = mentoring.propose_for_cohort(cur, actor=team["manager"], cohort_id=group["cohort_id"])
    suggested = [p.match.username if p.match else None for p in proposals]
    assert suggested.count("team-mentor") == 1 and suggested.count("team-other_mentor") == 1
    assert suggested.count(None) == 1  # two places for three people
    pairs = [(p.participant_id, p.match.mentor_user_id) for p in proposals if p.match]
    assert mentoring.assign(cur, actor=team["manager"], pairs=pairs) == 2
    assert len(table(cur, "participant_mentors")) == 2
    moved = mentoring.reassign_cohort(cur, actor=team["manager"], cohort_id=group["cohort_id"],
                                      from_mentor=team["mentor"].user_id, to_mentor=team["other_mentor"].user_id)
    assert moved == 1
    assert {m for _, m, *_ in table(cur, "participant_mentors")} == {team["other_mentor"].user_id}
    assert mentoring.unassign_cohort(cur, actor=team["manager"], cohort_id=group["cohort_id"]) == 2
    assert table(cur, "participant_mentors") == []


def test_matching_refusals_leave_everything_as_it_was(cur, team, group):
    before = table(cur, "participant_mentors"), table(cur, "mentor_profiles")
    with pytest.raises(ValidationFailed) as refused:  # a newcomer's account is no mentor
        mentoring.assign(cur, actor=team["manager"], pairs=[(group["yonas"], team["other_mentor"].user_id),
                                                            (group["amal"], team["newcomer"].user_id)])
    assert refused.value.message_key == mentoring.NOT_A_MENTOR
    for role in ("mentor", "newcomer", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            mentoring.assign(cur, actor=team[role], pairs=[(group["yonas"], team["other_mentor"].user_id)])
    with pytest.raises(ValidationFailed):
        profile_of(cur, team, team["mentor"].user_id, 101, ["nl"], [])
    with pytest.raises(ValidationFailed):
        profile_of(cur, team, team["mentor"].user_id, 5, ["xx"], [])
    with pytest.raises(NotAllowed):  # a mentor keeps their own profile only
        mentoring.set_mentor_profile(cur, actor=team["mentor"], mentor_user_id=team["other_mentor"].user_id,
                                     capacity=3, languages=["nl"], sectors=[])
    assert (table(cur, "participant_mentors"), table(cur, "mentor_profiles")) == before
    mine = mentoring.set_mentor_profile(cur, actor=team["mentor"], mentor_user_id=team["mentor"].user_id, capacity=4,
                                        languages=["NL", "ti"], sectors=["c"])
    assert (mine.capacity, mine.languages, mine.sectors, mine.assigned) == (4, ("nl", "ti"), ("C",), 3)
