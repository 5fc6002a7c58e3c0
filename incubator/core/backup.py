"""Backups, restores and a new key for the database file.

A backup is a folder with `incubator.duckdb` (a whole, checkpointed DuckDB file: encrypted with the
key of the database it was made from, if any) and `manifest.json` (the migration version and each
table's row count, to check the copy before it is restored). It is made through an open connection,
in one transaction, so it is a consistent snapshot while the app keeps working.

Restoring and changing the key replace the database file, which is safe only while no other process
has it open: both refuse with DatabaseLocked when one does.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from incubator.core import db, encryption
from incubator.core.access import Actor, require
from incubator.core.audit import audit
from incubator.core.errors import DatabaseLocked, DomainError
from incubator.core.i18n import N_

BACKUP_FILE = "incubator.duckdb"
MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = 1


class BackupRejected(DomainError):
    default_key = N_("The backup could not be used; nothing was changed.")


NOT_A_BACKUP = N_("{folder} is not a backup: it has no {file}.")
BACKUP_EXISTS = N_("{folder} already holds a backup. Choose an empty folder.")
TARGET_EXISTS = N_("The database file {path} exists. To replace it with the backup, add --force.")
BACKUP_TOO_NEW = N_("The backup was made by a newer version of Versnelling (migration {found}; this version knows "
                    "up to {known}). Install the newer version to restore it.")
BACKUP_DAMAGED = N_("The backup in {folder} is damaged: its tables do not match its manifest.")
BACKUP_KEY_NEEDED = N_("The backup in {folder} is encrypted. Set INCUBATOR_DB_KEY to the key it was made with.")
BACKUP_WRONG_KEY = N_("INCUBATOR_DB_KEY is not the key the backup in {folder} was made with.")
NO_DATABASE = N_("There is no database file {path}.")
NEW_KEY_SAME = N_("The new key is the same as the old one.")
NEW_KEY_TOO_SHORT = N_("A database key has at least {minimum} characters.")

MIN_KEY_LENGTH = 16


@dataclass(frozen=True)
class BackupInfo:
    folder: Path
    migration: int
    encrypted: bool
    tables: dict[str, int]


def _table_counts(cur: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    names = [row[0] for row in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'"
        " ORDER BY table_name", [catalog]).fetchall()]
    return {name: cur.execute(f'SELECT count(*) FROM "{catalog}".main."{name}"').fetchone()[0] for name in names}


def backup(cur: duckdb.DuckDBPyConnection, folder: str | Path, *, actor: Actor, key: str | None,
           now: dt.datetime | None = None) -> BackupInfo:
    """Copy the database this cursor works in to `folder` (made when missing; it must not hold a backup
    yet). An encrypted database is copied encrypted with `key`, the key it was opened with. For
    administrators (a backup holds everyone's data)."""
    require(actor, "accounts.manage")
    folder = Path(folder)
    target = folder / BACKUP_FILE
    if target.exists():
        raise BackupRejected(BACKUP_EXISTS, folder=str(folder))
    encryption.restrict_new_files()
    folder.mkdir(parents=True, exist_ok=True)
    source = cur.execute("SELECT current_database()").fetchone()[0]
    encrypted = encryption.is_encrypted(cur)
    if encrypted and not key:  # never a plaintext copy of an encrypted database
        raise encryption.DatabaseKeyNeeded(str(target))
    alias = f"backup_{secrets.token_hex(6)}"  # attached databases are shared by every cursor
    encryption.attach(cur, target, alias, key if encrypted else None)
    try:
        cur.execute("BEGIN TRANSACTION")  # one snapshot: writes of other cursors meanwhile are left out
        try:
            cur.execute(f'COPY FROM DATABASE "{source}" TO {alias}')
            counts = _table_counts(cur, source)
            migration = cur.execute(f'SELECT max(version) FROM "{source}".main.schema_migrations').fetchone()[0]
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute(f"CHECKPOINT {alias}")
    finally:
        cur.execute(f"DETACH {alias}")
    manifest = {"format": MANIFEST_FORMAT, "made_at": (now or dt.datetime.now(dt.UTC)).isoformat(),
                "migration": migration, "encrypted": encrypted, "tables": counts}
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    audit(cur, actor.account_id, "database.backup", None)
    return BackupInfo(folder, migration, encrypted, counts)


def check_backup(folder: str | Path, *, key: str | None) -> BackupInfo:
    """Open a backup with `key` and compare it with its manifest; the version must be one this code knows."""
    folder = Path(folder)
    file, manifest_file = folder / BACKUP_FILE, folder / MANIFEST_FILE
    for needed in (file, manifest_file):
        if not needed.is_file():
            raise BackupRejected(NOT_A_BACKUP, folder=str(folder), file=needed.name)
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        expected = {str(k): int(v) for k, v in manifest["tables"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BackupRejected(BACKUP_DAMAGED, folder=str(folder)) from None
    con = encryption.new_instance()
    try:
        try:
            encryption.attach(con, file, "checked", key if manifest.get("encrypted") else None, read_only=True)
        except encryption.DatabaseKeyNeeded:
            raise BackupRejected(BACKUP_KEY_NEEDED, folder=str(folder)) from None
        except encryption.WrongDatabaseKey:
            raise BackupRejected(BACKUP_WRONG_KEY, folder=str(folder)) from None
        except duckdb.Error:
            raise BackupRejected(BACKUP_DAMAGED, folder=str(folder)) from None
        found = con.execute("SELECT max(version) FROM checked.main.schema_migrations").fetchone()[0]
        counts = _table_counts(con, "checked")
    finally:
        con.close()
    if counts != expected:
        raise BackupRejected(BACKUP_DAMAGED, folder=str(folder))
    if found > db.latest_migration():
        raise BackupRejected(BACKUP_TOO_NEW, found=found, known=db.latest_migration())
    return BackupInfo(folder, found, bool(manifest.get("encrypted")), counts)


class _HeldFile:
    """A POSIX lock on the database file, the kind DuckDB takes: refused while another process holds
    it. (Taken only where this process has not opened the file with DuckDB: closing it would drop
    DuckDB's lock too.)"""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> _HeldFile:
        if self.path.exists():
            self.fd = os.open(self.path, os.O_RDWR)
            try:
                fcntl.lockf(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(self.fd)
                raise DatabaseLocked(str(self.path)) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _put_in_place(new_file: Path, path: Path) -> None:
    """Replace the database file with a complete, checkpointed one (a leftover .wal of the old file
    would be replayed into the new one)."""
    with open(new_file, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(new_file, path)
    _wal(path).unlink(missing_ok=True)


def restore(folder: str | Path, path: str | Path, *, key: str | None, force: bool = False) -> BackupInfo:
    """Put the backup in `folder` in place of the database file `path` (with --force only when that
    file exists, and only while no other process holds it). An encrypted backup opens with `key`; the
    database is migrated to this version the next time it is opened."""
    path = Path(path)
    info = check_backup(folder, key=key)
    if path.exists() and not force:
        raise BackupRejected(TARGET_EXISTS, path=str(path))
    encryption.restrict_new_files()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _HeldFile(path):
        staged = path.with_name(path.name + ".restoring")
        shutil.copyfile(Path(folder) / BACKUP_FILE, staged)
        _put_in_place(staged, path)
    return info


def rekey(path: str | Path, *, old_key: str | None, new_key: str) -> None:
    """Encrypt the database file with `new_key` (it was encrypted with `old_key`, or not at all), while
    no other process holds it. The file is copied into a new encrypted file, which is checked and then
    put in its place; the old file is gone afterwards. Backups keep the key they were made with."""
    path = Path(path)
    if not path.is_file():
        raise BackupRejected(NO_DATABASE, path=str(path))
    if len(new_key) < MIN_KEY_LENGTH:
        raise BackupRejected(NEW_KEY_TOO_SHORT, minimum=MIN_KEY_LENGTH)
    if new_key == old_key:
        raise BackupRejected(NEW_KEY_SAME)
    encryption.restrict_new_files()
    staged = path.with_name(path.name + ".rekeying")
    staged.unlink(missing_ok=True)
    _wal(staged).unlink(missing_ok=True)
    # First open it for writing: refused when another process holds it, and the checkpoint on closing
    # takes what its .wal holds into the file, so that the read-only copy below misses nothing.
    con = encryption.new_instance()
    try:
        encryption.attach(con, path, "old", old_key)
        con.execute("CHECKPOINT old")
    finally:
        con.close()
    # Read-only from here: other writers stay out until the new file is in place, and nothing is
    # written to the old file or its .wal any more.
    con = encryption.new_instance()
    try:
        encryption.attach(con, path, "old", old_key, read_only=True)
        encryption.attach(con, staged, "new", new_key)
        con.execute("COPY FROM DATABASE old TO new")
        if _table_counts(con, "old") != _table_counts(con, "new"):
            raise BackupRejected()
        con.execute("CHECKPOINT new")
        con.execute("DETACH new")
        _put_in_place(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    finally:
        con.close()
