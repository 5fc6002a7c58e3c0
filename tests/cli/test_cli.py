"""The command line: help lists every command, init and create-user work, errors are plain."""

import re
import subprocess
import sys

from incubator.accounts import authentication, passwords
from incubator.core import db
from tests.support.app import ROOT, TEST_PASSWORD


def run_cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "incubator", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_help_lists_every_command():
    from incubator.cli.main import build_parser

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

    actor = authentication.sign_in(con.cursor(), "amal", TEST_PASSWORD, now=dt.datetime.now())
    assert actor.role == "mentor"
    con.close()


def test_create_user_with_a_short_password_fails_plainly(tmp_path):
    result = run_cli("--db", str(tmp_path / "cli.duckdb"), "create-user", "--role", "admin", "boss", stdin="short\n")
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: A password needs at least {passwords.MIN_PASSWORD_LENGTH} characters."


def test_an_unexpected_error_is_one_plain_line_with_a_reference(tmp_path, capsys):
    from incubator.cli.main import main

    folder = tmp_path / "a-folder-not-a-database"
    folder.mkdir()
    assert main(["--db", str(folder), "init"]) == 70
    err = capsys.readouterr().err
    assert re.search(r"^error: Something went wrong on our side\..*E-[0-9a-f]{8}\.$", err.strip())
    assert "Traceback" not in err and "IO Error" not in err
