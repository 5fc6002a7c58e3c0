"""Encryption at rest: the database file encrypted with DuckDB's own encryption (AES-GCM) when a key
is set (`INCUBATOR_DB_KEY`), and readable by its owner only either way.

DuckDB opens an encrypted file only through `ATTACH ... (ENCRYPTION_KEY ...)`, never as the main
database of `duckdb.connect(path)`, and a cursor starts in the instance's default database ("memory"),
not in the one a `USE` chose. So the file is attached under that default name (after the empty
in-memory one is detached), in a named in-memory instance per file: every `connect` of the same file
in this process shares one instance (as `duckdb.connect(path)` does), and every cursor of it starts
in the encrypted file. Secure writes need the cryptography of DuckDB's httpfs extension, which comes
from the `duckdb-extension-httpfs` package of the same version; DuckDB never installs or loads an
extension by itself (nothing is downloaded at run time).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import duckdb

from incubator.core.errors import DatabaseLocked, DomainError
from incubator.core.i18n import N_

KEY_VARIABLE = "INCUBATOR_DB_KEY"
# Nothing is fetched from the network or loaded behind our back: the one extension we need is loaded
# from its package, by path.
SAFE_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
OWNER_ONLY = 0o600


class DatabaseKeyNeeded(DomainError):
    default_key = N_("The database file {path} is encrypted. Set INCUBATOR_DB_KEY to its key and start again.")

    def __init__(self, path: str) -> None:
        super().__init__(None, path=path)


class WrongDatabaseKey(DomainError):
    default_key = N_("INCUBATOR_DB_KEY is not the key of the database file {path}. Use the key it was made with.")

    def __init__(self, path: str) -> None:
        super().__init__(None, path=path)


class DatabaseNotEncrypted(DomainError):
    default_key = N_("The database file {path} is not encrypted, but INCUBATOR_DB_KEY is set. To encrypt it, "
                     "run: python -m incubator rekey. To use it as it is, unset INCUBATOR_DB_KEY.")

    def __init__(self, path: str) -> None:
        super().__init__(None, path=path)


class EncryptionUnavailable(DomainError):
    default_key = N_("Encryption needs the package duckdb-extension-httpfs of the same version as duckdb. "
                     "Install the project again (make run), then start again.")


def key_from_environment() -> str | None:
    """The database key the operator set, or None (an empty value is no key)."""
    return os.environ.get(KEY_VARIABLE) or None


def httpfs_extension_file() -> Path:
    """The httpfs extension shipped in the duckdb-extension-httpfs package for this duckdb version."""
    try:
        import duckdb_extension_httpfs
    except ImportError:
        raise EncryptionUnavailable() from None
    found = Path(duckdb_extension_httpfs.__file__).parent / "extensions" / f"v{duckdb.__version__}" / "httpfs.duckdb_extension"
    if not found.is_file():  # the package of another duckdb version: its extension would not load
        raise EncryptionUnavailable()
    return found


def quoted(text: str) -> str:
    """A SQL string literal (ATTACH takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def restrict_new_files() -> None:
    """Files this process creates from now on (the database, its .wal, temporary files, backups) are
    readable by their owner only: DuckDB creates them with the process's umask, and a WAL file is made
    again after every checkpoint, so a chmod after the fact would leave it open in between."""
    current = os.umask(0o077)
    os.umask(current | 0o077)


def owner_only(path: Path) -> None:
    """Make an existing database file (and its .wal) readable by its owner only, e.g. one made by an
    older version with mode 0644."""
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            if file.stat().st_mode & 0o077:
                file.chmod(OWNER_ONLY)
        except (FileNotFoundError, PermissionError):
            pass  # not there (yet), or not ours: the operator's file system decides


def translated_open_error(exc: duckdb.Error, path: str) -> DomainError | None:
    """The domain error for DuckDB's refusal to open a file, or None for anything else."""
    text = str(exc)
    lowered = text.lower()
    if "could not set lock" in lowered or "conflicting lock" in lowered:
        return DatabaseLocked(path)
    if "without a key" in lowered:
        return DatabaseKeyNeeded(path)
    if "wrong encryption key" in lowered:
        return WrongDatabaseKey(path)
    if "is not encrypted" in lowered:
        return DatabaseNotEncrypted(path)
    return None


def new_instance(name: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB instance with the httpfs cryptography loaded from its package."""
    con = duckdb.connect(name, config=SAFE_CONFIG)
    con.execute(f"LOAD {quoted(str(httpfs_extension_file()))}")
    return con


def attach(con: duckdb.DuckDBPyConnection, path: Path, alias: str, key: str | None, *,
           read_only: bool = False) -> None:
    """ATTACH a database file (encrypted when a key is given) under `alias`, with DuckDB's refusals
    as domain errors."""
    options = [f"ENCRYPTION_KEY {quoted(key)}"] if key else []
    if read_only:
        options.append("READ_ONLY")
    suffix = f" ({', '.join(options)})" if options else ""
    try:
        con.execute(f"ATTACH {quoted(str(path))} AS {alias}{suffix}")
    except duckdb.Error as exc:
        raise (translated_open_error(exc, str(path)) or exc) from None


_instances_guard = threading.Lock()


def connect_encrypted(path: Path, key: str) -> duckdb.DuckDBPyConnection:
    """A connection whose cursors all work in the encrypted file at `path` (created when missing)."""
    # One instance per file and process, like duckdb.connect(path): two instances attaching the same
    # file would both write it.
    name = ":memory:versnelling-" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    with _instances_guard:  # the moment between DETACH and ATTACH below has no default database
        try:
            con = duckdb.connect(name, config=SAFE_CONFIG)
        except duckdb.Error as exc:
            raise (translated_open_error(exc, str(path)) or exc) from None
        if con.execute("SELECT path FROM duckdb_databases() WHERE database_name = 'memory'").fetchone()[0]:
            return con  # this process has the file open already
        try:
            con.execute(f"LOAD {quoted(str(httpfs_extension_file()))}")
            # What a large query spills to disk would otherwise be plain text beside the encrypted file.
            con.execute("SET temp_file_encryption = true")
            con.execute("ATTACH ':memory:' AS opening; USE opening; DETACH memory")
            attach(con, path, "memory", key)
            con.execute("USE memory; DETACH opening")
        except BaseException:
            con.close()
            raise
        return con


def is_encrypted(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database this cursor works in is stored encrypted."""
    return bool(cur.execute(
        "SELECT encrypted FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()[0])
