"""How fast are the pipeline dashboard's figures? At N participants (100,000 by default, about
1,100,000 milestones) made by the synthetic demo workspace, each KPI query in DuckDB SQL is timed beside
the same figure computed with pandas groupby/merge on the same tables (read into DataFrames first, which
is not counted), printed as a ratio; then the dashboard's total (every figure, the stages once) against
pandas doing all of it. Each pandas result is checked against DuckDB's, so the two compute the same.

The stages and the dashboard's total are timed twice: before, derived live from the write tables on
every view (the view participant_stage_derivation, as the dashboard did until migration 017), and after,
read from the table participant_stage that the writes keep; each beside the same pandas baseline.

Target on this 2-core machine: all KPIs together (the dashboard's total) under 0.3 s. The machine's
load average is printed beside the figures: other work on the two cores slows both sides alike, so each
figure also shows the process CPU time of its best run (what the work itself cost, both cores summed).

The demo database is built once into a cached file (/tmp/versnelling-bench-pipeline-N-SEED.duckdb,
minutes at N = 100,000) and reused; --rebuild makes it again.

More figures (the pipeline workbook's export and read) are added as functions in BENCHMARKS: each takes
(cur, repeat) and returns Rows. Usage: python benchmarks/bench_pipeline.py [--participants 100000]
[--repeat 3] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from incubator.core import db, participant_stage  # noqa: E402
from incubator.core.access import COMMAND_LINE_MANAGER  # noqa: E402
from incubator.market.seed import load_market_data  # noqa: E402
from incubator.pipeline import dashboard, funnel, geography, impact, savings, workload  # noqa: E402
from incubator.pipeline.stages import STAGE_KEYS, registered_stages, stages_sql  # noqa: E402
from incubator.programme import demo  # noqa: E402
from incubator.programme.milestones import OPEN_STATUSES  # noqa: E402
from incubator.programme.progress import DOMAIN_COLUMNS  # noqa: E402

DATES = [f"{key}_on" for key in STAGE_KEYS]


@dataclass(frozen=True)
class Row:
    figure: str
    seconds: float  # the figure as the app computes it (wall time, best run)
    baseline: str  # what it is compared with
    baseline_seconds: float
    cpu_seconds: float = 0.0  # this process's CPU time in the same best run (both cores count)
    baseline_cpu_seconds: float = 0.0

    @property
    def ratio(self) -> float:
        return self.baseline_seconds / self.seconds if self.seconds else float("inf")


@dataclass(frozen=True)
class Timed:
    seconds: float  # wall time of the fastest run
    cpu_seconds: float  # process CPU time of that run: on a shared machine, what the work itself cost


def best_of(repeat: int, work: Callable[[], object]) -> tuple[Timed, object]:
    """The fastest of `repeat` runs (the least disturbed by other work on the machine), with its CPU
    time, and a result."""
    runs, result = [], None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        runs.append(Timed(time.perf_counter() - started, time.process_time() - cpu))
    return min(runs, key=lambda r: r.seconds), result


def timed_row(figure: str, duck: Timed, baseline: str, pandas: Timed) -> Row:
    return Row(figure, duck.seconds, baseline, pandas.seconds, duck.cpu_seconds, pandas.cpu_seconds)


# ----------------------------------------------------------------------------- pandas, the baseline

def read_tables(cur) -> dict[str, pd.DataFrame]:
    """The columns the figures read, as DataFrames (not timed: the baseline starts from memory)."""
    sql = {
        "participants": "SELECT participant_id, CAST(created_at AS DATE) AS intake_on, coalesce(synthetic, FALSE)"
                        " AS synthetic FROM participants",
        "members": "SELECT participant_id, cohort_id FROM cohort_members",
        "cohorts": "SELECT cohort_id, municipality AS cohort_municipality FROM cohorts",
        "snapshots": f"SELECT participant_id, version, saved_at, municipality, ladder_rung, {', '.join(DOMAIN_COLUMNS)}"
                     " FROM profile_snapshots WHERE NOT draft",
        "choices": "SELECT choice_id, participant_id, venture_id, idea_id, chosen_at FROM venture_choices",
        "ventures": "SELECT venture_id, family, sbi_section FROM ventures",
        "ideas": "SELECT idea_id, family AS idea_family FROM venture_ideas",
        "plans": "SELECT p.participant_id, v.saved_at FROM plans p JOIN plan_versions v USING (plan_id)",
        "milestones": "SELECT participant_id, template_key, status, due_on, completed_on FROM milestones",
        "outcomes": "SELECT choice_id, launched, launched_on, running_6m, running_12m, running_24m,"
                    " CAST(jobs_fte AS DOUBLE) AS jobs_fte, left_assistance_on FROM programme_outcomes",
        "mentors": "SELECT participant_id, mentor_user_id FROM participant_mentors",
        "profiles": "SELECT u.user_id AS mentor_user_id, u.username, coalesce(p.capacity, 0) AS capacity FROM users u"
                    " LEFT JOIN mentor_profiles p ON p.mentor_user_id = u.user_id",
        "municipalities": "SELECT gm_code, name FROM municipalities",
    }
    frames = {name: cur.execute(query).df() for name, query in sql.items()}
    for name, column in (("participants", "intake_on"), ("milestones", "due_on"), ("milestones", "completed_on"),
                         ("outcomes", "launched_on"), ("outcomes", "left_assistance_on")):
        frames[name][column] = pd.to_datetime(frames[name][column])
    return frames


def pandas_stages(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    snaps = t["snapshots"].sort_values("version")
    per_snap = snaps.groupby("participant_id").agg(municipality=("municipality", "last"),
                                                   inventory_on=("saved_at", "min")).reset_index()
    choices = t["choices"].sort_values(["chosen_at", "choice_id"])
    latest = choices.groupby("participant_id").tail(1)[["participant_id", "choice_id", "venture_id", "idea_id"]]
    first = choices.groupby("participant_id")["chosen_at"].min().rename("venture_chosen_on").reset_index()
    plan = t["plans"].groupby("participant_id")["saved_at"].min().rename("plan_on").reset_index()
    m = t["milestones"]
    finance = (m[(m["template_key"] == "finance_arranged") & (m["status"] == "done")].groupby("participant_id")
               ["completed_on"].min().rename("finance_arranged_on").reset_index())
    s = (t["participants"].merge(t["members"], on="participant_id", how="left")
         .merge(t["cohorts"], on="cohort_id", how="left").merge(per_snap, on="participant_id", how="left")
         .merge(latest, on="participant_id", how="left").merge(first, on="participant_id", how="left")
         .merge(t["ventures"], on="venture_id", how="left").merge(t["ideas"], on="idea_id", how="left")
         .merge(plan, on="participant_id", how="left").merge(finance, on="participant_id", how="left"))
    s["municipality"] = s["municipality"].fillna(s["cohort_municipality"])
    s["family"] = s["family"].fillna(s["idea_family"])
    o = t["outcomes"][t["outcomes"]["launched"]]
    s = s.merge(o, on="choice_id", how="left")
    s["registered_on"] = s["launched_on"]
    for months in (6, 12, 24):
        later = s["launched_on"] + pd.DateOffset(months=months)
        s[f"running_{months}m_on"] = later.where(s[f"running_{months}m"].eq(True))
    for column in ("intake_on", "inventory_on", "venture_chosen_on", "plan_on"):
        s[column] = pd.to_datetime(s[column]).dt.normalize()
    reached = np.column_stack([s[c].notna().to_numpy() for c in DATES])
    s["stage_index"] = np.where(reached.any(axis=1), len(DATES) - 1 - np.argmax(reached[:, ::-1], axis=1), -1)
    return s


def pandas_funnel(s: pd.DataFrame) -> list[int]:
    counts = s["stage_index"].value_counts()
    return [int(counts[counts.index >= i].sum()) for i in range(len(DATES))]


def pandas_time_per_stage(s: pd.DataFrame, today: dt.date) -> list[float]:
    out = []
    for i, column in enumerate(DATES[:-1]):
        following = s[DATES[i + 1]].copy()
        for later in DATES[i + 2:]:
            following = following.fillna(s[later])
        days = (following - s[column]).dt.days.clip(lower=0)
        out.append(float(days.median()) if days.notna().any() else float("nan"))
    return out


def pandas_mentor_load(t: dict[str, pd.DataFrame], s: pd.DataFrame) -> pd.DataFrame:
    pm = t["mentors"].assign(in_view=t["mentors"]["participant_id"].isin(s["participant_id"]))
    load = pm.groupby("mentor_user_id").agg(participants=("participant_id", "size"), in_view=("in_view", "sum"))
    load = load[load["in_view"] > 0].reset_index().merge(t["profiles"], on="mentor_user_id")
    load["over_capacity"] = load["participants"] > load["capacity"]
    return load


def pandas_overdue(t: dict[str, pd.DataFrame], s: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    m = t["milestones"]
    late = m[m["status"].isin(OPEN_STATUSES) & (m["due_on"] < pd.Timestamp(today)) & m["participant_id"].isin(
        s["participant_id"])]
    kind = late["template_key"].where(~late["template_key"].fillna("").str.startswith("licence."), "licence").fillna("own")
    days = (pd.Timestamp(today) - late["due_on"]).dt.days
    return late.assign(kind=kind, days=days).groupby("kind").agg(overdue=("days", "size"), median=("days", "median"),
                                                                participants=("participant_id", "nunique"))


def pandas_longest(t: dict[str, pd.DataFrame], s: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    m = t["milestones"]
    late = m[m["status"].isin(OPEN_STATUSES) & (m["due_on"] < pd.Timestamp(today)) & m["participant_id"].isin(
        s["participant_id"])]
    return late.assign(days=(pd.Timestamp(today) - late["due_on"]).dt.days).nlargest(workload.OVERDUE_LISTED, "days")


def pandas_impact(s: pd.DataFrame) -> tuple:
    launched = s["launched"].eq(True)
    return (len(s), int(s["registered_on"].notna().sum()), int((launched & s["running_12m"].notna()).sum()),
            int((launched & s["running_12m"].eq(True)).sum()), round(float(s.loc[launched, "jobs_fte"].sum()), 2),
            int(s["left_assistance_on"].notna().sum()))


def pandas_survival(t: dict[str, pd.DataFrame], s: pd.DataFrame) -> pd.DataFrame:
    launched = s[s["launched"].eq(True) & s["sbi_section"].notna()]
    return launched.groupby("sbi_section").agg(known=("running_12m", "count"),
                                               running=("running_12m", lambda x: int(x.eq(True).sum())))


def pandas_movement(t: dict[str, pd.DataFrame], s: pd.DataFrame) -> tuple:
    snaps = t["snapshots"][t["snapshots"]["participant_id"].isin(s["participant_id"])].sort_values("version")
    grouped = snaps.groupby("participant_id")
    counts = grouped.size()
    first, last = grouped.first(), grouped.last()
    keep = counts[counts >= 2].index
    change = last.loc[keep, "ladder_rung"] - first.loc[keep, "ladder_rung"]
    return (len(keep), int((change > 0).sum()), tuple(first.loc[keep, list(DOMAIN_COLUMNS)].mean()))


def pandas_savings(s: pd.DataFrame, today: dt.date) -> tuple:
    left = s["left_assistance_on"].dropna()
    left = left[left <= pd.Timestamp(today)]
    months = (12 * (today.year - left.dt.year) + today.month - left.dt.month - (today.day < left.dt.day)).sum()
    return len(left), int(months)


def pandas_places(t: dict[str, pd.DataFrame], s: pd.DataFrame) -> pd.DataFrame:
    known = s[s["municipality"].notna()]
    return known.groupby("municipality").agg(participants=("participant_id", "size"),
                                             launched=("registered_on", "count"))


# ----------------------------------------------------------------------------- the benchmarks

def bench_kpis(cur, repeat: int, today: dt.date | None = None) -> list[Row]:
    """Each KPI: DuckDB SQL over the registered stages against pandas over the pandas stages, and the
    stages themselves; then the dashboard's total against pandas doing everything."""
    today = today or dt.date.today()
    actor = COMMAND_LINE_MANAGER
    tables = read_tables(cur)
    assert participant_stage.differences(cur) == [], "participant_stage differs from its derivation"
    rows = []
    pandas_seconds, s = best_of(repeat, lambda: pandas_stages(tables))
    for source, label in SOURCES:
        sql, params = stages_sql(actor, source=source)
        duck_seconds, duck_stages = best_of(repeat, lambda sql=sql, params=params: cur.execute(sql, params).to_arrow_table())
        assert len(s) == duck_stages.num_rows
        rows.append(timed_row(f"stages {label}", duck_seconds, "pandas merges", pandas_seconds))
    with registered_stages(cur, actor=actor) as stages:
        figures = [
            ("funnel", lambda: funnel.funnel(cur, stages), lambda: pandas_funnel(s),
             lambda d, p: list(d["participants"]) == p),
            ("time per stage", lambda: funnel.time_per_stage(cur, stages, today=today),
             lambda: pandas_time_per_stage(s, today),
             lambda d, p: np.allclose(d["median_days"].astype(float), p, equal_nan=True)),
            ("mentor load", lambda: workload.mentor_load(cur, stages, actor=actor), lambda: pandas_mentor_load(tables, s),
             lambda d, p: len(d) == len(p) and int(d["over_capacity"].sum()) == int(p["over_capacity"].sum())),
            ("overdue by kind and longest overdue", lambda: workload.overdue(cur, stages, today=today),
             lambda: (pandas_overdue(tables, s, today), pandas_longest(tables, s, today)),
             lambda d, p: d[0].set_index("kind")[["overdue", "participants"]].sort_index().values.tolist()
             == p[0][["overdue", "participants"]].sort_index().values.tolist()
             and np.allclose(d[0].set_index("kind")["median_days_overdue"].sort_index().astype(float),
                             p[0]["median"].sort_index().astype(float))
             and list(d[1]["days_overdue"]) == list(p[1]["days"])),
            ("impact", lambda: impact.impact(cur, stages), lambda: pandas_impact(s),
             lambda d, p: (d.participants, d.launched, d.known_12m, d.running_12m, round(float(d.jobs_fte), 2),
                           d.left_assistance) == p),
            ("survival per sector", lambda: impact.survival_by_sector(cur, stages), lambda: pandas_survival(tables, s),
             lambda d, p: d[0].set_index("section")["known_12m"].sort_index().tolist() == p["known"].sort_index().tolist()),
            ("ladder and life domains", lambda: impact.movement(cur, stages), lambda: pandas_movement(tables, s),
             lambda d, p: (d.retaken, d.rung_up) == p[:2] and np.allclose(
                 d.domains["intake_mean"].astype(float), p[2], equal_nan=True)),
            ("savings estimate", lambda: savings.savings(cur, stages, today=today), lambda: pandas_savings(s, today),
             lambda d, p: (d.people, d.months) == p),
            ("per municipality", lambda: geography.per_municipality(cur, stages), lambda: pandas_places(tables, s),
             lambda d, p: d.set_index("gm_code")["participants"].sort_index().tolist()
             == p["participants"].sort_index().tolist()),
        ]
        pandas_all = []
        for name, duck, pand, same in figures:
            duck_seconds, duck_result = best_of(repeat, duck)
            pandas_seconds, pandas_result = best_of(repeat, pand)
            assert same(duck_result, pandas_result), f"{name}: DuckDB and pandas disagree"
            rows.append(timed_row(name, duck_seconds, "pandas groupby", pandas_seconds))
            pandas_all.append(pand)
    everything, _ = best_of(repeat, lambda: [pandas_stages(tables)] + [f() for f in pandas_all])
    for source, label in SOURCES:  # the table last: the figure the target is about
        total, _ = best_of(repeat, lambda source=source: dashboard.build(cur, actor=actor, today=today, source=source))
        rows.append(timed_row(f"{TOTAL} {label}", total, "pandas: stages and every KPI", everything))
    return rows


TOTAL = "dashboard total (all KPIs, stages once)"
# Where the stages come from: before, derived live on every view; after, the table the writes keep.
SOURCES = ((participant_stage.DERIVATION, "- before: derived live"), (participant_stage.TABLE, "- after: table"))


# The excel helper's export and read figures go here as functions of (cur, repeat) -> list[Row].
BENCHMARKS: list[Callable[..., list[Row]]] = [bench_kpis]


def demo_database(participants: int, seed: int, *, rebuild: bool = False) -> Path:
    """The cached demo database of this size, built once (minutes at 100,000)."""
    path = Path(tempfile.gettempdir()) / f"versnelling-bench-pipeline-{participants}-{seed}.duckdb"
    if path.exists() and not rebuild:
        return path
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    con = db.connect(building)
    try:
        cur = con.cursor()
        load_market_data(cur)
        started = time.perf_counter()
        made = demo.create_workspace(cur, participants=participants, seed=seed, today=dt.date.today())
        print(f"built the demo database: {made.participants:,} participants, {made.milestones:,} milestones"
              f" in {time.perf_counter() - started:.0f} s -> {path}")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    shutil.move(building, path)
    return path


def print_rows(rows: list[Row]) -> None:
    print(f"{'figure':<64} {'DuckDB wall':>11} {'(CPU)':>9} {'baseline':>10} {'(CPU)':>9}  {'ratio':>6}  baseline")
    for row in rows:
        print(f"{row.figure:<64} {row.seconds * 1000:8.1f} ms {row.cpu_seconds * 1000:6.0f} ms"
              f" {row.baseline_seconds * 1000:7.1f} ms {row.baseline_cpu_seconds * 1000:6.0f} ms"
              f"  {row.ratio:5.1f}×  {row.baseline}")


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--database", type=Path, help="measure this demo database (a copy) instead of the cached one")
    args = parser.parse_args(argv)
    path = args.database or demo_database(args.participants, args.seed, rebuild=args.rebuild)
    con = db.connect(path)
    try:
        cur = con.cursor()
        counts = cur.execute("SELECT (SELECT count(*) FROM participants), (SELECT count(*) FROM milestones)").fetchone()
        print(f"{counts[0]:,} participants, {counts[1]:,} milestones (synthetic); load average"
              f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; best of {args.repeat}")
        rows = [row for bench in BENCHMARKS for row in bench(cur, args.repeat)]
    finally:
        con.close()
    print_rows(rows)
    totals = [row for row in rows if row.figure.startswith(TOTAL)]
    if len(totals) == 2:
        before, after = totals
        print(f"before -> after (the table): {before.seconds:.3f} -> {after.seconds:.3f} s wall"
              f" ({before.seconds / after.seconds:.1f}x), {before.cpu_seconds:.3f} -> {after.cpu_seconds:.3f} s CPU"
              f" ({before.cpu_seconds / max(after.cpu_seconds, 1e-9):.1f}x)")
    total = totals[-1] if totals else None
    if total is not None:
        verdict = "meets" if total.seconds < 0.3 else "misses"
        print(f"target: all KPIs under 0.3 s -> {total.seconds:.3f} s wall, {total.cpu_seconds:.3f} s CPU"
              f" ({verdict} it; load average now {os.getloadavg()[0]:.1f})")
    return rows


if __name__ == "__main__":
    main()
