"""Thirty writers at once keep participant_stage right: released together, one cursor each, they save
inventories, choose ventures, join a cohort and add participants, some about one shared participant and
some about their own. Every write succeeds (no raw DuckDB error) and the table then equals the live
derivation."""

from __future__ import annotations

import datetime as dt

import pytest

from incubator.core import participant_stage
from incubator.people import participants, snapshots
from incubator.programme import cohorts
from incubator.suggestions import choices
from tests.support.concurrency import THREADS, quick_passwords, run_together  # noqa: F401 - a fixture
from tests.support.scoring import profile

pytestmark = pytest.mark.usefixtures("quick_passwords")
PLACES = ("GM0344", "GM0363", "GM0599")


def test_thirty_writers_of_the_same_and_of_different_participants_leave_the_table_equal_to_the_derivation(
        con, seeded, people):
    mentor, manager = people["mentor"], people["manager"]
    cohort = cohorts.create_cohort(seeded, actor=manager, name="Busy cohort", start_on=dt.date.today(),
                                   municipality="GM0344", programme="Versnelling")
    shared = participants.create_participant(seeded, actor=mentor, display_name="Shared").participant_id
    snapshots.save_profile(seeded, actor=mentor, profile=profile(id=shared))
    own = []
    for i in range(THREADS):
        pid = participants.create_participant(seeded, actor=mentor, display_name=f"Own {i}").participant_id
        snapshots.save_profile(seeded, actor=mentor, profile=profile(id=pid))
        own.append(pid)

    def write(cur, i: int) -> object:
        target = shared if i % 2 == 0 else own[i]
        kind = (i // 2) % 4
        if kind == 0:
            return snapshots.save_profile(cur, actor=mentor, profile=profile(id=target, municipality=PLACES[i % 3]))
        if kind == 1:
            return choices.choose_venture(cur, actor=mentor, participant_id=target,
                                          venture_id=("cr_tailoring", "et_catering")[i % 4 // 2])
        if kind == 2:
            return cohorts.add_participants(cur, actor=manager, cohort_id=cohort.cohort_id, participant_ids=[own[i]])
        return participants.create_participant(cur, actor=mentor, display_name=f"New {i}")

    run_together(con, write).all_succeeded()
    assert participant_stage.differences(seeded) == []
    counts = seeded.execute("SELECT (SELECT count(*) FROM participant_stage), (SELECT count(*) FROM participants),"
                            " (SELECT count(*) FROM participant_stage WHERE cohort_id IS NOT NULL)").fetchone()
    assert counts[0] == counts[1] == 1 + THREADS + sum(1 for i in range(THREADS) if (i // 2) % 4 == 3)
    assert counts[2] == sum(1 for i in range(THREADS) if (i // 2) % 4 == 2)
    latest_choice = seeded.execute("SELECT max_by(choice_id, (chosen_at, choice_id)) FROM venture_choices"
                                   " WHERE participant_id = ?", [shared]).fetchone()[0]
    assert seeded.execute("SELECT choice_id FROM participant_stage WHERE participant_id = ?",
                          [shared]).fetchone()[0] == latest_choice
