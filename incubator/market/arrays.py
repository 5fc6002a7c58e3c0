"""The market dataset as NumPy arrays, read once per dataset version.

`load_market` reads the market tables from DuckDB into a `Market` (one row per venture, skill group,
licence and municipality) and caches it until the dataset or the local uploads change. The features
of (person, venture, region) are computed from it in `incubator.suggestions.features`.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from functools import cached_property

import duckdb
import numpy as np

from incubator.core.errors import DomainError
from incubator.core.i18n import LANGUAGES, N_
from incubator.market.labels import Label, every_label
from incubator.market.taxonomy import CEFR_LEVELS, RIASEC

# Judgements of the project that shape the arrays (the model card lists them).
HELPFUL_SHARE = 0.5  # "helpful" skills weigh half as much as "required" ones
RIASEC_POSITION_WEIGHTS = (1.0, 0.6, 0.3)
BBZ_LOAN_MAX_EUR = 39_057.0  # fallbacks when funding_routes.csv lacks the row (FACTS.md)
QREDITS_MAX_EUR = 50_000.0


class MarketNotLoaded(DomainError):
    default_key = N_("The market data is not loaded yet. Run: python -m incubator seed")


@dataclass(frozen=True, eq=False)
class Market:
    """The market dataset as arrays: one row per venture (V), skill group (K), licence (L),
    municipality (M, plus a last row for the Netherlands as a whole)."""

    version: str
    venture_ids: tuple[str, ...]
    names: dict[str, tuple[str, ...]]  # lang -> names, for every interface language (English where none)
    family: np.ndarray  # (V,) str
    isco: np.ndarray  # (V,) int
    esco_uri: tuple[str, ...]
    sbi_section: tuple[str, ...]
    sbi2008: tuple[str, ...]
    sbi2025: tuple[str | None, ...]
    skill_codes: tuple[str, ...]  # (K,)
    skill_labels: dict[str, tuple[str, ...]]  # lang -> (K,), every interface language
    parent_codes: tuple[str, ...]  # (P,)
    parent_of: np.ndarray  # (K,) index into parent_codes, -1 for none
    w_required: np.ndarray  # (V, K)
    w_helpful: np.ndarray  # (V, K)
    w_combined: np.ndarray  # (V, K), normalised so that a perfect match gives 1
    cefr_rank: np.ndarray  # (V,) 1..6
    capital: np.ndarray  # (V, 3) low, typical, high
    licence_ids: tuple[str, ...]  # (L,)
    licence_names: dict[str, tuple[str, ...]]
    venture_licences: np.ndarray  # (V, L) bool, every licence of the venture
    licence_base: np.ndarray  # (L,) burden of a licence before language
    licence_exam_langs: tuple[frozenset[str], ...]  # (L,) languages an exam can be taken in
    premises: tuple[str, ...]
    home: np.ndarray  # (V,) bool: can start at home (one of its start options)
    hours: np.ndarray  # (V,)
    start_options: tuple[frozenset[str], ...]  # (V,) the ways it can start: home, shared_workshop, ...
    hours_min: np.ndarray  # (V,) the fewest hours a week it can start with
    riasec_w: np.ndarray  # (V, 6)
    sector_survival: np.ndarray  # (V,) share alive after 5 years
    demand: np.ndarray  # (V,) log ratio against national
    ethnic: np.ndarray  # (V,) bool
    region_codes: tuple[str, ...]  # (M+1,) GM codes, then "NL"
    region_names: tuple[str, ...]
    region_province: tuple[str, ...]
    region_population: np.ndarray  # (M+1,)
    density_region: np.ndarray  # (M+1, V) businesses per 10,000 inhabitants, nan if unknown
    density_national: np.ndarray  # (V,)
    saturation: np.ndarray  # (M+1, V) log(regional / national), 0 where unknown
    occupation_isco: dict[str, int]  # ESCO occupation URI -> ISCO unit group
    bbz_max_eur: float = BBZ_LOAN_MAX_EUR
    qredits_max_eur: float = QREDITS_MAX_EUR
    details: dict = field(default_factory=dict)  # figures shown beside a venture (snapshot)
    skill_parent: dict[str, str] = field(default_factory=dict)  # every ESCO hierarchy code -> its broader code

    @property
    def licence_matrix(self) -> np.ndarray:
        return self.details["licence_matrix"]

    @property
    def n_ventures(self) -> int:
        return len(self.venture_ids)

    @property
    def national(self) -> int:
        return len(self.region_codes) - 1

    def venture_index(self, venture_id: str) -> int:
        return self.venture_ids.index(venture_id)

    def region_index(self, code: str | None) -> int:
        return self._region_index.get(code or "", self.national)

    @cached_property
    def _region_index(self) -> dict[str, int]:
        return {code: r for r, code in enumerate(self.region_codes)}

    @cached_property
    def _skill_index(self) -> dict[str, int]:
        return {code: k for k, code in enumerate(self.skill_codes)}

    def skill_index(self) -> dict[str, int]:
        return self._skill_index

    @cached_property
    def exams_by_language(self) -> dict[str, list[int]]:
        """Language code -> the licences whose exam can be taken in it."""
        out: dict[str, list[int]] = {}
        for i, langs in enumerate(self.licence_exam_langs):
            for code in langs:
                out.setdefault(code, []).append(i)
        return out


_MARKET_CACHE: dict[str, Market] = {}
# Filled under a lock: page runs in many threads at once would otherwise each build the arrays, and
# one thread clearing the cache for a new version could pull the entry from under another.
_MARKET_LOCK = threading.Lock()


def market_version(cur: duckdb.DuckDBPyConnection) -> str | None:
    """The loaded dataset version plus the local uploads (a new upload changes the figures)."""
    row = cur.execute("SELECT max(version) FROM market_dataset").fetchone()
    if not row or row[0] is None:
        return None
    uploads = cur.execute("SELECT count(*), coalesce(max(upload_id), 0) FROM local_market_uploads").fetchone()
    return f"{row[0]}+{uploads[0]}.{uploads[1]}"


def load_market(cur: duckdb.DuckDBPyConnection) -> Market:
    """The market arrays, read once per dataset version. Raises MarketNotLoaded before the seed."""
    version = market_version(cur)
    if version is None:
        raise MarketNotLoaded()
    with _MARKET_LOCK:
        market = _MARKET_CACHE.get(version)
        if market is None:
            market = build_market(cur, version)
            _MARKET_CACHE.clear()
            _MARKET_CACHE[version] = market
    return market


_CEFR_RANK = {level: rank for rank, level in enumerate(CEFR_LEVELS, start=1)}


def cefr_rank(level: str | None) -> int:
    return _CEFR_RANK.get(level or "", 0)


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def isco_code(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) == 4 else 0


def riasec_weights(code: str) -> list[float]:
    """A venture's RIASEC code as weights over R, I, A, S, E, C that sum to 1."""
    weights = [0.0] * 6
    for position, letter in enumerate(code[:3]):
        weights[RIASEC.index(letter)] = RIASEC_POSITION_WEIGHTS[position]
    total = sum(weights)
    return [w / total for w in weights] if total else [1 / 6] * 6


def log_ratio(value: float | None, reference: float | None) -> float:
    if value is None or reference is None or not value or not reference or math.isnan(value) or math.isnan(reference):
        return 0.0
    return math.log(value / reference)


def _rows_of(cur: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    result = cur.execute(sql)
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def build_market(cur: duckdb.DuckDBPyConnection, version: str) -> Market:
    """Read the market tables into arrays (use `load_market`, which caches this per version)."""
    ventures = _rows_of(cur, "SELECT * FROM ventures ORDER BY venture_id")
    if not ventures:
        raise MarketNotLoaded()
    vindex = {v["venture_id"]: i for i, v in enumerate(ventures)}
    links = _rows_of(cur, "SELECT venture_id, skill_code, kind, weight FROM venture_skills")
    labels = every_label(cur)
    groups = {g["code"]: labels.get("skill_group", {}).get(g["code"]) for g in _rows_of(cur, "SELECT code FROM skill_groups")}
    hierarchy = _rows_of(cur, "SELECT code, label_en, parent_code FROM esco_skill_hierarchy")
    english = {h["code"]: h["label_en"] for h in hierarchy}  # ESCO's own label where we have no translation
    codes = tuple(sorted(set(groups) | {s["skill_code"] for s in links}))
    k_index = {c: k for k, c in enumerate(codes)}
    parents = tuple(sorted({p for c in codes if (p := parent_code(c))}))
    w = {"required": np.zeros((len(ventures), len(codes))), "helpful": np.zeros((len(ventures), len(codes)))}
    for s in links:
        w[s["kind"]][vindex[s["venture_id"]], k_index[s["skill_code"]]] = s["weight"]
    total = w["required"].sum(axis=1) + HELPFUL_SHARE * w["helpful"].sum(axis=1)
    combined = (w["required"] + HELPFUL_SHARE * w["helpful"]) / np.where(total > 0, total, 1.0)[:, None]

    licences = _rows_of(cur, "SELECT * FROM licences ORDER BY licence_id")
    l_index = {row["licence_id"]: i for i, row in enumerate(licences)}
    held = np.zeros((len(ventures), len(licences)), bool)
    for link in _rows_of(cur, "SELECT venture_id, licence_id FROM venture_licences"):
        held[vindex[link["venture_id"]], l_index[link["licence_id"]]] = True
    universal = held.all(axis=0)  # the KVK registration: every venture needs it, so it tells nothing
    base = np.array([0.0 if universal[i] else (1.0 if row["legally_required"] else 0.5)
                     + (row["lead_time_weeks"] or 0) / 26.0 for i, row in enumerate(licences)])
    exams = tuple(frozenset(x for x in (row["exam_languages"] or "").split(";") if x)
                  if row["kind"] == "exam" else frozenset() for row in licences)

    sectors = {row["sbi_code"]: row for row in _rows_of(cur, "SELECT * FROM sectors")}
    total_row = sectors.get("TOTAL", {})

    def survival(section: str) -> float:
        value = (sectors.get(section) or {}).get("survival_5y_pct") or total_row.get("survival_5y_pct") or 65.0
        return float(value) / 100.0

    signals = _rows_of(cur, "SELECT * FROM demand_signals")
    national_tension = next((s["value"] for s in signals if s["indicator"] == "uwv_tension" and s["scope"] == "national"), None)
    national_vacancies = next((s["value"] for s in signals if s["indicator"] == "cbs_vacancies" and s["scope"] == "national"), None)
    per_business = (national_vacancies / total_row["businesses"]) if national_vacancies and total_row.get("businesses") else None

    def demand_of(v: dict) -> tuple[float, float | None, float | None]:
        tension = next((s["value"] for s in signals if s["indicator"] == "uwv_tension" and s["isco"] == v["isco"]), None)
        vacancies = next((s["value"] for s in signals if s["indicator"] == "cbs_vacancies" and s["scope"] == "sector"
                          and s["sbi_section"] == v["sbi_section"]), None)
        businesses = (sectors.get(v["sbi_section"]) or {}).get("businesses")
        ratios = [log_ratio(tension, national_tension)] if tension else []
        if vacancies and businesses and per_business:
            ratios.append(log_ratio(vacancies / businesses, per_business))
        return (float(np.clip(np.mean(ratios), -1.5, 1.5)) if ratios else 0.0), tension, vacancies

    municipalities = _rows_of(cur, "SELECT gm_code, name, province_code, population FROM municipalities ORDER BY gm_code")
    density: dict[tuple[str, str], float] = {
        (s["region_code"], s["sbi_code"]): s["value"]
        for s in _rows_of(cur, "SELECT region_code, sbi_code, value FROM regional_signals WHERE indicator = 'businesses_per_10k'")
    }
    density.update({  # figures a manager uploaded replace the national tables for their region
        (s["region_code"], s["sbi_code"]): s["value"]
        for s in _rows_of(cur, "SELECT region_code, sbi_code, value FROM local_market_signals "
                               "WHERE indicator = 'businesses_per_10k' ORDER BY upload_id, line")
    })
    regions = [(m["gm_code"], m["name"], m["province_code"]) for m in municipalities] + [("NL", "Nederland", "NL")]
    dens_region = np.full((len(regions), len(ventures)), np.nan)
    dens_national = np.full(len(ventures), np.nan)
    for v, venture in enumerate(ventures):
        for code in (venture["sbi2008"], venture["sbi_section"]):
            national = density.get(("NL", code))
            if national is None:
                continue
            dens_national[v] = national
            for r, (gm, _, province) in enumerate(regions):
                dens_region[r, v] = density.get((gm, code), density.get((province, code), national))
            break
    saturation = np.nan_to_num(np.log(dens_region / dens_national[None, :]), nan=0.0, posinf=0.0, neginf=0.0)

    routes = _rows_of(cur, "SELECT * FROM funding_routes ORDER BY route_id")
    route_max = {r["route_id"]: r["max_amount_eur"] for r in routes}
    demand = [demand_of(v) for v in ventures]
    start_options = tuple(frozenset((v["start_options"] or "").split(";")) - {""} for v in ventures)
    details = {
        "ventures": ventures, "licences": licences, "funding_routes": routes, "sectors": sectors,
        "tension": [d[1] for d in demand], "vacancies": [d[2] for d in demand],
        "licence_matrix": held.astype(np.float32),
        "occupations": _rows_of(cur, "SELECT esco_uri, isco FROM occupations"),
    }
    # Each row of the details carries its Label (every language; the reader's is picked when shown).
    for key, kind, column in (("ventures", "venture", "venture_id"), ("licences", "licence", "licence_id"),
                              ("funding_routes", "funding_route", "route_id"), ("occupations", "occupation", "esco_uri")):
        for row in details[key]:
            row["label"] = labels.get(kind, {}).get(row[column]) or Label.same(row[column])
    for code, row in sectors.items():
        row["label"] = labels.get("sector", {}).get(code) or Label.same(code)
    details["occupations"].sort(key=lambda row: row["label"].en)

    def per_language(labelled: list[Label]) -> dict[str, tuple[str, ...]]:
        return {lang: tuple(label.get(lang) for label in labelled) for lang in LANGUAGES}

    return Market(
        version=version,
        venture_ids=tuple(v["venture_id"] for v in ventures),
        names=per_language([v["label"] for v in ventures]),
        family=np.array([v["family"] for v in ventures]),
        isco=np.array([isco_code(v["isco"]) for v in ventures], np.int32),
        esco_uri=tuple(v["esco_occupation_uri"] for v in ventures),
        sbi_section=tuple(v["sbi_section"] for v in ventures),
        sbi2008=tuple(v["sbi2008"] for v in ventures),
        sbi2025=tuple(v["sbi2025"] for v in ventures),
        skill_codes=codes,
        skill_labels=per_language([groups.get(c) or Label.same(english.get(c) or c) for c in codes]),
        parent_codes=parents,
        parent_of=np.array([parents.index(p) if (p := parent_code(c)) else -1 for c in codes], np.int32),
        w_required=w["required"], w_helpful=w["helpful"], w_combined=combined.astype(np.float32),
        cefr_rank=np.array([cefr_rank(v["cefr_typical"]) for v in ventures], np.int16),
        capital=np.array([[v["capital_low_eur"], v["capital_typical_eur"], v["capital_high_eur"]] for v in ventures], np.float32),
        licence_ids=tuple(row["licence_id"] for row in licences),
        licence_names=per_language([row["label"] for row in licences]),
        venture_licences=held, licence_base=base.astype(np.float32), licence_exam_langs=exams,
        premises=tuple(v["premises"] for v in ventures),
        home=np.array(["home" in ways for ways in start_options]),
        hours=np.array([float(v["hours_per_week"]) for v in ventures], np.float32),
        start_options=start_options,
        hours_min=np.array([float(v["hours_min_per_week"] or v["hours_per_week"]) for v in ventures], np.float32),
        riasec_w=np.array([riasec_weights(v["riasec"]) for v in ventures], np.float32),
        sector_survival=np.array([survival(v["sbi_section"]) for v in ventures], np.float32),
        demand=np.array([d[0] for d in demand], np.float32),
        ethnic=np.array([v["family"] == "ethnic_entrepreneurship" for v in ventures]),
        region_codes=tuple(r[0] for r in regions), region_names=tuple(r[1] for r in regions),
        region_province=tuple(r[2] for r in regions),
        region_population=np.array([m["population"] for m in municipalities] + [0], float),
        density_region=dens_region, density_national=dens_national, saturation=saturation.astype(np.float32),
        occupation_isco={row["esco_uri"]: isco_code(row["isco"]) for row in details["occupations"]},
        bbz_max_eur=float(route_max.get("bbz_business_loan") or BBZ_LOAN_MAX_EUR),
        qredits_max_eur=float(route_max.get("qredits_microcredit") or QREDITS_MAX_EUR),
        details=details,
        skill_parent={h["code"]: h["parent_code"] for h in hierarchy if h["parent_code"]},
    )
