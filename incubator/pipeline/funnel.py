"""The funnel (how many participants reached each stage) and the time spent per stage, in SQL over the
registered stages (`stages.registered_stages`)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from incubator.pipeline.stages import STAGE_KEYS, STAGES


def funnel(cur: duckdb.DuckDBPyConnection, stages: str) -> pd.DataFrame:
    """One row per stage in order: stage (key), label (msgid), participants (whose current stage is at
    or beyond it) and share_of_intake (0-1; NULL when nobody is counted)."""
    counts = ", ".join(f"count(*) FILTER (WHERE stage_index >= {i})" for i in range(len(STAGES)))
    row = cur.execute(f"SELECT {counts} FROM {stages}").fetchone()
    total = row[0]
    return pd.DataFrame({"stage": list(STAGE_KEYS), "label": [label for _, label in STAGES],
                         "participants": list(row),
                         "share_of_intake": [n / total if total else None for n in row]})


def time_per_stage(cur: duckdb.DuckDBPyConnection, stages: str, *, today: dt.date) -> pd.DataFrame:
    """One row per stage but the last: moved_on (participants who reached a later stage), median_days
    and mean_days from reaching the stage to the next stage they reached (0 when that one was recorded
    earlier), waiting (participants whose current stage it is) and median_days_waiting (until today).
    One pass over the stages: the next stage reached is the first later date that is not NULL. The
    days moved on and waiting are worked out once per stage in a subquery (NULL where they do not
    apply), so that the aggregates skip NULLs instead of filtering and re-evaluating the coalesce."""
    columns = [f"{key}_on" for key in STAGE_KEYS]
    days, parts = [], []
    for i, column in enumerate(columns[:-1]):
        following = f"coalesce({', '.join(columns[i + 1:])})" if len(columns) - i > 2 else columns[i + 1]
        # greatest() skips NULLs, so the CASE keeps a stage not moved on from counting as 0 days.
        days += [f"CASE WHEN {column} IS NOT NULL AND {following} IS NOT NULL"
                 f" THEN greatest(0, {following} - {column}) END AS moved_{i}",
                 f"CASE WHEN {column} IS NOT NULL AND {following} IS NULL THEN greatest(0, $today - {column}) END"
                 f" AS waiting_{i}"]
        parts += [f"count(moved_{i})", f"median(moved_{i})", f"avg(moved_{i})",
                  f"count(waiting_{i})", f"median(waiting_{i})"]
    row = cur.execute(f"SELECT {', '.join(parts)} FROM (SELECT {', '.join(days)} FROM {stages})",
                      {"today": today}).fetchone()
    return pd.DataFrame([{"stage": key, "label": label, "moved_on": row[5 * i], "median_days": row[5 * i + 1],
                          "mean_days": row[5 * i + 2], "waiting": row[5 * i + 3], "median_days_waiting": row[5 * i + 4]}
                         for i, (key, label) in enumerate(STAGES[:-1])])
