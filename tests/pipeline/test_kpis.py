"""Every KPI of the pipeline on the hand-built cohort of tests/pipeline/cohort.py, against numbers worked
out on paper from the dates written there (the comments show the sums), never by running the SQL again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from incubator.core.errors import NotAllowed
from incubator.pipeline import dashboard, stages
from incubator.pipeline.scope import PipelineFilter, filter_options
from tests.pipeline.cohort import TODAY, build


@pytest.fixture
def built(seeded):
    return seeded, build(seeded)


def board(built, who="manager", **filters):
    cur, people = built
    return dashboard.build(cur, actor=people[who], filters=PipelineFilter(**filters), today=TODAY)


def test_stages_give_the_date_each_stage_was_reached_and_the_furthest_one(built):
    cur, people = built
    frame = stages.participant_stages(cur, actor=people["manager"]).set_index("participant_id")
    assert list(frame["stage"]) == ["Running at 12 months", "Running at 6 months", "Inventory", "Venture chosen",
                                    "Intake"]
    p1 = frame.loc["P1"]
    assert [p1[f"{k}_on"].date() for k in stages.STAGE_KEYS[:8]] == [
        dt.date(2025, 1, 6), dt.date(2025, 1, 6), dt.date(2025, 1, 20), dt.date(2025, 2, 3), dt.date(2025, 3, 3),
        dt.date(2025, 4, 1), dt.date(2025, 10, 1), dt.date(2026, 4, 1)]
    assert pd.isna(frame.loc["P2", "finance_arranged_on"])  # blocked, not done: passed over on the way to launch
    assert (frame.loc["P2", "municipality"], frame.loc["P4", "family"]) == ("GM0344", "craft")  # the draft does not count


def test_the_funnel_counts_everyone_at_or_beyond_each_stage(built):
    funnel = board(built).funnel
    # Furthest stages: P1 running 12m (7), P2 running 6m (6), P3 inventory (1), P4 venture chosen (2), P5 intake (0).
    assert list(funnel["participants"]) == [5, 4, 3, 2, 2, 2, 2, 1, 0]
    assert list(funnel["share_of_intake"])[:3] == [1.0, 0.8, 0.6]


def test_time_per_stage_is_days_to_the_next_stage_reached_and_days_waiting(built):
    time = board(built).time_per_stage.set_index("stage")
    # intake -> inventory the same day for P1-P4; P5 waits 2026-03-02 .. 2027-06-01 = 365 + 91 days.
    assert tuple(time.loc["intake", ["moved_on", "median_days", "waiting", "median_days_waiting"]]) == (4, 0, 1, 456)
    # inventory -> choice: P1 14, P2 30, P4 14 (median 14, mean 58 / 3); P3 waits 2025-01-06 .. 2027-06-01 = 730 + 146.
    assert tuple(time.loc["inventory", ["moved_on", "median_days", "waiting", "median_days_waiting"]]) == (3, 14, 1, 876)
    assert time.loc["inventory", "mean_days"] == pytest.approx(58 / 3)
    # choice -> plan: P1 14, P2 5 (median 9.5); P4 waits 2026-03-16 .. 2027-06-01 = 365 + 77.
    assert tuple(time.loc["venture_chosen", ["moved_on", "median_days", "waiting", "median_days_waiting"]]) == (2, 9.5, 1, 442)
    # plan -> next reached: P1 finance 28 days, P2 (no finance) registered 2025-02-10 .. 2025-05-01 = 80 days.
    assert tuple(time.loc["plan", ["moved_on", "median_days"]]) == (2, 54)
    assert tuple(time.loc["finance_arranged", ["moved_on", "median_days"]]) == (1, 29)  # 2025-03-03 .. 2025-04-01
    assert tuple(time.loc["registered", ["moved_on", "median_days"]]) == (2, 183.5)  # 183 and 184 days
    # P2 has run 6 months since 2025-11-01: 365 + 212 days to 2027-06-01; P1 moved on after 182 days.
    assert tuple(time.loc["running_6m", ["moved_on", "median_days", "waiting", "median_days_waiting"]]) == (1, 182, 1, 577)
    assert tuple(time.loc["running_12m", ["moved_on", "waiting", "median_days_waiting"]]) == (0, 1, 426)


def test_impact_survival_jobs_assistance_and_savings(built):
    shown = board(built)
    impact = shown.impact
    assert (impact.participants, impact.launched, impact.known_12m, impact.running_12m) == (5, 2, 2, 1)
    assert impact.survival_12m == 0.5 and impact.jobs_fte == Decimal("2.00") and impact.left_assistance == 1
    by_sector = shown.survival.set_index("section")
    assert tuple(by_sector.loc["C", ["known_12m", "running_12m", "survival_12m"]]) == (1, 1, 1.0)
    assert tuple(by_sector.loc["I", ["known_12m", "running_12m", "survival_12m"]]) == (1, 0, 0.0)
    assert by_sector["cbs_1y_pct"].isna().all()  # no sourced one-year figure per sector in data/
    assert by_sector.loc["I", "cbs_5y_pct"] == 59.0 and shown.baseline.survival_1y_pct == 96.0
    # P1 left on 2025-06-01: 24 whole months to 2027-06-01, times the single norm of EUR 1,283.83.
    money = shown.savings
    assert (money.people, money.months, money.norm_month_eur) == (1, 24, Decimal("1283.83"))
    assert money.estimate_eur == Decimal("30811.92") and "Westland" in money.source


def test_ladder_and_life_domains_move_between_intake_and_now(built):
    move = board(built).movement
    # P1 2 -> 4, P2 3 -> 3; P3 and P4 have one inventory only.
    assert (move.retaken, move.rung_up, move.rung_same, move.rung_down, move.mean_rung_change) == (2, 1, 1, 0, 1.0)
    assert set(move.domains["intake_mean"]) == {3.0} and set(move.domains["now_mean"]) == {3.5}  # (2+4)/2, (3+4)/2


def test_mentor_load_and_overdue_milestones(built):
    shown = board(built)
    load = shown.mentor_load
    assert list(zip(load["username"], load["participants"], load["capacity"], load["over_capacity"], strict=True)) == [
        ("pl-mentor_b", 2, 1, True), ("pl-mentor_a", 2, 2, False)]
    # Open and past due on 2027-06-01: P2 finance (blocked, 761 days), P4 market check (426), P4 licence (31).
    longest = shown.longest_overdue
    assert list(zip(longest["participant_id"], longest["kind"], longest["days_overdue"], strict=True)) == [
        ("P2", "finance_arranged", 761), ("P4", "market_check", 426), ("P4", "licence", 31)]
    assert sorted(shown.overdue_by_kind["overdue"]) == [1, 1, 1]
    places = shown.per_municipality.set_index("gm_code")
    assert places.loc["GM0344", ["participants", "launched"]].tolist() == [3, 2]
    assert places.loc["GM0363", ["participants", "launched"]].tolist() == [1, 0]


def test_filters_change_the_figures(built):
    _, people = built
    assert board(built, cohort_id=902).impact.participants == 1
    assert board(built, municipality="GM0344").impact.participants == 3
    assert board(built, mentor_user_id=people["mentor_b"].user_id).funnel["participants"].tolist()[:3] == [2, 2, 1]
    assert board(built, family="craft").impact.launched == 1  # P1 and P4 chose tailoring; P1 launched
    period = board(built, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31))
    assert period.impact.participants == 2  # P4 and P5


def test_a_mentor_sees_only_their_own_participants_and_others_see_nothing(built):
    cur, people = built
    mine = board(built, "mentor_a")
    assert mine.impact.participants == 2 and list(mine.mentor_load["username"]) == ["pl-mentor_a"]
    assert filter_options(cur, actor=people["mentor_a"]).mentors == []
    for who in ("newcomer", "stakeholder", "admin"):
        with pytest.raises(NotAllowed):
            board(built, who)
        with pytest.raises(NotAllowed):
            stages.participant_stages(cur, actor=people[who])
