"""How fast is a cohort import? Prints, from one run on this machine:

1. the time to check a CSV file of N rows (the preview) and to import it (check again and write, in
   one transaction), the same for the Excel workbook and the JSON export of those profiles;
2. the time to reject the same file with one bad row at the end (the whole file is checked, nothing
   is written);
3. a plain baseline on a sample: each row checked alone (profile_problems) and saved alone
   (save_profile, one transaction a row), and how many times faster the import is per row;
4. the check of the N-row file before (today's pandas path as it was before the checks worked once
   per distinct value: tests/support/checks_before.py) and now, beside DuckDB's read_csv with a
   subset of the same rules in SQL (numbers and their ranges, municipality, Dutch level, skill
   codes): the floor for this work here, with the ratios between the three.

Target on a 2-core machine: 10,000 rows imported in under 10 s, at least 20 times faster per row
than the plain loop. Usage: python benchmarks/bench_profile_import.py [--rows 10000] [--sample 200]
[--check-only]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from incubator.core import db  # noqa: E402
from incubator.market.seed import load_market_data  # noqa: E402
from incubator.people import files as pi  # noqa: E402
from incubator.people import importing as saving  # noqa: E402
from incubator.people import participants, snapshots  # noqa: E402
from incubator.people.checks import NUMBERS as NUMBER_RULES  # noqa: E402
from incubator.people.checks import profile_problems  # noqa: E402

ROW = {
    "display_name": "سارة أحمد", "municipality": "Amsterdam", "dutch_cefr": "A2", "other_languages": "ar:C2; Engels:B1",
    "isced_level": "3", "education_field": "Services", "experience": "bakker:3; 5141:2",
    "skills": "S6.5.6:3; preparing food and drinks:2", "interest_R": "70", "ambition": "65", "capital_eur": "2500",
    "hours_per_week": "24", "home_based_only": "nee", "on_benefit": "ja", "ladder_rung": "3",
}


def csv_file(rows: int, *, bad_last: bool = False, varied: bool = False) -> bytes:
    """N rows like ROW, each with its own name; `varied`: numbers, years, levels and references
    differ from row to row too (the checks work once per distinct value, so a file of identical
    cells would flatter them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(pi.TEMPLATE_COLUMNS)
    for n in range(rows):
        row = {**ROW, "display_name": f"نور {n}"}
        if varied:
            row.update({"capital_eur": str(n), "hours_per_week": str(n % 61), "interest_R": str(n % 101),
                        "ambition": str(n * 7 % 101), "experience": f"bakker:{n % 40}; 5141:{n % 7 + 1}",
                        "skills": f"S6.5.6:{n % 4 + 1}; preparing food and drinks:{n // 4 % 4 + 1}",
                        "external_ref": f"HR-{n}", "municipality": ("Amsterdam", "Utrecht", "GM0344", "Tilburg")[n % 4]})
        if bad_last and n == rows - 1:
            row["municipality"] = "Atlantis"
        writer.writerow([row.get(c, "") for c in pi.TEMPLATE_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def timed(label: str, work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    print(f"{label:<52} {seconds:7.2f} s")
    return seconds, result


def cpu_best(label: str, work, runs: int = 3) -> tuple[float, object]:
    """CPU time of this process (all its threads, DuckDB's too), best of `runs`: the machine is
    shared, so wall-clock time says more about the other jobs than about this code."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.process_time()
        result = work()
        best = min(best, time.process_time() - started)
    print(f"{label:<52} {best:7.2f} s CPU")
    return best, result


def check_phases(cur, content: bytes, label: str = "  of which") -> None:
    """Where the check's CPU time goes: reading the file, the rules, building Profile objects (the
    functions the import uses at the moment, so that the old path can be measured too)."""
    from incubator.people import checks

    _, (frames, _, rows, _) = cpu_best(f"{label}: reading the CSV into frames", lambda: pi.read_frames("c.csv", content))
    codes = checks.Codes.load(cur)
    _, (typed, _) = cpu_best(f"{label}: the rules (check_frames)", lambda: saving.check_frames(frames, codes))
    cpu_best(f"{label}: Profile objects (profiles_from_frames)", lambda: saving.profiles_from_frames(typed, rows))


def compare_checks(cur, actor, content: bytes, folder: str, rows: int) -> None:
    """The same file checked with the old pandas path, the new one, and DuckDB."""
    from tests.support import checks_before

    # An import needs every valid row's Profile; a preview builds them only when asked (dict() asks).
    now, _ = cpu_best(f"check {rows:,} CSV rows, now (with Profiles)", lambda: dict(saving.preview_import(
        cur, actor=actor, file_name="c.csv", content=content).profiles))
    preview_only, _ = cpu_best(f"check {rows:,} CSV rows, now (preview, Profiles unbuilt)", lambda: saving.preview_import(
        cur, actor=actor, file_name="c.csv", content=content))
    new_parts = saving.check_frames, saving.profiles_from_frames, pi._entries
    saving.check_frames, saving.profiles_from_frames, pi._entries = (
        checks_before.check_frames, checks_before.profiles_from_frames, checks_before._entries)
    try:
        before, _ = cpu_best(f"check {rows:,} CSV rows, before (with Profiles)", lambda: dict(saving.preview_import(
            cur, actor=actor, file_name="c.csv", content=content).profiles))
        before_preview, _ = cpu_best(f"check {rows:,} CSV rows, before (preview, Profiles unbuilt)",
                                     lambda: saving.preview_import(cur, actor=actor, file_name="c.csv", content=content))
        check_phases(cur, content, "  before, of which")
    finally:
        saving.check_frames, saving.profiles_from_frames, pi._entries = new_parts
    path = Path(folder) / "c.csv"
    path.write_bytes(content)
    ranges = " OR ".join(f"(try_cast(replace({c}, ',', '.') AS DOUBLE) NOT BETWEEN {lo} AND {hi})"
                         for c, (lo, hi, _) in NUMBER_RULES.items())

    def duckdb_rules() -> int:
        return cur.execute(f"""
            WITH f AS (SELECT row_number() OVER () + 1 AS line, * FROM read_csv(?, all_varchar = true, header = true)),
            problems AS (
                SELECT line FROM f WHERE {ranges}
                UNION ALL SELECT line FROM f LEFT JOIN municipalities m
                    ON lower(f.municipality) IN (lower(m.name), lower(m.gm_code))
                    WHERE f.municipality IS NOT NULL AND m.gm_code IS NULL
                UNION ALL SELECT line FROM f WHERE dutch_cefr IS NOT NULL AND upper(dutch_cefr) NOT IN
                    ('A1', 'A2', 'B1', 'B2', 'C1', 'C2')
                UNION ALL SELECT line FROM (SELECT line, trim(split_part(unnest(string_split(skills, ';')), ':', 1)) AS code
                    FROM f) s LEFT JOIN esco_skill_hierarchy h USING (code) LEFT JOIN labels g
                    ON g.kind = 'skill_group' AND lower(s.code) = lower(g.text)
                    WHERE h.code IS NULL AND g.code IS NULL)
            SELECT count(*) FROM problems""", [str(path)]).fetchone()[0]

    check_phases(cur, content)
    floor, _ = cpu_best("DuckDB read_csv + a subset of the rules in SQL", duckdb_rules)
    print(f"the check now takes {before / now:.1f} times less than before ({before_preview / preview_only:.1f} times "
          f"for a preview that does not build Profiles)")
    print(f"against DuckDB's floor: before {before / floor:.1f} times, now {now / floor:.1f} times "
          f"(preview: before {before_preview / floor:.1f}, now {preview_only / floor:.1f} times)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--check-only", action="store_true",
                        help="only the check before and now beside DuckDB's floor (item 4)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        con = db.connect(Path(folder) / "bench.duckdb")
        cur = con.cursor()
        load_market_data(cur)
        actor = participants.COMMAND_LINE
        good = csv_file(args.rows)
        if args.check_only:
            compare_checks(cur, actor, good, folder, args.rows)
            print("-- the same with varied cells (numbers, years, levels, references differ from row to row):")
            compare_checks(cur, actor, csv_file(args.rows, varied=True), folder, args.rows)
            con.close()
            return

        timed(f"check {args.rows:,} CSV rows (preview)", lambda: saving.preview_import(
            cur, actor=actor, file_name="c.csv", content=good))
        bad = csv_file(args.rows, bad_last=True)

        def reject() -> None:
            try:
                saving.import_profiles(cur, actor=actor, file_name="c.csv", content=bad)
            except saving.ProfilesRejected:
                return
            raise AssertionError("the bad file was imported")

        timed(f"reject {args.rows:,} CSV rows (one bad row)", reject)
        imported, _ = timed(f"import {args.rows:,} CSV rows", lambda: saving.import_profiles(
            cur, actor=actor, file_name="c.csv", content=good))
        exported = snapshots.export_profiles(cur, actor=actor, pseudonymise=False)
        workbook = pi.export_workbook(exported)
        timed(f"import {args.rows:,} rows from Excel (new snapshots)", lambda: saving.import_profiles(
            cur, actor=actor, file_name="c.xlsx", content=workbook))
        timed(f"import {args.rows:,} profiles from JSON (new snapshots)", lambda: saving.import_profiles(
            cur, actor=actor, file_name="c.json", content=pi.export_json(exported)))

        compare_checks(cur, actor, good, folder, args.rows)
        print("-- the same with varied cells (numbers, years, levels, references differ from row to row):")
        compare_checks(cur, actor, csv_file(args.rows, varied=True), folder, args.rows)
        preview = saving.preview_import(cur, actor=actor, file_name="c.csv", content=csv_file(args.sample))
        sample = list(preview.profiles.values())

        def plain_loop() -> None:
            for profile in sample:
                record = participants.create_participant(cur, actor=actor)
                profile = type(profile)(**{**profile.__dict__, "id": record.participant_id})
                assert not profile_problems(cur, profile)
                snapshots.save_profile(cur, actor=actor, profile=profile)

        baseline, _ = timed(f"baseline: {args.sample:,} rows checked and saved one by one", plain_loop)
        per_row_fast = imported / args.rows
        per_row_plain = baseline / args.sample
        print(f"per row: import {per_row_fast * 1000:.2f} ms, plain loop {per_row_plain * 1000:.2f} ms "
              f"({per_row_plain / per_row_fast:.0f} times faster)")
        con.close()


if __name__ == "__main__":
    main()
