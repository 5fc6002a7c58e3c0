"""Outcomes of a participant's chosen venture: launched (the KVK date), still running at 6, 12 and 24
months, jobs created, the revenue band and leaving social assistance, with who recorded them. A
date before the intake or in the future is refused. These rows feed `train --from-outcomes`."""

import streamlit as st

import ui
from incubator.programme import outcomes
from ui import programme as pui

me = ui.signed_in()
cur = ui.cursor()
today = pui.today()
ui.page_header(ui.t("Outcomes"))
for line in st.session_state.pop("outcomes.flash", []):
    st.success(line)
pid = pui.choose_participant(cur, me, key="outcomes.participant")
now = outcomes.outcome_of(cur, actor=me, participant_id=pid)
if now is not None:
    st.caption(ui.t("Recorded by {user} on {date}", user=ui.typed(now.recorded_by), date=ui.format_date(now.recorded_at)))

band_labels = {None: "-"} | {b[0]: pui.text(outcomes.band_words(b[0])) for b in outcomes.REVENUE_BANDS}
answers = {None: ui.t("Not known yet"), True: ui.t("Yes"), False: ui.t("No")}
with st.form(f"outcomes.record.{pid}"):
    launched = st.radio(ui.t("Launched"), [None, True, False], horizontal=True, key="outcomes.launched",
                        index=[None, True, False].index(now.launched if now and now.launched_on else None),
                        format_func=answers.get)
    launched_on = st.date_input(ui.t("KVK registration date"), value=now.launched_on if now else None,
                                max_value=today, key="outcomes.launched_on", format="DD-MM-YYYY")
    marks = {}
    for column, months in zip(st.columns(len(outcomes.MARKS)), outcomes.MARKS, strict=True):
        before = getattr(now, f"running_{months}m") if now else None
        marks[f"running_{months}m"] = column.radio(
            ui.tn("Running after {count} month", "Running after {count} months", months), [None, True, False],
            index=[None, True, False].index(before), key=f"outcomes.running_{months}m",
            format_func=answers.get)
    left, middle, right = st.columns(3)
    fte = left.number_input(ui.t("Jobs created (FTE)"), 0.0, float(outcomes.MAX_FTE), float(now.jobs_fte or 0) if now
                            else 0.0, 0.5, key="outcomes.fte")
    bands = [b[0] for b in outcomes.REVENUE_BANDS]
    band = middle.selectbox(ui.t("Revenue a month"), [None, *bands], key="outcomes.band",
                            index=([None, *bands].index(now.revenue_band) if now else 0),
                            format_func=band_labels.get)
    left_on = right.date_input(ui.t("Left social assistance on"), value=now.left_assistance_on if now else None,
                               max_value=today, key="outcomes.left_on", format="DD-MM-YYYY")
    if st.form_submit_button(ui.t("Save the outcome"), type="primary"):
        with ui.errors_shown():
            outcomes.record_outcome(cur, actor=me, participant_id=pid, today=today,
                                    launched_on=launched_on if launched else None, not_launched=launched is False,
                                    jobs_fte=fte, revenue_band=band, left_assistance_on=left_on, **marks)
            st.session_state["outcomes.flash"] = [ui.t("The outcome was saved.")]
            st.rerun()
