"""Signing in with a local account: the password check, the lock after repeated failures, and the
expiry of a session after inactivity."""

from __future__ import annotations

import datetime as dt

import duckdb

from incubator.accounts.passwords import verify_password
from incubator.accounts.users import normalise_username
from incubator.core.access import Actor
from incubator.core.audit import audit
from incubator.core.db import retrying, transaction
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
        retrying(cur, lambda: _record_failure(cur, name, now), queue=[f"sign_in:{name}"])
        raise SignInFailed()

    def signed_in() -> None:
        with transaction(cur):
            cur.execute("DELETE FROM sign_in_failures WHERE username = ?", [name])
            audit(cur, row[0], "account.sign_in", f"user:{row[0]}")

    retrying(cur, signed_in, queue=[f"sign_in:{name}"])
    return Actor(row[0], row[1], name)


# One failure more, in one statement: an upsert of the counter, so that failures at the same moment
# are all counted (the loser of a conflict is retried). A lock that has run out starts a new count.
_NEW_COUNT = "CASE WHEN sign_in_failures.locked_until <= $now THEN 1 ELSE sign_in_failures.failures + 1 END"
_RECORD_FAILURE = f"""
    INSERT INTO sign_in_failures (username, failures, last_failure_at, locked_until)
    VALUES ($name, 1, $now, CASE WHEN 1 >= $max THEN $lock ELSE NULL END)
    ON CONFLICT (username) DO UPDATE SET
        failures = {_NEW_COUNT},
        last_failure_at = $now,
        locked_until = CASE WHEN {_NEW_COUNT} >= $max THEN $lock ELSE NULL END
"""


def _record_failure(cur: duckdb.DuckDBPyConnection, name: str, now: dt.datetime) -> None:
    cur.execute(_RECORD_FAILURE, {"name": name, "now": now, "max": MAX_FAILURES,
                                  "lock": now + dt.timedelta(minutes=LOCK_MINUTES)})


def session_expired(last_seen: dt.datetime, *, now: dt.datetime) -> bool:
    return now - last_seen > dt.timedelta(minutes=SESSION_IDLE_MINUTES)
