"""The model: both candidates compared by cross-validation, monotonic promises kept, saved with skops
beside a model card, loaded only when the file holds allowed types; retraining on outcomes."""

from __future__ import annotations

import fractions
import json

import numpy as np
import pytest
import skops.io as sio

from incubator.suggestions import features as fx
from incubator.suggestions import model as mm
from incubator.suggestions import synthetic_outcomes as outcomes
from tests.support.scoring import market, profile, quick_model, quick_model_dir


def test_both_candidates_are_compared_and_the_card_says_so():
    card = quick_model().card
    assert set(card["candidates"]) == {"logistic_regression", "gradient_boosting"}
    for result in card["candidates"].values():
        assert 0.55 < result["roc_auc"] < 0.9
        assert 0.1 < result["brier"] < 0.25
        assert len(result["calibration"]["predicted"]) == len(result["calibration"]["observed"]) > 3
        assert result["monotonic"]
    assert card["chosen"] in card["candidates"]
    assert card["training_data"]["source"] == "synthetic"
    assert {"python", "scikit-learn", "numpy", "skops", "duckdb"} <= set(card["libraries"])
    assert [f["name"] for f in card["features"]] == list(fx.FEATURE_NAMES)
    assert {"nationality", "ethnicity", "religion", "gender", "age"} <= set(card["never_features"])


@pytest.mark.parametrize("name", mm.CANDIDATES)
def test_every_candidate_keeps_the_monotonic_promises(name):
    cohort = outcomes.generate(market(), 3000, seed=21)
    fitted = mm.fit(name, cohort.features, cohort.outcome.astype(int))
    rows = outcomes.generate(market(), 500, seed=22).features
    for step in (0.05, 1.0, 10.0):
        assert mm.monotonic_violations(mm.TrainedModel(fitted, {}).predict, rows, step=step) == dict.fromkeys(
            [f.name for f in fx.FEATURES if f.monotonic], 0)


def scores_for(person) -> np.ndarray:
    m = market()
    return quick_model().predict(fx.features_grid(m, fx.people_from_profiles([person], m)))[0]


def test_more_matching_skill_never_lowers_a_score_and_larger_gaps_never_raise_one():
    base = scores_for(profile(skills=[{"esco_group": "S6.5.6", "level": 2}]))
    more_skill = scores_for(profile(skills=[{"esco_group": "S6.5.6", "level": 4}, {"esco_group": "S2.5.1", "level": 3}]))
    less_dutch = scores_for(profile(skills=[{"esco_group": "S6.5.6", "level": 2}], languages=[{"code": "nl", "cefr": "A1"}]))
    less_money = scores_for(profile(skills=[{"esco_group": "S6.5.6", "level": 2}], capital_eur=0, on_benefit=False))
    assert (more_skill >= base - 1e-9).all() and (more_skill > base + 1e-6).any()
    assert (less_dutch <= base + 1e-9).all() and (less_dutch < base - 1e-6).any()
    assert (less_money <= base + 1e-9).all() and (less_money < base - 1e-6).any()


def test_the_fast_path_gives_the_pipeline_estimates():
    trained = quick_model()
    rows = outcomes.generate(market(), 300, seed=4).features
    expected = trained.pipeline.predict_proba(rows)[:, 1]
    assert np.allclose(trained.predict(rows), expected, atol=1e-5)
    assert np.allclose(trained.predict(rows.reshape(3, 100, -1)).ravel(), expected, atol=1e-5)


def test_saved_with_skops_beside_a_model_card_and_loaded_back(tmp_path):
    path = mm.save(quick_model(), tmp_path)
    assert path.name == "suggestions.skops"
    card = json.loads((tmp_path / "model_card.json").read_text(encoding="utf-8"))
    assert card["chosen"] == quick_model().card["chosen"] and len(card["sha256"]) == 64
    markdown = (tmp_path / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "synthetic data" in markdown and "ROC AUC" in markdown and "Brier" in markdown and "scikit-learn" in markdown
    loaded = mm.load(tmp_path)
    rows = outcomes.generate(market(), 200, seed=9).features
    assert np.allclose(loaded.predict(rows), quick_model().predict(rows))
    assert loaded.card["version"] == f"{quick_model().version}-{card['sha256'][:8]}"


def test_a_file_with_types_outside_the_allow_list_is_refused(tmp_path):
    sio.dump({"model": fractions.Fraction(1, 3)}, tmp_path / mm.MODEL_FILE)
    with pytest.raises(mm.ModelNotTrusted) as refused:
        mm.load(tmp_path)
    assert "fractions.Fraction" in refused.value.english()


def test_no_model_yet_is_a_plain_message(tmp_path):
    with pytest.raises(mm.ModelNotTrained):
        mm.load(tmp_path)


def test_retraining_on_outcomes_needs_two_hundred_and_compares_old_and_new():
    cohort = outcomes.generate(market(), 400, seed=31)
    x, y = cohort.features, cohort.outcome.astype(int)
    with pytest.raises(mm.NotEnoughOutcomes) as refused:
        mm.train_on_outcomes(x[:199], y[:199], previous=quick_model())
    assert refused.value.params == {"count": 199, "minimum": 200}
    new = mm.train_on_outcomes(x[:250], y[:250], previous=mm.load(quick_model_dir()), folds=3)
    assert new.card["training_data"] == {"source": "programme_outcomes", "rows": 250, "positive_share": pytest.approx(y[:250].mean())}
    previous = new.card["previous"]
    assert previous["version"].startswith(quick_model().version) and previous["training_data"] == "synthetic"
    assert 0 < previous["on_this_data"]["brier"] < 1
    assert "Compared with the previous model" in mm.card_markdown(new.card)


def test_the_card_is_for_signed_in_people(tmp_path):
    from incubator.core.access import Actor
    from incubator.core.errors import NotAllowed

    mm.save(quick_model(), tmp_path)
    assert mm.load_card(tmp_path, actor=Actor(1, "newcomer"))["chosen"] == quick_model().card["chosen"]
    with pytest.raises(NotAllowed):
        mm.load_card(tmp_path, actor=None)
