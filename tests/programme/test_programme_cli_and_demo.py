"""The programme on the command line (cohort create|add, milestones --json, record-outcome with its
date checks), the synthetic demo workspace (bulk, labelled synthetic, never training the model) and
the participation ladder's movement per person."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from incubator.cli.main import main
from incubator.core import db
from incubator.core.errors import NotAllowed
from incubator.people import snapshots
from incubator.programme import demo, progress
from incubator.suggestions import choices
from tests.programme.conftest import set_intake
from tests.support.scoring import TAILOR, profile


def run(db_path, *args):
    return main(["--db", str(db_path), *args])


def test_cohort_create_add_and_milestones_as_json(con, team, group, db_path, capsys):
    con.close()
    assert run(db_path, "cohort", "create", "Autumn 2027", "--start", "2027-09-06", "--municipality", "GM0344",
               "--programme", "Versnelling") == 0
    assert "Autumn 2027, starts 2027-09-06 in Utrecht" in capsys.readouterr().out
    assert run(db_path, "cohort", "add", "Autumn 2027", group["amal"]) == 1  # refused: in Spring 2027
    assert "is in the cohort Spring 2027 already" in capsys.readouterr().err
    assert run(db_path, "milestones", group["own"], "--instantiate") == 0
    capsys.readouterr()
    assert run(db_path, "milestones", group["own"], "--json", "--lang", "nl") == 0
    data = json.loads(capsys.readouterr().out)
    first = data["milestones"][0]
    assert (first["template_key"], first["status"], first["due_on"]) == ("market_check", "todo", "2027-02-08")
    assert first["status_label"] == "Te doen" and data["synthetic"] is False


def test_record_outcome_refuses_a_date_before_the_intake_or_in_the_future(cur, con, team, group, db_path, capsys):
    # The command line judges against the real today: Amal's intake is moved to a day before it.
    intake = dt.date.today() - dt.timedelta(days=300)
    set_intake(cur, [group["amal"]], intake)
    con.close()
    before_intake = (intake - dt.timedelta(days=1)).isoformat()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    for day in (before_intake, tomorrow):
        assert run(db_path, "record-outcome", group["amal"], "--launched", day) == 1
        assert capsys.readouterr().err.startswith("error: ")
    launched = (intake + dt.timedelta(days=10)).isoformat()
    assert run(db_path, "record-outcome", group["amal"], "--launched", launched, "--jobs-fte", "1.5",
               "--revenue-band", "1000_2500") == 0
    assert f"Outcome of {group['amal']}: {launched}" in capsys.readouterr().out
    check = db.connect(db_path)
    try:
        recorded = check.execute("SELECT launched_on, jobs_fte, recorded_by FROM programme_outcomes").fetchall()
    finally:
        check.close()
    assert [(d.isoformat(), float(f), by) for d, f, by in recorded] == [(launched, 1.5, None)]


def test_a_demo_workspace_of_forty_is_made_in_bulk_and_labelled_synthetic(seeded, db_path, capsys):
    today = dt.date(2027, 6, 1)
    made = demo.create_workspace(seeded, participants=40, seed=5, today=today)
    assert (made.participants, made.cohorts) == (40, 4)
    count = {t: seeded.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (
        "participants", "cohorts", "milestones", "mentoring_sessions", "programme_notes", "programme_outcomes")}
    assert count["participants"] == 40 and count["cohorts"] == 4 and count["mentoring_sessions"] == made.sessions
    statuses = {row[0] for row in seeded.execute("SELECT DISTINCT status FROM milestones").fetchall()}
    assert statuses == {"todo", "in_progress", "done", "blocked", "skipped"}  # every status
    assert seeded.execute("SELECT bool_and(synthetic) FROM participants").fetchone()[0]
    assert seeded.execute("SELECT bool_and(name LIKE '%(synthetic)') FROM cohorts").fetchone()[0]
    assert seeded.execute("SELECT bool_and(synthetic) FROM programme_outcomes").fetchone()[0]
    assert seeded.execute("SELECT count(*) FROM users WHERE password_hash IS NOT NULL").fetchone()[0] == 0
    x, y = choices.outcome_training_data(seeded)
    assert len(y) == 0  # the demo's outcomes never train the model
    # Plans are written after the choice, on many days, never after today; the plan's first version with it.
    after, days, latest, saved_with_plan = seeded.execute(
        "SELECT bool_and(p.created_at >= c.chosen_at), count(DISTINCT CAST(p.created_at AS DATE)),"
        " max(CAST(p.created_at AS DATE)), bool_and(v.saved_at = p.created_at)"
        " FROM plans p JOIN venture_choices c USING (participant_id) JOIN plan_versions v USING (plan_id)").fetchone()
    assert after and days > 5 and latest <= today and saved_with_plan
    assert seeded.execute("SELECT bool_and(CAST(created_at AS DATE) = start_on) FROM milestone_plans").fetchone()[0]
    # The same seed gives the same workspace.
    again = demo.create_workspace(seeded, participants=40, seed=5, today=today)
    assert (again.milestones, again.sessions, again.outcomes) == (made.milestones, made.sessions, made.outcomes)


def test_demo_on_the_command_line_says_it_is_synthetic(seeded, con, db_path, capsys):
    con.close()
    assert run(db_path, "demo", "--participants", "12", "--seed", "2") == 0
    assert "SYNTHETIC" in capsys.readouterr().out
    assert run(db_path, "demo", "--participants", "0") == 1
    assert capsys.readouterr().err.strip()


def test_ladder_and_life_domains_move_per_person_from_intake_to_the_latest_retake(cur, team, group):
    pid = group["yonas"]
    moved = profile(TAILOR, id=pid, display_name="Yonas Tesfay", ladder_rung=4)
    snapshots.save_profile(cur, actor=team["mentor"], profile=moved)
    person = progress.person_progress(cur, actor=team["mentor"], participant_id=pid)
    assert list(person["version"]) == [1, 2] and list(person["ladder_rung"]) == [1, 4]
    cohort = progress.cohort_movement(cur, actor=team["manager"], cohort_id=group["cohort_id"]).set_index("participant_id")
    assert cohort.loc[pid, "snapshots"] == 2 and cohort.loc[pid, "rung_now"] == 4
    assert (cohort.loc[pid, "rung_intake"], cohort.loc[pid, "rung_change"]) == (1, 3)
    assert cohort.loc[group["amal"], "rung_change"] == 0
    for role in ("other_mentor", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            progress.person_progress(cur, actor=team[role], participant_id=pid)
