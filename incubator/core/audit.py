"""The audit log: who viewed, changed or exported which record, and when; never the content."""

from __future__ import annotations

import duckdb
import pandas as pd

from incubator.core.access import Actor


def audit(cur: duckdb.DuckDBPyConnection, actor_user_id: int | None, action: str, subject: str | None) -> None:
    """Record one action. `subject` names the record (`participant:P-0001`), not its data."""
    cur.execute(
        "INSERT INTO audit_log (actor_user_id, action, subject) VALUES (?, ?, ?)", [actor_user_id, action, subject]
    )


def audit_many(cur: duckdb.DuckDBPyConnection, actor: Actor, action: str, participant_ids: list[str]) -> None:
    """One audit entry per participant, written in one statement."""
    if not participant_ids:
        return
    frame = pd.DataFrame({
        "actor_user_id": pd.Series([actor.account_id] * len(participant_ids), dtype=object),
        "action": action,
        "subject": [f"participant:{pid}" for pid in participant_ids],
    })
    cur.register("audit_rows", frame)
    try:
        cur.execute("INSERT INTO audit_log (actor_user_id, action, subject) SELECT * FROM audit_rows")
    finally:
        cur.unregister("audit_rows")
