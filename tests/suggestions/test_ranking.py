"""Ranking: no feature names a protected attribute (that protected fields never change a score is
tested through the import path in test_fairness.py), the diversity rule, reasons in plain words as
message keys, what would raise a score, and many people at once."""

from __future__ import annotations

import re

import numpy as np
import pytest

from incubator.people.profile import Profile
from incubator.suggestions import features as fx
from incubator.suggestions import ranking as scoring
from tests.support.scoring import COOK, market, profile, quick_model

PROTECTED = re.compile(r"\b(nationality|nation|ethnicity|religion|gender|sex|age|birth|origin|country)\b")


def ranking(person: Profile, **kwargs) -> list[tuple[str, float]]:
    return [(s.venture_id, s.score) for s in scoring.suggest(person, market(), quick_model(), **kwargs)]


def all_scores(data: dict) -> np.ndarray:
    m = market()
    return scoring.score_grid(quick_model(), m, fx.people_from_profiles([Profile.from_dict(data)], m))[0]


def test_no_feature_or_model_input_names_a_protected_attribute():
    names = [f.name.replace("_", " ") for f in fx.FEATURES] + [f.label.lower() for f in fx.FEATURES]
    assert not [n for n in names if PROTECTED.search(n)], names
    assert quick_model().pipeline.n_features_in_ == len(fx.FEATURES)


def test_ethnic_ventures_score_the_same_whichever_language_is_declared():
    m = market()
    arabic = COOK | {"languages": [{"code": "nl", "cefr": "A1"}, {"code": "ar", "cefr": "C2"}, {"code": "en", "cefr": "B1"}]}
    tigrinya = all_scores(COOK)
    # Only licence exams offered in one language and not the other may differ (the SVH exam is in Arabic).
    exam_free = [v for v in range(m.n_ventures) if not any(m.licence_exam_langs[i] for i in np.flatnonzero(m.venture_licences[v]))]
    assert np.array_equal(all_scores(arabic)[exam_free], tigrinya[exam_free])


def test_the_top_five_span_at_least_two_families():
    for person in (profile(), profile(COOK)):
        top = scoring.suggest(person, market(), quick_model())
        assert len(top) == 5 and len({s.family for s in top}) >= 2
        assert [s.score for s in top] == sorted((s.score for s in top), reverse=True)


def test_the_diversity_rule_brings_in_the_best_of_another_family_unless_constraints_forbid():
    family = np.array(["craft"] * 6 + ["self_employment"] * 2)
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.3, 0.2])
    everything = np.ones(8, bool)
    assert scoring.diverse_top(scores, family, everything, 5) == [0, 1, 2, 3, 6]
    assert scoring.diverse_top(scores, family, everything, 7) == [0, 1, 2, 3, 6, 4, 5]
    only_crafts = np.array([True] * 6 + [False] * 2)  # the person's constraints rule the others out
    assert scoring.diverse_top(scores, family, only_crafts, 5) == [0, 1, 2, 3, 4]
    mixed = np.array(["craft", "self_employment"] * 4)
    assert scoring.diverse_top(scores, mixed, everything, 5) == [0, 1, 2, 3, 4]


def test_the_diversity_rule_for_many_people_at_once_equals_the_one_at_a_time_rule():
    rng = np.random.default_rng(5)
    for _ in range(200):
        scores = np.round(rng.random((15, 12)), 2)  # rounded: ties happen, and keep the venture order
        family = rng.choice(["craft", "self_employment", "ethnic_entrepreneurship"], size=12, p=[0.8, 0.1, 0.1])
        allowed, top = rng.random((15, 12)) < 0.8, int(rng.integers(1, 9))
        many = scoring.diverse_top_many(scores, family, allowed, top)
        for i in range(15):
            assert [int(v) for v in many[i] if v >= 0] == scoring.diverse_top(scores[i], family, allowed[i], top)


def test_working_only_from_home_leaves_out_ventures_that_cannot_start_at_home():
    m = market()
    top = scoring.suggest(profile(home_based_only=True), m, quick_model(), top=10)
    assert all("home" in m.start_options[m.venture_index(s.venture_id)] for s in top)
    assert len({s.family for s in top[:5]}) >= 2  # home-based ventures exist in several families


def test_reasons_are_message_keys_with_values_and_name_the_matching_skill():
    tailoring = next(s for s in scoring.suggest(profile(), market(), quick_model(), top=10) if s.venture_id == "cr_tailoring")
    assert tailoring.reasons, "a suggestion explains itself"
    first = tailoring.reasons[0]
    assert first.feature == "skill_match" and first.helps
    assert first.message.key == "Your skills in {skill} match this venture"
    assert first.message.params_for("en") == {"skill": "fabricating garments and textile products"}
    assert first.message.text("nl") == "Je vaardigheden in kleding en textielproducten vervaardigen passen bij deze onderneming"
    assert "صناعة الملابس" in first.message.text("ar")
    assert all(abs(r.contribution) >= scoring.MIN_REASON for r in tailoring.reasons)


def test_improvements_say_what_would_raise_the_score():
    m = market()
    person = profile(COOK, languages=[{"code": "nl", "cefr": "A1"}], capital_eur=0, on_benefit=False)
    catering, _ = scoring.score_venture(person, m, quick_model(), "et_catering")
    kinds = {i.kind: i for i in catering.improvements}
    assert "dutch" in kinds  # Dutch A1 where catering asks more: reaching it is the first thing to say
    for better in catering.improvements:
        assert better.score >= catering.score + scoring.MIN_GAIN
        assert better.message.params["score"].value == pytest.approx(better.score)
    people, v = fx.people_from_profiles([person], m), m.venture_index("et_coffee_roastery")  # EUR 35,000 to start
    x = fx.features_grid(m, people, [v])[0]
    qredits = [i for i in scoring.improvements(quick_model(), m, people, x, [v], limit=10)[0] if i.kind == "capital"]
    assert qredits[0].message.key == "EUR {amount} through Qredits would cover the start-up capital and raise this to {score}"
    assert qredits[0].message.params_for("nl")["amount"] == "35.000"
    assert kinds["dutch"].message.text("en").startswith("Reaching Dutch A2 would raise this to ")


def test_suggestions_carry_market_licences_and_funding():
    restaurant, _ = scoring.score_venture(profile(COOK), market(), quick_model(), "et_restaurant")
    assert {lic["licence_id"] for lic in restaurant.licences} >= {"alcohol_licence", "svh_social_hygiene", "kvk_registration"}
    assert restaurant.market["region_code"] == "GM0363" and len(restaurant.market["season"]) == 12
    assert restaurant.market["survival_5y_pct"] == 59
    routes = {f["route_id"]: f for f in restaurant.funding}
    assert routes["bbz_business_loan"]["eligible"] is False  # 20 hours a week: less than 1,225 hours a year
    assert routes["qredits_microcredit"]["amount_eur"] == 50_000


def test_set_aside_ventures_are_left_out():
    first = ranking(profile())[0][0]
    assert first not in [v for v, _ in ranking(profile(), set_aside=[first])]


def test_many_people_at_once_give_the_same_scores_as_one_at_a_time():
    m = market()
    people = [profile(), profile(COOK), profile(home_based_only=True, municipality="GM0014")]
    together = scoring.top_for_many(quick_model(), m, fx.people_from_profiles(people, m))
    for person, tops in zip(people, together, strict=True):
        alone = ranking(person)
        assert [m.venture_ids[v] for v, _ in tops] == [v for v, _ in alone]
        assert [s for _, s in tops] == pytest.approx([s for _, s in alone], abs=1e-6)


def test_explore_answers_become_a_profile_without_storing_anything():
    person = scoring.profile_from_answers(municipality="GM0344", dutch="A2", languages=["ar"], skills=["S6.5.6"],
                                          occupation_uri=None, years=0, interests=["R", "A"], capital_eur=500)
    assert person.cefr("nl") == "A2" and person.cefr("ar") == "C2"
    assert person.interests["R"] == 80 and person.interests["C"] == 40
    assert scoring.suggest(person, market(), quick_model())[0].family == "craft"
    choices = scoring.explore_choices(market(), "nl")
    assert choices["municipalities"]["GM0344"] == "Utrecht" and choices["languages"]["ar"] == "Arabisch"
