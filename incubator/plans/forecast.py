"""The 24-month financial forecast, in whole euro cents (integers; Decimal only inside a product,
rounded half up to a cent once per line and month, so that every total is exactly the sum of the
months shown).

Per month m (1..24; month 1 is the calendar month `start_month`):
- sales = volume x the venture's season index of that calendar month x the ramp-up factor
  min(1, m / (ramp_up_months + 1));
- revenue = price x sales; variable costs = cost of one sale x sales; fixed costs = the monthly items;
- loans are repaid linearly (a project choice, see LOAN_REPAYMENT): the same share of the principal
  every month, round(principal / term), the last month taking what is left, plus interest on what is
  still owed at the start of the month, round(balance x rate / 12);
- profit = revenue - variable - fixed - interest (the operating result);
- available = profit - principal repaid: what the month leaves for the owner to live on;
- cash = cash of the month before + available - the owner's planned monthly draw. The cash before
  month 1 is own money + family money + loans - start-up costs.

The break-even month is the first month whose revenue covers its costs (profit >= 0). The
living-income check compares `available` with the social-assistance norm of the household: a month
below it is a gap that the Bbz income top-up fills up to the norm, for at most 36 months, where the
person qualifies.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from incubator.core.i18n import N_, Listed, N_plural, format_cents, translate
from incubator.plans.content import ForecastInputs, Loan

MONTHS = 24
BBZ_TOP_UP_MONTHS = 36  # funding_routes.csv: bbz_income_support, up to 36 months (Bbz 2004)
LOAN_REPAYMENT = "linear"
LOAN_REPAYMENT_TEXT = N_("Loans are repaid linearly: the same part of the loan every month, plus interest on what is "
                         "still owed. A lender may offer an annuity instead (the same amount every month).")

VERDICTS = {
    "enough": N_("The business lets you take out at least the social-assistance norm every month."),
    "enough_later": N_("In {count} of the 24 months you can take out less than the norm. In the second year the "
                       "business earns the norm on average."),
    "short": N_("In the second year you can take out {amount} a month on average, less than the norm of {norm}. "
                "The business does not yet earn enough to live on."),
}
BBZ_BRIDGES = N_("The Bbz income top-up would fill the gap up to the norm: {amount} in the first 24 months. It is paid "
                 "for at most 36 months.")
BBZ_BRIDGES_NOT_AFTER = N_("After 36 months the top-up stops: by then the business must earn the norm itself.")
NO_BBZ = N_("You do not qualify for the Bbz income top-up now (see the funding routes): keep money aside from the "
            "good months for the months below the norm.")
CASH_RUNS_OUT = N_("In month {month} the cash runs out: {amount} short.")
LOWEST_POINT = N_("The lowest point is month {month}: {amount} short.")
START_NOT_COVERED = N_("Your money and loans do not cover the start-up costs: {amount} short before month 1.")
LOSS_MONTHS = N_plural("In month {months} the costs are higher than the revenue.",
                       "In months {months} the costs are higher than the revenue.")
NO_BREAK_EVEN = N_("In these 24 months the revenue never covers the costs.")
NO_FIXED_COSTS = N_("No monthly costs are filled in. Most businesses pay at least insurance and a phone.")
FAR_ABOVE_CATALOGUE = N_("Revenue of {amount} in an average month is far above what this kind of business usually "
                         "makes (up to {high}). Check the price and the number of sales.")


def _cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Month:
    month: int
    calendar_month: int
    season_index: Decimal
    sales: Decimal
    revenue: int
    variable_costs: int
    fixed_costs: int
    interest: int
    repayment: int
    profit: int
    available: int
    draw: int
    cash: int
    bbz_top_up: int

    @property
    def costs(self) -> int:
        """Every cost of the month that the profit is after: variable, fixed and interest."""
        return self.variable_costs + self.fixed_costs + self.interest


@dataclass(frozen=True)
class ForecastWarning:
    key: str
    params: dict = field(default_factory=dict)  # amounts in cents under names ending in "_cents"


@dataclass(frozen=True)
class LivingIncome:
    household: str
    norm_cents: int
    norm_valid_from: str
    norm_level: str
    average_available_year1_cents: int
    average_available_year2_cents: int
    months_below_norm: tuple[int, ...]
    bbz_eligible: bool
    bbz_top_up_cents: int
    verdict: str  # enough | enough_later | short

    @property
    def bbz_bridges_gap(self) -> bool:
        return self.bbz_eligible and bool(self.months_below_norm)

    def to_dict(self) -> dict:
        return {"household": self.household, "norm_cents": self.norm_cents, "norm_valid_from": self.norm_valid_from,
                "norm_level": self.norm_level,
                "average_available_year1_cents": self.average_available_year1_cents,
                "average_available_year2_cents": self.average_available_year2_cents,
                "months_below_norm": list(self.months_below_norm), "bbz_eligible": self.bbz_eligible,
                "bbz_top_up_cents": self.bbz_top_up_cents, "bbz_bridges_gap": self.bbz_bridges_gap,
                "verdict": self.verdict}


@dataclass(frozen=True)
class Norm:
    household: str
    amount_cents: int
    valid_from: str
    level: str


@dataclass(frozen=True)
class Forecast:
    months: tuple[Month, ...]
    start_costs_cents: int
    funding_cents: int  # own + family + loans
    start_cash_cents: int
    external_funding_needed_cents: int  # start-up costs not covered by own and family money
    break_even_month: int | None
    lowest_cash_cents: int
    lowest_cash_month: int
    first_short_month: int | None
    living_income: LivingIncome
    warnings: tuple[ForecastWarning, ...]

    def total(self, column: str, *, year: int | None = None) -> int:
        """The sum of one column over the 24 months, or over year 1 or 2."""
        chosen = self.months if year is None else self.months[(year - 1) * 12: year * 12]
        return sum(getattr(m, column) for m in chosen)

    @property
    def viable(self) -> bool:
        """What the forecast says about viability (the municipality decides): the revenue covers the
        costs within 24 months and the cash never runs out."""
        return self.break_even_month is not None and self.first_short_month is None and self.start_cash_cents >= 0


def loan_schedule(loan: Loan, months: int = MONTHS) -> list[tuple[int, int]]:
    """(interest, principal) per month for a linear repayment, in cents."""
    out, balance = [], loan.principal_cents
    if balance <= 0:
        return [(0, 0)] * months
    step = _cents(Decimal(loan.principal_cents) / loan.term_months)
    monthly_rate = loan.rate_pct / Decimal(1200)
    for month in range(1, months + 1):
        if balance <= 0:
            out.append((0, 0))
            continue
        interest = _cents(Decimal(balance) * monthly_rate)
        principal = balance if month >= loan.term_months else min(step, balance)
        balance -= principal
        out.append((interest, principal))
    return out


def compute(inputs: ForecastInputs, *, norm: Norm, bbz_eligible: bool,
            catalogue_revenue_high_cents: int | None = None) -> Forecast:
    """The 24-month forecast for these inputs, with the living-income check against `norm`."""
    start_costs = sum(i.amount_cents for i in inputs.start_costs)
    fixed = sum(i.amount_cents for i in inputs.fixed_costs)
    loans = (inputs.bbz, inputs.qredits)
    funding = inputs.own_cents + inputs.family_cents + sum(loan.principal_cents for loan in loans)
    schedules = [loan_schedule(loan) for loan in loans]
    start_cash = cash = funding - start_costs
    months = []
    for m in range(1, MONTHS + 1):
        calendar = (inputs.start_month - 1 + m - 1) % 12 + 1
        season = inputs.season[calendar - 1]
        ramp = min(Decimal(1), Decimal(m) / Decimal(inputs.ramp_up_months + 1))
        sales = Decimal(inputs.volume_per_month) * season * ramp
        revenue, variable = _cents(inputs.price_cents * sales), _cents(inputs.unit_cost_cents * sales)
        interest = sum(s[m - 1][0] for s in schedules)
        repayment = sum(s[m - 1][1] for s in schedules)
        profit = revenue - variable - fixed - interest
        available = profit - repayment
        cash += available - inputs.owner_draw_cents
        gap = max(0, norm.amount_cents - max(0, available))
        top_up = gap if bbz_eligible and m <= BBZ_TOP_UP_MONTHS else 0
        months.append(Month(m, calendar, season, sales, revenue, variable, fixed, interest, repayment, profit,
                            available, inputs.owner_draw_cents, cash, top_up))
    living = _living_income(months, norm, bbz_eligible)
    lowest = min(months, key=lambda x: (x.cash, x.month))
    first_short = next((x.month for x in months if x.cash < 0), None)
    break_even = next((x.month for x in months if x.profit >= 0), None)
    forecast = Forecast(
        months=tuple(months), start_costs_cents=start_costs, funding_cents=funding, start_cash_cents=start_cash,
        external_funding_needed_cents=max(0, start_costs - inputs.own_cents - inputs.family_cents),
        break_even_month=break_even, lowest_cash_cents=lowest.cash, lowest_cash_month=lowest.month,
        first_short_month=first_short, living_income=living, warnings=(),
    )
    return _with_warnings(forecast, inputs, catalogue_revenue_high_cents)


def _living_income(months: list[Month], norm: Norm, bbz_eligible: bool) -> LivingIncome:
    below = tuple(m.month for m in months if m.available < norm.amount_cents)
    year1 = sum(m.available for m in months[:12])
    year2 = sum(m.available for m in months[12:24])
    average1, average2 = _cents(Decimal(year1) / 12), _cents(Decimal(year2) / 12)
    verdict = "enough" if not below else "enough_later" if average2 >= norm.amount_cents else "short"
    return LivingIncome(norm.household, norm.amount_cents, norm.valid_from, norm.level, average1, average2, below,
                        bbz_eligible, sum(m.bbz_top_up for m in months), verdict)


def _with_warnings(forecast: Forecast, inputs: ForecastInputs, revenue_high_cents: int | None) -> Forecast:
    found = []
    if forecast.start_cash_cents < 0:
        found.append(ForecastWarning(START_NOT_COVERED, {"amount_cents": -forecast.start_cash_cents}))
    if forecast.first_short_month is not None:
        short = forecast.months[forecast.first_short_month - 1]
        found.append(ForecastWarning(CASH_RUNS_OUT, {"month": short.month, "amount_cents": -short.cash}))
        if forecast.lowest_cash_month != short.month:
            found.append(ForecastWarning(LOWEST_POINT, {"month": forecast.lowest_cash_month,
                                                "amount_cents": -forecast.lowest_cash_cents}))
    if forecast.break_even_month is None:
        found.append(ForecastWarning(NO_BREAK_EVEN))
    else:
        losses = [m.month for m in forecast.months if m.profit < 0 and m.month > forecast.break_even_month]
        if losses:
            found.append(ForecastWarning(LOSS_MONTHS, {"months": Listed(losses), "count": len(losses)}))
    if not inputs.fixed_costs or all(i.amount_cents == 0 for i in inputs.fixed_costs):
        found.append(ForecastWarning(NO_FIXED_COSTS))
    average_revenue = inputs.price_cents * inputs.volume_per_month
    if revenue_high_cents and average_revenue > 3 * revenue_high_cents:
        found.append(ForecastWarning(FAR_ABOVE_CATALOGUE, {"amount_cents": average_revenue, "high_cents": revenue_high_cents}))
    return dataclasses.replace(forecast, warnings=tuple(found))


def verdict_texts(living: LivingIncome) -> list[tuple[str, dict]]:
    """The living-income check in plain words: (message key, params with amounts in cents)."""
    out: list[tuple[str, dict]] = []
    if living.verdict == "enough":
        out.append((VERDICTS["enough"], {}))
    elif living.verdict == "enough_later":
        out.append((VERDICTS["enough_later"], {"count": len(living.months_below_norm)}))
    else:
        out.append((VERDICTS["short"], {"amount_cents": living.average_available_year2_cents,
                                        "norm_cents": living.norm_cents}))
    if living.months_below_norm:
        if living.bbz_eligible:
            out.append((BBZ_BRIDGES, {"amount_cents": living.bbz_top_up_cents}))
            if living.verdict == "short":
                out.append((BBZ_BRIDGES_NOT_AFTER, {}))
        else:
            out.append((NO_BBZ, {}))
    return out


def words(key: str, params: dict, lang: str) -> str:
    """A forecast message in `lang`: parameters ending in `_cents` become amounts in euros."""
    filled = {name.removesuffix("_cents"): format_cents(value, lang) if name.endswith("_cents") else value
              for name, value in params.items()}
    return translate(key, lang, **filled)
