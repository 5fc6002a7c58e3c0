"""The forecast arithmetic on three cases computed by hand (the arithmetic is written out in each
docstring, independently of the code), the linear loan schedule, break-even, the living-income check
and exact totals. Amounts are euro cents; the norms are the 2024 level (data/social_assistance_norms.csv):
single EUR 1,283.83 = 128,383 cents, couple EUR 1,834.04 = 183,404 cents."""

from __future__ import annotations

from decimal import Decimal

import pytest

from incubator.plans.content import CostItem, ForecastInputs, Loan
from incubator.plans.forecast import (
    CASH_RUNS_OUT,
    NO_BBZ,
    NO_BREAK_EVEN,
    Norm,
    compute,
    loan_schedule,
    verdict_texts,
)

SINGLE = Norm("single", 128_383, "2024-01-01", "2024")
COUPLE = Norm("couple", 183_404, "2024-01-01", "2024")


def season(text: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in text.split())


TAILOR = ForecastInputs(
    start_month=1, price_cents=4_000, volume_per_month=50, unit_cost_cents=800, ramp_up_months=3,
    season=season("0.55 0.60 0.80 1.00 1.30 1.40 1.35 1.35 1.25 0.90 0.70 0.80"),  # cr_tailoring
    start_costs=(CostItem("equipment", 150_000), CostItem("stock", 30_000), CostItem("registration", 8_515)),
    fixed_costs=(CostItem("insurance", 6_000), CostItem("phone", 4_500), CostItem("transport", 8_000),
                 CostItem("accounting", 6_500)),
    own_cents=200_000,
)
FOOD_TRUCK = ForecastInputs(
    start_month=4, price_cents=1_000, volume_per_month=800, unit_cost_cents=350,
    season=season("0.60 0.65 0.80 1.00 1.25 1.35 1.30 1.25 1.20 0.95 0.75 0.90"),  # et_food_truck
    start_costs=(CostItem("equipment", 5_200_000), CostItem("stock", 150_000), CostItem("registration", 8_515)),
    fixed_costs=(CostItem("other", 90_000),), own_cents=500_000, qredits=Loan(5_000_000, Decimal(8), 60),
)
BAKERY = ForecastInputs(
    start_month=1, price_cents=250, volume_per_month=4_000, unit_cost_cents=90,
    season=season("0.90 0.85 0.90 0.95 1.00 0.95 0.90 0.90 0.95 1.00 1.10 1.60"),  # cr_bakery
    start_costs=(CostItem("equipment", 3_000_000), CostItem("stock", 143_485), CostItem("registration", 8_515)),
    fixed_costs=(CostItem("rent", 200_000), CostItem("other", 90_000), CostItem("insurance", 16_000),
                 CostItem("accounting", 25_000), CostItem("other", 35_000)),
    own_cents=204_000, bbz=Loan(3_000_000, Decimal(8), 60), owner_draw_cents=150_000,
)


def test_a_tailor_at_home():
    """A tailor at home: EUR 40.00 a sale, 50 sales in an average month, EUR 8.00 of material a sale,
    3 months to reach normal sales, starting in January; no loan, on a benefit (Bbz applies), single.

    Start: costs 1,500.00 + 300.00 + 85.15 = EUR 1,885.15; own money 2,000.00; cash before month 1
    = 200,000 - 188,515 = 11,485 cents. Fixed costs 60 + 45 + 80 + 65 = EUR 250.00 a month.
    Margin per sale 40.00 - 8.00 = 32.00, so profit = 50 x season x ramp x 3,200 - 25,000 cents.
      month 1: sales 50 x 0.55 x 1/4 = 6.875; revenue 4,000 x 6.875 = 27,500; material 5,500;
               profit 27,500 - 5,500 - 25,000 = -3,000 (a loss: no break-even yet)
      month 2: sales 50 x 0.60 x 2/4 = 15; revenue 60,000; material 12,000; profit 23,000 -> break-even month 2
      month 3: sales 50 x 0.80 x 3/4 = 30; revenue 120,000; profit 120,000 - 24,000 - 25,000 = 71,000
      month 4 on: full sales, profit = 160,000 x season - 25,000: 135,000 183,000 199,000 191,000 191,000
               175,000 119,000 87,000 103,000 (April..December)
    Year 1 revenue = 27,500 + 60,000 + 120,000 + 200,000 + 260,000 + 280,000 + 270,000 + 270,000 + 250,000
               + 180,000 + 140,000 + 160,000 = 2,217,500; year 1 profit = 2,217,500 x 0.8 - 300,000 = 1,474,000.
    Year 2 profit = 160,000 x 12.00 - 300,000 = 1,620,000 (season indices sum to 12.00).
    Cash end of month 12 = 11,485 + 1,474,000 = 1,485,485; month 24 = 1,485,485 + 1,620,000 = 3,105,485.
    Living income (no loan: left for you = profit): below the norm of 128,383 in months 1, 2, 3, 10, 11, 12
    and 13, 14, 15, 22, 23, 24. Average year 1 = 1,474,000 / 12 = 122,833.33 -> 122,833; year 2 = 135,000
    >= the norm, so "enough_later". The top-up fills each gap (a loss counts as 0 income):
      year 1: 128,383 + 105,383 + 57,383 + 9,383 + 41,383 + 25,383 = 367,298
      year 2: 65,383 + 57,383 + 25,383 + 9,383 + 41,383 + 25,383 = 224,298; together 591,596 (EUR 5,915.96).
    """
    f = compute(TAILOR, norm=SINGLE, bbz_eligible=True)
    assert f.start_costs_cents == 188_515 and f.start_cash_cents == 11_485
    assert [m.profit for m in f.months[:12]] == [-3_000, 23_000, 71_000, 135_000, 183_000, 199_000, 191_000, 191_000,
                                                 175_000, 119_000, 87_000, 103_000]
    assert f.months[0].sales == Decimal("6.875") and f.months[0].revenue == 27_500 and f.months[0].variable_costs == 5_500
    assert f.break_even_month == 2
    assert f.total("revenue", year=1) == 2_217_500
    assert f.total("profit", year=1) == 1_474_000 and f.total("profit", year=2) == 1_620_000
    assert f.months[11].cash == 1_485_485 and f.months[23].cash == 3_105_485
    assert f.first_short_month is None and f.external_funding_needed_cents == 0
    living = f.living_income
    assert living.months_below_norm == (1, 2, 3, 10, 11, 12, 13, 14, 15, 22, 23, 24)
    assert (living.average_available_year1_cents, living.average_available_year2_cents) == (122_833, 135_000)
    assert living.verdict == "enough_later" and living.bbz_top_up_cents == 591_596 and living.bbz_bridges_gap


def test_a_food_truck_with_a_qredits_loan():
    """A food truck from April: EUR 10.00 a dish, 800 dishes in an average month, EUR 3.50 of food a dish,
    no ramp-up; a Qredits loan of EUR 50,000 at 8% over 60 months, repaid linearly; a couple, not on a
    benefit (no Bbz top-up).

    Start: 52,000.00 + 1,500.00 + 85.15 = EUR 53,585.15; own 5,000.00 + loan 50,000.00; cash before
    month 1 = 5,500,000 - 5,358,515 = 141,485 cents. Needed beyond own money: 5,358,515 - 500,000 = 4,858,515.
    Loan: principal 5,000,000 / 60 = 83,333.33 -> 83,333 a month; interest = balance x 8% / 12 = balance / 150:
      m1 5,000,000/150 = 33,333.33 -> 33,333; m2 4,916,667/150 = 32,777.78 -> 32,778; m3 4,833,334 -> 32,222;
      m4 4,750,001 -> 31,667; m5 4,666,668 -> 31,111; m6 4,583,335 -> 30,556; m7 4,500,002 -> 30,000;
      m8 4,416,669 -> 29,444; m9 4,333,336 -> 28,889; m10 4,250,003 -> 28,333; m11 4,166,670 -> 27,778;
      m12 4,083,337 -> 27,222. Year 1 interest 363,333 (check: balances sum 60,000,000 - 83,333 x 66
      = 54,500,022; / 150 = 363,333.48).
      m13 4,000,004 -> 26,667 ... m24 3,083,341 -> 20,556; year 2 interest 283,334.
    Month 1 (April, season 1.00): revenue 800,000; food 280,000; profit 800,000 - 280,000 - 90,000 - 33,333
    = 396,667 -> break-even month 1; left for you 396,667 - 83,333 = 313,334.
    Left for you = 520,000 x season - 90,000 - interest - 83,333:
      313,334 443,889 496,445 471,000 445,556 420,111 290,667 187,223 265,778 110,334 136,889 215,445
    Below the couple norm 183,404: months 10 and 11 (January, February) and 22, 23.
    Year 1 left for you = 6,240,000 - 1,080,000 - 363,333 - 999,996 = 3,796,671 -> 316,389 a month;
    year 2 = 6,240,000 - 1,080,000 - 283,334 - 999,996 = 3,876,670 -> 323,056: "enough_later", no top-up.
    """
    f = compute(FOOD_TRUCK, norm=COUPLE, bbz_eligible=False)
    assert f.start_cash_cents == 141_485 and f.external_funding_needed_cents == 4_858_515
    assert [m.interest for m in f.months[:12]] == [33_333, 32_778, 32_222, 31_667, 31_111, 30_556, 30_000, 29_444,
                                                   28_889, 28_333, 27_778, 27_222]
    assert f.total("interest", year=1) == 363_333 and f.total("interest", year=2) == 283_334
    assert {m.repayment for m in f.months} == {83_333}
    assert f.months[0].revenue == 800_000 and f.months[0].profit == 396_667 and f.break_even_month == 1
    assert [m.available for m in f.months[:12]] == [313_334, 443_889, 496_445, 471_000, 445_556, 420_111, 290_667,
                                                    187_223, 265_778, 110_334, 136_889, 215_445]
    living = f.living_income
    assert living.months_below_norm == (10, 11, 22, 23)
    assert (living.average_available_year1_cents, living.average_available_year2_cents) == (316_389, 323_056)
    assert living.verdict == "enough_later" and living.bbz_top_up_cents == 0 and not living.bbz_bridges_gap
    assert (NO_BBZ, {}) in verdict_texts(living)


def test_a_bakery_whose_season_makes_month_3_negative():
    """A bakery from January: EUR 2.50 a loaf, 4,000 in an average month, EUR 0.90 of ingredients each,
    no ramp-up; a Bbz loan of EUR 30,000 at 8% over 60 months (linear), own money EUR 2,040, and the
    owner takes out EUR 1,500 every month; single, on a benefit (Bbz top-up applies).

    Start: 30,000.00 + 1,434.85 + 85.15 = EUR 31,520.00; funding 32,040.00; cash before month 1 = 52,000 cents.
    Fixed costs 2,000 + 900 + 160 + 250 + 350 = EUR 3,660.00. Margin = 4,000 x season x 160 = 640,000 x season.
    Loan: principal 3,000,000 / 60 = 50,000; interest = balance / 150: 20,000; 19,667; 19,333; 19,000; ...
      profit m1 = 576,000 - 366,000 - 20,000 = 190,000 >= 0 -> break-even month 1.
    Cash change = profit - 50,000 repaid - 150,000 drawn:
      m1 (0.90): 576,000 - 366,000 - 20,000 - 200,000 = -10,000 -> cash 42,000
      m2 (0.85): 544,000 - 366,000 - 19,667 - 200,000 = -41,667 -> cash 333
      m3 (0.90): 576,000 - 366,000 - 19,333 - 200,000 = -9,333 -> cash -9,000: the cash runs out, EUR 90.00 short
      m4 (0.95): 608,000 - 366,000 - 19,000 - 200,000 = +23,000 -> cash 14,000 (back above zero)
      ... m12 (1.60): 1,024,000 - 366,000 - 16,333 - 200,000 = 441,667 -> cash 722,000.
    Year 1: margin 640,000 x 12.00 = 7,680,000; fixed 4,392,000; interest 218,000; principal 600,000:
    left for you 2,470,000 -> 205,833 a month; cash after 12 months 52,000 + 2,470,000 - 1,800,000 = 722,000.
    Left for you below 128,383 only in month 2 (108,333) and month 14 (544,000 - 366,000 - 15,667 - 50,000
    = 112,333): top-up 20,050 + 16,050 = 36,100 (EUR 361.00).
    """
    f = compute(BAKERY, norm=SINGLE, bbz_eligible=True)
    assert f.start_costs_cents == 3_152_000 and f.start_cash_cents == 52_000
    assert [m.cash for m in f.months[:4]] == [42_000, 333, -9_000, 14_000]
    assert f.months[11].cash == 722_000
    assert f.break_even_month == 1 and f.first_short_month == 3
    assert f.lowest_cash_cents == -9_000 and f.lowest_cash_month == 3
    assert f.warnings[0].key == CASH_RUNS_OUT and f.warnings[0].params == {"month": 3, "amount_cents": 9_000}
    assert not f.viable
    living = f.living_income
    assert living.months_below_norm == (2, 14) and living.average_available_year1_cents == 205_833
    assert living.bbz_top_up_cents == 36_100 and living.verdict == "enough_later"


@pytest.mark.parametrize("inputs", [TAILOR, FOOD_TRUCK, BAKERY], ids=["tailor", "food truck", "bakery"])
def test_every_total_is_exactly_the_sum_of_its_months(inputs):
    f = compute(inputs, norm=SINGLE, bbz_eligible=True)
    for column in ("revenue", "variable_costs", "fixed_costs", "interest", "repayment", "profit", "available"):
        values = [getattr(m, column) for m in f.months]
        assert all(isinstance(v, int) for v in values), column
        assert f.total(column) == sum(values) == f.total(column, year=1) + f.total(column, year=2)
    for m in f.months:
        assert m.profit == m.revenue - m.variable_costs - m.fixed_costs - m.interest
        assert m.available == m.profit - m.repayment
    cash = f.start_cash_cents
    for m in f.months:
        cash += m.available - m.draw
        assert m.cash == cash


def test_a_linear_loan_by_hand():
    """EUR 1,000 at 12% over 3 months: principal 333.33, 333.33, then 333.34 (what is left); interest on
    what is still owed at 1% a month: 10.00, 6.67 (666.67 x 1% = 6.6667), 3.33 (333.34 x 1% = 3.3334)."""
    assert loan_schedule(Loan(100_000, Decimal(12), 3), months=4) == [
        (1_000, 33_333), (667, 33_333), (333, 33_334), (0, 0)]


def test_no_break_even_and_a_shortfall_are_said_plainly():
    losing = ForecastInputs(price_cents=1_000, volume_per_month=10, unit_cost_cents=500,
                            fixed_costs=(CostItem("rent", 100_000),), own_cents=50_000)
    f = compute(losing, norm=SINGLE, bbz_eligible=False)
    keys = [w.key for w in f.warnings]
    assert f.break_even_month is None and NO_BREAK_EVEN in keys
    assert f.first_short_month == 1 and f.living_income.verdict == "short"


@pytest.mark.parametrize(("lang", "months", "expected"), [
    ("en", [5], "In month 5 the costs are higher than the revenue."),
    ("en", [5, 6, 7], "In months 5, 6 and 7 the costs are higher than the revenue."),
    ("nl", [5, 9], "In de maanden 5 en 9 zijn de kosten hoger dan de omzet."),
    ("ar", [5, 9], "في الشهرين 5 و9 تكون التكاليف أعلى من الإيرادات."),
    ("ar", [5, 6, 7], "في الأشهر 5 و6 و7 تكون التكاليف أعلى من الإيرادات."),
])
def test_the_months_with_a_loss_read_as_a_list_in_the_readers_language(lang, months, expected):
    from incubator.core.i18n import Listed
    from incubator.plans.forecast import LOSS_MONTHS, words

    assert words(LOSS_MONTHS, {"months": Listed(months), "count": len(months)}, lang) == expected
