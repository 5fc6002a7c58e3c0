"""Erasure: every row about the person goes from every table (their account too), the audit log
keeps the pseudonymous entries and records the erasure, the outcome figures keep anonymous counts,
and after the file is rewritten neither the name nor any note is in the file's bytes. Retention runs
the same erasure for those who left long enough ago. Thirty erasures at once erase once."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from incubator.cli.main import main
from incubator.core import db
from incubator.core.errors import NotAllowed, ValidationFailed
from incubator.people.participants import ParticipantNotFound
from incubator.privacy import erasure, tables
from incubator.programme import outcomes
from tests.privacy.conftest import NAME, SECRETS
from tests.support.concurrency import run_together


def found_in_file(path, secrets=SECRETS) -> list[str]:
    """Which of the texts are in the file's bytes (UTF-8), and in its write-ahead log if one is left."""
    data = path.read_bytes()
    wal = path.with_name(path.name + ".wal")
    data += wal.read_bytes() if wal.exists() else b""
    return [s for s in secrets if s.encode("utf-8") in data]


def rows_about(cur, pid: str, owner_user_id: int) -> dict[str, int]:
    counts = {t: cur.execute(f'SELECT count(*) FROM "{t}" WHERE participant_id = ?', [pid]).fetchone()[0]
              for t in tables.person_tables(cur) if tables.PERSON_TABLES.get(t) != "kept"}
    counts["users"] = cur.execute("SELECT count(*) FROM users WHERE user_id = ?", [owner_user_id]).fetchone()[0]
    return {t: n for t, n in counts.items() if n}


def test_erasure_removes_every_row_and_the_rewritten_file_holds_no_name_or_note(cur, con, db_path, team, group, person):
    pid, newcomer = person
    before = rows_about(cur, pid, newcomer.user_id)
    assert {"participants", "profile_snapshots", "programme_notes", "mentoring_sessions", "session_next_steps",
            "plans", "venture_ideas", "milestones", "programme_outcomes", "consents", "users"} <= set(before)
    con.execute("CHECKPOINT")
    assert found_in_file(db_path) == list(SECRETS)  # the probe: all of it in plaintext before

    with pytest.raises(ValidationFailed):  # the typed confirmation must repeat the number
        erasure.erase_participant(cur, actor=team["manager"], participant_id=pid, confirmation="P-999999")
    for role in ("mentor", "newcomer", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            erasure.erase_participant(cur, actor=team[role] if role != "newcomer" else newcomer, participant_id=pid)
    done = erasure.erase_participant(cur, actor=team["manager"], participant_id=pid, confirmation=f" {pid} ")
    assert done.total >= sum(before.values()) and "plan_versions" in done.rows_removed
    assert rows_about(cur, pid, newcomer.user_id) == {}
    assert cur.execute("SELECT count(*) FROM milestone_events e WHERE NOT EXISTS"
                       " (SELECT 1 FROM milestones m WHERE m.milestone_id = e.milestone_id)").fetchone()[0] == 0
    # The audit log keeps only the pseudonymous subject, and the erasure is one more entry.
    actions = [a for (a,) in cur.execute("SELECT action FROM audit_log WHERE subject = ? ORDER BY entry_id",
                                         [f"participant:{pid}"]).fetchall()]
    assert actions[-1] == "participant.erase" and "note.add" in actions
    assert cur.execute("SELECT count(*) FROM audit_log WHERE subject LIKE ?", [f"%{NAME}%"]).fetchone()[0] == 0
    assert cur.execute("SELECT reason FROM erasures WHERE participant_id = ?", [pid]).fetchone() == ("request",)
    with pytest.raises(ParticipantNotFound):
        erasure.erase_participant(cur, actor=team["manager"], participant_id=pid)

    # Deleting is not enough: DuckDB leaves the bytes in the file (measured here every run; which of the
    # texts a later write happens to overwrite varies, the name stays).
    con.execute("CHECKPOINT")
    assert NAME in found_in_file(db_path)
    with pytest.raises(erasure.DatabaseInUse):  # the test's own connection still holds the file
        erasure.rewrite_file(db_path)
    con.close()
    erasure.rewrite_file(db_path)
    assert found_in_file(db_path) == []
    again = db.connect(db_path)  # the rewritten file is the whole database, and still migrates
    try:
        assert again.execute("SELECT count(*) FROM participants").fetchone()[0] == 3
        assert again.execute("SELECT count(*) FROM audit_log WHERE action = 'participant.erase'").fetchone()[0] == 1
        assert again.execute("SELECT nextval('participant_number_seq')").fetchone()[0] > int(pid[2:])
    finally:
        again.close()


def test_the_cohort_figures_keep_an_erased_persons_outcome_as_anonymous_counts(cur, team, group, person):
    pid, _ = person
    figures = outcomes.cohort_outcomes(cur, actor=team["manager"], cohort_id=group["cohort_id"])
    erasure.erase_participant(cur, actor=team["manager"], participant_id=pid)
    after = outcomes.cohort_outcomes(cur, actor=team["manager"], cohort_id=group["cohort_id"])
    assert (after.members, after.recorded, after.launched, after.jobs_fte) == (
        figures.members, figures.recorded, figures.launched, figures.jobs_fte)
    assert pid not in set(after.table["participant_id"])
    assert cur.execute("SELECT members, launched FROM erased_outcome_counts WHERE cohort_key = ?",
                       [group["cohort_id"]]).fetchone() == (1, 1)


def test_thirty_managers_erasing_one_person_at_once_erase_once(con, cur, team, group, person):
    pid, _ = person
    outcome = run_together(con, lambda c, i: erasure.erase_participant(c, actor=team["manager"], participant_id=pid))
    assert outcome.succeeded == 1, outcome.summary()
    assert all(isinstance(e, ParticipantNotFound) for e in outcome.domain_errors())
    assert cur.execute("SELECT count(*) FROM audit_log WHERE action = 'participant.erase'").fetchone()[0] == 1
    assert cur.execute("SELECT members FROM erased_outcome_counts").fetchone() == (1,)


def test_retention_is_a_dry_run_unless_applied_then_erases_who_left_long_ago(cur, con, db_path, team, group, person,
                                                                              capsys, monkeypatch):
    pid, _ = person
    other = group["amal"]
    cur.execute("UPDATE participants SET left_on = ? WHERE participant_id = ?", [dt.date.today() - dt.timedelta(days=800), pid])
    cur.execute("UPDATE participants SET left_on = ? WHERE participant_id = ?", [dt.date.today() - dt.timedelta(days=100), other])
    con.close()
    assert main(["--db", str(db_path), "retention"]) == 0
    out = capsys.readouterr().out
    assert pid in out and other not in out and "Dry run" in out
    assert main(["--db", str(db_path), "retention", "--apply"]) == 0
    assert f"Erased {pid}" in capsys.readouterr().out
    assert found_in_file(db_path) == []  # the command rewrote the file
    monkeypatch.setenv("INCUBATOR_RETENTION_MONTHS", "3")
    assert main(["--db", str(db_path), "retention", "--apply"]) == 0
    assert f"Erased {other}" in capsys.readouterr().out
    check = db.connect(db_path)
    try:
        assert check.execute("SELECT participant_id, reason FROM erasures ORDER BY 1").fetchall() == sorted(
            [(pid, "retention"), (other, "retention")])
    finally:
        check.close()


def test_erase_on_the_command_line_asks_for_the_number_typed(cur, con, db_path, team, group, person, capsys, monkeypatch):
    pid, _ = person
    con.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("P-000001\n"))
    assert main(["--db", str(db_path), "erase", pid]) == 1
    assert "Type the participant number" in capsys.readouterr().err
    assert NAME in found_in_file(db_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(pid + "\n"))
    assert main(["--db", str(db_path), "erase", pid]) == 0
    assert "rewritten" in capsys.readouterr().out
    assert found_in_file(db_path) == []
