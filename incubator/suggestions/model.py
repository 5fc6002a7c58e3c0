"""The suggestion model: a scikit-learn Pipeline that estimates the chance that a venture is launched
and still running after 12 months. Two candidates are compared by scikit-learn's cross-validation
(ROC AUC, Brier score, calibration): a logistic regression whose coefficients keep their signs
(incubator.suggestions.estimator) and a gradient-boosting model with monotonic constraints (more
matching skill never lowers the score; a larger language or capital gap never raises it). The chosen
one is saved with skops (loading a pickle runs code; skops loads only allowed types) beside a model
card in JSON and Markdown that records each file's SHA-256.

Importing scikit-learn and skops takes seconds (skops builds its list of trusted types by importing
every scikit-learn estimator, and with them scikit-learn's testing helpers and pytest). A chosen
logistic regression therefore also writes what `predict` needs (one weight a feature and an
intercept) as JSON beside it: the app scores from that file, checked against its digest in the card,
and reads the skops file, with its type check, only when the pipeline itself is asked for.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from incubator.core.access import Actor, require
from incubator.core.errors import DomainError
from incubator.core.i18n import N_, N_plural
from incubator.suggestions import features as fx

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

    from incubator.market.arrays import Market

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
MODEL_FILE, CARD_JSON, CARD_MARKDOWN = "suggestions.skops", "model_card.json", "MODEL_CARD.md"
LINEAR_FILE = "suggestions_linear.json"
TRAINING_SEED = 20261128
TRAINING_ROWS = 30_000
MIN_OUTCOMES = 200
# Types a model file may hold beyond those skops trusts itself, named one by one. Anything else is
# refused before it is loaded.
ALLOWED_TYPES = frozenset({
    "incubator.suggestions.estimator.SignConstrainedLogisticRegression",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
})
CANDIDATES = ("logistic_regression", "gradient_boosting")
# A simpler, faster model is kept unless the other is better by more than this.
MIN_AUC_GAIN, MIN_BRIER_GAIN = 0.005, 0.001


class ModelNotTrained(DomainError):
    default_key = N_("No suggestion model has been trained yet. Run: python -m incubator train")


class ModelNotTrusted(DomainError):
    default_key = N_("The model file {path} holds types that are not allowed ({types}); it was not loaded.")


class ModelFileChanged(DomainError):
    default_key = N_("The model file {path} does not match the SHA-256 checksum in its model card; it was not "
                     "loaded. Train the model again: python -m incubator train")


class NotEnoughOutcomes(DomainError):
    default_key = N_plural("Only {count} programme outcome is recorded; retraining needs at least {minimum}.",
                           "Only {count} programme outcomes are recorded; retraining needs at least {minimum}.")


def candidate(name: str, *, seed: int = 0) -> Pipeline:
    """An unfitted candidate: everything it needs to keep its promises is in its parameters, so
    scikit-learn's clone (and with it cross-validation) keeps them."""
    from sklearn.pipeline import Pipeline

    if name == "logistic_regression":
        from sklearn.preprocessing import StandardScaler

        from incubator.suggestions.estimator import SignConstrainedLogisticRegression

        return Pipeline([("scale", StandardScaler()),
                         ("model", SignConstrainedLogisticRegression(monotonic=fx.MONOTONIC, C=1.0, max_iter=2000))])
    from sklearn.ensemble import HistGradientBoostingClassifier

    return Pipeline([("model", HistGradientBoostingClassifier(
        monotonic_cst=list(fx.MONOTONIC), max_iter=150, learning_rate=0.08, max_leaf_nodes=15,
        min_samples_leaf=40, l2_regularization=1.0, early_stopping=False, random_state=seed))])


def _threads(name: str):
    if name == "logistic_regression":
        return nullcontext()
    from threadpoolctl import threadpool_limits

    # Small trees on tens of thousands of rows: OpenMP threads cost more in synchronisation than they
    # gain (and fight other processes on a small machine).
    return threadpool_limits(limits=1, user_api="openmp")


def fit(name: str, x: np.ndarray, y: np.ndarray, *, seed: int = 0) -> Pipeline:
    """Fit a candidate on all rows."""
    with _threads(name):
        return candidate(name, seed=seed).fit(x, y)


@dataclass(frozen=True, eq=False)
class LinearScores:
    """A standardising logistic regression folded into one weight per (unscaled) feature and an
    intercept: the same estimates as its predict_proba, for arrays of any shape (..., F), without
    copying (N, V, F) into rows and without importing scikit-learn."""

    weights: np.ndarray  # (F,)
    intercept: float

    @classmethod
    def of(cls, pipeline: Pipeline) -> LinearScores | None:
        steps = pipeline.named_steps
        scale, model = steps.get("scale"), steps.get("model")
        if len(steps) != 2 or scale is None or not hasattr(model, "coef_"):
            return None
        coef = np.asarray(model.coef_[0], np.float64)
        return cls(coef / scale.scale_, float(model.intercept_[0] - np.dot(scale.mean_ / scale.scale_, coef)))

    def to_json(self) -> str:
        return json.dumps({"kind": "logistic", "features": list(fx.FEATURE_NAMES),
                           "weights": [float(w) for w in self.weights], "intercept": self.intercept}, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> LinearScores:
        data = json.loads(text)
        return cls(np.array(data["weights"], np.float64), float(data["intercept"]))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = np.einsum("...f,f->...", x, self.weights.astype(np.float32)) + np.float32(self.intercept)
        return 1.0 / (1.0 + np.exp(-z))


class TrainedModel:
    """A fitted pipeline and its model card. Loaded from a folder, the pipeline is read from its skops
    file (after the digest and type checks) only when it is first asked for; a logistic regression
    scores from its LinearScores without it."""

    def __init__(self, pipeline: Pipeline | None, card: dict, *, linear: LinearScores | None = None,
                 path: Path | None = None) -> None:
        self._pipeline, self.card, self._path = pipeline, card, path
        self._linear = linear if linear is not None or pipeline is None else LinearScores.of(pipeline)
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return self.card.get("version", "")

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            with self._lock:
                if self._pipeline is None:
                    self._pipeline = _read_pipeline(self._path, self.card)
        return self._pipeline

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The estimated chance for feature arrays of shape (..., F)."""
        if self._linear is not None:
            return self._linear(x)
        flat = np.ascontiguousarray(x, dtype=np.float32).reshape(-1, x.shape[-1])
        return self.pipeline.predict_proba(flat)[:, 1].reshape(x.shape[:-1])


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
    """Cross-validated ROC AUC and Brier score (scikit-learn's cross_validate, which clones the
    candidate for every fold), a calibration curve from the folds' out-of-fold estimates, and whether
    the model refitted on all rows keeps the monotonic constraints."""
    from sklearn.calibration import calibration_curve
    from sklearn.model_selection import StratifiedKFold, cross_validate

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    with _threads(name):
        cv = cross_validate(candidate(name, seed=seed), x, y, cv=splitter, return_estimator=True,
                            return_indices=True, scoring={"roc_auc": "roc_auc", "brier": "neg_brier_score"})
    out_of_fold = np.zeros(len(y))
    for fold, test_rows in zip(cv["estimator"], cv["indices"]["test"], strict=True):
        out_of_fold[test_rows] = fold.predict_proba(x[test_rows])[:, 1]
    auc, brier = cv["test_roc_auc"], -cv["test_brier"]
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
    from sklearn.metrics import brier_score_loss, roc_auc_score

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
    from incubator.suggestions import synthetic_outcomes as outcomes

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


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save(model: TrainedModel, directory: Path | str = MODELS_DIR) -> Path:
    """Write the model (skops), for a logistic regression its LinearScores (JSON), and the card that
    records both files' SHA-256 (JSON and Markdown) into directory. The card is written last: a
    folder whose card does not name a file's digest is refused on load."""
    import skops.io as sio

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILE
    data = sio.dumps(model.pipeline)
    path.write_bytes(data)
    digest = _sha256(data)
    # Two models trained on one day differ in their file: the version says which one this is.
    version = f"{model.card['date']}-{model.card['training_data']['source']}-{digest[:8]}"
    card = {k: v for k, v in model.card.items() if k not in ("linear_file", "linear_sha256")}
    card |= {"file": MODEL_FILE, "sha256": digest, "version": version}
    linear = LinearScores.of(model.pipeline)
    if linear is not None:
        text = linear.to_json().encode("utf-8")
        (directory / LINEAR_FILE).write_bytes(text)
        card |= {"linear_file": LINEAR_FILE, "linear_sha256": _sha256(text)}
    else:
        (directory / LINEAR_FILE).unlink(missing_ok=True)
    (directory / CARD_JSON).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (directory / CARD_MARKDOWN).write_text(card_markdown(card), encoding="utf-8")
    return path


def _checked_bytes(path: Path, expected: object) -> bytes:
    """The file's content, if its SHA-256 is the one its model card records."""
    data = path.read_bytes() if path.is_file() else b""
    if not isinstance(expected, str) or _sha256(data) != expected:
        raise ModelFileChanged(path=str(path))
    return data


def _read_pipeline(path: Path | None, card: dict) -> Pipeline:
    """The pipeline from its skops file: the bytes that are loaded are the bytes whose digest matches
    the card, and they may hold only the types skops trusts and ALLOWED_TYPES."""
    if path is None:
        raise ModelNotTrained()
    import skops.io as sio

    data = _checked_bytes(path, card.get("sha256"))
    untrusted = set(sio.get_untrusted_types(data=data))
    if untrusted - ALLOWED_TYPES:
        raise ModelNotTrusted(path=str(path), types=", ".join(sorted(untrusted - ALLOWED_TYPES)))
    return sio.loads(data, trusted=sorted(untrusted))


def _open(directory: Path) -> TrainedModel:
    path, card_path = directory / MODEL_FILE, directory / CARD_JSON
    if not card_path.is_file():
        raise ModelFileChanged(path=str(path))
    card = json.loads(card_path.read_text(encoding="utf-8"))
    _checked_bytes(path, card.get("sha256"))
    if card.get("linear_file"):
        text = _checked_bytes(directory / card["linear_file"], card.get("linear_sha256"))
        return TrainedModel(None, card, linear=LinearScores.from_json(text.decode("utf-8")), path=path)
    return TrainedModel(_read_pipeline(path, card), card, path=path)


def _stamp(directory: Path) -> tuple:
    files = (directory / MODEL_FILE, directory / CARD_JSON, directory / LINEAR_FILE)
    return tuple((f.stat().st_mtime_ns, f.stat().st_size) if f.is_file() else None for f in files)


# One loaded model per folder, replaced when its files change. The server's threads load at once:
# the lock makes them share one load instead of each reading (and checking) the files.
_LOADED: dict[str, tuple[tuple, TrainedModel]] = {}
_LOAD_LOCK = threading.Lock()


def load(directory: Path | str = MODELS_DIR) -> TrainedModel:
    """The saved model, after checking each file against the SHA-256 in its model card (cached per
    folder). The skops file's types are checked whenever it is read."""
    directory = Path(directory)
    if not (directory / MODEL_FILE).is_file():
        raise ModelNotTrained()
    key = str(directory.resolve())
    with _LOAD_LOCK:
        stamp = _stamp(directory)
        if key not in _LOADED or _LOADED[key][0] != stamp:
            _LOADED[key] = (stamp, _open(directory))
        return _LOADED[key][1]


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
              fx.skill_credit_note(), "",
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
