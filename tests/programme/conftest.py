"""Fixtures of the programme tests: a team with one account of each role (a second mentor and a
stakeholder too), and a cohort of three in Utrecht whose intake and start are fixed dates, so that a
fixed TODAY says the same in every year the suite runs."""

from __future__ import annotations

import datetime as dt

import pytest

from incubator.accounts import users
from incubator.core.access import Actor
from incubator.people import participants, snapshots
from incubator.programme import cohorts
from incubator.suggestions import choices
from tests.support.app import TEST_PASSWORD
from tests.support.scoring import COOK, TAILOR, profile, quick_model

INTAKE = dt.date(2027, 1, 4)
START = dt.date(2027, 1, 11)
TODAY = dt.date(2027, 6, 1)


def set_intake(cur, participant_ids, day: dt.date = INTAKE) -> None:
    """Participants made now get a fixed intake date (the day their record was made)."""
    cur.execute("UPDATE participants SET created_at = ? WHERE participant_id IN (SELECT unnest(?))",
                [dt.datetime.combine(day, dt.time(9)), list(participant_ids)])


@pytest.fixture
def team(seeded) -> dict[str, Actor]:
    """One account of each role, a second mentor and a stakeholder."""
    made = {}
    for name, role in (("admin", "admin"), ("manager", "manager"), ("mentor", "mentor"), ("other_mentor", "mentor"),
                       ("newcomer", "newcomer"), ("stakeholder", "stakeholder")):
        user_id = users.create_user(seeded, actor=None, username=f"team-{name}", password=TEST_PASSWORD, role=role)
        made[name] = Actor(user_id, role, f"team-{name}")
    return made


@pytest.fixture
def group(seeded, team) -> dict:
    """A cohort starting on START in Utrecht: the newcomer's own record (a tailor who chose
    made-to-measure tailoring), Amal Haddad (a cook who chose catering) and Yonas Tesfay (no venture
    chosen yet), all mentored by the mentor."""
    cur, manager, mentor = seeded, team["manager"], team["mentor"]
    own = participants.create_participant(cur, actor=mentor, owner_user_id=team["newcomer"].user_id, display_name="Sara B")
    amal = participants.create_participant(cur, actor=mentor, display_name="Amal Haddad")
    yonas = participants.create_participant(cur, actor=mentor, display_name="Yonas Tesfay")
    snapshots.save_profile(cur, actor=mentor, profile=profile(TAILOR, id=own.participant_id, display_name="Sara B"))
    snapshots.save_profile(cur, actor=mentor, profile=profile(COOK, id=amal.participant_id, display_name="Amal Haddad",
                                                              municipality="GM0344"))
    snapshots.save_profile(cur, actor=mentor, profile=profile(TAILOR, id=yonas.participant_id, display_name="Yonas Tesfay"))
    choices.choose_venture(cur, actor=mentor, participant_id=own.participant_id, venture_id="cr_tailoring",
                           model=quick_model())
    choices.choose_venture(cur, actor=mentor, participant_id=amal.participant_id, venture_id="et_catering",
                           model=quick_model())
    ids = [own.participant_id, amal.participant_id, yonas.participant_id]
    set_intake(cur, ids)
    cohort = cohorts.create_cohort(cur, actor=manager, name="Spring 2027", start_on=START, municipality="GM0344",
                                   programme="Versnelling Utrecht")
    cohorts.add_participants(cur, actor=manager, cohort_id=cohort.cohort_id, participant_ids=ids)
    return {"cohort_id": cohort.cohort_id, "own": ids[0], "amal": ids[1], "yonas": ids[2], "ids": ids}
