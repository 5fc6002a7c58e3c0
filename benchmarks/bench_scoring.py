"""How fast are suggestions? Prints, from one run on this machine:

1. the median time to suggest for one profile, warm (features, model, reasons, improvements, top five);
2. the time to score 100,000 synthetic profiles against every venture in their own municipality and
   pick each one's top five with the diversity rule (from arrays; turning Profile objects into
   arrays is timed on its own line);
3. a plain per-pair Python loop that computes the same scores on a sample, and how many times
   faster the vectorised path is per pair;
4. the same 100,000 profiles saved as snapshots and scored from the store, end to end (read the
   typed tables of migration 011, build the arrays, score, pick the top five), beside the old path
   (each snapshot's JSON -> Profile -> arrays) and beside the limit: a bare NumPy product of the same
   shape (people x ventures x features) with a top-5 selection; each phase of it (reading, arrays,
   features and model, ranking, top five, reasons for 100 people on demand) in wall and CPU seconds
   (DuckDB's and OpenBLAS's threads counted) as ratios to the limit.

Targets on a 2-core machine: one profile under 30 ms; 100,000 profiles under 3 s; at least 50 times
faster than the loop; 100,000 stored profiles scored end to end under 3 s. Usage: python benchmarks/bench_scoring.py [--profiles 100000] [--sample 300]
[--store-only] (smoke run: --store-only --profiles 2000)
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from incubator.core import db  # noqa: E402
from incubator.core.access import COMMAND_LINE_MANAGER  # noqa: E402
from incubator.market import seed  # noqa: E402
from incubator.market.arrays import Market, load_market  # noqa: E402
from incubator.people import snapshots  # noqa: E402
from incubator.people.inventory import Details  # noqa: E402
from incubator.people.profile import Profile  # noqa: E402
from incubator.suggestions import barriers as bx  # noqa: E402
from incubator.suggestions import bulk, stored  # noqa: E402
from incubator.suggestions import features as fx  # noqa: E402
from incubator.suggestions import model as mm  # noqa: E402
from incubator.suggestions import ranking as scoring  # noqa: E402

TAILOR = {
    "id": "P-000001", "municipality": "GM0344",
    "languages": [{"code": "nl", "cefr": "A2"}, {"code": "ar", "cefr": "C2"}],
    "experience": [{"isco": "7531", "years": 15}], "skills": [{"esco_group": "S6.5.6", "level": 4}],
    "interests": {"R": 80, "A": 70}, "capital_eur": 1000, "hours_per_week": 36,
}


def synthetic_profiles(market: Market, n: int, seed_value: int) -> list[Profile]:
    """n varied profiles in the exchange format (skills, languages, experience, money, hours, place)."""
    rng = np.random.default_rng(seed_value)
    codes, iscos = np.array(market.skill_codes), np.array([f"{i:04d}" for i in market.isco])
    regions = np.array(market.region_codes[:-1])
    levels = np.array(["A1", "A2", "B1", "B2", "C1", "C2"])
    out = []
    for i in range(n):
        out.append(Profile.from_dict({
            "id": f"P-{i:06d}", "municipality": str(rng.choice(regions)),
            "languages": [{"code": "nl", "cefr": str(rng.choice(levels))}, {"code": "ar", "cefr": "C2"}],
            "skills": [{"esco_group": str(c), "level": int(rng.integers(1, 5))} for c in rng.choice(codes, size=3)],
            "experience": [{"isco": str(rng.choice(iscos)), "years": float(rng.integers(0, 20))}],
            "interests": {k: int(rng.integers(0, 101)) for k in "RIASEC"},
            "capital_eur": float(rng.choice([0, 1000, 10_000])), "hours_per_week": float(rng.integers(10, 50)),
            "home_based_only": bool(rng.random() < 0.2), "on_benefit": bool(rng.random() < 0.8),
        }))
    return out


def loop_score(trained: mm.TrainedModel):
    """One pair's estimate in plain Python (the logistic regression's arithmetic), or one model call."""
    steps = trained.pipeline.named_steps
    if "scale" in steps:
        mean, scale = steps["scale"].mean_.tolist(), steps["scale"].scale_.tolist()
        coef, intercept = steps["model"].coef_[0].tolist(), float(steps["model"].intercept_[0])

        def score(x: list[float]) -> float:
            z = intercept + sum(c * (v - m) / s for c, v, m, s in zip(coef, x, mean, scale, strict=True))
            return 1.0 / (1.0 + math.exp(-z))
        return score
    return lambda x: float(trained.pipeline.predict_proba(np.array([x], np.float32))[0, 1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=300, help="profiles in the plain loop (x every venture)")
    parser.add_argument("--models-dir", default=str(mm.MODELS_DIR))
    parser.add_argument("--store-only", action="store_true", help="only the scoring from the store (a smoke run)")
    args = parser.parse_args()
    if args.store_only:
        smoke(args.profiles)
        return

    folder = tempfile.TemporaryDirectory()
    con = db.connect(Path(folder.name) / "bench.duckdb")
    seed.load_market_data(con.cursor())
    market = load_market(con.cursor())
    trained = mm.load(args.models_dir)
    print(f"model {trained.version} ({trained.card.get('chosen')}); {market.n_ventures} ventures, "
          f"{len(market.region_codes) - 1} municipalities")

    tailor = Profile.from_dict(TAILOR)
    for _ in range(5):
        scoring.suggest(tailor, market, trained)
    runs = []
    for _ in range(51):
        start = time.perf_counter()
        scoring.suggest(tailor, market, trained)
        runs.append(time.perf_counter() - start)
    one = statistics.median(runs) * 1000
    print(f"one profile, warm (median of 51): {one:.1f} ms   [target < 30 ms]")

    profiles = synthetic_profiles(market, args.profiles, seed_value=1)
    start = time.perf_counter()
    people = fx.people_from_profiles(profiles, market)
    convert = time.perf_counter() - start
    scoring.top_for_many(trained, market, people.take(np.arange(1000)))  # warm
    start = time.perf_counter()
    scores = scoring.score_grid(trained, market, people)
    chosen = scoring.diverse_top_many(scores, market.family, scoring.eligible(market, people), scoring.TOP)
    many = time.perf_counter() - start
    pairs = scores.size
    print(f"{len(profiles):,} profiles x {market.n_ventures} ventures in their own municipality ({pairs:,} pairs), "
          f"scored and top five picked: {many:.2f} s   [target < 3 s]")
    print(f"  (turning {len(profiles):,} Profile objects into arrays, once: {convert:.2f} s)")
    assert (chosen[:, 0] >= 0).all()

    score = loop_score(trained)
    sample = profiles[: args.sample]
    start = time.perf_counter()
    looped = [[score(fx.pair_features(p, v, market)) for v in range(market.n_ventures)] for p in sample]
    loop = time.perf_counter() - start
    assert np.allclose(looped, scores[: len(sample)], atol=1e-4), "the loop and the vectorised path disagree"
    per_pair_loop, per_pair_fast = loop / (len(sample) * market.n_ventures), many / pairs
    print(f"plain per-pair Python loop, {len(sample) * market.n_ventures:,} pairs: {loop:.2f} s "
          f"({per_pair_loop * 1e6:.1f} us a pair; {per_pair_fast * 1e6:.3f} us a pair vectorised)")
    print(f"vectorised is {per_pair_loop / per_pair_fast:.0f} times faster per pair   [target >= 50x]; "
          f"the loop would need {per_pair_loop * pairs:.0f} s for all {pairs:,} pairs")
    from_store(con.cursor(), market, trained, profiles, people)
    con.close()
    folder.cleanup()


def save_snapshots(cur, profiles: list[Profile]) -> None:
    """The profiles as saved snapshots of as many participants, in one bulk insert (setup, not timed)."""
    rows = [{**snapshots.snapshot_row(p, Details()), "participant_id": p.id, "version": 1, "draft": False,
             "saved_by": None, "source": "import", "saved_at": None} for p in profiles]
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in snapshots.SNAPSHOT_COLUMNS})
    frame["saved_at"] = pd.Timestamp("2026-12-01 10:00")
    with db.transaction(cur):
        cur.execute("INSERT INTO participants (participant_id) SELECT unnest(?)", [[p.id for p in profiles]])
        snapshots.insert_snapshot_frame(cur, frame)


def json_path(cur, market: Market) -> fx.People:
    """The old path: every latest snapshot's JSON parsed into a Profile, then Profiles into arrays."""
    texts = cur.execute("SELECT arg_max(profile, version) FROM profile_snapshots WHERE NOT draft"
                        " GROUP BY participant_id ORDER BY participant_id").fetchall()
    return fx.people_from_profiles([Profile.from_dict(json.loads(t[0])) for t in texts], market)


def top_five(trained: mm.TrainedModel, market: Market, people: fx.People) -> np.ndarray:
    scores, fits = scoring.scores_and_fits(trained, market, people)
    allowed = scoring.eligible(market, people) & bx.related(fits)
    return scoring.diverse_top_many(scores, market.family, allowed, scoring.TOP)


def _cpu() -> float:
    """CPU seconds of this process, every thread counted (DuckDB's and OpenBLAS's too): on a machine
    shared with other work, wall time also measures the others."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Clock:
    """Wall and CPU seconds of a block."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, _cpu() - self.cpu


def bare_limit(n: int, market: Market) -> Clock:
    """The limit: a bare NumPy product of the same shape (people x ventures x features) and a top-5 selection."""
    rng = np.random.default_rng(3)
    x = rng.random((n, market.n_ventures, len(fx.FEATURES)), dtype=np.float32)
    w = rng.random(len(fx.FEATURES), dtype=np.float32)
    with Clock() as clock:
        products = x @ w
        np.argpartition(-products, scoring.TOP, axis=1)[:, : scoring.TOP]
    return clock


def from_store(cur, market: Market, trained: mm.TrainedModel, profiles: list[Profile], people: fx.People) -> None:
    started = time.perf_counter()
    save_snapshots(cur, profiles)
    print(f"(saving {len(profiles):,} snapshots with their typed rows, setup: {time.perf_counter() - started:.1f} s)")
    store_phases(cur, market, trained, len(profiles))
    actor = COMMAND_LINE_MANAGER
    arrays = stored.people_from_store(cur, actor=actor, market=market)
    with Clock() as old_arrays:
        old_people = json_path(cur, market)
    for name in ("skill_level", "exp_isco", "licence_exam_ok", "region", "capital"):
        assert np.array_equal(getattr(arrays, name), getattr(old_people, name)), name
    print(f"  old path, each snapshot's JSON -> Profile -> arrays: {old_arrays.wall:.2f} s wall, "
          f"{old_arrays.cpu:.2f} CPU-s before any score")


def store_phases(cur, market: Market, trained: mm.TrainedModel, n: int) -> None:
    """Scoring every stored profile end to end, fast path and the existing one, then each phase of the
    fast path, all beside the bare NumPy limit measured in the same run (wall and CPU)."""
    actor = COMMAND_LINE_MANAGER
    stored.score_stored(cur, actor=actor, market=market, model=trained)  # warm: libraries, caches
    limit = bare_limit(n, market)
    with Clock() as fast:
        ranked = stored.score_stored(cur, actor=actor, market=market, model=trained)
    with Clock() as existing:  # the same arrays, then the per-person ranking functions (the reference)
        people = stored.people_from_store(cur, actor=actor, market=market)
        scores, fits = scoring.scores_and_fits(trained, market, people)
        chosen = scoring.diverse_top_many(scores, market.family, scoring.eligible(market, people) & bx.related(fits),
                                          scoring.TOP)
    assert ranked["participant_id"].nunique() == int((chosen[:, 0] >= 0).sum())
    phases = {}
    with Clock() as phases["reading the typed tables from DuckDB (Arrow)"]:
        tables = stored.stored_tables(cur, actor=actor)
    with Clock() as phases["building the people arrays"]:
        people = fx.people_from_tables(tables, market)
    with Clock() as phases["features and the model (chunks of 8,192)"]:
        scores, fits = bulk.scores_and_fits(trained, market, people)
    with Clock() as phases["ranking: constraints and unrelated ventures"]:
        allowed = scoring.eligible(market, people) & bx.related(fits)
    with Clock() as phases["top five with the diversity rule"]:
        chosen = bulk.diverse_top_many(scores, market.family, allowed, scoring.TOP)
    scored = bulk.CohortScores(trained, market, people, scores, chosen)
    shown = min(n, 100)
    with Clock() as phases[f"reasons and improvements, on demand, {shown} people"]:
        for i in range(shown):
            scored.suggestions(i)
    print(f"limit, a bare NumPy product ({n:,} x {market.n_ventures} x {len(fx.FEATURES)}) with a top-5 selection: "
          f"{limit.wall:.2f} s wall, {limit.cpu:.2f} CPU-s")

    def line(name: str, clock: Clock) -> str:
        return (f"  {name:58s} {clock.wall:6.2f} s wall ({clock.wall / limit.wall:5.1f}x the limit), "
                f"{clock.cpu:6.2f} CPU-s ({clock.cpu / max(limit.cpu, 1e-9):5.1f}x)")
    print(f"{n:,} stored profiles scored from the store, end to end   [target < 3 s]")
    print(line("fast path (stored.score_stored)", fast))
    print(line("the same read, then ranking.scores_and_fits and its top five", existing))
    print("  phases of the fast path:")
    for name, clock in phases.items():
        print(line(name, clock))


def smoke(n: int) -> None:
    """The store part alone at n profiles (python benchmarks/bench_scoring.py --store-only --profiles 2000)."""
    folder = tempfile.TemporaryDirectory()
    con = db.connect(Path(folder.name) / "bench.duckdb")
    seed.load_market_data(con.cursor())
    market, trained = load_market(con.cursor()), mm.load()
    save_snapshots(con.cursor(), synthetic_profiles(market, n, seed_value=1))
    store_phases(con.cursor(), market, trained, n)
    con.close()
    folder.cleanup()


if __name__ == "__main__":
    main()
