"""The command line: help lists every command, init and create-user work, errors are plain."""

import subprocess
import sys

from incubator import accounts, db

from .conftest import ROOT, TEST_PASSWORD


def run_cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "incubator", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_help_lists_every_command():
    from incubator.cli import build_parser

    registered = next(a for a in build_parser()._actions if a.dest == "command").choices
    result = run_cli("--help")
    assert result.returncode == 0
    assert {"init", "seed", "create-user", "messages"} <= set(registered)
    for command in registered:
        assert command in result.stdout


def test_init_then_create_user_reading_the_password_from_stdin(tmp_path):
    path = tmp_path / "cli.duckdb"
    assert run_cli("--db", str(path), "init").returncode == 0
    created = run_cli("--db", str(path), "create-user", "--role", "mentor", "Amal", stdin=TEST_PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    assert TEST_PASSWORD not in created.stdout + created.stderr
    con = db.connect(path)
    import datetime as dt

    actor = accounts.sign_in(con.cursor(), "amal", TEST_PASSWORD, now=dt.datetime.now())
    assert actor.role == "mentor"
    con.close()


def test_create_user_with_a_short_password_fails_plainly(tmp_path):
    result = run_cli("--db", str(tmp_path / "cli.duckdb"), "create-user", "--role", "admin", "boss", stdin="short\n")
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: A password needs at least {accounts.MIN_PASSWORD_LENGTH} characters."
