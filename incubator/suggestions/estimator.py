"""A logistic regression whose coefficients keep the signs they are told to keep, as a scikit-learn
estimator: its parameters stay verbatim in `__init__` and everything learned ends in `_`, so `clone`,
`Pipeline` and scikit-learn's cross-validation keep the constraint (an unfitted `LogisticRegression`
with coefficients poked into it would lose it at the first `clone`).

It lives apart from incubator.suggestions.model because importing scikit-learn takes seconds: the
app scores with the model's plain arithmetic and reads this class only when it needs the pipeline.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data


class SignConstrainedLogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary logistic regression with sign constraints on its coefficients.

    monotonic: one entry per feature: +1, the coefficient is never negative (a higher value never
    lowers the estimate); -1, never positive; 0 (or monotonic=None for every feature), free. A
    feature whose coefficient takes the wrong sign is fixed at zero and the others are refitted,
    until every sign is allowed; `zeroed_features_` says which were fixed.
    """

    def __init__(self, monotonic=None, C=1.0, max_iter=2000):
        self.monotonic = monotonic
        self.C = C
        self.max_iter = max_iter

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # One coefficient per feature and one sign per coefficient: a constraint means nothing for
        # the separate coefficients of several classes.
        tags.classifier_tags.multi_class = False
        return tags

    def _signs(self, n_features: int) -> np.ndarray:
        if self.monotonic is None:
            return np.zeros(n_features)
        signs = np.asarray(self.monotonic, dtype=float).ravel()
        if len(signs) != n_features or not np.isin(signs, (-1, 0, 1)).all():
            raise ValueError(f"monotonic needs one entry of -1, 0 or 1 per feature ({n_features}), got {self.monotonic!r}")
        return signs

    def fit(self, X, y):
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32])
        check_classification_targets(y)
        target = type_of_target(y, input_name="y", raise_unknown=True)
        if target != "binary":
            raise ValueError(f"Only binary classification is supported. The type of the target is {target}.")
        self.classes_ = np.unique(y)
        signs = self._signs(X.shape[1])
        keep = np.ones(X.shape[1], bool)
        coef, intercept, n_iter = np.zeros(X.shape[1]), 0.0, 0
        while keep.any():
            part = LogisticRegression(C=self.C, max_iter=self.max_iter).fit(X[:, keep], y)
            coef = np.zeros(X.shape[1])
            coef[keep] = part.coef_[0]
            intercept, n_iter = float(part.intercept_[0]), int(part.n_iter_[0])
            wrong = coef * signs < 0
            if not wrong.any():
                break
            keep &= ~wrong
        else:
            # Every feature fixed at zero: what is left is the share of the second class.
            share = float(np.mean(y == self.classes_[1]))
            coef = np.zeros(X.shape[1])
            intercept = float(np.log(share / (1 - share)))
        self.coef_ = coef[None, :]
        self.intercept_ = np.array([intercept])
        self.zeroed_features_ = np.flatnonzero(~keep)
        self.n_iter_ = np.array([n_iter])
        return self

    def decision_function(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X):
        chance = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - chance, chance])

    def predict(self, X):
        check_is_fitted(self)
        return self.classes_[(self.decision_function(X) > 0).astype(int)]
