"""Milestones: the templates of a family and a venture with due dates from the start, the allowed
transitions only (with reasons, completion dates and versions), the overdue list against a fixed
today, and the refusals that leave everything as it was."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from incubator.core.errors import NotAllowed, ValidationFailed
from incubator.programme import milestones as ms
from tests.programme.conftest import START, TODAY


def by_key(found):
    return {m.template_key or m.title: m for m in found}


def snapshot(cur):
    return (cur.execute("SELECT * FROM milestones ORDER BY milestone_id").fetchall(),
            cur.execute("SELECT count(*) FROM milestone_events").fetchone()[0])


def test_templates_of_a_craft_count_from_the_cohort_start(cur, team, group):
    found = by_key(ms.instantiate(cur, actor=team["mentor"], participant_id=group["own"]))
    assert list(found) == ["market_check", "plan_written", "forecast_checked", "workspace_arranged",
                           "finance_arranged", "kvk_registration", "first_customer", "first_invoice",
                           "running_6m", "running_12m", "running_24m"]
    assert found["market_check"].due_on == START + dt.timedelta(days=28)
    # A craft starts two weeks later than self-employment: premises first.
    assert found["finance_arranged"].due_on == START + dt.timedelta(days=126 + 14)
    assert found["running_12m"].due_on == START + dt.timedelta(days=140 + 365 + 14)
    assert {m.status for m in found.values()} == {"todo"} and {m.version for m in found.values()} == {1}
    # The funding checklist's items are taken over by the milestone that delivers them.
    assert found["plan_written"].checklist_keys == ("bbz.business_plan", "qredits.business_plan")
    assert "licence.kvk_registration" in found["kvk_registration"].checklist_keys
    assert found["market_check"].plan_section == "market_marketing"


def test_a_food_venture_gets_its_licences_from_the_catalogue_and_the_kvk_once(cur, team, group):
    found = by_key(ms.instantiate(cur, actor=team["mentor"], participant_id=group["amal"]))
    assert "suppliers_found" in found  # ethnic entrepreneurship
    assert {k for k in found if k.startswith("licence.")} == {"licence.nvwa_registration", "licence.hygiene_code"}
    assert "licence.kvk_registration" not in found
    nvwa = found["licence.nvwa_registration"]
    assert nvwa.licence is not None and nvwa.title_in("en") == "Licence or registration: Registration as a food business with the NVWA"
    assert nvwa.title_in("nl").startswith("Vergunning of registratie: ")
    assert nvwa.checklist_keys == ("licence.nvwa_registration",)


def test_without_a_venture_only_the_common_milestones_and_a_start_date_is_needed_outside_a_cohort(cur, team, group):
    found = ms.instantiate(cur, actor=team["mentor"], participant_id=group["yonas"], start_on=dt.date(2027, 2, 1))
    assert len(found) == len(ms.COMMON_TEMPLATES)
    assert by_key(found)["market_check"].due_on == dt.date(2027, 3, 1)
    from incubator.people import participants
    alone = participants.create_participant(cur, actor=team["mentor"])
    with pytest.raises(ValidationFailed) as refused:
        ms.instantiate(cur, actor=team["mentor"], participant_id=alone.participant_id)
    assert refused.value.message_key == ms.START_NEEDED


def test_instantiating_again_keeps_what_was_done(cur, team, group):
    first = by_key(ms.instantiate(cur, actor=team["mentor"], participant_id=group["own"]))
    ms.update_milestone(cur, actor=team["mentor"], milestone_id=first["market_check"].milestone_id, base_version=1,
                        status="done", completed_on=dt.date(2027, 2, 1), today=TODAY)
    again = by_key(ms.instantiate(cur, actor=team["mentor"], participant_id=group["own"]))
    assert again["market_check"].status == "done" and len(again) == len(first)


ALLOWED = sorted((a, b) for a, targets in ms.TRANSITIONS.items() for b in targets)
REFUSED = sorted((a, b) for a, b in itertools.permutations(ms.STATUSES, 2) if b not in ms.TRANSITIONS[a])


def _to(cur, actor, milestone, status):
    """Bring a fresh milestone to `status` by an allowed path."""
    path = {"todo": [], "in_progress": ["in_progress"], "done": ["done"], "blocked": ["blocked"], "skipped": ["skipped"]}
    for step in path[status]:
        milestone = ms.update_milestone(cur, actor=actor, milestone_id=milestone.milestone_id,
                                        base_version=milestone.version, status=step, reason="waiting", today=TODAY)
    return milestone


@pytest.mark.parametrize(("current", "wanted"), ALLOWED)
def test_every_allowed_transition(cur, team, group, current, wanted):
    [first, *_] = ms.instantiate(cur, actor=team["mentor"], participant_id=group["yonas"])
    milestone = _to(cur, team["mentor"], first, current)
    changed = ms.update_milestone(cur, actor=team["mentor"], milestone_id=milestone.milestone_id,
                                  base_version=milestone.version, status=wanted, reason="a reason", today=TODAY)
    assert changed.status == wanted and changed.version == milestone.version + 1
    assert (changed.completed_on == TODAY) == (wanted == "done")
    assert (changed.reason == "a reason") == (wanted in ("blocked", "skipped"))


@pytest.mark.parametrize(("current", "wanted"), REFUSED)
def test_every_other_transition_is_refused_with_nothing_changed(cur, team, group, current, wanted):
    [first, *_] = ms.instantiate(cur, actor=team["mentor"], participant_id=group["yonas"])
    milestone = _to(cur, team["mentor"], first, current)
    before = snapshot(cur)
    with pytest.raises(ValidationFailed) as refused:
        ms.update_milestone(cur, actor=team["mentor"], milestone_id=milestone.milestone_id,
                            base_version=milestone.version, status=wanted, reason="a reason", today=TODAY)
    assert refused.value.message_key == ms.TRANSITION_REFUSED
    from incubator.core.i18n import translate
    assert translate(refused.value.message_key, "nl", **refused.value.params).startswith("Een mijlpaal die ")
    assert snapshot(cur) == before


def test_blocked_and_skipped_need_a_reason_and_done_needs_a_date_in_the_programme(cur, team, group):
    [first, *_] = ms.instantiate(cur, actor=team["mentor"], participant_id=group["yonas"])
    before = snapshot(cur)
    for status in ("blocked", "skipped"):
        with pytest.raises(ValidationFailed) as refused:
            ms.update_milestone(cur, actor=team["mentor"], milestone_id=first.milestone_id, base_version=1, status=status,
                                reason="  ", today=TODAY)
        assert refused.value.message_key == ms.REASON_NEEDED
    with pytest.raises(ValidationFailed) as refused:
        ms.update_milestone(cur, actor=team["mentor"], milestone_id=first.milestone_id, base_version=1, status="done",
                            completed_on=START - dt.timedelta(days=1), today=TODAY)
    assert refused.value.message_key == ms.BEFORE_START
    with pytest.raises(ValidationFailed) as refused:
        ms.update_milestone(cur, actor=team["mentor"], milestone_id=first.milestone_id, base_version=1, status="done",
                            completed_on=TODAY + dt.timedelta(days=1), today=TODAY)
    assert refused.value.message_key == ms.IN_THE_FUTURE
    with pytest.raises(ValidationFailed):
        ms.update_milestone(cur, actor=team["mentor"], milestone_id=first.milestone_id, base_version=1,
                            due_on=START - dt.timedelta(days=3), today=TODAY)
    assert snapshot(cur) == before


def test_a_change_on_an_older_version_is_refused_and_names_who_changed_it(cur, team, group, seeded):
    [first, *_] = ms.instantiate(cur, actor=team["mentor"], participant_id=group["own"])
    ms.update_milestone(cur, actor=team["newcomer"], milestone_id=first.milestone_id, base_version=1,
                        status="in_progress", evidence="I called four shops", today=TODAY)
    with pytest.raises(ms.MilestoneChangedMeanwhile) as refused:
        ms.update_milestone(cur, actor=team["mentor"], milestone_id=first.milestone_id, base_version=1, status="done",
                            today=TODAY)
    assert refused.value.params["by"] == "team-newcomer"
    current = ms.get_milestone(cur, first.milestone_id)
    assert (current.status, current.evidence, current.version) == ("in_progress", "I called four shops", 2)
    assert list(ms.history(cur, actor=team["mentor"], milestone_id=first.milestone_id)["status"]) == ["in_progress"]


def test_overdue_is_open_and_past_its_due_date_against_a_fixed_today(cur, team, group):
    found = by_key(ms.instantiate(cur, actor=team["mentor"], participant_id=group["own"]))
    market_check = found["market_check"]  # due START + 28 days
    due = market_check.due_on
    assert not ms.is_overdue(market_check, today=due)
    assert ms.is_overdue(market_check, today=due + dt.timedelta(days=1))
    done = ms.update_milestone(cur, actor=team["mentor"], milestone_id=market_check.milestone_id, base_version=1,
                               status="done", completed_on=due, today=TODAY)
    assert not ms.is_overdue(done, today=TODAY)
    late = ms.overdue(cur, actor=team["mentor"], today=dt.date(2027, 4, 10))
    assert [(o.milestone.template_key, o.days_late) for o in late] == [
        ("plan_written", (dt.date(2027, 4, 10) - found["plan_written"].due_on).days),
        ("forecast_checked", (dt.date(2027, 4, 10) - found["forecast_checked"].due_on).days)]
    assert late[0].mentors == ("team-mentor",) and late[0].display_name == "Sara B"
    # Another mentor sees none of them; a manager sees one mentor's list when asked.
    assert ms.overdue(cur, actor=team["other_mentor"], today=dt.date(2027, 4, 10)) == []
    assert len(ms.overdue(cur, actor=team["manager"], today=dt.date(2027, 4, 10),
                          mentor_user_id=team["mentor"].user_id)) == 2
    with pytest.raises(NotAllowed):
        ms.overdue(cur, actor=team["other_mentor"], today=TODAY, mentor_user_id=team["mentor"].user_id)


def test_who_may_see_plan_and_change_milestones(cur, team, group):
    [first, *_] = ms.instantiate(cur, actor=team["manager"], participant_id=group["own"])
    # The newcomer sees and updates their own milestones but does not plan them.
    assert ms.milestones_of(cur, actor=team["newcomer"], participant_id=group["own"])
    ms.update_milestone(cur, actor=team["newcomer"], milestone_id=first.milestone_id, base_version=1,
                        status="in_progress", today=TODAY)
    with pytest.raises(NotAllowed):
        ms.update_milestone(cur, actor=team["newcomer"], milestone_id=first.milestone_id, base_version=2,
                            due_on=TODAY, today=TODAY)
    with pytest.raises(NotAllowed):
        ms.instantiate(cur, actor=team["newcomer"], participant_id=group["own"])
    for name in ("other_mentor", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            ms.milestones_of(cur, actor=team[name], participant_id=group["own"])
    before = snapshot(cur)
    with pytest.raises(NotAllowed):  # a mentor who does not coach this participant
        ms.update_milestone(cur, actor=team["other_mentor"], milestone_id=first.milestone_id, base_version=2,
                            status="done", today=TODAY)
    assert snapshot(cur) == before


def test_a_milestone_of_ones_own_is_due_after_the_start_and_can_point_at_a_plan_section(cur, team, group):
    made = ms.add_milestone(cur, actor=team["mentor"], participant_id=group["own"], title="Visit the **market**",
                            due_on=dt.date(2027, 3, 1), plan_section="market_marketing")
    assert made.title_in("ar") == "Visit the **market**" and made.template_key is None
    with pytest.raises(ValidationFailed) as refused:
        ms.add_milestone(cur, actor=team["mentor"], participant_id=group["own"], title="Too early",
                         due_on=START - dt.timedelta(days=1))
    assert refused.value.message_key == ms.BEFORE_START
    with pytest.raises(ValidationFailed):
        ms.add_milestone(cur, actor=team["mentor"], participant_id=group["own"], title="x", due_on=TODAY,
                         plan_section="no_such_section")
