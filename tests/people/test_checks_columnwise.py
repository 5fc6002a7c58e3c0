"""The column-wise checks give what the row-by-row ones gave: the same problems (row, column,
message, values) and the same profiles, on a file that mixes good and bad rows."""

from __future__ import annotations

from incubator.people import checks, importing, participants
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


def _preview(cur):
    content = ("\r\n".join([HEADER, *ROWS]) + "\r\n").encode()
    return importing.preview_import(cur, actor=participants.COMMAND_LINE, file_name="mixed.csv", content=content)


def test_column_wise_checks_give_the_same_problems_and_profiles_as_before(seeded, monkeypatch):
    new = _preview(seeded)
    monkeypatch.setattr(checks, "_numbers", checks_before._numbers)
    monkeypatch.setattr(importing, "profiles_from_frames", checks_before.profiles_from_frames)
    old = _preview(seeded)
    assert new.problems == old.problems
    assert new.profiles == old.profiles
    assert {p.row for p in new.problems} == {4, 5, 7}  # the file's rows 4, 5 and 7 are bad, the others good
    assert sorted(new.profiles) == [2, 3, 6]
    assert new.profiles[2].capital_eur == 2500.5 and new.profiles[3].capital_eur == 1.5
