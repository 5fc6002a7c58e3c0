"""How long does the synthetic demo workspace take? Prints, from one run on this machine, the time to
make N participants (default 100,000, about a million milestones) in a fresh database, the rows it
wrote, and its slowest statements; beside it, as the baseline of the same run, the time for N / 10
(the work should grow about linearly, so the ratio says how it scales).

Target: N = 100,000 in minutes at most on a 2-core machine (before issue 12: 315 s).
Usage: python benchmarks/bench_demo.py [--participants 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from incubator.core import db  # noqa: E402
from incubator.market.seed import load_market_data  # noqa: E402
from incubator.programme import demo  # noqa: E402
from incubator.suggestions import model as mm  # noqa: E402


class TimedCursor:
    """A cursor that remembers how long each statement took (the rest is passed through)."""

    def __init__(self, cur) -> None:
        self._cur, self.log = cur, []

    def execute(self, sql: str, *args):
        started = time.perf_counter()
        result = self._cur.execute(sql, *args)
        self.log.append((time.perf_counter() - started, " ".join(sql.split())[:80]))
        return result

    def __getattr__(self, name: str):
        return getattr(self._cur, name)


def one_run(folder: Path, participants: int, model: mm.TrainedModel) -> tuple[float, float, demo.DemoSummary, list]:
    con = db.connect(folder / f"demo-{participants}.duckdb")
    load_market_data(con.cursor())
    cur = TimedCursor(con.cursor())
    wall, cpu = time.perf_counter(), time.process_time()
    summary = demo.create_workspace(cur, participants=participants, seed=1, today=dt.date(2026, 12, 1), model=model)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    con.close()
    return wall, cpu, summary, sorted(cur.log, reverse=True)[:5]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    args = parser.parse_args()
    model = mm.load()
    with tempfile.TemporaryDirectory() as folder:
        small = max(1, args.participants // 10)
        base_wall, base_cpu, _, _ = one_run(Path(folder), small, model)
        wall, cpu, made, slowest = one_run(Path(folder), args.participants, model)
    print(f"demo workspace of {made.participants:,} participants: {wall:.1f} s ({cpu:.1f} s of this process's CPU)"
          f"   [target: minutes at most; 315 s before issue 12]")
    print(f"  {made.snapshots:,} snapshots, {made.milestones:,} milestones, {made.sessions:,} sessions, "
          f"{made.choices:,} choices, {made.outcomes:,} outcomes")
    print(f"  baseline, {small:,} participants in the same run: {base_wall:.1f} s; ten times the people took "
          f"{wall / base_wall:.1f} times as long")
    for seconds, sql in slowest:
        print(f"  {seconds:6.1f} s  {sql}")


if __name__ == "__main__":
    main()
