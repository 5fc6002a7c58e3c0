"""The pipeline benchmark runs at tiny N: on the hand-built cohort every figure is computed by DuckDB
and by the pandas baseline, which must agree (the benchmark asserts it), and each gives a time."""

from __future__ import annotations

import importlib.util
import sys

from tests.pipeline.cohort import TODAY, build
from tests.support.app import ROOT


def test_the_benchmark_compares_every_kpi_with_pandas_on_a_small_cohort(seeded):
    build(seeded)
    spec = importlib.util.spec_from_file_location("bench_pipeline", ROOT / "benchmarks" / "bench_pipeline.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_pipeline"] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    rows = bench.bench_kpis(seeded, 1, today=TODAY)
    assert [r.figure for r in rows][-2:] == [f"{bench.TOTAL} - before: derived live", f"{bench.TOTAL} - after: table"]
    assert len(rows) == 13 and all(r.seconds > 0 and r.baseline_seconds > 0 for r in rows)
    assert all(r.cpu_seconds > 0 and r.baseline_cpu_seconds > 0 for r in rows)
