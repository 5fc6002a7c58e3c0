"""Backup, restore and rekey, with and without a key, through the command line as people run it."""

import json
import subprocess
import sys

import pytest

from incubator.cli.main import main
from incubator.core import backup, db, encryption
from incubator.core.access import COMMAND_LINE_ADMIN, COMMAND_LINE_MANAGER
from incubator.core.errors import NotAllowed
from incubator.people import participants
from tests.support.app import ROOT
from tests.support.databases import copy_database

KEY = "a-test-key-that-is-long-enough-1"
NEW_KEY = "the-next-key-that-is-long-enough"


def names(path, key):
    con = db.connect(path, key=key)
    found = sorted(r[0] for r in con.execute("SELECT display_name FROM participants").fetchall())
    con.close()
    return found


def add(path, key, name):
    con = db.connect(path, key=key)
    participants.create_participant(con.cursor(), actor=COMMAND_LINE_MANAGER, display_name=name)
    con.close()


@pytest.fixture
def database(tmp_path, migrated_template, monkeypatch, request):
    """A database with one participant, encrypted when the test's `key` parameter is set."""
    key = getattr(request, "param", None)
    path = tmp_path / "incubator.duckdb"
    if key:
        monkeypatch.setenv(encryption.KEY_VARIABLE, key)
        db.connect(path, key=key).close()
    else:
        monkeypatch.delenv(encryption.KEY_VARIABLE, raising=False)
        copy_database(migrated_template, path)
    add(path, key, "Amal")
    return path, key


@pytest.mark.parametrize("database", [None, KEY], indirect=True, ids=["plain", "encrypted"])
def test_backup_then_restore_puts_the_data_back_and_refuses_to_overwrite_without_force(database, tmp_path, capsys):
    path, key = database
    out = tmp_path / "backups" / "monday"
    assert main(["--db", str(path), "backup", "--out", str(out)]) == 0
    add(path, key, "Yonas")  # after the backup
    assert main(["--db", str(path), "restore", str(out)]) == 1
    assert "exists. To replace it with the backup, add --force" in capsys.readouterr().err
    assert names(path, key) == ["Amal", "Yonas"]
    assert main(["--db", str(path), "restore", str(out), "--force"]) == 0
    assert names(path, key) == ["Amal"]
    copy = (out / backup.BACKUP_FILE).read_bytes()
    assert (b"Amal" in copy) is (key is None)
    assert json.loads((out / backup.MANIFEST_FILE).read_text())["encrypted"] is (key is not None)
    assert oct((out / backup.BACKUP_FILE).stat().st_mode & 0o777) == oct(0o600)


@pytest.mark.parametrize("database", [KEY], indirect=True, ids=["encrypted"])
def test_an_encrypted_backup_needs_its_key_to_restore(database, tmp_path, monkeypatch, capsys):
    path, _ = database
    out = tmp_path / "backup"
    assert main(["--db", str(path), "backup", "--out", str(out)]) == 0
    monkeypatch.setenv(encryption.KEY_VARIABLE, NEW_KEY)
    assert main(["--db", str(tmp_path / "elsewhere.duckdb"), "restore", str(out)]) == 1
    assert "is not the key the backup in" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere.duckdb").exists()


def test_a_backup_is_one_snapshot_while_others_write(tmp_path, migrated_template, people):
    path = copy_database(migrated_template, tmp_path / "live.duckdb")
    con = db.connect(path, key=None)
    writer = con.cursor()
    writer.execute("BEGIN TRANSACTION")
    writer.execute("INSERT INTO participants (participant_id, display_name) VALUES ('P-900001', 'Not yet committed')")
    info = backup.backup(con.cursor(), tmp_path / "b", actor=COMMAND_LINE_ADMIN, key=None)
    writer.execute("COMMIT")
    con.close()
    assert info.tables["participants"] == 0
    restored = tmp_path / "restored.duckdb"
    backup.restore(tmp_path / "b", restored, key=None)
    assert names(restored, None) == []


def test_only_an_administrator_makes_a_backup(cur, people, tmp_path):
    with pytest.raises(NotAllowed):
        backup.backup(cur, tmp_path / "b", actor=people["manager"], key=None)
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize("database", [None], indirect=True, ids=["plain"])
def test_restore_refuses_a_backup_of_a_newer_version(database, tmp_path, capsys):
    path, _ = database
    out = tmp_path / "b"
    assert main(["--db", str(path), "backup", "--out", str(out)]) == 0
    newer = db.connect(out / backup.BACKUP_FILE, key=None, migrate_now=False)
    newer.execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'from_the_future')")
    newer.close()
    manifest = json.loads((out / backup.MANIFEST_FILE).read_text())
    manifest["tables"]["schema_migrations"] += 1
    (out / backup.MANIFEST_FILE).write_text(json.dumps(manifest))
    assert main(["--db", str(tmp_path / "new.duckdb"), "restore", str(out)]) == 1
    assert "made by a newer version of Versnelling (migration 999" in capsys.readouterr().err


@pytest.mark.parametrize("database", [None], indirect=True, ids=["plain"])
def test_restore_refuses_a_backup_whose_tables_do_not_match_its_manifest(database, tmp_path, capsys):
    path, _ = database
    out = tmp_path / "b"
    assert main(["--db", str(path), "backup", "--out", str(out)]) == 0
    damaged = db.connect(out / backup.BACKUP_FILE, key=None, migrate_now=False)
    damaged.execute("DELETE FROM participants")
    damaged.close()
    assert main(["--db", str(tmp_path / "new.duckdb"), "restore", str(out)]) == 1
    assert "is damaged: its tables do not match its manifest" in capsys.readouterr().err


@pytest.mark.parametrize("database", [None], indirect=True, ids=["plain"])
def test_rekey_encrypts_a_plain_database_then_rotates_the_key(database, monkeypatch):
    path, _ = database
    monkeypatch.setenv("INCUBATOR_DB_NEW_KEY", KEY)
    assert main(["--db", str(path), "rekey"]) == 0
    assert b"Amal" not in path.read_bytes()
    assert names(path, KEY) == ["Amal"]
    monkeypatch.setenv(encryption.KEY_VARIABLE, KEY)
    monkeypatch.setenv("INCUBATOR_DB_NEW_KEY", NEW_KEY)
    assert main(["--db", str(path), "rekey"]) == 0
    with pytest.raises(encryption.WrongDatabaseKey):
        db.connect(path, key=KEY)
    assert names(path, NEW_KEY) == ["Amal"]
    # The sequence goes on where it was: the next participant does not reuse a number.
    add(path, NEW_KEY, "Yonas")
    con = db.connect(path, key=NEW_KEY)
    assert [r[0] for r in con.execute("SELECT participant_id FROM participants ORDER BY 1").fetchall()] == [
        "P-000001", "P-000002"]
    con.close()


@pytest.mark.parametrize("database", [None], indirect=True, ids=["plain"])
def test_rekey_and_restore_refuse_while_another_process_holds_the_file(database, tmp_path, monkeypatch, capsys):
    path, _ = database
    out = tmp_path / "b"
    assert main(["--db", str(path), "backup", "--out", str(out)]) == 0
    monkeypatch.setenv("INCUBATOR_DB_NEW_KEY", KEY)
    # The holder keeps the file until its stdin closes: no sleep, no guess how long the test takes.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; held = duckdb.connect(sys.argv[1]); print('ok', flush=True); sys.stdin.read()",
         str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "ok"
        codes = [main(["--db", str(path), *command]) for command in
                 (["rekey"], ["restore", str(out), "--force"], ["backup", "--out", str(tmp_path / "b2")])]
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    err = capsys.readouterr().err
    assert codes == [1, 1, 1]
    assert err.count(f"The database file {path} is in use by another program") == 3, err
    assert "Make the backup on the Accounts page" in err and "Traceback" not in err
    assert names(path, None) == ["Amal"]  # untouched, still plain
