"""A synthetic demo workspace (`python -m incubator demo --participants N --seed S`), so that a mentor
can rehearse a workshop: mentors with profiles, cohorts across municipalities, people with profiles
and a re-take, chosen ventures scored by the model, plans, milestones in every status, sessions,
notes, stakeholder links and outcomes. Everything it makes is synthetic and marked so (participants,
cohorts, milestones and outcomes carry `synthetic`, a row in `demo_workspaces` makes every page say
so, the external_ref of each person reads SYNTHETIC-..., and synthetic outcomes never train the
model). Rows are written in bulk, table by table (a few statements, never one per person), so that
the same code makes 100,000 people.

Nobody can sign in as a demo account: they have no password. Name an existing mentor (`mentor`) to
give them the first cohort to rehearse with."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from incubator.core.audit import audit
from incubator.core.db import transaction
from incubator.core.errors import ValidationFailed
from incubator.core.i18n import N_
from incubator.market.arrays import load_market
from incubator.people.inventory import LIFE_DOMAINS, Details
from incubator.people.participants import next_participant_ids
from incubator.people.profile import Profile
from incubator.people.snapshots import SNAPSHOT_COLUMNS, snapshot_row
from incubator.plans import prefill
from incubator.programme import milestones as ms
from incubator.programme import outcomes as oc
from incubator.programme.sessions import TOPICS
from incubator.suggestions import features as fx
from incubator.suggestions import model as mm
from incubator.suggestions import ranking

COHORT_SIZE = 12
MAX_PARTICIPANTS = 1_000_000
TOO_MANY = N_("A demo workspace has from 1 to {limit} participants.")
NOT_A_MENTOR = N_("Only an active mentor's account can be assigned as mentor.")
LABEL = "synthetic"
# Made-up names for made-up people (first names common among newcomers; no surnames, an initial).
FIRST_NAMES = ("Amal", "Yonas", "Olena", "Samir", "Hiwet", "Reza", "Fatima", "Dawit", "Leyla", "Omar", "Selam",
               "Nadia", "Kiflom", "Yusuf", "Mariam", "Ahmad", "Tesfay", "Zahra", "Bilal", "Iryna", "Karim", "Mona")
HOME_LANGUAGES = ("ar", "ti", "fa", "uk", "tr", "so", "ps", "ku", "ru", "am")
SYNTHETIC_TEXTS = {
    "session": ("[synthetic] Talked through the first customers.", "[synthetic] Went over the costs per month.",
                "[synthetic] Practised the pitch in Dutch.", "[synthetic] Looked at the licence forms together."),
    "step": ("[synthetic] Call three shops", "[synthetic] Ask the municipality about the Bbz",
             "[synthetic] Write down the prices", "[synthetic] Visit the KVK information day"),
    "reason": ("[synthetic] Waiting for the municipality", "[synthetic] No childcare this month",
               "[synthetic] The bank asks for more papers", "[synthetic] Not needed for this venture"),
    "note": ("[synthetic] Good progress this week.", "[synthetic] Needs help with the forecast.",
             "[synthetic] Found a market stall to share.", "[synthetic] The language course takes much time."),
    "evidence": ("[synthetic] Photo of the registration", "[synthetic] Notes of ten conversations",
                 "[synthetic] Signed offer"),
}


@dataclass(frozen=True)
class DemoSummary:
    participants: int
    mentors: int
    stakeholders: int
    cohorts: int
    snapshots: int
    choices: int
    plans: int
    milestones: int
    sessions: int
    next_steps: int
    notes: int
    links: int
    outcomes: int
    mentor_usernames: tuple[str, ...]


def _insert(cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, select: str | None = None) -> None:
    """INSERT INTO table (frame's columns) SELECT ... FROM frame: one statement for the whole frame."""
    if frame.empty:
        return
    name = f"demo_rows_{table}"
    cur.register(name, frame)
    try:
        columns = ", ".join(frame.columns)
        cur.execute(f"INSERT INTO {table} ({columns}) SELECT {select or columns} FROM {name}")
    finally:
        cur.unregister(name)


def _pick(rng: np.random.Generator, texts: tuple[str, ...], n: int) -> np.ndarray:
    return np.array(texts, dtype=object)[rng.integers(0, len(texts), n)]


def _accounts(cur: duckdb.DuckDBPyConnection, names: list[str], role: str) -> list[int]:
    _insert(cur, "users", pd.DataFrame({"username": names, "role": role}))
    found = dict(cur.execute("SELECT username, user_id FROM users WHERE username IN (SELECT unnest(?))", [names]).fetchall())
    return [found[name] for name in names]


def _profiles(rng: np.random.Generator, market, ids: list[str], names: list[str], municipalities: list[str]) -> list[Profile]:
    """Synthetic profiles: each person leans towards one venture (its skills, its occupation)."""
    n, cefr = len(ids), ("A1", "A2", "B1", "B2")
    lean = rng.integers(0, market.n_ventures, n)
    out = []
    for i in range(n):
        v = lean[i]
        required = [market.skill_codes[k] for k in np.flatnonzero(market.w_required[v] > 0)][:3]
        languages = [{"code": "nl", "cefr": cefr[rng.choice(4, p=(0.3, 0.35, 0.25, 0.1))]},
                     {"code": HOME_LANGUAGES[rng.integers(0, len(HOME_LANGUAGES))], "cefr": "C2"}]
        if rng.random() < 0.3:
            languages.append({"code": "en", "cefr": "B1"})
        out.append(Profile.from_dict({
            "id": ids[i], "display_name": names[i], "municipality": municipalities[i], "languages": languages,
            "education": {"isced_level": int(rng.integers(0, 7))},
            "experience": [{"isco": f"{int(market.isco[v]):04d}", "years": int(rng.integers(0, 16))}],
            "skills": [{"esco_group": code, "level": int(rng.integers(2, 5))} for code in required],
            "interests": {c: int(rng.integers(20, 95)) for c in "RIASEC"}, "ambition": int(rng.integers(30, 95)),
            "capital_eur": float(rng.choice([0, 500, 1000, 2500, 5000])), "hours_per_week": float(rng.integers(16, 41)),
            "home_based_only": bool(rng.random() < 0.15), "on_benefit": bool(rng.random() < 0.85),
            "ladder_rung": int(rng.integers(1, 5)), "external_ref": f"SYNTHETIC-{ids[i]}",
        }))
    return out


def _snapshots(rng: np.random.Generator, profiles: list[Profile], intake: np.ndarray, today: dt.date) -> pd.DataFrame:
    """Version 1 at intake; a re-take about six months later for those whose intake is that long ago,
    with the ladder and life domains moved (mostly up)."""
    rows = []
    for i, profile in enumerate(profiles):
        domains = {d: int(rng.integers(1, 5)) for d in LIFE_DOMAINS}
        first = {**snapshot_row(profile, Details(life_domains=domains)), "participant_id": profile.id, "version": 1}
        rows.append({**first, "saved_at": dt.datetime.combine(intake[i], dt.time(10))})
        retake = intake[i] + dt.timedelta(days=int(rng.integers(150, 200)))
        if retake <= today:
            moved = Profile.from_dict({**profile.to_dict(), "ladder_rung": min(6, profile.ladder_rung + int(rng.integers(0, 3)))})
            better = {d: min(5, v + int(rng.integers(0, 2))) for d, v in domains.items()}
            rows.append({**snapshot_row(moved, Details(life_domains=better)), "participant_id": profile.id, "version": 2,
                         "saved_at": dt.datetime.combine(retake, dt.time(10))})
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in SNAPSHOT_COLUMNS})
    frame["draft"], frame["source"], frame["saved_by"] = False, "import", None
    return frame


def _template_table(cur: duckdb.DuckDBPyConnection, market) -> pd.DataFrame:
    """The planned milestones of every venture, due as days after the start (one template table per
    venture, joined to the people below instead of planning each person in Python)."""
    licences: dict[str, list] = {}
    for venture_id, licence_id, weeks in cur.execute(
            "SELECT vl.venture_id, vl.licence_id, l.lead_time_weeks FROM venture_licences vl LEFT JOIN licences l"
            " USING (licence_id) ORDER BY vl.venture_id, vl.position").fetchall():
        licences.setdefault(venture_id, []).append((licence_id, weeks))
    epoch, rows = dt.date(2000, 1, 1), []
    for v, venture_id in enumerate(market.venture_ids):
        for p in ms.templates_for(str(market.family[v]), licences.get(venture_id, []), epoch):
            rows.append((venture_id, p.template_key, p.licence_id, p.plan_section, list(p.checklist_keys), p.position,
                         (p.due_on - epoch).days, p.owner))
    return pd.DataFrame(rows, columns=["venture_id", "template_key", "licence_id", "plan_section", "checklist_keys",
                                       "position", "day", "owner"])


def _statuses(rng: np.random.Generator, planned: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Every status: most milestones well past their due date are done, some blocked or skipped (with a
    reason) or still in progress (overdue); near ones in progress; later ones to do."""
    n = len(planned)
    late = (pd.Timestamp(today) - pd.to_datetime(planned["due_on"])).dt.days.to_numpy()
    draw = rng.random(n)
    status = np.where(late > 21, np.select([draw < 0.72, draw < 0.82, draw < 0.88, draw < 0.94],
                                           ["done", "in_progress", "blocked", "skipped"], "todo"),
                      np.where(late > -21, np.where(draw < 0.45, "in_progress", np.where(draw < 0.55, "blocked", "todo")),
                               "todo"))
    running = planned["template_key"].str.startswith("running_").to_numpy()
    status = np.where(running, "todo", status)  # set from the outcomes below
    planned = planned.assign(status=status)
    reasons = _pick(rng, SYNTHETIC_TEXTS["reason"], n)
    planned["reason"] = np.where(np.isin(status, ["blocked", "skipped"]), reasons, None)
    done_days = np.maximum(0, np.minimum(late, rng.integers(0, 21, n)))
    completed = pd.to_datetime(planned["due_on"]) + pd.to_timedelta(np.where(late > 0, -done_days, 0), unit="D")
    completed = completed.clip(upper=pd.Timestamp(today)).clip(lower=pd.to_datetime(planned["start_on"]))
    planned["completed_on"] = np.where(status == "done", completed.dt.date, None)
    planned["evidence"] = np.where((status == "done") & (rng.random(n) < 0.5), _pick(rng, SYNTHETIC_TEXTS["evidence"], n),
                                   None)
    return planned


def create_workspace(cur: duckdb.DuckDBPyConnection, *, participants: int, seed: int, today: dt.date,
                     model: mm.TrainedModel | None = None, mentor_username: str | None = None) -> DemoSummary:
    """Make a synthetic workspace of `participants` people in one transaction (the command line; no
    Actor: whoever holds the database file). The same seed and `today` give the same workspace."""
    if not 1 <= participants <= MAX_PARTICIPANTS:
        raise ValidationFailed(TOO_MANY, limit=MAX_PARTICIPANTS)
    market, model = load_market(cur), model or mm.load()
    rng = np.random.default_rng(seed)
    with transaction(cur):
        run = cur.execute("SELECT count(*) FROM demo_workspaces").fetchone()[0] + 1
        prefix = "demo-" if run == 1 else f"demo{run}-"
        own_mentor = None
        if mentor_username:
            found = cur.execute("SELECT user_id FROM users WHERE username = lower(trim(?)) AND role = 'mentor' AND active",
                                [mentor_username]).fetchone()
            if found is None:
                raise ValidationFailed(NOT_A_MENTOR)
            own_mentor = found[0]
        n, n_cohorts = participants, math.ceil(participants / COHORT_SIZE)
        n_mentors, n_stakeholders = max(2, n_cohorts), max(1, min(50, n // 50))

        # Mentors with what matching needs, and stakeholders (no passwords: nobody signs in as them).
        mentor_names = [f"{prefix}mentor-{i + 1:04d}" for i in range(n_mentors)]
        mentor_ids = _accounts(cur, mentor_names, "mentor")
        sections = sorted(set(market.sbi_section))
        _insert(cur, "mentor_profiles", pd.DataFrame({
            "mentor_user_id": mentor_ids, "capacity": rng.integers(COHORT_SIZE, COHORT_SIZE + 5, n_mentors),
            "languages": [sorted({"nl", *rng.choice(HOME_LANGUAGES, 2, replace=False)}) for _ in range(n_mentors)],
            "sectors": [sorted(rng.choice(sections, 3, replace=False)) for _ in range(n_mentors)],
        }), "mentor_user_id, capacity, CAST(languages AS VARCHAR[]), CAST(sectors AS VARCHAR[])")
        stakeholder_ids = _accounts(cur, [f"{prefix}client-manager-{i + 1:03d}" for i in range(n_stakeholders)],
                                    "stakeholder")

        # Cohorts across the largest municipalities, started 1 to 30 months ago.
        places = cur.execute("SELECT gm_code, name FROM municipalities ORDER BY population DESC LIMIT 12").fetchall()
        starts = [today - dt.timedelta(days=int(d)) for d in rng.integers(30, 900, n_cohorts)]
        cohort_frame = pd.DataFrame({
            "name": [f"{prefix}cohort {i + 1} · {places[i % len(places)][1]} ({LABEL})" for i in range(n_cohorts)],
            "start_on": starts, "municipality": [places[i % len(places)][0] for i in range(n_cohorts)],
            "programme": f"Versnelling demo ({LABEL})", "synthetic": True})
        _insert(cur, "cohorts", cohort_frame, "name, CAST(start_on AS DATE), municipality, programme, synthetic")
        cohort_ids = [row[0] for row in cur.execute("SELECT cohort_id FROM cohorts WHERE name IN (SELECT unnest(?))"
                                                    " ORDER BY cohort_id", [list(cohort_frame["name"])]).fetchall()]

        # People: each cohort of twelve with one mentor; intake a few days before the cohort starts.
        ids = next_participant_ids(cur, n)
        cohort_of = np.arange(n) // COHORT_SIZE
        start_of = np.array(starts, dtype=object)[cohort_of]
        intake = np.array([s - dt.timedelta(days=int(d)) for s, d in zip(start_of, rng.integers(0, 15, n), strict=True)])
        names = [f"{FIRST_NAMES[rng.integers(0, len(FIRST_NAMES))]} {chr(65 + rng.integers(0, 26))}." for _ in range(n)]
        people = pd.DataFrame({"participant_id": ids, "display_name": names, "external_ref": [f"SYNTHETIC-{p}" for p in ids],
                               "created_at": [dt.datetime.combine(d, dt.time(9)) for d in intake], "synthetic": True})
        _insert(cur, "participants", people)
        _insert(cur, "cohort_members", pd.DataFrame({"participant_id": ids,
                                                     "cohort_id": np.array(cohort_ids)[cohort_of]}))
        mentor_of = np.array(mentor_ids)[cohort_of % n_mentors]
        pairs = pd.DataFrame({"participant_id": ids, "mentor_user_id": mentor_of})
        if own_mentor is not None:
            first = np.flatnonzero(cohort_of == 0)
            pairs = pd.concat([pairs, pd.DataFrame({"participant_id": [ids[i] for i in first],
                                                    "mentor_user_id": own_mentor})])
        _insert(cur, "participant_mentors", pairs)

        # Profiles, scored by the model: the best suggestion is the chosen venture (nine in ten).
        municipalities = [cohort_frame["municipality"][c] for c in cohort_of]
        profiles = _profiles(rng, market, ids, names, municipalities)
        snapshot_frame = _snapshots(rng, profiles, intake, today)
        _insert(cur, "profile_snapshots", snapshot_frame, ", ".join(
            f"CAST({c} AS TIMESTAMP)" if c == "saved_at" else f"CAST({c} AS INTEGER)" if c == "saved_by" else c
            for c in snapshot_frame.columns))
        arrays = fx.people_from_profiles(profiles, market)
        top = ranking.top_for_many(model, market, arrays, top=1)
        chooses = np.array([bool(t) for t in top]) & (rng.random(n) < 0.9)
        chosen_v = np.array([t[0][0] if t else 0 for t in top])
        x = fx.features_pairs(market, arrays, chosen_v)
        chosen_on = [min(today, d + dt.timedelta(days=int(k))) for d, k in zip(intake, rng.integers(14, 40, n), strict=True)]
        choice_rows = pd.DataFrame({
            "participant_id": ids, "venture_id": [market.venture_ids[v] for v in chosen_v],
            "score": [t[0][1] if t else None for t in top], "model_version": model.version,
            "features": [json.dumps(dict(zip(fx.FEATURE_NAMES, map(float, row), strict=True))) for row in x],
            "municipality": municipalities, "chosen_at": [dt.datetime.combine(d, dt.time(11)) for d in chosen_on],
        })[chooses]
        _insert(cur, "venture_choices", choice_rows,
                "participant_id, venture_id, score, model_version, CAST(features AS JSON), municipality,"
                " CAST(chosen_at AS TIMESTAMP)")

        # Plans for most of those who chose, the catalogue's prefill of their venture.
        planning = choice_rows[rng.random(len(choice_rows)) < 0.8]
        contents = pd.DataFrame({"venture_id": sorted(set(planning["venture_id"]))})
        contents["content"] = [json.dumps(prefill.first_content(cur, venture_id=v, profile=None).to_dict())
                               for v in contents["venture_id"]]
        _insert(cur, "plans", planning[["participant_id", "venture_id"]].assign(venture_key=planning["venture_id"]))
        cur.register("demo_plan_contents", contents)
        try:
            cur.execute("INSERT INTO plan_versions (plan_id, version, content) SELECT p.plan_id, 1, c.content"
                        " FROM plans p JOIN demo_plan_contents c USING (venture_id)"
                        " WHERE p.participant_id IN (SELECT unnest(?))", [list(planning["participant_id"])])
        finally:
            cur.unregister("demo_plan_contents")

        # Milestones: the templates of each chosen venture, due from the cohort's start, in every status.
        plan_rows = pd.DataFrame({"participant_id": ids, "start_on": start_of, "venture_id": [
            market.venture_ids[v] if c else None for v, c in zip(chosen_v, chooses, strict=True)],
            "family": [str(market.family[v]) if c else None for v, c in zip(chosen_v, chooses, strict=True)]})
        _insert(cur, "milestone_plans", plan_rows, "participant_id, CAST(start_on AS DATE), family, venture_id")
        templates = _template_table(cur, market)
        epoch = dt.date(2000, 1, 1)
        common = pd.DataFrame([(p.template_key, p.licence_id, p.plan_section, list(p.checklist_keys), p.position,
                                (p.due_on - epoch).days, p.owner) for p in ms.templates_for(None, [], epoch)],
                              columns=[c for c in templates.columns if c != "venture_id"])
        with_venture = plan_rows[plan_rows["venture_id"].notna()].merge(templates, on="venture_id")
        without = plan_rows[plan_rows["venture_id"].isna()].drop(columns="venture_id").merge(common, how="cross")
        planned = pd.concat([with_venture, without], ignore_index=True)
        planned["due_on"] = (pd.to_datetime(planned["start_on"]) + pd.to_timedelta(planned["day"], unit="D")).dt.date
        planned = _statuses(rng, planned, today)

        # Outcomes of those whose cohort started long enough ago (the programme's launch rate).
        outcome_rows = _outcomes(rng, choice_rows, dict(zip(ids, start_of, strict=True)), today)
        launched = outcome_rows.set_index("participant_id")
        for months in oc.MARKS:
            key = f"running_{months}m"
            on = planned["participant_id"].map(launched[key]).eq(True) if not launched.empty else False
            planned.loc[(planned["template_key"] == key) & on, "status"] = "done"
        # The KVK registration is done exactly for those launched; reasons only where blocked or skipped.
        recorded = planned["participant_id"].isin(launched.index)
        kvk_done = planned["participant_id"].isin(launched.index[launched["launched_on"].notna()])
        kvk = planned["template_key"] == "kvk_registration"
        planned.loc[kvk & kvk_done, "status"] = "done"
        planned.loc[kvk & recorded & ~kvk_done & (planned["status"] == "done"), "status"] = "in_progress"
        planned.loc[~planned["status"].isin(["blocked", "skipped"]), "reason"] = None
        is_done = planned["status"] == "done"
        planned.loc[is_done & planned["completed_on"].isna(), "completed_on"] = planned.loc[
            is_done & planned["completed_on"].isna(), "due_on"].map(lambda d: min(d, today))
        planned.loc[~is_done, "completed_on"] = None
        planned["version"] = np.where(planned["status"] == "todo", 1, 2)
        planned["synthetic"] = True
        _insert(cur, "milestones", planned[["participant_id", "template_key", "licence_id", "plan_section", "checklist_keys",
                                            "position", "due_on", "owner", "status", "reason", "evidence", "completed_on",
                                            "version", "synthetic"]],
                "participant_id, template_key, licence_id, plan_section, CAST(checklist_keys AS VARCHAR[]), position,"
                " CAST(due_on AS DATE), owner, status, reason, evidence, CAST(completed_on AS DATE), version, synthetic")
        cur.execute("INSERT INTO milestone_events (milestone_id, version, status, reason, evidence, completed_on,"
                    " changed_by, changed_at) SELECT milestone_id, 2, status, reason, evidence, completed_on, NULL,"
                    " CAST(coalesce(completed_on, due_on) AS TIMESTAMP) FROM milestones"
                    " WHERE synthetic AND version = 2 AND participant_id IN (SELECT unnest(?))", [ids])
        cur.execute("UPDATE milestones SET updated_at = CAST(coalesce(completed_on, due_on) AS TIMESTAMP)"
                    " WHERE synthetic AND version = 2 AND participant_id IN (SELECT unnest(?))", [ids])

        sessions, steps = _sessions(cur, rng, ids, mentor_of, intake, today)
        notes = _notes(rng, ids, mentor_of)
        _insert(cur, "programme_notes", notes)
        linked = rng.random(n) < 0.2
        links = pd.DataFrame({"participant_id": np.array(ids)[linked],
                              "stakeholder_user_id": np.array(stakeholder_ids)[rng.integers(0, n_stakeholders, linked.sum())],
                              "purpose": "stakeholder", "given_method": "signed_form",
                              "given_by": mentor_of[linked]})
        _insert(cur, "consents", links)
        if not outcome_rows.empty:
            cur.register("demo_outcomes", outcome_rows)
            try:
                cur.execute(
                    "INSERT INTO programme_outcomes (choice_id, participant_id, venture_id, launched, running_12m, features,"
                    " launched_on, running_6m, running_24m, jobs_fte, revenue_band, left_assistance_on, synthetic)"
                    " SELECT c.choice_id, o.participant_id, o.venture_id, o.launched, o.running_12m, c.features,"
                    " CAST(o.launched_on AS DATE), o.running_6m, o.running_24m, CAST(o.jobs_fte AS DECIMAL(5, 2)),"
                    " o.revenue_band, CAST(o.left_assistance_on AS DATE), TRUE"
                    " FROM demo_outcomes o JOIN venture_choices c USING (participant_id)")
            finally:
                cur.unregister("demo_outcomes")
        cur.execute("INSERT INTO demo_workspaces (participants, seed) VALUES (?, ?)", [n, seed])
        audit(cur, None, "demo.create", f"demo:{run}")
    return DemoSummary(n, n_mentors, n_stakeholders, n_cohorts, len(snapshot_frame), len(choice_rows), len(planning),
                       len(planned), sessions, steps, len(notes), len(links), len(outcome_rows), tuple(mentor_names))


def _outcomes(rng: np.random.Generator, choices: pd.DataFrame, start_of: dict, today: dt.date) -> pd.DataFrame:
    """Launched (about six in ten, five to seven months after the start), then running at 6, 12 and
    24 months where that long has passed; jobs, revenue band and leaving social assistance."""
    rows = []
    for pid, venture_id in zip(choices["participant_id"], choices["venture_id"], strict=True):
        start = start_of[pid]
        if (today - start).days < 200:
            continue
        launched_on = start + dt.timedelta(days=int(rng.integers(140, 220)))
        if launched_on > today or rng.random() >= 0.6:
            final = (today - start).days > 365 + 220
            rows.append((pid, venture_id, False, None, None, None if not final else False, None, None, None, None))
            continue
        marks = []
        alive = True
        for months, keep in zip(oc.MARKS, (0.85, 0.8, 0.8), strict=True):
            if oc.months_later(launched_on, months) > today:
                marks.append(None)
                continue
            alive = alive and rng.random() < keep
            marks.append(alive)
        fte = float(rng.choice([0, 0, 0.5, 1, 1.5]))
        band = str(rng.choice(["below_1000", "1000_2500", "2500_5000", "5000_10000"]))
        left = launched_on + dt.timedelta(days=int(rng.integers(60, 200))) if marks[0] and rng.random() < 0.5 else None
        rows.append((pid, venture_id, True, launched_on, *marks, fte, band,
                     left if left is not None and left <= today else None))
    return pd.DataFrame(rows, columns=["participant_id", "venture_id", "launched", "launched_on", "running_6m",
                                       "running_12m", "running_24m", "jobs_fte", "revenue_band", "left_assistance_on"])


def _sessions(cur: duckdb.DuckDBPyConnection, rng: np.random.Generator, ids: list[str], mentor_of: np.ndarray,
              intake: np.ndarray, today: dt.date) -> tuple[int, int]:
    """One to four sessions each between intake and today, half with a next step."""
    counts = rng.integers(1, 5, len(ids))
    person = np.repeat(np.arange(len(ids)), counts)
    span = np.array([(today - d).days for d in intake])[person]
    held = [intake[p] + dt.timedelta(days=int(rng.integers(0, max(1, s)))) for p, s in zip(person, span, strict=True)]
    topics = list(TOPICS)
    frame = pd.DataFrame({
        "participant_id": np.array(ids)[person], "mentor_user_id": mentor_of[person], "held_on": held,
        "duration_minutes": rng.choice([30, 45, 60, 90], len(person)),
        "topics": [sorted(rng.choice(topics, int(rng.integers(1, 4)), replace=False)) for _ in person],
        "notes": _pick(rng, SYNTHETIC_TEXTS["session"], len(person))})
    _insert(cur, "mentoring_sessions", frame, "participant_id, mentor_user_id, CAST(held_on AS DATE), duration_minutes,"
                                              " CAST(topics AS VARCHAR[]), notes")
    cur.register("demo_step_texts", pd.DataFrame({"k": np.arange(len(SYNTHETIC_TEXTS["step"])),
                                                  "description": SYNTHETIC_TEXTS["step"]}))
    try:
        cur.execute(
            "INSERT INTO session_next_steps (session_id, participant_id, description, owner, due_on)"
            " SELECT s.session_id, s.participant_id, t.description, 'participant', s.held_on + 14"
            " FROM mentoring_sessions s JOIN demo_step_texts t ON t.k = s.session_id % 4"
            " WHERE s.participant_id IN (SELECT unnest(?)) AND hash(s.session_id) % 2 = 0", [ids])
    finally:
        cur.unregister("demo_step_texts")
    steps = cur.execute("SELECT count(*) FROM session_next_steps WHERE participant_id IN (SELECT unnest(?))",
                        [ids]).fetchone()[0]
    return len(frame), steps


def _notes(rng: np.random.Generator, ids: list[str], mentor_of: np.ndarray) -> pd.DataFrame:
    counts = rng.integers(0, 3, len(ids))
    person = np.repeat(np.arange(len(ids)), counts)
    return pd.DataFrame({"participant_id": np.array(ids)[person], "about": "participant",
                         "body": _pick(rng, SYNTHETIC_TEXTS["note"], len(person)),
                         "author_user_id": mentor_of[person], "author_role": "mentor"})
