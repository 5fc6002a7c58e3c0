"""Many people at once: run one action in 30 threads, each with its own cursor from one connection,
released together by a barrier, and collect what each thread returned or raised."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pytest
from argon2 import PasswordHasher

from incubator.accounts import passwords
from incubator.core.errors import DomainError

THREADS = 30
# The barrier and the joins wait this long at most, so that a deadlock fails the test instead of
# hanging the suite; a normal run takes a fraction of it.
WAIT_AT_MOST_S = 120


@dataclass
class Outcome:
    """What the threads returned (by thread index) and what they raised."""

    results: dict[int, object] = field(default_factory=dict)
    errors: dict[int, BaseException] = field(default_factory=dict)

    @property
    def succeeded(self) -> int:
        return len(self.results)

    def summary(self) -> str:
        """'1 succeeded; 29 TransactionException' — printed when an assertion fails."""
        kinds = Counter(type(e).__name__ for e in self.errors.values())
        parts = [f"{self.succeeded} succeeded"] + [f"{n} {kind}" for kind, n in kinds.most_common()]
        first = next(iter(self.errors.values()), None)
        return "; ".join(parts) + (f" (first: {first!r})" if first is not None else "")

    def domain_errors(self) -> list[DomainError]:
        """The errors, each of which must be a DomainError (a translated message, never DuckDB's)."""
        others = [e for e in self.errors.values() if not isinstance(e, DomainError)]
        assert not others, self.summary()
        return list(self.errors.values())

    def all_succeeded(self) -> list[object]:
        assert self.succeeded == THREADS and not self.errors, self.summary()
        return [self.results[i] for i in range(THREADS)]


def run_together(con: duckdb.DuckDBPyConnection, action: Callable[[duckdb.DuckDBPyConnection, int], object],
                 threads: int = THREADS) -> Outcome:
    """Call action(cursor, index) in `threads` threads at once, one cursor each (a DuckDB connection is
    never shared between threads)."""
    cursors = [con.cursor() for _ in range(threads)]
    barrier = threading.Barrier(threads)
    outcome = Outcome()
    lock = threading.Lock()

    def run(index: int) -> None:
        barrier.wait(timeout=WAIT_AT_MOST_S)
        try:
            result = action(cursors[index], index)
        except BaseException as exc:  # noqa: BLE001 - every error is collected and judged by the test
            with lock:
                outcome.errors[index] = exc
        else:
            with lock:
                outcome.results[index] = result

    workers = [threading.Thread(target=run, args=(i,), name=f"writer-{i}") for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=WAIT_AT_MOST_S)
    assert not any(worker.is_alive() for worker in workers), "a writer hung"
    for cursor in cursors:
        cursor.close()
    return outcome


@pytest.fixture
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id with small parameters: 30 hashes at once at the production cost would take 2 GB
    and many seconds on a shared machine, and the cost is not what these tests are about."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
