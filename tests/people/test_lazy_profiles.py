"""A preview builds the Profile objects of its valid rows only when they are used: counting them (the
page, the command line) reads the checked frames. The Profiles it builds are the eager ones."""

from __future__ import annotations

from incubator.people import checks
from incubator.people import files as pi
from incubator.people import importing as saving
from tests.people.test_importing import GOOD_ROW, csv_bytes


def test_a_preview_counts_rows_without_building_profiles_and_builds_the_same_ones_on_use(seeded, people):
    manager = people["manager"]
    rows = [{**GOOD_ROW, "display_name": f"Noor {n}"} for n in range(3)] + [{**GOOD_ROW, "municipality": "Atlantis"}]
    content = csv_bytes(rows)
    preview = saving.preview_import(seeded, actor=manager, file_name="c.csv", content=content)

    assert (len(preview.profiles), preview.new_count, preview.update_count) == (3, 3, 0)
    assert 5 not in preview.profiles and list(preview.profiles) == [2, 3, 4]
    assert preview.profiles._built is None  # nothing built for the counts above

    frames, _, file_rows, _ = pi.read_frames("c.csv", content)
    typed, _ = checks.check_frames(frames, checks.Codes.load(seeded))
    assert dict(preview.profiles) == checks.profiles_from_frames(typed, [2, 3, 4])
    assert preview.profiles[3].display_name == "Noor 1"
