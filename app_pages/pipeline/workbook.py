"""The pipeline workbook: download it (pseudonymised; with names only when a manager asks, which the
audit log records) and upload it again with edits on its Milestones sheet. Every changed row is shown
(old -> new) with what happens to it before anything is saved. A mentor gets and edits only their
own participants."""

import io

import pandas as pd
import streamlit as st

import ui
from incubator.core.i18n import N_
from incubator.pipeline import workbook_export, workbook_import
from ui import programme as pui

VERDICTS = {"apply": N_("Will be saved"), "conflict": N_("Changed in the app since the export"),
            "refused": N_("Refused"), "unchanged": N_("No change")}
me = ui.signed_in()
cur = ui.cursor()
today = pui.today()
ui.page_header(ui.t("Pipeline workbook"),
               ui.t("Participants, milestones, sessions, outcomes and KPIs in one Excel workbook. Edit the "
                    "milestones in Excel and upload the workbook here."))
for line in st.session_state.pop("workbook.flash", []):
    st.success(line)

st.subheader(ui.t("Download"))
with_names = me.role == "manager" and st.checkbox(
    ui.t("With names (recorded in the audit log)"), key="workbook.with_names",
    on_change=lambda: st.session_state.pop("workbook.file", None))
if st.button(ui.t("Make the workbook"), key="workbook.make"):
    with ui.errors_shown():
        bar = st.progress(0.0, text=ui.t("Making the workbook"))
        buffer = io.BytesIO()
        workbook_export.export_workbook(cur, buffer, actor=me, lang=ui.lang(), today=today, with_names=with_names,
                                        progress=lambda done, total: bar.progress(done / total if total else 1.0))
        st.session_state["workbook.file"] = buffer.getvalue()
if "workbook.file" in st.session_state:
    st.download_button(ui.t("Download the workbook"), st.session_state["workbook.file"], key="workbook.download",
                       file_name=f"pipeline-{today.isoformat()}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.subheader(ui.t("Upload with edits"))
st.caption(ui.t("Only the Milestones sheet is read: status, owner, due date, completion date, reason and "
                "evidence note. Nothing is saved before you confirm."))
upload = st.file_uploader(ui.t("An exported workbook (.xlsx)"), type=["xlsx"], key="workbook.upload")
if upload is not None:
    content = upload.getvalue()
    with ui.errors_shown():
        preview = workbook_import.preview_import(cur, content, actor=me, today=today)
        shown = [r for r in preview.rows if r.verdict != "unchanged"]
        st.write(ui.tn("{count} changed row", "{count} changed rows", len(shown)))
        table = pd.DataFrame(
            [{ui.t("Row"): str(r.row), ui.t("Participant"): r.participant_id, ui.t("Milestone number"): str(r.milestone_id),
              ui.t("Column"): ui.t(c.column), ui.t("Now"): c.old or "-", ui.t("In the workbook"): c.new or "-",
              ui.t("What happens"): ui.t(VERDICTS[r.verdict]),
              ui.t("Why"): workbook_import.problem_text(r.problem, ui.lang()) or "-"}
             for r in shown for c in (r.changes or [workbook_import.FieldChange("-", "", "")])])
        if not table.empty:
            st.dataframe(table, hide_index=True, key="workbook.preview")
        ready = preview.count("apply")
        if ready and st.button(ui.tn("Save {count} row", "Save {count} rows", ready), type="primary",
                               key="workbook.apply"):
            result = workbook_import.import_workbook(cur, content, actor=me, today=today)
            st.session_state["workbook.flash"] = [ui.tn("{count} row was saved.", "{count} rows were saved.",
                                                        result.saved)]
            st.rerun()
