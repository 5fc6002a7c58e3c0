"""The person's own constraints as barriers, and how well each venture fits their skills and work
experience regardless of those constraints.

A constraint rules a venture out when the person can only work from home and the venture cannot
start at home (its start options, data/ventures.csv), when they have fewer hours a week than the
fewest the venture can start with, or when even its smallest start costs more than their own money,
the Bbz loan (where they qualify) and the largest Qredits microcredit together. Ranking keeps such
ventures out of the suggestions but shows the closest of them with the barrier and what would open
it (incubator.suggestions.ranking.rank), so a constraint never silently hides the best match.

Fit is the skill_match feature: the person's skill groups against the venture's, with work
experience in the venture's occupation standing in for skills. When a person's skills clearly point
somewhere, ventures with almost no fit are unrelated and are not used to fill the top five."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from incubator.market.arrays import Market
from incubator.suggestions import features as fx

# Judgements of the project (the model card and docs/CONTRACTS.md name them).
UNRELATED_FIT = 0.10  # a fit below this: the venture has next to nothing to do with the person's skills
SKILLS_POINT_AT = 0.30  # skills point somewhere when a venture fits three times as well as an unrelated one
RULED_OUT_SHOWN = 3  # the closest ventures a constraint rules out, shown beside the suggestions
BARRIER_KINDS = ("home", "hours", "capital")
BBZ_HOURS_PER_WEEK = math.ceil(fx.BBZ_HOURS_PER_YEAR / 52)  # 24: the Bbz loan needs 1,225 hours a year


@dataclass(frozen=True, eq=False)
class Barriers:
    """(N, V) masks: True where that constraint of the person rules the venture out."""

    home: np.ndarray
    hours: np.ndarray
    capital: np.ndarray

    @property
    def any(self) -> np.ndarray:
        return self.home | self.hours | self.capital

    def kinds(self, i: int, v: int) -> tuple[str, ...]:
        """The barriers of person i against venture v, in the order of BARRIER_KINDS."""
        return tuple(kind for kind in BARRIER_KINDS if getattr(self, kind)[i, v])


def reachable_capital(market: Market, people: fx.People) -> np.ndarray:
    """(N,) what a person can put into a start: own money, the Bbz loan where they qualify, and the
    largest Qredits microcredit."""
    bbz = np.where(fx.bbz_eligible(people), market.bbz_max_eur, 0.0)
    return people.capital.astype(np.float64) + bbz + market.qredits_max_eur


def barriers(market: Market, people: fx.People) -> Barriers:
    """Which ventures each person's own constraints rule out, and by which constraint."""
    return Barriers(
        home=people.home_only[:, None] & ~market.home[None, :],
        hours=people.hours[:, None] < market.hours_min[None, :],
        capital=market.capital[None, :, 0].astype(np.float64) > reachable_capital(market, people)[:, None],
    )


def fit(x: np.ndarray) -> np.ndarray:
    """How well each venture fits the person's skills and experience, from features (..., F)."""
    return x[..., fx.F["skill_match"]]


def related(fits: np.ndarray) -> np.ndarray:
    """(N, V) from fits (N, V): False for the ventures that are unrelated to a person whose skills
    point elsewhere (those never fill the top five); True everywhere for a person whose skills point
    nowhere in particular yet."""
    points = fits.max(axis=1, keepdims=True) >= SKILLS_POINT_AT
    return ~points | (fits >= UNRELATED_FIT)
