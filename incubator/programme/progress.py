"""Impact first: the participation ladder and the life domains over time, per person and per cohort,
from the dated inventory snapshots (the intake and each re-take)."""

from __future__ import annotations

import duckdb
import pandas as pd

from incubator.core.access import Actor, require
from incubator.people.inventory import LADDER, LIFE_DOMAINS
from incubator.people.participants import id_frame
from incubator.programme import cohorts
from incubator.programme.stakeholders import allowed_record, visible_records

DOMAIN_COLUMNS = tuple(f"domain_{d}" for d in LIFE_DOMAINS)
RUNGS = tuple(LADDER)


def person_progress(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> pd.DataFrame:
    """Every saved snapshot, oldest first: version, saved_at, ladder_rung, each life domain (1-5) and
    their mean."""
    allowed_record(cur, actor, "profile.view", participant_id)
    domains = ", ".join(DOMAIN_COLUMNS)
    return cur.execute(
        f"SELECT version, saved_at, ladder_rung, {domains}, list_avg([{domains}]) AS life_domains_mean"
        f" FROM profile_snapshots WHERE participant_id = ? AND NOT draft ORDER BY version", [participant_id]).df()


def cohort_movement(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int) -> pd.DataFrame:
    """One row per member the actor may see: snapshots saved, the rung at intake and now and the
    change, and each life domain at intake and now (NULL where not answered), computed in SQL."""
    cohorts.get_cohort(cur, actor=actor, cohort_id=cohort_id)
    records = visible_records(cur, actor=actor, cohort_id=cohort_id)
    for record in records:
        require(actor, "profile.view", record)
    pairs = ", ".join(f"arg_min({c}, version) AS {c}_intake, arg_max({c}, version) AS {c}_now" for c in DOMAIN_COLUMNS)
    mean = "list_avg([{}])"
    cur.register("movement_ids", id_frame([r.participant_id for r in records]))
    try:
        return cur.execute(f"""
            SELECT w.participant_id, count(s.version) AS snapshots,
                   arg_min(s.ladder_rung, s.version) AS rung_intake, arg_max(s.ladder_rung, s.version) AS rung_now,
                   arg_max(s.ladder_rung, s.version) - arg_min(s.ladder_rung, s.version) AS rung_change,
                   arg_min({mean.format(", ".join("s." + c for c in DOMAIN_COLUMNS))}, s.version) AS domains_intake,
                   arg_max({mean.format(", ".join("s." + c for c in DOMAIN_COLUMNS))}, s.version) AS domains_now,
                   {pairs}
            FROM movement_ids w LEFT JOIN profile_snapshots s ON s.participant_id = w.participant_id AND NOT s.draft
            GROUP BY w.participant_id ORDER BY w.participant_id""").df()
    finally:
        cur.unregister("movement_ids")
