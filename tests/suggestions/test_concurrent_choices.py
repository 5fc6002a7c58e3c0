"""Thirty people at once on what is done with suggestions: ideas, set-asides, the chosen venture and
its outcome. All succeed, nothing is lost, a venture is set aside once at a time."""

from __future__ import annotations

import pytest

from incubator.people import participants, snapshots
from incubator.suggestions import choices as suggestions
from tests.support.concurrency import THREADS, quick_passwords, run_together  # noqa: F401 - a fixture
from tests.support.scoring import profile, with_market

pytestmark = pytest.mark.usefixtures("quick_passwords")


@pytest.fixture
def tailor(cur, people) -> str:
    """The market data and a tailor mentored by the mentor, with a saved profile."""
    with_market(cur)
    record = participants.create_participant(cur, actor=people["mentor"], display_name="Amal")
    snapshots.save_profile(cur, actor=people["mentor"], profile=profile(id=record.participant_id))
    return record.participant_id


def audited(cur, action: str) -> int:
    return cur.execute("SELECT count(*) FROM audit_log WHERE action = ?", [action]).fetchone()[0]


def test_thirty_choices_at_once_are_all_kept_and_one_is_current(con, cur, people, tailor):
    mentor = people["mentor"]  # scored with the committed model
    chosen = run_together(con, lambda c, i: suggestions.choose_venture(
        c, actor=mentor, participant_id=tailor, venture_id="cr_tailoring")).all_succeeded()
    assert all(choice.venture_id == "cr_tailoring" and choice.score is not None for choice in chosen)
    stored = {row[0] for row in cur.execute("SELECT choice_id FROM venture_choices").fetchall()}
    assert len(stored) == THREADS
    assert suggestions.current_choice(cur, actor=mentor, participant_id=tailor).choice_id in stored
    assert audited(cur, "suggest.choose") == THREADS


def test_thirty_set_asides_of_one_venture_leave_it_set_aside_once(con, cur, people, tailor):
    mentor = people["mentor"]
    run_together(con, lambda c, i: suggestions.set_aside(
        c, actor=mentor, participant_id=tailor, venture_id="cr_tailoring", note=f"reason {i}")).all_succeeded()
    assert cur.execute("SELECT count(*), count(*) FILTER (WHERE restored_at IS NULL) FROM suggestion_set_asides"
                       ).fetchone() == (THREADS, 1)  # the history of all thirty, one of them in force
    assert audited(cur, "suggest.set_aside") == THREADS
    run_together(con, lambda c, _i: suggestions.restore(
        c, actor=mentor, participant_id=tailor, venture_id="cr_tailoring")).all_succeeded()
    assert cur.execute("SELECT count(*) FROM suggestion_set_asides WHERE restored_at IS NULL").fetchone()[0] == 0
    assert audited(cur, "suggest.restore") == THREADS


def test_thirty_ideas_added_and_withdrawn_at_once(con, cur, people, tailor):
    mentor = people["mentor"]
    ids = run_together(con, lambda c, i: suggestions.add_idea(
        c, actor=mentor, participant_id=tailor, title=f"Idea {i}", note="from the workshop")).all_succeeded()
    assert len(set(ids)) == THREADS
    assert cur.execute("SELECT count(*) FROM venture_ideas WHERE withdrawn_at IS NULL").fetchone()[0] == THREADS
    run_together(con, lambda c, i: suggestions.withdraw_idea(
        c, actor=mentor, participant_id=tailor, idea_id=ids[i])).all_succeeded()
    assert cur.execute("SELECT count(*) FROM venture_ideas WHERE withdrawn_at IS NULL").fetchone()[0] == 0


def test_thirty_outcomes_of_one_choice_at_once_leave_one(con, cur, people, tailor):
    mentor = people["mentor"]
    choice = suggestions.choose_venture(cur, actor=mentor, participant_id=tailor, venture_id="cr_tailoring")
    run_together(con, lambda c, i: suggestions.record_outcome(
        c, actor=mentor, participant_id=tailor, launched=True, running_12m=i % 2 == 0)).all_succeeded()
    assert cur.execute("SELECT count(*), any_value(choice_id) FROM programme_outcomes").fetchone() == (1, choice.choice_id)
    assert audited(cur, "suggest.outcome") == THREADS
