"""Signing in with a local account: the password check, the lock after repeated failures, and the
expiry of a session after inactivity."""

from __future__ import annotations

import datetime as dt

import duckdb

from incubator.accounts.passwords import verify_password
from incubator.accounts.users import normalise_username
from incubator.core.access import Actor
from incubator.core.audit import audit
from incubator.core.db import transaction
from incubator.core.errors import AccountLocked, SignInFailed

MAX_FAILURES = 5
LOCK_MINUTES = 15
SESSION_IDLE_MINUTES = 30


def sign_in(cur: duckdb.DuckDBPyConnection, username: str, password: str, *, now: dt.datetime) -> Actor:
    """Check a user name and password. After MAX_FAILURES failures in a row the name is locked for
    LOCK_MINUTES, whether or not the account exists."""
    name = normalise_username(username)
    failure = cur.execute("SELECT locked_until FROM sign_in_failures WHERE username = ?", [name]).fetchone()
    if failure and failure[0] is not None and failure[0] > now:
        minutes = max(1, int((failure[0] - now).total_seconds() // 60) + 1)
        raise AccountLocked(minutes=minutes)
    row = cur.execute(
        "SELECT user_id, role, password_hash FROM users WHERE username = ? AND active", [name]
    ).fetchone()
    if row is None or row[2] is None or not verify_password(row[2], password):
        _record_failure(cur, name, now)
        raise SignInFailed()
    with transaction(cur):
        cur.execute("DELETE FROM sign_in_failures WHERE username = ?", [name])
        audit(cur, row[0], "account.sign_in", f"user:{row[0]}")
    return Actor(row[0], row[1], name)


def _record_failure(cur: duckdb.DuckDBPyConnection, name: str, now: dt.datetime) -> None:
    with transaction(cur):
        row = cur.execute("SELECT failures, locked_until FROM sign_in_failures WHERE username = ?", [name]).fetchone()
        # A lock that has run out starts a new count.
        failures = 1 if row is None or (row[1] is not None and row[1] <= now) else row[0] + 1
        locked_until = now + dt.timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
        cur.execute("DELETE FROM sign_in_failures WHERE username = ?", [name])
        cur.execute(
            "INSERT INTO sign_in_failures VALUES (?, ?, ?, ?)", [name, failures, now, locked_until]
        )


def session_expired(last_seen: dt.datetime, *, now: dt.datetime) -> bool:
    return now - last_seen > dt.timedelta(minutes=SESSION_IDLE_MINUTES)
