"""Everything the pipeline dashboard shows, computed in one pass: the stages once (registered on the
cursor), then each figure in SQL over them. The page only draws what this returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from incubator.core import participant_stage
from incubator.core.access import Actor
from incubator.pipeline import funnel, geography, impact, savings, workload
from incubator.pipeline.scope import PipelineFilter
from incubator.pipeline.stages import registered_stages


@dataclass(frozen=True)
class Dashboard:
    funnel: pd.DataFrame
    time_per_stage: pd.DataFrame
    mentor_load: pd.DataFrame
    overdue_by_kind: pd.DataFrame
    longest_overdue: pd.DataFrame
    impact: impact.Impact
    survival: pd.DataFrame
    baseline: impact.Baseline
    movement: impact.Movement
    savings: savings.Savings
    per_municipality: pd.DataFrame

    @property
    def synthetic(self) -> bool:
        """Some of the figures count synthetic (demo) participants."""
        return self.impact.synthetic > 0


def build(cur: duckdb.DuckDBPyConnection, *, actor: Actor, filters: PipelineFilter | None = None,
          today: dt.date, source: str = participant_stage.TABLE) -> Dashboard:
    """The dashboard over the participants the actor may see within the filters. Raises NotAllowed
    for anyone but a manager or a mentor. `source`: the stages' table, or its live derivation (to
    compare the two, benchmarks/bench_pipeline.py)."""
    with registered_stages(cur, actor=actor, filters=filters, source=source) as stages:
        survival, baseline = impact.survival_by_sector(cur, stages)
        overdue_by_kind, longest_overdue = workload.overdue(cur, stages, today=today)
        return Dashboard(
            funnel=funnel.funnel(cur, stages),
            time_per_stage=funnel.time_per_stage(cur, stages, today=today),
            mentor_load=workload.mentor_load(cur, stages, actor=actor),
            overdue_by_kind=overdue_by_kind, longest_overdue=longest_overdue,
            impact=impact.impact(cur, stages), survival=survival, baseline=baseline,
            movement=impact.movement(cur, stages),
            savings=savings.savings(cur, stages, today=today),
            per_municipality=geography.per_municipality(cur, stages))
