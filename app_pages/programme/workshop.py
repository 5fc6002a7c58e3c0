"""Workshop view: the cohort on one screen for a projector (large type, high contrast), names hidden on
request, each person's next milestone and what blocks it; quick check-ins for everyone in one table,
saved together; a check-in on a milestone someone else changed meanwhile is shown, not saved."""

import pandas as pd
import streamlit as st

import ui
from incubator.core.i18n import N_, is_rtl
from incubator.programme import milestones as ms
from incubator.programme import workshop
from ui import programme as pui

me = ui.signed_in()
cur = ui.cursor()
today = pui.today()
ui.page_header(ui.t("Workshop view"))
cohort_id = pui.choose_cohort(cur, me, key="workshop.cohort")
if cohort_id is None:
    st.stop()
name_modes = {mode: ui.t(label) for mode, label in workshop.NAME_MODES.items()}
names = st.radio(ui.t("Show people by"), list(workshop.NAME_MODES), key="workshop.names", horizontal=True,
                 format_func=name_modes.get)
board = workshop.board(cur, actor=me, cohort_id=cohort_id, today=today, names=names)
pui.synthetic_note(board.synthetic)
for line in st.session_state.pop("workshop.flash", []):
    st.success(line)
for line in st.session_state.pop("workshop.conflicts", []):
    st.warning(line, icon=":material/sync_problem:")

# The board: plain HTML with every typed text escaped, in projector type.
st.html(pui.PROJECTOR_CSS)
columns = (N_("Person"), N_("Next milestone"), N_("Due"), N_("Status"), N_("What blocks it"))
labels_of_columns = [pui.escape(ui.t(h)) for h in columns]
head = "".join(f"<th>{label}</th>" for label in labels_of_columns)
body = []
for row in board.rows:
    nxt = row.next
    late = nxt is not None and ms.is_overdue(nxt, today=today)
    blocks = "; ".join(f"{m.title_in(ui.lang())}: {m.reason}" for m in row.blockers) or "-"
    cells = (f"<bdi>{pui.escape(row.label)}</bdi>", pui.escape(nxt.title_in(ui.lang()) if nxt else ui.t('All done')),
             f"{pui.escape(ui.format_date(nxt.due_on)) if nxt else '-'}{pui.escape(' · ' + ui.t('overdue')) if late else ''}",
             pui.escape(pui.status_label(nxt.status)) if nxt else '-', pui.escape(blocks))
    classes = ("", "", "late" if late else "", "", "blocked" if row.blockers else "")
    # data-label: the column's name, shown above each cell when a phone stacks a row into a card.
    body.append("<tr>" + "".join(f'<td class="{c}" data-label="{label}">{cell}</td>'
                                 for c, label, cell in zip(classes, labels_of_columns, cells, strict=True)) + "</tr>")
with st.container(key="workshop_board"):
    st.html(f'<table dir="{"rtl" if is_rtl(ui.lang()) else "ltr"}"><tr class="head">{head}</tr>{"".join(body)}</table>')

# Check-ins for everyone: one row per person with an open milestone, saved in one transaction. The
# rows are the milestones and versions as they were when this round of check-ins began (kept for the
# session): a change someone else makes meanwhile is then a conflict, never taken over unseen.
st.subheader(ui.t("Check-ins"))
label_of = {r.participant_id: r.label for r in board.rows}
round_no = st.session_state.setdefault(f"workshop.round.{cohort_id}", 0)
began = st.session_state.setdefault(f"workshop.began.{cohort_id}.{round_no}", [
    (r.participant_id, r.next.milestone_id, r.next.version, r.next.status, r.next.title_in(ui.lang()), r.next.due_on)
    for r in board.rows if r.next is not None])
labels = {s: pui.status_label(s) for s in ms.STATUSES}
frame = pd.DataFrame({
    "done": [False] * len(began), "person": [label_of.get(b[0], b[0]) for b in began],
    "milestone": [b[4] for b in began], "due": [b[5] for b in began], "status": [labels[b[3]] for b in began],
    "note": [""] * len(began)})
edited = st.data_editor(
    frame, hide_index=True, width="stretch", key=f"workshop.checkins.{cohort_id}.{round_no}",
    disabled=["person", "milestone", "due"],
    column_config={
        "done": st.column_config.CheckboxColumn(ui.t("Done"), width="small"),
        "person": st.column_config.TextColumn(ui.t("Person")),
        "milestone": st.column_config.TextColumn(ui.t("Next milestone"), width="large"),
        "due": st.column_config.DateColumn(ui.t("Due"), format="DD-MM-YYYY"),
        "status": st.column_config.SelectboxColumn(ui.t("Status"), options=list(labels.values()), required=True),
        "note": st.column_config.TextColumn(ui.t("Reason or evidence"), max_chars=ms.MAX_TEXT)})
if st.button(ui.t("Save the check-ins"), type="primary", key="workshop.save"):
    by_label = {v: k for k, v in labels.items()}
    changes = []
    for (_, milestone_id, version, status_then, _, _), (_, new) in zip(began, edited.iterrows(), strict=True):
        status = "done" if new["done"] else by_label[new["status"]]
        note = (new["note"] or "").strip() or None
        if status != status_then or note:
            reason, evidence = (note, None) if status in ms.NEEDS_REASON else (None, note)
            changes.append(ms.Change(milestone_id, version, status, reason, evidence))
    with ui.errors_shown():
        applied = workshop.check_in(cur, actor=me, changes=changes, today=today)
        person_of = {b[1]: label_of.get(b[0], b[0]) for b in began}
        st.session_state["workshop.flash"] = [ui.tn("Saved {count} check-in.", "Saved {count} check-ins.",
                                                    len(applied.saved))]
        st.session_state["workshop.conflicts"] = [ui.t(
            "{person}: {by} changed “{milestone}” meanwhile (it is now {status}). Your check-in was not saved; "
            "look at it again.", person=person_of[c.change.milestone_id], by=c.current.updated_by or "-",
            milestone=c.current.title_in(ui.lang()), status=pui.status_label(c.current.status)) for c in applied.conflicts]
        st.session_state[f"workshop.round.{cohort_id}"] = round_no + 1
        st.rerun()

st.subheader(ui.t("Overdue in this cohort"))
late = [o for o in ms.overdue(cur, actor=me, today=today) if o.milestone.participant_id in {r.participant_id for r in board.rows}]
if not late:
    st.caption(ui.t("Nothing is overdue."))
else:
    st.caption(ui.tn("{count} is overdue.", "{count} are overdue.", len(late)))
    with st.container(key="workshop_overdue"):
        st.dataframe(pd.DataFrame({
            ui.t("Person"): [label_of[o.milestone.participant_id] for o in late],
            ui.t("Milestone"): [o.milestone.title_in(ui.lang()) for o in late],
            ui.t("Days late"): [o.days_late for o in late]}), hide_index=True, width="stretch")
