"""Impact figures over the participants in view (the registered stages): participants, ventures
launched, survival at 12 months per sector beside the CBS baseline, jobs created, people who left
social assistance, and movement on the participation ladder and the life domains between intake (the
first saved inventory) and now (the latest)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb
import pandas as pd

from incubator.market.labels import Label, labels_of
from incubator.programme.progress import DOMAIN_COLUMNS


@dataclass(frozen=True)
class Impact:
    participants: int
    launched: int  # ventures registered (the current choice's outcome has a launch date)
    known_12m: int  # launched ventures whose 12-month mark is recorded (running or not)
    running_12m: int
    jobs_fte: Decimal  # full-time jobs created by launched ventures (the outcome's jobs_fte, summed)
    left_assistance: int  # participants whose outcome records the date they left social assistance
    synthetic: int  # participants in view who are synthetic (demo workspace)

    @property
    def survival_12m(self) -> float | None:
        return self.running_12m / self.known_12m if self.known_12m else None


def impact(cur: duckdb.DuckDBPyConnection, stages: str) -> Impact:
    row = cur.execute(f"""
        SELECT count(*), count(s.registered_on), count(o.running_12m) FILTER (WHERE o.launched),
               count(*) FILTER (WHERE o.launched AND o.running_12m),
               coalesce(sum(o.jobs_fte) FILTER (WHERE o.launched), 0), count(o.left_assistance_on),
               count(*) FILTER (WHERE s.synthetic)
        FROM {stages} s LEFT JOIN programme_outcomes o ON o.choice_id = s.choice_id""").fetchone()
    return Impact(*row[:4], Decimal(str(row[4])), *row[5:])


@dataclass(frozen=True)
class Baseline:
    """The CBS figure for all businesses (sectors.csv, row TOTAL): survival after 1 year."""

    survival_1y_pct: float | None
    cohort: str | None
    source: str | None


def survival_by_sector(cur: duckdb.DuckDBPyConnection, stages: str) -> tuple[pd.DataFrame, Baseline]:
    """Per SBI section of the launched ventures: known_12m, running_12m, survival_12m (0-1) and the
    CBS 1-year survival of that section (cbs_1y_pct, NULL where the data has none: CBS's per-sector
    figures in data/sectors.csv are 5-year ones), with the section's `name` (a Label in every
    language); and the all-business baseline."""
    frame = cur.execute(f"""
        SELECT v.sbi_section AS section,
               count(o.running_12m) AS known_12m, count(*) FILTER (WHERE o.running_12m) AS running_12m,
               count(*) FILTER (WHERE o.running_12m) / nullif(count(o.running_12m), 0) AS survival_12m,
               any_value(sec.survival_1y_pct) AS cbs_1y_pct, any_value(sec.survival_5y_pct) AS cbs_5y_pct
        FROM {stages} s JOIN programme_outcomes o ON o.choice_id = s.choice_id AND o.launched
        JOIN ventures v ON v.venture_id = s.venture_id
        LEFT JOIN sectors sec ON sec.sbi_code = v.sbi_section
        GROUP BY ALL ORDER BY known_12m DESC, section""").df()
    names = labels_of(cur, "sector")
    frame.insert(1, "name", pd.Series([names.get(code) or Label.same(code) for code in frame["section"]],
                                      index=frame.index, dtype=object))
    row = cur.execute("SELECT survival_1y_pct, survival_cohort, source FROM sectors WHERE sbi_code = 'TOTAL'").fetchone()
    return frame, Baseline(*(row or (None, None, None)))


@dataclass(frozen=True)
class Movement:
    retaken: int  # participants with two saved inventories or more (intake and a later one)
    rung_up: int
    rung_same: int
    rung_down: int
    mean_rung_change: float | None
    domains: pd.DataFrame  # domain (key), intake_mean, now_mean over the same participants (1-5)


def movement(cur: duckdb.DuckDBPyConnection, stages: str) -> Movement:
    """The participation ladder (rungs 1-6) and the life domains (1-5) at intake and now, over the
    participants in view with at least two saved inventories. One pass over the snapshots: per
    participant the first and the latest snapshot's values (arg_min_null / arg_max_null by version,
    which keep a NULL value as it is); the domain means are taken over those values directly."""
    columns = ("ladder_rung", *DOMAIN_COLUMNS)
    picks = ", ".join(f"arg_min_null({c}, version) AS {c}_first, arg_max_null({c}, version) AS {c}_last" for c in columns)
    means = ", ".join(f"avg({c}_first), avg({c}_last)" for c in DOMAIN_COLUMNS)
    # The change skips a missing rung as the sum of +latest and -first did: NULL only when both are.
    change = ("CASE WHEN ladder_rung_first IS NULL AND ladder_rung_last IS NULL THEN NULL"
              " ELSE coalesce(ladder_rung_last, 0) - coalesce(ladder_rung_first, 0) END")
    row = cur.execute(f"""
        WITH k AS (
            SELECT {picks}
            FROM profile_snapshots p SEMI JOIN {stages} s ON s.participant_id = p.participant_id
            WHERE NOT p.draft GROUP BY p.participant_id HAVING count(*) >= 2),
        c AS (SELECT *, {change} AS rung_change FROM k)
        SELECT count(*), count(*) FILTER (WHERE rung_change > 0), count(*) FILTER (WHERE rung_change = 0),
               count(*) FILTER (WHERE rung_change < 0), avg(rung_change), {means}
        FROM c""").fetchone()
    values = row[5:]
    domains = pd.DataFrame({"domain": [c.removeprefix("domain_") for c in DOMAIN_COLUMNS],
                            "intake_mean": values[0::2], "now_mean": values[1::2]})
    return Movement(*row[:4], row[4], domains)
