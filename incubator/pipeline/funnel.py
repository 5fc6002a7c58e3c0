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
    One pass over the stages: the next stage reached is the first later date that is not NULL."""
    columns = [f"{key}_on" for key in STAGE_KEYS]
    parts = []
    for i, column in enumerate(columns[:-1]):
        following = f"coalesce({', '.join(columns[i + 1:])})" if len(columns) - i > 2 else columns[i + 1]
        moved = f"{column} IS NOT NULL AND {following} IS NOT NULL"
        waiting = f"{column} IS NOT NULL AND {following} IS NULL"
        parts += [f"count(*) FILTER (WHERE {moved})",
                  f"median(greatest(0, {following} - {column})) FILTER (WHERE {moved})",
                  f"avg(greatest(0, {following} - {column})) FILTER (WHERE {moved})",
                  f"count(*) FILTER (WHERE {waiting})",
                  f"median(greatest(0, $today - {column})) FILTER (WHERE {waiting})"]
    row = cur.execute(f"SELECT {', '.join(parts)} FROM {stages}", {"today": today}).fetchone()
    return pd.DataFrame([{"stage": key, "label": label, "moved_on": row[5 * i], "median_days": row[5 * i + 1],
                          "mean_days": row[5 * i + 2], "waiting": row[5 * i + 3], "median_days_waiting": row[5 * i + 4]}
                         for i, (key, label) in enumerate(STAGES[:-1])])
