"""The fast cohort path (incubator.suggestions.bulk, used by stored.score_stored) gives the scores and
picks of the existing path: ranking.scores_and_fits / top_for_many over Profile objects, and each
person's own ranking.suggest, also for unusual profiles (no skills, many languages, a venture ruled out
by the person's own constraints, no Dutch at all)."""

from __future__ import annotations

import numpy as np
import pytest

from incubator.market.arrays import load_market
from incubator.people import participants, snapshots
from incubator.people.profile import Profile
from incubator.suggestions import barriers as bx
from incubator.suggestions import bulk, ranking, stored
from incubator.suggestions import features as fx
from incubator.suggestions import model as mm
from tests.suggestions.test_scoring_from_store import HANDFUL
from tests.support.scoring import COOK, TAILOR

UNUSUAL = [
    {"skills": [], "languages": [], "experience": []},  # nothing declared at all
    {**TAILOR, "languages": [{"code": c, "cefr": lvl} for c, lvl in
                             (("ar", "C2"), ("nl", "B1"), ("en", "B2"), ("fa", "C1"), ("ti", "A2"), ("tr", "B1"),
                              ("uk", "C2"), ("so", "B2"), ("ru", "A1"))]},  # many languages
    {**COOK, "home_based_only": True, "hours_per_week": 6, "capital_eur": 0, "on_benefit": False},  # ruled out
    {**TAILOR, "languages": [{"code": "ar", "cefr": "C2"}], "capital_eur": 250_000, "hours_per_week": 80,
     "experience": [{"isco": "7531", "years": 40}, {"isco": "7533", "years": 40}]},  # no Dutch, ties in years
]


@pytest.fixture
def stored_cohort(seeded, people):
    manager = people["manager"]
    saved = []
    for data in HANDFUL + UNUSUAL:
        record = participants.create_participant(seeded, actor=manager)
        profile = Profile.from_dict({**data, "id": record.participant_id})
        snapshots.save_profile(seeded, actor=manager, profile=profile)
        saved.append(profile)
    return seeded, manager, saved


def test_the_fast_path_scores_and_picks_as_the_existing_path(stored_cohort):
    cur, manager, profiles = stored_cohort
    market, model = load_market(cur), mm.load()
    scored = stored.score_stored_cohort(cur, actor=manager, market=market, model=model)
    from_objects = fx.people_from_profiles(profiles, market)
    assert scored.people.ids == from_objects.ids

    scores, fits = ranking.scores_and_fits(model, market, from_objects)
    # The same arithmetic; only the matrix products may round the last bit differently (one BLAS thread).
    np.testing.assert_allclose(scored.scores, scores, rtol=1e-6, atol=1e-7)
    expected = ranking.top_for_many(model, market, from_objects)
    assert [[v for v, _ in scored.picks(i)] for i in range(len(profiles))] == [[v for v, _ in row] for row in expected]
    ruled = bx.barriers(market, from_objects).any
    assert ruled[len(HANDFUL) + 2].sum() > 0 and len(scored.picks(len(HANDFUL))) > 0

    frame = stored.score_stored(cur, actor=manager, market=market, model=model)
    assert len(frame) == sum(len(row) for row in expected)


def test_reasons_are_built_on_demand_as_suggest_words_them(stored_cohort):
    cur, manager, profiles = stored_cohort
    market, model = load_market(cur), mm.load()
    scored = stored.score_stored_cohort(cur, actor=manager, market=market, model=model)
    for i, profile in enumerate(profiles):
        fast, own = scored.suggestions(i), ranking.suggest(profile, market, model)
        assert [s.venture_id for s in fast] == [s.venture_id for s in own]
        assert [[(r.message, r.feature) for r in s.reasons] for s in fast] == \
            [[(r.message, r.feature) for r in s.reasons] for s in own]
        assert [[i.message.key for i in s.improvements] for s in fast] == \
            [[i.message.key for i in s.improvements] for s in own]
        np.testing.assert_allclose([s.score for s in fast], [s.score for s in own], rtol=1e-6)


@pytest.mark.parametrize("top", [1, 3, 5, 8, 20])
def test_the_top_picks_break_ties_and_fill_short_rows_as_the_full_sort(top):
    rng = np.random.default_rng(top)
    scores = np.round(rng.random((2000, 30), dtype=np.float32), 1)  # many equal scores
    allowed = rng.random((2000, 30)) < 0.3  # some rows allow fewer ventures than the top asks
    allowed[:50] = False
    family = np.array(list("aabbbccdde" * 3))
    family[:6] = "a"
    scores[100:200, :6] = 1.0  # the best five all of one family: the diversity rule swaps one in
    allowed[100:200, :6] = True
    np.testing.assert_array_equal(bulk.diverse_top_many(scores, family, allowed, top),
                                  ranking.diverse_top_many(scores, family, allowed, top))
