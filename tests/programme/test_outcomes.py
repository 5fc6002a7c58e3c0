"""Outcomes: launched (the KVK date), running at 6, 12 and 24 months, jobs, revenue band, leaving
social assistance, who recorded it; dates before the intake or in the future refused with nothing
changed; recorded outcomes feed `train --from-outcomes` (synthetic and unknown ones never do)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pandas as pd
import pytest

from incubator.cli.main import main
from incubator.core.errors import NotAllowed, NotFound, ValidationFailed
from incubator.core.i18n import format_eur
from incubator.people.participants import next_participant_ids
from incubator.programme import outcomes
from incubator.suggestions import choices
from incubator.suggestions import model as mm
from tests.programme.conftest import INTAKE, TODAY, set_intake
from tests.support.privacy import consent_to_research


def rows(cur):
    return cur.execute("SELECT * FROM programme_outcomes ORDER BY ALL").fetchall()


def test_an_outcome_is_recorded_completed_later_and_counted_for_the_cohort(cur, team, group):
    first = outcomes.record_outcome(cur, actor=team["mentor"], participant_id=group["amal"], today=TODAY,
                                    launched_on=dt.date(2027, 3, 1), jobs_fte="1,5", revenue_band="1000_2500")
    assert (first.launched, first.launched_on, first.jobs_fte, first.running_12m) == (
        True, dt.date(2027, 3, 1), Decimal("1.50"), None)
    assert first.recorded_by == "team-mentor"
    later = outcomes.record_outcome(cur, actor=team["manager"], participant_id=group["amal"],
                                    today=dt.date(2028, 4, 1), running_6m=True, running_12m=True,
                                    left_assistance_on=dt.date(2027, 9, 1))
    assert (later.launched_on, later.running_6m, later.running_12m, later.jobs_fte) == (
        dt.date(2027, 3, 1), True, True, Decimal("1.50"))  # what was not given is kept
    assert len(rows(cur)) == 1
    summary = outcomes.cohort_outcomes(cur, actor=team["manager"], cohort_id=group["cohort_id"])
    assert (summary.members, summary.recorded, summary.launched, summary.running_12m, summary.jobs_fte,
            summary.left_assistance) == (3, 1, 1, 1, Decimal("1.5"), 1)
    assert outcomes.band_words("1000_2500").text("nl") == f"{format_eur(1000, 'nl')} tot {format_eur(2500, 'nl')} per maand"


@pytest.mark.parametrize(("given", "key"), [
    ({"launched_on": INTAKE - dt.timedelta(days=1)}, outcomes.BEFORE_INTAKE),
    ({"launched_on": TODAY + dt.timedelta(days=1)}, "{date} is in the future."),
    ({"left_assistance_on": dt.date(2026, 12, 1)}, outcomes.BEFORE_INTAKE),
    ({"running_12m": True}, outcomes.RUNNING_NEEDS_LAUNCH),
    ({"launched_on": dt.date(2027, 3, 1), "running_12m": True}, outcomes.TOO_EARLY),
    ({"launched_on": dt.date(2027, 3, 1), "running_6m": True, "running_12m": True, "revenue_band": "lots"},
     outcomes.TOO_EARLY),
    ({"jobs_fte": "-1"}, outcomes.FTE_OUT_OF_RANGE),
    ({"jobs_fte": "many"}, outcomes.FTE_OUT_OF_RANGE),
])
def test_dates_and_values_that_cannot_be_are_refused_with_nothing_changed(cur, team, group, given, key):
    before = rows(cur)
    with pytest.raises(ValidationFailed) as refused:
        outcomes.record_outcome(cur, actor=team["mentor"], participant_id=group["amal"], today=TODAY, **given)
    assert refused.value.message_key == key
    assert rows(cur) == before


def test_who_may_record_and_read_outcomes(cur, team, group):
    with pytest.raises(NotFound):  # Yonas chose no venture yet
        outcomes.record_outcome(cur, actor=team["mentor"], participant_id=group["yonas"], today=TODAY,
                                not_launched=True)
    for role in ("other_mentor", "newcomer", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            outcomes.record_outcome(cur, actor=team[role], participant_id=group["own"], today=TODAY, not_launched=True)
    assert rows(cur) == []
    outcomes.record_outcome(cur, actor=team["mentor"], participant_id=group["own"], today=TODAY, not_launched=True)
    assert outcomes.outcome_of(cur, actor=team["manager"], participant_id=group["own"]).launched is False
    with pytest.raises(NotAllowed):
        outcomes.outcome_of(cur, actor=team["other_mentor"], participant_id=group["own"])


def many_choices(cur, team, group, n: int) -> list[str]:
    """n participants with a chosen venture, made in bulk: the features of Amal's choice, the venture
    hers too (what record_outcome and training read)."""
    ids = next_participant_ids(cur, n)
    cur.register("new_people", pd.DataFrame({"participant_id": ids}))
    cur.execute("INSERT INTO participants (participant_id) SELECT participant_id FROM new_people")
    cur.execute("INSERT INTO participant_mentors (participant_id, mentor_user_id) SELECT participant_id, ? FROM new_people",
                [team["mentor"].user_id])
    cur.execute("INSERT INTO venture_choices (participant_id, venture_id, score, model_version, features, municipality)"
                " SELECT n.participant_id, c.venture_id, c.score, c.model_version, c.features, c.municipality"
                " FROM new_people n, (SELECT * FROM venture_choices WHERE participant_id = ?) c", [group["amal"]])
    cur.unregister("new_people")
    set_intake(cur, ids)
    return ids


def test_recorded_outcomes_train_the_model_from_the_command_line(cur, con, team, group, db_path, tmp_path, capsys):
    ids = many_choices(cur, team, group, 212)
    # Twelve through the domain (the way a mentor records them), the other 200 in one statement to
    # keep the test short; both are rows of programme_outcomes with the features of the choice.
    for i, pid in enumerate(ids[:12]):
        launched = i % 3 != 0
        outcomes.record_outcome(cur, actor=team["mentor"], participant_id=pid, today=dt.date(2028, 6, 1),
                                launched_on=dt.date(2027, 3, 1) if launched else None, not_launched=not launched,
                                running_12m=(i % 2 == 0) if launched else None)
    consent_to_research(cur, ids)
    x, y = choices.outcome_training_data(cur)
    # Not launched, unknown at 12 months: those rows do not teach yet.
    assert list(y) == [int(i % 2 == 0) for i in range(12) if i % 3 != 0]
    assert x.shape == (8, len(choices.fx.FEATURE_NAMES))
    cur.execute("INSERT INTO programme_outcomes (choice_id, participant_id, venture_id, launched, running_12m, features,"
                " recorded_by, launched_on) SELECT choice_id, participant_id, venture_id, TRUE, hash(participant_id) % 3 = 0,"
                " features, ?, DATE '2027-03-01' FROM venture_choices WHERE participant_id IN (SELECT unnest(?))",
                [team["mentor"].user_id, ids[12:]])
    cur.execute("UPDATE programme_outcomes SET synthetic = TRUE WHERE participant_id = ?", [ids[-1]])  # never trains
    assert len(choices.outcome_training_data(cur)[1]) == 207
    con.close()
    models = tmp_path / "models"
    assert main(["--db", str(db_path), "train", "--from-outcomes", "--folds", "2", "--models-dir", str(models)]) == 0
    assert "Chosen: " in capsys.readouterr().out
    card = json.loads((models / "model_card.json").read_text())
    assert card["training_data"]["source"] == "programme_outcomes" and card["training_data"]["rows"] == 207
    assert mm.load(models).card["training_data"]["rows"] == 207
