"""The audit log: who viewed, changed or exported which record, and when; never the content."""

from __future__ import annotations

import duckdb


def audit(cur: duckdb.DuckDBPyConnection, actor_user_id: int | None, action: str, subject: str | None) -> None:
    """Record one action. `subject` names the record (`participant:P-0001`), not its data."""
    cur.execute(
        "INSERT INTO audit_log (actor_user_id, action, subject) VALUES (?, ?, ?)", [actor_user_id, action, subject]
    )
