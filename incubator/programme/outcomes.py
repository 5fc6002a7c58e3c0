"""Outcomes: what became of a participant's chosen venture. Launched (the KVK registration date), still
running at 6, 12 and 24 months, jobs created (FTE), the revenue band, leaving social assistance (the
date), and who recorded it. One row per choice in `programme_outcomes` (recording again completes or
corrects it); `running_12m` there is what `python -m incubator train --from-outcomes` learns from,
together with the features saved when the venture was chosen. Synthetic rows never train."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

import duckdb
import pandas as pd

from incubator.core import participant_stage
from incubator.core.access import Actor, require
from incubator.core.audit import audit
from incubator.core.db import retrying, transaction
from incubator.core.errors import NotFound, ValidationFailed
from incubator.core.i18n import N_
from incubator.programme import cohorts
from incubator.programme import milestones as ms
from incubator.programme.stakeholders import allowed_record, visible_records
from incubator.programme.words import Euros, Words

# Revenue a month, in euro cents: (key, low, high); None is open-ended.
REVENUE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("none", None, None),
    ("below_1000", None, 100_000),
    ("1000_2500", 100_000, 250_000),
    ("2500_5000", 250_000, 500_000),
    ("5000_10000", 500_000, 1_000_000),
    ("above_10000", 1_000_000, None),
)
MARKS = (6, 12, 24)  # months running that are recorded
MAX_FTE = Decimal(100)
NO_CHOICE = N_("Choose a venture first.")
NOT_LAUNCHED_AND_DATE = N_("A venture with a launch date was launched.")
RUNNING_NEEDS_LAUNCH = N_("A venture that is running was launched: give the KVK registration date.")
TOO_EARLY = N_("{months} months after the launch on {date} is not yet past.")
RUNNING_GAP = N_("A venture running at {later} months was running at {earlier} months too.")
FTE_OUT_OF_RANGE = N_("Jobs created is a number of full-time jobs from 0 to {limit}, like 1.5.")
UNKNOWN_BAND = N_("{band} is not a revenue band.")
BEFORE_INTAKE = N_("{date} is before {participant_id} joined the programme ({intake}).")


def band_words(key: str) -> Words:
    """A revenue band as the reader reads it (amounts as money in their language)."""
    _, low, high = next(b for b in REVENUE_BANDS if b[0] == key)
    if key == "none":
        return Words(N_("No revenue yet"))
    if low is None:
        return Words(N_("Less than {amount} a month"), {"amount": Euros(high // 100)})
    if high is None:
        return Words(N_("More than {amount} a month"), {"amount": Euros(low // 100)})
    return Words(N_("{low} to {high} a month"), {"low": Euros(low // 100), "high": Euros(high // 100)})


@dataclass(frozen=True)
class Outcome:
    participant_id: str
    choice_id: int
    venture_id: str | None
    launched: bool
    launched_on: dt.date | None
    running_6m: bool | None
    running_12m: bool | None
    running_24m: bool | None
    jobs_fte: Decimal | None
    revenue_band: str | None
    left_assistance_on: dt.date | None
    recorded_by: str | None
    recorded_at: dt.datetime
    synthetic: bool = False


_OUTCOME_SQL = """
    SELECT o.participant_id, o.choice_id, o.venture_id, o.launched, o.launched_on, o.running_6m, o.running_12m,
           o.running_24m, o.jobs_fte, o.revenue_band, o.left_assistance_on, u.username, o.recorded_at,
           coalesce(o.synthetic, FALSE)
    FROM programme_outcomes o LEFT JOIN users u ON u.user_id = o.recorded_by
"""


def _latest_choice(cur: duckdb.DuckDBPyConnection, participant_id: str) -> tuple | None:
    return cur.execute("SELECT choice_id, venture_id, features FROM venture_choices WHERE participant_id = ?"
                       " ORDER BY chosen_at DESC, choice_id DESC LIMIT 1", [participant_id]).fetchone()


def _fte(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        fte = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValidationFailed(FTE_OUT_OF_RANGE, limit=int(MAX_FTE)) from None
    if not fte.is_finite() or not Decimal(0) <= fte <= MAX_FTE or fte != fte.quantize(Decimal("0.01")):
        raise ValidationFailed(FTE_OUT_OF_RANGE, limit=int(MAX_FTE))
    return fte.quantize(Decimal("0.01"))


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day where it is shorter)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _check(outcome: Outcome, intake: dt.date, today: dt.date) -> None:
    for value in (outcome.launched_on, outcome.left_assistance_on):
        if value is not None and value < intake:
            raise ValidationFailed(BEFORE_INTAKE, date=value, participant_id=outcome.participant_id, intake=intake)
        if value is not None and value > today:
            raise ValidationFailed(ms.IN_THE_FUTURE, date=value)
    running = dict(zip(MARKS, (outcome.running_6m, outcome.running_12m, outcome.running_24m), strict=True))
    for months, value in running.items():
        if value and outcome.launched_on is None:
            raise ValidationFailed(RUNNING_NEEDS_LAUNCH)
        if value and months_later(outcome.launched_on, months) > today:
            raise ValidationFailed(TOO_EARLY, months=months, date=outcome.launched_on)
    for earlier, later in ((6, 12), (12, 24), (6, 24)):
        if running[later] and running[earlier] is False:
            raise ValidationFailed(RUNNING_GAP, later=later, earlier=earlier)
    if outcome.revenue_band is not None and outcome.revenue_band not in {b[0] for b in REVENUE_BANDS}:
        raise ValidationFailed(UNKNOWN_BAND, band=outcome.revenue_band)


def record_outcome(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, today: dt.date,
                   launched_on: dt.date | None = None, not_launched: bool = False, running_6m: bool | None = None,
                   running_12m: bool | None = None, running_24m: bool | None = None, jobs_fte: object = None,
                   revenue_band: str | None = None, left_assistance_on: dt.date | None = None) -> Outcome:
    """Record what happened to the participant's chosen venture. Values left None keep what was
    recorded before; `not_launched` says it was not launched (and takes back a launch date). A date
    before the participant's intake or after `today`, or a mark (running at 12 months) that cannot be
    known yet, is refused with nothing changed."""
    record = allowed_record(cur, actor, "outcome.record", participant_id)
    if not_launched and launched_on is not None:
        raise ValidationFailed(NOT_LAUNCHED_AND_DATE)
    fte = _fte(jobs_fte)

    def write() -> Outcome:
        with transaction(cur):
            choice = _latest_choice(cur, participant_id)
            if choice is None:
                raise NotFound(NO_CHOICE)
            row = cur.execute(_OUTCOME_SQL + " WHERE o.choice_id = ?", [choice[0]]).fetchone()
            before = Outcome(*row) if row else Outcome(participant_id, choice[0], choice[1], False, *[None] * 7,
                                                       None, dt.datetime.now())
            after = replace(
                before, launched_on=None if not_launched else launched_on or before.launched_on,
                running_6m=before.running_6m if running_6m is None else running_6m,
                running_12m=before.running_12m if running_12m is None else running_12m,
                running_24m=before.running_24m if running_24m is None else running_24m,
                jobs_fte=before.jobs_fte if fte is None else fte,
                revenue_band=before.revenue_band if revenue_band is None else revenue_band,
                left_assistance_on=before.left_assistance_on if left_assistance_on is None else left_assistance_on)
            after = replace(after, launched=after.launched_on is not None)
            _check(after, record.intake_on, today)
            cur.execute(
                "INSERT INTO programme_outcomes (choice_id, participant_id, venture_id, launched, running_12m, features,"
                " recorded_by, launched_on, running_6m, running_24m, jobs_fte, revenue_band, left_assistance_on, synthetic)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (choice_id) DO UPDATE SET"
                " launched = excluded.launched, running_12m = excluded.running_12m, recorded_by = excluded.recorded_by,"
                " recorded_at = excluded.recorded_at, launched_on = excluded.launched_on, running_6m = excluded.running_6m,"
                " running_24m = excluded.running_24m, jobs_fte = excluded.jobs_fte, revenue_band = excluded.revenue_band,"
                " left_assistance_on = excluded.left_assistance_on",
                [choice[0], participant_id, choice[1], after.launched, after.running_12m, choice[2], actor.account_id,
                 after.launched_on, after.running_6m, after.running_24m, after.jobs_fte, after.revenue_band,
                 after.left_assistance_on, record.synthetic])
            participant_stage.refresh(cur, [participant_id])
            audit(cur, actor.account_id, "outcome.record", f"participant:{participant_id}")
            return Outcome(*cur.execute(_OUTCOME_SQL + " WHERE o.choice_id = ?", [choice[0]]).fetchone())

    return retrying(cur, write, queue=[f"outcome:{participant_id}"])


def outcome_of(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> Outcome | None:
    """The outcome recorded for the participant's current choice, or None."""
    allowed_record(cur, actor, "outcome.view", participant_id)
    choice = _latest_choice(cur, participant_id)
    if choice is None:
        return None
    row = cur.execute(_OUTCOME_SQL + " WHERE o.choice_id = ?", [choice[0]]).fetchone()
    return Outcome(*row) if row else None


@dataclass(frozen=True)
class CohortOutcomes:
    members: int
    recorded: int
    launched: int
    running_6m: int
    running_12m: int
    running_24m: int
    jobs_fte: Decimal
    left_assistance: int
    synthetic: bool
    table: pd.DataFrame  # one row per member: participant_id, launched_on, running_*, jobs_fte, revenue_band, ...


def cohort_outcomes(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int) -> CohortOutcomes:
    """The outcomes of a cohort's members that the actor may see, counted in SQL (for the dashboard)."""
    require(actor, "outcome.view")
    cohort = cohorts.get_cohort(cur, actor=actor, cohort_id=cohort_id)
    ids = [r.participant_id for r in visible_records(cur, actor=actor, cohort_id=cohort_id)]
    per_person = cur.execute(
        "WITH latest AS (SELECT participant_id, max(choice_id) AS choice_id FROM venture_choices GROUP BY ALL)"
        " SELECT m.participant_id, o.outcome_id IS NOT NULL AS recorded, o.launched_on, o.running_6m, o.running_12m,"
        " o.running_24m, o.jobs_fte, o.revenue_band, o.left_assistance_on, u.username AS recorded_by"
        " FROM (SELECT unnest(?::VARCHAR[]) AS participant_id) m LEFT JOIN latest USING (participant_id)"
        " LEFT JOIN programme_outcomes o ON o.choice_id = latest.choice_id LEFT JOIN users u ON u.user_id = o.recorded_by"
        " ORDER BY m.participant_id", [ids]).df()
    cur.register("cohort_outcome_rows", per_person)
    try:
        counts = cur.execute(
            "SELECT count(*) FILTER (WHERE recorded), count(launched_on), count(*) FILTER (WHERE running_6m),"
            " count(*) FILTER (WHERE running_12m), count(*) FILTER (WHERE running_24m), coalesce(sum(jobs_fte), 0),"
            " count(left_assistance_on) FROM cohort_outcome_rows").fetchone()
    finally:
        cur.unregister("cohort_outcome_rows")
    members = len(ids)
    if actor.role == "manager":
        # People erased from the cohort still count, anonymously (incubator.privacy.erasure keeps the sums).
        erased = cur.execute("SELECT members, recorded, launched, running_6m, running_12m, running_24m, jobs_fte,"
                             " left_assistance FROM erased_outcome_counts WHERE cohort_key = ?", [cohort_id]).fetchone()
        if erased:
            members += erased[0]
            counts = [a + type(a)(b) for a, b in zip(counts, erased[1:], strict=True)]
    return CohortOutcomes(members, *counts[:5], Decimal(str(counts[5])), counts[6], cohort.synthetic,
                          per_person.drop(columns="recorded"))
