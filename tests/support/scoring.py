"""Helpers shared by the scoring tests (no tests here): the market data as arrays, a model trained
in seconds on a small synthetic cohort, and hand-made profiles."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from incubator.core import db
from incubator.market import seed
from incubator.market.arrays import Market, load_market
from incubator.people.profile import Profile
from incubator.suggestions import model as mm
from incubator.suggestions import synthetic_outcomes as outcomes

_FOLDER = tempfile.TemporaryDirectory(prefix="scoring-tests-")

TAILOR = {
    "id": "P-000001", "municipality": "GM0344",
    "languages": [{"code": "nl", "cefr": "A2"}, {"code": "ar", "cefr": "C2"}],
    "experience": [{"isco": "7531", "years": 15}],
    "skills": [{"esco_group": "S6.5.6", "level": 4}],
    "interests": {"R": 80, "A": 70, "I": 40, "S": 50, "E": 45, "C": 40},
    "capital_eur": 1000, "hours_per_week": 36, "home_based_only": False, "on_benefit": True,
}
COOK = {
    "id": "P-000002", "municipality": "GM0363",
    "languages": [{"code": "nl", "cefr": "A1"}, {"code": "ti", "cefr": "C2"}, {"code": "en", "cefr": "B1"}],
    "experience": [{"isco": "5120", "years": 8}],
    "skills": [{"esco_group": "S3.5.1", "level": 4}, {"esco_group": "T6.4", "level": 3}],
    "interests": {"R": 60, "E": 70, "S": 60}, "capital_eur": 0, "hours_per_week": 20,
}


def profile(base: dict = TAILOR, **changes: object) -> Profile:
    return Profile.from_dict(base | changes)


def with_market(cur):
    """The market data loaded into this (migrated) database."""
    seed.load_market_data(cur)
    return cur


@cache
def market() -> Market:
    con = db.connect(Path(_FOLDER.name) / "market.duckdb")
    try:
        return load_market(with_market(con.cursor()))
    finally:
        con.close()


@cache
def quick_model() -> mm.TrainedModel:
    """Both candidates compared on 4,000 synthetic participants with 3 folds (seconds, not minutes)."""
    cohort = outcomes.generate(market(), 4000, seed=11)
    data = {"source": "synthetic", "rows": 4000, "seed": 11, "positive_share": float(cohort.outcome.mean())}
    return mm.train(cohort.features, cohort.outcome.astype(int), training_data=data, folds=3, seed=11,
                    market_version=market().version)


def quick_model_dir() -> Path:
    """The quick model saved with skops beside its card."""
    folder = Path(_FOLDER.name) / "models"
    if not (folder / mm.MODEL_FILE).exists():
        mm.save(quick_model(), folder)
    return folder
