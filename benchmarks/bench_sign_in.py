"""The probes of issue 9, measured on this machine (figures for the closing note, not a test):

1. 30 simultaneous submits of the first-administrator form on a fresh database: how many
   administrators exist afterwards (and how many of the submits knew the setup token);
2. 40 parallel wrong passwords for one real account from one address: how many passwords were
   checked (argon2 verifications), how many answers were raw (non-domain) errors, and whether the real
   user can still sign in from another address right after;
3. the answer time of a wrong password for a real and for an unknown user name, with production's
   argon2 parameters: medians of N tries each.

It runs against whichever code is first on sys.path, so that the same script measures the code before
and after a change: `python benchmarks/bench_sign_in.py [--tries 15]`, or with `--code DIR` a checkout
of an older commit (`git archive main | tar -x -C /tmp/before`). Both sign-in APIs are handled: the old
one without client addresses and setup tokens, and the new one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

PASSWORD = "correct horse battery"


def _together(con, action, threads: int) -> tuple[dict, dict]:
    barrier = threading.Barrier(threads)
    results, errors, lock = {}, {}, threading.Lock()
    cursors = [con.cursor() for _ in range(threads)]

    def run(i: int) -> None:
        barrier.wait()
        try:
            value = action(cursors[i], i)
        except BaseException as exc:  # noqa: BLE001 - counted below
            with lock:
                errors[i] = exc
        else:
            with lock:
                results[i] = value

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results, errors


def first_admins(folder: Path) -> str:
    from argon2 import PasswordHasher

    from incubator.accounts import passwords, users
    from incubator.core import db

    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # 30 hashes at once
    path = folder / "first.duckdb"
    con = db.connect(path)
    try:
        from incubator.accounts import setup
    except ImportError:  # before: anyone could submit the form
        def submit(c, i):
            return users.create_first_admin(c, f"founder-{i}", PASSWORD)
        knew = 30
    else:
        token = setup.issue_setup_token(con.cursor(), setup.token_file_for(path))

        def submit(c, i):  # half of the visitors guess the token
            return setup.create_first_admin(c, f"founder-{i}", PASSWORD, setup_token=token if i % 2 else "guess")
        knew = 15
    _results, errors = _together(con, submit, 30)
    admins = con.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()[0]
    raw = sum(1 for e in errors.values() if not isinstance(e, _domain_error()))
    con.close()
    return f"30 first-admin submits ({knew} with the token): {admins} administrator(s), {raw} raw errors"


def _domain_error():
    from incubator.core.errors import DomainError
    return DomainError


def _sign_in(cur, name, password, address, now):
    from incubator.accounts import authentication
    try:
        return authentication.sign_in(cur, name, password, address=address, now=now)
    except TypeError:  # before: no client address
        return authentication.sign_in(cur, name, password, now=now)


def _mentor(cur) -> None:
    from incubator.accounts import users
    from incubator.core import access
    actor = getattr(access, "COMMAND_LINE_ADMIN", None)
    users.create_user(cur, actor=actor, username="real-mentor", password=PASSWORD, role="mentor")


def parallel_guesses(folder: Path) -> str:
    from argon2 import PasswordHasher

    from incubator.accounts import passwords
    from incubator.core import db

    checks = []

    class CountingHasher(PasswordHasher):
        def verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
            checks.append(1)
            return super().verify(hash, password)

    passwords._hasher = CountingHasher(time_cost=1, memory_cost=1024, parallelism=1)
    con = db.connect(folder / "guesses.duckdb")
    _mentor(con.cursor())
    now = dt.datetime.now()
    _results, errors = _together(con, lambda c, i: _sign_in(c, "real-mentor", f"guess {i}", "203.0.113.66", now), 40)
    kinds = Counter(type(e).__name__ for e in errors.values())
    raw = sum(1 for e in errors.values() if not isinstance(e, _domain_error()))
    checked = len(checks)
    try:
        _sign_in(con.cursor(), "real-mentor", PASSWORD, "198.51.100.20", now)
        owner = "gets in"
    except _domain_error() as exc:
        owner = f"is refused ({type(exc).__name__})"
    con.close()
    return (f"40 parallel wrong passwords: {checked} checked, {raw} raw errors ({dict(kinds)}); "
            f"the real user from another address {owner}")


def answer_times(folder: Path, tries: int) -> str:
    from argon2 import PasswordHasher

    from incubator.accounts import passwords
    from incubator.core import db

    passwords._hasher = PasswordHasher()  # production's parameters
    con = db.connect(folder / "timing.duckdb")
    cur = con.cursor()
    _mentor(cur)

    def timed(name: str, n: int) -> float:
        # A fresh address (and, before, a fresh moment) each time, so that no throttle is in the way.
        now = dt.datetime.now() + dt.timedelta(hours=n)
        started = time.perf_counter()
        try:
            _sign_in(cur, name, "wrong password", f"192.0.2.{n % 250}", now)
        except _domain_error():
            pass
        return (time.perf_counter() - started) * 1000

    known, unknown = [], []
    for n in range(tries):
        known.append(timed("real-mentor", n))
        unknown.append(timed(f"ghost-{n}", n))
    con.close()
    return (f"answer time, median of {tries}: real name {statistics.median(known):.0f} ms, "
            f"unknown name {statistics.median(unknown):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=15)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the checkout whose incubator package is measured")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    import incubator
    print(f"code: {Path(incubator.__file__).parent}")
    with tempfile.TemporaryDirectory() as folder:
        print(first_admins(Path(folder)))
        print(parallel_guesses(Path(folder)))
        print(answer_times(Path(folder), args.tries))


if __name__ == "__main__":
    main()
