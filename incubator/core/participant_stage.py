"""The pipeline's per-participant derivation kept as a table: `participant_stage`, one row per
participant (intake day, cohort, municipality, current choice and family, the date of each stage),
a cache of the view `participant_stage_derivation` (migration 017), which is the one definition of it.

Every write that changes what the view derives calls `refresh` for the participants it touched, inside
its own transaction, so that the row commits (or rolls back) with the write. Two writers of one
participant meet at the row's primary key: one of them is retried (incubator.core.db.retrying) and then
derives from what the other committed. Bulk writers (the demo workspace) call `refresh_all` once.

It lives in core, below every writer (people, suggestions, plans, programme, privacy, market)."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

TABLE = "participant_stage"
DERIVATION = "participant_stage_derivation"
# The one milestone that dates a stage (Finance arranged), as the view reads it.
FINANCE_MILESTONE = "finance_arranged"


def refresh(cur: duckdb.DuckDBPyConnection, participant_ids: Iterable[str]) -> None:
    """Derive these participants' rows again. Call it inside the transaction of the write that changed
    them. (A participant's row goes when they are erased, with their other rows: privacy.tables.)"""
    ids = sorted({pid for pid in participant_ids if pid is not None})
    if not ids:
        return
    if len(ids) == 1:
        # An equality with a constant reaches every table scan of the view (a list does not): one
        # participant's row costs milliseconds, not a pass over every table.
        where, params = "participant_id = $pid", {"pid": ids[0]}
    else:
        where, params = "participant_id IN (SELECT unnest($ids::VARCHAR[]))", {"ids": ids}
    cur.execute(f"INSERT OR REPLACE INTO {TABLE} BY NAME SELECT * FROM {DERIVATION} WHERE {where}", params)


def refresh_all(cur: duckdb.DuckDBPyConnection) -> None:
    """Derive every row again (after a bulk write)."""
    cur.execute(f"INSERT OR REPLACE INTO {TABLE} BY NAME SELECT * FROM {DERIVATION}")
    cur.execute(f"DELETE FROM {TABLE} WHERE participant_id NOT IN (SELECT participant_id FROM participants)")


def refresh_after_catalogue(cur: duckdb.DuckDBPyConnection) -> None:
    """After the venture catalogue was replaced: the participants whose current venture's family changed
    (or whose venture left the catalogue)."""
    changed = cur.execute(
        f"SELECT s.participant_id FROM {TABLE} s LEFT JOIN ventures v ON v.venture_id = s.venture_id"
        " WHERE s.venture_id IS NOT NULL AND s.family IS DISTINCT FROM v.family").fetchall()
    refresh(cur, [pid for (pid,) in changed])


def differences(cur: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The rows where the table and the live derivation differ (each side's row, marked 'table' or
    'derived'); empty when the cache is right."""
    return cur.execute(
        f"(SELECT 'table' AS side, * FROM (SELECT * FROM {TABLE} EXCEPT ALL SELECT * FROM {DERIVATION}))"
        f" UNION ALL (SELECT 'derived', * FROM (SELECT * FROM {DERIVATION} EXCEPT ALL SELECT * FROM {TABLE}))"
        " ORDER BY participant_id, side").fetchall()
