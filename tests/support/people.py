"""Helpers shared by the inventory tests (profiles, participants, import): an ESCO occupation, and a
fingerprint of everything an import may change. The fixtures `seeded` and `cohort` are in conftest."""

from __future__ import annotations

import duckdb

BAKER_URI = "http://data.europa.eu/esco/occupation/1aadb308-432a-4d01-b54b-b4f7f76dd419"
TABLES = ("participants", "participant_mentors", "profile_snapshots", "audit_log")


def fingerprint(cur: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Every row of the tables an import writes, in a fixed order."""
    return {table: sorted(map(repr, cur.execute(f"SELECT * FROM {table}").fetchall())) for table in TABLES}
