"""What a business plan holds: the nine blocks of a lean canvas, the sections of a Dutch business plan
(ondernemingsplan) with guiding questions in plain words, the facts about the business the money part
needs, and the inputs of the financial forecast, with every amount in euro cents.

A person types euros; `forecast_from_form` turns them into cents through `Decimal` (never a float
that drifts) and checks every field before anything is saved: a bad value raises PlanInputRejected
naming the field, so nothing half-valid is ever stored. Values prefilled from the venture catalogue
are remembered as suggestions until someone changes or confirms them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from incubator.core.errors import ValidationFailed
from incubator.core.i18n import N_, Cents, Msgid

SCHEMA = 1
MAX_TEXT = 4000
MAX_ITEMS = 30
MAX_AMOUNT_CENTS = 100_000_000  # EUR 1,000,000: above this an amount is a typing error for a micro-venture
MAX_PRICE_CENTS = 10_000_000  # EUR 100,000 for one sale
MAX_VOLUME = 100_000  # sales in an average month
CENT = Decimal("0.01")

# Lean canvas (Ash Maurya), in the order of the canvas: (key, title, guiding questions).
CANVAS_BLOCKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("problem", N_("Problem"), (N_("What problem do your customers have?"), N_("How do they solve it today?"))),
    ("customer_segments", N_("Customers"), (N_("Who are your first customers?"), N_("Where do they live or work?"))),
    ("unique_value_proposition", N_("Why you"), (
        N_("Why would people buy from you and not from someone else?"), N_("Say it in one sentence."))),
    ("solution", N_("Solution"), (N_("What do you offer: which product or service?"),)),
    ("channels", N_("Channels"), (N_("How do customers hear about you, and how do they reach you?"),)),
    ("revenue_streams", N_("Income"), (N_("What do customers pay for, and how much?"),)),
    ("cost_structure", N_("Costs"), (N_("What do you pay every month, and what once at the start?"),)),
    ("key_metrics", N_("Key numbers"), (
        N_("Which numbers tell you that the business is going well (for example customers a week)?"),)),
    ("unfair_advantage", N_("Your advantage"), (
        N_("What do you have that others cannot easily copy (skills, network, languages)?"),)),
)

# The sections of an ondernemingsplan as a Bbz adviser or Qredits reads it.
PLAN_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("entrepreneur", N_("The entrepreneur"), (
        N_("Who are you, and what work have you done before?"),
        N_("Which skills and diplomas help you in this business?"),
        N_("Why do you want to start this business now?"))),
    ("business_idea", N_("The business idea"), (
        N_("What will you sell, and to whom?"),
        N_("Where will you work: at home, in a workshop, in a shop or on the road?"),
        N_("Which licences or registrations do you need?"))),
    ("market_marketing", N_("Market and marketing"), (
        N_("Who are your competitors, and what do they charge?"),
        N_("How will you find your first ten customers?"),
        N_("What price do you ask, and why?"))),
    ("investment_financing", N_("Investment and financing"), (
        N_("What do you need to buy before you start?"),
        N_("Where does the money come from: your own money, family, a loan?"))),
    ("operating_budget", N_("Operating budget"), (
        N_("How much do you expect to sell in a normal month?"), N_("What are your costs each month?"))),
    ("cash_flow", N_("Cash flow"), (
        N_("In which months do you earn less?"), N_("How will you pay the bills in those months?"))),
    ("private_budget", N_("Private budget"), (
        N_("How much do you and your household need each month to live?"),
        N_("Which other income do you have (benefit, a partner's income, allowances)?"))),
)
CANVAS_KEYS = tuple(key for key, _, _ in CANVAS_BLOCKS)
SECTION_KEYS = tuple(key for key, _, _ in PLAN_SECTIONS)
BLOCK_TITLES = {key: title for key, title, _ in (*CANVAS_BLOCKS, *PLAN_SECTIONS)} | {"forecast": N_("Financial forecast")}

START_COST_KINDS = {
    "equipment": N_("Equipment and tools"), "stock": N_("First stock and materials"),
    "premises": N_("Premises: deposit and fitting out"), "licence": N_("Licence or permit"),
    "registration": N_("KVK registration"), "other": N_("Other start-up costs"),
}
FIXED_COST_KINDS = {
    "rent": N_("Rent"), "insurance": N_("Insurance"), "phone": N_("Phone and internet"),
    "transport": N_("Transport"), "accounting": N_("Bookkeeping"), "other": N_("Other monthly costs"),
}
HOUSEHOLDS = {"single": N_("Single"), "couple": N_("Married or living together")}
ANSWERS = {"yes": N_("Yes"), "no": N_("No"), "unknown": N_("Not sure yet")}
PREMISES = ("home", "workshop", "shop", "mobile")

# The fields of the money part as people read them (error messages name them).
FIELDS = {
    "start_month": N_("First month of the business"), "price": N_("Price of one sale"),
    "volume": N_("Sales in an average month"), "unit_cost": N_("Cost of one sale (materials)"),
    "ramp_up_months": N_("Months to reach normal sales"), "own": N_("Your own money"),
    "family": N_("Money from family"), "bbz_loan": N_("Bbz business-capital loan"),
    "bbz_rate_pct": N_("Interest of the Bbz loan (% a year)"), "bbz_term_months": N_("Months to repay the Bbz loan"),
    "qredits_loan": N_("Qredits loan"), "qredits_rate_pct": N_("Interest of the Qredits loan (% a year)"),
    "qredits_term_months": N_("Months to repay the Qredits loan"),
    "owner_draw": N_("Money you take out for yourself each month"), "hours_per_week": N_("Hours a week in the business"),
    "household": N_("Household"), "residence_permit": N_("Residence permit"), "premises": N_("Where you work"),
    "on_benefit": N_("On a benefit now"), "start_costs": N_("Start-up costs"), "fixed_costs": N_("Monthly costs"),
}

REQUIRED = N_("{field}: a value is required.")
NOT_A_NUMBER = N_("{field}: {value} is not a number.")
NEGATIVE = N_("{field}: an amount cannot be negative.")
TOO_LARGE = N_("{field}: {value} is more than {limit}. Check the number of zeros.")
NOT_WHOLE = N_("{field}: write a whole number, not an amount in euros.")
OUT_OF_RANGE = N_("{field}: {value} is not between {low} and {high}.")
ZERO_VOLUME = N_("{field}: at least one sale a month, or the business earns nothing.")
ZERO_PRICE = N_("{field}: the price must be more than zero.")
COST_ABOVE_PRICE = N_("The cost of one sale ({cost}) is more than its price ({price}). Check that the two are not in each other's field.")
ROW_PROBLEM = N_("{field}, row {row}: {problem}")
LOAN_ABOVE_MAXIMUM = N_("{field}: at most {limit}.")
TEXT_TOO_LONG = N_("{field}: at most {limit} characters.")
NOT_A_CHOICE = N_("{field}: choose one of the options.")
TOO_MANY_ROWS = N_("{field}: at most {limit} rows.")


class PlanInputRejected(ValidationFailed):
    """A value of the plan is not valid; nothing was saved. The message names the field."""


def _reject(key: str, field_name: str, **params: object) -> None:
    raise PlanInputRejected(key, field=Msgid(FIELDS.get(field_name, BLOCK_TITLES.get(field_name, field_name))),
                            **params)


@dataclass(frozen=True)
class CostItem:
    """One start-up cost (paid once) or monthly cost. `label` is what a person typed (may be empty);
    `licence_id` names a licence of the catalogue; `suggested_cents` is the prefilled amount while it
    is still a suggestion to check."""

    kind: str
    amount_cents: int
    label: str = ""
    licence_id: str | None = None
    suggested_cents: int | None = None

    @property
    def is_suggestion(self) -> bool:
        return self.suggested_cents is not None and self.suggested_cents == self.amount_cents


@dataclass(frozen=True)
class Loan:
    principal_cents: int = 0
    rate_pct: Decimal = Decimal("0")
    term_months: int = 60


@dataclass(frozen=True)
class ForecastInputs:
    """The inputs of the 24-month forecast, in cents. `season` holds the twelve monthly indices of
    the venture (mean 1.0) by calendar month; month 1 of the forecast is `start_month`."""

    start_month: int = 1
    price_cents: int = 0
    volume_per_month: int = 0
    unit_cost_cents: int = 0
    ramp_up_months: int = 0
    season: tuple[Decimal, ...] = (Decimal(1),) * 12
    start_costs: tuple[CostItem, ...] = ()
    fixed_costs: tuple[CostItem, ...] = ()
    own_cents: int = 0
    family_cents: int = 0
    bbz: Loan = field(default_factory=Loan)
    qredits: Loan = field(default_factory=Loan)
    owner_draw_cents: int = 0


@dataclass(frozen=True)
class Business:
    """The facts about the person and the business that the money part and the funding routes need."""

    premises: str | None = None
    hours_per_week: int = 40
    household: str = "single"
    residence_permit: str = "unknown"
    on_benefit: bool = False


@dataclass(frozen=True)
class PlanContent:
    canvas: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    business: Business = field(default_factory=Business)
    forecast: ForecastInputs = field(default_factory=ForecastInputs)
    # field -> the prefilled value, while the field still holds it ("forecast.price_cents", "business.household").
    suggested: dict[str, Any] = field(default_factory=dict)

    def is_suggestion(self, path: str) -> bool:
        return path in self.suggested and self.suggested[path] == _value_at(self, path)

    def to_dict(self) -> dict[str, Any]:
        return _plain(dataclasses.asdict(self)) | {"schema": SCHEMA}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanContent:
        forecast = dict(data.get("forecast") or {})
        items = {k: tuple(CostItem(**item) for item in forecast.get(k, ())) for k in ("start_costs", "fixed_costs")}
        loans = {k: Loan(v["principal_cents"], Decimal(v["rate_pct"]), v["term_months"])
                 for k, v in forecast.items() if k in ("bbz", "qredits")}
        season = tuple(Decimal(s) for s in forecast.get("season", ())) or ForecastInputs().season
        forecast = ForecastInputs(**{k: v for k, v in forecast.items() if k not in (*items, *loans, "season")},
                                  **items, **loans, season=season)
        return cls(canvas=dict(data.get("canvas") or {}), sections=dict(data.get("sections") or {}),
                   business=Business(**(data.get("business") or {})), forecast=forecast,
                   suggested=dict(data.get("suggested") or {}))


def _plain(value: Any) -> Any:
    """JSON-ready: Decimals as text (exact), tuples as lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _value_at(content: PlanContent, path: str) -> Any:
    value: Any = content
    for part in path.split("."):
        value = getattr(value, part)
    return str(value) if isinstance(value, Decimal) else value


def without_stale_suggestions(content: PlanContent) -> PlanContent:
    """Forget the suggestions whose field someone has since changed."""
    kept = {path: value for path, value in content.suggested.items() if content.is_suggestion(path)}
    return dataclasses.replace(content, suggested=kept)


def confirmed(content: PlanContent) -> PlanContent:
    """Every suggestion checked: none of the values is marked as a suggestion any more."""
    forecast = content.forecast
    items = {k: tuple(dataclasses.replace(i, suggested_cents=None) for i in getattr(forecast, k))
             for k in ("start_costs", "fixed_costs")}
    return dataclasses.replace(content, suggested={}, forecast=dataclasses.replace(forecast, **items))


# ----------------------------------------------------------------------------- what a person typed

def parse_decimal(value: object, field_name: str, *, required: bool = False) -> Decimal | None:
    """A number typed as 1234.56, 1234,56, 1.234,56 or EUR 1,234.56; a float from a number widget
    goes through its shortest text, so 0.1 stays 0.1."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            _reject(REQUIRED, field_name)
        return None
    if isinstance(value, bool):
        _reject(NOT_A_NUMBER, field_name, value=str(value))
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "").strip()
        if "," in text and "." in text:
            decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
            text = text.replace("." if decimal_mark == "," else ",", "").replace(",", ".")
        else:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            _reject(NOT_A_NUMBER, field_name, value=str(value)[:40])
    if not number.is_finite():
        _reject(NOT_A_NUMBER, field_name, value=str(value)[:40])
    return number


def euros_to_cents(value: object, field_name: str, *, limit_cents: int = MAX_AMOUNT_CENTS,
                   required: bool = False) -> int:
    number = parse_decimal(value, field_name, required=required)
    if number is None:
        return 0
    if number < 0:
        _reject(NEGATIVE, field_name)
    cents = int((number / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if cents > limit_cents:
        _reject(TOO_LARGE, field_name, value=str(number), limit=_euros_text(limit_cents))
    return cents


def whole_number(value: object, field_name: str, *, low: int, high: int, required: bool = True) -> int:
    number = parse_decimal(value, field_name, required=required)
    if number is None:
        return low
    if number != number.to_integral_value():
        _reject(NOT_WHOLE, field_name)
    if not low <= number <= high:
        _reject(OUT_OF_RANGE, field_name, value=str(number), low=low, high=high)
    return int(number)


def rate(value: object, field_name: str) -> Decimal:
    number = parse_decimal(value, field_name, required=True)
    if not Decimal(0) <= number <= Decimal(30):
        _reject(OUT_OF_RANGE, field_name, value=str(number), low=0, high=30)
    # 8.0 and 8 are the same rate; written without trailing zeros (and never as 1E+1)
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def _euros_text(cents: int) -> Cents:
    # An error message's amount, written as money in the language the message is shown in.
    return Cents(cents)


def cents_to_euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def text(value: object, field_name: str) -> str:
    typed = "" if value is None else str(value).strip()
    if len(typed) > MAX_TEXT:
        _reject(TEXT_TOO_LONG, field_name, limit=MAX_TEXT)
    return typed


def texts(values: dict[str, object] | None, keys: tuple[str, ...]) -> dict[str, str]:
    """The canvas or the plan sections: only known blocks, each at most MAX_TEXT characters."""
    values = values or {}
    return {key: text(values.get(key), key) for key in keys}


def _items(rows: list[dict] | tuple | None, field_name: str, kinds: dict[str, str],
           previous: tuple[CostItem, ...]) -> tuple[CostItem, ...]:
    rows = list(rows or [])
    if len(rows) > MAX_ITEMS:
        _reject(TOO_MANY_ROWS, field_name, limit=MAX_ITEMS)
    items = []
    for number, row in enumerate(rows, 1):
        label = str(row.get("label") or "").strip()[:200]
        amount = row.get("amount")
        if not label and amount in (None, "", 0) and not row.get("kind"):
            continue  # an empty row a table editor leaves at the bottom
        kind = row.get("kind") or "other"
        if kind not in kinds:
            raise PlanInputRejected(ROW_PROBLEM, field=Msgid(FIELDS[field_name]), row=number,
                                    problem=Msgid(NOT_A_CHOICE_SHORT))
        try:
            cents = euros_to_cents(amount, field_name)
        except PlanInputRejected as bad:
            raise PlanInputRejected(ROW_PROBLEM, field=Msgid(FIELDS[field_name]), row=number,
                                    problem=Msgid(ROW_REASONS[bad.message_key]), **_row_params(bad)) from None
        licence_id = row.get("licence_id") or None
        suggested = next((p.suggested_cents for p in previous
                          if p.kind == kind and p.licence_id == licence_id and p.label == label), None)
        items.append(CostItem(kind, cents, label, licence_id, suggested))
    return tuple(items)


NOT_A_CHOICE_SHORT = N_("choose a kind of cost.")
ROW_REASONS = {
    NOT_A_NUMBER: N_("the amount is not a number."), NEGATIVE: N_("an amount cannot be negative."),
    TOO_LARGE: N_("the amount is more than EUR 1,000,000. Check the number of zeros."),
    REQUIRED: N_("a value is required."),
}


def _row_params(bad: PlanInputRejected) -> dict:
    return {k: v for k, v in bad.params.items() if k not in ("field",)}


@dataclass(frozen=True)
class Limits:
    """Ceilings from the funding routes of the market data (cents)."""

    bbz_max_cents: int
    qredits_max_cents: int


def business_from_form(form: dict[str, Any]) -> Business:
    premises = form.get("premises") or None
    if premises is not None and premises not in PREMISES:
        _reject(NOT_A_CHOICE, "premises")
    household = form.get("household") or "single"
    if household not in HOUSEHOLDS:
        _reject(NOT_A_CHOICE, "household")
    permit = form.get("residence_permit") or "unknown"
    if permit not in ANSWERS:
        _reject(NOT_A_CHOICE, "residence_permit")
    return Business(premises=premises, hours_per_week=whole_number(form.get("hours_per_week"), "hours_per_week",
                                                                   low=1, high=80),
                    household=household, residence_permit=permit, on_benefit=bool(form.get("on_benefit")))


def forecast_from_form(form: dict[str, Any], *, previous: ForecastInputs, limits: Limits) -> ForecastInputs:
    """The forecast inputs from what a person typed (euros), checked field by field. The season stays
    the venture's; items keep their suggestion mark while their amount is the prefilled one."""
    price = euros_to_cents(form.get("price"), "price", limit_cents=MAX_PRICE_CENTS, required=True)
    if price == 0:
        _reject(ZERO_PRICE, "price")
    volume = parse_decimal(form.get("volume"), "volume", required=True)
    if volume is not None and volume == 0:
        _reject(ZERO_VOLUME, "volume")
    volume_count = whole_number(form.get("volume"), "volume", low=1, high=MAX_VOLUME)
    unit_cost = euros_to_cents(form.get("unit_cost"), "unit_cost", limit_cents=MAX_PRICE_CENTS)
    if unit_cost > price:
        raise PlanInputRejected(COST_ABOVE_PRICE, cost=_euros_text(unit_cost), price=_euros_text(price))
    loans = {}
    for name, ceiling in (("bbz", limits.bbz_max_cents), ("qredits", limits.qredits_max_cents)):
        principal = euros_to_cents(form.get(f"{name}_loan"), f"{name}_loan")
        if principal > ceiling:
            _reject(LOAN_ABOVE_MAXIMUM, f"{name}_loan", limit=_euros_text(ceiling))
        loans[name] = Loan(principal, rate(form.get(f"{name}_rate_pct"), f"{name}_rate_pct"),
                           whole_number(form.get(f"{name}_term_months"), f"{name}_term_months", low=1, high=120))
    return ForecastInputs(
        start_month=whole_number(form.get("start_month"), "start_month", low=1, high=12),
        price_cents=price, volume_per_month=volume_count, unit_cost_cents=unit_cost,
        ramp_up_months=whole_number(form.get("ramp_up_months", 0), "ramp_up_months", low=0, high=12),
        season=previous.season,
        start_costs=_items(form.get("start_costs"), "start_costs", START_COST_KINDS, previous.start_costs),
        fixed_costs=_items(form.get("fixed_costs"), "fixed_costs", FIXED_COST_KINDS, previous.fixed_costs),
        own_cents=euros_to_cents(form.get("own"), "own"), family_cents=euros_to_cents(form.get("family"), "family"),
        owner_draw_cents=euros_to_cents(form.get("owner_draw"), "owner_draw"), **loans,
    )


def form_from_content(content: PlanContent) -> dict[str, Any]:
    """The money part as a person edits it: euros (Decimal) instead of cents."""
    f, b = content.forecast, content.business
    rows = {k: [{"kind": i.kind, "label": i.label, "amount": cents_to_euros(i.amount_cents),
                 "licence_id": i.licence_id} for i in getattr(f, k)] for k in ("start_costs", "fixed_costs")}
    loans = {}
    for name in ("bbz", "qredits"):
        loan = getattr(f, name)
        loans |= {f"{name}_loan": cents_to_euros(loan.principal_cents), f"{name}_rate_pct": loan.rate_pct,
                  f"{name}_term_months": loan.term_months}
    return {"start_month": f.start_month, "price": cents_to_euros(f.price_cents), "volume": f.volume_per_month,
            "unit_cost": cents_to_euros(f.unit_cost_cents), "ramp_up_months": f.ramp_up_months,
            "own": cents_to_euros(f.own_cents), "family": cents_to_euros(f.family_cents),
            "owner_draw": cents_to_euros(f.owner_draw_cents), **loans, **rows,
            "premises": b.premises, "hours_per_week": b.hours_per_week, "household": b.household,
            "residence_permit": b.residence_permit, "on_benefit": b.on_benefit}


# ----------------------------------------------------------------------------- what changed

@dataclass(frozen=True)
class Change:
    block: str  # a canvas block, a section, "business" or "forecast"
    field: str  # the block itself for texts, else the field's key in FIELDS
    before: Any
    after: Any


def changes(old: PlanContent | None, new: PlanContent) -> list[Change]:
    """The blocks and fields that differ between two versions (everything, when there is no old one)."""
    old = old or PlanContent()
    found = [Change(key, key, old.canvas.get(key, ""), new.canvas.get(key, "")) for key in CANVAS_KEYS
             if old.canvas.get(key, "") != new.canvas.get(key, "")]
    found += [Change(key, key, old.sections.get(key, ""), new.sections.get(key, "")) for key in SECTION_KEYS
              if old.sections.get(key, "") != new.sections.get(key, "")]
    before, after = form_from_content(old), form_from_content(new)
    for key in FIELDS:
        if key in before and before[key] != after[key]:
            block = "business" if key in ("premises", "hours_per_week", "household", "residence_permit",
                                          "on_benefit") else "forecast"
            found.append(Change(block, key, before[key], after[key]))
    return found
