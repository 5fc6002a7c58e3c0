"""The programme pipeline for managers (everyone) and mentors (their own participants): filters, the
funnel, time per stage, a map, impact figures beside their baselines, a savings estimate with its
formula and source, mentor load and overdue milestones. Every figure says how it was computed."""

import streamlit as st

import ui
from incubator.core.i18n import format_eur
from incubator.pipeline import dashboard, geography, savings, scope, workload
from ui import pipeline as pl
from ui import programme as pui

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Pipeline dashboard"), ui.t("Figures over the participants you may see, within the filters."))
with st.expander(ui.t("Filters"), expanded=True, icon=":material/filter_list:"):
    chosen = pl.filters(scope.filter_options(cur, actor=me), manager=me.role == "manager")
today = pui.today()
board = dashboard.build(cur, actor=me, filters=chosen, today=today)
shown = board.impact
if board.synthetic:
    st.warning(ui.t("Synthetic data: {synthetic} of the {participants} participants counted here are made up "
                    "(a demo workspace), and so are the figures about them.",
                    synthetic=ui.format_number(shown.synthetic), participants=ui.format_number(shown.participants)),
               icon=":material/science:")

st.subheader(ui.t("Impact"))
a, b, c = st.columns(3)
a.metric(ui.t("Participants"), ui.format_number(shown.participants))
b.metric(ui.t("Ventures launched"), ui.format_number(shown.launched))
c.metric(ui.t("Running at 12 months"), "–" if shown.survival_12m is None else ui.format_share(shown.survival_12m))
a.metric(ui.t("Jobs created (FTE)"), ui.format_number(shown.jobs_fte, 1))
b.metric(ui.t("Left social assistance"), ui.format_number(shown.left_assistance))
c.metric(ui.t("Moved up the ladder"), ui.format_number(board.movement.rung_up))
st.caption(ui.t("Ventures launched: a KVK registration date recorded for the current choice. Running at 12 months: "
                "{running} of the {known} launched ventures whose 12-month mark is recorded. Jobs: the full-time "
                "jobs recorded for launched ventures, added up. Left social assistance: people with a recorded date.",
                running=ui.format_number(shown.running_12m), known=ui.format_number(shown.known_12m)))

st.subheader(ui.t("Funnel by stage"))
st.plotly_chart(pl.funnel_chart(board.funnel), key="pipeline.funnel", config=pl.CONFIG)
st.caption(ui.t("Each bar counts the participants whose furthest stage is at or beyond it, and their share of "
                "everyone at intake. A stage is reached on the date the app recorded it (see the table of stages "
                "in docs/CONTRACTS.md); a stage passed over, such as finance someone did not need, still counts."))

st.subheader(ui.t("Time spent per stage"))
st.plotly_chart(pl.time_chart(board.time_per_stage), key="pipeline.time", config=pl.CONFIG)
st.dataframe(ui.table_text(board.time_per_stage.assign(label=[ui.t(x) for x in board.time_per_stage["label"]])[
    ["label", "moved_on", "median_days", "waiting", "median_days_waiting"]],
    whole_columns=["moved_on", "median_days", "waiting", "median_days_waiting"]).rename(columns={
        "label": ui.t("Stage"), "moved_on": ui.t("Moved on"), "median_days": ui.t("Median days until the next stage"),
        "waiting": ui.t("Still at this stage"), "median_days_waiting": ui.t("Median days there so far")}),
    hide_index=True, width="stretch", key="pipeline.time_table")
st.caption(ui.t("The median number of days from one stage to the next stage a person reached. For people still at "
                "a stage: the days since they reached it."))

st.subheader(ui.t("Participants and launched ventures per municipality"))
measure = st.segmented_control(ui.t("Colour the map by"), ["participants", "launched"], default="participants",
                               key="pipeline.map_measure", format_func=lambda m: ui.t(
                                   "Participants" if m == "participants" else "Ventures launched")) or "participants"
st.plotly_chart(pl.municipality_map(board.per_municipality, measure=measure), key="pipeline.map", config=pl.CONFIG)
st.caption(ui.t(geography.MAP_SOURCE) + " " + ui.t("The municipality is the one in the latest saved inventory, "
                                                    "else the cohort's."))

st.subheader(ui.t("Survival at 12 months against the CBS baseline"))
base = board.baseline
if base.survival_1y_pct is not None:
    st.write(ui.t("CBS: {share} of all new businesses were still running after one year (starters of {cohort}).",
                  share=ui.format_share(base.survival_1y_pct / 100), cohort=base.cohort or "–"))
st.info(ui.t("The data has no sourced CBS survival rate after one year per sector. CBS's sector figures here are "
             "after five years, so no sector baseline is shown. Compare with the figure for all businesses."),
        icon=":material/info:")
survival = board.survival.assign(sector=[name.get(ui.lang()) for name in board.survival["name"]])
st.dataframe(ui.table_text(survival[["sector", "known_12m", "running_12m", "survival_12m", "cbs_5y_pct"]].assign(
    survival_12m=[ui.format_share(v) if v == v and v is not None else None for v in survival["survival_12m"]]),
    whole_columns=["known_12m", "running_12m", "cbs_5y_pct"]).rename(columns={
        "sector": ui.t("Sector"), "known_12m": ui.t("Launched, 12 months known"), "running_12m": ui.t("Running"),
        "survival_12m": ui.t("Running at 12 months"), "cbs_5y_pct": ui.t("CBS: running after 5 years (%)")}),
    hide_index=True, width="stretch", key="pipeline.survival")
st.caption(ui.t("Source of the baseline: {source}.", source=base.source or "–"))

st.subheader(ui.t("Participation ladder and life domains"))
move = board.movement
st.write(ui.t("Of the {retaken} people with an inventory at intake and a later one: {up} moved up the ladder, "
              "{same} stayed, {down} moved down.", retaken=ui.format_number(move.retaken),
              up=ui.format_number(move.rung_up), same=ui.format_number(move.rung_same),
              down=ui.format_number(move.rung_down)))
if move.retaken:
    st.plotly_chart(pl.domains_chart(move.domains), key="pipeline.domains", config=pl.CONFIG)
st.caption(ui.t("Intake is the first saved inventory, now the latest; life domains are scored 1 to 5, the bars "
                "show the mean."))

st.subheader(ui.t("Estimated public savings"))
money = board.savings
if money.estimate_eur is not None:
    st.metric(ui.t("Estimate"), ui.format_eur(money.estimate_eur))
    st.write(ui.t(savings.FORMULA, months=ui.format_number(money.months),  # in cents, so that the sum can be checked
                  norm=format_eur(money.norm_month_eur, ui.lang(), cents=True),
                  estimate=format_eur(money.estimate_eur, ui.lang(), cents=True)))
    st.caption(ui.t("Norm: {level} level, {basis}. Source: {source}, read on {retrieved}.", level=money.norm_level,
                    basis=money.legal_basis, source=money.source, retrieved=ui.format_date(money.retrieved)))
st.caption(ui.t(savings.CAVEAT))

st.subheader(ui.t("Mentor load against capacity"))
load = board.mentor_load
if not load.empty:
    st.plotly_chart(pl.mentor_chart(load), key="pipeline.mentors", config=pl.CONFIG)
st.caption(ui.tn("{count} mentor has more participants than their capacity.",
                 "{count} mentors have more participants than their capacity.", int(load["over_capacity"].sum()))
           + " " + ui.t("Bars: everyone a mentor mentors; the mark: their capacity. The fullest are shown first."))

st.subheader(ui.t("Overdue milestones"))
late = board.overdue_by_kind
st.dataframe(ui.table_text(late.assign(label=[ui.t(x) for x in late["label"]])[
    ["label", "overdue", "participants", "median_days_overdue"]],
    whole_columns=["overdue", "participants", "median_days_overdue"]).rename(columns={
        "label": ui.t("Milestone"), "overdue": ui.t("Overdue"), "participants": ui.t("Participants"),
        "median_days_overdue": ui.t("Median days overdue")}), hide_index=True, width="stretch", key="pipeline.overdue")
longest = board.longest_overdue
st.dataframe(ui.table_text(longest.assign(label=[ui.t(x) for x in longest["label"]], status=[
    pui.status_label(s) for s in longest["status"]])[["participant_id", "label", "status", "due_on", "days_overdue"]],
    whole_columns=["days_overdue"], date_columns=["due_on"]).rename(columns={
        "participant_id": ui.t("Participant"), "label": ui.t("Milestone"), "status": ui.t("Status"),
        "due_on": ui.t("Due"), "days_overdue": ui.t("Days overdue")}), hide_index=True, width="stretch",
    key="pipeline.longest")
st.caption(ui.tn("Open milestones (to do, in progress, blocked) past their due date on {date}; the second table "
                 "lists the {count} longest overdue.", "Open milestones (to do, in progress, blocked) past their due "
                 "date on {date}; the second table lists the {count} longest overdue.", workload.OVERDUE_LISTED,
                 date=ui.format_date(today)))
