"""Sign-in through an organisation's identity provider (OpenID Connect, `st.login`): the identities
that signed in, and the account an administrator links each one to.

A link cannot take over an account: nothing is matched by name or e-mail address. An administrator
chooses explicitly either an existing account (whose role stays as it is) or a new one with a role of
their choosing; every link and unlink is audited. Roles are only ever changed by users.set_role,
which keeps the last administrator."""

from __future__ import annotations

import duckdb

from incubator.accounts.users import check_new_account, get_actor, insert_user
from incubator.core.access import Actor, require
from incubator.core.audit import audit
from incubator.core.db import claim, retry_on_conflict, transaction
from incubator.core.errors import NotFound, ValidationFailed
from incubator.core.i18n import N_

LINKED_ALREADY = N_("This organisation sign-in is linked to an account already.")
CHOOSE_ACCOUNT = N_("Choose the account to link to.")
_LONGEST_SUBJECT = 512


def subject_of(issuer: str | None, sub: str | None) -> str | None:
    """The identity's key: the provider (issuer) and its subject. A subject is unique only within its
    issuer, so two providers' '42' are two people."""
    if not sub:
        return None
    return f"{issuer or ''}|{sub}"[:_LONGEST_SUBJECT]


@retry_on_conflict
def actor_for_identity(cur: duckdb.DuckDBPyConnection, subject: str, email: str | None) -> Actor | None:
    """The active account linked to an identity; records an identity seen for the first time for an
    administrator to link, and returns None until then."""
    row = cur.execute("SELECT user_id FROM oidc_identities WHERE subject = ?", [subject]).fetchone()
    if row is None:
        cur.execute("INSERT INTO oidc_identities (subject, email) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    [subject, (email or None) and email[:320]])
        return None
    return get_actor(cur, row[0]) if row[0] is not None else None


def list_identities(cur: duckdb.DuckDBPyConnection, *, actor: Actor | None) -> list[dict]:
    require(actor, "accounts.manage")
    rows = cur.execute(
        "SELECT i.subject, i.email, i.user_id, u.username FROM oidc_identities i"
        " LEFT JOIN users u USING (user_id) ORDER BY i.first_seen_at"
    ).fetchall()
    return [dict(zip(("subject", "email", "user_id", "username"), row, strict=True)) for row in rows]


def _unlinked(cur: duckdb.DuckDBPyConnection, subject: str) -> None:
    row = cur.execute("SELECT user_id FROM oidc_identities WHERE subject = ?", [subject]).fetchone()
    if row is None:
        raise NotFound()
    if row[0] is not None:
        raise ValidationFailed(LINKED_ALREADY)


@retry_on_conflict(queue="identity:{subject}")
def link_identity_to_account(cur: duckdb.DuckDBPyConnection, *, actor: Actor | None, subject: str,
                             user_id: int | None) -> None:
    """Link an identity to an existing account chosen by an administrator. The account keeps its role."""
    require(actor, "accounts.manage")
    if user_id is None:
        raise ValidationFailed(CHOOSE_ACCOUNT)
    with transaction(cur):
        claim(cur, f"identity:{subject}")
        _unlinked(cur, subject)
        if cur.execute("SELECT 1 FROM users WHERE user_id = ? AND active", [user_id]).fetchone() is None:
            raise NotFound()
        # No UPDATE ... RETURNING: DuckDB 1.5 would not see a concurrent change of the row (users.set_password).
        cur.execute("UPDATE oidc_identities SET user_id = ? WHERE subject = ?", [user_id, subject])
        audit(cur, actor.account_id, "account.link_identity", f"user:{user_id}")


@retry_on_conflict(queue="identity:{subject}")
def link_identity_to_new_account(cur: duckdb.DuckDBPyConnection, *, actor: Actor | None, subject: str,
                                 username: str, role: str) -> int:
    """Give an identity a new account (without a password) with the role the administrator chose. A
    user name that is taken is refused: an existing account is only ever linked explicitly."""
    require(actor, "accounts.manage")
    name, _ = check_new_account(username, None, role)
    with transaction(cur):
        claim(cur, f"identity:{subject}")
        _unlinked(cur, subject)
        user_id = insert_user(cur, name, None, role)
        cur.execute("UPDATE oidc_identities SET user_id = ? WHERE subject = ?", [user_id, subject])
        audit(cur, actor.account_id, "account.create", f"user:{user_id}")
        audit(cur, actor.account_id, "account.link_identity", f"user:{user_id}")
    return user_id


@retry_on_conflict(queue="identity:{subject}")
def unlink_identity(cur: duckdb.DuckDBPyConnection, *, actor: Actor | None, subject: str) -> None:
    """Undo a link: the identity waits for an administrator again; the account stays."""
    require(actor, "accounts.manage")
    with transaction(cur):
        row = cur.execute("SELECT user_id FROM oidc_identities WHERE subject = ?", [subject]).fetchone()
        if row is None:
            raise NotFound()
        cur.execute("UPDATE oidc_identities SET user_id = NULL WHERE subject = ?", [subject])
        audit(cur, actor.account_id, "account.unlink_identity", f"user:{row[0]}" if row[0] else None)
