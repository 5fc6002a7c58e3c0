"""Many people at once (30 threads released together by a Barrier, one cursor each): thirty people
saving thirty plans, thirty saves of one plan from the same version, thirty starts of one plan, and
thirty comments and views on one plan. Every save is either its own version or refused with the
translated PlanChangedMeanwhile; nothing is lost and no raw database error escapes."""

from __future__ import annotations

import threading
from collections import Counter

from incubator.accounts import users
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.core.i18n import translate
from incubator.people import participants
from incubator.plans import business_plan as bp
from incubator.suggestions import choices
from tests.support.app import TEST_PASSWORD

THREADS = 30


def run_together(con, work) -> list:
    """Run work(cursor, index) in THREADS threads released together; returns what each returned or raised."""
    barrier, results = threading.Barrier(THREADS), [None] * THREADS

    def thread(index: int) -> None:
        cur = con.cursor()
        barrier.wait()
        try:
            results[index] = work(cur, index)
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever happened
            results[index] = exc
        finally:
            cur.close()

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def idea_plan(cur, actor, participant_id: str) -> bp.Plan:
    idea = choices.add_idea(cur, actor=actor, participant_id=participant_id, title="Sewing repairs")
    return bp.create_plan(cur, actor=actor, participant_id=participant_id, idea_id=idea)


def test_thirty_people_save_thirty_plans_at_once(con, seeded):
    mentors, plans = [], []
    for n in range(THREADS):
        mentor = users.get_actor(seeded, users.create_user(seeded, actor=COMMAND_LINE_ADMIN, username=f"mentor-{n:02d}",
                                                           password=TEST_PASSWORD, role="mentor"))
        record = participants.create_participant(seeded, actor=mentor)
        mentors.append(mentor)
        plans.append(idea_plan(seeded, mentor, record.participant_id))

    def save(cur, i):
        return bp.save_texts(cur, actor=mentors[i], plan_id=plans[i].plan_id, base_version=1,
                             canvas={"problem": f"problem {i}"})

    assert run_together(con, save) == [2] * THREADS
    for i, plan in enumerate(plans):
        opened = bp.open_plan(seeded, actor=mentors[i], plan_id=plan.plan_id)
        assert opened.version == 2 and opened.content.canvas["problem"] == f"problem {i}"


def test_thirty_saves_of_one_plan_from_one_version_keep_one_and_refuse_the_rest(con, seeded, people, cohort):
    plan = idea_plan(seeded, people["mentor"], cohort["own"])
    actors = [people["mentor"], people["newcomer"], people["manager"]]

    def save(cur, i):
        return bp.save_texts(cur, actor=actors[i % 3], plan_id=plan.plan_id, base_version=1,
                             canvas={"problem": f"version by thread {i}"})

    results = run_together(con, save)
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds == Counter({"int": 1, "PlanChangedMeanwhile": THREADS - 1}), kinds
    refused = next(r for r in results if isinstance(r, bp.PlanChangedMeanwhile))
    assert translate(refused.message_key, "nl", **refused.params).startswith("Iemand anders heeft dit plan opgeslagen")
    winner = results.index(2)
    assert seeded.execute("SELECT count(*) FROM plan_versions WHERE plan_id = ?", [plan.plan_id]).fetchone() == (2,)
    latest = bp.open_plan(seeded, actor=people["mentor"], plan_id=plan.plan_id)
    assert latest.content.canvas["problem"] == f"version by thread {winner}"


def test_thirty_starts_of_one_plan_make_one_plan(con, seeded, people, cohort):
    idea = choices.add_idea(seeded, actor=people["mentor"], participant_id=cohort["own"], title="Sewing repairs")
    choices.choose_venture(seeded, actor=people["mentor"], participant_id=cohort["own"], idea_id=idea)

    results = run_together(con, lambda cur, i: bp.start_plan(cur, actor=people["mentor"],
                                                             participant_id=cohort["own"]).plan_id)
    assert len(set(results)) == 1 and isinstance(results[0], int), results
    assert seeded.execute("SELECT count(*) FROM plans").fetchone() == (1,)
    assert seeded.execute("SELECT count(*) FROM plan_versions").fetchone() == (1,)


def test_thirty_comments_and_views_at_once_are_all_kept(con, seeded, people, cohort):
    plan = idea_plan(seeded, people["mentor"], cohort["own"])

    def comment_and_view(cur, i):
        bp.open_plan(cur, actor=people["mentor"] if i % 2 else people["newcomer"], plan_id=plan.plan_id)
        return bp.add_comment(cur, actor=people["mentor"], plan_id=plan.plan_id, block="problem", body=f"note {i}")

    results = run_together(con, comment_and_view)
    assert all(isinstance(r, int) for r in results), results
    assert len(bp.comments(seeded, actor=people["newcomer"], plan_id=plan.plan_id)) == THREADS
    assert seeded.execute("SELECT user_id, version FROM plan_views WHERE plan_id = ? ORDER BY user_id",
                          [plan.plan_id]).fetchall() == sorted([(people["mentor"].user_id, 1),
                                                                (people["newcomer"].user_id, 1)])
