"""How fast is the first suggestion after a start? Prints, from one run on this machine, the median
over fresh interpreters of:

1. the cold load: importing incubator.suggestions.model, `model.load()` (digests checked against the
   model card) and the first prediction;
2. the baseline, measured in the same run: a bare `import sklearn`;
3. for comparison, reading the whole pipeline from its skops file (`trained.pipeline`, with skops'
   type check), which is what every start paid before the model kept its scores in a fast form.

Target on a 2-core machine: the cold load under 2 s, and below the bare scikit-learn import (ratio
under 1). Usage: python benchmarks/bench_model_load.py [--runs 7] [--models-dir models]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COLD_LOAD = """
import time
start = time.perf_counter()
import numpy as np
from incubator.suggestions import model
trained = model.load({models!r})
trained.predict(np.zeros((1, 68, len(model.fx.FEATURES)), np.float32))
print(time.perf_counter() - start)
"""
BARE_SKLEARN = """
import time
start = time.perf_counter()
import sklearn
print(time.perf_counter() - start)
"""
WHOLE_PIPELINE = """
import time
start = time.perf_counter()
from incubator.suggestions import model
model.load({models!r}).pipeline
print(time.perf_counter() - start)
"""


def seconds(code: str) -> float:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters for each figure")
    parser.add_argument("--models-dir", default=str(ROOT / "models"))
    args = parser.parse_args()

    cold, bare, whole = [], [], []
    for _ in range(args.runs):  # interleaved, so that a busy moment of the machine touches all three
        cold.append(seconds(COLD_LOAD.format(models=args.models_dir)))
        bare.append(seconds(BARE_SKLEARN))
        whole.append(seconds(WHOLE_PIPELINE.format(models=args.models_dir)))
    cold_s, bare_s, whole_s = (statistics.median(v) for v in (cold, bare, whole))
    print(f"cold load (import, model.load(), first prediction), median of {args.runs}: {cold_s:.2f} s   [target < 2 s]")
    print(f"baseline, bare `import sklearn` in the same run:       {bare_s:.2f} s")
    print(f"ratio cold load / bare import sklearn:                 {cold_s / bare_s:.2f}   [target < 1]")
    print(f"for comparison, reading the whole skops pipeline:      {whole_s:.2f} s")


if __name__ == "__main__":
    main()
