"""Funding routes: which routes to start-up money this person qualifies for (Bbz, Qredits), the
amount the forecast needs, and what each application asks, as a checklist."""

import streamlit as st

import ui
from incubator.core.i18n import format_cents
from incubator.plans import funding
from ui import plans as plan_ui

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Funding routes"))
plan = plan_ui.chosen_plan(cur, me, key="plan.participant")
plan_ui.header(cur, me, plan)
routes = funding.funding_routes(cur, actor=me, plan_id=plan.plan_id)
money = lambda cents: format_cents(cents, ui.lang())  # noqa: E731

left, right = st.columns(2)
left.metric(ui.t("Needed beyond your own and family money"), money(routes.needed_cents))
right.metric(ui.t("Short at the lowest point, with the loans filled in"), money(routes.short_cents))
marks = {"met": ":material/check_circle:", "not_met": ":material/cancel:", "check": ":material/help:"}
for route in routes.routes:
    with st.container(border=True):
        st.subheader(route.name.get(ui.lang()))
        facts = []
        if route.max_cents:
            facts.append(ui.t("at most {amount}", amount=money(route.max_cents)))
        if route.rate_pct is not None:
            facts.append(ui.t("{rate}% interest a year", rate=ui.format_number(route.rate_pct, 1)))
        if route.max_months:
            facts.append(ui.t("up to {months} months", months=route.max_months))
        if route.period:
            facts.append(ui.t("the {period} level", period=route.period))
        st.caption(" · ".join(facts + [route.source or ""]))
        verdict = ui.t(funding.QUALIFIES[route.qualifies])
        (st.success if route.qualifies == "yes" else st.error if route.qualifies == "no" else st.warning)(verdict)
        if route.amount_cents:
            st.markdown(ui.t("In this plan: {amount}", amount=money(route.amount_cents)))
        for requirement in route.requirements:
            st.markdown(f"{marks[requirement.status]} {plan_ui.plan_words(funding.REQUIREMENTS[requirement.key], requirement.params)}"
                        f" · {ui.t(funding.STATUSES[requirement.status])}")
        if route.checklist:
            with st.expander(ui.t("What the application asks")):
                for item in route.checklist:
                    st.checkbox(item.label.get(ui.lang()) if item.label else ui.t(item.message),
                                key=f"plan.{plan.plan_id}.check.{route.route_id}.{item.key}")
st.caption(ui.t("The checklist is a reminder for you and your mentor; the milestones will keep track of it."))
