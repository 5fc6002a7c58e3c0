"""Server-side sessions: what a signed-in browser's cookie stands for. The cookie carries a random
token; the database keeps only its SHA-256, with an idle and an absolute lifetime. A session ends at
sign-out, at a password reset, when an administrator changes the account's role or deactivates it,
and when it runs out."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import NamedTuple

import duckdb

from incubator.core.access import Actor
from incubator.core.audit import audit
from incubator.core.db import retrying, transaction

COOKIE_NAME = "versnelling_session"
SESSION_IDLE_MINUTES = 30
SESSION_ABSOLUTE_HOURS = 8
# Marking a session as used is a write; once a minute is precise enough for a 30-minute idle limit.
TOUCH_AFTER = dt.timedelta(minutes=1)
# Ended sessions are kept this long (who was signed in when), then removed.
KEEP_ENDED_DAYS = 30
_TOKEN_BYTES = 32
_LONGEST_TOKEN = 100  # a token is 43 characters; anything much longer is not one of ours

# Why a session ended (account_sessions.end_reason).
SIGNED_OUT, PASSWORD_CHANGED, ROLE_CHANGED, DEACTIVATED, IDLE, EXPIRED = (
    "signed_out", "password_changed", "role_changed", "deactivated", "idle", "expired")


@dataclass(frozen=True)
class Session:
    session_id: int
    actor: Actor
    expires_at: dt.datetime
    failed_before: int = 0  # failed sign-ins to the account before this session began (its owner is told)


class Found(NamedTuple):
    """The live session of a token (or None), and whether it just ran out for lack of activity."""

    session: Session | None
    timed_out: bool = False


def token_hash(token: str) -> str:
    """What the database keeps of a token. SHA-256 without a salt is enough: the token is 256 random
    bits, so there is no dictionary to try."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(cur: duckdb.DuckDBPyConnection, actor: Actor, *, now: dt.datetime, failed_before: int = 0) -> str:
    """A new session for a signed-in account; returns the token for the cookie (shown nowhere else)."""
    token = secrets.token_urlsafe(_TOKEN_BYTES)

    def write() -> None:
        with transaction(cur):
            cur.execute("DELETE FROM account_sessions WHERE expires_at < ?", [now - dt.timedelta(days=KEEP_ENDED_DAYS)])
            cur.execute(
                "INSERT INTO account_sessions (token_hash, user_id, started_at, last_seen_at, expires_at, failed_before)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [token_hash(token), actor.user_id, now, now, now + dt.timedelta(hours=SESSION_ABSOLUTE_HOURS),
                 failed_before],
            )

    retrying(cur, write, queue=["sessions.prune"])
    return token


def find_session(cur: duckdb.DuckDBPyConnection, token: str | None, *, now: dt.datetime) -> Found:
    """The live session of a token: not ended, used within SESSION_IDLE_MINUTES, before its absolute end,
    of an active account (with the role it has now). A session that ran out is ended here."""
    if not isinstance(token, str) or not 0 < len(token) <= _LONGEST_TOKEN:
        return Found(None)
    row = cur.execute(
        "SELECT s.session_id, s.last_seen_at, s.expires_at, s.ended_at, u.user_id, u.role, u.username, u.active,"
        " s.failed_before"
        " FROM account_sessions s JOIN users u USING (user_id) WHERE s.token_hash = ?", [token_hash(token)]
    ).fetchone()
    if row is None:
        return Found(None)
    session_id, last_seen, expires_at, ended_at, user_id, role, username, active, failed_before = row
    if ended_at is not None or not active:
        return Found(None)
    idle = now - last_seen > dt.timedelta(minutes=SESSION_IDLE_MINUTES)
    if idle or now >= expires_at:
        _end(cur, session_id, IDLE if idle else EXPIRED, now)
        return Found(None, timed_out=True)
    if now - last_seen >= TOUCH_AFTER:
        retrying(cur, lambda: cur.execute(
            "UPDATE account_sessions SET last_seen_at = greatest(last_seen_at, ?) WHERE session_id = ?",
            [now, session_id]), queue=[f"session:{session_id}"])
    return Found(Session(session_id, Actor(user_id, role, username), expires_at, failed_before))


def _end(cur: duckdb.DuckDBPyConnection, session_id: int, reason: str, now: dt.datetime) -> None:
    retrying(cur, lambda: cur.execute(
        "UPDATE account_sessions SET ended_at = ?, end_reason = ? WHERE session_id = ? AND ended_at IS NULL",
        [now, reason, session_id]), queue=[f"session:{session_id}"])


def end_session(cur: duckdb.DuckDBPyConnection, token: str | None, *, now: dt.datetime) -> None:
    """Sign out: end the session of this token (nothing happens for a token that is not live)."""
    found = find_session(cur, token, now=now)
    if found.session is None:
        return
    session = found.session

    def write() -> None:
        with transaction(cur):
            _end(cur, session.session_id, SIGNED_OUT, now)
            audit(cur, session.actor.user_id, "account.sign_out", f"user:{session.actor.user_id}")

    retrying(cur, write, queue=[f"session:{session.session_id}"])


def end_sessions_of(cur: duckdb.DuckDBPyConnection, user_id: int, reason: str, *,
                    keep_session_id: int | None = None) -> None:
    """End every live session of an account (inside the caller's transaction), but `keep_session_id`:
    the browser in which the owner changed their own password stays signed in."""
    cur.execute(
        "UPDATE account_sessions SET ended_at = ?, end_reason = ?"
        " WHERE user_id = ? AND ended_at IS NULL AND session_id IS DISTINCT FROM ?",
        [dt.datetime.now(), reason, user_id, keep_session_id],
    )


def live_sessions(cur: duckdb.DuckDBPyConnection, user_id: int, *, now: dt.datetime) -> int:
    """How many sessions of an account are live now (for the administrator's list and the tests)."""
    return cur.execute(
        "SELECT count(*) FROM account_sessions WHERE user_id = ? AND ended_at IS NULL AND expires_at > ?"
        " AND last_seen_at >= ?", [user_id, now, now - dt.timedelta(minutes=SESSION_IDLE_MINUTES)]
    ).fetchone()[0]
