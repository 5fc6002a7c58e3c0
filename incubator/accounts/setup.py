"""A fresh installation: the one-time setup token and the first administrator.

Whoever reaches a new installation first must not become its administrator. So while there is no
administrator, the server issues a random token at start, prints it on its console and writes it to a
file beside the database that only the file's owner may read (mode 0600); the setup page asks for it.
Only its SHA-256 is in the database. The command line (`python -m incubator create-user --role admin`)
is the other way in, for whoever holds the database file."""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

import duckdb

from incubator.accounts import sessions
from incubator.accounts.users import check_new_account, has_admin, insert_user
from incubator.core.access import Actor
from incubator.core.audit import audit
from incubator.core.db import claim, retrying, transaction
from incubator.core.errors import ValidationFailed
from incubator.core.i18n import N_

FIRST_ADMIN_EXISTS = N_("An administrator exists already; sign in instead.")
WRONG_TOKEN = N_("The setup token is not correct. Copy it from the server's console or from the file {file}.")
_PURPOSE = "first_admin"


def token_file_for(database_path: str | Path) -> Path:
    """Where the setup token of this database is written: beside it, `<database>.setup-token`."""
    path = Path(database_path)
    return path.with_name(path.name + ".setup-token")


def issue_setup_token(cur: duckdb.DuckDBPyConnection, token_file: Path) -> str | None:
    """At server start: while there is no administrator, a new token (returned, for the console) whose
    hash replaces any earlier one, written to `token_file` with mode 0600. With an administrator,
    None, and an old token file is removed. The file is written under a temporary name first and then
    renamed, so that nobody ever reads half a token or a file with looser permissions."""
    if has_admin(cur):
        remove_token_file(token_file)
        return None
    token = secrets.token_urlsafe(24)

    def write() -> None:
        with transaction(cur):
            cur.execute(
                "INSERT INTO setup_tokens (purpose, token_hash, issued_at) VALUES (?, ?, current_timestamp)"
                " ON CONFLICT (purpose) DO UPDATE SET token_hash = excluded.token_hash, issued_at = excluded.issued_at",
                [_PURPOSE, sessions.token_hash(token)],
            )

    retrying(cur, write, queue=["accounts.first_admin"])
    token_file.parent.mkdir(parents=True, exist_ok=True)
    partial = token_file.with_name(f".{token_file.name}.{secrets.token_hex(4)}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    os.replace(partial, token_file)
    return token


def remove_token_file(token_file: Path) -> None:
    token_file.unlink(missing_ok=True)


def _token_matches(cur: duckdb.DuckDBPyConnection, token: str) -> bool:
    row = cur.execute("SELECT token_hash FROM setup_tokens WHERE purpose = ?", [_PURPOSE]).fetchone()
    # compare_digest: the time of a comparison tells nothing about how much of the token was right.
    return row is not None and hmac.compare_digest(row[0], sessions.token_hash(token.strip()))


def create_first_admin(cur: duckdb.DuckDBPyConnection, username: str, password: str, *, setup_token: str,
                       token_file: Path | None = None) -> Actor:
    """Create the first administrator, with the setup token; refused once any administrator exists.
    Everyone who submits at the same moment claims the first administrator, so exactly one succeeds;
    the token is used up with it."""
    if has_admin(cur):
        raise ValidationFailed(FIRST_ADMIN_EXISTS)
    file_name = str(token_file) if token_file else "*.setup-token"
    if not _token_matches(cur, setup_token):
        raise ValidationFailed(WRONG_TOKEN, file=file_name)
    name, password_hash = check_new_account(username, password, "admin")

    def write() -> int:
        with transaction(cur):
            claim(cur, "accounts.first_admin")
            if has_admin(cur):
                raise ValidationFailed(FIRST_ADMIN_EXISTS)
            if not _token_matches(cur, setup_token):
                raise ValidationFailed(WRONG_TOKEN, file=file_name)
            user_id = insert_user(cur, name, password_hash, "admin")
            cur.execute("DELETE FROM setup_tokens WHERE purpose = ?", [_PURPOSE])
            audit(cur, user_id, "account.create_first_admin", f"user:{user_id}")
        return user_id

    admin = Actor(retrying(cur, write, queue=["accounts.first_admin"]), "admin", name)
    if token_file is not None:
        remove_token_file(token_file)
    return admin
