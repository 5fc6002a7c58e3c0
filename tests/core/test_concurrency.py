"""The store under many writers: nested transactions join the outer one, a write conflict is retried
and then becomes ConcurrentChange, and participant numbers come from a sequence that a database made
before it existed migrates to."""

from __future__ import annotations

import duckdb
import pytest
from jsonschema import Draft202012Validator

from incubator.core import db
from incubator.core.errors import ConcurrentChange, ValidationFailed
from incubator.market.seed import load_market_data
from incubator.people import importing as saving
from incubator.people import participants, snapshots
from incubator.people.profile import PROFILE_SCHEMA, Profile
from tests.support.concurrency import run_together


def notes(cur) -> list[str]:
    return [row[0] for row in cur.execute("SELECT text FROM notes ORDER BY text").fetchall()]


@pytest.fixture
def two(con):
    """Two cursors of one connection (two writers) and a table of notes."""
    first, second = con.cursor(), con.cursor()
    first.execute("CREATE TABLE notes (text VARCHAR PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0 CHECK (n >= 0))")
    return first, second


# --- nesting --------------------------------------------------------------------------------------

def test_an_inner_transaction_joins_the_outer_one_and_only_the_outer_commits(two):
    cur, other = two
    with db.transaction(cur):
        cur.execute("INSERT INTO notes (text) VALUES ('outer')")
        with db.transaction(cur):
            cur.execute("INSERT INTO notes (text) VALUES ('inner')")
        assert db.in_transaction(cur)
        assert notes(other) == []  # the inner block did not commit
    assert not db.in_transaction(cur)
    assert notes(other) == ["inner", "outer"]


def test_an_inner_failure_rolls_back_the_outer_block(two):
    cur, _ = two
    with pytest.raises(ValidationFailed), db.transaction(cur):
        cur.execute("INSERT INTO notes (text) VALUES ('outer')")
        with db.transaction(cur):
            cur.execute("INSERT INTO notes (text) VALUES ('inner')")
            raise ValidationFailed()
    assert notes(cur) == []
    with db.transaction(cur):  # the cursor is usable again
        cur.execute("INSERT INTO notes (text) VALUES ('later')")
    assert notes(cur) == ["later"]


def test_an_inner_failure_that_the_outer_block_swallows_still_rolls_everything_back(two):
    cur, _ = two
    with pytest.raises(ValidationFailed), db.transaction(cur):
        cur.execute("INSERT INTO notes (text) VALUES ('outer')")
        try:
            with db.transaction(cur):
                cur.execute("INSERT INTO notes (text) VALUES ('inner')")
                raise ValidationFailed()
        except ValidationFailed:
            pass  # the inner statements cannot be undone alone (DuckDB has no savepoints)
        cur.execute("INSERT INTO notes (text) VALUES ('after')")
    assert notes(cur) == []


# --- retrying a write conflict --------------------------------------------------------------------

def test_a_genuine_conflict_is_retried_until_the_other_writer_has_finished(two):
    holder, writer = two
    holder.execute("INSERT INTO notes (text) VALUES ('visits')")
    holder.execute("BEGIN TRANSACTION")
    holder.execute("UPDATE notes SET n = n + 1 WHERE text = 'visits'")  # not committed yet
    attempts = []

    def add_one() -> int:
        attempts.append(len(attempts) + 1)
        if len(attempts) == 2:
            holder.execute("COMMIT")  # the other writer finishes while this one waits
        with db.transaction(writer):
            writer.execute("UPDATE notes SET n = n + 1 WHERE text = 'visits'")
            return writer.execute("SELECT n FROM notes WHERE text = 'visits'").fetchone()[0]

    assert db.retrying(writer, add_one) == 2  # both increments kept
    assert attempts == [1, 2]


def test_a_conflict_that_persists_becomes_concurrent_change(two):
    holder, writer = two
    holder.execute("INSERT INTO notes (text) VALUES ('visits')")
    holder.execute("BEGIN TRANSACTION")
    holder.execute("UPDATE notes SET n = 5 WHERE text = 'visits'")
    attempts = []

    def add_one() -> None:
        attempts.append(1)
        with db.transaction(writer):
            writer.execute("UPDATE notes SET n = n + 1 WHERE text = 'visits'")

    with pytest.raises(ConcurrentChange) as refusal:
        db.retrying(writer, add_one)
    assert len(attempts) == db.RETRY_ATTEMPTS
    assert isinstance(refusal.value.__cause__, duckdb.Error)  # kept for the log, never shown
    assert refusal.value.message_key == ConcurrentChange.default_key
    holder.execute("ROLLBACK")
    assert writer.execute("SELECT n FROM notes").fetchone()[0] == 0  # nothing half-applied


def test_a_duplicate_key_found_at_commit_is_a_concurrent_change_not_a_raw_error(two):
    first, second = two
    with pytest.raises(ConcurrentChange), db.transaction(first):
        first.execute("INSERT INTO notes (text) VALUES ('same')")
        second.execute("INSERT INTO notes (text, n) VALUES ('same', 1)")  # commits first
    assert first.execute("SELECT n FROM notes").fetchall() == [(1,)]
    with db.transaction(first):  # the cursor is usable again
        first.execute("INSERT INTO notes (text) VALUES ('next')")


def test_errors_that_are_not_conflicts_are_not_retried(two):
    _, writer = two
    attempts = []

    def refused() -> None:
        attempts.append(1)
        raise ValidationFailed()

    def broken() -> None:
        attempts.append(1)
        with db.transaction(writer):
            writer.execute("INSERT INTO notes (text, n) VALUES ('negative', -1)")

    with pytest.raises(ValidationFailed):
        db.retrying(writer, refused)
    with pytest.raises(duckdb.ConstraintException):  # a bug, reported as unexpected: retrying cannot help
        db.retrying(writer, broken)
    assert attempts == [1, 1]


def test_an_inner_retry_leaves_the_conflict_to_the_outermost_one(two):
    holder, writer = two
    holder.execute("INSERT INTO notes (text) VALUES ('visits')")
    holder.execute("BEGIN TRANSACTION")
    holder.execute("UPDATE notes SET n = 5 WHERE text = 'visits'")
    inner_attempts = []

    def inner() -> None:
        inner_attempts.append(1)
        writer.execute("UPDATE notes SET n = n + 1 WHERE text = 'visits'")

    with pytest.raises(ConcurrentChange), db.transaction(writer):
        db.retrying(writer, inner)  # inside a transaction: no retry of its own (it could not re-run the outer block)
    assert inner_attempts == [1]
    holder.execute("ROLLBACK")


def test_thirty_writers_of_one_row_through_retrying_lose_nothing(con, two):
    holder, _ = two
    holder.execute("INSERT INTO notes (text) VALUES ('visits')")

    def add_one(cur, _index) -> None:
        def work() -> None:
            with db.transaction(cur):
                n = cur.execute("SELECT n FROM notes WHERE text = 'visits'").fetchone()[0]
                cur.execute("UPDATE notes SET n = ? WHERE text = 'visits'", [n + 1])
        db.retrying(cur, work)

    run_together(con, add_one).all_succeeded()
    assert holder.execute("SELECT n FROM notes").fetchone()[0] == 30


# --- participant numbers from a sequence ----------------------------------------------------------

def database_made_by_main(path, participant_ids: list[str]) -> None:
    """A file as the current main leaves it: migrations 001-004 and participants with these ids."""
    con = db.connect(path, migrate_now=False)
    db.migrate(con, up_to=4)
    cur = con.cursor()
    cur.executemany("INSERT INTO participants (participant_id) VALUES (?)", [[pid] for pid in participant_ids])
    con.close()


def test_a_database_made_before_the_sequence_continues_after_its_highest_number(tmp_path):
    path = tmp_path / "old.duckdb"
    database_made_by_main(path, ["P-000003", "P-000012", "imported-by-hand"])
    con = db.connect(path)
    try:
        cur = con.cursor()
        manager = participants.COMMAND_LINE
        assert participants.create_participant(cur, actor=manager).participant_id == "P-000013"
        assert participants.next_participant_ids(cur, 2) == ["P-000014", "P-000015"]
        assert participants.create_participant(cur, actor=manager).participant_id == "P-000016"  # 14, 15 stay unused
    finally:
        con.close()


def test_a_fresh_database_numbers_from_one(cur):
    assert participants.create_participant(cur, actor=participants.COMMAND_LINE).participant_id == "P-000001"


def test_past_p_999999_numbers_get_a_seventh_digit_and_stay_valid_everywhere(tmp_path):
    """An old import could set P-999999. Its successors are P-1000000 and on: saved, exported against
    the JSON Schema and imported again like any other id."""
    path = tmp_path / "old.duckdb"
    database_made_by_main(path, ["P-000001", "P-999999"])
    con = db.connect(path)
    try:
        cur = con.cursor()
        load_market_data(cur)
        manager = participants.COMMAND_LINE
        created = [participants.create_participant(cur, actor=manager).participant_id for _ in range(2)]
        assert created == ["P-1000000", "P-1000001"]
        assert snapshots.save_profile(cur, actor=manager, profile=Profile(id="P-1000000", municipality="GM0363")) == 1
        exported = snapshots.export_profiles(cur, actor=manager)
        assert [item["id"] for item in exported] == ["P-1000000"]
        assert list(Draft202012Validator(PROFILE_SCHEMA).iter_errors(exported[0])) == []
        content = b'[{"id": "P-1000000", "ladder_rung": 4}]'
        result = saving.import_profiles(cur, actor=manager, file_name="back.json", content=content)
        assert result.updated == ["P-1000000"] and result.created == []
    finally:
        con.close()
