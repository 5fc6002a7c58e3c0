"""The store: migrations, transactions and the lock message."""

import subprocess
import sys

import duckdb
import pytest

from incubator.core import db
from incubator.core.errors import DatabaseLocked
from tests.support.app import ROOT


def test_connect_creates_file_and_applies_every_migration(db_path):
    con = db.connect(db_path)
    applied = [row[0] for row in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
    assert db_path.exists()
    assert applied == [number for number, _, _ in db.migrations()]
    assert applied[0] == 1
    con.close()


def test_migrating_twice_applies_nothing_new(con):
    assert db.migrate(con) == []


def test_transaction_rolls_back_every_statement_on_error(cur):
    cur.execute("CREATE TABLE notes (text VARCHAR)")
    with pytest.raises(duckdb.ConstraintException), db.transaction(cur):
        cur.execute("INSERT INTO notes VALUES ('first')")
        cur.execute("INSERT INTO users (username, role) VALUES ('x', 'not-a-role')")
    assert cur.execute("SELECT count(*) FROM notes").fetchone()[0] == 0


def test_transaction_commits_when_the_block_ends(cur):
    cur.execute("CREATE TABLE notes (text VARCHAR)")
    with db.transaction(cur):
        cur.execute("INSERT INTO notes VALUES ('kept')")
    assert cur.execute("SELECT text FROM notes").fetchall() == [("kept",)]


def test_second_process_gets_a_plain_lock_message(db_path):
    # `python -m incubator` as a process, as people run it, while this process holds the file.
    holder = db.connect(db_path)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "incubator", "--db", str(db_path), "init"],
            capture_output=True, text=True, cwd=ROOT, timeout=120,
        )
    finally:
        holder.close()
    assert result.returncode == 1
    assert f"The database file {db_path} is in use by another program" in result.stderr
    assert "Traceback" not in result.stderr and "IO Error" not in result.stderr


def test_lock_is_raised_as_domain_error_in_process(db_path):
    # The holder keeps the file until its stdin closes: no sleep, no guess how long the test takes.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; held = duckdb.connect(sys.argv[1]); print('ok', flush=True); sys.stdin.read()",
         str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(DatabaseLocked) as caught:
            db.connect(db_path)
        assert caught.value.params == {"path": str(db_path)}
    finally:
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
