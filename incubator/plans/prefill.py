"""The first version of a plan, prefilled from the venture catalogue and the person's profile: the
start-up cost items (the typical start-up capital, the licence fees the catalogue knows, the KVK fee),
a typical month's revenue as price x sales, the venture's twelve season indices, its premises, and a
first way to pay for the start. Every prefilled value is marked as a suggestion to check.

Where the catalogue has no figure, the project makes a judgement; each is a named constant below,
labelled as the project's assumption, and shown to the user as a suggestion (ASSUMPTIONS)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import duckdb

from incubator.core.errors import NotFound
from incubator.core.i18n import N_
from incubator.market.arrays import BBZ_LOAN_MAX_EUR, QREDITS_MAX_EUR, MarketNotLoaded
from incubator.market.labels import labels_in
from incubator.market.seed import SEASON_COLUMNS
from incubator.people.profile import Profile
from incubator.plans.content import (
    FIXED_COST_KINDS,
    Business,
    CostItem,
    ForecastInputs,
    Limits,
    Loan,
    PlanContent,
)
from incubator.plans.forecast import Norm

# --- The project's assumptions (no published figure; each is shown as a suggestion to check) --------
# How the typical start-up capital splits into equipment, first stock and premises, by kind of premises.
START_COST_SPLIT = {
    "home": (Decimal("0.70"), Decimal("0.30"), Decimal("0")),
    "mobile": (Decimal("0.80"), Decimal("0.20"), Decimal("0")),
    "workshop": (Decimal("0.60"), Decimal("0.25"), Decimal("0.15")),
    "shop": (Decimal("0.50"), Decimal("0.25"), Decimal("0.25")),
}
SALES_PER_MONTH = 40  # a typical month's revenue is split into 40 sales (about two a working day)
VARIABLE_COST_SHARE = Decimal("0.30")  # materials per sale as a share of its price
RAMP_UP_MONTHS = 3  # months before sales reach a normal month (25%, 50%, 75%, then 100%)
LOAN_TERM_MONTHS = 60  # five years to repay a loan
QREDITS_RATE_PCT = Decimal("8")  # no sourced Qredits rate: the Bbz rate until there is an offer
ASSUMPTIONS = (
    N_("The split of the start-up capital into equipment, stock and premises is the project's estimate."),
    N_("The price and the number of sales split a typical month's revenue into 40 sales: the project's estimate."),
    N_("The cost of one sale is 30% of its price: the project's estimate."),
    N_("Sales grow to a normal month in 3 months: the project's estimate."),
    N_("Loans are repaid in 60 months: the project's estimate. The Qredits interest is set to the Bbz rate until "
       "you have an offer."),
)
NO_VENTURE = N_("Venture {venture_id} is not in the market data.")
NORMS_MISSING = N_("The social-assistance norms are not loaded yet. Run: python -m incubator seed")


def _cents(euros: object) -> int:
    return int((Decimal(str(euros)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def limits(cur: duckdb.DuckDBPyConnection) -> Limits:
    """The Bbz loan and Qredits ceilings of the market data (the fallbacks of the market arrays)."""
    rows = dict(cur.execute("SELECT route_id, max_amount_eur FROM funding_routes WHERE route_id IN"
                            " ('bbz_business_loan', 'qredits_microcredit')").fetchall())
    return Limits(_cents(rows.get("bbz_business_loan") or BBZ_LOAN_MAX_EUR),
                  _cents(rows.get("qredits_microcredit") or QREDITS_MAX_EUR))


def bbz_rate_pct(cur: duckdb.DuckDBPyConnection) -> Decimal:
    row = cur.execute("SELECT interest_pct FROM funding_routes WHERE route_id = 'bbz_business_loan'").fetchone()
    if row is None or row[0] is None:
        raise MarketNotLoaded()
    return Decimal(str(row[0])).normalize()


def norms(cur: duckdb.DuckDBPyConnection) -> dict[str, Norm]:
    rows = cur.execute("SELECT household, amount_month_eur, valid_from, level FROM social_assistance_norms").fetchall()
    if not rows:
        raise MarketNotLoaded(NORMS_MISSING)
    return {h: Norm(h, _cents(amount), valid_from.isoformat(), level) for h, amount, valid_from, level in rows}


def venture_row(cur: duckdb.DuckDBPyConnection, venture_id: str) -> dict:
    frame = cur.execute("SELECT * FROM ventures WHERE venture_id = ?", [venture_id]).df()
    if frame.empty:
        raise NotFound(NO_VENTURE, venture_id=venture_id)
    return frame.iloc[0].to_dict()


def _licence_items(cur: duckdb.DuckDBPyConnection, venture_id: str) -> list[CostItem]:
    """A cost item per licence of the venture (the KVK registration is its own item); a fee the
    catalogue does not know is 0, to be asked at the issuer. The higher fee where a range is known."""
    rows = cur.execute("""
        SELECT l.licence_id, l.cost_eur_high FROM venture_licences vl JOIN licences l USING (licence_id)
        WHERE vl.venture_id = ? AND l.licence_id <> 'kvk_registration' ORDER BY vl.position
    """, [venture_id]).fetchall()
    return [CostItem("licence", _cents(fee or 0), licence_id=lid, suggested_cents=_cents(fee or 0)) for lid, fee in rows]


def kvk_fee_cents(cur: duckdb.DuckDBPyConnection) -> int:
    row = cur.execute("SELECT max_amount_eur FROM funding_routes WHERE route_id = 'kvk_fee'").fetchone()
    if row is None or row[0] is None:
        raise MarketNotLoaded()
    return _cents(row[0])


def _split(rest: int, premises: str) -> list[CostItem]:
    equipment_share, stock_share, _ = START_COST_SPLIT.get(premises, START_COST_SPLIT["workshop"])
    equipment = int((rest * equipment_share).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    stock = int((rest * stock_share).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    premises_cost = rest - equipment - stock  # so that the items add up to the capital exactly
    items = [CostItem("equipment", equipment, suggested_cents=equipment), CostItem("stock", stock, suggested_cents=stock)]
    if premises_cost:
        items.append(CostItem("premises", premises_cost, suggested_cents=premises_cost))
    return items


def first_content(cur: duckdb.DuckDBPyConnection, *, venture_id: str | None, profile: Profile | None) -> PlanContent:
    """The content of version 1: prefilled from the catalogue for a venture, nearly empty for an idea."""
    hours = int(round(profile.hours_per_week)) if profile else 40
    own = _cents(max(0.0, profile.capital_eur)) if profile else 0
    on_benefit = bool(profile.on_benefit) if profile else False
    kvk = kvk_fee_cents(cur)
    ceilings, bbz_rate = limits(cur), bbz_rate_pct(cur)
    fixed = tuple(CostItem(kind, 0) for kind in FIXED_COST_KINDS)
    suggested: dict[str, object] = {"business.household": "single", "business.residence_permit": "yes"}
    if venture_id is None:
        start = (CostItem("registration", kvk, suggested_cents=kvk),)
        forecast = ForecastInputs(start_costs=start, fixed_costs=fixed, own_cents=own,
                                  bbz=Loan(0, bbz_rate, LOAN_TERM_MONTHS), qredits=Loan(0, QREDITS_RATE_PCT, LOAN_TERM_MONTHS))
        business = Business(None, max(1, min(hours, 80)), "single", "yes", on_benefit)
        return PlanContent(business=business, forecast=forecast, suggested=suggested)
    v = venture_row(cur, venture_id)
    licences = _licence_items(cur, venture_id)
    capital = _cents(v["capital_typical_eur"])
    rest = max(0, capital - kvk - sum(i.amount_cents for i in licences))
    start = tuple(_split(rest, v["premises"]) + licences + [CostItem("registration", kvk, suggested_cents=kvk)])
    revenue = _cents((Decimal(int(v["revenue_month_low_eur"])) + Decimal(int(v["revenue_month_high_eur"]))) / 2)
    price = int((Decimal(revenue) / SALES_PER_MONTH).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    unit_cost = int((price * VARIABLE_COST_SHARE).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    total = sum(i.amount_cents for i in start)
    own = min(own, total)
    bbz = min(total - own, ceilings.bbz_max_cents) if on_benefit and hours * 52 >= 1225 else 0
    qredits = min(total - own - bbz, ceilings.qredits_max_cents)
    forecast = ForecastInputs(
        start_month=1, price_cents=price, volume_per_month=SALES_PER_MONTH, unit_cost_cents=unit_cost,
        ramp_up_months=RAMP_UP_MONTHS, season=tuple(Decimal(str(round(float(v[c]), 4))) for c in SEASON_COLUMNS),
        start_costs=start, fixed_costs=fixed, own_cents=own, bbz=Loan(bbz, bbz_rate, LOAN_TERM_MONTHS),
        qredits=Loan(qredits, QREDITS_RATE_PCT, LOAN_TERM_MONTHS),
    )
    suggested |= {"forecast.price_cents": price, "forecast.volume_per_month": SALES_PER_MONTH,
                  "forecast.unit_cost_cents": unit_cost, "forecast.ramp_up_months": RAMP_UP_MONTHS,
                  "forecast.own_cents": own, "forecast.bbz.principal_cents": bbz,
                  "forecast.qredits.principal_cents": qredits, "forecast.qredits.rate_pct": str(QREDITS_RATE_PCT),
                  "forecast.bbz.term_months": LOAN_TERM_MONTHS, "forecast.qredits.term_months": LOAN_TERM_MONTHS,
                  "business.premises": v["premises"]}
    business = Business(v["premises"], max(1, min(hours, 80)), "single", "yes", on_benefit)
    return PlanContent(business=business, forecast=forecast, suggested=suggested)


def licence_names(cur: duckdb.DuckDBPyConnection, lang: str) -> dict[str, str]:
    """Licence ids with their names in one language (English where the data has none in it)."""
    return labels_in(cur, "licence", lang)
