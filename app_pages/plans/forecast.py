"""Financial forecast: start-up costs, financing, price x sales with the venture's season, monthly
costs, and 24 months of revenue, costs and cash with the break-even month and the living-income
check. Values prefilled from the venture catalogue are marked as suggestions to check."""

import pandas as pd
import streamlit as st
from babel.dates import get_month_names

import ui
from incubator.core.i18n import format_cents
from incubator.plans import business_plan as bp
from incubator.plans import content as pc
from incubator.plans import prefill
from incubator.plans.forecast import LOAN_REPAYMENT_TEXT
from incubator.plans.workbook import forecast_workbook
from ui import plans as plan_ui

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Financial forecast"))
plan = plan_ui.chosen_plan(cur, me, key="plan.participant")
plan_ui.header(cur, me, plan)
base, content, form = plan_ui.base_version(plan), plan.content, pc.form_from_content(plan.content)
key = f"plan.{plan.plan_id}.money"
locked = not plan.editable
label = lambda path, text: plan_ui.suggestion_label(content, path, ui.t(text))  # noqa: E731
licence_names = prefill.licence_names(cur, ui.lang())
months = get_month_names("wide", locale={"nl": "nl_NL", "ar": "ar"}.get(ui.lang(), "en_GB"))


def translated(labels: dict[str, str]) -> dict[str, str]:
    return {code: ui.t(label) for code, label in labels.items()}


def number(field: str, path: str, column, **options):
    return column.number_input(label(path, pc.FIELDS[field]), value=float(form[field]), disabled=locked,
                               key=f"{key}.{field}", **options)


def cost_table(field: str, kinds: dict[str, str]) -> list[dict]:
    frame = pd.DataFrame(form[field] or [{"kind": "other", "label": "", "amount": 0, "licence_id": None}])
    frame["amount"] = frame["amount"].astype(float)
    frame["licence"] = [licence_names.get(lid, "") for lid in frame["licence_id"]]
    edited = st.data_editor(frame, num_rows="dynamic", disabled=locked, hide_index=True, width="stretch",
                            key=f"{key}.{field}", column_order=("kind", "licence", "label", "amount"), column_config={
                                "licence": st.column_config.TextColumn(ui.t("Licence"), disabled=True),
                                "kind": st.column_config.SelectboxColumn(ui.t("Kind"), options=list(kinds),
                                                                         format_func=translated(kinds).__getitem__),
                                "label": st.column_config.TextColumn(ui.t("Description (optional)")),
                                "amount": st.column_config.NumberColumn(ui.t("Amount (EUR)"), format="%.2f")})
    return edited.to_dict("records")


st.header(ui.t("The next 24 months"))
forecast = bp.forecast_of(cur, plan)
plan_ui.show_forecast(forecast, key=f"{key}.charts")
with st.expander(ui.t("Month by month")):
    st.dataframe(plan_ui.month_table(forecast), hide_index=True, width="stretch")
with st.expander(ui.t("About these figures")):
    for note in (LOAN_REPAYMENT_TEXT, *prefill.ASSUMPTIONS):
        st.markdown(f"- {ui.t(note)}")
st.download_button(ui.t("Download the forecast (Excel)"), forecast_workbook(plan, forecast, lang=ui.lang()),
                   file_name=f"forecast-{plan.participant_id}.xlsx", key=f"{key}.download",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.header(ui.t("Change the figures"))
with st.form(f"plan.money_form.{plan.plan_id}"):
    st.subheader(ui.t("Sales"))
    c = st.columns(4)
    typed = {"price": number("price", "forecast.price_cents", c[0], min_value=0.0, step=0.5, format="%.2f"),
             "volume": number("volume", "forecast.volume_per_month", c[1], step=1.0, format="%.0f"),
             "unit_cost": number("unit_cost", "forecast.unit_cost_cents", c[2], min_value=0.0, step=0.5, format="%.2f"),
             "ramp_up_months": number("ramp_up_months", "forecast.ramp_up_months", c[3], step=1.0, format="%.0f")}
    typed["start_month"] = st.selectbox(ui.t(pc.FIELDS["start_month"]), range(1, 13), index=form["start_month"] - 1,
                                        format_func=months.__getitem__, disabled=locked, key=f"{key}.start_month")
    st.subheader(ui.t("Start-up costs"))
    typed["start_costs"] = cost_table("start_costs", pc.START_COST_KINDS)
    st.subheader(ui.t("Monthly costs"))
    typed["fixed_costs"] = cost_table("fixed_costs", pc.FIXED_COST_KINDS)
    st.subheader(ui.t("Financing"))
    c = st.columns(4)
    typed |= {"own": number("own", "forecast.own_cents", c[0], min_value=0.0, format="%.2f"),
              "family": number("family", "forecast.family_cents", c[1], min_value=0.0, format="%.2f"),
              "owner_draw": number("owner_draw", "forecast.owner_draw_cents", c[2], min_value=0.0, format="%.2f")}
    c = st.columns(3)
    for loan in ("bbz", "qredits"):
        typed |= {f"{loan}_loan": number(f"{loan}_loan", f"forecast.{loan}.principal_cents", c[0], min_value=0.0,
                                         format="%.2f"),
                  f"{loan}_rate_pct": number(f"{loan}_rate_pct", f"forecast.{loan}.rate_pct", c[1], format="%.2f"),
                  f"{loan}_term_months": number(f"{loan}_term_months", f"forecast.{loan}.term_months", c[2],
                                                step=1.0, format="%.0f")}
    st.caption(ui.t("The Bbz loan: at most {limit}, {rate}% a year (the 2022 level).",
                    limit=format_cents(prefill.limits(cur).bbz_max_cents, ui.lang()), rate=prefill.bbz_rate_pct(cur)))
    st.subheader(ui.t("You and your household"))
    c = st.columns(3)
    typed["household"] = c[0].radio(label("business.household", pc.FIELDS["household"]), list(pc.HOUSEHOLDS),
                                    index=list(pc.HOUSEHOLDS).index(form["household"]), disabled=locked,
                                    format_func=translated(pc.HOUSEHOLDS).__getitem__, key=f"{key}.household")
    typed["residence_permit"] = c[1].radio(label("business.residence_permit", pc.FIELDS["residence_permit"]),
                                           list(pc.ANSWERS), index=list(pc.ANSWERS).index(form["residence_permit"]),
                                           format_func=translated(pc.ANSWERS).__getitem__, disabled=locked,
                                           key=f"{key}.residence_permit")
    typed["on_benefit"] = c[2].checkbox(ui.t(pc.FIELDS["on_benefit"]), value=form["on_benefit"], disabled=locked,
                                        key=f"{key}.on_benefit")
    typed["hours_per_week"] = number("hours_per_week", "business.hours_per_week", c[2], step=1.0, format="%.0f")
    typed["premises"] = form["premises"]
    if st.form_submit_button(ui.t("Save and calculate"), disabled=locked, type="primary"):
        with ui.errors_shown():
            plan_ui.saved(plan, bp.save_money(cur, actor=me, plan_id=plan.plan_id, base_version=base, form=typed))

if content.suggested and plan.editable and st.button(ui.t("I checked the suggestions"), key=f"{key}.confirm"):
    with ui.errors_shown():
        plan_ui.saved(plan, bp.confirm_suggestions(cur, actor=me, plan_id=plan.plan_id, base_version=base))

