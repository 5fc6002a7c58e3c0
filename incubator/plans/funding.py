"""The routes to start-up money for one person and plan: which ones they qualify for (the Bbz needs a
residence permit, a benefit, a viable plan and 1,225 hours a year in the business; Qredits lends up to
EUR 50,000), the amount the forecast needs, and what an application asks, as a checklist with stable
keys that the milestones can take over."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import duckdb

from incubator.core.access import Actor
from incubator.core.i18n import N_
from incubator.market.labels import Label, labels_of
from incubator.plans import business_plan as bp
from incubator.plans.forecast import Forecast
from incubator.suggestions.features import BBZ_HOURS_PER_YEAR

ROUTES = ("bbz_preparation", "bbz_business_loan", "bbz_income_support", "qredits_microcredit")

REQUIREMENTS = {
    "permit": N_("A residence permit"),
    "benefit": N_("On a benefit (social assistance) now"),
    "hours": N_("At least 1,225 hours a year in the business (you plan {hours} hours a week)"),
    "viable": N_("A viable plan: the forecast covers its costs within 24 months and the cash never runs out "
                 "(the municipality decides)"),
    "below_norm": N_("Months in which the business earns less than the social-assistance norm"),
    "within_ceiling": N_("The loan you need is at most {limit}"),
}
STATUSES = {"met": N_("Yes"), "not_met": N_("Not yet"), "check": N_("To check")}
QUALIFIES = {"yes": N_("You qualify, as far as the plan shows"), "no": N_("You do not qualify now"),
             "check": N_("Check the points marked 'To check'")}

# What an application asks. Keys are stable: the milestones take these over.
CHECKLISTS: dict[str, tuple[tuple[str, str], ...]] = {
    "bbz": (
        ("bbz.business_plan", N_("A business plan: this plan, with the lean canvas and its sections")),
        ("bbz.forecast", N_("The financial forecast: start-up costs, financing, operating budget and cash flow")),
        ("bbz.private_budget", N_("A private budget: what your household needs each month, and its other income")),
        ("bbz.identity", N_("Your proof of identity and your residence permit")),
        ("bbz.quotes", N_("Quotes or prices for what you want to buy")),
        ("bbz.licences", N_("The licences and registrations the business needs, and when you apply for them")),
        ("bbz.kvk", N_("Registration at the KVK, or the date you plan to register")),
    ),
    "qredits": (
        ("qredits.business_plan", N_("A business plan: this plan, with the lean canvas and its sections")),
        ("qredits.forecast", N_("The financial forecast: start-up costs, financing, operating budget and cash flow")),
        ("qredits.identity", N_("Your proof of identity")),
        ("qredits.bank_statements", N_("Recent bank statements of your private account")),
        ("qredits.quotes", N_("Quotes or prices for what you want to buy")),
        ("qredits.kvk", N_("Registration at the KVK, or the date you plan to register")),
    ),
}


@dataclass(frozen=True)
class Requirement:
    key: str
    status: str  # met | not_met | check
    params: dict = field(default_factory=dict)  # amounts in cents under names ending in "_cents"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    message: str | None = None  # a msgid, or
    label: Label | None = None  # a licence's name in every language


@dataclass(frozen=True)
class RouteCheck:
    route_id: str
    name: Label
    provider: str
    max_cents: int | None
    rate_pct: Decimal | None
    max_months: int | None
    period: str | None  # the year of the figure (e.g. the 2022 level of the Bbz loan)
    source: str | None
    amount_cents: int | None  # what the plan takes from this route
    requirements: tuple[Requirement, ...]
    checklist: tuple[ChecklistItem, ...]

    @property
    def qualifies(self) -> str:
        statuses = {r.status for r in self.requirements}
        return "no" if "not_met" in statuses else "check" if "check" in statuses else "yes"


@dataclass(frozen=True)
class FundingRoutes:
    needed_cents: int  # start-up costs beyond own and family money
    short_cents: int  # what the cash lacks at its lowest point with the loans filled in
    routes: tuple[RouteCheck, ...]
    forecast: Forecast


def _cents(euros: object) -> int | None:
    return None if euros is None else int((Decimal(str(euros)) * 100).to_integral_value())


def _status(value: bool | None) -> str:
    return "check" if value is None else "met" if value else "not_met"


def funding_routes(cur: duckdb.DuckDBPyConnection, *, actor: Actor, plan_id: int) -> FundingRoutes:
    """The funding routes of the plan's owner, checked against what the plan and its forecast say."""
    plan = bp.open_plan(cur, actor=actor, plan_id=plan_id, record_view=False)
    forecast = bp.forecast_of(cur, plan)
    business, money = plan.content.business, plan.content.forecast
    # A prefilled answer nobody has confirmed yet is still to check.
    permit = None if plan.content.is_suggestion("business.residence_permit") else \
        {"yes": True, "no": False}.get(business.residence_permit)
    common = (Requirement("permit", _status(permit)), Requirement("benefit", _status(business.on_benefit)),
              Requirement("hours", _status(business.hours_per_week * 52 >= BBZ_HOURS_PER_YEAR),
                          {"hours": business.hours_per_week}))
    viable = Requirement("viable", _status(forecast.viable))
    names = labels_of(cur, "licence")
    licences = tuple(ChecklistItem(f"licence.{lid}", label=names.get(lid) or Label.same(lid)) for (lid,) in cur.execute(
        "SELECT licence_id FROM venture_licences WHERE venture_id = ? ORDER BY position",
        [plan.venture_id]).fetchall()) if plan.venture_id else ()
    bbz_list = tuple(ChecklistItem(k, m) for k, m in CHECKLISTS["bbz"]) + licences
    rows = {r[0]: r for r in cur.execute(
        "SELECT route_id, provider, max_amount_eur, interest_pct, max_months, period, source"
        " FROM funding_routes WHERE route_id IN (SELECT unnest(?))", [list(ROUTES)]).fetchall()}
    route_names = labels_of(cur, "funding_route")
    needed_from_loans = forecast.external_funding_needed_cents
    out = []
    for route_id in ROUTES:
        if route_id not in rows:
            continue
        _, provider, max_eur, rate, months, period, source = rows[route_id]
        max_cents = _cents(max_eur)
        if route_id == "bbz_preparation":
            requirements, amount, checklist = common[:2], None, ()
        elif route_id == "bbz_business_loan":
            requirements, amount, checklist = (*common, viable), money.bbz.principal_cents, bbz_list
        elif route_id == "bbz_income_support":
            below = Requirement("below_norm", _status(bool(forecast.living_income.months_below_norm)))
            requirements, amount, checklist = (*common, viable, below), forecast.living_income.bbz_top_up_cents, bbz_list
        else:
            within = Requirement("within_ceiling", _status(needed_from_loans <= (max_cents or 0)),
                                 {"limit_cents": max_cents or 0})
            requirements = (within, viable)
            amount = money.qredits.principal_cents
            checklist = tuple(ChecklistItem(k, m) for k, m in CHECKLISTS["qredits"]) + licences
        out.append(RouteCheck(route_id, route_names.get(route_id) or Label.same(route_id), provider, max_cents,
                              None if rate is None else Decimal(str(rate)), months, period, source, amount,
                              requirements, checklist))
    short = max(0, -min(forecast.start_cash_cents, forecast.lowest_cash_cents))
    return FundingRoutes(needed_from_loans, short, tuple(out), forecast)
