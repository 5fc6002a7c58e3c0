"""The funnel (how many participants reached each stage) and the time spent per stage, in SQL over the
registered stages (`stages.registered_stages`)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from incubator.pipeline.stages import STAGE_KEYS, STAGES

_STAGE_INDEX = "VALUES " + ", ".join(f"('{key}_on', {i})" for i, key in enumerate(STAGE_KEYS))


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
    earlier), waiting (participants whose current stage it is) and median_days_waiting (until today)."""
    columns = ", ".join(f"{key}_on" for key in STAGE_KEYS)
    frame = cur.execute(f"""
        WITH long AS (
            SELECT u.participant_id, i.idx, u.day
            FROM (UNPIVOT (SELECT participant_id, {columns} FROM {stages}) ON {columns} INTO NAME col VALUE day) u
            JOIN ({_STAGE_INDEX}) i(col, idx) ON i.col = u.col),
        ordered AS (
            SELECT idx, day, lead(day) OVER (PARTITION BY participant_id ORDER BY idx) AS next_day FROM long)
        SELECT idx, count(next_day) AS moved_on,
               median(greatest(0, next_day - day)) FILTER (WHERE next_day IS NOT NULL) AS median_days,
               avg(greatest(0, next_day - day)) FILTER (WHERE next_day IS NOT NULL) AS mean_days,
               count(*) FILTER (WHERE next_day IS NULL) AS waiting,
               median(greatest(0, $today - day)) FILTER (WHERE next_day IS NULL) AS median_days_waiting
        FROM ordered GROUP BY idx""", {"today": today}).df().set_index("idx")
    rows = []
    for i, (key, label) in enumerate(STAGES[:-1]):
        got = frame.loc[i] if i in frame.index else None
        rows.append({"stage": key, "label": label,
                     "moved_on": int(got["moved_on"]) if got is not None else 0,
                     "median_days": got["median_days"] if got is not None else None,
                     "mean_days": got["mean_days"] if got is not None else None,
                     "waiting": int(got["waiting"]) if got is not None else 0,
                     "median_days_waiting": got["median_days_waiting"] if got is not None else None})
    return pd.DataFrame(rows)
