"""Consent in bulk for tests that need many participants' research consent (the outcomes that
retrain the model are only those of people who consented to anonymised research)."""

from __future__ import annotations

import duckdb


def consent_to_research(cur: duckdb.DuckDBPyConnection, participant_ids: list[str]) -> None:
    """Record, in one statement, that these participants consented to anonymised research in person."""
    cur.execute("INSERT INTO consents (participant_id, purpose, notice_version, given_method)"
                " SELECT unnest(?::VARCHAR[]), 'research', '2026-12', 'in_person'", [list(participant_ids)])
