"""Scoring from the store: the typed tables of migration 011 give the same arrays, and so the same
scores, as the saved profiles read back as Profile objects; drafts and older snapshots are not scored;
a mentor scores only their own participants."""

from __future__ import annotations

import numpy as np

from incubator.market.arrays import load_market
from incubator.people import participants, snapshots
from incubator.people.profile import Profile
from incubator.suggestions import features as fx
from incubator.suggestions import model as mm
from incubator.suggestions import ranking, stored
from tests.support.people import BAKER_URI
from tests.support.scoring import COOK, TAILOR

ARRAYS = ("skill_level", "parent_level", "nl_rank", "licence_exam_ok", "community_languages", "exp_isco",
          "exp_years", "interests", "capital", "hours", "home_only", "on_benefit", "education", "region")

# Partial credit: broader codes (S6.5, S6), a narrower one (S6.5.6 under the venture's S6.5), a sibling,
# a cultural skill; five experiences (only four count, the tie kept in list order), an ESCO occupation.
HANDFUL = [
    TAILOR,
    COOK,
    {"municipality": "GM0518", "skills": [{"esco_group": "S6.5", "level": 3}, {"esco_group": "S6", "level": 2},
                                          {"esco_group": "S6.5.5", "level": 4}],
     "languages": [{"code": "ar", "cefr": "B1"}, {"code": "nl", "cefr": "B2"}, {"code": "fa", "cefr": "C1"},
                   {"code": "en", "cefr": "A2"}],
     "experience": [{"isco": "7512", "years": 2}, {"esco_uri": BAKER_URI, "years": 6}, {"isco": "5120", "years": 2},
                    {"isco": "7531", "years": 0.5}, {"isco": "9412", "years": 2}],
     "capital_eur": 12_000, "hours_per_week": 12, "home_based_only": True, "on_benefit": False,
     "education": {"isced_level": 6, "field": "04"}},
    {"municipality": None, "skills": [{"esco_group": "T6.4", "level": 1}, {"esco_group": "S1.2.3", "level": 2},
                                      {"esco_group": "S3.5", "level": 4}],
     "languages": [{"code": "ti", "cefr": "C2"}], "experience": []},
    {"skills": [], "languages": [], "interests": {"R": 0, "I": 100}},
]


def _save_handful(cur, manager) -> list[Profile]:
    saved = []
    for data in HANDFUL:
        record = participants.create_participant(cur, actor=manager)
        profile = Profile.from_dict({**data, "id": record.participant_id})
        snapshots.save_profile(cur, actor=manager, profile=profile)
        saved.append(profile)
    return saved


def test_arrays_and_scores_from_the_store_equal_those_from_profile_objects(seeded, people):
    manager = people["manager"]
    profiles = _save_handful(seeded, manager)
    market = load_market(seeded)
    from_store = stored.people_from_store(seeded, actor=manager, market=market)
    from_objects = fx.people_from_profiles(profiles, market)
    assert from_store.ids == from_objects.ids
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(from_store, name), getattr(from_objects, name), err_msg=name)
    assert from_store.skill_level[2].max() > 0 and 0 < from_store.skill_level[2][from_store.skill_level[2] > 0].min() < 1

    model = mm.load()  # the committed model
    np.testing.assert_array_equal(ranking.score_grid(model, market, from_store),
                                  ranking.score_grid(model, market, from_objects))
    ranked = stored.score_stored(seeded, actor=manager, market=market, model=model)
    expected = ranking.top_for_many(model, market, from_objects)
    got = [[(market.venture_index(v), s) for v, s in zip(group["venture_id"], group["score"], strict=True)]
           for _, group in ranked.groupby("participant_id", sort=True)]
    assert [[v for v, _ in row] for row in got] == [[v for v, _ in row] for row in expected]
    np.testing.assert_allclose([s for row in got for _, s in row], [s for row in expected for _, s in row])


def test_the_store_scores_the_latest_saved_snapshot_never_a_draft(seeded, people):
    manager = people["manager"]
    record = participants.create_participant(seeded, actor=manager)
    first = Profile.from_dict({**TAILOR, "id": record.participant_id})
    snapshots.save_profile(seeded, actor=manager, profile=first)
    second = Profile.from_dict({**COOK, "id": record.participant_id})
    snapshots.save_profile(seeded, actor=manager, profile=second)
    draft = Profile.from_dict({**TAILOR, "id": record.participant_id, "skills": [{"esco_group": "S1", "level": 1}]})
    snapshots.save_profile(seeded, actor=manager, profile=draft, draft=True)
    market = load_market(seeded)
    from_store = stored.people_from_store(seeded, actor=manager, market=market)
    np.testing.assert_array_equal(from_store.skill_level, fx.people_from_profiles([second], market).skill_level)
    typed = seeded.execute("SELECT version, count(*) FROM profile_snapshot_skills WHERE participant_id = ?"
                           " GROUP BY version ORDER BY version", [record.participant_id]).fetchall()
    assert typed == [(1, 1), (2, 2)]  # the draft (version 3) has no typed rows until it is saved


def test_a_mentor_scores_only_the_participants_assigned_to_them(seeded, people, cohort):
    for key, data in (("mentored", TAILOR), ("other", COOK)):
        profile = Profile.from_dict({**data, "id": cohort[key]})
        snapshots.save_profile(seeded, actor=people["manager"], profile=profile)
    market = load_market(seeded)
    assert stored.people_from_store(seeded, actor=people["mentor"], market=market).ids == (cohort["mentored"],)
    assert len(stored.people_from_store(seeded, actor=people["manager"], market=market)) == 2


def test_a_checked_file_gives_the_same_arrays_without_profile_objects(seeded):
    from incubator.people.checks import Codes, check_frames, profiles_from_frames
    from incubator.people.files import read_frames

    content = (b"display_name,municipality,dutch_cefr,other_languages,experience,skills,capital_eur,home_based_only,"
               b"interest_R\r\n"
               b"Amal,Amsterdam,A2,ar:C2; en:B1,bakker:3; 5141:2,S6.5.6:3; S6.5:2,\"2.500,50\",nee,70\r\n"
               b"Yonas,GM0344,,ti:C2,7512:12; 7531:12; 5120:1; 9412:4; 7212:3,S6:4; T6.4:1,,ja,\r\n"
               b"Bad,Atlantis,B1,,,,,,\r\n"
               b"Hiwet,,B2,,,,0,,\r\n")
    frames, problems, rows, _ = read_frames("c.csv", content)
    typed, found = check_frames(frames, Codes.load(seeded))
    good = [r for r in rows if r not in {p.row for p in problems + found}]
    assert len(good) == 3
    market = load_market(seeded)
    tables, base = stored.tables_from_checked(typed.base, typed.skills, typed.languages, typed.experience, good)
    from_tables = fx.people_from_tables(tables, market)
    profiles = profiles_from_frames(typed, good)
    from_objects = fx.people_from_profiles([profiles[r] for r in sorted(profiles)], market)
    assert list(base["display_name"]) == ["Amal", "Yonas", "Hiwet"]
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(from_tables, name), getattr(from_objects, name), err_msg=name)
