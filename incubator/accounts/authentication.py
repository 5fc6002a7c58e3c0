"""Signing in with a local account, throttled so that an outsider cannot turn the throttle against a
user.

- Every attempt is counted before its password is checked, in one transaction per (user name,
  client address): attempts at the same moment conflict and are retried, so 40 guesses at once get
  no more checks than 40 guesses one after the other.
- After FREE_ATTEMPTS failures of one name from one address, that name waits at that address, twice
  as long after each further failure (FIRST_DELAY_SECONDS, then double, at most MAX_DELAY_SECONDS).
  The same person at another address is not slowed down. One address that tries many names waits
  after ADDRESS_FREE_FAILURES failures.
- An account is locked for LOCK_MINUTES only after LOCK_FAILURES failures from LOCK_ADDRESSES
  different addresses or more (a spread-out attack): one outsider cannot lock anybody out. Its owner
  learns of failures at the next sign-in; an administrator sees the lock and can lift it.
- A name without an account gets exactly the same answers and the same password-hash work, so that
  neither the answer nor its time tells which names exist. Only real accounts get a lasting row
  (account_sign_ins); the throttle rows of typed names are forgotten after FORGET_AFTER.
- Sign-ins and failures go to the audit log, without the password or a name that was typed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

import duckdb

from incubator.accounts import passwords
from incubator.accounts.users import normalise_username
from incubator.core.access import Actor, require
from incubator.core.audit import audit
from incubator.core.db import retrying, transaction
from incubator.core.errors import AccountLocked, NotFound, SignInDelayed, SignInFailed

FREE_ATTEMPTS = 3
FIRST_DELAY_SECONDS = 5
MAX_DELAY_SECONDS = 15 * 60
ADDRESS_FREE_FAILURES = 100
ADDRESS_MAX_DELAY_SECONDS = 60
LOCK_FAILURES = 100
LOCK_ADDRESSES = 10
LOCK_MINUTES = 15
FORGET_AFTER = dt.timedelta(hours=24)
# The client address of a visitor on this machine (Streamlit reports none for loopback).
LOCAL = "local"
_ANY_NAME = "*"  # the throttle row of an address, whatever name it tries


def name_key(username: str) -> str:
    """What the throttle keeps of a typed name: its SHA-256 (people type passwords into the name field)."""
    return hashlib.sha256(normalise_username(username).encode("utf-8")).hexdigest()


def _delay(failures: int, free: int, longest: int) -> dt.timedelta:
    if failures < free:
        return dt.timedelta(0)
    return dt.timedelta(seconds=min(longest, FIRST_DELAY_SECONDS * 2 ** min(failures - free, 20)))


def _refuse_if_waiting(cur: duckdb.DuckDBPyConnection, key: str, address: str, now: dt.datetime) -> None:
    row = cur.execute("SELECT max(blocked_until) FROM sign_in_throttle WHERE address = ? AND name_key IN (?, ?)",
                      [address, key, _ANY_NAME]).fetchone()
    if row[0] is not None and row[0] > now:
        raise SignInDelayed(math.ceil((row[0] - now).total_seconds()))


# One attempt more, before the password is checked: an upsert of the counter of (name, address) and of
# the address, which makes attempts at the same moment conflict (the losers are retried and then see
# the delay the winner set). A count whose last failure is older than FORGET_AFTER starts again.
_COUNT = """
    INSERT INTO sign_in_throttle AS t (name_key, address, failures, last_failure_at, blocked_until)
    VALUES ($key, $address, 1, $now, CASE WHEN $free <= 1 THEN $now + to_seconds($first) END)
    ON CONFLICT (name_key, address) DO UPDATE SET
        failures = CASE WHEN t.last_failure_at < $forget THEN 1 ELSE t.failures + 1 END,
        last_failure_at = $now,
        blocked_until = CASE
            WHEN (CASE WHEN t.last_failure_at < $forget THEN 1 ELSE t.failures + 1 END) < $free THEN NULL
            ELSE $now + to_seconds(least($longest, $first * pow(2, least(20,
                 (CASE WHEN t.last_failure_at < $forget THEN 1 ELSE t.failures + 1 END) - $free))))
        END
"""


def _count_attempt(cur: duckdb.DuckDBPyConnection, key: str, address: str, user_id: int | None,
                   now: dt.datetime) -> None:
    with transaction(cur):
        _refuse_if_waiting(cur, key, address, now)
        if user_id is not None:
            locked = cur.execute("SELECT locked_until FROM account_sign_ins WHERE user_id = ?", [user_id]).fetchone()
            if locked and locked[0] is not None and locked[0] > now:
                raise AccountLocked(minutes=math.ceil((locked[0] - now).total_seconds() / 60))
        common = {"address": address, "now": now, "forget": now - FORGET_AFTER, "first": FIRST_DELAY_SECONDS}
        cur.execute(_COUNT, {**common, "key": key, "free": FREE_ATTEMPTS, "longest": MAX_DELAY_SECONDS})
        cur.execute(_COUNT, {**common, "key": _ANY_NAME, "free": ADDRESS_FREE_FAILURES,
                             "longest": ADDRESS_MAX_DELAY_SECONDS})


def _record_failure(cur: duckdb.DuckDBPyConnection, key: str, user_id: int | None, now: dt.datetime) -> None:
    with transaction(cur):
        audit(cur, None, "account.sign_in_failed", f"user:{user_id}" if user_id is not None else None)
        if user_id is None:
            return
        cur.execute(
            "INSERT INTO account_sign_ins AS s (user_id, failures_since_sign_in, last_failure_at) VALUES (?, 1, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET failures_since_sign_in = s.failures_since_sign_in + 1,"
            " last_failure_at = excluded.last_failure_at", [user_id, now])
        addresses, failures = cur.execute(
            "SELECT count(*), coalesce(sum(failures), 0) FROM sign_in_throttle WHERE name_key = ?"
            " AND last_failure_at >= ?", [key, now - FORGET_AFTER]).fetchone()
        if addresses >= LOCK_ADDRESSES and failures >= LOCK_FAILURES:
            cur.execute("UPDATE account_sign_ins SET locked_until = ? WHERE user_id = ?",
                        [now + dt.timedelta(minutes=LOCK_MINUTES), user_id])
            audit(cur, None, "account.locked", f"user:{user_id}")


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, and how many failed sign-ins to the account there were since the previous
    successful one (its owner is told)."""

    actor: Actor
    failed_before: int = 0


def sign_in(cur: duckdb.DuckDBPyConnection, username: str, password: str, *, address: str | None,
            now: dt.datetime) -> SignedIn:
    """Check a user name and password typed at a client `address` (None: this machine). Raises
    SignInFailed, SignInDelayed (wait a few seconds at this address) or AccountLocked."""
    key, where = name_key(username), address or LOCAL
    account = cur.execute("SELECT user_id, role, username, password_hash FROM users WHERE username = ? AND active",
                          [normalise_username(username)]).fetchone()
    user_id = account[0] if account else None
    retrying(cur, lambda: _count_attempt(cur, key, where, user_id, now),
             queue=[f"sign_in:{key}:{where}", f"sign_in:{_ANY_NAME}:{where}"])
    if account is None or account[3] is None:
        passwords.spend_verify_time(password)
        correct = False
    else:
        correct = passwords.verify_password(account[3], password)
    if not correct:
        retrying(cur, lambda: _record_failure(cur, key, user_id, now), queue=[f"sign_in_account:{key}"])
        raise SignInFailed()

    def signed_in() -> None:
        with transaction(cur):
            cur.execute("DELETE FROM sign_in_throttle WHERE name_key = ? AND address = ?", [key, where])
            cur.execute("DELETE FROM sign_in_throttle WHERE last_failure_at < ?", [now - FORGET_AFTER])
            cur.execute(
                "INSERT INTO account_sign_ins AS s (user_id, last_sign_in_at) VALUES (?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET last_sign_in_at = excluded.last_sign_in_at,"
                " failures_since_sign_in = 0", [user_id, now])
            audit(cur, user_id, "account.sign_in", f"user:{user_id}")

    failed_before = failures_since_sign_in(cur, user_id)
    retrying(cur, signed_in, queue=[f"sign_in:{key}:{where}", f"sign_in_account:{key}"])
    return SignedIn(Actor(user_id, account[1], account[2]), failed_before)


def sign_in_with_identity(cur: duckdb.DuckDBPyConnection, actor: Actor, *, now: dt.datetime) -> SignedIn:
    """An organisation sign-in (OpenID Connect) of an account an administrator linked: recorded like a
    password sign-in (the last sign-in, the audit log), and the failures since the last one for its
    owner. The identity provider checked the password; nothing is throttled here."""
    failed_before = failures_since_sign_in(cur, actor.user_id)

    def write() -> None:
        with transaction(cur):
            cur.execute(
                "INSERT INTO account_sign_ins AS s (user_id, last_sign_in_at) VALUES (?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET last_sign_in_at = excluded.last_sign_in_at,"
                " failures_since_sign_in = 0", [actor.user_id, now])
            audit(cur, actor.user_id, "account.sign_in_identity", f"user:{actor.user_id}")

    retrying(cur, write, queue=[f"sign_in_account:{name_key(actor.username)}"])
    return SignedIn(actor, failed_before)


def failures_since_sign_in(cur: duckdb.DuckDBPyConnection, user_id: int) -> int:
    row = cur.execute("SELECT failures_since_sign_in FROM account_sign_ins WHERE user_id = ?", [user_id]).fetchone()
    return row[0] if row else 0


def unlock(cur: duckdb.DuckDBPyConnection, *, actor: Actor | None, user_id: int) -> None:
    """An administrator lifts an account's lock and forgets the delays of its name at every address."""
    require(actor, "accounts.manage")
    found = cur.execute("SELECT username FROM users WHERE user_id = ?", [user_id]).fetchone()
    if found is None:
        raise NotFound()
    key = name_key(found[0])

    def write() -> None:
        with transaction(cur):
            cur.execute("UPDATE account_sign_ins SET locked_until = NULL WHERE user_id = ?", [user_id])
            cur.execute("DELETE FROM sign_in_throttle WHERE name_key = ?", [key])
            audit(cur, actor.account_id, "account.unlock", f"user:{user_id}")

    retrying(cur, write, queue=[f"sign_in_account:{key}"])
