"""backup, restore and rekey: the database file itself."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path

from incubator.cli.database import open_database
from incubator.core import backup, encryption
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.core.errors import DatabaseLocked, DomainError
from incubator.core.i18n import N_

NEW_KEY_VARIABLE = "INCUBATOR_DB_NEW_KEY"


class AppHoldsDatabase(DomainError):
    default_key = N_("The database file {path} is in use by another program, such as the running app. Make the "
                     "backup on the Accounts page (Back up now), or stop the other program and try again.")


def register(subparsers: argparse._SubParsersAction) -> None:
    make = subparsers.add_parser("backup", help="copy the database into a new folder (encrypted when a key is set)")
    make.add_argument("--out", required=True, help="the folder for the backup (made when missing; must be empty)")
    make.set_defaults(handler=run_backup)

    put_back = subparsers.add_parser("restore", help="put a backup in place of the database file")
    put_back.add_argument("folder", help="a folder made by `backup`")
    put_back.add_argument("--force", action="store_true", help="replace the database file if it exists")
    put_back.set_defaults(handler=run_restore)

    rekey = subparsers.add_parser(
        "rekey", help=f"encrypt the database with a new key (old key: ${encryption.KEY_VARIABLE}; new key: "
                      f"${NEW_KEY_VARIABLE}, else asked for, or read from stdin)")
    rekey.set_defaults(handler=run_rekey)


def run_backup(args: argparse.Namespace) -> int:
    try:
        con = open_database(args)
    except DatabaseLocked:
        raise AppHoldsDatabase(path=args.db) from None
    try:
        info = backup.backup(con.cursor(), args.out, actor=COMMAND_LINE_ADMIN, key=encryption.key_from_environment(),
                             now=dt.datetime.now(dt.UTC))
    finally:
        con.close()
    state = "encrypted" if info.encrypted else "NOT encrypted (no INCUBATOR_DB_KEY)"
    print(f"Backup in {Path(args.out) / backup.BACKUP_FILE}: migration {info.migration}, "
          f"{sum(info.tables.values())} rows in {len(info.tables)} tables, {state}.")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    info = backup.restore(args.folder, args.db, key=encryption.key_from_environment(), force=args.force)
    print(f"Restored {args.db} from {args.folder} (migration {info.migration}).")
    return 0


def _new_key() -> str:
    if os.environ.get(NEW_KEY_VARIABLE):
        return os.environ[NEW_KEY_VARIABLE]
    if sys.stdin.isatty():
        first = getpass.getpass("New database key: ")
        if getpass.getpass("Repeat the new key: ") != first:
            print("The two keys differ; nothing was changed.", file=sys.stderr)
            raise SystemExit(2)
        return first
    return sys.stdin.readline().rstrip("\n")


def run_rekey(args: argparse.Namespace) -> int:
    new_key = _new_key()
    backup.rekey(args.db, old_key=encryption.key_from_environment(), new_key=new_key)
    print(f"{args.db} is now encrypted with the new key. Set {encryption.KEY_VARIABLE} to the new key before "
          "you start the app; older backups still need the key they were made with.")
    return 0
