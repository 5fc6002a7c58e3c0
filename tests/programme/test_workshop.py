"""The workshop view's domain: the board (names, initials or numbers; the next milestone and what
blocks it) and check-ins saved in one transaction, where a check-in on a milestone someone else
changed meanwhile comes back as a conflict and is never written over their change. Thirty mentors
checking in at once lose no update and never see a raw database error."""

from __future__ import annotations

import pytest

from incubator.core.access import Actor
from incubator.core.errors import DomainError, NotAllowed, ValidationFailed
from incubator.programme import milestones as ms
from incubator.programme import workshop
from tests.programme.conftest import TODAY
from tests.support.concurrency import THREADS, run_together


def test_the_board_shows_initials_or_numbers_on_request_with_the_next_milestone_and_its_blocker(cur, team, group):
    for pid in group["ids"]:
        ms.instantiate(cur, actor=team["mentor"], participant_id=pid)
    [first, second, *_] = ms.milestones_of(cur, actor=team["mentor"], participant_id=group["amal"])
    ms.update_milestone(cur, actor=team["mentor"], milestone_id=first.milestone_id, base_version=1, status="done",
                        today=TODAY)
    ms.update_milestone(cur, actor=team["mentor"], milestone_id=second.milestone_id, base_version=1, status="blocked",
                        reason="Waiting for the bank", today=TODAY)
    by_name = {r.participant_id: r for r in workshop.board(cur, actor=team["mentor"], cohort_id=group["cohort_id"],
                                                             today=TODAY).rows}
    assert by_name[group["amal"]].label == "Amal Haddad"
    amal = by_name[group["amal"]]
    assert amal.next.milestone_id == second.milestone_id and [b.reason for b in amal.blockers] == ["Waiting for the bank"]
    assert amal.done == 1 and amal.overdue > 0
    initials = workshop.board(cur, actor=team["mentor"], cohort_id=group["cohort_id"], today=TODAY, names="initials")
    assert [r.label for r in initials.rows] == ["S. B.", "A. H.", "Y. T."]
    numbers = workshop.board(cur, actor=team["mentor"], cohort_id=group["cohort_id"], today=TODAY, names="numbers")
    assert [r.label for r in numbers.rows] == group["ids"]
    with pytest.raises(NotAllowed):
        workshop.board(cur, actor=team["other_mentor"], cohort_id=group["cohort_id"], today=TODAY)


def test_check_ins_are_saved_together_and_a_conflicting_one_is_shown_not_written_over(cur, team, group):
    for pid in group["ids"]:
        ms.instantiate(cur, actor=team["mentor"], participant_id=pid)
    board = workshop.board(cur, actor=team["mentor"], cohort_id=group["cohort_id"], today=TODAY)
    seen = {r.participant_id: r.next for r in board.rows}
    # Meanwhile the newcomer marks their own next milestone in progress from their phone.
    ms.update_milestone(cur, actor=team["newcomer"], milestone_id=seen[group["own"]].milestone_id, base_version=1,
                        status="in_progress", evidence="Spoke to six customers", today=TODAY)
    applied = workshop.check_in(cur, actor=team["mentor"], today=TODAY, changes=[
        ms.Change(seen[group["own"]].milestone_id, 1, "done"),
        ms.Change(seen[group["amal"]].milestone_id, 1, "done", evidence="Ten conversations"),
        ms.Change(seen[group["yonas"]].milestone_id, 1, "blocked", reason="No childcare")])
    assert sorted(m.participant_id for m in applied.saved) == sorted([group["amal"], group["yonas"]])
    [conflict] = applied.conflicts
    assert (conflict.current.status, conflict.current.updated_by, conflict.current.evidence) == (
        "in_progress", "team-newcomer", "Spoke to six customers")
    own_now = ms.get_milestone(cur, seen[group["own"]].milestone_id)
    assert (own_now.status, own_now.version) == ("in_progress", 2)  # theirs, not the mentor's "done"


def test_one_check_in_that_is_not_allowed_refuses_them_all(cur, team, group):
    for pid in group["ids"]:
        ms.instantiate(cur, actor=team["mentor"], participant_id=pid)
    board = workshop.board(cur, actor=team["mentor"], cohort_id=group["cohort_id"], today=TODAY)
    before = cur.execute("SELECT * FROM milestones ORDER BY milestone_id").fetchall()
    with pytest.raises(ValidationFailed):  # blocked without a reason
        workshop.check_in(cur, actor=team["mentor"], today=TODAY, changes=[
            ms.Change(board.rows[0].next.milestone_id, 1, "done"), ms.Change(board.rows[1].next.milestone_id, 1, "blocked")])
    with pytest.raises(NotAllowed):  # a mentor who does not coach them
        workshop.check_in(cur, actor=team["other_mentor"], today=TODAY,
                          changes=[ms.Change(board.rows[0].next.milestone_id, 1, "done")])
    assert cur.execute("SELECT * FROM milestones ORDER BY milestone_id").fetchall() == before
    assert cur.execute("SELECT count(*) FROM milestone_events").fetchone()[0] == 0


def thirty_mentors(cur, group) -> list[Actor]:
    """Thirty mentor accounts (made in one statement) who all mentor the cohort's three people."""
    cur.execute("INSERT INTO users (username, role) SELECT 'crowd-' || i, 'mentor' FROM range(?) t(i)", [THREADS])
    found = cur.execute("SELECT user_id, username FROM users WHERE username LIKE 'crowd-%' ORDER BY user_id").fetchall()
    cur.execute("INSERT INTO participant_mentors (participant_id, mentor_user_id)"
                " SELECT p, u FROM unnest(?) t(p), (SELECT user_id AS u FROM users WHERE username LIKE 'crowd-%')",
                [group["ids"]])
    return [Actor(user_id, "mentor", name) for user_id, name in found]


def test_thirty_mentors_checking_in_different_milestones_at_once_lose_no_update(con, cur, team, group):
    for pid in group["ids"]:
        ms.instantiate(cur, actor=team["mentor"], participant_id=pid)
    mentors = thirty_mentors(cur, group)
    milestones = cur.execute("SELECT milestone_id FROM milestones ORDER BY milestone_id LIMIT ?", [THREADS]).fetchall()
    assert len(milestones) == THREADS

    def check_in(c, i):
        return workshop.check_in(c, actor=mentors[i], today=TODAY, changes=[
            ms.Change(milestones[i][0], 1, "done", evidence=f"checked by {i}")])

    outcome = run_together(con, check_in)
    results = outcome.all_succeeded()
    assert all(len(r.saved) == 1 and not r.conflicts for r in results)
    rows = cur.execute("SELECT status, version, evidence FROM milestones WHERE milestone_id IN (SELECT unnest(?))"
                       " ORDER BY milestone_id", [[m[0] for m in milestones]]).fetchall()
    assert rows == [("done", 2, f"checked by {i}") for i in range(THREADS)]
    assert cur.execute("SELECT count(*) FROM milestone_events").fetchone()[0] == THREADS


def test_thirty_mentors_checking_in_one_milestone_at_once_one_wins_the_rest_see_the_conflict(con, cur, team, group):
    [first, *_] = ms.instantiate(cur, actor=team["mentor"], participant_id=group["amal"])
    mentors = thirty_mentors(cur, group)
    wanted = ["done", "in_progress", "blocked"]

    def check_in(c, i):
        return ms.update_milestone(c, actor=mentors[i], milestone_id=first.milestone_id, base_version=1,
                                   status=wanted[i % 3], reason=f"reason {i}", evidence=f"by {i}", today=TODAY)

    outcome = run_together(con, check_in)
    assert outcome.succeeded == 1, outcome.summary()
    errors = outcome.domain_errors()  # every refusal is a translated message, never DuckDB's own
    assert len(errors) == THREADS - 1 and all(isinstance(e, DomainError) for e in errors)
    assert all(isinstance(e, ms.MilestoneChangedMeanwhile) for e in errors), outcome.summary()
    [winner] = outcome.results
    now = ms.get_milestone(cur, first.milestone_id)
    assert (now.version, now.evidence, now.updated_by) == (2, f"by {winner}", f"crowd-{winner}")
    assert cur.execute("SELECT count(*) FROM milestone_events").fetchone()[0] == 1
