"""Scoring a whole cohort at once, fast: the same features, model and picks as
`ranking.scores_and_fits` and `ranking.diverse_top_many`, with the work arranged for many people.

Measured at 100,000 people (benchmarks/bench_scoring.py), three things cost most and are done
differently here, none of them changing the arithmetic of a score:
- OpenBLAS starts a thread per core for every matrix product and lets it spin while it waits; on a
  small shared machine those threads burned about three times the CPU of the products themselves.
  The products here are small (people x 99 skill groups x 68 ventures), so they run on one thread.
- Chunks of people are slices (views), not copies made with an index array.
- The top five come from a partial selection (argpartition) with ties broken by venture order,
  exactly as the stable full sort picks them, instead of sorting every venture of every person.
Reasons and improvements, which cost milliseconds a person, are built only when asked for, for one
person's picks at a time (`CohortScores.suggestions`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from incubator.market.arrays import Market
from incubator.suggestions import barriers as bx
from incubator.suggestions import features as fx
from incubator.suggestions import ranking
from incubator.suggestions.model import TrainedModel

CHUNK = 8192  # people a chunk: (8192, 68, 15) float32 features are 33 MB
FEW = 12  # up to this many picks, passes of argmax; more, one sort


def _one_blas_thread():
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _rows(people: fx.People, start: int, stop: int) -> fx.People:
    """People start..stop-1 as views into the arrays (no copy)."""
    part = slice(start, stop)
    return fx.People(people.ids[part], *(getattr(people, name)[part] for name in fx._ARRAY_FIELDS))


def scores_and_fits(model: TrainedModel, market: Market, people: fx.People, *,
                    chunk: int = CHUNK) -> tuple[np.ndarray, np.ndarray]:
    """(N, V) estimates and (N, V) fits, as `ranking.scores_and_fits` computes them."""
    n = len(people)
    scores = np.empty((n, market.n_ventures), np.float32)
    fits = np.empty((n, market.n_ventures), np.float32)
    with _one_blas_thread():
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            x = fx.features_grid(market, _rows(people, start, stop))
            scores[start:stop], fits[start:stop] = model.predict(x), bx.fit(x)
    return scores, fits


def _first_k(masked: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(N, k) indices of each row's k largest values, largest first, ties in index order (the first k
    of a stable argsort of -masked), and (N, k) whether each is above -inf. k passes of argmax (which
    takes the first of equal values) over short rows cost less than sorting whole rows or NumPy's
    argpartition, which is slow on many short rows."""
    if k > FEW:
        order = np.argsort(-masked, axis=1, kind="stable")[:, :k]
        return order, np.take_along_axis(masked, order, axis=1) > -np.inf
    work, rows = masked.copy(), np.arange(masked.shape[0])
    order = np.empty((masked.shape[0], k), np.int64)
    valid = np.empty((masked.shape[0], k), bool)
    for j in range(k):
        order[:, j] = best = work.argmax(axis=1)
        valid[:, j] = work[rows, best] > -np.inf
        work[rows, best] = -np.inf
    return order, valid


def diverse_top_many(scores: np.ndarray, family: np.ndarray, allowed: np.ndarray, top: int) -> np.ndarray:
    """The same (N, top) picks as `ranking.diverse_top_many` (-1 where fewer ventures are allowed),
    the first k found without sorting whole rows."""
    masked = np.where(allowed, scores, -np.inf)
    order, valid = _first_k(masked, min(top, scores.shape[1]))
    return np.where(valid, ranking.with_another_family(masked, order, valid, family), -1)


@dataclass(frozen=True, eq=False)
class CohortScores:
    """A cohort scored at once: every estimate, and each person's picks (indices into the market's
    ventures, -1 for none). Reasons and improvements are built on demand, one person at a time."""

    model: TrainedModel
    market: Market
    people: fx.People
    scores: np.ndarray  # (N, V)
    chosen: np.ndarray  # (N, top)

    def picks(self, i: int) -> list[tuple[int, float]]:
        return [(int(v), float(self.scores[i, v])) for v in self.chosen[i] if v >= 0]

    def suggestions(self, i: int) -> list[ranking.Suggestion]:
        """Person i's picks with reasons, improvements, licences, funding and market figures (as
        `ranking.suggest` words them), with the scores of the cohort run."""
        person = self.people.take([i])
        x = fx.features_grid(self.market, person)[0]
        chosen = [int(v) for v in self.chosen[i] if v >= 0]
        return ranking._suggestions(self.model, self.market, person, x, self.scores[i], chosen)


def score_people(model: TrainedModel, market: Market, people: fx.People, *, top: int = ranking.TOP) -> CohortScores:
    """Score and rank many people at once; the picks are those of `ranking.top_for_many`."""
    scores, fits = scores_and_fits(model, market, people)
    allowed = ranking.eligible(market, people) & bx.related(fits)
    return CohortScores(model, market, people, scores, diverse_top_many(scores, market.family, allowed, top))
