"""The audit log: every row chained by a hash, an edit of the file named by `verify`, refused
attempts recorded, 30 writers at once all chained, and only managers and administrators read it."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from incubator.cli.main import main
from incubator.core import audit, db
from incubator.core.access import COMMAND_LINE_ADMIN, Actor, require
from incubator.core.errors import NotAllowed
from incubator.people import participants, snapshots
from incubator.people.profile import Profile
from tests.support.concurrency import THREADS, run_together


def _write_some(cur, n: int = 5) -> None:
    for i in range(n):
        audit.audit(cur, i + 1, "profile.view", f"participant:P-{i:06d}")


def test_every_row_is_chained_and_verifies(cur):
    _write_some(cur)
    with db.transaction(cur):  # rows of one transaction are sealed once it commits
        audit.audit(cur, 9, "profile.save", "participant:P-000001")
        audit.audit(cur, 9, "plan.save", "participant:P-000001")
    found = audit.verify(cur)
    assert found.intact and found.checked == 7 and found.unsealed == 0
    positions = cur.execute("SELECT position, entry_id FROM audit_chain ORDER BY position").fetchall()
    assert [p for p, _ in positions] == list(range(1, 8))


def test_a_rolled_back_row_is_never_chained(cur):
    with pytest.raises(RuntimeError), db.transaction(cur):
        audit.audit(cur, 1, "profile.view", "participant:P-000001")
        raise RuntimeError("the action failed")
    assert cur.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
    assert audit.verify(cur).intact


@pytest.mark.parametrize("edit, problem, entry_id", [
    ("UPDATE audit_log SET subject = 'participant:P-999999' WHERE entry_id = 3", audit.CHANGED, 3),
    ("UPDATE audit_log SET happened_at = happened_at - INTERVAL 1 DAY WHERE entry_id = 2", audit.CHANGED, 2),
    ("UPDATE audit_log SET outcome = 'done' WHERE entry_id = 4", audit.CHANGED, 4),
    ("DELETE FROM audit_log WHERE entry_id = 2", audit.DELETED, 2),
    ("DELETE FROM audit_chain WHERE position = 3", audit.GAP, None),
    ("INSERT INTO audit_log (actor_user_id, action, subject, outcome) VALUES (1, 'profile.view', NULL, 'done')",
     audit.NOT_CHAINED, 6),
    ("DELETE FROM audit_chain WHERE position = 5", audit.TAIL_CUT, None),
])
def test_an_edit_of_the_file_names_the_first_broken_row(cur, edit, problem, entry_id):
    _write_some(cur, 3)
    audit.audit(cur, 1, "profile.view", "participant:P-000001", outcome=audit.REFUSED)
    audit.audit(cur, 1, "profile.view", "participant:P-000001")
    assert audit.verify(cur).intact
    cur.execute(edit)
    found = audit.verify(cur)
    assert not found.intact
    assert found.problem[0] == problem
    assert found.broken_entry_id == entry_id


def test_the_command_line_verifies_and_names_the_broken_row(con, db_path, capsys):
    _write_some(con.cursor(), 4)
    assert main(["--db", str(db_path), "audit", "verify"]) == 0
    assert "intact: 4 rows" in capsys.readouterr().out
    con.execute("UPDATE audit_log SET actor_user_id = 42 WHERE entry_id = 3")
    assert main(["--db", str(db_path), "audit", "verify"]) == 1
    assert "Audit row 3 (position 3) was changed" in capsys.readouterr().out


def test_thirty_writers_at_once_are_all_recorded_and_chained(con, people):
    """Thirty views of thirty records, each in its own transaction beside another write, released
    together: every row is written, sealed once and the chain verifies."""
    cur = con.cursor()
    ids = [f"P-{900000 + i}" for i in range(THREADS)]
    cur.executemany("INSERT INTO participants (participant_id, display_name) VALUES (?, ?)",
                    [[pid, f"Person {i}"] for i, pid in enumerate(ids)])
    before = cur.execute("SELECT count(*) FROM audit_log").fetchone()[0]

    def view(thread_cur, index):
        return snapshots.load_inventory(thread_cur, actor=people["manager"], participant_id=ids[index]).profile.id

    run_together(con, view).all_succeeded()
    assert cur.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before + THREADS
    found = audit.verify(cur)
    assert found.intact, found.problem
    assert found.unsealed == 0 and found.checked == before + THREADS
    assert cur.execute("SELECT count(DISTINCT entry_id) FROM audit_chain").fetchone()[0] == before + THREADS


def test_thirty_writers_inside_their_own_transactions(con):
    def write(thread_cur, index):
        def step():
            with db.transaction(thread_cur):
                audit.audit(thread_cur, index + 1, "note.add", f"participant:P-{index:06d}")
                audit.audit(thread_cur, index + 1, "note.view", f"participant:P-{index:06d}")
        db.retrying(thread_cur, step)

    run_together(con, write).all_succeeded()
    cur = con.cursor()
    found = audit.verify(cur)
    assert found.intact and found.checked == 2 * THREADS and found.unsealed == 0


def test_a_refusal_carries_who_what_and_which_record_and_is_recorded_once(cur, people):
    record = participants.create_participant(cur, actor=people["manager"], display_name="Amal")
    with pytest.raises(NotAllowed) as refused, audit.refusals_recorded(cur), audit.refusals_recorded(cur):
        require(people["newcomer"], "profile.view", record)
    assert refused.value.refusal.permission == "profile.view"
    rows = cur.execute("SELECT actor_user_id, action, subject, outcome FROM audit_log WHERE outcome = 'refused'").fetchall()
    assert rows == [(people["newcomer"].user_id, "profile.view", f"participant:{record.participant_id}", "refused")]
    assert audit.verify(cur).intact


def test_a_refused_domain_call_rolls_back_but_its_refusal_stays(cur, people):
    record = participants.create_participant(cur, actor=people["manager"], display_name="Amal")
    with pytest.raises(NotAllowed), audit.refusals_recorded(cur):
        snapshots.save_profile(cur, actor=people["mentor"], profile=Profile(id=record.participant_id))
    assert cur.execute("SELECT count(*) FROM profile_snapshots").fetchone()[0] == 0
    assert cur.execute("SELECT action, actor_user_id FROM audit_log WHERE outcome = 'refused'").fetchall() == [
        ("profile.edit", people["mentor"].user_id)]


def test_a_signed_out_visitor_is_refused_and_recorded_without_an_account(cur):
    with pytest.raises(NotAllowed), audit.refusals_recorded(cur):
        audit.list_entries(cur, actor=None)
    assert cur.execute("SELECT actor_user_id, action FROM audit_log WHERE outcome = 'refused'").fetchall() == [
        (None, "audit.view")]


@pytest.mark.parametrize("role", ["newcomer", "mentor", "stakeholder"])
def test_only_managers_and_administrators_read_the_log(cur, role):
    with pytest.raises(NotAllowed):
        audit.list_entries(cur, actor=Actor(5, role, "someone"))


def test_managers_filter_the_log(cur, people):
    audit.audit(cur, people["mentor"].user_id, "profile.view", "participant:P-000001")
    audit.audit(cur, people["mentor"].user_id, "plan.view", "participant:P-000002")
    audit.audit(cur, None, "profile.view", "participant:P-000002", outcome=audit.REFUSED)
    read = lambda **kw: audit.list_entries(cur, actor=people["manager"], where=audit.AuditFilter(**kw))  # noqa: E731
    assert set(read(participant_id="P-000002").action) == {"plan.view", "profile.view"}
    assert list(read(action="profile", actor_user_id=people["mentor"].user_id).subject) == ["participant:P-000001"]
    assert list(read(outcome="refused").subject) == ["participant:P-000002"]
    assert read(since=dt.date.today() + dt.timedelta(days=1)).empty
    assert len(read(until=dt.date.today())) >= 3
    assert list(read(action="plan").username) == ["test-mentor"]


def test_the_export_is_audited_and_its_cells_cannot_become_formulas(con, db_path, tmp_path, people):
    cur = con.cursor()
    audit.audit(cur, people["mentor"].user_id, "profile.view", "=HYPERLINK(\"http://x\")")
    workbook = openpyxl.load_workbook(__import__("io").BytesIO(
        audit.export_entries(cur, actor=people["admin"], file_format="xlsx")))
    subjects = [row[6] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert "=HYPERLINK(\"http://x\")" in subjects
    cell = next(c for c in workbook.active["G"] if c.value == "=HYPERLINK(\"http://x\")")
    assert cell.data_type == "s" and cell.quotePrefix
    assert cur.execute("SELECT count(*) FROM audit_log WHERE action = 'audit.export'").fetchone()[0] == 1
    out = tmp_path / "audit.csv"
    assert main(["--db", str(db_path), "audit", "export", "--out", str(out), "--action", "profile"]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "audit.export" not in text


def test_a_database_of_the_previous_version_gets_its_rows_sealed(tmp_path):
    """Rows written before migration 015 are chained by the first seal after it."""
    path = tmp_path / "old.duckdb"
    old = db.connect(path, migrate_now=False)
    db.migrate(old, up_to=14)
    cur = old.cursor()
    cur.execute("INSERT INTO audit_log (actor_user_id, action, subject) VALUES (1, 'profile.view', 'participant:P-1'),"
                " (2, 'plan.save', 'participant:P-2')")
    old.close()
    con = db.connect(path)
    cur = con.cursor()
    assert audit.verify(cur, seal_first=False).unsealed == 2  # waiting for the first seal
    audit.audit(cur, 3, "profile.view", "participant:P-3")
    found = audit.verify(cur)
    assert found.intact and found.checked == 3 and found.unsealed == 0
    assert cur.execute("SELECT count(*) FROM audit_log WHERE outcome = 'done'").fetchone()[0] == 3
    con.close()


def test_the_command_line_lists_refused_attempts(con, db_path, capsys):
    audit.audit(con.cursor(), 7, "profile.view", "participant:P-000001", outcome=audit.REFUSED)
    audit.audit(con.cursor(), 7, "plan.view", "participant:P-000001")
    assert main(["--db", str(db_path), "audit", "list", "--refused"]) == 0
    out = capsys.readouterr().out
    assert "profile.view\trefused\tparticipant:P-000001" in out and "plan.view" not in out


def test_a_refused_command_is_audited(con, db_path, people, capsys):
    assert main(["--db", str(db_path), "export-profiles", "--out", "/dev/null", "--as", "test-newcomer"]) == 1
    rows = con.execute("SELECT actor_user_id, action FROM audit_log WHERE outcome = 'refused'").fetchall()
    assert rows == [(people["newcomer"].user_id, "profile.export")]


def test_the_command_line_acts_as_an_administrator_without_an_account():
    assert COMMAND_LINE_ADMIN.account_id is None
