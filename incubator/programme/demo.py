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

from incubator.core import participant_stage
from incubator.core.audit import audit
from incubator.core.db import transaction
from incubator.core.errors import ValidationFailed
from incubator.core.i18n import N_
from incubator.market.arrays import load_market
from incubator.people.inventory import LIFE_DOMAINS, Details
from incubator.people.participants import next_participant_ids
from incubator.people.snapshots import fill_typed_tables
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


def _insert(cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, select: str | None = None, *,
            columns: str | None = None) -> None:
    """INSERT INTO table (frame's columns) SELECT ... FROM frame: one statement for the whole frame."""
    if frame.empty:
        return
    name = f"demo_rows_{table}"
    cur.register(name, frame)
    try:
        columns = columns or ", ".join(frame.columns)
        cur.execute(f"INSERT INTO {table} ({columns}) SELECT {select or columns} FROM {name}")
    finally:
        cur.unregister(name)


def _pick(rng: np.random.Generator, texts: tuple[str, ...], n: int) -> np.ndarray:
    return np.array(texts, dtype=object)[rng.integers(0, len(texts), n)]


def _accounts(cur: duckdb.DuckDBPyConnection, names: list[str], role: str) -> list[int]:
    _insert(cur, "users", pd.DataFrame({"username": names, "role": role}))
    found = dict(cur.execute("SELECT username, user_id FROM users WHERE username IN (SELECT unnest(?))", [names]).fetchall())
    return [found[name] for name in names]


def _profiles(rng: np.random.Generator, market, ids: list[str], names: list[str],
              municipalities: np.ndarray) -> fx.ProfileTables:
    """Synthetic profiles as columns (no Profile objects: the same code makes 100,000): each person
    leans towards one venture (its first three required skills, its occupation)."""
    n = len(ids)
    lean = rng.integers(0, market.n_ventures, n)
    required = [np.flatnonzero(market.w_required[v] > 0)[:3] for v in range(market.n_ventures)]
    per_person = np.array([len(required[v]) for v in lean], np.int64)
    skill_rows = np.repeat(np.arange(n), per_person)
    skill_codes = np.array(market.skill_codes, dtype=object)[np.concatenate([required[v] for v in lean])] \
        if n else np.zeros(0, object)
    dutch = np.array(["A1", "A2", "B1", "B2"], dtype=object)[rng.choice(4, n, p=(0.3, 0.35, 0.25, 0.1))]
    home = np.array(HOME_LANGUAGES, dtype=object)[rng.integers(0, len(HOME_LANGUAGES), n)]
    english = rng.random(n) < 0.3
    # Languages in list order: Dutch, the home language, English for three in ten.
    lang_rows = np.concatenate([np.arange(n), np.arange(n), np.flatnonzero(english)])
    order = np.argsort(lang_rows, kind="stable")
    languages = {"row": lang_rows[order],
                 "code": np.concatenate([np.full(n, "nl", object), home, np.full(english.sum(), "en", object)])[order],
                 "cefr": np.concatenate([dutch, np.full(n, "C2", object), np.full(english.sum(), "B1", object)])[order]}
    base = {
        "display_name": np.array(names, dtype=object), "municipality": np.asarray(municipalities, dtype=object),
        "isced_level": rng.integers(0, 7, n),
        **{f"interest_{c}": rng.integers(20, 95, n) for c in "RIASEC"},
        "ambition": rng.integers(30, 95, n), "capital_eur": rng.choice([0.0, 500.0, 1000.0, 2500.0, 5000.0], n),
        "hours_per_week": rng.integers(16, 41, n).astype(float), "home_based_only": rng.random(n) < 0.15,
        "on_benefit": rng.random(n) < 0.85, "ladder_rung": rng.integers(1, 5, n),
        "external_ref": np.array([f"SYNTHETIC-{pid}" for pid in ids], dtype=object),
    }
    return fx.ProfileTables(
        ids=ids, base=base,
        skills={"row": skill_rows, "code": skill_codes, "level": rng.integers(2, 5, len(skill_rows))},
        languages=languages,
        experience={"row": np.arange(n), "isco": np.array([f"{int(market.isco[v]):04d}" for v in lean], dtype=object),
                    "esco_uri": np.full(n, None, object), "years": rng.integers(0, 16, n).astype(float)},
    )


def _snapshots(cur: duckdb.DuckDBPyConnection, rng: np.random.Generator, people: fx.ProfileTables,
               intake: np.ndarray, today: dt.date) -> int:
    """Version 1 at intake; a re-take about six months later for those whose intake is that long ago,
    with the ladder and life domains moved (mostly up). The exchange-format JSON is made in DuckDB
    from the same columns, and the typed rows from that JSON (as every save does). Returns the count."""
    n, domains = len(people.ids), list(LIFE_DOMAINS)
    first = rng.integers(1, 5, (n, len(domains)))
    intake_at = pd.to_datetime(pd.Series(intake)) + pd.Timedelta(hours=10)
    retake_at = intake_at + pd.to_timedelta(rng.integers(150, 200, n), unit="D")
    again = (retake_at.dt.date <= today).to_numpy()
    rung = people.base["ladder_rung"]
    moved_rung = np.minimum(6, rung + rng.integers(0, 3, n))
    better = np.minimum(5, first + rng.integers(0, 2, (n, len(domains))))
    version = np.concatenate([np.ones(n, np.int64), np.full(again.sum(), 2)])
    who = np.concatenate([np.arange(n), np.flatnonzero(again)])
    base = pd.DataFrame({"row": who, "participant_id": np.asarray(people.ids, object)[who], "version": version,
                         "saved_at": pd.concat([intake_at, retake_at[again]], ignore_index=True),
                         **{k: v[who] for k, v in people.base.items() if k != "ladder_rung"},
                         "ladder_rung": np.concatenate([rung, moved_rung[again]])})
    for d, column in enumerate(domains):
        base[f"domain_{column}"] = np.concatenate([first[:, d], better[again, d]])
    lists = {name: pd.DataFrame({k: v for k, v in table.items()})
             for name, table in (("skills", people.skills), ("languages", people.languages),
                                 ("experience", people.experience))}
    details = json.dumps({k: v for k, v in Details().to_dict().items() if k != "life_domains"})
    interests = ", ".join(f"'{c}': b.interest_{c}" for c in "RIASEC")
    life = ", ".join(f"'{d}': b.domain_{d}" for d in domains)
    for name, frame in (("demo_base", base), *((f"demo_{k}", v) for k, v in lists.items())):
        cur.register(name, frame)
    try:
        cur.execute(f"""
            INSERT INTO profile_snapshots (participant_id, version, draft, saved_at, saved_by, source, profile, details,
                municipality, dutch_cefr, isced_level, ambition, capital_eur, hours_per_week, on_benefit, ladder_rung,
                skills_count, {", ".join(f"interest_{c.lower()}" for c in "RIASEC")},
                {", ".join(f"domain_{d}" for d in domains)}, home_based_only)
            WITH skills AS (SELECT row, list({{'esco_group': code, 'level': CAST(level AS INTEGER)}}) AS items
                            FROM demo_skills GROUP BY row),
                 languages AS (SELECT row, list({{'code': code, 'cefr': cefr}}) AS items,
                               first(cefr) FILTER (WHERE code = 'nl') AS dutch FROM demo_languages GROUP BY row),
                 experience AS (SELECT row, list({{'years': years, 'isco': isco}}) AS items FROM demo_experience GROUP BY row)
            SELECT b.participant_id, CAST(b.version AS INTEGER), FALSE, CAST(b.saved_at AS TIMESTAMP), NULL, 'import',
                to_json({{'id': b.participant_id, 'display_name': b.display_name, 'municipality': b.municipality,
                         'languages': coalesce(l.items, []), 'education': {{'isced_level': CAST(b.isced_level AS INTEGER)}},
                         'experience': coalesce(e.items, []), 'skills': coalesce(s.items, []),
                         'interests': {{{interests}}}, 'ambition': CAST(b.ambition AS INTEGER),
                         'capital_eur': CAST(b.capital_eur AS DOUBLE), 'hours_per_week': CAST(b.hours_per_week AS DOUBLE),
                         'home_based_only': b.home_based_only, 'on_benefit': b.on_benefit,
                         'ladder_rung': CAST(b.ladder_rung AS INTEGER), 'external_ref': b.external_ref}}),
                json_merge_patch(?, to_json({{'life_domains': {{{life}}}}})),
                b.municipality, l.dutch, b.isced_level, b.ambition, b.capital_eur, b.hours_per_week, b.on_benefit,
                b.ladder_rung, coalesce(len(s.items), 0), {", ".join(f"b.interest_{c}" for c in "RIASEC")},
                {", ".join(f"b.domain_{d}" for d in domains)}, b.home_based_only
            FROM demo_base b LEFT JOIN skills s USING (row) LEFT JOIN languages l USING (row)
            LEFT JOIN experience e USING (row)""", [details])
        fill_typed_tables(cur, "(SELECT participant_id, version, draft, profile FROM profile_snapshots"
                               " WHERE participant_id IN (SELECT participant_id FROM demo_base))")
    finally:
        for name in ("demo_base", *(f"demo_{k}" for k in lists)):
            cur.unregister(name)
    return len(base)


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
        intake_days = pd.to_datetime(pd.Series(start_of)) - pd.to_timedelta(rng.integers(0, 15, n), unit="D")
        intake = intake_days.dt.date.to_numpy()
        first_names = np.array(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), n)]
        initials = np.array([f" {chr(65 + k)}." for k in range(26)], dtype=object)[rng.integers(0, 26, n)]
        names = (first_names + initials).tolist()
        people = pd.DataFrame({"participant_id": ids, "display_name": names, "external_ref": [f"SYNTHETIC-{p}" for p in ids],
                               "created_at": intake_days + pd.Timedelta(hours=9), "synthetic": True})
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
        municipalities = cohort_frame["municipality"].to_numpy()[cohort_of]
        profiles = _profiles(rng, market, ids, names, municipalities)
        snapshot_count = _snapshots(cur, rng, profiles, intake, today)
        arrays = fx.people_from_tables(profiles, market)
        top = ranking.top_for_many(model, market, arrays, top=1)
        chooses = np.array([bool(t) for t in top]) & (rng.random(n) < 0.9)
        chosen_v = np.array([t[0][0] if t else 0 for t in top])
        x = fx.features_pairs(market, arrays, chosen_v)
        chosen_at = (pd.to_datetime(pd.Series(intake)) + pd.to_timedelta(rng.integers(14, 40, n), unit="D")).clip(
            upper=pd.Timestamp(today)) + pd.Timedelta(hours=11)
        choice_rows = pd.DataFrame({
            "participant_id": ids, "venture_id": np.asarray(market.venture_ids, dtype=object)[chosen_v],
            "score": [t[0][1] if t else None for t in top], "model_version": model.version,
            **{f"feature_{name}": x[:, f].astype(np.float64) for f, name in enumerate(fx.FEATURE_NAMES)},
            "municipality": municipalities, "chosen_at": chosen_at,
        })[chooses]
        features = ", ".join(f"'{name}': feature_{name}" for name in fx.FEATURE_NAMES)
        _insert(cur, "venture_choices", choice_rows,
                f"participant_id, venture_id, score, model_version, to_json({{{features}}}), municipality,"
                " CAST(chosen_at AS TIMESTAMP)",
                columns="participant_id, venture_id, score, model_version, features, municipality, chosen_at")
        chosen_on = dict(zip(choice_rows["participant_id"], choice_rows["chosen_at"], strict=True))
        choice_rows = choice_rows[["participant_id", "venture_id"]]

        # Plans for most of those who chose, the catalogue's prefill of their venture.
        planning = choice_rows[rng.random(len(choice_rows)) < 0.8]
        contents = pd.DataFrame({"venture_id": sorted(set(planning["venture_id"]))})
        contents["content"] = [json.dumps(prefill.first_content(cur, venture_id=v, profile=None).to_dict())
                               for v in contents["venture_id"]]
        # Written one to three weeks after the choice (never after today), from a generator of their
        # own, so the rest of the workspace stays what the seed gave before plans had dates.
        written = (pd.to_datetime(planning["participant_id"].map(chosen_on))
                   + pd.to_timedelta(np.random.default_rng([seed, 8]).integers(1, 22, len(planning)), unit="D")
                   + pd.Timedelta(hours=3)).clip(upper=pd.Timestamp(today) + pd.Timedelta(hours=14))
        _insert(cur, "plans", planning[["participant_id", "venture_id"]].assign(
            venture_key=planning["venture_id"], created_at=written.to_numpy()),
            "participant_id, venture_id, venture_key, CAST(created_at AS TIMESTAMP)")
        cur.register("demo_plan_contents", contents)
        try:
            cur.execute("INSERT INTO plan_versions (plan_id, version, content, saved_at)"
                        " SELECT p.plan_id, 1, c.content, p.created_at"
                        " FROM plans p JOIN demo_plan_contents c USING (venture_id)"
                        " WHERE p.participant_id IN (SELECT unnest(?))", [list(planning["participant_id"])])
        finally:
            cur.unregister("demo_plan_contents")

        # Milestones: the templates of each chosen venture, due from the cohort's start, in every status.
        plan_rows = pd.DataFrame({"participant_id": ids, "start_on": start_of, "venture_id": [
            market.venture_ids[v] if c else None for v, c in zip(chosen_v, chooses, strict=True)],
            "family": [str(market.family[v]) if c else None for v, c in zip(chosen_v, chooses, strict=True)]})
        _insert(cur, "milestone_plans", plan_rows, "participant_id, CAST(start_on AS DATE), family, venture_id,"
                " CAST(start_on AS TIMESTAMP) + INTERVAL 9 HOUR", columns="participant_id, start_on, family, venture_id, created_at")
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
        # The checklist keys (a list) come from the few template rows, joined in SQL: a list per row
        # sent from Python would cost more than every other column together.
        keys = pd.concat([templates, common.assign(venture_id=None)], ignore_index=True)[["template_key", "checklist_keys"]]
        keys = keys.drop_duplicates("template_key").assign(checklist_keys=lambda k: k["checklist_keys"].map("\x1f".join))
        cur.register("demo_checklists", keys)
        try:
            _insert(cur, "milestones", planned[["participant_id", "template_key", "licence_id", "plan_section", "position",
                                                "due_on", "owner", "status", "reason", "evidence", "completed_on",
                                                "version", "synthetic"]],
                    "participant_id, template_key, licence_id, plan_section, (SELECT CASE WHEN c.checklist_keys = ''"
                    " THEN []::VARCHAR[] ELSE string_split(c.checklist_keys, chr(31)) END FROM demo_checklists c"
                    " WHERE c.template_key = demo_rows_milestones.template_key), position, CAST(due_on AS DATE), owner,"
                    " status, reason, evidence, CAST(completed_on AS DATE), version, synthetic, CASE WHEN version = 2"
                    " THEN CAST(coalesce(CAST(completed_on AS DATE), CAST(due_on AS DATE)) AS TIMESTAMP)"
                    " ELSE current_timestamp END",
                    columns="participant_id, template_key, licence_id, plan_section, checklist_keys, position, due_on,"
                            " owner, status, reason, evidence, completed_on, version, synthetic, updated_at")
        finally:
            cur.unregister("demo_checklists")
        cur.execute("INSERT INTO milestone_events (milestone_id, version, status, reason, evidence, completed_on,"
                    " changed_by, changed_at) SELECT milestone_id, 2, status, reason, evidence, completed_on, NULL,"
                    " CAST(coalesce(completed_on, due_on) AS TIMESTAMP) FROM milestones"
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
        participant_stage.refresh_all(cur)  # the bulk inserts above bypass the writers that keep it
        audit(cur, None, "demo.create", f"demo:{run}")
    return DemoSummary(n, n_mentors, n_stakeholders, n_cohorts, snapshot_count, len(choice_rows), len(planning),
                       len(planned), sessions, steps, len(notes), len(links), len(outcome_rows), tuple(mentor_names))


def _outcomes(rng: np.random.Generator, choices: pd.DataFrame, start_of: dict, today: dt.date) -> pd.DataFrame:
    """Launched (about six in ten, five to seven months after the start), then running at 6, 12 and
    24 months where that long has passed; jobs, revenue band and leaving social assistance. Drawn as
    arrays, one entry a choice."""
    columns = ["participant_id", "venture_id", "launched", "launched_on", "running_6m", "running_12m", "running_24m",
               "jobs_fte", "revenue_band", "left_assistance_on"]
    start = pd.to_datetime(choices["participant_id"].map(start_of)).reset_index(drop=True)
    choices = choices.reset_index(drop=True)
    now = pd.Timestamp(today)
    known = ((now - start).dt.days >= 200).to_numpy()
    choices, start = choices[known].reset_index(drop=True), start[known].reset_index(drop=True)
    m = len(choices)
    if not m:
        return pd.DataFrame(columns=columns)
    launched_on = start + pd.to_timedelta(rng.integers(140, 220, m), unit="D")
    launched = ((launched_on <= now) & (rng.random(m) < 0.6)).to_numpy()
    final = ((now - start).dt.days > 365 + 220).to_numpy()
    marks, alive = {}, launched.copy()
    for months, keep in zip(oc.MARKS, (0.85, 0.8, 0.8), strict=True):
        # The same day `months` later (pandas' month offset keeps the month's last day, as months_later does).
        reached = (launched_on + pd.DateOffset(months=months) <= now).to_numpy()
        alive = alive & (rng.random(m) < keep)
        marks[months] = np.where(launched & reached, alive, None)
    marks[12] = np.where(~launched & final, False, marks[12])
    fte = rng.choice([0.0, 0.0, 0.5, 1.0, 1.5], m)
    band = rng.choice(["below_1000", "1000_2500", "2500_5000", "5000_10000"], m).astype(object)
    left_on = launched_on + pd.to_timedelta(rng.integers(60, 200, m), unit="D")
    leaves = launched & (marks[6] == True) & (rng.random(m) < 0.5) & (left_on <= now).to_numpy()  # noqa: E712
    return pd.DataFrame({
        "participant_id": choices["participant_id"], "venture_id": choices["venture_id"], "launched": launched,
        "launched_on": np.where(launched, launched_on.dt.date, None), "running_6m": marks[6], "running_12m": marks[12],
        "running_24m": marks[24], "jobs_fte": np.where(launched, fte, None),
        "revenue_band": np.where(launched, band, None), "left_assistance_on": np.where(leaves, left_on.dt.date, None),
    }, columns=columns)


def _sessions(cur: duckdb.DuckDBPyConnection, rng: np.random.Generator, ids: list[str], mentor_of: np.ndarray,
              intake: np.ndarray, today: dt.date) -> tuple[int, int]:
    """One to four sessions each between intake and today, half with a next step."""
    counts = rng.integers(1, 5, len(ids))
    person = np.repeat(np.arange(len(ids)), counts)
    intake_days = pd.to_datetime(pd.Series(intake))
    span = np.maximum(1, (pd.Timestamp(today) - intake_days).dt.days.to_numpy())[person]
    held = (intake_days.iloc[person].reset_index(drop=True)
            + pd.to_timedelta(rng.integers(0, span), unit="D")).dt.date.to_numpy()
    topics = list(TOPICS)
    frame = pd.DataFrame({
        "participant_id": np.array(ids)[person], "mentor_user_id": mentor_of[person], "held_on": held,
        "duration_minutes": rng.choice([30, 45, 60, 90], len(person)),
        "notes": _pick(rng, SYNTHETIC_TEXTS["session"], len(person))})
    # One to three different topics each: the first few of a random order, kept in the topics' order.
    picked = np.sort(rng.random((len(person), len(topics))).argsort(axis=1)[:, :3], axis=1)
    many = rng.integers(1, 4, len(person))
    drawn = np.sort(np.where(np.arange(3)[None, :] < many[:, None], picked, len(topics)), axis=1)
    names = np.array([*sorted(topics), None], dtype=object)
    for slot in range(3):
        frame[f"topic_{slot}"] = names[drawn[:, slot]]
    _insert(cur, "mentoring_sessions", frame, "participant_id, mentor_user_id, CAST(held_on AS DATE), duration_minutes,"
                                              " notes, list_filter([topic_0, topic_1, topic_2], t -> t IS NOT NULL)",
            columns="participant_id, mentor_user_id, held_on, duration_minutes, notes, topics")
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
