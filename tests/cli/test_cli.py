"""The command line: help lists every command, init and create-user work, errors are plain. The
commands run in this process through `main(argv)`; one test starts `python -m incubator` as people
do (and tests/core/test_db.py another, for the lock message between two processes)."""

import datetime as dt
import io
import re
import subprocess
import sys

import pytest

from incubator.accounts import authentication, passwords
from incubator.cli.main import build_parser, main
from incubator.core import db
from tests.support.app import ROOT, TEST_PASSWORD


def registered_commands() -> set[str]:
    return set(next(a for a in build_parser()._actions if a.dest == "command").choices)


def test_python_m_incubator_runs_as_a_process_and_its_help_lists_every_command():
    result = subprocess.run([sys.executable, "-m", "incubator", "--help"], capture_output=True, text=True, cwd=ROOT,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert {"init", "seed", "create-user", "messages"} <= registered_commands()
    for command in registered_commands():
        assert command in result.stdout


def test_every_command_has_its_own_help(capsys):
    for command in registered_commands():
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0
        assert capsys.readouterr().out.startswith(f"usage: python -m incubator {command}")


def test_init_then_create_user_reading_the_password_from_stdin(tmp_path, capsys, monkeypatch):
    path = tmp_path / "cli.duckdb"
    assert main(["--db", str(path), "init"]) == 0
    assert capsys.readouterr().out.startswith(f"Database {path} is ready (migrations 1, ")
    monkeypatch.setattr(sys, "stdin", io.StringIO(TEST_PASSWORD + "\n"))
    assert main(["--db", str(path), "create-user", "--role", "mentor", "Amal"]) == 0
    printed = capsys.readouterr()
    assert printed.out.startswith("Created account amal (id ") and printed.err == ""
    assert TEST_PASSWORD not in printed.out + printed.err
    con = db.connect(path)
    signed_in = authentication.sign_in(con.cursor(), "amal", TEST_PASSWORD, address=None, now=dt.datetime.now())
    assert signed_in.actor.role == "mentor"
    con.close()


def test_create_user_as_admin_is_the_other_way_in_and_retires_the_setup_token(tmp_path, capsys, monkeypatch):
    from incubator.accounts import setup

    path = tmp_path / "cli.duckdb"
    con = db.connect(path)
    token_file = setup.token_file_for(path)
    setup.issue_setup_token(con.cursor(), token_file)  # what a server start wrote
    con.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(TEST_PASSWORD + "\n"))
    assert main(["--db", str(path), "create-user", "--role", "admin", "boss"]) == 0
    assert not token_file.exists()  # nobody can use it to make a second first administrator
    con = db.connect(path)
    assert con.execute("SELECT username FROM users WHERE role = 'admin'").fetchall() == [("boss",)]
    con.close()


def test_create_user_with_a_short_password_fails_plainly(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["--db", str(tmp_path / "cli.duckdb"), "create-user", "--role", "admin", "boss"]) == 1
    assert capsys.readouterr().err.strip() == f"error: A password needs at least {passwords.MIN_PASSWORD_LENGTH} characters."


def test_an_unexpected_error_is_one_plain_line_with_a_reference(tmp_path, capsys):
    folder = tmp_path / "a-folder-not-a-database"
    folder.mkdir()
    assert main(["--db", str(folder), "init"]) == 70
    err = capsys.readouterr().err
    assert re.search(r"^error: Something went wrong on our side\..*E-[0-9a-f]{8}\.$", err.strip())
    assert "Traceback" not in err and "IO Error" not in err
