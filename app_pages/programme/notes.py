"""Co-creation notes on a participant, a part of the business plan or a milestone, by mentors,
newcomers and linked stakeholders; a note is never rewritten, only followed by a newer one. Below,
the stakeholders linked to the participant with their consent (link, withdraw, the history)."""

import streamlit as st

import ui
from incubator.core.access import ROLE_LABELS, is_allowed
from incubator.plans import content as plan_content
from incubator.programme import milestones as ms
from incubator.programme import notes, stakeholders
from incubator.programme.stakeholders import programme_record
from ui import programme as pui

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Notes"))
for line in st.session_state.pop("notes.flash", []):
    st.success(line)
pid = pui.choose_participant(cur, me, key="notes.participant")
record = programme_record(cur, pid)
sections = {key: ui.t(title) for key, title in plan_content.BLOCK_TITLES.items()}
abouts = {k: ui.t(v) for k, v in notes.ABOUT.items()}
method_labels = {k: ui.t(v) for k, v in stakeholders.CONSENT_METHODS.items()}
found_milestones = {str(m.milestone_id): m.title_in(ui.lang()) for m in ms.milestones_of(cur, actor=me, participant_id=pid)}


def about_text(note) -> str:
    if note.about == "plan_section":
        return sections.get(note.about_key, note.about_key)
    if note.about == "milestone":
        return found_milestones.get(note.about_key, "-")
    return ui.t(notes.ABOUT["participant"])


def flash_and_rerun(line: str) -> None:
    st.session_state["notes.flash"] = [line]
    st.rerun()


with st.form(f"notes.add.{pid}", clear_on_submit=True):
    about = st.selectbox(ui.t("About"), list(notes.ABOUT), format_func=abouts.get, key="notes.about")
    section = st.selectbox(ui.t("Part of the business plan"), list(sections), format_func=sections.get,
                           key="notes.section")
    milestone = st.selectbox(ui.t("Milestone"), [None, *found_milestones], key="notes.milestone",
                             format_func=lambda k: "-" if k is None else found_milestones[k])
    body = st.text_area(ui.t("Note"), max_chars=ms.MAX_TEXT, key="notes.body")
    if st.form_submit_button(ui.t("Add the note"), type="primary"):
        with ui.errors_shown():
            notes.add_note(cur, actor=me, participant_id=pid, body=body, about=about,
                           about_key={"plan_section": section, "milestone": milestone}.get(about))
            flash_and_rerun(ui.t("The note was added."))

found = notes.notes_of(cur, actor=me, participant_id=pid)
if not found:
    st.caption(ui.t("No notes yet."))
for thread in reversed(notes.threads(found)):
    with st.container(border=True, key=f"notes.thread.{thread[0].note_id}"):
        st.caption(ui.typed(about_text(thread[0])))
        for note in thread:
            st.caption(ui.t("{author} ({role}), {date}", author=ui.typed(note.author), role=ui.t(ROLE_LABELS[note.author_role]),
                            date=ui.format_date(note.written_at)))
            ui.show_typed(note.body)
        with st.popover(ui.t("Reply")), st.form(f"notes.reply.{thread[-1].note_id}", clear_on_submit=True):
            reply = st.text_area(ui.t("Note"), max_chars=ms.MAX_TEXT, key=f"notes.reply_body.{thread[-1].note_id}")
            if st.form_submit_button(ui.t("Add the note")):
                with ui.errors_shown():
                    notes.add_note(cur, actor=me, participant_id=pid, body=reply, follows_note_id=thread[-1].note_id)
                    flash_and_rerun(ui.t("The note was added."))

if is_allowed(me, "stakeholder.link", record):
    st.subheader(ui.t("Stakeholders who follow this participant"))
    st.caption(ui.t("A stakeholder sees the milestones and notes, and adds notes, only while the participant agrees."))
    accounts = dict(stakeholders.stakeholder_accounts(cur, actor=me))
    linked = [uid for uid in record.stakeholder_user_ids]
    for uid in linked:
        left, right = st.columns([3, 1])
        left.markdown(ui.typed(accounts.get(uid)))
        if right.button(ui.t("End the link"), key=f"notes.unlink.{uid}"):
            with ui.errors_shown():
                stakeholders.end_link(cur, actor=me, participant_id=pid, stakeholder_user_id=uid,
                                      method="in_app" if me.role == "newcomer" else "in_person")
                flash_and_rerun(ui.t("The link was ended."))
    free = [uid for uid in accounts if uid not in linked]
    if free:
        with st.form(f"notes.link.{pid}"):
            chosen = st.selectbox(ui.t("Stakeholder"), free, format_func=accounts.get, key="notes.stakeholder")
            methods = ["in_app"] if me.role == "newcomer" else ["in_person", "signed_form"]
            method = st.radio(ui.t("How the participant agreed"), methods, key="notes.method",
                              format_func=method_labels.get)
            st.caption(ui.t(stakeholders.LINK_PURPOSE_TEXT))
            if st.form_submit_button(ui.t("Link with consent")):
                with ui.errors_shown():
                    stakeholders.link_stakeholder(cur, actor=me, participant_id=pid, stakeholder_user_id=chosen,
                                                  method=method)
                    flash_and_rerun(ui.t("The stakeholder was linked."))
