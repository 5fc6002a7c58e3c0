"""A seeded synthetic generator of past participants and their outcome, calibrated to FACTS.md.

No open firm-level data follows Dutch micro-ventures started by newcomers, so the model learns from
this generator until the programme's own outcomes replace it. Everything it makes is synthetic and
is labelled so wherever it is shown.

How it works. People are drawn as arrays (skills from a trade they worked in, Dutch level, money,
hours, interests); each picks a venture, mostly one that fits. A programme participant then launches
it or not. A launched venture lives for a time drawn from a piecewise-constant hazard: a baseline per
SBI section times a person factor. Separately the founder may stop running it (back to a job): the
person is still self-employed while both last. The baselines are solved on a large reference sample
of ordinary Dutch starters so that it reproduces, within sampling error:
- CBS five-year survival by sector (cohort 2015), with the 1- and 3-year shape of all businesses;
- person-level survival of self-employed starters (69% after 1 year, 57% after 2, 42% after 5);
- starters from a benefit: 54% stopped within 5 years, 13.1% earn the minimum wage after 5 years
  against 18.3% of all starters.
Human-capital effects are small and run through task-related skills (skill match, related
experience), hardly through schooling (Unger et al. 2011), and experience helps founders who start
from a benefit less (Baptista & Karaoz 2006). No origin, nationality, religion, gender or age is
drawn at all: a group's outcome differs only through what it brings (language, money, skills).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from incubator.core.i18n import N_, translate
from incubator.market.arrays import Market
from incubator.suggestions import features as fx

CALIBRATION_SEED = 20261128
CALIBRATION_ROWS = 100_000
CHUNK = 10_000

# Targets from FACTS.md (months -> share still running).
FIRM_SURVIVAL_ALL = {12: 0.96, 36: 0.75, 60: 0.65}  # CBS business demography, cohort 2015
PERSON_SURVIVAL = {12: 0.69, 24: 0.57, 60: 0.42}  # self-employed starters 2008-2010
BENEFIT_PERSON_SURVIVAL_60 = 0.46  # starters of 2013 from a benefit: 54% had stopped after 5 years
MIN_WAGE_60_ALL, MIN_WAGE_60_BENEFIT = 0.183, 0.131  # earned at least the minimum wage after 5 years
# Assumptions without a published figure (the model card states them).
PROGRAMME_LAUNCH_RATE = 0.60
REFERENCE_ON_BENEFIT = 0.12

# Effects on the log of the hazard of closing (firm) and of stopping (person), and on the log-odds of
# launching. Judgements, kept small where the literature says effects are small.
FIRM = {"skill_match": -1.0, "experience": -0.015, "education_level": -0.01, "dutch_gap": 0.12,
        "capital_gap_k": 0.008, "capital_unfunded_k": 0.02, "market_saturation": 0.5, "demand": -0.15,
        "interest_fit": -0.5, "community_fit": -0.4, "frailty": 0.6}
PERSON = {"hours_short": 0.6, "home_conflict": 0.5, "frailty": 0.4}
LAUNCH = {"skill_match": 3.0, "interest_fit": 0.8, "community_fit": 0.5, "dutch_gap": -0.35,
          "capital_gap_k": -0.015, "capital_unfunded_k": -0.04, "licence_burden": -0.2, "hours_short": -0.8,
          "home_conflict": -1.2, "experience": 0.02}
INCOME = {"skill_match": 0.6, "education_level": 0.02}
CHOICE = {"skill_match": 3.0, "interest_fit": 1.5, "community_fit": 0.8, "home_conflict": -2.0,
          "dutch_gap": -0.3, "capital_gap_k": -0.02}
BENEFIT_DAMPS_EXPERIENCE = 0.7  # experience helps founders from a benefit 70% less
EXPLORERS = 0.25  # share of people who pick a venture at random

FIRM_KNOTS = (12.0, 36.0, 60.0)
PERSON_KNOTS = (12.0, 24.0, 60.0)
LANGUAGES = ("ar", "ti", "fa", "tr", "uk", "so", "ku", "ps")
LANGUAGE_WEIGHTS = (0.45, 0.14, 0.12, 0.08, 0.08, 0.05, 0.04, 0.04)


def _col(x: np.ndarray, name: str) -> np.ndarray:
    return x[:, fx.F[name]].astype(np.float64)


def _experience(x: np.ndarray) -> np.ndarray:
    return np.minimum(_col(x, "related_experience_years"), 20.0) * (1 - BENEFIT_DAMPS_EXPERIENCE * _col(x, "on_benefit"))


def _linear(x: np.ndarray, effects: dict[str, float]) -> np.ndarray:
    out = np.zeros(len(x))
    for name, beta in effects.items():
        if name == "experience":
            out += beta * _experience(x)
        elif name in fx.F:
            out += beta * _col(x, name)
    return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _bisect(fn, low: float, high: float, target: float, iterations: int = 32) -> float:
    """The x in [low, high] where the decreasing-or-increasing fn(x) meets target."""
    rising = fn(high) > fn(low)
    for _ in range(iterations):
        mid = (low + high) / 2
        if (fn(mid) < target) == rising:
            low = mid
        else:
            high = mid
    return (low + high) / 2


# -- people ------------------------------------------------------------------------------------------

def synthetic_people(market: Market, n: int, rng: np.random.Generator, population: str = "programme") -> fx.People:
    """n synthetic people as arrays. `programme`: status holders in the programme; `reference`:
    ordinary Dutch starters, the population the published figures describe."""
    programme = population == "programme"
    k, v = len(market.skill_codes), market.n_ventures
    weights = market.region_population[:-1] / market.region_population[:-1].sum()
    region = rng.choice(len(weights), size=n, p=weights).astype(np.int32)
    if programme:
        nl = rng.choice(7, size=n, p=[0.05, 0.15, 0.32, 0.28, 0.13, 0.06, 0.01])
        first = rng.choice(len(LANGUAGES), size=n, p=LANGUAGE_WEIGHTS)
        english = rng.random(n) < 0.35
    else:
        nl = rng.choice(7, size=n, p=[0, 0, 0, 0, 0.05, 0.10, 0.85])
        first = np.full(n, -1)
        english = rng.random(n) < 0.7
    known = {code: np.zeros(n, bool) for code in {"nl", "en", *LANGUAGES}}
    known["nl"], known["en"] = nl >= fx.EXAM_LEVEL, english
    for j, code in enumerate(LANGUAGES):
        known[code] |= first == j
    exam_ok = np.stack([np.any([known.get(c, np.zeros(n, bool)) for c in langs], axis=0) if langs else np.zeros(n, bool)
                        for langs in market.licence_exam_langs], axis=1)
    community = np.minimum((first >= 0).astype(np.float32) + english, 2)

    trade = rng.integers(0, v, size=n)  # the trade a person worked in before
    required = market.w_required[trade] > 0
    helpful = market.w_helpful[trade] > 0
    draw, level = rng.random((n, k), np.float32), rng.random((n, k), np.float32)
    level = np.floor(level * np.float32(3))  # 0, 1 or 2, equally likely
    skill = np.where(required & (draw < 0.8), level + np.float32(2), np.float32(0))
    skill = np.where(helpful & (draw < 0.4), level + np.float32(1), skill)
    for _ in range(2):
        rows, cols = np.arange(n), rng.integers(0, k, size=n)
        skill[rows, cols] = np.maximum(skill[rows, cols], rng.integers(1, 4, size=n))
    index = market.skill_index()
    for code, share in ((fx.CULTURAL_SKILL, 0.5 if programme else 0.15), (fx.NETWORK_SKILL, 0.3)):
        if code in index:
            has = rng.random(n) < share
            skill[has, index[code]] = np.maximum(skill[has, index[code]], rng.integers(2, 5, size=has.sum()))
    by_group, parent = np.ascontiguousarray(skill.T), np.zeros((len(market.parent_codes), n), np.float32)
    for kk, p in enumerate(market.parent_of):
        if p >= 0:
            np.maximum(parent[p], by_group[kk], out=parent[p])

    exp_isco = np.zeros((n, fx.MAX_EXPERIENCES), np.int32)
    exp_years = np.zeros((n, fx.MAX_EXPERIENCES), np.float32)
    worked = rng.random(n) < 0.75
    exp_isco[:, 0] = np.where(worked, market.isco[trade], 0)
    exp_years[:, 0] = np.where(worked, np.minimum(rng.gamma(2.0, 4.0, size=n), 35), 0)
    second = rng.random(n) < 0.3
    exp_isco[:, 1] = np.where(second, market.isco[rng.integers(0, v, size=n)], 0)
    exp_years[:, 1] = np.where(second, np.minimum(rng.gamma(1.5, 2.5, size=n), 20), 0)

    interests = np.clip(rng.normal(45, 18, size=(n, 6)), 0, 100)
    interests += 30 * (market.riasec_w[trade] > 0.3)
    education_p = ([0.10, 0.15, 0.20, 0.25, 0.05, 0.05, 0.12, 0.07, 0.01] if programme
                   else [0.01, 0.04, 0.10, 0.35, 0.08, 0.10, 0.20, 0.10, 0.02])
    if programme:
        capital = np.where(rng.random(n) < 0.4, 0.0, rng.lognormal(7.5, 1.2, size=n))
        hours = rng.choice([12, 16, 20, 24, 28, 32, 36, 40], size=n, p=[0.05, 0.08, 0.12, 0.15, 0.15, 0.15, 0.15, 0.15])
    else:
        capital = np.where(rng.random(n) < 0.1, 0.0, rng.lognormal(np.log(10_000), 1.2, size=n))
        hours = np.clip(rng.normal(40, 10, size=n), 8, 60)
    return fx.People(
        ids=tuple(f"synthetic-{population}-{i}" for i in range(n)), skill_level=skill.astype(np.float32),
        parent_level=np.ascontiguousarray(parent.T), nl_rank=nl.astype(np.int8), licence_exam_ok=exam_ok,
        community_languages=community.astype(np.float32), exp_isco=exp_isco, exp_years=exp_years,
        interests=np.clip(interests, 0, 100).astype(np.float32), capital=capital,
        hours=hours.astype(np.float32), home_only=rng.random(n) < (0.2 if programme else 0.1),
        on_benefit=rng.random(n) < (0.8 if programme else REFERENCE_ON_BENEFIT),
        education=rng.choice(9, size=n, p=education_p).astype(np.float32), region=region,
    )


def choose_ventures(market: Market, people: fx.People, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Each person's venture (mostly one that fits, a quarter at random) and its features (N, F)."""
    n = len(people)
    chosen, x = np.empty(n, np.int64), np.empty((n, len(fx.FEATURES)), np.float32)
    for start in range(0, n, CHUNK):
        rows = np.arange(start, min(n, start + CHUNK))
        grid = fx.features_grid(market, people.take(rows))
        utility = rng.gumbel(size=grid.shape[:2]).astype(np.float32)
        for name, beta in CHOICE.items():
            utility += np.float32(beta) * grid[..., fx.F[name]]
        pick = utility.argmax(axis=1)
        explorers = rng.random(len(rows)) < EXPLORERS
        pick[explorers] = rng.integers(0, market.n_ventures, size=explorers.sum())
        chosen[rows], x[rows] = pick, grid[np.arange(len(rows)), pick]
    return chosen, x


# -- calibration --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Calibration:
    sections: tuple[str, ...]
    firm_hazard: np.ndarray  # (sections, 3) monthly hazard on [0,12), [12,36), [36,60+)
    person_hazard: np.ndarray  # (3,) on [0,12), [12,24), [24,60+)
    person_benefit: float  # log hazard ratio of stopping for founders from a benefit
    income_intercept: float
    income_benefit: float
    launch_intercept: float
    targets: dict  # section -> {months: share}


def _cumulative(hazard: np.ndarray, knots: tuple[float, ...], t: float) -> np.ndarray:
    """Cumulative hazard at t of piecewise-constant hazards (..., 3) with the last one open-ended."""
    edges, total = (0.0, *knots[:-1]), 0.0
    for j, start in enumerate(edges):
        end = knots[j] if j < len(knots) - 1 else np.inf
        total = total + hazard[..., j] * max(0.0, min(t, end) - start)
    return total


def section_targets(market: Market) -> dict[str, dict[int, float]]:
    """Firm survival by SBI section: the published 5-year share, the 1- and 3-year ones shaped like
    all businesses (S(t) = S_all(t) ** (log S(60) / log S_all(60)))."""
    out, sectors = {}, market.details["sectors"]
    for section in sorted(set(market.sbi_section)):
        published = (sectors.get(section) or {}).get("survival_5y_pct")
        five = published / 100 if published is not None else FIRM_SURVIVAL_ALL[60]
        power = np.log(five) / np.log(FIRM_SURVIVAL_ALL[60])
        out[section] = {t: float(FIRM_SURVIVAL_ALL[t] ** power) for t in FIRM_KNOTS}
    return out


def _reference_sample(market: Market, n: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    people = synthetic_people(market, n, rng, "reference")
    venture, x = choose_ventures(market, people, rng)
    sections = tuple(sorted(set(market.sbi_section)))
    section = np.array([sections.index(market.sbi_section[v]) for v in venture])
    return {"x": x, "section": section, "rng": rng,
            "firm_m": np.exp(_linear(x, FIRM) + FIRM["frailty"] * rng.standard_normal(n)),
            "person_m": np.exp(_linear(x, PERSON) + PERSON["frailty"] * rng.standard_normal(n))}


@cache
def _calibrate(market_version: str, market: Market) -> Calibration:
    sample = _reference_sample(market, CALIBRATION_ROWS, CALIBRATION_SEED)
    x, section, firm_m, person_m = sample["x"], sample["section"], sample["firm_m"], sample["person_m"]
    targets = section_targets(market)
    sections = tuple(sorted(targets))
    firm = np.zeros((len(sections), 3))
    for s, code in enumerate(sections):
        m = firm_m[section == s]
        for j, t in enumerate(FIRM_KNOTS):
            def survival(h, s=s, j=j, t=t, m=m):
                firm[s, j] = h
                return np.exp(-m * _cumulative(firm[s], FIRM_KNOTS, t)).mean()
            firm[s, j] = _bisect(survival, 0.0, 0.2, targets[code][t])
    firm_s = {t: np.exp(-firm_m * _cumulative(firm[section], FIRM_KNOTS, t)) for t in (*PERSON_KNOTS, 36.0)}
    benefit = _col(x, "on_benefit") > 0.5

    def solve_person(b: float) -> np.ndarray:
        hazard, m = np.zeros(3), person_m * np.exp(b * benefit)
        for j, t in enumerate(PERSON_KNOTS):
            def survival(h, j=j, t=t):
                hazard[j] = h
                return (firm_s[t] * np.exp(-m * _cumulative(hazard, PERSON_KNOTS, t))).mean()
            hazard[j] = _bisect(survival, 0.0, 0.5, PERSON_SURVIVAL[int(t)])
        return hazard

    def benefit_survival(b: float) -> float:
        hazard = solve_person(b)
        m = person_m * np.exp(b * benefit)
        return (firm_s[60.0] * np.exp(-m * _cumulative(hazard, PERSON_KNOTS, 60.0)))[benefit].mean()

    b = _bisect(benefit_survival, -2.0, 2.0, BENEFIT_PERSON_SURVIVAL_60, iterations=20)
    person = solve_person(b)
    alive60 = firm_s[60.0] * np.exp(-person_m * np.exp(b * benefit) * _cumulative(person, PERSON_KNOTS, 60.0))
    base = _linear(x, INCOME)

    def income(g0: float, gb: float) -> np.ndarray:
        return alive60 * _sigmoid(g0 + gb * benefit + base)

    def gap_for(gb: float) -> float:
        g0 = _bisect(lambda g: income(g, gb).mean(), -10, 10, MIN_WAGE_60_ALL)
        return income(g0, gb)[benefit].mean()

    gb = _bisect(gap_for, -3.0, 3.0, MIN_WAGE_60_BENEFIT, iterations=20)
    g0 = _bisect(lambda g: income(g, gb).mean(), -10, 10, MIN_WAGE_60_ALL)
    rng = np.random.default_rng(CALIBRATION_SEED + 1)
    programme = synthetic_people(market, CALIBRATION_ROWS // 4, rng, "programme")
    _, px = choose_ventures(market, programme, rng)
    launch = _linear(px, LAUNCH)
    a = _bisect(lambda a: _sigmoid(a + launch).mean(), -10, 10, PROGRAMME_LAUNCH_RATE)
    return Calibration(sections, firm, person, b, g0, gb, a, targets)


def calibration(market: Market) -> Calibration:
    """The solved baselines for this market dataset (cached; a few seconds the first time)."""
    return _calibrate(market.version, market)


# -- generating ---------------------------------------------------------------------------------------

def _draw_months(rng: np.random.Generator, m: np.ndarray, hazard: np.ndarray, knots: tuple[float, ...]) -> np.ndarray:
    """Times with survival exp(-m * H(t)) for piecewise-constant hazards (N, 3), by inversion."""
    need = rng.exponential(size=len(m)) / m
    edges = np.array((0.0, *knots[:-1]))
    widths = np.diff(np.array((0.0, *knots)))
    widths[-1] = np.inf
    months, left = np.full(len(m), np.inf), need.copy()
    for j in range(3):
        capacity = hazard[:, j] * widths[j]
        here = np.isinf(months) & (left <= capacity)
        months[here] = edges[j] + left[here] / np.maximum(hazard[here, j], 1e-12)
        left = np.where(here, 0.0, left - capacity)
    return months


@dataclass(frozen=True, eq=False)
class Cohort:
    """A synthetic cohort: people, their venture, its features and what happened (all synthetic)."""

    population: str
    seed: int
    people: fx.People
    venture: np.ndarray
    features: np.ndarray
    launched: np.ndarray
    firm_months: np.ndarray  # months the business lasted (inf: still running after the horizon)
    person_months: np.ndarray  # months the founder kept running it
    min_wage_60: np.ndarray

    def firm_alive(self, months: float) -> np.ndarray:
        return self.launched & (self.firm_months > months)

    def self_employed(self, months: float) -> np.ndarray:
        return self.firm_alive(months) & (self.person_months > months)

    @property
    def outcome(self) -> np.ndarray:
        """What the model learns: the venture launched and still running after 12 months."""
        return self.self_employed(12)

    def frame(self, market: Market) -> pd.DataFrame:
        table = pd.DataFrame(self.features, columns=list(fx.FEATURE_NAMES))
        table.insert(0, "venture_id", [market.venture_ids[v] for v in self.venture])
        table.insert(0, "person", list(self.people.ids))
        table["launched"], table["running_12m"] = self.launched, self.outcome
        table["provenance"] = "synthetic"
        return table


def generate(market: Market, n: int, *, seed: int, population: str = "programme") -> Cohort:
    """n synthetic people of a population with their venture and outcome; the same seed gives the
    same cohort."""
    cal = calibration(market)
    rng = np.random.default_rng(seed)
    people = synthetic_people(market, n, rng, population)
    venture, x = choose_ventures(market, people, rng)
    benefit = _col(x, "on_benefit") > 0.5
    if population == "programme":
        launched = rng.random(n) < _sigmoid(cal.launch_intercept + _linear(x, LAUNCH))
    else:
        launched = np.ones(n, bool)
    section = np.array([cal.sections.index(market.sbi_section[v]) for v in venture])
    firm_m = np.exp(_linear(x, FIRM) + FIRM["frailty"] * rng.standard_normal(n))
    person_m = np.exp(_linear(x, PERSON) + PERSON["frailty"] * rng.standard_normal(n) + cal.person_benefit * benefit)
    firm_months = _draw_months(rng, firm_m, cal.firm_hazard[section], FIRM_KNOTS)
    person_months = _draw_months(rng, person_m, np.broadcast_to(cal.person_hazard, (n, 3)), PERSON_KNOTS)
    alive60 = launched & (firm_months > 60) & (person_months > 60)
    wage = rng.random(n) < _sigmoid(cal.income_intercept + cal.income_benefit * benefit + _linear(x, INCOME))
    return Cohort(population, seed, people, venture, x, launched, firm_months, person_months, alive60 & wage)


PERSON_TARGET = N_("Founders still running their business after {months} months")
BENEFIT_TARGET = N_("Founders who started from a benefit, still running after {months} months")
WAGE_ALL_TARGET = N_("All starters earning at least the minimum wage after {months} months")
WAGE_BENEFIT_TARGET = N_("Starters from a benefit earning at least the minimum wage after {months} months")
SECTION_TARGET = N_("Businesses in SBI section {section} still alive after {months} months")


def calibration_report(market: Market, cohort: Cohort) -> list[dict]:
    """Each published target beside the rate in a reference cohort: a message key with its values,
    the source, the target and the generated share, and the difference in percentage points."""
    benefit = _col(cohort.features, "on_benefit") > 0.5
    person = "FACTS.md: self-employed starters 2008-2010"
    rows = [(PERSON_TARGET, {"months": t}, person, share, cohort.self_employed(t).mean()) for t, share in PERSON_SURVIVAL.items()]
    rows += [
        (BENEFIT_TARGET, {"months": 60}, "FACTS.md: starters of 2013", BENEFIT_PERSON_SURVIVAL_60,
         cohort.self_employed(60)[benefit].mean()),
        (WAGE_ALL_TARGET, {"months": 60}, "FACTS.md: starters of 2013", MIN_WAGE_60_ALL, cohort.min_wage_60.mean()),
        (WAGE_BENEFIT_TARGET, {"months": 60}, "FACTS.md: starters of 2013", MIN_WAGE_60_BENEFIT,
         cohort.min_wage_60[benefit].mean()),
    ]
    sectors = market.details["sectors"]
    for code, target in section_targets(market).items():
        if (sectors.get(code) or {}).get("survival_5y_pct") is None:
            continue  # no published figure: the section follows all businesses and is not a target
        in_section = np.array([market.sbi_section[v] == code for v in cohort.venture])
        rows.append((SECTION_TARGET, {"section": code, "months": 60}, "FACTS.md: CBS business demography, cohort 2015",
                     target[60], cohort.firm_alive(60)[in_section].mean()))
    return [{"target": translate(key, "en", **params), "message": key, "params": params, "source": source,
             "expected": float(expected), "generated": float(generated),
             "difference_pp": round(100 * (float(generated) - float(expected)), 2)}
            for key, params, source, expected, generated in rows]
