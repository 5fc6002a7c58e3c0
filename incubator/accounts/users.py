"""Local accounts: creating them, passwords set by their owner or an administrator, roles and
deactivation, and what an administrator sees of each account's sign-ins. (The first administrator of
a fresh installation: incubator.accounts.setup.)"""

from __future__ import annotations

import datetime as dt
import unicodedata

import duckdb
from confusable_homoglyphs import confusables

from incubator.accounts import sessions
from incubator.accounts.passwords import check_new_password, hash_password
from incubator.core import names
from incubator.core.access import ROLES, Actor, require
from incubator.core.audit import audit
from incubator.core.db import claim, retry_on_conflict, retrying, transaction
from incubator.core.errors import NotFound, ValidationFailed
from incubator.core.i18n import N_

# Characters of no script (digits, '-', '.', '_') and combining marks (Arabic vowel signs) go with any.
_ANY_SCRIPT = ["COMMON", "INHERITED"]


def normalise_username(username: str) -> str:
    """The name as stored and compared: NFKC (full-width and other compatibility forms become the usual
    letters) and case-folded, without surrounding spaces."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def check_username(username: str) -> str:
    """The normalised name, or ValidationFailed: 3 to 64 characters, no spaces, no control or invisible
    formatting characters, and the letters of one script only (so that 'аdmin' with a Cyrillic 'а'
    cannot pass for 'admin')."""
    name = normalise_username(username)
    if not (3 <= len(name) <= 64) or any(ch.isspace() for ch in name):
        raise ValidationFailed(N_("A user name has 3 to 64 characters and no spaces."))
    if (hidden := names.invisible_character(name, joiners_between_letters=False)) is not None:
        raise ValidationFailed(names.USER_NAME_INVISIBLE, character=hidden)
    if confusables.is_mixed_script(name, allowed_aliases=_ANY_SCRIPT):
        raise ValidationFailed(N_("A user name uses the letters of one alphabet only, for instance Latin or Arabic."))
    return name


def has_admin(cur: duckdb.DuckDBPyConnection) -> bool:
    return cur.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active").fetchone()[0] > 0


def check_new_account(username: str, password: str | None, role: str) -> tuple[str, str | None]:
    """Check the role, user name and password of a new account; the name as stored and the password's
    hash (computed once, outside the write that may be retried)."""
    if role not in ROLES:
        raise ValidationFailed(N_("Unknown role {role}."), role=role)
    name = check_username(username)
    if password is None:
        return name, None
    check_new_password(password, username=name)
    return name, hash_password(password)


def insert_user(cur: duckdb.DuckDBPyConnection, username: str, password_hash: str | None, role: str) -> int:
    """Insert an account (inside the caller's transaction). A name taken meanwhile, even by a writer
    at the same moment (whose insert makes this one conflict and be retried), is refused plainly."""
    if role not in ROLES:
        raise ValidationFailed(N_("Unknown role {role}."), role=role)
    name = check_username(username)
    if cur.execute("SELECT 1 FROM users WHERE username = ?", [name]).fetchone():
        raise ValidationFailed(N_("The user name {username} is taken."), username=name)
    user_id = cur.execute(
        "INSERT INTO users (username, password_hash, role, password_changed_at)"
        " VALUES (?, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE current_timestamp END) RETURNING user_id",
        [name, password_hash, role, password_hash],
    ).fetchone()[0]
    return user_id


def create_user(
    cur: duckdb.DuckDBPyConnection, *, actor: Actor | None, username: str, password: str | None, role: str
) -> int:
    """Create an account (administrators, and the command line as `access.COMMAND_LINE_ADMIN`)."""
    require(actor, "accounts.manage")
    name, password_hash = check_new_account(username, password, role)

    def write() -> int:
        with transaction(cur):
            user_id = insert_user(cur, name, password_hash, role)
            audit(cur, actor.account_id, "account.create", f"user:{user_id}")
        return user_id

    return retrying(cur, write, queue=[f"user_name:{name}"])


def set_password(cur: duckdb.DuckDBPyConnection, *, actor: Actor | None, user_id: int, password: str,
                 keep_session_id: int | None = None) -> None:
    """A new password, set by the account's owner or an administrator. Every session of the account
    ends (a reset is what someone does who fears another person knows the password), except
    `keep_session_id`, the owner's own browser when they change it themselves."""
    if actor is None or actor.user_id != user_id:
        require(actor, "accounts.manage")
    username = cur.execute("SELECT username FROM users WHERE user_id = ?", [user_id]).fetchone()
    if username is None:
        raise NotFound()
    check_new_password(password, username=username[0])
    password_hash = hash_password(password)
    keep = keep_session_id if actor.user_id == user_id else None

    def write() -> None:
        with transaction(cur):
            if cur.execute("SELECT 1 FROM users WHERE user_id = ?", [user_id]).fetchone() is None:
                raise NotFound()
            # No UPDATE ... RETURNING on a table with a primary key: DuckDB 1.5 runs it as a delete and
            # an insert that a concurrent update does not conflict with, so one change would be lost.
            cur.execute("UPDATE users SET password_hash = ?, password_changed_at = current_timestamp"
                        " WHERE user_id = ?", [password_hash, user_id])
            cur.execute("UPDATE account_sign_ins SET locked_until = NULL WHERE user_id = ?", [user_id])
            sessions.end_sessions_of(cur, user_id, sessions.PASSWORD_CHANGED, keep_session_id=keep)
            audit(cur, actor.account_id, "account.set_password", f"user:{user_id}")

    retrying(cur, write, queue=[f"user:{user_id}"])


LAST_ADMIN = N_("The last active administrator keeps the role. Make another administrator first.")


def _active_admins(cur: duckdb.DuckDBPyConnection) -> int:
    return cur.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active").fetchone()[0]


@retry_on_conflict(queue="accounts.admins")
def set_role(cur: duckdb.DuckDBPyConnection, *, actor: Actor | None, user_id: int, role: str,
             active: bool = True) -> None:
    """Change an account's role or deactivate it; its sessions end, so that the change holds at once in
    every browser. Never leaves the installation without an active administrator."""
    require(actor, "accounts.manage")
    if role not in ROLES:
        raise ValidationFailed(N_("Unknown role {role}."), role=role)
    with transaction(cur):
        if user_id == actor.user_id and (role != "admin" or not active):
            raise ValidationFailed(N_("You cannot remove your own administrator role."))
        found = cur.execute("SELECT role, active FROM users WHERE user_id = ?", [user_id]).fetchone()
        if found is None:
            raise NotFound()
        if found == (role, active):
            return
        if found == ("admin", True):
            # Two administrators demoting each other at the same moment both claim the set of
            # administrators, so one of them is retried and then sees that it would leave none.
            claim(cur, "accounts.admins")
            if _active_admins(cur) <= 1:
                raise ValidationFailed(LAST_ADMIN)
        # No UPDATE ... RETURNING (see set_password).
        cur.execute("UPDATE users SET role = ?, active = ? WHERE user_id = ?", [role, active, user_id])
        reason = sessions.DEACTIVATED if not active else sessions.ROLE_CHANGED
        sessions.end_sessions_of(cur, user_id, reason)
        audit(cur, actor.account_id, "account.set_role", f"user:{user_id}")


def list_users(cur: duckdb.DuckDBPyConnection, *, actor: Actor | None,
               now: dt.datetime | None = None) -> list[dict]:
    """Every account with what an administrator needs: role, active, the last sign-in, failures since
    then, and a lock that holds at `now` (None when there is none)."""
    require(actor, "accounts.manage")
    rows = cur.execute(
        "SELECT u.user_id, u.username, u.role, u.active, u.password_hash IS NOT NULL, u.created_at,"
        " s.last_sign_in_at, coalesce(s.failures_since_sign_in, 0),"
        " CASE WHEN s.locked_until > ? THEN s.locked_until END"
        " FROM users u LEFT JOIN account_sign_ins s USING (user_id) ORDER BY u.username", [now or dt.datetime.now()]
    ).fetchall()
    keys = ("user_id", "username", "role", "active", "has_password", "created_at", "last_sign_in_at",
            "failures_since_sign_in", "locked_until")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def get_actor(cur: duckdb.DuckDBPyConnection, user_id: int) -> Actor | None:
    """The account as it is now (role changes and deactivation apply at once), or None."""
    row = cur.execute("SELECT user_id, role, username FROM users WHERE user_id = ? AND active", [user_id]).fetchone()
    return Actor(*row) if row else None
