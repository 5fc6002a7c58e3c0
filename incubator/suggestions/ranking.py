"""Ranking ventures for people: scores from the model, the reasons behind each score in plain words
(message keys with values, translated by the interface), what would raise it, and the diversity
rule (the top five span at least two families unless the person's own constraints rule that out).

Scores are estimates from a model trained on synthetic data until the programme's own outcomes
replace it; suggestions are material for a conversation with a mentor, never a verdict."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from incubator.core import i18n
from incubator.core.i18n import N_
from incubator.market.arrays import HELPFUL_SHARE, Market
from incubator.market.labels import Label, joined
from incubator.people.profile import CEFR_LEVELS, Profile
from incubator.suggestions import barriers as bx
from incubator.suggestions import features as fx
from incubator.suggestions.model import TrainedModel

TOP = 5
DIVERSE_TOP = 5
MIN_REASON = 0.005  # a contribution smaller than half a percentage point is not a reason
MIN_GAIN = 0.01  # an improvement must raise the score by at least one percentage point
CHUNK = 8192
LANGS = tuple(i18n.LANGUAGES)  # the data carries a label in each (English where a language has none)
CONSTANT_FEATURES = frozenset({"education_level", "on_benefit"})  # about the person, not the venture


@dataclass(frozen=True)
class Money:
    eur: float


@dataclass(frozen=True)
class Share:
    value: float


@dataclass(frozen=True)
class Message:
    """A message key (English msgid) with its values; `params_for` formats them for a language."""

    key: str
    params: dict = field(default_factory=dict)

    def params_for(self, lang: str) -> dict[str, object]:
        out = {}
        for name, value in self.params.items():
            if isinstance(value, Label):
                out[name] = value.get(lang)
            elif isinstance(value, Money):  # the key writes "EUR {amount}"
                out[name] = i18n.format_number(round(value.eur), lang)
            elif isinstance(value, Share):
                out[name] = i18n.format_share(value.value, lang)
            elif isinstance(value, float):
                out[name] = i18n.format_number(value, lang)
            else:
                out[name] = value
        return out

    def text(self, lang: str) -> str:
        """The message in a language (for the command line and exports)."""
        return i18n.translate(self.key, lang, **self.params_for(lang))


@dataclass(frozen=True)
class Reason:
    message: Message
    feature: str
    contribution: float  # in probability, against a typical value of the feature

    @property
    def helps(self) -> bool:
        return self.contribution > 0


@dataclass(frozen=True)
class Improvement:
    message: Message
    kind: str  # dutch | capital | hours | licence | skill
    score: float


@dataclass(frozen=True)
class Suggestion:
    venture_id: str
    name: Label
    family: str
    isco: str
    sbi2008: str
    sbi2025: str | None
    score: float
    reasons: tuple[Reason, ...]
    improvements: tuple[Improvement, ...]
    licences: tuple[dict, ...]
    funding: tuple[dict, ...]
    market: dict


def _label(market: Market, names: dict[str, Sequence[str]], i: int) -> Label:
    return Label({lang: names[lang][i] for lang in names})


def _joined(labels: Iterable[Label]) -> Label:
    return joined(labels)


def eligible(market: Market, people: fx.People) -> np.ndarray:
    """(N, V): ventures a person's own constraints allow (home only, hours, capital: see barriers)."""
    return ~bx.barriers(market, people).any


def score_grid(model: TrainedModel, market: Market, people: fx.People, *, chunk: int = CHUNK) -> np.ndarray:
    """(N, V): the estimate for every person against every venture in their own municipality."""
    return scores_and_fits(model, market, people, chunk=chunk)[0]


def scores_and_fits(model: TrainedModel, market: Market, people: fx.People, *,
                    chunk: int = CHUNK) -> tuple[np.ndarray, np.ndarray]:
    """(N, V) estimates and (N, V) fits to skills and experience (barriers.fit), computed together."""
    out = np.empty((len(people), market.n_ventures), np.float32)
    fits = np.empty((len(people), market.n_ventures), np.float32)
    for start in range(0, len(people), chunk):
        rows = np.arange(start, min(len(people), start + chunk))
        part = people if len(rows) == len(people) else people.take(rows)
        x = fx.features_grid(market, part)
        out[rows], fits[rows] = model.predict(x), bx.fit(x)
    return out, fits


def diverse_top(scores: np.ndarray, family: np.ndarray, allowed: np.ndarray, top: int) -> list[int]:
    """Indices of the best `top` allowed ventures; when the first five are all of one family and an
    allowed venture of another family exists, the best of those takes the fifth place."""
    order = [int(i) for i in np.argsort(-scores, kind="stable") if allowed[i]]
    chosen = order[:top]
    head = min(top, DIVERSE_TOP)
    if head >= 2 and len({family[i] for i in chosen[:head]}) < 2:
        other = next((i for i in order if family[i] != family[chosen[0]]), None)
        if other is not None:
            chosen = chosen[: head - 1] + [other] + [i for i in chosen[head - 1:] if i != other][: top - head]
    return chosen


def _stack(items: Sequence[fx.People]) -> fx.People:
    return fx.People(tuple(i for p in items for i in p.ids),
                     *(np.concatenate([getattr(p, f) for p in items]) for f in fx._ARRAY_FIELDS))


def _dutch_level(rank: int) -> str:
    return CEFR_LEVELS[rank - 1] if rank >= 1 else "-"


def _best_skill(market: Market, matched: np.ndarray, v: int, *, missing: bool) -> int | None:
    weights = market.w_required[v] + HELPFUL_SHARE * market.w_helpful[v]
    value = weights * ((1.0 - matched) if missing else matched)
    k = int(np.argmax(value))
    return k if value[k] > 0 else None


def _reason(market: Market, person: fx.People, x: np.ndarray, v: int, name: str, good: bool) -> Message:
    matched = fx._matched_skills(market, person)[0]
    if name == "skill_match":
        k = _best_skill(market, matched, v, missing=not good)
        if good:
            return (Message(N_("Your skills in {skill} match this venture"), {"skill": _label(market, market.skill_labels, k)})
                    if k is not None else Message(N_("Your work experience matches this venture")))
        return (Message(N_("This venture asks for skills in {skill}"), {"skill": _label(market, market.skill_labels, k)})
                if k is not None else Message(N_("Your skills do not match this venture yet")))
    if name == "related_experience_years":
        return (Message(N_("Your {years} years of related work experience count here"), {"years": round(float(x[fx.F[name]]))})
                if good else Message(N_("You have little work experience in this field yet")))
    if name == "dutch_gap":
        if good:
            return Message(N_("Your Dutch is at the level this venture usually needs"))
        level = _dutch_level(int(market.cefr_rank[v]))
        if person.nl_rank[0] == 0:
            return Message(N_("This venture usually needs Dutch at level {level}"), {"level": level})
        return Message(N_("This venture usually needs Dutch at level {level}; yours is {own}"),
                       {"level": level, "own": _dutch_level(int(person.nl_rank[0]))})
    if name in ("capital_gap_k", "capital_unfunded_k"):
        gap = float(x[fx.F[name]]) * 1000
        if not good:
            key = (N_("EUR {amount} of the start-up capital is not covered yet") if name == "capital_gap_k"
                   else N_("EUR {amount} of the start-up capital is more than Qredits lends"))
            return Message(key, {"amount": Money(gap)})
        return (Message(N_("Your own money and the Bbz loan cover the start-up capital")) if fx.bbz_eligible(person)[0]
                else Message(N_("Your own money covers the start-up capital")))
    if name == "licence_burden":
        needed = [i for i in np.flatnonzero(market.venture_licences[v]) if market.licence_base[i] > 0]
        if good or not needed:
            return Message(N_("No licences or permits are needed beyond the KVK registration"))
        return Message(N_("It needs licences or permits: {licences}"),
                       {"licences": _joined(_label(market, market.licence_names, i) for i in needed)})
    if name == "hours_short":
        return (Message(N_("Your available hours fit this venture")) if good else
                Message(N_("It needs about {hours} hours a week; you have {own}"),
                        {"hours": int(market.hours[v]), "own": int(person.hours[0])}))
    simple = {
        "interest_fit": (N_("It fits your interests"), N_("It fits your interests less well")),
        "home_conflict": (N_("It can be run from home"), N_("It cannot be run from home")),
        "market_saturation": (N_("There are fewer businesses of this kind in your province than on average"),
                              N_("There are more businesses of this kind in your province than on average")),
        "sector_survival": (N_("Businesses in this sector survive longer than average"),
                            N_("Businesses in this sector close more often than average")),
        "demand": (N_("Demand for this work is high"), N_("Demand for this work is low")),
        "community_fit": (N_("Your languages, cultural skills and network fit this venture"),
                          N_("This venture builds on languages, cultural skills and a network")),
    }
    return Message(simple[name][0 if good else 1])


# The same sentences for someone who reads about a participant (their mentor, a manager): "{name}'s
# skills" where the person themself reads "Your skills". Sentences without "you" read the same for all.
ABOUT_SOMEONE = {
    N_("Your skills in {skill} match this venture"): N_("{name}'s skills in {skill} match this venture"),
    N_("Your work experience matches this venture"): N_("{name}'s work experience matches this venture"),
    N_("Your skills do not match this venture yet"): N_("{name}'s skills do not match this venture yet"),
    N_("Your {years} years of related work experience count here"):
        N_("{name}'s {years} years of related work experience count here"),
    N_("You have little work experience in this field yet"): N_("{name} has little work experience in this field yet"),
    N_("Your Dutch is at the level this venture usually needs"):
        N_("{name}'s Dutch is at the level this venture usually needs"),
    N_("This venture usually needs Dutch at level {level}; yours is {own}"):
        N_("This venture usually needs Dutch at level {level}; {name}'s is {own}"),
    N_("Your own money and the Bbz loan cover the start-up capital"):
        N_("{name}'s own money and the Bbz loan cover the start-up capital"),
    N_("Your own money covers the start-up capital"): N_("{name}'s own money covers the start-up capital"),
    N_("Your available hours fit this venture"): N_("{name}'s available hours fit this venture"),
    N_("It needs about {hours} hours a week; you have {own}"): N_("It needs about {hours} hours a week; {name} has {own}"),
    N_("It fits your interests"): N_("It fits {name}'s interests"),
    N_("It fits your interests less well"): N_("It fits {name}'s interests less well"),
    N_("There are fewer businesses of this kind in your province than on average"):
        N_("There are fewer businesses of this kind in {name}'s province than on average"),
    N_("There are more businesses of this kind in your province than on average"):
        N_("There are more businesses of this kind in {name}'s province than on average"),
    N_("Your languages, cultural skills and network fit this venture"):
        N_("{name}'s languages, cultural skills and network fit this venture"),
    N_("Getting the {licence} before you start would raise this to {score}"):
        N_("Getting the {licence} before {name} starts would raise this to {score}"),
    N_("It cannot start at home, and you can only work from home"):
        N_("It cannot start at home, and {name} can only work from home"),
    N_("It needs at least {hours} hours a week; you have {own}"): N_("It needs at least {hours} hours a week; {name} has {own}"),
    N_("EUR {amount} more money of your own would open it: Qredits lends at most EUR {limit}"):
        N_("EUR {amount} more of {name}'s own money would open it: Qredits lends at most EUR {limit}"),
    N_("Even a small start costs EUR {amount}; your own money and the loans open to you now reach EUR {reach}"):
        N_("Even a small start costs EUR {amount}; {name}'s own money and the loans open to {name} now reach EUR {reach}"),
}


def about_someone(message: Message, name: str) -> Message:
    """A message worded for someone who reads about the person called `name`."""
    key = ABOUT_SOMEONE.get(message.key)
    return message if key is None else Message(key, dict(message.params, name=name))


def ruled_out_worded_for(ruled: Iterable[RuledOut], about: str | None) -> list[RuledOut]:
    """The ventures ruled out, their barriers and openings worded for the reader (as `worded_for`)."""
    if about is None:
        return list(ruled)
    return [replace(r, barriers=tuple(replace(b, message=about_someone(b.message, about),
                                              openings=tuple(about_someone(o, about) for o in b.openings))
                                      for b in r.barriers))
            for r in ruled]


def worded_for(suggestions: Iterable[Suggestion], about: str | None) -> list[Suggestion]:
    """The suggestions worded for their reader: as they are for the person themself (`about` None), in
    the third person about `about` (a display name, else the pseudonymous id) for anyone else."""
    if about is None:
        return list(suggestions)
    return [replace(s, reasons=tuple(replace(r, message=about_someone(r.message, about)) for r in s.reasons),
                    improvements=tuple(replace(i, message=about_someone(i.message, about)) for i in s.improvements))
            for s in suggestions]


def reasons(model: TrainedModel, market: Market, person: fx.People, x: np.ndarray, ventures: Sequence[int],
            *, limit: int = 3) -> list[tuple[Reason, ...]]:
    """The largest contributions for each (person, venture) row of x (one person, rows = ventures):
    the change in the estimate when the feature is set to a typical value instead."""
    reference = np.array([f["reference"] for f in model.card["features"]], np.float32) if model.card.get("features") \
        else np.median(x, axis=0)
    names = [n for n in fx.FEATURE_NAMES if n not in CONSTANT_FEATURES]
    moved = np.repeat(x[:, None, :], len(names), axis=1)
    for j, name in enumerate(names):
        moved[:, j, fx.F[name]] = reference[fx.F[name]]
    contribution = model.predict(x)[:, None] - model.predict(moved)
    out = []
    for row, v in enumerate(ventures):
        order = [j for j in np.argsort(-np.abs(contribution[row])) if abs(contribution[row, j]) >= MIN_REASON][:limit]
        out.append(tuple(Reason(_reason(market, person, x[row], v, names[j], contribution[row, j] > 0), names[j],
                                float(contribution[row, j])) for j in order))
    return out


def improvements(model: TrainedModel, market: Market, person: fx.People, x: np.ndarray, ventures: Sequence[int],
                 *, limit: int = 3) -> list[tuple[Improvement, ...]]:
    """What would raise each score: reaching the usual Dutch level, money through Qredits, more hours,
    a licence obtained beforehand, training in the skill the venture needs most."""
    base = model.predict(x)
    variants: list[tuple[int, str, Message, fx.People | None, np.ndarray | None]] = []
    matched = fx._matched_skills(market, person)[0]
    for row, v in enumerate(ventures):
        f = x[row]
        if f[fx.F["dutch_gap"]] > 0:
            target = int(market.cefr_rank[v])
            ok = person.licence_exam_ok | (np.array(["nl" in langs for langs in market.licence_exam_langs]) & (target >= fx.EXAM_LEVEL))
            variants.append((row, "dutch", Message(N_("Reaching Dutch {level} would raise this to {score}"), {"level": _dutch_level(target)}),
                             person.with_changes(nl_rank=np.array([target], np.int8), licence_exam_ok=ok), None))
        gap = float(f[fx.F["capital_gap_k"]]) * 1000
        if gap > 0:
            amount = min(gap, market.qredits_max_eur)
            key = (N_("EUR {amount} through Qredits would cover the start-up capital and raise this to {score}")
                   if amount >= gap else N_("EUR {amount} through Qredits would cover part of the start-up capital and raise this to {score}"))
            variants.append((row, "capital", Message(key, {"amount": Money(amount)}),
                             person.with_changes(capital=person.capital + amount), None))
        if f[fx.F["hours_short"]] > 0:
            need = float(market.hours[v])
            variants.append((row, "hours", Message(N_("{hours} hours a week for the business would raise this to {score}"), {"hours": int(need)}),
                             person.with_changes(hours=np.array([need], np.float32)), None))
        needed = [i for i in np.flatnonzero(market.venture_licences[v]) if market.licence_base[i] > 0]
        if needed:
            heaviest = max(needed, key=lambda i: market.licence_base[i] + (bool(market.licence_exam_langs[i]) and not person.licence_exam_ok[0, i]))
            edited = f.copy()
            edited[fx.F["licence_burden"]] -= market.licence_base[heaviest] + (bool(market.licence_exam_langs[heaviest]) and not person.licence_exam_ok[0, heaviest])
            variants.append((row, "licence", Message(N_("Getting the {licence} before you start would raise this to {score}"),
                                                     {"licence": _label(market, market.licence_names, heaviest)}), None, edited))
        k = _best_skill(market, matched, v, missing=True)
        if k is not None and matched[k] < 0.75:
            level = person.skill_level.copy()
            level[0, k] = 3
            variants.append((row, "skill", Message(N_("Training in {skill} would raise this to {score}"), {"skill": _label(market, market.skill_labels, k)}),
                             person.with_changes(skill_level=level), None))
    if not variants:
        return [() for _ in ventures]
    rows = [vr for vr in variants if vr[3] is not None]
    changed = np.empty((len(variants), x.shape[1]), np.float32)
    if rows:
        computed = fx.features_pairs(market, _stack([vr[3] for vr in rows]), [ventures[vr[0]] for vr in rows])
        for j, i in enumerate(i for i, vr in enumerate(variants) if vr[3] is not None):
            changed[i] = computed[j]
    for i, vr in enumerate(variants):
        if vr[4] is not None:
            changed[i] = vr[4]
    new = model.predict(changed)
    found: list[list[Improvement]] = [[] for _ in ventures]
    for (row, kind, message, _, _), score in zip(variants, new, strict=True):
        if score - base[row] >= MIN_GAIN:
            found[row].append(Improvement(Message(message.key, dict(message.params, score=Share(float(score)))), kind, float(score)))
    return [tuple(sorted(items, key=lambda i: -i.score)[:limit]) for items in found]


def _number(value: object) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)


def market_snapshot(market: Market, v: int, region: int) -> dict:
    """The figures shown beside a venture in the person's municipality (with their province)."""
    d = market.details
    venture, section = d["ventures"][v], d["sectors"].get(market.sbi_section[v]) or {}
    return {
        "region_code": market.region_codes[region], "region_name": market.region_names[region],
        "province_code": market.region_province[region],
        "density_region": _number(market.density_region[region, v]), "density_national": _number(market.density_national[v]),
        "sector": section.get("label") or Label.same(market.sbi_section[v]),
        "businesses": section.get("businesses"), "businesses_period": section.get("businesses_period"),
        "survival_5y_pct": section.get("survival_5y_pct"),
        "survival_5y_pct_all": (d["sectors"].get("TOTAL") or {}).get("survival_5y_pct"),
        "vacancies": d["vacancies"][v], "tension": d["tension"][v],
        "season": [float(venture[f"season_{m:02d}"]) for m in range(1, 13)],
        "revenue_month_eur": (venture["revenue_month_low_eur"], venture["revenue_month_high_eur"]),
        "capital_eur": tuple(float(c) for c in market.capital[v]),
        "hours_per_week": float(market.hours[v]), "premises": market.premises[v],
        "jobs_potential": venture["jobs_potential"],
    }


def licences_of(market: Market, v: int) -> tuple[dict, ...]:
    rows = market.details["licences"]
    return tuple({
        "licence_id": rows[i]["licence_id"], "name": _label(market, market.licence_names, i), "kind": rows[i]["kind"],
        "legally_required": bool(rows[i]["legally_required"]), "cost_eur_low": rows[i]["cost_eur_low"],
        "cost_eur_high": rows[i]["cost_eur_high"], "lead_time_weeks": rows[i]["lead_time_weeks"],
        "exam_languages": sorted(market.licence_exam_langs[i]),
    } for i in np.flatnonzero(market.venture_licences[v]))


def funding_for(market: Market, person: fx.People, v: int) -> tuple[dict, ...]:
    """How the typical start-up capital could be paid: own money, the Bbz loan (for people on a
    benefit who work at least 1,225 hours a year in the business), a Qredits microcredit."""
    routes = {r["route_id"]: r for r in market.details["funding_routes"]}
    need, own = float(market.capital[v, 1]), float(person.capital[0])
    out, left = [], need

    def add(route_id: str, amount: float | None, eligible_now: bool = True) -> None:
        row = routes.get(route_id)
        if row is not None and (amount is None or amount > 0):
            out.append({"route_id": route_id, "name": row["label"],
                        "amount_eur": None if amount is None else round(amount),
                        "max_amount_eur": row["max_amount_eur"], "max_months": row["max_months"], "eligible": eligible_now})

    add("own_savings", min(own, left))
    left = max(0.0, left - own)
    if person.on_benefit[0]:
        add("bbz_preparation", None)
        bbz = min(left, market.bbz_max_eur)
        add("bbz_business_loan", bbz, bool(fx.bbz_eligible(person)[0]))
        left -= bbz if fx.bbz_eligible(person)[0] else 0.0
    add("qredits_microcredit", min(left, market.qredits_max_eur))
    return tuple(out)


def _suggestions(model: TrainedModel, market: Market, person: fx.People, x: np.ndarray, scores: np.ndarray,
                 chosen: Sequence[int]) -> list[Suggestion]:
    rows = x[list(chosen)]
    why, better = reasons(model, market, person, rows, chosen), improvements(model, market, person, rows, chosen)
    region = int(person.region[0])
    return [Suggestion(
        venture_id=market.venture_ids[v], name=_label(market, market.names, v), family=str(market.family[v]),
        isco=f"{int(market.isco[v]):04d}", sbi2008=market.sbi2008[v], sbi2025=market.sbi2025[v], score=float(scores[v]),
        reasons=why[j], improvements=better[j], licences=licences_of(market, v), funding=funding_for(market, person, v),
        market=market_snapshot(market, v, region),
    ) for j, v in enumerate(chosen)]


def suggest(profile: Profile, market: Market, model: TrainedModel, *, municipality: str | None = None,
            top: int = TOP, set_aside: Iterable[str] = ()) -> list[Suggestion]:
    """The best ventures for one person in their municipality (or `municipality`), with reasons,
    improvements, market snapshot, licences and funding routes. Ventures set aside are left out; so
    are ventures unrelated to the person's skills (see `rank`, which also gives those ruled out)."""
    return rank(profile, market, model, municipality=municipality, top=top, set_aside=set_aside).suggestions


def score_venture(profile: Profile, market: Market, model: TrainedModel, venture_id: str, *,
                  municipality: str | None = None) -> tuple[Suggestion, np.ndarray]:
    """One venture for one person (also one the ranking left out), with its feature values."""
    person = fx.people_from_profiles([profile], market, municipality=municipality)
    v = market.venture_index(venture_id)
    x = fx.features_grid(market, person, [v])[0]
    scores = np.zeros(market.n_ventures, np.float32)
    scores[v] = model.predict(x)[0]
    full = np.zeros((market.n_ventures, x.shape[1]), np.float32)
    full[v] = x[0]
    return _suggestions(model, market, person, full, scores, [v])[0], x[0]


def diverse_top_many(scores: np.ndarray, family: np.ndarray, allowed: np.ndarray, top: int) -> np.ndarray:
    """`diverse_top` for every row of scores (N, V) at once: (N, top) venture indices, -1 where fewer
    ventures are allowed."""
    masked = np.where(allowed, scores, -np.inf)
    k = min(top, scores.shape[1])
    order = np.argsort(-masked, axis=1, kind="stable")[:, :k]  # stable: ties keep the venture order
    valid = np.take_along_axis(masked, order, axis=1) > -np.inf
    return np.where(valid, with_another_family(masked, order, valid, family), -1)


def with_another_family(masked: np.ndarray, order: np.ndarray, valid: np.ndarray, family: np.ndarray) -> np.ndarray:
    """The diversity rule for many rows at once: where a row's first DIVERSE_TOP picks (order, the
    k best of masked, largest first) are all of one family and another family has an allowed venture,
    the best of that family takes the last of those places. The one place both ways of scoring use."""
    order = order.copy()
    k = order.shape[1]
    head = min(k, DIVERSE_TOP)
    if head < 2:
        return order
    codes = np.unique(family, return_inverse=True)[1]
    first = codes[order[:, :1]]
    others = np.where(codes[None, :] != first, masked, -np.inf)
    best_other = others.argmax(axis=1)
    swap = ((codes[order[:, :head]] == first).all(axis=1) & valid[:, head - 1]
            & (np.take_along_axis(others, best_other[:, None], axis=1)[:, 0] > -np.inf))
    if swap.any():  # few rows: sort them whole (stable, so ties keep the venture order)
        rows, other = np.argsort(-masked[swap], axis=1, kind="stable"), best_other[swap]
        rest = rows[rows != other[:, None]].reshape(len(rows), -1)
        order[swap] = np.concatenate([rest[:, : head - 1], other[:, None], rest[:, head - 1: k - 1]], axis=1)
    return order


def top_for_many(model: TrainedModel, market: Market, people: fx.People, *, top: int = TOP) -> list[list[tuple[int, float]]]:
    """For many people at once: each one's top ventures as (venture index, score), as `suggest` gives
    them (constraints, unrelated ventures and the diversity rule kept)."""
    scores, fits = scores_and_fits(model, market, people)
    chosen = diverse_top_many(scores, market.family, eligible(market, people) & bx.related(fits), top)
    return [[(int(v), float(scores[i, v])) for v in row if v >= 0] for i, row in enumerate(chosen)]


EXPLORE_LANGUAGES = ("ar", "ti", "fa", "ps", "so", "ku", "tr", "uk", "ru", "am", "en", "fr")


def explore_choices(market: Market, lang: str) -> dict[str, dict[str, str]]:
    """The options of explore mode's short inventory, labelled in a language: municipalities,
    skill groups, occupations (by ESCO URI) and languages."""
    from babel import Locale

    names = Locale.parse(lang if lang in LANGS else "en").languages
    municipalities = sorted(zip(market.region_names[:-1], market.region_codes[:-1], strict=True))
    skills = sorted(zip(market.skill_labels[lang if lang in LANGS else "en"], market.skill_codes, strict=True))
    occupations = sorted((row["label"].get(lang), row["esco_uri"]) for row in market.details["occupations"])
    return {
        "municipalities": {code: name for name, code in municipalities},
        "skills": {code: label for label, code in skills},
        "occupations": {uri: label for label, uri in occupations},
        "languages": {code: names.get(code, code) for code in EXPLORE_LANGUAGES},
    }


def profile_from_answers(*, municipality: str | None, dutch: str | None, languages: Iterable[str] = (),
                         skills: Iterable[str] = (), skill_level: int = 3, occupation_uri: str | None = None,
                         years: float = 0.0, interests: Iterable[str] = (), capital_eur: float = 0.0,
                         hours_per_week: float = 20.0, home_based_only: bool = False, on_benefit: bool = True) -> Profile:
    """A profile from the short inventory of explore mode (nothing of it is stored). Languages other
    than Dutch are taken as spoken well (C2), interests chosen as strong (80), the rest as 40."""
    liked = set(interests)
    return Profile.from_dict({
        "id": "explore", "municipality": municipality,
        "languages": ([{"code": "nl", "cefr": dutch}] if dutch in CEFR_LEVELS else [])
        + [{"code": code, "cefr": "C2"} for code in languages if code != "nl"],
        "skills": [{"esco_group": code, "level": skill_level} for code in skills],
        "experience": [{"esco_uri": occupation_uri, "years": years}] if occupation_uri and years > 0 else [],
        "interests": {letter: (80 if letter in liked else 40) for letter in "RIASEC"},
        "capital_eur": capital_eur, "hours_per_week": hours_per_week,
        "home_based_only": home_based_only, "on_benefit": on_benefit,
    })


# ----------------------------------------------------------------------------- constraints that hide the best fit

START_OPENINGS = {  # the ways to start besides home, lightest first, and how to say that one opens it
    "shared_workshop": N_("A place in a shared workshop, kitchen or studio would open it"),
    "market_stall": N_("A market stall would open it"),
    "mobile": N_("Working at the client's or on the road would open it"),
    "own_premises": N_("Premises of its own (a workshop, shop or office) would open it"),
}
CAPITAL_STEP_EUR = 100  # money still missing is rounded up to this


@dataclass(frozen=True)
class Barrier:
    kind: str  # home | hours | capital
    message: Message  # the constraint, in plain words
    openings: tuple[Message, ...]  # what would open it


@dataclass(frozen=True)
class RuledOut:
    """A venture that fits the person's skills and experience better than every suggestion shown,
    kept out by their own constraints: which ones, what would open it, and the estimate once opened."""

    venture_id: str
    name: Label
    family: str
    fit: float
    barriers: tuple[Barrier, ...]
    score_opened: float


@dataclass(frozen=True)
class Ranking:
    suggestions: list[Suggestion]
    ruled_out: list[RuledOut]
    unrelated_left_out: bool  # fewer suggestions than asked: the others allowed do not fit the person's skills


def rank(profile: Profile, market: Market, model: TrainedModel, *, municipality: str | None = None,
         top: int = TOP, set_aside: Iterable[str] = ()) -> Ranking:
    """The suggestions for one person (as `suggest`), the closest ventures their constraints rule out,
    and whether ventures unrelated to their skills were kept out of the top."""
    person = fx.people_from_profiles([profile], market, municipality=municipality)
    x = fx.features_grid(market, person)[0]
    scores, fits = model.predict(x), bx.fit(x)
    hidden = set(set_aside)
    kept = np.array([vid in hidden for vid in market.venture_ids])
    barred = bx.barriers(market, person)
    open_to_them = ~barred.any[0] & ~kept
    allowed = open_to_them & bx.related(fits[None, :])[0]
    chosen = diverse_top(scores, market.family, allowed, top)
    return Ranking(
        suggestions=_suggestions(model, market, person, x, scores, chosen),
        ruled_out=ruled_out(model, market, person, fits, barred, chosen, kept),
        unrelated_left_out=len(chosen) < top and bool((open_to_them & ~allowed).any()),
    )


def ruled_out(model: TrainedModel, market: Market, person: fx.People, fits: np.ndarray, barred: bx.Barriers,
              shown: Sequence[int], set_aside: np.ndarray, *, limit: int = bx.RULED_OUT_SHOWN) -> list[RuledOut]:
    """The ventures (at most `limit`, closest fit first) that fit one person better than every venture
    shown and that their own constraints rule out; none when the best fit is among those shown."""
    best_shown = max((float(fits[v]) for v in shown), default=-np.inf)
    closest = [int(v) for v in np.argsort(-fits, kind="stable")
               if barred.any[0, v] and not set_aside[v] and fits[v] >= bx.UNRELATED_FIT and fits[v] > best_shown][:limit]
    if not closest:
        return []
    found = [_barriers_of(market, person, barred, v) for v in closest]
    opened = fx.features_pairs(market, _stack([p for _, p in found]), closest)
    return [RuledOut(market.venture_ids[v], _label(market, market.names, v), str(market.family[v]), float(fits[v]),
                     items, float(score)) for v, (items, _), score in zip(closest, found, model.predict(opened), strict=True)]


def _barriers_of(market: Market, person: fx.People, barred: bx.Barriers, v: int) -> tuple[tuple[Barrier, ...], fx.People]:
    """Each barrier of venture v with what would open it, and the person with every one opened."""
    items, changes = [], {}
    if barred.home[0, v]:
        ways = tuple(Message(key) for way, key in START_OPENINGS.items() if way in market.start_options[v])
        items.append(Barrier("home", Message(N_("It cannot start at home, and you can only work from home")), ways))
        changes["home_only"] = np.array([False])
    need_hours = float(market.hours_min[v])
    if barred.hours[0, v]:
        items.append(Barrier("hours", Message(N_("It needs at least {hours} hours a week; you have {own}"),
                                              {"hours": int(need_hours), "own": int(person.hours[0])}),
                             (Message(N_("{hours} hours a week for the business would open it"), {"hours": int(need_hours)}),)))
        changes["hours"] = np.array([need_hours], np.float32)
    if barred.capital[0, v]:
        low, reach = float(market.capital[v, 0]), float(bx.reachable_capital(market, person)[0])
        hours = max(float(changes.get("hours", person.hours)[0]), float(bx.BBZ_HOURS_PER_WEEK))
        with_bbz = person.with_changes(hours=np.array([hours], np.float32))
        if person.on_benefit[0] and not fx.bbz_eligible(person)[0] and bx.reachable_capital(market, with_bbz)[0] >= low:
            opening = Message(N_("The Bbz loan would open it: it needs at least {hours} hours a week in the business"),
                              {"hours": bx.BBZ_HOURS_PER_WEEK})
            changes["hours"] = np.array([hours], np.float32)
        else:
            missing = float(np.ceil((low - reach) / CAPITAL_STEP_EUR) * CAPITAL_STEP_EUR)
            opening = Message(N_("EUR {amount} more money of your own would open it: Qredits lends at most EUR {limit}"),
                              {"amount": Money(missing), "limit": Money(market.qredits_max_eur)})
            changes["capital"] = person.capital + missing
        items.append(Barrier("capital", Message(N_("Even a small start costs EUR {amount}; your own money and the loans open to you now reach EUR {reach}"),
                                                {"amount": Money(low), "reach": Money(reach)}), (opening,)))
    return tuple(items), person.with_changes(**changes)
