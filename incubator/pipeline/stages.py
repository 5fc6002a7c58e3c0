"""The stage model of the programme pipeline: per participant, the date each stage was reached and the
furthest stage reached now, read from the table participant_stage, which the writes of the other parts keep
(incubator.core.participant_stage; the derivation from those tables is the view it caches).

| stage (msgid) | reached on |
| --- | --- |
| Intake | `participants.created_at` (the day the record was made) |
| Inventory | the first saved (not draft) `profile_snapshots` row |
| Venture chosen | the first `venture_choices` row |
| Plan started | the first `plan_versions` row of any of the participant's `plans` |
| Finance arranged | the `finance_arranged` milestone done (its completion date; it takes over the Bbz and Qredits checklist items) |
| Registered | `programme_outcomes.launched_on` (the KVK registration) of the current choice |
| Running at 6/12/24 months | the current choice's outcome says running at that mark: the launch date plus 6, 12 or 24 months |

The current stage is the furthest stage with a date. A stage passed over without a record (finance
a person did not need) has no date, but the funnel counts everyone whose current stage is at or beyond
it. Who is counted comes from `scope.scope_sql` (filters and access)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd

from incubator.core import participant_stage
from incubator.core.access import Actor
from incubator.core.i18n import N_
from incubator.pipeline.scope import PipelineFilter, scope_sql

# (column key, msgid), in pipeline order. The date column of a stage is f"{key}_on".
STAGES: tuple[tuple[str, str], ...] = (
    ("intake", N_("Intake")),
    ("inventory", N_("Inventory")),
    ("venture_chosen", N_("Venture chosen")),
    ("plan", N_("Plan started")),
    ("finance_arranged", N_("Finance arranged")),
    ("registered", N_("Registered")),
    ("running_6m", N_("Running at 6 months")),
    ("running_12m", N_("Running at 12 months")),
    ("running_24m", N_("Running at 24 months")),
)
STAGE_KEYS = tuple(key for key, _ in STAGES)
STAGE_LABELS = dict(STAGES)
DATE_COLUMNS = tuple(f"{key}_on" for key in STAGE_KEYS)

# The dates are kept per participant in participant_stage (scope.py); the current stage is worked out
# here, where the order of the stages is defined.
_current = " ".join(f"WHEN {key}_on IS NOT NULL THEN {i}" for i, key in reversed(list(enumerate(STAGE_KEYS))))
_STAGES_SQL = f"""
    SELECT participant_id, cohort_id, municipality, family, venture_id, choice_id, synthetic,
           CASE {_current} END AS stage_index,
           {", ".join(DATE_COLUMNS)}
    FROM ({{scope}})
"""


def stages_sql(actor: Actor, filters: PipelineFilter | None = None, *,
               source: str = participant_stage.TABLE) -> tuple[str, dict[str, object]]:
    """The stages query (one row per participant in scope; `stage_index` into STAGES) and its
    parameters, for other queries to build on in SQL. Raises NotAllowed as `scope_sql` does. `source`:
    the table participant_stage, or its live derivation (for comparing the two)."""
    scope, params = scope_sql(actor, filters, source=source)
    return _STAGES_SQL.format(scope=scope), params


def participant_stages(cur: duckdb.DuckDBPyConnection, *, actor: Actor,
                       filters: PipelineFilter | None = None) -> pd.DataFrame:
    """One row per participant the actor may see, within the filters, ordered by id: participant_id,
    cohort_id, municipality, family, venture_id, choice_id, synthetic, `stage` (the msgid of the
    current stage), stage_index (0 = Intake ... 8 = Running at 24 months) and one date column per
    stage (`intake_on` ... `running_24m_on`, NULL where not reached or passed over)."""
    sql, params = stages_sql(actor, filters)
    frame = cur.execute(sql + " ORDER BY participant_id", params).df()
    labels = pd.Series([label for _, label in STAGES])
    frame.insert(7, "stage", labels.reindex(frame["stage_index"].to_numpy()).to_numpy())
    return frame


@contextmanager
def registered_stages(cur: duckdb.DuckDBPyConnection, *, actor: Actor, filters: PipelineFilter | None = None,
                      name: str = "pipeline_stages", source: str = participant_stage.TABLE) -> Iterator[str]:
    """The stages computed once and registered on this cursor as `name` (an Arrow table: dates stay
    dates), so that several figures query them without running the stages query again."""
    sql, params = stages_sql(actor, filters, source=source)
    cur.register(name, cur.execute(sql, params).to_arrow_table())
    try:
        yield name
    finally:
        cur.unregister(name)
