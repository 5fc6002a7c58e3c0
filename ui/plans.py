"""Widgets shared by the business-plan pages: which plan is shown (the participant's, with what to do
when there is none), the base version an editor works on, what changed since the reader's last
visit, plain text as typed, and the forecast's charts and messages."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import ui
from incubator.core import i18n
from incubator.core.i18n import N_
from incubator.people import participants
from incubator.plans import business_plan as bp
from incubator.plans import content as pc
from incubator.plans.forecast import Forecast, verdict_texts, words
from incubator.suggestions import choices


def plan_words(key: str, params: dict) -> str:
    return words(key, params, ui.lang())


def participant_id(cur, me, *, key: str) -> str | None:
    if me.role == "newcomer":
        own = participants.participant_for_user(cur, me.user_id)
        return own.participant_id if own else None
    return ui.choose_participant(participants.list_participants(cur, actor=me), key=key)


def chosen_plan(cur, me, *, key: str) -> bp.Plan:
    """The plan of the chosen participant's current venture; offers to start it, or says what to do
    first, and stops the page when there is no plan to show."""
    pid = participant_id(cur, me, key=key)
    if pid is None:
        st.info(ui.t("There is no participant to show yet. Fill in the skills and ambitions first."))
        st.stop()
    plan = bp.current_plan(cur, actor=me, participant_id=pid)
    choice = choices.current_choice(cur, actor=me, participant_id=pid)
    if choice is not None and (plan is None or plan.status == "replaced"):
        st.info(ui.t("Chosen for the business plan: {venture}", venture=ui.isolate(ui.typed(choice.name.get(ui.lang())))))
        with ui.errors_shown():
            if st.button(ui.t("Start the business plan for the chosen venture"), key=f"plan.start.{pid}", type="primary"):
                bp.start_plan(cur, actor=me, participant_id=pid)
                st.rerun()
    if plan is None:
        if choice is None:
            st.info(ui.t("Choose a venture on the Suggestions page first."))
            st.page_link("app_pages/suggestions/participant_suggestions.py", label=ui.t("Suggestions"),
                         icon=":material/lightbulb:")
        st.stop()
    return plan


def base_version(plan: bp.Plan) -> int:
    """The version this editor started from: kept for the session, so that a save made on top of an
    older version than the latest is refused instead of overwriting someone else's."""
    return st.session_state.setdefault(f"plan.base.{plan.plan_id}", plan.version)


def load_latest(plan: bp.Plan) -> None:
    """Forget this session's edits of the plan and show the latest version."""
    for name in [k for k in st.session_state if str(k).startswith(f"plan.{plan.plan_id}.")]:
        del st.session_state[name]
    st.session_state[f"plan.base.{plan.plan_id}"] = plan.version


def saved(plan: bp.Plan, version: int) -> None:
    st.session_state[f"plan.base.{plan.plan_id}"] = version
    st.session_state["plan.flash"] = ui.t("Saved as version {version}.", version=version)
    st.rerun()


def header(cur, me, plan: bp.Plan) -> None:
    """The plan's venture and version, why it is read-only, a newer version, and what changed."""
    st.subheader(ui.typed(plan.name.get(ui.lang())))
    st.caption(ui.t("Version {version}, saved on {date} by {name}.", version=plan.version,
                    date=ui.format_date(plan.saved_at.date()), name=ui.typed(plan.saved_by)))
    if flash := st.session_state.pop("plan.flash", None):
        st.success(flash)
    if plan.status_message:
        st.warning(ui.t(plan.status_message[0], **plan.status_message[1]))
    base = base_version(plan)
    if base != plan.version:
        st.warning(ui.t("A newer version ({version}) was saved while you had version {base} open. Load it before you "
                        "change anything.", version=plan.version, base=base))
        if st.button(ui.t("Load the latest version"), key=f"plan.load_latest.{plan.plan_id}"):
            load_latest(plan)
            st.rerun()
    seen = st.session_state.setdefault(f"plan.seen.{plan.plan_id}", plan.last_viewed_version)
    found = bp.changes_since(cur, actor=me, plan_id=plan.plan_id, since_version=seen)
    if found.changed:
        names = [ui.t(pc.BLOCK_TITLES.get(c.field) or pc.FIELDS[c.field]) for c in found.changed]
        st.info(ui.t("Changed since version {version} (by {names}): {fields}", version=found.since_version,
                     names=i18n.format_list([ui.typed(n) for n in found.saved_by], ui.lang()),
                     fields=i18n.format_list(list(dict.fromkeys(names)), ui.lang())))


def suggestion_label(content: pc.PlanContent, path: str, label: str) -> str:
    return f"{label} · {ui.t('suggestion: check it')}" if content.is_suggestion(path) else label


def show_forecast(forecast: Forecast, *, key: str) -> None:
    """The key figures, the living-income check, warnings in plain words, and the two charts."""
    living = forecast.living_income
    columns = st.columns(4)
    columns[0].metric(ui.t("Break-even month"), forecast.break_even_month or ui.t("not in 24 months"))
    columns[1].metric(ui.t("Lowest cash"), i18n.format_cents(forecast.lowest_cash_cents, ui.lang()),
                      help=ui.t("In month {month}", month=forecast.lowest_cash_month))
    columns[2].metric(ui.t("Left for you a month, year 1"), i18n.format_cents(living.average_available_year1_cents, ui.lang()))
    columns[3].metric(ui.t("Social-assistance norm"), i18n.format_cents(living.norm_cents, ui.lang()),
                      help=ui.t("The {level} level, from {date}; Participatiewet article 21", level=living.norm_level,
                                date=living.norm_valid_from))
    for warning in forecast.warnings:
        st.warning(plan_words(warning.key, warning.params))
    (st.success if living.verdict == "enough" else st.info)(" ".join(plan_words(k, p) for k, p in verdict_texts(living)))
    months = [m.month for m in forecast.months]
    euros = lambda cents: [c / 100 for c in cents]  # noqa: E731 - chart coordinates only, never stored
    cash = go.Figure(go.Scatter(x=months, y=euros(m.cash for m in forecast.months), mode="lines+markers",
                                name=ui.t("Cash")))
    money = go.Figure([go.Bar(x=months, y=euros(m.revenue for m in forecast.months), name=ui.t("Revenue")),
                       go.Bar(x=months, y=euros(m.costs for m in forecast.months), name=ui.t("Costs"))])
    for figure, title in ((cash, ui.t("Cash position")), (money, ui.t("Revenue against costs"))):
        figure.add_hline(y=0, line_color="#555")
        if forecast.break_even_month:
            figure.add_vline(x=forecast.break_even_month, line_dash="dash", line_color="#b00020",
                             annotation_text=ui.t("Break-even"))
        figure.update_layout(title=title, xaxis={"title": ui.t("Month"), "dtick": 1}, yaxis={"title": "€"},
                             margin={"t": 50, "b": 90}, legend={"orientation": "h", "y": -0.3})
    left, right = st.columns(2)
    left.plotly_chart(cash, key=f"{key}.cash")
    right.plotly_chart(money, key=f"{key}.money")


def month_table(forecast: Forecast) -> pd.DataFrame:
    """The 24 months as text in the reader's language (amounts formatted by Babel)."""
    lang = ui.lang()
    columns = {"revenue": N_("Revenue"), "costs": N_("Costs"), "profit": N_("Profit"), "repayment": N_("Loan repayment"),
               "available": N_("Left for you"), "draw": N_("Your draw"), "cash": N_("Cash")}
    rows = [{ui.t("Month"): m.month} | {ui.t(title): i18n.format_cents(getattr(m, attr), lang)
                                        for attr, title in columns.items()} for m in forecast.months]
    return pd.DataFrame(rows)
