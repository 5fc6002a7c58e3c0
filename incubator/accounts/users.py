"""Local accounts: creating them (the first administrator included), passwords set by their owner or
an administrator, roles and deactivation."""

from __future__ import annotations

import unicodedata

import duckdb

from incubator.accounts.passwords import check_new_password, hash_password
from incubator.core.access import ROLES, Actor, require
from incubator.core.audit import audit
from incubator.core.db import claim, retry_on_conflict, retrying, transaction
from incubator.core.errors import NotFound, ValidationFailed
from incubator.core.i18n import N_


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().lower()


def _check_username(username: str) -> str:
    name = normalise_username(username)
    if not (3 <= len(name) <= 64) or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in name):
        raise ValidationFailed(N_("A user name has 3 to 64 characters and no spaces."))
    return name


def has_admin(cur: duckdb.DuckDBPyConnection) -> bool:
    return cur.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active").fetchone()[0] > 0


def _check_new_account(username: str, password: str | None, role: str) -> tuple[str, str | None]:
    """Check the role, user name and password of a new account; the name as stored and the password's
    hash (computed once, outside the write that may be retried)."""
    if role not in ROLES:
        raise ValidationFailed(N_("Unknown role {role}."), role=role)
    name = _check_username(username)
    if password is None:
        return name, None
    check_new_password(password)
    return name, hash_password(password)


def _insert_user(cur: duckdb.DuckDBPyConnection, username: str, password_hash: str | None, role: str) -> int:
    """Insert an account (inside the caller's transaction). A name taken meanwhile, even by a writer
    at the same moment (whose insert makes this one conflict and be retried), is refused plainly."""
    if role not in ROLES:
        raise ValidationFailed(N_("Unknown role {role}."), role=role)
    name = _check_username(username)
    if cur.execute("SELECT 1 FROM users WHERE username = ?", [name]).fetchone():
        raise ValidationFailed(N_("The user name {username} is taken."), username=name)
    return cur.execute(
        "INSERT INTO users (username, password_hash, role, password_changed_at)"
        " VALUES (?, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE current_timestamp END) RETURNING user_id",
        [name, password_hash, role, password_hash],
    ).fetchone()[0]


FIRST_ADMIN_EXISTS = N_("An administrator exists already; sign in instead.")


def create_first_admin(cur: duckdb.DuckDBPyConnection, username: str, password: str) -> Actor:
    """Create the first administrator; refused once any administrator exists. Two people submitting
    at the same moment both claim the first administrator, so exactly one of them succeeds."""
    if has_admin(cur):
        raise ValidationFailed(FIRST_ADMIN_EXISTS)
    name, password_hash = _check_new_account(username, password, "admin")

    def write() -> int:
        with transaction(cur):
            claim(cur, "accounts.first_admin")
            if has_admin(cur):
                raise ValidationFailed(FIRST_ADMIN_EXISTS)
            user_id = _insert_user(cur, name, password_hash, "admin")
            audit(cur, user_id, "account.create_first_admin", f"user:{user_id}")
        return user_id

    return Actor(retrying(cur, write, queue=["accounts.first_admin"]), "admin", name)


def create_user(
    cur: duckdb.DuckDBPyConnection, *, actor: Actor | None, username: str, password: str | None, role: str
) -> int:
    """Create an account. `actor` None is the command line run by whoever holds the database file."""
    if actor is not None:
        require(actor, "accounts.manage")
    name, password_hash = _check_new_account(username, password, role)

    def write() -> int:
        with transaction(cur):
            user_id = _insert_user(cur, name, password_hash, role)
            audit(cur, actor.user_id if actor else None, "account.create", f"user:{user_id}")
        return user_id

    return retrying(cur, write, queue=[f"user_name:{name}"])


def set_password(cur: duckdb.DuckDBPyConnection, *, actor: Actor, user_id: int, password: str) -> None:
    if actor.user_id != user_id:
        require(actor, "accounts.manage")
    check_new_password(password)
    password_hash = hash_password(password)

    def write() -> None:
        with transaction(cur):
            found = cur.execute("SELECT username FROM users WHERE user_id = ?", [user_id]).fetchone()
            if found is None:
                raise NotFound()
            # No UPDATE ... RETURNING on a table with a primary key: DuckDB 1.5 runs it as a delete and
            # an insert that a concurrent update does not conflict with, so one change would be lost.
            cur.execute("UPDATE users SET password_hash = ?, password_changed_at = current_timestamp"
                        " WHERE user_id = ?", [password_hash, user_id])
            cur.execute("DELETE FROM sign_in_failures WHERE username = ?", [found[0]])
            audit(cur, actor.user_id, "account.set_password", f"user:{user_id}")

    retrying(cur, write, queue=[f"user:{user_id}"])


@retry_on_conflict(queue="user:{user_id}")
def set_role(cur: duckdb.DuckDBPyConnection, *, actor: Actor, user_id: int, role: str, active: bool = True) -> None:
    require(actor, "accounts.manage")
    if role not in ROLES:
        raise ValidationFailed(N_("Unknown role {role}."), role=role)
    with transaction(cur):
        if user_id == actor.user_id and (role != "admin" or not active):
            raise ValidationFailed(N_("You cannot remove your own administrator role."))
        if cur.execute("SELECT 1 FROM users WHERE user_id = ?", [user_id]).fetchone() is None:
            raise NotFound()
        # No UPDATE ... RETURNING (see set_password).
        cur.execute("UPDATE users SET role = ?, active = ? WHERE user_id = ?", [role, active, user_id])
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
