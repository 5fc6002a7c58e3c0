"""The audit log (managers and administrators): whether the hash chain is intact, the rows filtered by
participant, action, refused attempts and period, and an export (itself audited)."""

import datetime as dt

import streamlit as st

import ui
from incubator.core import audit

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Audit log"), ui.t("Who viewed, changed, exported or erased whose data, and when. Refused "
                                       "attempts are included. Each row is chained to the one before it by a hash."))

with ui.errors_shown():
    checked = audit.check_chain(cur, actor=me)
    for message, params in checked.messages():
        (st.success if checked.intact else st.error)(ui.t(message, **params))

    left, middle, right = st.columns(3)
    participant = left.text_input(ui.t("Participant"), max_chars=12, key="audit.participant", placeholder="P-000123")
    action = middle.text_input(ui.t("Action"), max_chars=40, key="audit.action", placeholder="profile.view")
    period = right.date_input(ui.t("Period"), value=(dt.date.today() - dt.timedelta(days=30), dt.date.today()),
                              key="audit.period")
    refused = st.checkbox(ui.t("Only refused attempts"), key="audit.refused")
    since, until = (period + (None, None))[:2] if isinstance(period, tuple) else (period, period)
    where = audit.AuditFilter(participant_id=participant or None, action=action or None,
                              outcome=audit.REFUSED if refused else None, since=since, until=until)
    rows = audit.list_entries(cur, actor=me, where=where)
    st.caption(ui.tn("{count} row (at most 1,000 are shown).", "{count} rows (at most 1,000 are shown).", len(rows)))
    st.dataframe(ui.table_text(rows.drop(columns=["actor_user_id"]), whole_columns=["entry_id"]).rename(columns={
        "entry_id": ui.t("Row"), "happened_at": ui.t("When"), "username": ui.t("Who"), "action": ui.t("Action"),
        "outcome": ui.t("Outcome"), "subject": ui.t("Record"), "sealed": ui.t("Chained")}),
        hide_index=True, width="stretch")

    file_format = st.radio(ui.t("Export as"), ["xlsx", "csv"], horizontal=True, key="audit.format")
    if st.button(ui.t("Prepare the export"), key="audit.prepare"):
        st.session_state["audit.file"] = (file_format, audit.export_entries(cur, actor=me, where=where,
                                                                          file_format=file_format))
    if prepared := st.session_state.get("audit.file"):
        st.download_button(ui.t("Download the audit log"), prepared[1], file_name=f"audit-log.{prepared[0]}",
                           key="audit.download")
