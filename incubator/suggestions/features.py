"""Features of every (person, venture, region), computed with NumPy for any number of people at once.

The market arrays come from `incubator.market.arrays` (`load_market`, cached per dataset version);
people become arrays here (`people_from_profiles`). `features_grid` gives every person against every
venture in their own municipality; `features_pairs` one venture per person. `pair_features` is the
same arithmetic written plainly for one pair: the readable definition, used to check the fast one.

Nationality, ethnicity, religion, gender and age are not inputs: a Profile has no field for them, and
the ethnic-entrepreneurship ventures match on what a person declares (languages, cultural and
culinary skills, network), never on origin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from incubator.core.i18n import N_
from incubator.market.arrays import HELPFUL_SHARE, Market, cefr_rank, isco_code, parent_code
from incubator.people.profile import RIASEC, Profile

# Judgements of the project, stated once (the model card lists them; those that shape the market
# arrays, such as HELPFUL_SHARE, are in incubator.market.arrays).
RELATED_GROUP_SHARE = 0.5  # a skill group with the same parent (S6.5.x for S6.5.6) counts half
# A person's ESCO code at another level of the hierarchy than the venture's counts partly: a broader
# code (S6.5 for the venture's S6.5.6) says less about the specific skill, a narrower one (S6.5.6 for
# the venture's S6.5) covers a part of the group. Each further level multiplies by the share again;
# the top codes (S, T, L, K: "skills", "knowledge") count nothing.
BROADER_GROUP_SHARE = 0.5
NARROWER_GROUP_SHARE = 0.75
OCCUPATION_SHARE = 0.8  # how far experience in the venture's occupation stands in for its skills
YEARS_FOR_FULL_EVIDENCE = 10.0
MAX_EXPERIENCE_YEARS = 30.0
EXAM_LEVEL = 3  # B1: the level at which a person can sit an exam or serve customers in a language
BBZ_HOURS_PER_YEAR = 1225  # FACTS.md: Bbz requires 1,225 hours a year in the business
CULTURAL_SKILL, NETWORK_SKILL = "T6.4", "S1.2.3"
MAX_EXPERIENCES = 4


@dataclass(frozen=True)
class Feature:
    name: str
    label: str  # msgid
    monotonic: int  # +1: a higher value never lowers the score; -1: never raises it; 0: free


FEATURES: tuple[Feature, ...] = (
    Feature("skill_match", N_("Skill match"), 1),
    Feature("related_experience_years", N_("Related work experience (years)"), 1),
    Feature("dutch_gap", N_("Dutch language gap (CEFR levels)"), -1),
    Feature("capital_gap_k", N_("Start-up capital not covered by own money and Bbz (EUR 1,000)"), -1),
    Feature("capital_unfunded_k", N_("Start-up capital beyond what Qredits lends (EUR 1,000)"), -1),
    Feature("licence_burden", N_("Licences and permits to obtain"), -1),
    Feature("interest_fit", N_("Fit with interests (RIASEC)"), 1),
    Feature("hours_short", N_("Hours short of what the venture needs"), -1),
    Feature("home_conflict", N_("Needs premises while the person can only work from home"), -1),
    Feature("market_saturation", N_("Business density in the province against national"), -1),
    Feature("sector_survival", N_("Five-year survival of the sector"), 1),
    Feature("demand", N_("Demand signal (vacancies, labour-market tension)"), 1),
    Feature("community_fit", N_("Languages, cultural skills and network (ethnic entrepreneurship)"), 1),
    Feature("education_level", N_("Education level (ISCED)"), 0),
    Feature("on_benefit", N_("Starts from a benefit"), 0),
)
FEATURE_NAMES = tuple(f.name for f in FEATURES)
MONOTONIC = tuple(f.monotonic for f in FEATURES)
F = {name: i for i, name in enumerate(FEATURE_NAMES)}


@dataclass(frozen=True, eq=False)
class People:
    """N people as arrays, in the skill vocabulary of one Market."""

    ids: tuple[str, ...]
    skill_level: np.ndarray  # (N, K) 0-4: the level of the person's code, or of a broader/narrower one times its share
    parent_level: np.ndarray  # (N, P) 0-4: best level among groups with that parent
    nl_rank: np.ndarray  # (N,) 0 (none) .. 6 (C2)
    licence_exam_ok: np.ndarray  # (N, L) bool: can sit that licence's exam in a language they know
    community_languages: np.ndarray  # (N,) languages other than Dutch at B1 or above, at most 2
    exp_isco: np.ndarray  # (N, E) int, 0 for none
    exp_years: np.ndarray  # (N, E)
    interests: np.ndarray  # (N, 6) 0-100
    capital: np.ndarray  # (N,)
    hours: np.ndarray  # (N,)
    home_only: np.ndarray  # (N,) bool
    on_benefit: np.ndarray  # (N,) bool
    education: np.ndarray  # (N,) ISCED 0-8
    region: np.ndarray  # (N,) index into Market.region_codes

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows: np.ndarray | Sequence[int]) -> People:
        rows = np.asarray(rows)
        return People(tuple(self.ids[i] for i in rows), *(getattr(self, f)[rows] for f in _ARRAY_FIELDS))

    def with_changes(self, **arrays: np.ndarray) -> People:
        return replace(self, **arrays)


_ARRAY_FIELDS = (
    "skill_level", "parent_level", "nl_rank", "licence_exam_ok", "community_languages", "exp_isco",
    "exp_years", "interests", "capital", "hours", "home_only", "on_benefit", "education", "region",
)


def people_from_profiles(profiles: Sequence[Profile], market: Market, *, municipality: str | None = None) -> People:
    """Profiles as arrays. `municipality` (a GM code) replaces each profile's own when given."""
    n, exams = len(profiles), market.exams_by_language
    parent_index = {code: p for p, code in enumerate(market.parent_codes)}
    skill = np.zeros((n, len(market.skill_codes)), np.float32)
    parent = np.zeros((n, len(market.parent_codes)), np.float32)
    langs = np.zeros((n, len(market.licence_ids)), bool)
    exp_isco = np.zeros((n, MAX_EXPERIENCES), np.int32)
    exp_years = np.zeros((n, MAX_EXPERIENCES), np.float32)
    nl, community = np.zeros(n, np.int8), np.zeros(n, np.float32)
    for i, profile in enumerate(profiles):
        for s in profile.skills:
            level = float(min(max(s.level, 0), 4))
            for k, share in _skill_credit(market, s.esco_group):
                skill[i, k] = max(skill[i, k], share * level)
            p = parent_index.get(parent_code(s.esco_group) or "")
            if p is not None:
                parent[i, p] = max(parent[i, p], level)
        known = {lang.code for lang in profile.languages if cefr_rank(lang.cefr) >= EXAM_LEVEL}
        nl[i] = cefr_rank(profile.cefr("nl"))
        community[i] = min(len(known - {"nl"}), 2)
        for code in known:
            langs[i, exams.get(code, ())] = True
        experiences = sorted(profile.experience, key=lambda e: -e.years)[:MAX_EXPERIENCES]
        for e, item in enumerate(experiences):
            exp_isco[i, e] = isco_code(item.isco) or market.occupation_isco.get(item.esco_uri or "", 0)
            exp_years[i, e] = max(0.0, float(item.years))
    return People(
        ids=tuple(p.id for p in profiles), skill_level=skill, parent_level=parent, nl_rank=nl,
        licence_exam_ok=langs, community_languages=community, exp_isco=exp_isco, exp_years=exp_years,
        interests=np.array([[p.interests.get(c, 50) for c in RIASEC] for p in profiles], np.float32).reshape(n, 6),
        capital=np.array([max(0.0, float(p.capital_eur)) for p in profiles], np.float64),
        hours=np.array([max(0.0, float(p.hours_per_week)) for p in profiles], np.float32),
        home_only=np.array([bool(p.home_based_only) for p in profiles]),
        on_benefit=np.array([bool(p.on_benefit) for p in profiles]),
        education=np.array([p.education.isced_level for p in profiles], np.float32),
        region=np.array([market.region_index(municipality or p.municipality) for p in profiles], np.int32),
    )


@dataclass(frozen=True)
class ProfileTables:
    """N people as typed columns and long tables, the shape the store (migration 011) and a checked
    cohort file (incubator.people.checks.check_frames) both have: no Profile objects. `base` has one
    entry a person; the long tables have `row` (0..N-1, into base) and their entries in the order of
    the person's list."""

    ids: Sequence[str]
    base: dict[str, np.ndarray]  # municipality, isced_level, capital_eur, hours_per_week, home_based_only,
    #                              on_benefit, interest_R .. interest_C: each (N,)
    skills: dict[str, np.ndarray]  # row, code, level
    languages: dict[str, np.ndarray]  # row, code, cefr
    experience: dict[str, np.ndarray]  # row, isco, esco_uri, years


def _strings(values: np.ndarray | Sequence[object]) -> np.ndarray:
    """Text entries as an object array, "" where missing (None, NaN or pandas' NA)."""
    out = np.array(values, dtype=object)
    out[pd.isna(out)] = ""
    return out


def _encoded(values: np.ndarray | Sequence[object] | pd.Categorical) -> tuple[np.ndarray, np.ndarray]:
    """(unique values, index of each entry into them): pandas' hashing, much faster than sorting text.
    Text the store has already encoded (a Categorical) is taken as it is, "" for a missing entry."""
    if isinstance(values, pd.Categorical):
        unique, codes = np.asarray(values.categories, dtype=object), values.codes.astype(np.int64)
        if (codes < 0).any():
            empty = np.flatnonzero(unique == "")
            if not len(empty):
                unique, empty = np.append(unique, ""), [len(unique)]
            codes[codes < 0] = empty[0]
        return unique, codes
    index, unique = pd.factorize(_strings(values))
    return np.asarray(unique, dtype=object), index.astype(np.int64)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct integers, sorted (np.unique, which hashes first and is several times slower here)."""
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


def people_from_tables(tables: ProfileTables, market: Market) -> People:
    """The same arrays as `people_from_profiles`, built column by column (NumPy, no Python loop over
    people): the fast path from the store or a checked file to the scores."""
    n, base = len(tables.ids), tables.base
    skill = np.zeros((n, len(market.skill_codes)), np.float32)
    parent = np.zeros((n, len(market.parent_codes)), np.float32)
    rows = np.asarray(tables.skills["row"], np.int64)
    if len(rows):
        codes, inverse = _encoded(tables.skills["code"])
        level = np.clip(np.asarray(tables.skills["level"], np.float64), 0, 4)
        # Every code's credit (index, share) for the market's codes, as flat arrays per unique code.
        credits = [_skill_credit(market, str(code)) for code in codes]
        counts = np.array([len(c) for c in credits], np.int64)
        credit_k = np.array([k for c in credits for k, _ in c], np.int64)
        credit_share = np.array([share for c in credits for _, share in c], np.float64)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        per_entry = counts[inverse]
        entry = np.repeat(np.arange(len(rows)), per_entry)
        offset = np.arange(per_entry.sum()) - np.repeat(np.cumsum(per_entry) - per_entry, per_entry)
        flat = starts[inverse][entry] + offset
        np.maximum.at(skill, (rows[entry], credit_k[flat]), (credit_share[flat] * level[entry]).astype(np.float32))
        parent_index = {code: p for p, code in enumerate(market.parent_codes)}
        of_code = np.array([parent_index.get(parent_code(str(code)) or "", -1) for code in codes], np.int64)[inverse]
        known = of_code >= 0
        np.maximum.at(parent, (rows[known], of_code[known]), level[known].astype(np.float32))

    lang_rows = np.asarray(tables.languages["row"], np.int64)
    vocabulary, code_of = _encoded(tables.languages["code"])
    lang_codes = vocabulary[code_of]
    levels, level_of = _encoded(tables.languages["cefr"])
    ranks = np.array([cefr_rank(c) for c in levels], np.int64)[level_of] if len(level_of) else np.zeros(0, np.int64)
    nl = np.zeros(n, np.int8)
    dutch = np.flatnonzero(lang_codes == "nl")
    first = dutch[np.unique(lang_rows[dutch], return_index=True)[1]]  # a person's first Dutch entry, as Profile.cefr
    nl[lang_rows[first]] = ranks[first]
    able = ranks >= EXAM_LEVEL
    # Languages other than Dutch known at the exam level, each counted once, at most two.
    size = max(len(vocabulary), 1)
    pairs = _distinct(lang_rows[able] * size + code_of[able])
    pair_rows, pair_codes = np.divmod(pairs, size)
    not_dutch = vocabulary[pair_codes] != "nl" if len(pairs) else np.zeros(0, bool)
    community = np.minimum(np.bincount(pair_rows[not_dutch], minlength=n), 2).astype(np.float32)
    langs = np.zeros((n, len(market.licence_ids)), bool)
    for code, licences in market.exams_by_language.items():
        who = lang_rows[able & (lang_codes == code)]
        if len(who):
            langs[np.ix_(who, licences)] = True

    exp_isco = np.zeros((n, MAX_EXPERIENCES), np.int32)
    exp_years = np.zeros((n, MAX_EXPERIENCES), np.float32)
    exp_rows = np.asarray(tables.experience["row"], np.int64)
    if len(exp_rows):
        years = np.asarray(tables.experience["years"], np.float64)
        order = np.lexsort((np.arange(len(exp_rows)), -years, exp_rows))  # most years first, ties in list order
        exp_rows, years = exp_rows[order], years[order]
        rank = np.arange(len(exp_rows)) - np.searchsorted(exp_rows, exp_rows, side="left")
        keep = rank < MAX_EXPERIENCES
        # The ISCO code given, else the ESCO occupation's: looked up once per distinct value.
        iscos, isco_of = _encoded(tables.experience["isco"])
        uris, uri_of = _encoded(tables.experience["esco_uri"])
        isco_of, uri_of = isco_of[order][keep], uri_of[order][keep]
        given = np.array([isco_code(i) for i in iscos], np.int32)[isco_of] if len(isco_of) else np.zeros(0, np.int32)
        found = np.array([market.occupation_isco.get(u, 0) for u in uris], np.int32)[uri_of] if len(uri_of) \
            else np.zeros(0, np.int32)
        codes = np.where(given > 0, given, found)
        exp_isco[exp_rows[keep], rank[keep]] = codes
        exp_years[exp_rows[keep], rank[keep]] = np.maximum(0.0, years[keep])

    places, where = _encoded(base["municipality"])
    region = np.array([market.region_index(str(m) or None) for m in places], np.int32)[where] if n else np.zeros(0, np.int32)
    return People(
        ids=tuple(tables.ids), skill_level=skill, parent_level=parent, nl_rank=nl, licence_exam_ok=langs,
        community_languages=community, exp_isco=exp_isco, exp_years=exp_years,
        interests=np.stack([np.asarray(base[f"interest_{c}"], np.float32) for c in RIASEC], axis=1).reshape(n, 6),
        capital=np.maximum(0.0, np.asarray(base["capital_eur"], np.float64)),
        hours=np.maximum(0.0, np.asarray(base["hours_per_week"], np.float32)),
        home_only=np.asarray(base["home_based_only"], bool), on_benefit=np.asarray(base["on_benefit"], bool),
        education=np.asarray(base["isced_level"], np.float32), region=region.astype(np.int32),
    )


def _broader_codes(market: Market, code: str) -> list[str]:
    """The codes above one in the ESCO hierarchy, nearest first (S6.5.6 -> S6.5, S6, S)."""
    chain, current = [], code
    while (current := market.skill_parent.get(current) or parent_code(current)) is not None:
        chain.append(current)
    return chain


def skill_share(market: Market, person_code: str, venture_code: str) -> float:
    """How far a person's ESCO code counts for a venture's code: 1 for the same code, a share for a
    broader or narrower one (per level), 0 otherwise. Groups with the same parent are counted apart
    (RELATED_GROUP_SHARE)."""
    if person_code == venture_code:
        return 1.0
    above_venture = _broader_codes(market, venture_code)
    if person_code in above_venture:
        return 0.0 if len(person_code) == 1 else BROADER_GROUP_SHARE ** (above_venture.index(person_code) + 1)
    above_person = _broader_codes(market, person_code)
    if venture_code in above_person:
        return NARROWER_GROUP_SHARE ** (above_person.index(venture_code) + 1)
    return 0.0


@lru_cache(maxsize=8192)
def _skill_credit(market: Market, code: str) -> tuple[tuple[int, float], ...]:
    """(index into market.skill_codes, share) for every code of the market that a person's code counts for."""
    credit = ((k, skill_share(market, code, venture_code)) for k, venture_code in enumerate(market.skill_codes))
    return tuple((k, share) for k, share in credit if share > 0)


def skill_credit_note() -> str:
    """How a person's skill codes count against a venture's, in words (for the model card)."""
    return (
        f"**Skill codes.** A person's ESCO code counts fully when it is the venture's own code. A broader code "
        f"(S6.5 for S6.5.6) counts {BROADER_GROUP_SHARE:g} of its level, {BROADER_GROUP_SHARE ** 2:g} two levels up; "
        f"the top codes S, T, L and K count nothing. A narrower code (S6.5.6 for S6.5) counts "
        f"{NARROWER_GROUP_SHARE:g}, {NARROWER_GROUP_SHARE ** 2:g} two levels down. A group with the same parent "
        f"(S6.5.5 for S6.5.6) counts {RELATED_GROUP_SHARE:g}. The best of these counts. An ESCO skill URI is read "
        "as its group's code on import (`data/esco_skills.csv`)."
    )


def _matched_skills(market: Market, people: People) -> np.ndarray:
    """(N, K) how far each person has each skill group: own level (or a broader or narrower code's share
    of it), or half of a related group's."""
    has_parent = market.parent_of >= 0
    related = np.where(has_parent, people.parent_level[:, np.maximum(market.parent_of, 0)], 0.0)
    return np.maximum(people.skill_level, RELATED_GROUP_SHARE * related) / 4.0


def _rows(matrix: np.ndarray, weights: np.ndarray, vidx: np.ndarray) -> np.ndarray:
    """matrix (N, X) against weights (V, X) for the ventures in vidx: (N, V') on a grid, (N, 1) in pairs."""
    if vidx.shape[0] == 1:
        return matrix @ weights[vidx[0]].T
    return np.einsum("nx,nx->n", matrix, weights[vidx[:, 0]])[:, None]


def bbz_eligible(people: People) -> np.ndarray:
    return people.on_benefit & (people.hours * 52 >= BBZ_HOURS_PER_YEAR)


def _experience(market: Market, people: People, vidx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Related experience: (years weighted by how close each occupation is to the venture's, and
    evidence 0-1 that stands in for its skills), each (N, V') or (N, 1)."""
    codes, inverse = np.unique(people.exp_isco, return_inverse=True)
    inverse = inverse.reshape(people.exp_isco.shape)
    a, b = codes[:, None], market.isco[None, :]
    share = np.where(a == b, 1.0, np.where(a // 10 == b // 10, 0.5, np.where(a // 100 == b // 100, 0.25, 0.0)))
    share[codes == 0] = 0.0  # (U, V): how related each occupation is to each venture's
    rows = np.repeat(np.arange(len(people)), people.exp_isco.shape[1])
    years = np.zeros((len(people), len(codes)), np.float32)
    np.add.at(years, (rows, inverse.ravel()), people.exp_years.ravel())
    capped = np.minimum(years, YEARS_FOR_FULL_EVIDENCE) / YEARS_FOR_FULL_EVIDENCE
    share = share.T.astype(np.float32)  # (V, U)
    return _rows(years, share, vidx), np.minimum(1.0, _rows(capped, share, vidx))


def _features(market: Market, people: People, vidx: np.ndarray) -> np.ndarray:
    """(N, V', F) with vidx (1, V') for a grid or (N, 1) for one venture per person."""
    n = len(people)
    out = np.empty((len(FEATURES), n, vidx.shape[1] if vidx.shape[0] == 1 else 1), np.float32)
    matched = _matched_skills(market, people)
    overlap = _rows(matched, market.w_combined, vidx)
    related_years, evidence = _experience(market, people, vidx)
    out[F["skill_match"]] = 1.0 - (1.0 - overlap) * (1.0 - OCCUPATION_SHARE * evidence)
    out[F["related_experience_years"]] = np.minimum(related_years, MAX_EXPERIENCE_YEARS)
    out[F["dutch_gap"]] = np.maximum(0, market.cefr_rank[vidx] - people.nl_rank[:, None].astype(np.int16))
    own = people.capital.astype(np.float32) + np.where(bbz_eligible(people), np.float32(market.bbz_max_eur), np.float32(0))
    gap = np.maximum(np.float32(0), market.capital[vidx, 1] - own[:, None])
    out[F["capital_gap_k"]] = gap / np.float32(1000)
    out[F["capital_unfunded_k"]] = np.maximum(np.float32(0), gap - np.float32(market.qredits_max_eur)) / np.float32(1000)
    exam_penalty = (~people.licence_exam_ok) & np.array([bool(x) for x in market.licence_exam_langs])
    burden = (market.licence_base[None, :] + exam_penalty).astype(np.float32)
    out[F["licence_burden"]] = _rows(burden, market.licence_matrix, vidx)
    out[F["interest_fit"]] = _rows(people.interests / np.float32(100.0), market.riasec_w, vidx)
    need = market.hours[vidx]
    out[F["hours_short"]] = np.maximum(0.0, need - people.hours[:, None]) / need
    out[F["home_conflict"]] = people.home_only[:, None] & ~market.home[vidx]
    out[F["market_saturation"]] = market.saturation[people.region[:, None], vidx]
    out[F["sector_survival"]] = market.sector_survival[vidx]
    out[F["demand"]] = market.demand[vidx]
    k = market.skill_index()
    cultural = matched[:, k[CULTURAL_SKILL]] if CULTURAL_SKILL in k else np.zeros(n)
    network = matched[:, k[NETWORK_SKILL]] if NETWORK_SKILL in k else np.zeros(n)
    community = (people.community_languages / 2.0 + cultural + network) / 3.0
    out[F["community_fit"]] = market.ethnic[vidx] * community[:, None]
    out[F["education_level"]] = people.education[:, None]
    out[F["on_benefit"]] = people.on_benefit[:, None]
    return np.moveaxis(out, 0, -1)


def features_grid(market: Market, people: People, ventures: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
    """(N, V, F): every person against every venture (or the given ones) in their own municipality."""
    vidx = np.arange(market.n_ventures) if ventures is None else np.asarray(ventures)
    return _features(market, people, vidx[None, :])


def features_pairs(market: Market, people: People, venture_idx: Sequence[int] | np.ndarray) -> np.ndarray:
    """(N, F): each person against one venture."""
    return _features(market, people, np.asarray(venture_idx).reshape(-1, 1))[:, 0, :]


def pair_features(profile: Profile, venture: int, market: Market, *, municipality: str | None = None) -> list[float]:
    """The features of one (person, venture) pair in plain Python: the definition, step by step."""
    skills: dict[str, float] = {}
    for s in profile.skills:
        skills[s.esco_group] = max(skills.get(s.esco_group, 0.0), float(min(max(s.level, 0), 4)))

    def has(code: str) -> float:
        own = max((skill_share(market, c, code) * lvl for c, lvl in skills.items()), default=0.0)
        parent = parent_code(code)
        siblings = [lvl for c, lvl in skills.items() if parent and parent_code(c) == parent]
        parent_known = parent in market.parent_codes
        return max(own, RELATED_GROUP_SHARE * max(siblings, default=0.0) if parent_known else 0.0) / 4.0

    required = {c: float(market.w_required[venture, k]) for k, c in enumerate(market.skill_codes) if market.w_required[venture, k]}
    helpful = {c: float(market.w_helpful[venture, k]) for k, c in enumerate(market.skill_codes) if market.w_helpful[venture, k]}
    total = sum(required.values()) + HELPFUL_SHARE * sum(helpful.values())
    overlap = (sum(w * has(c) for c, w in required.items()) + HELPFUL_SHARE * sum(w * has(c) for c, w in helpful.items())) / total
    isco, evidence, related_years = int(market.isco[venture]), 0.0, 0.0
    for e in sorted(profile.experience, key=lambda e: -e.years)[:MAX_EXPERIENCES]:
        code = isco_code(e.isco) or market.occupation_isco.get(e.esco_uri or "", 0)
        years = max(0.0, float(e.years))
        if not code:
            continue
        share = 1.0 if code == isco else 0.5 if code // 10 == isco // 10 else 0.25 if code // 100 == isco // 100 else 0.0
        evidence += share * min(years, YEARS_FOR_FULL_EVIDENCE) / YEARS_FOR_FULL_EVIDENCE
        related_years += share * years
    known = {lang.code for lang in profile.languages if cefr_rank(lang.cefr) >= EXAM_LEVEL}
    hours, need = max(0.0, float(profile.hours_per_week)), float(market.hours[venture])
    bbz = market.bbz_max_eur if profile.on_benefit and hours * 52 >= BBZ_HOURS_PER_YEAR else 0.0
    gap = max(0.0, float(market.capital[venture, 1]) - max(0.0, float(profile.capital_eur)) - bbz)
    burden = 0.0
    for lic in range(len(market.licence_ids)):
        if market.venture_licences[venture, lic]:
            exams = market.licence_exam_langs[lic]
            burden += float(market.licence_base[lic]) + (1.0 if exams and not exams & known else 0.0)
    interest = sum(float(market.riasec_w[venture, j]) * profile.interests.get(c, 50) / 100.0 for j, c in enumerate(RIASEC))
    region = market.region_index(municipality or profile.municipality)
    community = 0.0
    if market.ethnic[venture]:
        community = (min(len(known - {"nl"}), 2) / 2.0 + has(CULTURAL_SKILL) * (CULTURAL_SKILL in market.skill_codes)
                     + has(NETWORK_SKILL) * (NETWORK_SKILL in market.skill_codes)) / 3.0
    return [
        1.0 - (1.0 - overlap) * (1.0 - OCCUPATION_SHARE * min(1.0, evidence)),
        min(related_years, MAX_EXPERIENCE_YEARS),
        float(max(0, int(market.cefr_rank[venture]) - cefr_rank(profile.cefr("nl")))),
        gap / 1000.0,
        max(0.0, gap - market.qredits_max_eur) / 1000.0,
        burden,
        interest,
        max(0.0, need - hours) / need,
        float(profile.home_based_only and not market.home[venture]),
        float(market.saturation[region, venture]),
        float(market.sector_survival[venture]),
        float(market.demand[venture]),
        community,
        float(profile.education.isced_level),
        float(profile.on_benefit),
    ]
