"""The checks that work once per distinct value give what today's pandas checks gave
(tests/support/checks_before.py): the same problems (row, column, message, values), in the same
order, the same typed frames and the same profiles, on a mixed file, on random bad cells, and on a
10,000-row file whose one error is in its last row."""

from __future__ import annotations

import csv
import io

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incubator.core.names import invisible_character, may_hide_characters
from incubator.people import checks, files, importing, participants
from tests.support import checks_before

HEADER = ("display_name,municipality,dutch_cefr,other_languages,isced_level,experience,skills,interest_R,ambition,"
          "capital_eur,hours_per_week,home_based_only,on_benefit,ladder_rung,external_ref")
ROWS = [
    'Amal,Amsterdam,A2,ar:C2; en:B1,3,bakker:3; 5141:2,S6.5.6:3; S6.5:2,70,65,"2.500,50",24,nee,ja,3,HR-1',
    'Yonas,GM0344,,ti:C2,,7512:12,S6:4,,,"1,5",36,,,,',
    'Bad numbers,GM0363,B1,,9,7512:x,S6.5.6:7,101,"=1+1",-5,"12,5.3",misschien,ja,0,',
    'Unknown codes,Atlantis,Z9,xx:B1; nl:B2,2,Astronaut:2,S99.9:2; S6.5.6,50,50,0,20,ja,nee,2,123456782',
    'Hiwet,,B2,,,,,,,,,,,,',
    ',GM0518,C1,fa:C1,8,"2.512:1",T6.4:1,0,100,1.000.000,80,yes,no,6,ext:9',
]


def _csv(rows: list[list[str]], columns=files.TEMPLATE_COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _old_path(monkeypatch) -> None:
    monkeypatch.setattr(importing, "check_frames", checks_before.check_frames)
    monkeypatch.setattr(importing, "profiles_from_frames", checks_before.profiles_from_frames)
    monkeypatch.setattr(files, "_entries", checks_before._entries)


def _both(cur, monkeypatch, content: bytes, file_name: str = "c.csv"):
    """(new, old) previews of one file, with the profiles built, and the typed frames of each."""
    def run():
        preview = importing.preview_import(cur, actor=participants.COMMAND_LINE, file_name=file_name, content=content)
        frames, _, _, _ = files.read_frames(file_name, content)
        typed = importing.check_frames(frames, checks.Codes.load(cur))[0] if frames is not None else None
        return preview, dict(preview.profiles), typed
    new = run()
    with monkeypatch.context() as patch:
        _old_path(patch)
        old = run()
    return new, old


def _same(new, old) -> None:
    (new_preview, new_profiles, new_typed), (old_preview, old_profiles, old_typed) = new, old
    assert new_preview.problems == old_preview.problems
    assert new_preview.warnings == old_preview.warnings
    assert new_profiles == old_profiles
    if old_typed is not None:
        for name in ("base", "languages", "experience", "skills"):
            pd.testing.assert_frame_equal(getattr(new_typed, name), getattr(old_typed, name))


def test_the_checks_give_the_same_problems_frames_and_profiles_as_before(seeded, monkeypatch):
    new, old = _both(seeded, monkeypatch, ("\r\n".join([HEADER, *ROWS]) + "\r\n").encode())
    _same(new, old)
    preview, profiles, _ = new
    assert {p.row for p in preview.problems} == {4, 5, 7}  # the file's rows 4, 5 and 7 are bad, the others good
    assert sorted(profiles) == [2, 3, 6]
    assert profiles[2].capital_eur == 2500.5 and profiles[3].capital_eur == 1.5


# Cells that break a rule each (and some that do not), as a person or a spreadsheet would type them.
BAD_CELLS = st.sampled_from([
    "", " ", "x", "=1+1", "@SUM(A1)", "+31", "-5", "1,5", "2.500,50", "12,5.3", "1.000.000", "3.5", "101", "9",
    "0", "1e3", "nan", "inf", "ja", "nee", "misschien", "Amsterdam", "GM0363", "GM9999", "Atlantis",
    "'s-Hertogenbosch", "\u2019s-Hertogenbosch", "ar:C2", "ar:Z9", "nl:B2", "ar:C2; ar:B1", "Engels:B1", "xx:B1",
    "7512:3", "bakker:3", "Astronaut:2", "7512:x", "7512", "2.512:1", "http://data.europa.eu/esco/occupation/x:2",
    "S6.5.6:3", "S6.5.6:7", "S99.9:2", "S6.5.6", "preparing food and drinks:2", "S6.5.6:3; S6.5.6:2",
    "http://data.europa.eu/esco/skill/nope:2", "P-000001", "P-1", "HR-1", "123456782", "12 34 56 782", "a b",
    "سارة أحمد", "Amal\u202e", "Ama\u200bl", "نور\u200cنور", "Ab\x07c", "x" * 90, "A2", "b1", "Z9", "04", "Services",
])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(BAD_CELLS, min_size=len(files.TEMPLATE_COLUMNS), max_size=len(files.TEMPLATE_COLUMNS)),
                min_size=1, max_size=12))
def test_random_bad_cells_get_the_same_messages_as_before(seeded, monkeypatch, rows):
    _same(*_both(seeded, monkeypatch, _csv(rows)))


def test_an_error_in_the_last_of_10000_rows_is_found_at_its_row(seeded, monkeypatch):
    good = ["Amal", "Amsterdam", "A2", "ar:C2; Engels:B1", "3", "Services", "bakker:3; 5141:2",
            "S6.5.6:3; preparing food and drinks:2", "70"]
    columns = ["display_name", "municipality", "dutch_cefr", "other_languages", "isced_level", "education_field",
               "experience", "skills", "interest_R"]
    rows = [[f"{good[0]} {n}", *good[1:]] for n in range(10_000)]
    # A list cell over two lines (Alt+Enter in Excel): every later row starts a line further down.
    rows[0][7] = "S6.5.6:3\npreparing food and drinks:2"
    rows[-1][1] = "Atlantis"
    new, old = _both(seeded, monkeypatch, _csv(rows, columns))
    _same(new, old)
    preview, profiles, _ = new
    assert [(p.row, p.column, p.english()) for p in preview.problems] == [
        (10_002, "municipality", "Atlantis is not a municipality code (GM0363) or the name of a municipality.")]
    assert len(profiles) == 9_999 and 10_002 not in profiles


def test_names_that_may_hide_a_character_are_the_only_ones_with_one():
    for code in list(range(0x3000)) + [0x3164, 0xFEFF, 0xFFA0, 0xE000, 0x1F600, 0xE0001, 0x10FFFF]:
        name = f"a{chr(code)}b"
        if invisible_character(name) is not None:
            assert may_hide_characters(name), hex(code)


@given(st.text(alphabet=st.sampled_from("0123456789٣ .-/:HRx"), max_size=24))
def test_the_quick_bsn_test_refuses_what_the_full_one_refused(value):
    assert checks.looks_like_bsn(value) == checks_before.looks_like_bsn(value)


def test_a_dutch_excel_csv_gets_the_same_messages_as_before(seeded, monkeypatch):
    # What Excel's plain "CSV" writes on Dutch Windows: Windows-1252, semicolons, decimal commas.
    rows = [
        "display_name;municipality;capital_eur;hours_per_week;skills;experience;home_based_only;external_ref",
        "Jos\u00e9;\u2019s-Hertogenbosch;2.500,50;12,5;S6.5.6:3;bakker:2,5;ja;NL-1",
        "Ren\u00e9e;Atlantis;=SOM(A1);1.000;\"S6.5.6:7\n S99:1\";7512:x;misschien;123 456 782",
        "\u20ac-Anna;GM0363;\u20ac 100;-1;;Astronaut:1;nee;NL-1",
    ]
    content = ("\r\n".join(rows) + "\r\n").encode("cp1252")
    new, old = _both(seeded, monkeypatch, content)
    _same(new, old)
    assert new[0].csv_format == ("cp1252", ";")
    # Row 2 shares its reference with the last one; the second record takes lines 3 and 4.
    assert {p.row for p in new[0].problems} == {2, 3, 5}
    assert ("skills", "7 is outside the range 1 to 4.") in [(p.column, p.english()) for p in new[0].problems]
