"""Milestones of one participant: the timeline, each milestone with its status (only the allowed
changes are offered), owner, evidence note and completion date; the milestones of the chosen
venture given from a start date; a milestone of one's own."""

import streamlit as st

import ui
from incubator.plans import content as plan_content
from incubator.programme import milestones as ms
from incubator.programme.stakeholders import programme_record
from ui import programme as pui

me = ui.signed_in()
cur = ui.cursor()
today = pui.today()
ui.page_header(ui.t("Milestones"))
for line in st.session_state.pop("milestones.flash", []):
    st.success(line)
pid = pui.choose_participant(cur, me, key="milestones.participant")
record = programme_record(cur, pid)
found = ms.milestones_of(cur, actor=me, participant_id=pid)
may_plan, may_update = ms.may_plan(me, record), ms.may_update(me, record)


def flash_and_rerun(line: str) -> None:
    st.session_state["milestones.flash"] = [line]
    st.rerun()


if may_plan:
    with st.popover(ui.t("Give the milestones of the chosen venture"), icon=":material/playlist_add:"), \
            st.form(f"milestones.instantiate.{pid}"):
        start = ms.start_date(cur, record)
        start_on = st.date_input(ui.t("Count the due dates from"), value=start or today, key="milestones.start",
                                 format="DD-MM-YYYY")
        if st.form_submit_button(ui.t("Give the milestones"), type="primary"):
            with ui.errors_shown():
                made = ms.instantiate(cur, actor=me, participant_id=pid, start_on=None if start_on == start else start_on)
                flash_and_rerun(ui.tn("{count} milestone.", "{count} milestones.", len(made)))
if not found:
    st.info(ui.t("No milestones yet."))
    st.stop()

late = sum(ms.is_overdue(m, today=today) for m in found)
st.caption(ui.tn("{count} of these milestones is done.", "{count} of these milestones are done.",
                 sum(m.status == "done" for m in found)) + " " + ui.tn("{count} is overdue.", "{count} are overdue.", late))
st.plotly_chart(pui.timeline(found, today_=today), key="milestones.timeline", config={"displayModeBar": False})

sections = {key: ui.t(title) for key, title in plan_content.BLOCK_TITLES.items()}
# Labels worked out once in the reader's language (a widget formats its options with them).
status_labels = {s: pui.status_label(s) for s in ms.STATUSES}
owners = {k: ui.t(v) for k, v in ms.OWNERS.items()}
for m in found:
    mark = ":material/warning:" if ms.is_overdue(m, today=today) else ""
    title = f"{ui.typed(m.title_in(ui.lang()))} · {pui.status_label(m.status)} · {ui.format_date(m.due_on)} {mark}"
    with st.expander(title, key=f"milestones.item.{m.milestone_id}"):
        st.caption(" · ".join(filter(None, [ui.t(ms.OWNERS[m.owner]), sections.get(m.plan_section or ""),
                                            ui.t("Done on {date}", date=ui.format_date(m.completed_on)) if m.completed_on
                                            else None])))
        if m.reason:
            st.markdown(f"**{ui.t('Why')}**")
            ui.show_typed(m.reason)
        if m.evidence:
            st.markdown(f"**{ui.t('Evidence')}**")
            ui.show_typed(m.evidence)
        if not may_update:
            continue
        with st.form(f"milestones.form.{m.milestone_id}.{m.version}"):
            options = [m.status, *sorted(ms.TRANSITIONS[m.status], key=list(ms.STATUSES).index)]
            status = st.selectbox(ui.t("Status"), options, format_func=status_labels.get,
                                  key=f"milestones.status.{m.milestone_id}")
            reason = st.text_input(ui.t("Why it is blocked or skipped"), value=m.reason or "", max_chars=ms.MAX_TEXT,
                                   key=f"milestones.reason.{m.milestone_id}")
            evidence = st.text_area(ui.t("Evidence note"), value=m.evidence or "", max_chars=ms.MAX_TEXT,
                                    key=f"milestones.evidence.{m.milestone_id}")
            completed = st.date_input(ui.t("Done on"), value=m.completed_on or today, max_value=today,
                                      key=f"milestones.completed.{m.milestone_id}", format="DD-MM-YYYY")
            due = st.date_input(ui.t("Due"), value=m.due_on, key=f"milestones.due.{m.milestone_id}",
                                format="DD-MM-YYYY", disabled=not may_plan)
            if st.form_submit_button(ui.t("Save")):
                with ui.errors_shown():
                    ms.update_milestone(cur, actor=me, milestone_id=m.milestone_id, base_version=m.version, today=today,
                                        status=status, reason=reason if status in ms.NEEDS_REASON else None,
                                        evidence=evidence, completed_on=completed if status == "done" else None,
                                        due_on=due if may_plan else None)
                    flash_and_rerun(ui.t("The milestone was saved."))

if may_plan:
    with st.form(f"milestones.add.{pid}", clear_on_submit=True):
        st.subheader(ui.t("A milestone of your own"))
        text = st.text_input(ui.t("Milestone"), max_chars=ms.MAX_TEXT, key="milestones.new_title")
        left, middle, right = st.columns(3)
        due = left.date_input(ui.t("Due"), value=today, key="milestones.new_due", format="DD-MM-YYYY")
        owner = middle.selectbox(ui.t("Who"), list(ms.OWNERS), format_func=owners.get,
                                 key="milestones.new_owner")
        section = right.selectbox(ui.t("About"), [None, *sections], key="milestones.new_section",
                                  format_func=lambda k: "-" if k is None else sections[k])
        if st.form_submit_button(ui.t("Add the milestone")):
            with ui.errors_shown():
                ms.add_milestone(cur, actor=me, participant_id=pid, title=text, due_on=due, owner=owner,
                                 plan_section=section)
                flash_and_rerun(ui.t("The milestone was added."))
