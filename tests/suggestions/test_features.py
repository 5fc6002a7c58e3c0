"""Features on hand-made cases, and the vectorised arithmetic against the plain per-pair definition."""

from __future__ import annotations

import numpy as np
import pytest

from incubator.market.arrays import MarketNotLoaded, load_market
from incubator.people.profile import Profile
from incubator.suggestions import features as fx
from tests.support.scoring import COOK, market, profile


def row(person: Profile, venture_id: str, **kwargs) -> dict[str, float]:
    m = market()
    x = fx.features_grid(m, fx.people_from_profiles([person], m, **kwargs))[0, m.venture_index(venture_id)]
    return dict(zip(fx.FEATURE_NAMES, map(float, x), strict=True))


def test_a_tailor_with_fifteen_years_matches_tailoring_and_not_it_freelance():
    tailor = profile()
    tailoring, it = row(tailor, "cr_tailoring"), row(tailor, "se_it_freelance")
    assert tailoring["skill_match"] > 0.8
    assert tailoring["related_experience_years"] == 15
    assert it["skill_match"] == 0
    assert it["related_experience_years"] == 0


def test_experience_alone_stands_in_for_skills_and_grows_with_years():
    no_skills = [row(profile(skills=[], experience=[{"isco": "7531", "years": y}]), "cr_tailoring")["skill_match"]
                 for y in (0, 2, 5, 10, 20)]
    assert no_skills[0] == 0
    assert no_skills == sorted(no_skills)
    assert no_skills[-1] == pytest.approx(fx.OCCUPATION_SHARE)  # ten years and more count fully


def test_a_related_skill_group_counts_partly():
    exact = row(profile(experience=[], skills=[{"esco_group": "S6.5.6", "level": 4}]), "cr_tailoring")
    sibling = row(profile(experience=[], skills=[{"esco_group": "S6.5.5", "level": 4}]), "cr_tailoring")
    unrelated = row(profile(experience=[], skills=[{"esco_group": "S5.1.0", "level": 4}]), "cr_tailoring")
    assert exact["skill_match"] > sibling["skill_match"] > unrelated["skill_match"] == 0
    assert sibling["skill_match"] == pytest.approx(fx.RELATED_GROUP_SHARE * exact["skill_match"])


def test_experience_in_a_related_occupation_counts_less():
    same = row(profile(skills=[], experience=[{"isco": "7531", "years": 10}]), "cr_tailoring")  # tailor
    minor = row(profile(skills=[], experience=[{"isco": "7534", "years": 10}]), "cr_tailoring")  # upholsterer
    assert same["related_experience_years"] == 10
    assert minor["related_experience_years"] == 5
    assert same["skill_match"] > minor["skill_match"] > 0


def test_dutch_gap_counts_cefr_levels_below_the_venture():
    assert row(profile(), "se_translation")["dutch_gap"] == 3  # C1 against A2
    assert row(profile(), "cr_tailoring")["dutch_gap"] == 0
    assert row(profile(languages=[{"code": "ar", "cefr": "C2"}]), "cr_tailoring")["dutch_gap"] == 2  # no Dutch at all


def test_capital_gap_after_own_money_and_bbz_where_the_person_qualifies():
    on_benefit = row(profile(capital_eur=1000, hours_per_week=36, on_benefit=True), "et_restaurant")
    assert on_benefit["capital_gap_k"] == pytest.approx((120_000 - 1000 - 39_057) / 1000, abs=1e-3)
    assert on_benefit["capital_unfunded_k"] == pytest.approx((120_000 - 1000 - 39_057 - 50_000) / 1000, abs=1e-3)
    too_few_hours = row(profile(capital_eur=1000, hours_per_week=20, on_benefit=True), "et_restaurant")  # < 1,225 h a year
    assert too_few_hours["capital_gap_k"] == pytest.approx(119.0)
    not_on_benefit = row(profile(capital_eur=1000, on_benefit=False), "cr_tailoring")
    assert not_on_benefit["capital_gap_k"] == pytest.approx(4.0)
    assert row(profile(capital_eur=10_000, on_benefit=False), "cr_tailoring")["capital_gap_k"] == 0


def test_licence_burden_counts_licences_and_exams_in_a_language_the_person_lacks():
    assert row(profile(), "cr_tailoring")["licence_burden"] == 0  # only the KVK registration, which every venture needs
    arabic = row(profile(), "et_restaurant")["licence_burden"]  # the SVH exam can be taken in Arabic
    tigrinya = row(profile(languages=[{"code": "nl", "cefr": "A2"}, {"code": "ti", "cefr": "C2"}]), "et_restaurant")
    assert tigrinya["licence_burden"] == arabic + 1


def test_interests_hours_home_and_market():
    assert row(profile(interests={"R": 100, "I": 0, "A": 0, "S": 0, "E": 0, "C": 0}), "cr_shoe_repair")["interest_fit"] == pytest.approx(1.0)
    assert row(profile(hours_per_week=21), "cr_tailoring")["hours_short"] == pytest.approx(0.475)
    home_only = profile(home_based_only=True)
    assert row(home_only, "cr_car_repair")["home_conflict"] == 1  # a garage: it cannot start at home
    assert row(home_only, "cr_tailoring")["home_conflict"] == 0  # made-to-measure can start in a sewing room
    assert row(home_only, "se_web_design")["home_conflict"] == 0
    # Hairdressers: 15 per 10,000 in the province of Utrecht (GM0344) against 17.8 nationally.
    assert row(profile(), "cr_hairdresser")["market_saturation"] == pytest.approx(np.log(15 / 17.8), abs=1e-4)
    assert row(profile(), "cr_hairdresser", municipality="GM0363")["market_saturation"] == 0  # Amsterdam: national
    assert row(profile(), "cr_tailoring")["sector_survival"] == pytest.approx(0.65)  # manufacturing: all businesses
    assert row(profile(), "cr_carpentry")["sector_survival"] == pytest.approx(0.71)  # construction


def test_ethnic_ventures_match_on_declared_languages_and_skills_never_on_origin():
    cook = profile(COOK)
    fit = row(cook, "et_catering")["community_fit"]
    assert fit > 0 and row(cook, "se_it_freelance")["community_fit"] == 0
    # Which language a person speaks does not matter, only what they declare.
    other = profile(COOK, languages=[{"code": "nl", "cefr": "A1"}, {"code": "ar", "cefr": "C2"}, {"code": "en", "cefr": "B1"}])
    assert row(other, "et_catering")["community_fit"] == fit
    fewer = profile(COOK, languages=[{"code": "nl", "cefr": "A1"}, {"code": "ti", "cefr": "C2"}])
    assert row(fewer, "et_catering")["community_fit"] < fit


def random_profiles(n: int, seed: int) -> list[Profile]:
    m, rng = market(), np.random.default_rng(seed)
    codes = list(m.skill_codes) + ["S6.5.9", "S1.4.2"]  # two groups no venture names
    iscos = [f"{i:04d}" for i in m.isco] + ["2211", "9999"]
    return [Profile.from_dict({
        "id": f"P-{i:06d}", "municipality": rng.choice(m.region_codes[:-1] + ("GM9999",)),
        "languages": [{"code": c, "cefr": rng.choice(["A1", "A2", "B1", "B2", "C1", "C2"])}
                      for c in rng.choice(["nl", "en", "ar", "ti", "tr", "zh"], size=rng.integers(0, 4), replace=False)],
        "skills": [{"esco_group": c, "level": int(rng.integers(1, 5))} for c in rng.choice(codes, size=rng.integers(0, 6))],
        "experience": [{"isco": c, "years": float(rng.integers(0, 25))} for c in rng.choice(iscos, size=rng.integers(0, 3))],
        "interests": {k: int(rng.integers(0, 101)) for k in "RIASEC"},
        "capital_eur": float(rng.choice([0, 500, 5000, 60_000])), "hours_per_week": float(rng.integers(5, 60)),
        "home_based_only": bool(rng.random() < 0.3), "on_benefit": bool(rng.random() < 0.7),
        "education": {"isced_level": int(rng.integers(0, 9))},
    }) for i in range(n)]


def test_vectorised_features_equal_the_plain_definition_for_every_pair():
    m = market()
    people = random_profiles(40, seed=3)
    grid = fx.features_grid(m, fx.people_from_profiles(people, m))
    for i, person in enumerate(people):
        for v in range(m.n_ventures):
            assert np.allclose(grid[i, v], fx.pair_features(person, v, m), atol=1e-4), (person.id, m.venture_ids[v])
    pairs = fx.features_pairs(m, fx.people_from_profiles(people, m), np.arange(len(people)) % m.n_ventures)
    assert np.allclose(pairs, grid[np.arange(len(people)), np.arange(len(people)) % m.n_ventures])


def test_market_arrays_are_read_once_per_dataset_version(seeded):
    cur = seeded
    first, again = load_market(cur), load_market(cur)
    assert first is again
    assert first.version.startswith(cur.execute("SELECT version FROM market_dataset").fetchone()[0])
    assert first.n_ventures == 68 and len(first.region_codes) == 343


def test_no_market_data_is_a_plain_message(cur):
    with pytest.raises(MarketNotLoaded):
        load_market(cur)
