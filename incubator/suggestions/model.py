"""The suggestion model: a scikit-learn Pipeline that estimates the chance that a venture is launched
and still running after 12 months. Two candidates are compared by cross-validation (ROC AUC, Brier
score, calibration): a logistic regression and a gradient-boosting model with monotonic constraints
(more matching skill never lowers the score; a larger language or capital gap never raises it). The
chosen one is saved with skops (loading a pickle runs code; skops loads only allowed types) beside a
model card in JSON and Markdown."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import skops.io as sio
from sklearn.calibration import calibration_curve
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from incubator.core.access import Actor, require
from incubator.core.errors import DomainError
from incubator.core.i18n import N_, N_plural
from incubator.market.arrays import Market
from incubator.suggestions import features as fx
from incubator.suggestions import synthetic_outcomes as outcomes

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
MODEL_FILE, CARD_JSON, CARD_MARKDOWN = "suggestions.skops", "model_card.json", "MODEL_CARD.md"
TRAINING_SEED = 20261128
TRAINING_ROWS = 30_000
MIN_OUTCOMES = 200
# Types a model file may hold beyond those skops trusts itself. Anything else is refused.
ALLOWED_TYPES = frozenset({"sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"})
CANDIDATES = ("logistic_regression", "gradient_boosting")
# A simpler, faster model is kept unless the other is better by more than this.
MIN_AUC_GAIN, MIN_BRIER_GAIN = 0.005, 0.001


class ModelNotTrained(DomainError):
    default_key = N_("No suggestion model has been trained yet. Run: python -m incubator train")


class ModelNotTrusted(DomainError):
    default_key = N_("The model file {path} holds types that are not allowed ({types}); it was not loaded.")


class NotEnoughOutcomes(DomainError):
    default_key = N_plural("Only {count} programme outcome is recorded; retraining needs at least {minimum}.",
                           "Only {count} programme outcomes are recorded; retraining needs at least {minimum}.")


def candidate(name: str, *, seed: int = 0) -> Pipeline:
    if name == "logistic_regression":
        return Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(C=1.0, max_iter=2000))])
    return Pipeline([("model", HistGradientBoostingClassifier(
        monotonic_cst=list(fx.MONOTONIC), max_iter=150, learning_rate=0.08, max_leaf_nodes=15,
        min_samples_leaf=40, l2_regularization=1.0, early_stopping=False, random_state=seed))])


def fit(name: str, x: np.ndarray, y: np.ndarray, *, seed: int = 0) -> Pipeline:
    """Fit a candidate. The logistic regression keeps its monotonic promises by construction: a
    feature whose coefficient takes the wrong sign is fixed at zero and the others are refitted."""
    if name != "logistic_regression":
        # Small trees on tens of thousands of rows: OpenMP threads cost more in synchronisation than
        # they gain (and fight other processes on a small machine).
        with threadpool_limits(limits=1, user_api="openmp"):
            return candidate(name, seed=seed).fit(x, y)
    pipeline = candidate(name, seed=seed)
    scale, monotonic = pipeline.named_steps["scale"].fit(x), np.array(fx.MONOTONIC)
    z, keep = scale.transform(x), np.ones(x.shape[1], bool)
    while True:
        part = LogisticRegression(C=1.0, max_iter=2000).fit(z[:, keep], y)
        coef = np.zeros(x.shape[1])
        coef[keep] = part.coef_[0]
        wrong = coef * monotonic < 0
        if not wrong.any():
            break
        keep &= ~wrong
    model = pipeline.named_steps["model"]
    model.coef_, model.intercept_, model.classes_ = coef[None, :], part.intercept_, part.classes_
    model.n_features_in_, model.n_iter_ = x.shape[1], part.n_iter_
    return pipeline


@dataclass(frozen=True, eq=False)
class TrainedModel:
    pipeline: Pipeline
    card: dict

    @property
    def version(self) -> str:
        return self.card.get("version", "")

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The estimated chance for feature arrays of shape (..., F)."""
        shape = x.shape[:-1]
        steps = self.pipeline.named_steps
        if isinstance(steps.get("model"), LogisticRegression) and "scale" in steps:
            # The same arithmetic as predict_proba, without copying (N, V, F) into rows.
            scale, model = steps["scale"], steps["model"]
            coef = (model.coef_[0] / scale.scale_).astype(np.float32)
            intercept = float(model.intercept_[0] - np.dot(scale.mean_ / scale.scale_, model.coef_[0]))
            z = np.einsum("...f,f->...", x, coef) + np.float32(intercept)
            return 1.0 / (1.0 + np.exp(-z))
        flat = np.ascontiguousarray(x, dtype=np.float32).reshape(-1, x.shape[-1])
        return self.pipeline.predict_proba(flat)[:, 1].reshape(shape)


def monotonic_violations(predict, x: np.ndarray, *, step: float = 1.0) -> dict[str, int]:
    """For each constrained feature: how many rows would move against its constraint when the
    feature grows by `step` (0 everywhere for a model that keeps its promises)."""
    base = predict(x)
    found = {}
    for f, feature in enumerate(fx.FEATURES):
        if feature.monotonic:
            moved = x.copy()
            moved[:, f] += step
            change = (predict(moved) - base) * feature.monotonic
            found[feature.name] = int((change < -1e-9).sum())
    return found


def evaluate(name: str, x: np.ndarray, y: np.ndarray, *, folds: int = 5, seed: int = 0) -> dict:
    """Cross-validated ROC AUC and Brier score, a calibration curve from out-of-fold estimates, and
    whether the refitted model keeps the monotonic constraints."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    out_of_fold, auc, brier = np.zeros(len(y)), [], []
    for train_rows, test_rows in splitter.split(x, y):
        fold = fit(name, x[train_rows], y[train_rows], seed=seed)
        out_of_fold[test_rows] = fold.predict_proba(x[test_rows])[:, 1]
        auc.append(roc_auc_score(y[test_rows], out_of_fold[test_rows]))
        brier.append(brier_score_loss(y[test_rows], out_of_fold[test_rows]))
    observed, predicted = calibration_curve(y, out_of_fold, n_bins=10, strategy="quantile")
    fitted = fit(name, x, y, seed=seed)
    sample = x[np.random.default_rng(seed).choice(len(x), size=min(len(x), 2000), replace=False)]
    violations = monotonic_violations(TrainedModel(fitted, {}).predict, sample)
    return {
        "roc_auc": float(np.mean(auc)), "roc_auc_sd": float(np.std(auc)),
        "brier": float(np.mean(brier)), "brier_sd": float(np.std(brier)),
        "calibration": {"predicted": [round(float(p), 4) for p in predicted],
                        "observed": [round(float(o), 4) for o in observed]},
        "monotonic": not any(violations.values()), "monotonic_violations": violations, "_fitted": fitted,
    }


def choose(results: dict[str, dict]) -> str:
    """The candidate to keep: it must keep the monotonic promises; the logistic regression (simpler,
    faster, its reasons easier to follow) unless the other is clearly better."""
    keeping = [name for name in CANDIDATES if results[name]["monotonic"]] or list(CANDIDATES)
    best = min(keeping, key=lambda name: results[name]["brier"])
    simple = CANDIDATES[0]
    if simple in keeping and best != simple:
        gain_auc = results[best]["roc_auc"] - results[simple]["roc_auc"]
        gain_brier = results[simple]["brier"] - results[best]["brier"]
        if gain_auc < MIN_AUC_GAIN and gain_brier < MIN_BRIER_GAIN:
            return simple
    return best


def _versions() -> dict[str, str]:
    import duckdb
    import sklearn
    import skops

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__, "numpy": np.__version__,
            "skops": skops.__version__, "duckdb": duckdb.__version__}


def train(x: np.ndarray, y: np.ndarray, *, training_data: dict, folds: int = 5, seed: int = 0,
          previous: TrainedModel | None = None, market_version: str | None = None,
          today: dt.date | None = None) -> TrainedModel:
    """Compare the candidates, keep one, and describe it in a model card."""
    results = {name: evaluate(name, x, y, folds=folds, seed=seed) for name in CANDIDATES}
    chosen = choose(results)
    fitted = results[chosen]["_fitted"]
    reference = np.median(x, axis=0)
    card = {
        "version": f"{(today or dt.date.today()).isoformat()}-{training_data['source']}",
        "date": (today or dt.date.today()).isoformat(),
        "purpose": "Estimate the chance that a venture is launched and still running after 12 months, as "
                   "material for a conversation between a newcomer and a mentor; never a screening verdict.",
        "target": "venture launched and still running after 12 months",
        "training_data": training_data,
        "features": [{"name": f.name, "label": f.label, "monotonic": f.monotonic, "reference": float(reference[i])}
                     for i, f in enumerate(fx.FEATURES)],
        "never_features": ["nationality", "ethnicity", "religion", "gender", "age", "country of origin"],
        "candidates": {name: {k: v for k, v in r.items() if not k.startswith("_")} for name, r in results.items()},
        "chosen": chosen,
        "cross_validation_folds": folds,
        "libraries": _versions(),
        "market_dataset": market_version,
    }
    if chosen == "logistic_regression":
        steps = fitted.named_steps
        card["coefficients_standardised"] = dict(zip(fx.FEATURE_NAMES, map(float, steps["model"].coef_[0]), strict=True))
    if previous is not None:
        old = previous.predict(x)
        card["previous"] = {"version": previous.version, "chosen": previous.card.get("chosen"),
                            "training_data": previous.card.get("training_data", {}).get("source"),
                            "cross_validated": {k: previous.card["candidates"][previous.card["chosen"]][k]
                                                for k in ("roc_auc", "brier")} if "candidates" in previous.card else {},
                            "on_this_data": {"roc_auc": float(roc_auc_score(y, old)) if len(set(y)) > 1 else None,
                                             "brier": float(brier_score_loss(y, old))}}
    return TrainedModel(fitted, card)


def train_synthetic(market: Market, *, rows: int = TRAINING_ROWS, seed: int = TRAINING_SEED, folds: int = 5,
                    previous: TrainedModel | None = None) -> TrainedModel:
    """Train on a synthetic programme cohort from the calibrated generator."""
    cohort = outcomes.generate(market, rows, seed=seed, population="programme")
    reference = outcomes.generate(market, outcomes.CALIBRATION_ROWS, seed=seed + 1, population="reference")
    panteia = cohort.self_employed(36)[cohort.launched].mean()
    training_data = {
        "source": "synthetic", "rows": rows, "seed": seed, "positive_share": float(cohort.outcome.mean()),
        "generator": "incubator/outcomes.py, calibrated to FACTS.md on a reference sample of Dutch starters",
        "calibration_report": outcomes.calibration_report(market, reference),
        "assumptions": {"programme launch rate": outcomes.PROGRAMME_LAUNCH_RATE,
                        "reference share starting from a benefit": outcomes.REFERENCE_ON_BENEFIT},
        "programme_checks": {"launched": float(cohort.launched.mean()),
                             "still self-employed after 36 months, of those launched": float(panteia),
                             "published for non-western founders (Panteia 2014, 3-year survival)": 0.50},
    }
    return train(cohort.features, cohort.outcome.astype(int), training_data=training_data, folds=folds, seed=seed,
                 previous=previous, market_version=market.version)


def train_on_outcomes(x: np.ndarray, y: np.ndarray, *, previous: TrainedModel | None, folds: int = 5) -> TrainedModel:
    """Retrain on the programme's own recorded outcomes (at least MIN_OUTCOMES of them)."""
    if len(y) < MIN_OUTCOMES:
        raise NotEnoughOutcomes(count=len(y), minimum=MIN_OUTCOMES)
    training_data = {"source": "programme_outcomes", "rows": int(len(y)), "positive_share": float(np.mean(y))}
    return train(x, y, training_data=training_data, folds=folds, previous=previous)


def save(model: TrainedModel, directory: Path | str = MODELS_DIR) -> Path:
    """Write the model (skops) and its card (JSON and Markdown) into directory."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILE
    sio.dump(model.pipeline, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    # Two models trained on one day differ in their file: the version says which one this is.
    version = f"{model.card['date']}-{model.card['training_data']['source']}-{digest[:8]}"
    card = dict(model.card, file=MODEL_FILE, sha256=digest, version=version)
    (directory / CARD_JSON).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (directory / CARD_MARKDOWN).write_text(card_markdown(card), encoding="utf-8")
    return path


_LOADED: dict[tuple[str, float], TrainedModel] = {}


def load(directory: Path | str = MODELS_DIR) -> TrainedModel:
    """The saved model, after checking that the file holds only allowed types (cached per file)."""
    path = Path(directory) / MODEL_FILE
    if not path.is_file():
        raise ModelNotTrained()
    key = (str(path.resolve()), path.stat().st_mtime)
    if key not in _LOADED:
        untrusted = set(sio.get_untrusted_types(file=path))
        if untrusted - ALLOWED_TYPES:
            raise ModelNotTrusted(path=str(path), types=", ".join(sorted(untrusted - ALLOWED_TYPES)))
        pipeline = sio.load(path, trusted=sorted(untrusted))
        card_path = path.parent / CARD_JSON
        card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.is_file() else {}
        _LOADED.clear()
        _LOADED[key] = TrainedModel(pipeline, card)
    return _LOADED[key]


def load_card(directory: Path | str = MODELS_DIR, *, actor: Actor | None) -> dict:
    """The model card of the saved model (every signed-in account may read it)."""
    require(actor, "model.view")
    path = Path(directory) / CARD_JSON
    if not path.is_file():
        raise ModelNotTrained()
    return json.loads(path.read_text(encoding="utf-8"))


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def card_markdown(card: dict) -> str:
    """The model card as Markdown, for people reading the repository."""
    data = card["training_data"]
    lines = [
        "# Model card: venture suggestions", "",
        f"Version {card['version']}, trained {card['date']}. **Estimates from a model trained on "
        f"{'synthetic data' if data['source'] == 'synthetic' else 'the programme outcomes'}.**", "",
        f"**Purpose.** {card['purpose']}", "",
        f"**Target.** {card['target']}.", "",
        "## Training data", "",
        f"Source: {data['source']}; {data['rows']:,} rows; share with the outcome {_pct(data['positive_share'])}.",
    ]
    if "calibration_report" in data:
        lines += [f"Generator: {data['generator']} (seed {data['seed']}). Everything it makes is synthetic.", "",
                  "| calibration target | source | target | generated | difference (pp) |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {r['target']} | {r['source']} | {_pct(r['expected'])} | {_pct(r['generated'])} | {r['difference_pp']:+.2f} |"
                  for r in data["calibration_report"]]
        lines += ["", "Assumptions without a published figure: "
                  + "; ".join(f"{k} {_pct(v)}" for k, v in data["assumptions"].items()) + ".",
                  "Plausibility: " + "; ".join(f"{k} {_pct(v)}" for k, v in data["programme_checks"].items()) + "."]
    lines += ["", "## Features", "", "| feature | constraint | reference value |", "| --- | --- | --- |"]
    arrows = {1: "never lowers the score", -1: "never raises the score", 0: "none"}
    lines += [f"| {f['label']} (`{f['name']}`) | {arrows[f['monotonic']]} | {f['reference']:.3g} |" for f in card["features"]]
    lines += ["", "Never features: " + ", ".join(card["never_features"]) + ". Ethnic-entrepreneurship ventures match "
              "on declared languages, cultural skills and network, never on origin.", "",
              f"## Cross-validation ({card['cross_validation_folds']} folds)", "",
              "| model | ROC AUC | Brier score | keeps monotonic constraints |", "| --- | --- | --- | --- |"]
    for name, r in card["candidates"].items():
        mark = " (chosen)" if name == card["chosen"] else ""
        lines.append(f"| {name}{mark} | {r['roc_auc']:.3f} ± {r['roc_auc_sd']:.3f} | {r['brier']:.4f} ± {r['brier_sd']:.4f} | "
                     f"{'yes' if r['monotonic'] else 'no'} |")
    zero = [name for name, value in card.get("coefficients_standardised", {}).items()
            if value == 0 and fx.MONOTONIC[fx.F[name]]]
    if zero:
        lines += ["", "The logistic regression keeps its rules by construction: a feature whose coefficient takes the "
                  "wrong sign is fixed at zero and the rest refitted. Fixed at zero here: "
                  + ", ".join(f"`{name}`" for name in zero) + "."]
    chosen = card["candidates"][card["chosen"]]["calibration"]
    lines += ["", "Calibration of the chosen model (out-of-fold, deciles):", "", "| estimated | observed |", "| --- | --- |"]
    lines += [f"| {_pct(p)} | {_pct(o)} |" for p, o in zip(chosen["predicted"], chosen["observed"], strict=True)]
    if "previous" in card:
        prev = card["previous"]
        lines += ["", "## Compared with the previous model", "",
                  f"Previous: {prev['version']} ({prev['chosen']}, trained on {prev['training_data']}); "
                  f"on this data ROC AUC {prev['on_this_data']['roc_auc'] or float('nan'):.3f}, "
                  f"Brier {prev['on_this_data']['brier']:.4f}."]
    lines += ["", "## Libraries", "", ", ".join(f"{k} {v}" for k, v in card["libraries"].items()),
              "", f"Market dataset: {card.get('market_dataset')}.", ""]
    return "\n".join(lines)
