"""Mentor matching: the suggested mentor for each member of a cohort with the reasons (a shared
language, the sector of the chosen venture, free places), assigned together; unassigning and
reassigning for a whole cohort; one participant's ranked mentors; and the mentors' profiles
(capacity, languages, sectors). A mentor keeps their own profile here."""

import pandas as pd
import streamlit as st

import ui
from incubator.people.profile import language_names
from incubator.programme import mentoring
from ui import programme as pui

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Mentor matching"))
for line in st.session_state.pop("matching.flash", []):
    st.success(line)


def reasons_text(match) -> str:
    return " · ".join(("+ " if w.good else "− ") + pui.text(w) for w in match.reasons)


def flash_and_rerun(line: str) -> None:
    st.session_state["matching.flash"] = [line]
    st.rerun()


profiles = mentoring.mentor_profiles(cur, actor=me)
names = {p.mentor_user_id: p.username for p in profiles}
tabs = st.tabs([ui.t("Match a cohort"), ui.t("One participant"), ui.t("Mentor profiles")] if me.role == "manager"
               else [ui.t("Mentor profiles")])
if me.role == "manager":
    with tabs[0]:
        cohort_id = pui.choose_cohort(cur, me, key="matching.cohort")
        if cohort_id is not None:
            proposals = mentoring.propose_for_cohort(cur, actor=me, cohort_id=cohort_id)
            st.dataframe(pd.DataFrame({
                ui.t("Participant"): [p.participant_id for p in proposals],
                ui.t("Mentors now"): [", ".join(p.current_mentors) or "-" for p in proposals],
                ui.t("Suggested mentor"): [p.match.username if p.match else "-" for p in proposals],
                ui.t("Why"): [reasons_text(p.match) if p.match else "" for p in proposals]}),
                hide_index=True, width="stretch", key="matching.proposals")
            pairs = [(p.participant_id, p.match.mentor_user_id) for p in proposals if p.match]
            left, middle, right = st.columns(3)
            with ui.errors_shown():
                if left.button(ui.tn("Assign {count} suggested mentor", "Assign {count} suggested mentors", len(pairs)),
                               disabled=not pairs, type="primary", key="matching.assign_all"):
                    flash_and_rerun(ui.tn("{count} mentor was assigned.", "{count} mentors were assigned.",
                                          mentoring.assign(cur, actor=me, pairs=pairs)))
                if middle.button(ui.t("Unassign every mentor of this cohort"), key="matching.unassign_all"):
                    removed = mentoring.unassign_cohort(cur, actor=me, cohort_id=cohort_id)
                    flash_and_rerun(ui.tn("{count} assignment was removed.", "{count} assignments were removed.", removed))
            with right.popover(ui.t("Reassign")), st.form("matching.reassign"):
                source = st.selectbox(ui.t("From mentor"), list(names), format_func=names.get, key="matching.from")
                target = st.selectbox(ui.t("To mentor"), list(names), format_func=names.get, key="matching.to")
                if st.form_submit_button(ui.t("Move this cohort's participants")):
                    with ui.errors_shown():
                        moved = mentoring.reassign_cohort(cur, actor=me, cohort_id=cohort_id, from_mentor=source,
                                                          to_mentor=target)
                        flash_and_rerun(ui.tn("{count} participant was moved.", "{count} participants were moved.", moved))

    with tabs[1]:
        pid = pui.choose_participant(cur, me, key="matching.participant")
        for match in mentoring.suggest_mentors(cur, actor=me, participant_id=pid):
            with st.container(border=True, key=f"matching.mentor.{match.mentor_user_id}"):
                st.markdown(f"**{ui.typed(match.username)}**")
                for words in match.reasons:
                    st.markdown((":material/check_circle: " if words.good else ":material/error: ") + pui.text(words))
                with ui.errors_shown():
                    if st.button(ui.t("Assign"), key=f"matching.assign.{match.mentor_user_id}"):
                        mentoring.assign(cur, actor=me, pairs=[(pid, match.mentor_user_id)])
                        flash_and_rerun(ui.t("{mentor} now mentors {participant_id}.", mentor=ui.typed(match.username),
                                             participant_id=pid))
                    if st.button(ui.t("Unassign"), key=f"matching.unassign.{match.mentor_user_id}"):
                        mentoring.unassign(cur, actor=me, participant_id=pid, mentor_user_id=match.mentor_user_id)
                        flash_and_rerun(ui.t("{mentor} no longer mentors {participant_id}.", mentor=ui.typed(match.username),
                                             participant_id=pid))

with tabs[-1]:
    language_labels = language_names(ui.lang())
    sectors = mentoring.sectors(cur, lang=ui.lang())
    for profile in profiles:
        with st.expander(ui.typed(profile.username), expanded=me.role == "mentor"), st.form(f"matching.profile.{profile.mentor_user_id}"):
            st.caption(ui.tn("Mentors {count} participant now.", "Mentors {count} participants now.", profile.assigned))
            capacity = st.number_input(ui.t("Capacity (participants at a time)"), 0, mentoring.MAX_CAPACITY,
                                       profile.capacity, key=f"matching.capacity.{profile.mentor_user_id}")
            languages = st.multiselect(ui.t("Languages"), list(language_labels), default=list(profile.languages),
                                       format_func=language_labels.get, key=f"matching.languages.{profile.mentor_user_id}")
            chosen = st.multiselect(ui.t("Sector expertise"), list(sectors), default=list(profile.sectors),
                                    format_func=sectors.get, key=f"matching.sectors.{profile.mentor_user_id}")
            if st.form_submit_button(ui.t("Save the profile")):
                with ui.errors_shown():
                    mentoring.set_mentor_profile(cur, actor=me, mentor_user_id=profile.mentor_user_id, capacity=capacity,
                                                 languages=languages, sectors=chosen)
                    flash_and_rerun(ui.t("The profile of {mentor} was saved.", mentor=ui.typed(profile.username)))
