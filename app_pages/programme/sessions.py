"""Session log: a mentor logs a coaching session (date, duration, topics from the list and free text,
the next steps agreed, each with an owner and a date); a next step can become a milestone. The
newcomer reads their own log."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from incubator.core.access import is_allowed
from incubator.programme import milestones as ms
from incubator.programme import sessions
from incubator.programme.stakeholders import programme_record
from ui import programme as pui

me = ui.signed_in()
cur = ui.cursor()
today = pui.today()
ui.page_header(ui.t("Session log"))
for line in st.session_state.pop("sessions.flash", []):
    st.success(line)
pid = pui.choose_participant(cur, me, key="sessions.participant")
may_log = is_allowed(me, "session.log", programme_record(cur, pid))
owners = {key: ui.t(label) for key, label in ms.OWNERS.items()}
topics_text = {key: ui.t(label) for key, label in sessions.TOPICS.items()}

if may_log:
    with st.form(f"sessions.log.{pid}", clear_on_submit=True):
        st.subheader(ui.t("Log a session"))
        left, right = st.columns(2)
        held_on = left.date_input(ui.t("Date"), value=today, max_value=today, key="sessions.held_on", format="DD-MM-YYYY")
        minutes = right.number_input(ui.t("Duration in minutes"), sessions.MIN_MINUTES, sessions.MAX_MINUTES, 60, 15,
                                     key="sessions.minutes")
        topics = st.multiselect(ui.t("Topics"), list(sessions.TOPICS), format_func=topics_text.get,
                                key="sessions.topics")
        notes = st.text_area(ui.t("What was talked about"), max_chars=ms.MAX_TEXT, key="sessions.notes")
        st.caption(ui.t("Next steps agreed: one a row, with who does it and by when."))
        steps = st.data_editor(
            pd.DataFrame({"description": pd.Series(dtype="string"), "owner": pd.Series(dtype="string"),
                          "due_on": pd.Series(dtype="object")}),
            num_rows="dynamic", hide_index=True, width="stretch", key="sessions.steps",
            column_config={"description": st.column_config.TextColumn(ui.t("Next step"), max_chars=ms.MAX_TEXT),
                           "owner": st.column_config.SelectboxColumn(ui.t("Who"), options=list(owners.values())),
                           "due_on": st.column_config.DateColumn(ui.t("By when"), format="DD-MM-YYYY")})
        if st.form_submit_button(ui.t("Save the session"), type="primary"):
            by_label = {v: k for k, v in owners.items()}
            agreed = [sessions.NextStep(row["description"] or "", by_label.get(row["owner"], "participant"),
                                        row["due_on"] if isinstance(row["due_on"], dt.date) else held_on)
                      for _, row in steps.iterrows() if (row["description"] or "").strip()]
            with ui.errors_shown():
                sessions.log_session(cur, actor=me, participant_id=pid, held_on=held_on, duration_minutes=minutes,
                                     topics=topics, notes=notes, next_steps=agreed, today=today)
                st.session_state["sessions.flash"] = [ui.t("The session was saved.")]
                st.rerun()

logged = sessions.sessions_of(cur, actor=me, participant_id=pid)
if not logged:
    st.caption(ui.t("No sessions logged yet."))
for session in logged:
    with st.container(border=True, key=f"sessions.session.{session.session_id}"):
        st.markdown(f"**{ui.format_date(session.held_on)}** · " + ui.tn(
            "{count} minute", "{count} minutes", session.duration_minutes) + f" · {ui.typed(session.mentor)}")
        st.caption(" · ".join(ui.t(sessions.TOPICS[t]) for t in session.topics) or "-")
        ui.show_typed(session.notes)
        for step in session.next_steps:
            left, right = st.columns([4, 1])
            with left:
                ui.show_typed(f"→ {step.description} ({owners[step.owner]}, {ui.format_date(step.due_on)})")
            if step.milestone_id is not None:
                right.caption(ui.t("A milestone"))
            elif may_log and right.button(ui.t("Make it a milestone"), key=f"sessions.to_milestone.{step.step_id}"):
                with ui.errors_shown():
                    sessions.step_to_milestone(cur, actor=me, step_id=step.step_id)
                    st.session_state["sessions.flash"] = [ui.t("The next step is now a milestone.")]
                    st.rerun()
