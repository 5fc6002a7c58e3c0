"""The typed copies of saved snapshots (migration 011): a database made before it migrates with every
snapshot kept and its typed rows equal to its JSON; every writer (the wizard's save, an import, the
demo) fills them in the same transaction."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from incubator.core import db
from incubator.people import importing, participants, snapshots
from incubator.people.profile import Profile
from tests.support.people import BAKER_URI

PROFILES = [
    {"id": "P-000001", "skills": [{"esco_group": "S6.5.6", "level": 4}, {"esco_group": "S5.1", "level": 1}],
     "languages": [{"code": "nl", "cefr": "A2"}, {"code": "ar", "cefr": "C2"}],
     "experience": [{"isco": "7531", "years": 15}, {"esco_uri": BAKER_URI, "years": 2.5}], "home_based_only": True},
    {"id": "P-000002"},
    {"id": "P-000003", "skills": [{"esco_group": "T6.4", "level": 2}], "languages": [{"code": "ti", "cefr": "B1"}]},
]


def typed_profile(cur: duckdb.DuckDBPyConnection, participant_id: str, version: int) -> dict:
    """A saved snapshot's lists and home_based_only, read from the typed columns and tables alone."""
    def rows(sql: str) -> list[tuple]:
        return cur.execute(sql + " WHERE participant_id = ? AND version = ? ORDER BY position",
                           [participant_id, version]).fetchall()
    return {
        "skills": [{"esco_group": g, "level": lv} for g, lv in rows("SELECT esco_group, level FROM profile_snapshot_skills")],
        "languages": [{"code": c, "cefr": x} for c, x in rows("SELECT code, cefr FROM profile_snapshot_languages")],
        "experience": [{k: v for k, v in (("years", y), ("isco", i), ("esco_uri", u)) if v is not None}
                       for i, u, y in rows("SELECT isco, esco_uri, years FROM profile_snapshot_experience")],
        "home_based_only": cur.execute("SELECT home_based_only FROM profile_snapshots WHERE participant_id = ?"
                                       " AND version = ?", [participant_id, version]).fetchone()[0],
    }


def json_profile(cur: duckdb.DuckDBPyConnection, participant_id: str, version: int) -> dict:
    data = json.loads(cur.execute("SELECT profile FROM profile_snapshots WHERE participant_id = ? AND version = ?",
                                  [participant_id, version]).fetchone()[0])
    return {key: data.get(key, [] if key != "home_based_only" else False)
            for key in ("skills", "languages", "experience", "home_based_only")}


def assert_typed_equals_json(cur: duckdb.DuckDBPyConnection) -> int:
    saved = cur.execute("SELECT participant_id, version FROM profile_snapshots WHERE NOT draft").fetchall()
    for participant_id, version in saved:
        assert typed_profile(cur, participant_id, version) == json_profile(cur, participant_id, version)
    return len(saved)


def test_a_database_made_before_migration_011_keeps_every_snapshot_and_gains_equal_typed_rows(tmp_path):
    con = db.connect(tmp_path / "old.duckdb", migrate_now=False)
    cur = con.cursor()
    db.applied_migrations(cur)
    for number, name, sql_file in db.migrations():
        if number <= 10:  # the database as main made it before this migration
            cur.execute(sql_file.read_text(encoding="utf-8"))
            cur.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
    for n, data in enumerate(PROFILES):
        text = json.dumps(Profile.from_dict(data).to_dict())
        for version, draft in ((1, False), (2, False), (3, True))[: 3 - n]:
            cur.execute("INSERT INTO profile_snapshots (participant_id, version, draft, source, profile, details)"
                        " VALUES (?, ?, ?, 'api', ?, '{}')", [data["id"], version, draft, text])
    before = cur.execute("SELECT participant_id, version, draft, profile, details FROM profile_snapshots"
                         " ORDER BY ALL").fetchall()
    assert db.migrate(con) == [number for number, _, _ in db.migrations() if number > 10]
    after = cur.execute("SELECT participant_id, version, draft, profile, details FROM profile_snapshots"
                        " ORDER BY ALL").fetchall()
    assert after == before
    assert assert_typed_equals_json(cur) == 5
    assert cur.execute("SELECT count(*) FROM profile_snapshot_skills").fetchone()[0] == 2 * 2 + 1
    assert cur.execute("SELECT count(*) FROM profile_snapshot_skills WHERE participant_id = 'P-000001'"
                       " AND version = 3").fetchone()[0] == 0  # a draft has no typed rows
    con.close()


def test_a_save_and_an_import_fill_the_typed_tables_in_their_transaction(seeded, people):
    manager = people["manager"]
    record = participants.create_participant(seeded, actor=manager)
    profile = Profile.from_dict({**PROFILES[0], "id": record.participant_id})
    snapshots.save_profile(seeded, actor=manager, profile=profile, draft=True)
    snapshots.save_profile(seeded, actor=manager, profile=profile)  # the draft becomes version 1
    csv = ("id,municipality,dutch_cefr,other_languages,experience,skills,home_based_only\r\n"
           f"{record.participant_id},GM0363,B1,ar:C2,7512:3,S6.5.6:2; T6.4:1,ja\r\n"
           ",GM0344,A2,,bakker:2,S3.5.1:4,nee\r\n").encode()
    result = importing.import_profiles(seeded, actor=manager, file_name="c.csv", content=csv)
    assert result.updated == [record.participant_id] and len(result.created) == 1
    assert assert_typed_equals_json(seeded) == 3
    assert typed_profile(seeded, record.participant_id, 2)["skills"] == [
        {"esco_group": "S6.5.6", "level": 2}, {"esco_group": "T6.4", "level": 1}]


def test_a_failed_save_leaves_no_typed_rows(seeded, people):
    manager = people["manager"]
    record = participants.create_participant(seeded, actor=manager)
    profile = Profile.from_dict({**PROFILES[0], "id": record.participant_id})
    with pytest.raises(RuntimeError), db.transaction(seeded):
        snapshots.save_profile(seeded, actor=manager, profile=profile)
        raise RuntimeError("the outer transaction fails after the save")
    assert seeded.execute("SELECT count(*) FROM profile_snapshot_skills").fetchone()[0] == 0


def test_the_demo_fills_the_typed_tables_of_every_snapshot(seeded):
    from incubator.programme import demo

    summary = demo.create_workspace(seeded, participants=30, seed=3, today=dt.date(2026, 11, 1))
    assert assert_typed_equals_json(seeded) == summary.snapshots
    assert seeded.execute("SELECT count(*) FROM profile_snapshot_skills").fetchone()[0] > 0
    # The JSON that DuckDB wrote is the exchange format, and every profile passes the usual checks.
    from incubator.people.checks import Codes, check_frames, frames_from_profiles

    texts = seeded.execute("SELECT arg_max(profile, version) FROM profile_snapshots GROUP BY participant_id").fetchall()
    profiles = [Profile.from_dict(json.loads(text)) for (text,) in texts]
    assert all(p.external_ref.startswith("SYNTHETIC-") and p.skills and p.cefr("nl") for p in profiles)
    assert check_frames(frames_from_profiles(profiles), Codes.load(seeded))[1] == []


def test_thirty_saves_at_once_each_keep_their_typed_rows_with_their_version(con, seeded, people, cohort):
    from tests.support.concurrency import THREADS, run_together

    manager, pid = people["manager"], cohort["other"]
    codes = ("S6.5.6", "S5.1", "T6.4", "S3.5.1", "S1.2.3")

    def save(cur, i: int) -> int:
        profile = Profile.from_dict({"id": pid, "skills": [{"esco_group": codes[i % 5], "level": 1 + i % 4}],
                                     "experience": [{"isco": "7512", "years": i}]})
        return snapshots.save_profile(cur, actor=manager, profile=profile)

    versions = run_together(con, save).all_succeeded()
    assert sorted(versions) == list(range(1, THREADS + 1))
    assert assert_typed_equals_json(seeded) == THREADS
    assert seeded.execute("SELECT count(*), count(DISTINCT version) FROM profile_snapshot_experience").fetchone() == (
        THREADS, THREADS)
