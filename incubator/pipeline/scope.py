"""Which participants a pipeline figure counts: the filters a manager picks (cohort, municipality,
mentor, venture family, intake period) within what the asking Actor may see (a manager everyone, a
mentor the participants assigned to them; nobody else sees the pipeline). One SQL relation that the
stages, the KPIs and the workbook all start from, so that they count the same people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from incubator.core import participant_stage
from incubator.core.access import Actor, refusal, require
from incubator.core.errors import NotAllowed

PERMISSION = "pipeline.view"


@dataclass(frozen=True)
class PipelineFilter:
    """None means "all". The period is the intake date, both ends included."""

    cohort_id: int | None = None
    municipality: str | None = None  # CBS GM code
    mentor_user_id: int | None = None
    family: str | None = None  # self_employment | craft | ethnic_entrepreneurship
    period_start: dt.date | None = None
    period_end: dt.date | None = None


# One row per participant: intake date, cohort, municipality, current choice, family and the date of
# each stage, kept in the table participant_stage (incubator.core.participant_stage, migration 017) by
# the writes that change them, instead of derived here from every write table on each view. The live
# derivation (the view the table caches) can stand in for it to compare the two (benchmarks, tests).
SOURCES = (participant_stage.TABLE, participant_stage.DERIVATION)


def scope_sql(actor: Actor, filters: PipelineFilter | None = None, *,
              source: str = participant_stage.TABLE) -> tuple[str, dict[str, object]]:
    """The SQL of the participants in scope (the columns of participant_stage) and its named parameters
    ($name). Raises NotAllowed for anyone but a manager or a mentor (a mentor sees only their own
    participants). `source` is the table, or its live derivation (SOURCES)."""
    require(actor, PERMISSION)
    if source not in SOURCES:
        raise ValueError(f"not a source of the pipeline: {source!r}")
    f = filters or PipelineFilter()
    conditions, params = ["TRUE"], {}
    if actor.role == "mentor":
        conditions.append("participant_id IN (SELECT participant_id FROM participant_mentors"
                          " WHERE mentor_user_id = $scope_actor)")
        params["scope_actor"] = actor.user_id
    elif actor.role != "manager":
        raise NotAllowed(refusal=refusal(actor, PERMISSION))
    if f.cohort_id is not None:
        conditions.append("cohort_id = $scope_cohort")
        params["scope_cohort"] = f.cohort_id
    if f.municipality is not None:
        conditions.append("municipality = $scope_municipality")
        params["scope_municipality"] = f.municipality
    if f.mentor_user_id is not None:
        conditions.append("participant_id IN (SELECT participant_id FROM participant_mentors"
                          " WHERE mentor_user_id = $scope_mentor)")
        params["scope_mentor"] = f.mentor_user_id
    if f.family is not None:
        conditions.append("family = $scope_family")
        params["scope_family"] = f.family
    if f.period_start is not None:
        conditions.append("intake_on >= $scope_from")
        params["scope_from"] = f.period_start
    if f.period_end is not None:
        conditions.append("intake_on <= $scope_to")
        params["scope_to"] = f.period_end
    return f"SELECT * FROM {source} WHERE {' AND '.join(conditions)}", params


FAMILIES = ("self_employment", "craft", "ethnic_entrepreneurship")


@dataclass(frozen=True)
class FilterOptions:
    cohorts: list[tuple[int, str]]  # (cohort_id, name) of the cohorts with someone in view
    municipalities: list[tuple[str, str]]  # (GM code, name) where someone in view lives
    mentors: list[tuple[int, str]]  # (user_id, username); empty for a mentor (they see their own only)
    families: tuple[str, ...]


def filter_options(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> FilterOptions:
    """What the filters can choose from, within what the actor may see."""
    scope, params = scope_sql(actor)
    cohorts = cur.execute(f"SELECT DISTINCT c.cohort_id, c.name FROM ({scope}) s JOIN cohorts c USING (cohort_id)"
                          " ORDER BY c.name", params).fetchall()
    places = cur.execute(f"SELECT DISTINCT m.gm_code, m.name FROM ({scope}) s JOIN municipalities m"
                         " ON m.gm_code = s.municipality ORDER BY m.name", params).fetchall()
    mentors = [] if actor.role == "mentor" else cur.execute(
        "SELECT user_id, username FROM users WHERE role = 'mentor' AND user_id IN"
        " (SELECT mentor_user_id FROM participant_mentors) ORDER BY username").fetchall()
    return FilterOptions(cohorts, places, mentors, FAMILIES)
