"""Sign-in through an organisation's identity provider (OpenID Connect): the subjects that signed in,
and the account an administrator links each one to."""

from __future__ import annotations

import duckdb

from incubator.accounts.users import _check_username, _insert_user, get_actor
from incubator.core.access import Actor, require
from incubator.core.audit import audit
from incubator.core.db import retry_on_conflict, transaction
from incubator.core.errors import NotFound


@retry_on_conflict
def actor_for_identity(cur: duckdb.DuckDBPyConnection, subject: str, email: str | None) -> Actor | None:
    """The account linked to an identity-provider subject; records unknown subjects for an
    administrator to link, and returns None until then."""
    row = cur.execute("SELECT user_id FROM oidc_identities WHERE subject = ?", [subject]).fetchone()
    if row is None:
        cur.execute("INSERT INTO oidc_identities (subject, email) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    [subject, email])
        return None
    return get_actor(cur, row[0]) if row[0] is not None else None


def list_identities(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> list[dict]:
    require(actor, "accounts.manage")
    rows = cur.execute(
        "SELECT i.subject, i.email, i.user_id, u.username FROM oidc_identities i"
        " LEFT JOIN users u USING (user_id) ORDER BY i.first_seen_at"
    ).fetchall()
    return [dict(zip(("subject", "email", "user_id", "username"), row, strict=True)) for row in rows]


@retry_on_conflict(queue="user_name:{username}")
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
        if cur.execute("SELECT 1 FROM oidc_identities WHERE subject = ?", [subject]).fetchone() is None:
            raise NotFound()
        # No UPDATE ... RETURNING: DuckDB 1.5 would not see a concurrent change of the row (users.set_password).
        cur.execute("UPDATE oidc_identities SET user_id = ? WHERE subject = ?", [user_id, subject])
        audit(cur, actor.user_id, "account.link_identity", f"user:{user_id}")
    return user_id
