"""Scoring from the store: the latest saved snapshot of many participants, read from its typed columns
and tables (migration 011) straight into the scoring arrays, with no JSON parsed and no Profile object
made. `people_from_store` gives the same People as `features.people_from_profiles` over the same
profiles (a test keeps them equal); `score_stored` ranks a whole cohort the way `top_for_many` does.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from incubator.core.access import Actor, require
from incubator.core.audit import audit
from incubator.core.db import transaction
from incubator.market.arrays import Market
from incubator.people.profile import RIASEC
from incubator.suggestions import bulk, ranking
from incubator.suggestions import features as fx
from incubator.suggestions.model import TrainedModel

# The participants whose latest saved snapshot is scored, numbered 0.. in participant order. A mentor
# scores the participants assigned to them; a manager (and the command line) every participant.
_LATEST = """
WITH latest AS (
    SELECT participant_id, max(version) AS version FROM profile_snapshots
    WHERE NOT draft {scope} GROUP BY participant_id
), numbered AS (
    SELECT participant_id, version, CAST(row_number() OVER (ORDER BY participant_id) - 1 AS BIGINT) AS row FROM latest
)
"""
_BASE = ("SELECT n.participant_id, coalesce(s.municipality, '') AS municipality, coalesce(s.isced_level, 0) AS isced_level,"
         " coalesce(s.capital_eur, 0) AS capital_eur, coalesce(s.hours_per_week, 20) AS hours_per_week,"
         " coalesce(s.home_based_only, FALSE) AS home_based_only, coalesce(s.on_benefit, TRUE) AS on_benefit, "
         + ", ".join(f"coalesce(s.interest_{c.lower()}, 50) AS interest_{c}" for c in RIASEC)
         + " FROM numbered n JOIN profile_snapshots s USING (participant_id, version) ORDER BY n.row")
_LISTS = {
    "skills": "SELECT n.row, t.esco_group AS code, t.level FROM numbered n JOIN profile_snapshot_skills t"
              " USING (participant_id, version) ORDER BY n.row, t.position",
    "languages": "SELECT n.row, t.code, t.cefr FROM numbered n JOIN profile_snapshot_languages t"
                 " USING (participant_id, version) ORDER BY n.row, t.position",
    "experience": "SELECT n.row, coalesce(t.isco, '') AS isco, coalesce(t.esco_uri, '') AS esco_uri, t.years"
                  " FROM numbered n JOIN profile_snapshot_experience t USING (participant_id, version)"
                  " ORDER BY n.row, t.position",
}


def _scope(actor: Actor) -> tuple[str, list[object]]:
    require(actor, "profile.list")
    if actor.role == "manager":
        return "", []
    return ("AND participant_id IN (SELECT participant_id FROM participant_mentors WHERE mentor_user_id = ?)",
            [actor.user_id])


def stored_tables(cur: duckdb.DuckDBPyConnection, *, actor: Actor,
                  participant_ids: Sequence[str] | None = None) -> fx.ProfileTables:
    """The latest saved snapshot of every participant the actor may see (or of the given ones among
    them) as typed columns and long tables, in participant order."""
    scope, params = _scope(actor)
    if participant_ids is not None:
        scope += " AND participant_id IN (SELECT unnest(?))"
        params = [*params, list(participant_ids)]
    latest = _LATEST.format(scope=scope)
    base = _columns(cur.execute(latest + _BASE, params).to_arrow_table())
    lists = {name: _columns(cur.execute(latest + sql, params).to_arrow_table()) for name, sql in _LISTS.items()}
    ids = base.pop("participant_id")
    return fx.ProfileTables(ids=list(ids), base=base, **lists)


def _columns(table: pa.Table) -> dict[str, np.ndarray | pd.Categorical]:
    """An Arrow result as NumPy columns; text as a Categorical (Arrow's dictionary encoding, much
    cheaper than Python strings one by one), which features._encoded takes as it is."""
    out: dict[str, np.ndarray | pd.Categorical] = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            encoded = column.combine_chunks().dictionary_encode()
            out[name] = pd.Categorical.from_codes(encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False),
                                                  encoded.dictionary.to_pylist())
        else:
            out[name] = column.to_numpy()
    return out


def people_from_store(cur: duckdb.DuckDBPyConnection, *, actor: Actor, market: Market,
                      participant_ids: Sequence[str] | None = None) -> fx.People:
    """The scoring arrays of the latest saved snapshots, straight from the typed tables."""
    return fx.people_from_tables(stored_tables(cur, actor=actor, participant_ids=participant_ids), market)


def score_stored_cohort(cur: duckdb.DuckDBPyConnection, *, actor: Actor, market: Market, model: TrainedModel,
                        participant_ids: Sequence[str] | None = None, top: int = ranking.TOP) -> bulk.CohortScores:
    """Score every stored participant the actor may see (or the given ones) at once: their estimates
    and picks, with reasons built on demand (`CohortScores.suggestions`). One audit entry says that
    the actor scored that many participants (never who, nor the scores)."""
    people = people_from_store(cur, actor=actor, market=market, participant_ids=participant_ids)
    scored = bulk.score_people(model, market, people, top=top)
    with transaction(cur):
        audit(cur, actor.account_id, "suggest.score_stored", f"participants:{len(people)}")
    return scored


def picks_frame(scored: bulk.CohortScores) -> pd.DataFrame:
    """One row per participant and rank: participant_id, rank, venture_id, score."""
    person, rank = np.nonzero(scored.chosen >= 0)
    venture = scored.chosen[person, rank]
    return pd.DataFrame({
        "participant_id": np.asarray(scored.people.ids, object)[person], "rank": rank + 1,
        "venture_id": np.asarray(scored.market.venture_ids, object)[venture], "score": scored.scores[person, venture],
    })


def score_stored(cur: duckdb.DuckDBPyConnection, *, actor: Actor, market: Market, model: TrainedModel,
                 participant_ids: Sequence[str] | None = None, top: int = ranking.TOP) -> pd.DataFrame:
    """Rank the ventures for every stored participant the actor may see (or the given ones): one row
    per participant and rank (participant_id, rank, venture_id, score), as `top_for_many` picks them."""
    return picks_frame(score_stored_cohort(cur, actor=actor, market=market, model=model,
                                           participant_ids=participant_ids, top=top))


# What a missing value of a checked file means: the exchange format's defaults (Profile's own).
_DEFAULTS = {"municipality": None, "isced_level": 0, "capital_eur": 0.0, "hours_per_week": 20.0,
             "home_based_only": False, "on_benefit": True, **{f"interest_{c}": 50 for c in RIASEC}}


def tables_from_checked(base: pd.DataFrame, skills: pd.DataFrame, languages: pd.DataFrame,
                        experience: pd.DataFrame, rows: Sequence[int]) -> tuple[fx.ProfileTables, pd.DataFrame]:
    """The typed frames of a checked file (incubator.people.checks.check_frames) for the given file
    rows, as ProfileTables (no Profile objects), and those rows of `base` in the same order."""
    kept = base[base["row"].isin(set(rows))].sort_values("row").reset_index(drop=True)
    number = pd.Series(np.arange(len(kept)), index=kept["row"].to_numpy())

    def entries(frame: pd.DataFrame, columns: list[str]) -> dict[str, np.ndarray]:
        frame = frame[frame["row"].isin(number.index)]
        frame = frame.assign(row=number.loc[frame["row"].to_numpy()].to_numpy()).sort_values("row", kind="stable")
        return {"row": frame["row"].to_numpy(np.int64), **{c: frame[c].to_numpy(object) for c in columns}}

    columns = {name: kept[name].astype(object).where(kept[name].notna(), default).to_numpy()
               if name in kept else np.full(len(kept), default, object) for name, default in _DEFAULTS.items()}
    tables = fx.ProfileTables(
        ids=kept["id"].fillna("").astype(str).tolist(), base=columns,
        skills=entries(skills, ["code", "level"]), languages=entries(languages, ["code", "cefr"]),
        experience=entries(experience, ["isco", "esco_uri", "years"]))
    return tables, kept
