"""The model: the sign-constrained logistic regression as a scikit-learn estimator (clone and
cross-validation keep its constraint; scikit-learn's estimator checks pass), both candidates compared
by cross-validation, monotonic promises kept, saved with skops beside a model card that holds each
file's SHA-256, loaded only when the digests match and the file holds allowed types, scored without
importing scikit-learn; retraining on outcomes."""

from __future__ import annotations

import fractions
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate
from sklearn.utils.estimator_checks import parametrize_with_checks

from incubator.core.i18n import translate
from incubator.suggestions import features as fx
from incubator.suggestions import model as mm
from incubator.suggestions import synthetic_outcomes as outcomes
from incubator.suggestions.estimator import SignConstrainedLogisticRegression
from tests.support.app import ROOT
from tests.support.scoring import market, profile, quick_model, quick_model_dir


def against_the_grain(rows: int = 2000, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Data in which the first feature lowers the chance although it is declared never to lower it:
    an unconstrained fit gives it a negative coefficient."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 3))
    y = (rng.random(rows) < 1 / (1 + np.exp(-(-1.5 * x[:, 0] + 1.0 * x[:, 1] - 0.5 * x[:, 2])))).astype(int)
    return x, y


SIGNS = (1, 1, -1)


def test_clone_and_cross_validation_keep_the_sign_constraint():
    x, y = against_the_grain()
    assert LogisticRegression().fit(x, y).coef_[0, 0] < 0  # the data pull the first coefficient below zero
    constrained = SignConstrainedLogisticRegression(monotonic=SIGNS)
    assert clone(constrained).get_params() == {"monotonic": SIGNS, "C": 1.0, "max_iter": 2000}
    folds = cross_validate(constrained, x, y, cv=4, return_estimator=True)["estimator"]
    for fold in folds:
        assert fold is not constrained and fold.monotonic == SIGNS
        assert (fold.coef_[0] * np.array(SIGNS) >= 0).all(), fold.coef_
        assert fold.coef_[0, 0] == 0 and list(fold.zeroed_features_) == [0]
        assert fold.coef_[0, 1] > 0 and fold.coef_[0, 2] < 0
    assert constrained.fit(x, y) is constrained


def test_the_candidate_pipeline_keeps_its_signs_in_every_fold():
    cohort = outcomes.generate(market(), 3000, seed=21)
    x, y = cohort.features, cohort.outcome.astype(int)
    folds = cross_validate(mm.candidate("logistic_regression"), x, y, cv=3, return_estimator=True)["estimator"]
    signs = np.array(fx.MONOTONIC)
    for fold in folds:
        assert isinstance(fold.named_steps["model"], SignConstrainedLogisticRegression)
        assert (fold.named_steps["model"].coef_[0] * signs >= 0).all()


def test_with_every_feature_against_its_sign_only_the_intercept_is_left():
    x, y = against_the_grain()
    fitted = SignConstrainedLogisticRegression(monotonic=(1, -1, 1)).fit(x, y)
    assert (fitted.coef_ == 0).all() and list(fitted.zeroed_features_) == [0, 1, 2]
    assert np.allclose(fitted.predict_proba(x)[:, 1], y.mean())


def test_a_constraint_of_the_wrong_length_is_refused_when_fitting():
    x, y = against_the_grain()
    with pytest.raises(ValueError, match="one entry of -1, 0 or 1 per feature"):
        SignConstrainedLogisticRegression(monotonic=(1, 1)).fit(x, y)


def _check_name(check) -> str:
    return getattr(check, "func", check).__name__


# SciPy reads SCIPY_ARRAY_API once, when it is first imported, and that check skips itself without
# it: it runs in an interpreter of its own instead (setting the variable here would change SciPy for
# every other test).
IN_ITS_OWN_PROCESS = "check_array_api_input"


@parametrize_with_checks([SignConstrainedLogisticRegression()])
def test_scikit_learns_estimator_checks_pass(estimator, check):
    if _check_name(check) != IN_ITS_OWN_PROCESS:
        check(estimator)
        return
    code = (f"from sklearn.utils.estimator_checks import {IN_ITS_OWN_PROCESS} as check\n"
            "from incubator.suggestions.estimator import SignConstrainedLogisticRegression as Estimator\n"
            f"check(*{check.args!r}, Estimator(), **{check.keywords!r})\nprint('passed')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=os.environ | {"SCIPY_ARRAY_API": "1"})
    assert done.returncode == 0 and done.stdout.strip() == "passed", done.stderr


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
    trained, loaded = quick_model(), mm.load(quick_model_dir())
    rows = outcomes.generate(market(), 300, seed=4).features
    expected = trained.pipeline.predict_proba(rows)[:, 1]
    for model in (trained, loaded):
        assert np.allclose(model.predict(rows), expected, atol=1e-5)
        assert np.allclose(model.predict(rows.reshape(3, 100, -1)).ravel(), expected, atol=1e-5)
    assert np.allclose(loaded.pipeline.predict_proba(rows)[:, 1], expected)


def test_scoring_a_saved_logistic_regression_needs_neither_scikit_learn_nor_skops():
    code = ("import sys\nimport numpy as np\nfrom incubator.suggestions import model\n"
            f"trained = model.load({str(quick_model_dir())!r})\n"
            "print(trained.predict(np.ones((2, 4, len(model.fx.FEATURES)), np.float32)).shape)\n"
            "print(sorted(m for m in ('sklearn', 'skops', 'scipy') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["(2, 4)", "[]"]


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


def crafted(folder, content: object, **card: object):
    """A model file holding `content`, beside a card that names its true SHA-256."""
    folder.mkdir(exist_ok=True)
    data = sio.dumps(content)
    (folder / mm.MODEL_FILE).write_bytes(data)
    (folder / mm.CARD_JSON).write_text(json.dumps({"sha256": hashlib.sha256(data).hexdigest(), **card}))
    return folder


def test_a_file_with_types_outside_the_allow_list_is_refused(tmp_path):
    crafted(tmp_path, {"model": fractions.Fraction(1, 3)})
    with pytest.raises(mm.ModelNotTrusted) as refused:
        mm.load(tmp_path)
    assert "fractions.Fraction" in refused.value.english()


def test_the_constrained_model_is_trusted_because_the_allow_list_names_it(tmp_path):
    # skops itself does not trust the class: the allow list names it, and nothing else of ours.
    assert sio.get_untrusted_types(file=quick_model_dir() / mm.MODEL_FILE) == [
        "incubator.suggestions.estimator.SignConstrainedLogisticRegression"]
    crafted(tmp_path, {"pipeline": quick_model().pipeline, "extra": fractions.Fraction(2, 3)})
    with pytest.raises(mm.ModelNotTrusted) as refused:
        mm.load(tmp_path)
    assert refused.value.params["types"] == "fractions.Fraction"


@pytest.mark.parametrize("name", [mm.MODEL_FILE, mm.LINEAR_FILE])
def test_a_file_that_differs_from_the_digest_in_its_card_is_refused(tmp_path, name):
    folder = shutil.copytree(quick_model_dir(), tmp_path / "copy")
    assert mm.load(folder).version == quick_model().card["version"] + "-" + mm.load(folder).card["sha256"][:8]
    data = bytearray((folder / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (folder / name).write_bytes(bytes(data))
    with pytest.raises(mm.ModelFileChanged) as refused:
        mm.load(folder)
    assert refused.value.params == {"path": str(folder / name)}
    arabic = translate(refused.value.message_key, "ar", **refused.value.params)
    assert "SHA-256" in refused.value.english() and "SHA-256" in arabic and arabic != refused.value.english()


@pytest.mark.parametrize("missing", [mm.CARD_JSON, mm.LINEAR_FILE])
def test_a_model_without_its_card_or_without_the_file_its_card_names_is_refused(tmp_path, missing):
    folder = shutil.copytree(quick_model_dir(), tmp_path / "copy")
    (folder / missing).unlink()
    with pytest.raises(mm.ModelFileChanged):
        mm.load(folder)


def test_a_pipeline_the_check_refuses_is_never_read_even_when_scores_come_from_the_fast_form(tmp_path):
    folder = shutil.copytree(quick_model_dir(), tmp_path / "copy")
    card = json.loads((folder / mm.CARD_JSON).read_text())
    data = sio.dumps({"model": fractions.Fraction(1, 3)})
    (folder / mm.MODEL_FILE).write_bytes(data)
    (folder / mm.CARD_JSON).write_text(json.dumps(card | {"sha256": hashlib.sha256(data).hexdigest()}))
    loaded = mm.load(folder)
    assert loaded.predict(np.zeros((1, len(fx.FEATURES)), np.float32)).shape == (1,)
    with pytest.raises(mm.ModelNotTrusted):
        _ = loaded.pipeline


def test_a_gradient_boosting_model_is_saved_without_a_fast_form_and_loaded_from_skops(tmp_path):
    shutil.copytree(quick_model_dir(), tmp_path, dirs_exist_ok=True)
    cohort = outcomes.generate(market(), 1500, seed=23)
    boosted = mm.TrainedModel(mm.fit("gradient_boosting", cohort.features, cohort.outcome.astype(int)),
                              quick_model().card | {"chosen": "gradient_boosting"})
    mm.save(boosted, tmp_path)
    assert not (tmp_path / mm.LINEAR_FILE).exists() and "linear_sha256" not in mm.load(tmp_path).card
    rows = outcomes.generate(market(), 100, seed=24).features
    assert np.allclose(mm.load(tmp_path).predict(rows), boosted.pipeline.predict_proba(rows)[:, 1])


def test_thirty_threads_loading_at_once_share_one_model(tmp_path):
    folder = shutil.copytree(quick_model_dir(), tmp_path / "copy")
    start, found, failed = threading.Barrier(30), [], []

    def one() -> None:
        start.wait()
        try:
            trained = mm.load(folder)
            found.append((trained, trained.pipeline))
        except Exception as exc:  # noqa: BLE001 - reported below
            failed.append(exc)

    threads = [threading.Thread(target=one) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed and len(found) == 30
    assert len({id(t) for t, _ in found}) == 1 and len({id(p) for _, p in found}) == 1


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
