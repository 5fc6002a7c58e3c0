"""Cohorts: a manager creates a cohort (name, start date, municipality, programme) and adds
participants one by one or from a cohort file; everyone sees the members with their mentors, their
milestones done and overdue, and the cohort's outcomes."""

import pandas as pd
import streamlit as st

import ui
from incubator.programme import cohorts, mentoring, outcomes, workshop
from ui import programme as pui

me = ui.signed_in()
cur = ui.cursor()
today = pui.today()
ui.page_header(ui.t("Cohorts"))
for line in st.session_state.pop("cohorts.flash", []):
    st.success(line)
manages = me.role == "manager"

if manages:
    with st.expander(ui.t("New cohort"), icon=":material/group_add:"), st.form("cohorts.create", clear_on_submit=True):
        name = st.text_input(ui.t("Name"), max_chars=cohorts.MAX_NAME, key="cohorts.name")
        start_on = st.date_input(ui.t("Start date"), value=today, key="cohorts.start", format="DD-MM-YYYY")
        places = cohorts.municipalities(cur)
        municipality = st.selectbox(ui.t("Municipality"), list(places), key="cohorts.municipality",
                                    format_func=places.get)
        programme = st.text_input(ui.t("Programme"), max_chars=cohorts.MAX_NAME, key="cohorts.programme")
        if st.form_submit_button(ui.t("Create the cohort"), type="primary"):
            with ui.errors_shown():
                made = cohorts.create_cohort(cur, actor=me, name=name, start_on=start_on, municipality=municipality or "",
                                             programme=programme)
                st.session_state["cohorts.flash"] = [ui.t("Cohort {name} was created.", name=ui.typed(made.name))]
                st.session_state["cohorts.chosen"] = made.cohort_id
                st.rerun()

cohort_id = pui.choose_cohort(cur, me, key="cohorts.chosen")
if cohort_id is None:
    st.stop()
cohort = cohorts.get_cohort(cur, actor=me, cohort_id=cohort_id)
pui.synthetic_note(cohort.synthetic)
st.caption(ui.t("{programme} · {municipality} · starts {date}", programme=ui.typed(cohort.programme),
                municipality=ui.typed(cohort.municipality_name or cohort.municipality), date=ui.format_date(cohort.start_on)))

board = workshop.board(cur, actor=me, cohort_id=cohort_id, today=today)
members = {r.participant_id: r for r in cohorts.members(cur, actor=me, cohort_id=cohort_id)}
mentor_names = mentoring.mentor_names(cur, actor=me)
st.dataframe(pd.DataFrame({
    ui.t("Participant"): [r.participant_id for r in board.rows],
    ui.t("Name"): [members[r.participant_id].display_name or "-" for r in board.rows],
    ui.t("Mentors"): [", ".join(mentor_names.get(m, "-") for m in members[r.participant_id].mentor_user_ids) or "-"
                      for r in board.rows],
    ui.t("Milestones done"): [f"{r.done} / {r.total}" for r in board.rows],
    ui.t("Overdue"): [r.overdue for r in board.rows]}), hide_index=True, width="stretch", key="cohorts.members")
st.caption(ui.tn("{count} participant", "{count} participants", len(board.rows)))

if manages:
    add_one, add_file = st.columns(2)
    with add_one, st.form("cohorts.add", clear_on_submit=True):
        free = cohorts.participants_without_cohort(cur, actor=me)
        labels = {r.participant_id: f"{r.participant_id} · {r.display_name}" if r.display_name else r.participant_id
                  for r in free}
        chosen = st.multiselect(ui.t("Add participants"), list(labels), format_func=labels.__getitem__,
                                key="cohorts.add_ids")
        if st.form_submit_button(ui.t("Add to the cohort")):
            with ui.errors_shown():
                added = cohorts.add_participants(cur, actor=me, cohort_id=cohort_id, participant_ids=chosen)
                st.session_state["cohorts.flash"] = [ui.tn("{count} participant was added.",
                                                           "{count} participants were added.", added)]
                st.rerun()
    with add_file, st.form("cohorts.import", clear_on_submit=True):
        upload = st.file_uploader(ui.t("Add from a cohort file (Excel, CSV or JSON)"), type=["xlsx", "csv", "json"],
                                  key="cohorts.file")
        if st.form_submit_button(ui.t("Import and add")) and upload is not None:
            with ui.errors_shown():
                imported = cohorts.add_from_import(cur, actor=me, cohort_id=cohort_id, file_name=upload.name,
                                                   content=upload.getvalue())
                flash = [ui.tn("{count} participant was added.", "{count} participants were added.", imported.added)]
                if imported.elsewhere:
                    flash.append(ui.t("In another cohort already (left there): {ids}", ids=", ".join(imported.elsewhere)))
                st.session_state["cohorts.flash"] = flash
                st.rerun()

st.subheader(ui.t("Outcomes"))
summary = outcomes.cohort_outcomes(cur, actor=me, cohort_id=cohort_id)
for column, (label, value) in zip(st.columns(5), (
        (ui.t("Launched"), summary.launched), (ui.t("Running at 6 months"), summary.running_6m),
        (ui.t("Running at 12 months"), summary.running_12m), (ui.t("Jobs created (FTE)"), ui.format_number(summary.jobs_fte, 1)),
        (ui.t("Left social assistance"), summary.left_assistance)), strict=True):
    column.metric(label, value)
st.caption(ui.t("Outcomes recorded for {recorded} of {members} participants.", recorded=summary.recorded,
                members=summary.members))
