"""The session log (topics, free text, next steps that can become milestones), co-creation notes
(never rewritten, followed by newer ones) and the stakeholder role (sees a participant only while the
participant consents). Every refusal leaves the database as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from incubator.core.errors import NotAllowed, ValidationFailed
from incubator.programme import milestones as ms
from incubator.programme import notes, sessions, stakeholders
from tests.programme.conftest import INTAKE, TODAY


def tables(cur, *names):
    return [cur.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in names]


def test_a_session_with_next_steps_and_a_step_that_becomes_a_milestone_once(cur, team, group):
    logged = sessions.log_session(
        cur, actor=team["mentor"], participant_id=group["amal"], held_on=dt.date(2027, 2, 3), duration_minutes=45,
        topics=["plan", "idea"], notes="Talked about <b>prices</b>", today=TODAY,
        next_steps=[sessions.NextStep("Call three caterers", "participant", dt.date(2027, 2, 17)),
                    sessions.NextStep("Check the NVWA form", "together", dt.date(2027, 2, 24))])
    assert (logged.mentor, logged.topics, logged.notes) == ("team-mentor", ("idea", "plan"), "Talked about <b>prices</b>")
    step = logged.next_steps[0]
    made = sessions.step_to_milestone(cur, actor=team["mentor"], step_id=step.step_id)
    again = sessions.step_to_milestone(cur, actor=team["mentor"], step_id=step.step_id)
    assert made.milestone_id == again.milestone_id and made.title_in("nl") == "Call three caterers"
    assert (made.due_on, made.owner, made.status) == (dt.date(2027, 2, 17), "participant", "todo")
    [read] = sessions.sessions_of(cur, actor=team["manager"], participant_id=group["amal"])
    assert read.next_steps[0].milestone_id == made.milestone_id


@pytest.mark.parametrize(("given", "key"), [
    ({"held_on": TODAY + dt.timedelta(days=1)}, ms.IN_THE_FUTURE),
    ({"held_on": INTAKE - dt.timedelta(days=1)}, ms.BEFORE_START),
    ({"duration_minutes": 2}, sessions.DURATION_OUT_OF_RANGE),
    ({"topics": [], "notes": " "}, sessions.TOPIC_NEEDED),
    ({"next_steps": [sessions.NextStep("Too early", "mentor", dt.date(2027, 1, 20))]}, sessions.STEP_BEFORE_SESSION),
    ({"next_steps": [sessions.NextStep("  ", "mentor", dt.date(2027, 3, 1))]}, sessions.STEP_NEEDED),
])
def test_a_session_that_cannot_be_is_refused_with_nothing_saved(cur, team, group, given, key):
    before = tables(cur, "mentoring_sessions", "session_next_steps")
    values = {"held_on": dt.date(2027, 2, 3), "duration_minutes": 60, "topics": ["money"], "notes": None,
              "next_steps": [], **given}
    with pytest.raises(ValidationFailed) as refused:
        sessions.log_session(cur, actor=team["mentor"], participant_id=group["amal"], today=TODAY, **values)
    assert refused.value.message_key == key
    assert tables(cur, "mentoring_sessions", "session_next_steps") == before


def test_who_logs_and_reads_sessions(cur, team, group):
    for role in ("other_mentor", "newcomer", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            sessions.log_session(cur, actor=team[role], participant_id=group["own"], held_on=dt.date(2027, 2, 3),
                                 duration_minutes=60, topics=["money"], notes=None, next_steps=[], today=TODAY)
    assert tables(cur, "mentoring_sessions") == [[]]
    sessions.log_session(cur, actor=team["mentor"], participant_id=group["own"], held_on=dt.date(2027, 2, 3),
                         duration_minutes=60, topics=["money"], notes=None, next_steps=[], today=TODAY)
    assert len(sessions.sessions_of(cur, actor=team["newcomer"], participant_id=group["own"])) == 1  # their own
    for role in ("other_mentor", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            sessions.sessions_of(cur, actor=team[role], participant_id=group["own"])


def test_notes_are_never_rewritten_only_followed_and_say_who_wrote_them_in_which_role(cur, team, group):
    [first_milestone, *_] = ms.instantiate(cur, actor=team["mentor"], participant_id=group["own"])
    first = notes.add_note(cur, actor=team["mentor"], participant_id=group["own"], body="Prices look low",
                           about="plan_section", about_key="operating_budget")
    reply = notes.add_note(cur, actor=team["newcomer"], participant_id=group["own"], body="I will ask two shops",
                           follows_note_id=first.note_id)
    assert (reply.about, reply.about_key, reply.author, reply.author_role) == (
        "plan_section", "operating_budget", "team-newcomer", "newcomer")
    on_milestone = notes.add_note(cur, actor=team["manager"], participant_id=group["own"], body="Well done",
                                  about="milestone", about_key=str(first_milestone.milestone_id))
    assert [[n.note_id for n in t] for t in notes.threads(notes.notes_of(cur, actor=team["mentor"],
                                                                        participant_id=group["own"]))] == [
        [first.note_id, reply.note_id], [on_milestone.note_id]]
    assert not hasattr(notes, "edit_note") and not hasattr(notes, "delete_note")
    before = tables(cur, "programme_notes")
    for kwargs, error in (({"body": "  "}, ValidationFailed), ({"body": "x", "about": "plan_section", "about_key": "no"},
                                                               ValidationFailed),
                          ({"body": "x", "about": "milestone", "about_key": "99999"}, ms.MilestoneNotFound),
                          ({"body": "x", "follows_note_id": 99999}, notes.NoteNotFound)):
        with pytest.raises(error):
            notes.add_note(cur, actor=team["mentor"], participant_id=group["own"], **kwargs)
    for role in ("other_mentor", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            notes.add_note(cur, actor=team[role], participant_id=group["own"], body="x")
    assert tables(cur, "programme_notes") == before


def test_a_stakeholder_sees_a_participant_only_while_the_participant_consents(cur, team, group):
    stakeholder, pid = team["stakeholder"], group["amal"]
    with pytest.raises(NotAllowed):
        ms.milestones_of(cur, actor=stakeholder, participant_id=pid)
    assert stakeholders.visible_records(cur, actor=stakeholder) == []
    before = tables(cur, "consents")
    with pytest.raises(ValidationFailed) as refused:  # a mentor records consent given in person, not "in the app"
        stakeholders.link_stakeholder(cur, actor=team["mentor"], participant_id=pid,
                                      stakeholder_user_id=stakeholder.user_id, method="in_app")
    with pytest.raises(ValidationFailed) as refused:
        stakeholders.link_stakeholder(cur, actor=team["mentor"], participant_id=pid,
                                      stakeholder_user_id=team["other_mentor"].user_id, method="signed_form")
    assert refused.value.message_key == stakeholders.NOT_A_STAKEHOLDER
    for role in ("other_mentor", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            stakeholders.link_stakeholder(cur, actor=team[role], participant_id=pid,
                                          stakeholder_user_id=stakeholder.user_id, method="signed_form")
    assert tables(cur, "consents") == before

    assert stakeholders.link_stakeholder(cur, actor=team["mentor"], participant_id=pid,
                                         stakeholder_user_id=stakeholder.user_id, method="signed_form")
    assert not stakeholders.link_stakeholder(cur, actor=team["mentor"], participant_id=pid,
                                             stakeholder_user_id=stakeholder.user_id, method="signed_form")
    assert [r.participant_id for r in stakeholders.visible_records(cur, actor=stakeholder)] == [pid]
    ms.instantiate(cur, actor=team["mentor"], participant_id=pid)
    assert ms.milestones_of(cur, actor=stakeholder, participant_id=pid)
    note = notes.add_note(cur, actor=stakeholder, participant_id=pid, body="Dutch course starts in March")
    assert note.author_role == "stakeholder"
    # What a stakeholder may not do even when linked: change milestones, log sessions, record outcomes.
    [first, *_] = ms.milestones_of(cur, actor=stakeholder, participant_id=pid)
    with pytest.raises(NotAllowed):
        ms.update_milestone(cur, actor=stakeholder, milestone_id=first.milestone_id, base_version=1, status="done",
                            today=TODAY)
    with pytest.raises(NotAllowed):
        sessions.sessions_of(cur, actor=stakeholder, participant_id=pid)
    # Withdrawn (the participant in the app): the stakeholder no longer sees them; the history stays.
    own = group["own"]
    stakeholders.link_stakeholder(cur, actor=team["newcomer"], participant_id=own,
                                  stakeholder_user_id=stakeholder.user_id, method="in_app")
    assert stakeholders.end_link(cur, actor=team["newcomer"], participant_id=own,
                                 stakeholder_user_id=stakeholder.user_id, method="in_app")
    assert [r.participant_id for r in stakeholders.visible_records(cur, actor=stakeholder)] == [pid]
    history = stakeholders.consent_history(cur, actor=team["newcomer"], participant_id=own)
    assert [(h.given, h.method, h.recorded_by) for h in history] == [(False, "in_app", "team-newcomer"),
                                                                    (True, "in_app", "team-newcomer")]
    with pytest.raises(NotAllowed):
        notes.notes_of(cur, actor=stakeholder, participant_id=own)
