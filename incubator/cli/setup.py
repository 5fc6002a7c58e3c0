"""init and create-user."""

from __future__ import annotations

import argparse
import getpass
import sys

from incubator.accounts import setup, users
from incubator.cli.database import open_database
from incubator.core.access import COMMAND_LINE_ADMIN, ROLES


def register(subparsers: argparse._SubParsersAction) -> None:
    init = subparsers.add_parser("init", help="create the database file and apply its migrations")
    init.set_defaults(handler=run_init)

    create = subparsers.add_parser(
        "create-user", help="create an account (asks for the password, or reads it from stdin)"
    )
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("username")
    create.set_defaults(handler=run_create_user)


def run_init(args: argparse.Namespace) -> int:
    con = open_database(args)
    applied = [row[0] for row in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
    print(f"Database {args.db} is ready (migrations {', '.join(map(str, applied))}).")
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat the password: ") != first:
            print("The two passwords differ; nothing was created.", file=sys.stderr)
            raise SystemExit(2)
        return first
    return sys.stdin.readline().rstrip("\n")


def run_create_user(args: argparse.Namespace) -> int:
    con = open_database(args)
    password = _read_password()
    # Whoever holds the database file may create accounts, the first administrator included (the
    # other way in besides the setup token, which is then no longer needed).
    user_id = users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username=args.username, password=password,
                                role=args.role)
    if args.role == "admin":
        setup.remove_token_file(setup.token_file_for(args.db))
    print(f"Created account {users.normalise_username(args.username)} (id {user_id}, role {args.role}).")
    return 0
