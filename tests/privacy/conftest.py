"""Fixtures of the privacy tests: the programme's team and cohort (tests/programme/conftest.py), and a
participant with personal data in every part of the app, whose name and notes are easy to find in the
file's bytes."""

from __future__ import annotations

import datetime as dt

import pytest

from incubator.accounts import users
from incubator.core.access import COMMAND_LINE_ADMIN, Actor
from incubator.people import consent, participants, snapshots
from incubator.plans import business_plan
from incubator.programme import cohorts, notes, outcomes, sessions
from incubator.programme import milestones as ms
from incubator.suggestions import choices
from tests.programme import conftest as programme_fixtures
from tests.programme.conftest import INTAKE, TODAY, set_intake
from tests.support.app import TEST_PASSWORD
from tests.support.scoring import TAILOR, profile, quick_model

NAME = "Zainab Haddadi-Qureshi"
USERNAME = "zainab.haddadi.q"
NOTE = "Mentor note: Zainab told me about her PTSD diagnosis and the sleeping pills"
SESSION_NOTE = "Session: she missed the clinic appointment for the trauma therapy"
IDEA_NOTE = "Idea: sewing at home while her children are at the Ahmadiyya school"
PLAN_TEXT = "Canvas: her cousin Rashid Qureshi in Kabul sends the fabric"
BLOCKED_REASON = "Blocked: in hospital for her depression until March"
SECRETS = (NAME, USERNAME, NOTE, SESSION_NOTE, IDEA_NOTE, PLAN_TEXT, BLOCKED_REASON)

# The programme tests' team and cohort, in this folder too.
programme_template = programme_fixtures.programme_template
con = programme_fixtures.con
team = programme_fixtures.team
group = programme_fixtures.group
app_group = programme_fixtures.app_group


def make_person(cur, team: dict[str, Actor], cohort_id: int) -> tuple[str, Actor]:
    """A newcomer with an account, a profile, a chosen venture and its plan, a note, a session with a
    next step, an idea, milestones, an outcome and consents: personal data in every table."""
    manager, mentor = team["manager"], team["mentor"]
    user_id = users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=USERNAME, password=TEST_PASSWORD,
                                role="newcomer")
    newcomer = Actor(user_id, "newcomer", USERNAME)
    pid = participants.create_participant(cur, actor=manager, owner_user_id=user_id, display_name=NAME).participant_id
    participants.assign_mentor(cur, actor=manager, participant_id=pid, mentor_user_id=mentor.user_id)
    snapshots.save_profile(cur, actor=mentor, profile=profile(TAILOR, id=pid, display_name=NAME))
    set_intake(cur, [pid], INTAKE)
    cohorts.add_participants(cur, actor=manager, cohort_id=cohort_id, participant_ids=[pid])
    choices.choose_venture(cur, actor=mentor, participant_id=pid, venture_id="cr_tailoring", model=quick_model())
    plan = business_plan.start_plan(cur, actor=mentor, participant_id=pid)
    business_plan.save_texts(cur, actor=mentor, plan_id=plan.plan_id, base_version=plan.version,
                             canvas={"problem": PLAN_TEXT})
    choices.add_idea(cur, actor=mentor, participant_id=pid, title="Alterations", note=IDEA_NOTE)
    notes.add_note(cur, actor=mentor, participant_id=pid, body=NOTE)
    sessions.log_session(cur, actor=mentor, participant_id=pid, held_on=dt.date(2027, 2, 1), duration_minutes=60,
                         topics=["idea"], notes=SESSION_NOTE,
                         next_steps=[sessions.NextStep("Call the clinic", "participant", dt.date(2027, 2, 15))],
                         today=TODAY)
    first = ms.instantiate(cur, actor=mentor, participant_id=pid)[0]
    ms.update_milestone(cur, actor=mentor, milestone_id=first.milestone_id, base_version=first.version, today=TODAY,
                        status="blocked", reason=BLOCKED_REASON)
    outcomes.record_outcome(cur, actor=mentor, participant_id=pid, today=TODAY, launched_on=dt.date(2027, 3, 1),
                            running_6m=None, jobs_fte=1.5)
    for purpose in ("programme", "research"):
        consent.give_consent(cur, actor=newcomer, participant_id=pid, purpose=purpose, method="in_app")
    consent.give_consent(cur, actor=mentor, participant_id=pid, purpose="stakeholder", method="signed_form",
                         stakeholder_user_id=team["stakeholder"].user_id)
    snapshots.load_profile(cur, actor=mentor, participant_id=pid)  # a view in the audit log
    return pid, newcomer


@pytest.fixture
def person(cur, team, group) -> tuple[str, Actor]:
    """The participant with data everywhere (participant id, their newcomer account)."""
    return make_person(cur, team, group["cohort_id"])
