"""Thirty at once on the market data: managers uploading local figures, seeds of the same files, and
the market arrays read into the module cache once."""

from __future__ import annotations

import pytest

from incubator.market import arrays, local_figures, seed
from tests.support.concurrency import THREADS, quick_passwords, run_together  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("quick_passwords")

LOCAL = (b"region_code,sbi_code,indicator,value,unit,period,source,note\n"
         b"GM0014,96.02,businesses_per_10k,19.5,per 10000 inhabitants,2025,Gemeente Groningen monitor,\n"
         b"PV20,I,vacancies,1200,vacancies,2025Q2,Provincie Groningen,seasonal peak\n")
MARKET_TABLES = [spec.table for spec in seed.SPECS] + ["venture_skills", "venture_licences"]


def counts(cur) -> dict[str, int]:
    return {table: cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in MARKET_TABLES}


def test_thirty_local_uploads_at_once(con, seeded, people):
    manager = people["manager"]
    ids = run_together(con, lambda c, i: local_figures.upload_local_market_file(
        c, manager, file_name=f"groningen-{i}.csv", content=LOCAL)).all_succeeded()
    assert len(set(ids)) == THREADS
    assert seeded.execute("SELECT count(*), count(DISTINCT upload_id) FROM local_market_signals").fetchone() == (
        2 * THREADS, THREADS)
    assert seeded.execute("SELECT count(*) FROM audit_log WHERE action = 'market.upload'").fetchone()[0] == THREADS


def test_thirty_seeds_of_an_empty_database_at_once_load_it_once(con, cur):
    results = run_together(con, lambda c, _i: seed.load_market_data(c)).all_succeeded()
    assert len({r.version for r in results}) == 1
    assert counts(cur) == {table: results[0].rows[table] for table in MARKET_TABLES}
    assert cur.execute("SELECT count(*) FROM market_dataset").fetchone()[0] == 1


def test_thirty_seeds_of_a_loaded_database_at_once(con, seeded):
    before = counts(seeded)
    run_together(con, lambda c, _i: seed.load_market_data(c)).all_succeeded()
    assert counts(seeded) == before
    assert seeded.execute("SELECT count(*) FROM market_dataset").fetchone()[0] == 1


def test_thirty_readers_of_a_cold_market_cache_share_one_market(con, seeded):
    arrays._MARKET_CACHE.clear()
    markets = run_together(con, lambda c, _i: arrays.load_market(c)).all_succeeded()
    assert all(market is markets[0] for market in markets)
    assert list(arrays._MARKET_CACHE.values()) == [markets[0]]
