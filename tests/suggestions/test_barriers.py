"""Constraints that hide the best fit: a person's own constraints (home only, hours, capital) never
silently drop the ventures their skills and experience fit; the closest ones come back as ruled out
with the barrier and what would open it, and unrelated ventures never fill the top five."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from incubator.people.profile import Profile
from incubator.suggestions import barriers as bx
from incubator.suggestions import features as fx
from incubator.suggestions import ranking as scoring
from tests.support.scoring import COOK, market, profile, quick_model

RESTAURANT_MANAGER = {"experience": [{"isco": "1412", "years": 10}], "skills": [], "capital_eur": 0,
                      "hours_per_week": 40, "on_benefit": False}


def ranked(person: Profile, m=None, **kwargs) -> scoring.Ranking:
    return scoring.rank(person, m or market(), quick_model(), **kwargs)


def fits_of(person: Profile, m=None) -> dict[str, float]:
    m = m or market()
    x = fx.features_grid(m, fx.people_from_profiles([person], m))[0]
    return dict(zip(m.venture_ids, map(float, bx.fit(x)), strict=True))


def catalogue_before_the_review():
    """The market as it was before the review: only ventures whose usual premises is the home could
    start there (tailoring, for one, needed a workshop)."""
    m = market()
    home = np.array([p == "home" for p in m.premises])
    return replace(m, home=home, start_options=tuple(ways if h else ways - {"home"}
                                                    for ways, h in zip(m.start_options, home, strict=True)))


def test_a_tailor_who_can_only_work_from_home_gets_tailoring_back():
    person = profile(home_based_only=True)  # 15 years as a tailor, skilled in making garments
    result = ranked(person)
    shown = [s.venture_id for s in result.suggestions]
    assert {"cr_tailoring", "cr_alterations"} <= set(shown)  # both can start in a sewing room at home
    fits = fits_of(person)
    assert all(fits[v] >= bx.UNRELATED_FIT for v in shown)
    assert result.ruled_out == []  # the best fit is among the suggestions


def test_where_tailoring_cannot_start_at_home_it_is_ruled_out_with_the_barrier_and_the_opening():
    old = catalogue_before_the_review()
    person = profile(home_based_only=True)
    result = ranked(person, old)
    fits = fits_of(person, old)
    assert all(fits[s.venture_id] >= bx.UNRELATED_FIT for s in result.suggestions)  # never unrelated ventures
    assert len(result.suggestions) < scoring.TOP and result.unrelated_left_out
    closest = [r.venture_id for r in result.ruled_out]
    assert closest == ["cr_alterations", "cr_tailoring", "cr_upholstery"]  # closest fit first, at most three
    tailoring = result.ruled_out[1]
    assert [b.kind for b in tailoring.barriers] == ["home"]
    home = tailoring.barriers[0]
    assert home.message.text("en") == "It cannot start at home, and you can only work from home"
    assert [o.text("en") for o in home.openings] == [
        "A place in a shared workshop, kitchen or studio would open it",
        "Premises of its own (a workshop, shop or office) would open it"]
    assert 0 < tailoring.score_opened < 1


def test_too_few_hours_rule_out_the_ventures_the_skills_fit_and_say_how_many_would_open_them():
    result = ranked(profile(hours_per_week=8))
    assert [r.venture_id for r in result.ruled_out] == ["cr_alterations", "cr_tailoring", "cr_upholstery"]
    alterations, tailoring = result.ruled_out[:2]
    assert [b.kind for b in tailoring.barriers] == ["hours"]
    assert tailoring.barriers[0].message.text("en") == "It needs at least 12 hours a week; you have 8"
    assert tailoring.barriers[0].openings[0].text("en") == "12 hours a week for the business would open it"
    assert alterations.barriers[0].openings[0].text("nl") == "10 uur per week voor het bedrijf zou het openen"
    assert "10" in alterations.barriers[0].openings[0].text("ar")
    assert all(s.venture_id not in {"cr_alterations", "cr_tailoring"} for s in result.suggestions)
    assert result.unrelated_left_out  # the few ventures 8 hours allow are mostly unrelated to tailoring
    # A mentor reads the same barriers about the person, in the third person, in every language.
    about = scoring.ruled_out_worded_for(result.ruled_out, "Amal")[1].barriers[0].message
    assert about.text("en") == "It needs at least 12 hours a week; Amal has 8"
    assert about.text("nl") == "Het vraagt minstens 12 uur per week; Amal heeft er 8"
    assert "Amal" in about.text("ar") and "لديك" not in about.text("ar")


def test_the_fewest_hours_a_venture_can_start_with_are_enough():
    m = market()
    v = m.venture_index("cr_tailoring")
    at_minimum = fx.people_from_profiles([profile(hours_per_week=float(m.hours_min[v]))], m)
    just_below = fx.people_from_profiles([profile(hours_per_week=float(m.hours_min[v]) - 0.5)], m)
    assert not bx.barriers(m, at_minimum).hours[0, v] and bx.barriers(m, just_below).hours[0, v]


def test_capital_beyond_own_money_bbz_and_qredits_rules_out_and_names_the_amount():
    result = ranked(profile(**RESTAURANT_MANAGER))
    restaurant = result.ruled_out[0]
    assert restaurant.venture_id == "et_restaurant" and [b.kind for b in restaurant.barriers] == ["capital"]
    barrier = restaurant.barriers[0]
    assert barrier.message.text("en") == ("Even a small start costs EUR 60.000; your own money and the loans open to "
                                          "you now reach EUR 50.000")  # the Netherlands' number format in English too
    assert barrier.openings[0].text("en") == "EUR 10.000 more money of your own would open it: Qredits lends at most EUR 50.000"
    assert barrier.openings[0].params_for("nl")["amount"] == "10.000"


def test_on_a_benefit_the_bbz_loan_opens_the_capital_and_needs_the_bbz_hours():
    short = ranked(profile(**RESTAURANT_MANAGER | {"on_benefit": True, "hours_per_week": 20})).ruled_out[0]
    assert short.venture_id == "et_restaurant" and [b.kind for b in short.barriers] == ["hours", "capital"]
    assert short.barriers[1].openings[0].text("en") == ("The Bbz loan would open it: it needs at least 24 hours a week "
                                                        "in the business")
    enough = ranked(profile(**RESTAURANT_MANAGER | {"on_benefit": True, "hours_per_week": 30})).ruled_out[0]
    assert [b.kind for b in enough.barriers] == ["hours"]  # 30 hours qualify for Bbz: the money can be raised


def test_a_person_whose_constraints_allow_their_best_fit_sees_nothing_ruled_out():
    for person in (profile(), profile(COOK), profile(hours_per_week=12, home_based_only=True)):
        result = ranked(person)
        assert result.ruled_out == [] and not result.unrelated_left_out
        assert len(result.suggestions) == scoring.TOP


def test_ventures_set_aside_are_never_shown_as_ruled_out():
    kept = ranked(profile(hours_per_week=8), set_aside=["cr_alterations"]).ruled_out
    # shoe repair (fit 0.40) fits less well than carpet weaving (0.47), which 8 hours allow and is shown
    assert [r.venture_id for r in kept] == ["cr_tailoring", "cr_upholstery"]


def test_unrelated_means_a_fit_below_the_threshold_for_a_person_whose_skills_point_elsewhere():
    fits = np.array([[0.90, 0.12, 0.09, 0.0],  # skills point somewhere: the last two are unrelated
                     [0.29, 0.12, 0.09, 0.0]])  # nowhere in particular yet: nothing is left out
    assert bx.related(fits).tolist() == [[True, True, False, False], [True, True, True, True]]
    assert bx.UNRELATED_FIT < bx.SKILLS_POINT_AT


def test_without_skills_or_experience_the_top_five_is_filled_as_before():
    result = ranked(profile(skills=[], experience=[]))
    assert len(result.suggestions) == scoring.TOP and result.ruled_out == [] and not result.unrelated_left_out
    assert len({s.family for s in result.suggestions}) >= 2


def test_the_diversity_rule_takes_a_related_venture_of_another_family():
    for person in (profile(), profile(home_based_only=True), profile(COOK, home_based_only=True)):
        top = ranked(person).suggestions
        fits = fits_of(person)
        assert len({s.family for s in top}) >= 2
        assert all(fits[s.venture_id] >= bx.UNRELATED_FIT for s in top)


def test_many_people_at_once_rank_like_one_at_a_time_with_constraints_and_unrelated_ventures():
    m = market()
    people = [profile(hours_per_week=8), profile(**RESTAURANT_MANAGER), profile(COOK, home_based_only=True),
              profile(skills=[], experience=[], hours_per_week=6)]
    together = scoring.top_for_many(quick_model(), m, fx.people_from_profiles(people, m))
    for person, tops in zip(people, together, strict=True):
        alone = ranked(person).suggestions
        assert [m.venture_ids[v] for v, _ in tops] == [s.venture_id for s in alone]
        assert [s for _, s in tops] == pytest.approx([s.score for s in alone], abs=1e-6)
    assert len(together[0]) < scoring.TOP  # unrelated ventures do not fill the few hours' top five


def test_one_skill_well_known_points_somewhere_and_unrelated_ventures_stay_out():
    # explore mode: garment making at level 3, no work experience given, 6 hours a week
    person = scoring.profile_from_answers(municipality="GM0344", dutch="A2", skills=["S6.5.6"], hours_per_week=6)
    result = ranked(person)
    assert max(fits_of(person).values()) >= bx.SKILLS_POINT_AT
    assert result.suggestions == [] and result.unrelated_left_out  # 6 hours allow nothing related to garments
    assert [r.venture_id for r in result.ruled_out][:1] == ["cr_alterations"]
