"""Thirty people at once on every write path of participants, snapshots and imports: all succeed (or,
where only one may win, one wins and the others read a translated message), nothing is lost, and no
raw DuckDB error escapes."""

from __future__ import annotations

import json

import pytest

from incubator.accounts import users
from incubator.core.access import COMMAND_LINE_ADMIN, Actor
from incubator.people import importing as saving
from incubator.people import participants, snapshots
from incubator.people.inventory import Details, Inventory
from incubator.people.profile import Profile
from tests.support.concurrency import THREADS, quick_passwords, run_together  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("quick_passwords")


def accounts(cur, role: str, count: int = THREADS) -> list[Actor]:
    """`count` accounts of one role (without passwords: hashing is not what these tests are about)."""
    return [Actor(users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=f"{role}-{n}", password=None, role=role), role,
                  f"{role}-{n}") for n in range(count)]


def audited(cur, action: str) -> int:
    return cur.execute("SELECT count(*) FROM audit_log WHERE action = ?", [action]).fetchone()[0]


def inventory(participant_id: str, ambition: int) -> Inventory:
    return Inventory(Profile(id=participant_id, municipality="GM0363", ambition=ambition), Details())


# --- creating participants ------------------------------------------------------------------------

def test_thirty_newcomers_press_start_my_inventory_at_the_same_moment(con, seeded):
    newcomers = accounts(seeded, "newcomer")
    outcome = run_together(con, lambda cur, i: participants.create_participant(cur, actor=newcomers[i]))
    created = outcome.all_succeeded()
    assert len({r.participant_id for r in created}) == THREADS
    assert seeded.execute("SELECT count(*), count(DISTINCT participant_id), count(DISTINCT owner_user_id)"
                          " FROM participants").fetchone() == (THREADS, THREADS, THREADS)
    assert {r.owner_user_id for r in created} == {a.user_id for a in newcomers}
    assert audited(seeded, "participant.create") == THREADS


def test_thirty_mentors_create_a_participant_each_and_mentor_it(con, seeded):
    mentors = accounts(seeded, "mentor")
    created = run_together(con, lambda cur, i: participants.create_participant(
        cur, actor=mentors[i], display_name=f"Nour {i}")).all_succeeded()
    assert sorted(r.mentor_user_ids for r in created) == sorted((m.user_id,) for m in mentors)
    assert seeded.execute("SELECT count(*) FROM participant_mentors").fetchone()[0] == THREADS


def test_one_newcomer_pressing_thirty_times_gets_one_record(con, seeded, people):
    newcomer = people["newcomer"]
    outcome = run_together(con, lambda cur, _i: participants.create_participant(cur, actor=newcomer))
    assert outcome.succeeded == 1, outcome.summary()
    assert {e.message_key for e in outcome.domain_errors()} == {"This account has a participant record already."}
    assert seeded.execute("SELECT count(*) FROM participants").fetchone()[0] == 1


# --- drafts and snapshots -------------------------------------------------------------------------

def test_thirty_drafts_of_one_participant_leave_one_draft(con, seeded, people, cohort):
    manager, pid = people["manager"], cohort["other"]
    versions = run_together(con, lambda cur, i: snapshots.save_inventory(
        cur, actor=manager, inventory=inventory(pid, i), draft=True)).all_succeeded()
    assert versions == [1] * THREADS
    rows = seeded.execute("SELECT version, draft, ambition FROM profile_snapshots WHERE participant_id = ?",
                          [pid]).fetchall()
    assert len(rows) == 1 and rows[0][:2] == (1, True) and rows[0][2] in range(THREADS)
    assert audited(seeded, "profile.save_draft") == THREADS


def test_thirty_drafts_of_thirty_participants(con, seeded, people):
    manager = people["manager"]
    pids = [participants.create_participant(seeded, actor=manager).participant_id for _ in range(THREADS)]
    run_together(con, lambda cur, i: snapshots.save_inventory(
        cur, actor=manager, inventory=inventory(pids[i], i), draft=True)).all_succeeded()
    assert seeded.execute("SELECT count(*), count(DISTINCT participant_id) FROM profile_snapshots"
                          " WHERE draft AND version = 1").fetchone() == (THREADS, THREADS)
    for i, pid in enumerate(pids):
        assert snapshots.load_inventory(seeded, actor=manager, participant_id=pid).profile.ambition == i


def test_thirty_full_saves_of_one_participant_give_thirty_versions(con, seeded, people, cohort):
    manager, pid = people["manager"], cohort["other"]
    versions = run_together(con, lambda cur, i: snapshots.save_inventory(
        cur, actor=manager, inventory=inventory(pid, i))).all_succeeded()
    assert sorted(versions) == list(range(1, THREADS + 1))
    saved = seeded.execute("SELECT version, ambition FROM profile_snapshots WHERE participant_id = ? AND NOT draft",
                           [pid]).fetchall()
    assert sorted(v for v, _ in saved) == list(range(1, THREADS + 1))
    assert sorted(a for _, a in saved) == list(range(THREADS))  # every save kept, none overwritten
    assert audited(seeded, "profile.save") == THREADS


def test_drafts_and_full_saves_of_one_participant_mixed(con, seeded, people, cohort):
    manager, pid = people["manager"], cohort["other"]
    run_together(con, lambda cur, i: snapshots.save_inventory(
        cur, actor=manager, inventory=inventory(pid, i), draft=i % 2 == 0)).all_succeeded()
    rows = seeded.execute("SELECT version, draft FROM profile_snapshots WHERE participant_id = ? ORDER BY version",
                          [pid]).fetchall()
    full = [v for v, draft in rows if not draft]
    drafts = [v for v, draft in rows if draft]
    # A draft that a full save overtook became that save; at most one draft waits, at the next version.
    assert full == list(range(1, THREADS // 2 + 1))
    assert drafts in ([], [THREADS // 2 + 1])


# --- imports --------------------------------------------------------------------------------------

def test_thirty_small_imports_at_once(con, seeded, people, cohort):
    """Each file adds one new participant and a snapshot of the same existing one."""
    manager, shared = people["manager"], cohort["other"]

    def import_one(cur, i: int):
        content = json.dumps([{"id": shared, "ladder_rung": 1 + i % 6}, {"id": "", "display_name": f"Nour {i}"}])
        return saving.import_profiles(cur, actor=manager, file_name=f"cohort-{i}.json", content=content.encode())

    results = run_together(con, import_one).all_succeeded()
    new_ids = [pid for r in results for pid in r.created]
    assert len(set(new_ids)) == THREADS and all(r.updated == [shared] for r in results)
    assert seeded.execute("SELECT count(*) FROM participants").fetchone()[0] == 3 + THREADS
    versions = [row[0] for row in seeded.execute(
        "SELECT version FROM profile_snapshots WHERE participant_id = ? ORDER BY version", [shared]).fetchall()]
    assert versions == list(range(1, THREADS + 1))
    assert audited(seeded, "profile.import") == 2 * THREADS


def test_an_id_in_a_file_names_an_existing_participant_or_is_refused(seeded, people, cohort):
    manager = people["manager"]
    content = f"id,display_name\n{cohort['other']},Yonas\nP-999999,Noor\n,Hana\n".encode()
    with pytest.raises(saving.ProfilesRejected) as refusal:
        saving.import_profiles(seeded, actor=manager, file_name="cohort.csv", content=content)
    problems = refusal.value.preview.problems
    assert [(p.row, p.column, p.message, p.params) for p in problems] == [
        (3, "id", saving.UNKNOWN_PARTICIPANT, {"value": "P-999999"})]
    assert seeded.execute("SELECT count(*) FROM participants").fetchone()[0] == 3
    result = saving.import_profiles(seeded, actor=manager, file_name="cohort.csv", content=content, valid_only=True)
    assert result.updated == [cohort["other"]] and result.created == ["P-000004"] and result.skipped_rows == [3]
    # The refused number set nothing: later participants still follow on.
    later = participants.create_participant(seeded, actor=manager).participant_id
    assert later == "P-000005"
    assert snapshots.save_profile(seeded, actor=manager, profile=Profile(id=later, municipality="GM0363")) == 1


# --- mentors and owners ---------------------------------------------------------------------------

def test_thirty_mentors_assigned_to_one_participant_and_removed_again(con, seeded, people, cohort):
    manager, pid = people["manager"], cohort["other"]
    mentors = accounts(seeded, "mentor")
    assigned_before = audited(seeded, "participant.assign_mentor")
    run_together(con, lambda cur, i: participants.assign_mentor(
        cur, actor=manager, participant_id=pid, mentor_user_id=mentors[i].user_id)).all_succeeded()
    assert len(participants.get_participant(seeded, pid).mentor_user_ids) == THREADS
    run_together(con, lambda cur, i: participants.unassign_mentor(
        cur, actor=manager, participant_id=pid, mentor_user_id=mentors[i].user_id)).all_succeeded()
    assert participants.get_participant(seeded, pid).mentor_user_ids == ()
    assert audited(seeded, "participant.assign_mentor") - assigned_before == THREADS
    assert audited(seeded, "participant.unassign_mentor") == THREADS


def test_the_same_mentor_assigned_thirty_times_is_assigned_once(con, seeded, people, cohort):
    manager, mentor, pid = people["manager"], people["mentor"], cohort["other"]
    run_together(con, lambda cur, _i: participants.assign_mentor(
        cur, actor=manager, participant_id=pid, mentor_user_id=mentor.user_id)).all_succeeded()
    assert participants.get_participant(seeded, pid).mentor_user_ids == (mentor.user_id,)
    run_together(con, lambda cur, _i: participants.unassign_mentor(
        cur, actor=manager, participant_id=pid, mentor_user_id=mentor.user_id)).all_succeeded()
    assert participants.get_participant(seeded, pid).mentor_user_ids == ()


def test_thirty_accounts_linked_to_one_record_at_once_link_one(con, seeded, people, cohort):
    manager, pid = people["manager"], cohort["other"]
    newcomers = accounts(seeded, "newcomer")
    outcome = run_together(con, lambda cur, i: participants.link_owner(
        cur, actor=manager, participant_id=pid, owner_user_id=newcomers[i].user_id))
    assert outcome.succeeded == 1, outcome.summary()
    assert {e.message_key for e in outcome.domain_errors()} == {"This participant is linked to an account already."}
    winner = next(iter(outcome.results))
    assert participants.get_participant(seeded, pid).owner_user_id == newcomers[winner].user_id


def test_one_account_linked_to_thirty_records_at_once_owns_one(con, seeded, people):
    manager = people["manager"]
    newcomer = accounts(seeded, "newcomer", 1)[0]
    pids = [participants.create_participant(seeded, actor=manager).participant_id for _ in range(THREADS)]
    outcome = run_together(con, lambda cur, i: participants.link_owner(
        cur, actor=manager, participant_id=pids[i], owner_user_id=newcomer.user_id))
    assert outcome.succeeded == 1, outcome.summary()
    assert {e.message_key for e in outcome.domain_errors()} == {"This account has a participant record already."}
    assert participants.participant_for_user(seeded, newcomer.user_id).participant_id == pids[next(iter(outcome.results))]
