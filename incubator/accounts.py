"""Local accounts: argon2id password hashes, rate-limited sign-in, session expiry, and the link
between an identity-provider subject and an account."""

from __future__ import annotations

import datetime as dt
import unicodedata

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from incubator.access import ROLES, Actor, require
from incubator.audit import audit
from incubator.db import transaction
from incubator.errors import AccountLocked, NotFound, SignInFailed, ValidationFailed
from incubator.i18n import N_

MAX_FAILURES = 5
LOCK_MINUTES = 15
SESSION_IDLE_MINUTES = 30
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().lower()


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            N_("A password needs at least {count} characters."), count=MIN_PASSWORD_LENGTH
        )


def _check_username(username: str) -> str:
    name = normalise_username(username)
    if not (3 <= len(name) <= 64) or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in name):
        raise ValidationFailed(N_("A user name has 3 to 64 characters and no spaces."))
    return name


def has_admin(cur: duckdb.DuckDBPyConnection) -> bool:
    return cur.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active").fetchone()[0] > 0


def _insert_user(cur: duckdb.DuckDBPyConnection, username: str, password: str | None, role: str) -> int:
    if role not in ROLES:
        raise ValidationFailed(N_("Unknown role {role}."), role=role)
    name = _check_username(username)
    if password is not None:
        check_new_password(password)
    if cur.execute("SELECT 1 FROM users WHERE username = ?", [name]).fetchone():
        raise ValidationFailed(N_("The user name {username} is taken."), username=name)
    password_hash = hash_password(password) if password is not None else None
    return cur.execute(
        "INSERT INTO users (username, password_hash, role, password_changed_at)"
        " VALUES (?, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE current_timestamp END) RETURNING user_id",
        [name, password_hash, role, password_hash],
    ).fetchone()[0]


def create_first_admin(cur: duckdb.DuckDBPyConnection, username: str, password: str) -> Actor:
    """Create the first administrator; refused once any administrator exists."""
    with transaction(cur):
        if has_admin(cur):
            raise ValidationFailed(N_("An administrator exists already; sign in instead."))
        user_id = _insert_user(cur, username, password, "admin")
        audit(cur, user_id, "account.create_first_admin", f"user:{user_id}")
    return Actor(user_id, "admin", normalise_username(username))


def create_user(
    cur: duckdb.DuckDBPyConnection, *, actor: Actor | None, username: str, password: str | None, role: str
) -> int:
    """Create an account. `actor` None is the command line run by whoever holds the database file."""
    if actor is not None:
        require(actor, "accounts.manage")
    with transaction(cur):
        user_id = _insert_user(cur, username, password, role)
        audit(cur, actor.user_id if actor else None, "account.create", f"user:{user_id}")
    return user_id


def set_password(cur: duckdb.DuckDBPyConnection, *, actor: Actor, user_id: int, password: str) -> None:
    if actor.user_id != user_id:
        require(actor, "accounts.manage")
    check_new_password(password)
    with transaction(cur):
        updated = cur.execute(
            "UPDATE users SET password_hash = ?, password_changed_at = current_timestamp"
            " WHERE user_id = ? RETURNING username",
            [hash_password(password), user_id],
        ).fetchone()
        if updated is None:
            raise NotFound()
        cur.execute("DELETE FROM sign_in_failures WHERE username = ?", [updated[0]])
        audit(cur, actor.user_id, "account.set_password", f"user:{user_id}")


def set_role(cur: duckdb.DuckDBPyConnection, *, actor: Actor, user_id: int, role: str, active: bool = True) -> None:
    require(actor, "accounts.manage")
    if role not in ROLES:
        raise ValidationFailed(N_("Unknown role {role}."), role=role)
    with transaction(cur):
        if user_id == actor.user_id and (role != "admin" or not active):
            raise ValidationFailed(N_("You cannot remove your own administrator role."))
        if cur.execute(
            "UPDATE users SET role = ?, active = ? WHERE user_id = ? RETURNING user_id", [role, active, user_id]
        ).fetchone() is None:
            raise NotFound()
        audit(cur, actor.user_id, "account.set_role", f"user:{user_id}")


def list_users(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> list[dict]:
    require(actor, "accounts.manage")
    rows = cur.execute(
        "SELECT user_id, username, role, active, password_hash IS NOT NULL, created_at"
        " FROM users ORDER BY username"
    ).fetchall()
    keys = ("user_id", "username", "role", "active", "has_password", "created_at")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def get_actor(cur: duckdb.DuckDBPyConnection, user_id: int) -> Actor | None:
    """The account as it is now (role changes and deactivation apply at once), or None."""
    row = cur.execute("SELECT user_id, role, username FROM users WHERE user_id = ? AND active", [user_id]).fetchone()
    return Actor(*row) if row else None


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


def actor_for_identity(cur: duckdb.DuckDBPyConnection, subject: str, email: str | None) -> Actor | None:
    """The account linked to an identity-provider subject; records unknown subjects for an
    administrator to link, and returns None until then."""
    row = cur.execute("SELECT user_id FROM oidc_identities WHERE subject = ?", [subject]).fetchone()
    if row is None:
        cur.execute("INSERT INTO oidc_identities (subject, email) VALUES (?, ?)", [subject, email])
        return None
    return get_actor(cur, row[0]) if row[0] is not None else None


def list_identities(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> list[dict]:
    require(actor, "accounts.manage")
    rows = cur.execute(
        "SELECT i.subject, i.email, i.user_id, u.username FROM oidc_identities i"
        " LEFT JOIN users u USING (user_id) ORDER BY i.first_seen_at"
    ).fetchall()
    return [dict(zip(("subject", "email", "user_id", "username"), row, strict=True)) for row in rows]


def link_identity(
    cur: duckdb.DuckDBPyConnection, *, actor: Actor, subject: str, username: str, role: str
) -> int:
    """Give an identity-provider subject an account with a role (a new one when the name is new)."""
    require(actor, "accounts.manage")
    with transaction(cur):
        name = _check_username(username)
        row = cur.execute("SELECT user_id FROM users WHERE username = ?", [name]).fetchone()
        user_id = row[0] if row else _insert_user(cur, name, None, role)
        if row:
            cur.execute("UPDATE users SET role = ? WHERE user_id = ?", [role, user_id])
        if cur.execute(
            "UPDATE oidc_identities SET user_id = ? WHERE subject = ? RETURNING subject", [user_id, subject]
        ).fetchone() is None:
            raise NotFound()
        audit(cur, actor.user_id, "account.link_identity", f"user:{user_id}")
    return user_id
