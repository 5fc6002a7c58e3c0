"""The cost of one audit row with the hash chain, against the plain insert of before (baseline), in
the same run on a temporary database file: `python benchmarks/bench_audit_chain.py [N]`.

Prints milliseconds per row for: the plain insert (what `audit` did before migration 015), `audit`
as it is (the row, its unsealed mark, a seal every SEAL_EVERY_ROWS rows or SEAL_AFTER_S seconds),
`audit` sealed after every row, and 30 threads writing at once; each with its ratio to the baseline."""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from incubator.core import audit, db  # noqa: E402


def _per_row(n: int, write) -> float:
    started = time.perf_counter()
    for i in range(n):
        write(i)
    return (time.perf_counter() - started) * 1000 / n


def main(n: int = 300) -> None:
    with tempfile.TemporaryDirectory() as folder:
        con = db.connect(Path(folder) / "bench.duckdb")
        cur = con.cursor()
        baseline = _per_row(n, lambda i: cur.execute(
            "INSERT INTO audit_log (actor_user_id, action, subject) VALUES (?, 'profile.view', ?)", [i, f"participant:{i}"]))
        cur.execute("DELETE FROM audit_log")
        chained = _per_row(n, lambda i: audit.audit(cur, i, "profile.view", f"participant:{i}"))

        def every_row(i: int) -> None:
            audit.audit(cur, i, "profile.view", f"participant:{i}")
            audit.seal(cur)

        sealed_each = _per_row(n, every_row)
        cursors = [con.cursor() for _ in range(30)]
        barrier = threading.Barrier(30)

        def writer(index: int) -> None:
            barrier.wait()
            for i in range(n // 30):
                db.retrying(cursors[index], lambda i=i: audit.audit(cursors[index], index, "note.view", f"participant:{i}"))

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(30)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        together = (time.perf_counter() - started) * 1000 / (30 * (n // 30))
        found = audit.verify(cur)
        started = time.perf_counter()
        audit.verify(cur)
        verify_ms = (time.perf_counter() - started) * 1000
        con.close()
    print(f"plain insert (baseline)        {baseline:7.2f} ms/row")
    print(f"audit, sealed in batches        {chained:7.2f} ms/row  x{chained / baseline:.1f}")
    print(f"audit, sealed after every row   {sealed_each:7.2f} ms/row  x{sealed_each / baseline:.1f}")
    print(f"30 threads at once (wall/row)   {together:7.2f} ms/row  x{together / baseline:.1f}")
    print(f"verify {found.checked} rows: {verify_ms:.0f} ms; intact: {found.intact}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
