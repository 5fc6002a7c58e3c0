"""participant_stage, the stages kept as a table (migration 017): a database migrated from 016 has the
right rows at once, and after any mix of the writers' changes the table equals the live derivation
(the view it caches)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incubator.core import db, participant_stage
from incubator.core.access import COMMAND_LINE_MANAGER
from incubator.core.errors import DomainError
from incubator.people import participants, snapshots
from incubator.pipeline.stages import participant_stages
from incubator.plans import business_plan
from incubator.privacy import erasure
from incubator.programme import cohorts, milestones, outcomes
from incubator.suggestions import choices
from tests.support.scoring import profile

D = dt.date


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10))


def test_a_database_migrated_from_016_has_every_participants_stages_at_once(tmp_path):
    con = db.connect(tmp_path / "old.duckdb", migrate_now=False)
    try:
        db.migrate(con, up_to=16)
        cur = con.cursor()
        # Q1: a cohort in Utrecht, saved inventories (v1 Utrecht, v2 Amsterdam, a later draft elsewhere), two
        # choices (the later one, an own idea of the craft family, counts), a plan, finance done, launched and
        # running at 6 months. Q2: in the cohort, nothing else (the cohort's municipality). Q3: nothing at all.
        cur.execute("INSERT INTO cohorts (cohort_id, name, start_on, municipality, programme) VALUES"
                    " (5, 'C', DATE '2025-01-13', 'GM0344', 'Versnelling')")
        cur.execute("INSERT INTO participants (participant_id, created_at, synthetic) VALUES"
                    " ('Q1', ?, FALSE), ('Q2', ?, TRUE), ('Q3', ?, NULL)",
                    [_at(D(2025, 1, 6)), _at(D(2025, 1, 7)), _at(D(2025, 1, 8))])
        cur.execute("INSERT INTO cohort_members (participant_id, cohort_id) VALUES ('Q1', 5), ('Q2', 5)")
        for version, draft, day, place in ((1, False, D(2025, 1, 9), "GM0344"), (2, False, D(2025, 3, 1), "GM0363"),
                                           (3, True, D(2025, 4, 1), "GM0599")):
            cur.execute("INSERT INTO profile_snapshots (participant_id, version, draft, saved_at, source, profile, details,"
                        " municipality) VALUES ('Q1', ?, ?, ?, 'wizard', '{}', '{}', ?)", [version, draft, _at(day), place])
        cur.execute("INSERT INTO venture_ideas (idea_id, participant_id, title, family) VALUES (31, 'Q1', 'Bags', 'craft')")
        cur.execute("INSERT INTO venture_choices (choice_id, participant_id, venture_id, idea_id, chosen_at) VALUES"
                    " (41, 'Q1', 'gone_venture', NULL, ?), (42, 'Q1', NULL, 31, ?)",
                    [_at(D(2025, 1, 20)), _at(D(2025, 2, 1))])
        cur.execute("INSERT INTO plans (plan_id, participant_id, idea_id, venture_key) VALUES (51, 'Q1', 31, 'idea:31')")
        cur.execute("INSERT INTO plan_versions (plan_id, version, content, saved_at) VALUES (51, 1, '{}', ?), (51, 2, '{}', ?)",
                    [_at(D(2025, 2, 3)), _at(D(2025, 3, 3))])
        cur.execute("INSERT INTO milestones (participant_id, template_key, checklist_keys, position, due_on, owner, status,"
                    " completed_on, version) VALUES ('Q1', 'finance_arranged', [], 1, DATE '2025-03-01', 'participant',"
                    " 'done', DATE '2025-03-04', 1)")
        cur.execute("INSERT INTO programme_outcomes (choice_id, participant_id, venture_id, launched, launched_on,"
                    " running_6m, running_12m) VALUES (42, 'Q1', NULL, TRUE, DATE '2025-04-01', TRUE, NULL)")

        assert db.migrate(con)[:1] == [17]  # and any later ones

        rows = cur.execute("SELECT * FROM participant_stage ORDER BY participant_id").fetchall()
        columns = [c[0] for c in cur.description]
        got = {row[0]: dict(zip(columns, row, strict=True)) for row in rows}
        assert set(got) == {"Q1", "Q2", "Q3"}
        assert got["Q1"] == {
            "participant_id": "Q1", "intake_on": D(2025, 1, 6), "synthetic": False, "cohort_id": 5,
            "municipality": "GM0363", "choice_id": 42, "venture_id": None, "idea_id": 31, "family": "craft",
            "inventory_on": D(2025, 1, 9), "venture_chosen_on": D(2025, 1, 20), "plan_on": D(2025, 2, 3),
            "finance_arranged_on": D(2025, 3, 4), "registered_on": D(2025, 4, 1), "running_6m_on": D(2025, 10, 1),
            "running_12m_on": None, "running_24m_on": None}
        assert got["Q2"]["municipality"] == "GM0344" and got["Q2"]["synthetic"] is True
        assert got["Q3"]["cohort_id"] is None and got["Q3"]["municipality"] is None and got["Q3"]["synthetic"] is False
        assert all(v is None for k, v in got["Q3"].items() if k.endswith("_on") and k != "intake_on")
        assert participant_stage.differences(cur) == []
        stages = participant_stages(cur, actor=COMMAND_LINE_MANAGER).set_index("participant_id")
        assert stages.loc["Q1", "stage"] == "Running at 6 months" and stages.loc["Q3", "stage"] == "Intake"
    finally:
        con.close()


# ----------------------------------------------------------------------------- the cache is the derivation

PLACES = ("GM0344", "GM0363", "GM0599")
_write = st.one_of(
    st.tuples(st.just("create")),
    st.tuples(st.just("profile"), st.integers(0, 5), st.sampled_from(PLACES), st.booleans()),
    st.tuples(st.just("idea"), st.integers(0, 5), st.sampled_from(("craft", "self_employment", None))),
    st.tuples(st.just("venture"), st.integers(0, 5), st.sampled_from(("cr_tailoring", "et_catering"))),
    st.tuples(st.just("plan"), st.integers(0, 5)),
    st.tuples(st.just("finance"), st.integers(0, 5), st.booleans()),
    st.tuples(st.just("outcome"), st.integers(0, 5), st.booleans()),
    st.tuples(st.just("join"), st.integers(0, 5)),
    st.tuples(st.just("leave"), st.integers(0, 5)),
    st.tuples(st.just("erase"), st.integers(0, 5)),
)


@pytest.fixture
def world(seeded, people):
    cohort = cohorts.create_cohort(seeded, actor=people["manager"], name="Stage cohort", start_on=dt.date.today(),
                                   municipality="GM0344", programme="Versnelling")
    return {"cur": seeded, "people": people, "cohort_id": cohort.cohort_id, "done": set()}


def _apply(world: dict, pids: list[str], write: tuple) -> None:
    cur, people, today = world["cur"], world["people"], dt.date.today()
    mentor, manager = people["mentor"], people["manager"]
    kind = write[0]
    if kind == "create":
        pids.append(participants.create_participant(cur, actor=mentor, display_name="Someone").participant_id)
        return
    if not pids:
        return
    pid = pids[write[1] % len(pids)]
    if kind == "profile":
        snapshots.save_profile(cur, actor=mentor, profile=profile(id=pid, municipality=write[2]), draft=write[3])
    elif kind == "idea":
        idea = choices.add_idea(cur, actor=mentor, participant_id=pid, title="An idea", family=write[2])
        choices.choose_venture(cur, actor=mentor, participant_id=pid, idea_id=idea)
    elif kind == "venture":
        choices.choose_venture(cur, actor=mentor, participant_id=pid, venture_id=write[2])
    elif kind == "plan":
        business_plan.start_plan(cur, actor=mentor, participant_id=pid)
    elif kind == "finance":
        planned = milestones.instantiate(cur, actor=mentor, participant_id=pid, start_on=today)
        finance = next(m for m in planned if m.template_key == participant_stage.FINANCE_MILESTONE)
        milestones.update_milestone(cur, actor=mentor, milestone_id=finance.milestone_id,
                                    base_version=finance.version, today=today,
                                    status="done" if write[2] else "in_progress",
                                    completed_on=today if write[2] else None)
    elif kind == "outcome":
        outcomes.record_outcome(cur, actor=mentor, participant_id=pid, today=today,
                                launched_on=today if write[2] else None, not_launched=not write[2])
    elif kind == "join":
        cohorts.add_participants(cur, actor=manager, cohort_id=world["cohort_id"], participant_ids=[pid])
    elif kind == "leave":
        cohorts.remove_participant(cur, actor=manager, cohort_id=world["cohort_id"], participant_id=pid)
    elif kind == "erase":
        erasure.erase_participant(cur, actor=manager, participant_id=pid)
        pids.remove(pid)
    world["done"].add(kind)


@settings(max_examples=12, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(_write, min_size=1, max_size=14))
def test_after_any_mix_of_writes_the_table_equals_the_live_derivation(world, writes):
    cur, pids = world["cur"], []
    for write in [("create",)] + writes:
        try:
            _apply(world, pids, write)
        except DomainError:
            pass  # refused (no choice yet, a finance date already set...): it wrote nothing
        assert participant_stage.differences(cur) == [], write
    assert cur.execute("SELECT count(*) FROM participant_stage").fetchone()[0] == \
        cur.execute("SELECT count(*) FROM participants").fetchone()[0]
