"""The forecast of a plan as an Excel workbook: the 24-month table with euro formats and totals, two
native charts (the cash position; revenue against costs), the start-up costs and their financing,
the living-income check, and the assumptions behind the figures. Amounts are written as exact
decimals from the cents the forecast holds (no formulas: every figure is the app's own)."""

from __future__ import annotations

import io
from decimal import Decimal

from babel.dates import get_month_names
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from incubator.core.i18n import N_, format_list, translate
from incubator.plans import content as pc
from incubator.plans import prefill
from incubator.plans.business_plan import Plan
from incubator.plans.forecast import LOAN_REPAYMENT_TEXT, Forecast, verdict_texts, words

EURO_FORMAT = '"€" #,##0.00;[Red]"€" -#,##0.00'
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
COLUMNS = (
    ("month", N_("Month")), ("calendar_month", N_("Calendar month")), ("season_index", N_("Season index")),
    ("sales", N_("Sales")), ("revenue", N_("Revenue")), ("variable_costs", N_("Variable costs")),
    ("fixed_costs", N_("Fixed costs")), ("interest", N_("Interest")), ("repayment", N_("Loan repayment")),
    ("profit", N_("Profit")), ("available", N_("Left for you")), ("draw", N_("Your draw")),
    ("cash", N_("Cash at the end of the month")), ("bbz_top_up", N_("Bbz top-up")),
)
MONEY = {"revenue", "variable_costs", "fixed_costs", "interest", "repayment", "profit", "available", "draw", "cash",
         "bbz_top_up"}
SUMMED = MONEY - {"cash"}


def _euros(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _header(sheet, values: list[str]) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL


def forecast_workbook(plan: Plan, forecast: Forecast, *, lang: str = "en") -> bytes:
    """The workbook as bytes."""
    t = lambda key, **params: translate(key, lang, **params)  # noqa: E731 - a short local alias
    months = get_month_names("wide", locale={"nl": "nl_NL", "ar": "ar"}.get(lang, "en_GB"))
    book = Workbook()
    table = book.active
    table.title = t("Forecast")[:31]
    _header(table, [t(title) for _, title in COLUMNS])
    for m in forecast.months:
        row = []
        for key, _ in COLUMNS:
            value = getattr(m, key)
            row.append(months[value] if key == "calendar_month" else _euros(value) if key in MONEY
                       else value.quantize(Decimal("0.01")) if key == "sales" else value)
        table.append(row)
    for label, year in ((t("Year 1"), 1), (t("Year 2"), 2), (t("Total"), None)):
        table.append([label] + [_euros(forecast.total(key, year=year)) if key in SUMMED else None
                                for key, _ in COLUMNS[1:]])
        table.cell(table.max_row, 1).font = Font(bold=True)
    for index, (key, _) in enumerate(COLUMNS, 1):
        table.column_dimensions[get_column_letter(index)].width = 16
        if key in MONEY:
            for (cell,) in table.iter_rows(min_row=2, max_row=table.max_row, min_col=index, max_col=index):
                cell.number_format = EURO_FORMAT
    table.freeze_panes = "B2"
    _charts(table, t)
    _start_sheet(book, plan, forecast, t)
    _living_sheet(book, forecast, lang, t)
    about = book.create_sheet(t("About")[:31])
    _header(about, [t("About these figures")])
    about.column_dimensions["A"].width = 120
    for line in (t("Business plan version {version} of {participant}", version=plan.version,
                   participant=plan.participant_id), plan.name.get(lang), t(LOAN_REPAYMENT_TEXT),
                 *(t(a) for a in prefill.ASSUMPTIONS)):
        about.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _charts(sheet, t) -> None:
    last = 25  # header + 24 months
    cash = LineChart()
    cash.title, cash.y_axis.title, cash.x_axis.title = t("Cash position"), t("Euro"), t("Month")
    cash.add_data(Reference(sheet, min_col=13, min_row=1, max_row=last), titles_from_data=True)
    cash.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    cash.height, cash.width = 8, 18
    sheet.add_chart(cash, "P2")
    bars = BarChart()
    bars.title, bars.y_axis.title, bars.x_axis.title = t("Revenue against costs"), t("Euro"), t("Month")
    for column in (5, 6, 7):  # revenue, variable and fixed costs
        bars.add_data(Reference(sheet, min_col=column, min_row=1, max_row=last), titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    bars.height, bars.width = 8, 18
    sheet.add_chart(bars, "P20")


def _start_sheet(book, plan: Plan, forecast: Forecast, t) -> None:
    sheet = book.create_sheet(t("Start-up and financing")[:31])
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 50, 18
    _header(sheet, [t("Start-up costs"), t("Amount")])
    money = plan.content.forecast
    for item in money.start_costs:
        sheet.append([item.label or t(pc.START_COST_KINDS[item.kind]), _euros(item.amount_cents)])
    sheet.append([t("Total"), _euros(forecast.start_costs_cents)])
    sheet.append([])
    _header(sheet, [t("Financing"), t("Amount")])
    for key, cents in (("own", money.own_cents), ("family", money.family_cents),
                       ("bbz_loan", money.bbz.principal_cents), ("qredits_loan", money.qredits.principal_cents)):
        sheet.append([t(pc.FIELDS[key]), _euros(cents)])
    sheet.append([t("Total"), _euros(forecast.funding_cents)])
    sheet.append([t("Cash before month 1"), _euros(forecast.start_cash_cents)])
    for (cell,) in sheet.iter_rows(min_row=1, max_row=sheet.max_row, min_col=2, max_col=2):
        cell.number_format = EURO_FORMAT


def _living_sheet(book, forecast: Forecast, lang: str, t) -> None:
    living = forecast.living_income
    sheet = book.create_sheet(t("Living income")[:31])
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 60, 24
    _header(sheet, [t("Living-income check"), ""])
    rows = (
        (t("Household"), t(pc.HOUSEHOLDS[living.household])),
        (t("Social-assistance norm a month (the {level} level, from {date})", level=living.norm_level,
           date=living.norm_valid_from), _euros(living.norm_cents)),
        (t("Left for you a month on average, year 1"), _euros(living.average_available_year1_cents)),
        (t("Left for you a month on average, year 2"), _euros(living.average_available_year2_cents)),
        (t("Months below the norm"), format_list([str(m) for m in living.months_below_norm], lang) or "-"),
        (t("Bbz top-up in 24 months"), _euros(living.bbz_top_up_cents)),
        (t("Break-even month"), forecast.break_even_month or "-"),
    )
    for label, value in rows:
        sheet.append([label, value])
        if isinstance(value, Decimal):
            sheet.cell(sheet.max_row, 2).number_format = EURO_FORMAT
    sheet.append([])
    for key, params in verdict_texts(living):
        sheet.append([words(key, params, lang)])
    for warning in forecast.warnings:
        sheet.append([words(warning.key, warning.params, lang)])
