"""Participants (mentors and managers): who they may see, a cohort import with a preview, the template,
the export, and (managers) mentors and accounts."""

import hashlib

import pandas as pd
import streamlit as st

import ui
from incubator.core.access import is_allowed
from incubator.people import files, importing, participants, snapshots

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Participants"))

overview = participants.participant_overview(cur, actor=me)
records = participants.list_participants(cur, actor=me)

if overview.empty:
    st.info(ui.t("There are no participants yet."))
else:
    shown = ui.table_text(overview, whole_columns=["version", "ladder_rung"], date_columns=["saved_at"])
    st.dataframe(shown.rename(columns={
        "participant_id": ui.t("Participant"), "display_name": ui.t("Name"), "mentors": ui.t("Mentors"),
        "account": ui.t("Account"), "version": ui.t("Version"), "saved_at": ui.t("Saved"),
        "ladder_rung": ui.t("Participation ladder"), "has_draft": ui.t("Draft"),
    }), hide_index=True, width="stretch")

tabs = [ui.t("Import a group"), ui.t("Template"), ui.t("Export")]
if is_allowed(me, "participant.assign"):
    tabs.append(ui.t("Mentors and accounts"))
import_tab, template_tab, export_tab, *manage_tab = st.tabs(tabs)

with import_tab:
    st.markdown(ui.t("Upload a JSON file in the exchange format, or the Excel or CSV template with one row "
                     "a person. You see every problem before anything is saved."))
    # A new uploader after each import, so that the same file is not imported twice by accident.
    upload_round = st.session_state.setdefault("participants.upload_round", 0)
    upload = st.file_uploader(ui.t("File"), type=["json", "csv", "xlsx"], key=f"participants.upload.{upload_round}")
    if "participants.imported" in st.session_state:
        st.success(st.session_state.pop("participants.imported"))
    if upload is not None:
        content = upload.getvalue()
        # Check a file once, not on every rerun (10,000 rows take a few seconds).
        signature = (upload.name, hashlib.sha256(content).hexdigest())
        if st.session_state.get("participants.preview", (None,))[0] != signature:
            checked = importing.preview_import(cur, actor=me, file_name=upload.name, content=content)
            st.session_state["participants.preview"] = (signature, checked)
        preview = st.session_state["participants.preview"][1]
        st.write(ui.tn("{rows} row: {valid} valid ({new} new, {existing} existing), {bad} with problems.",
                       "{rows} rows: {valid} valid ({new} new, {existing} existing), {bad} with problems.",
                       len(preview.rows), rows=len(preview.rows), valid=len(preview.profiles), new=preview.new_count,
                       existing=preview.update_count, bad=len(preview.bad_rows)))
        if preview.read_as:
            cp1252 = preview.csv_format[0] == "cp1252"
            st.caption(ui.t(preview.read_as[0], **preview.read_as[1])
                       + (" " + ui.t(files.NO_ARABIC_IN_CP1252) if cp1252 else ""))
        if preview.warnings:
            st.warning(ui.t("Check these rows: they look like people who are already here."))
            # A table wraps long messages (a dataframe cuts them off).
            st.table(pd.DataFrame({ui.t("Row"): [p.row for p in preview.warnings],
                                   ui.t("Warning"): [ui.t(p.message, **p.params) for p in preview.warnings]}))
        if preview.problems:
            st.table(ui.problem_table(preview.problems))
        valid_only = False
        if preview.problems and preview.can_import_valid_rows:
            valid_only = st.checkbox(ui.tn("Import only the {count} valid row and skip the rows with problems",
                                           "Import only the {count} valid rows and skip the rows with problems",
                                           len(preview.profiles)), key="participants.valid_only")
        update = not preview.matched_count or st.checkbox(
            ui.tn("Update the {count} participant who is already here (same external reference)",
                  "Update the {count} participants who are already here (same external reference)",
                  preview.matched_count), key="participants.update_matches")
        if (preview.is_valid or valid_only) and update:
            if st.button(ui.tn("Import {count} profile", "Import {count} profiles", len(preview.profiles)),
                         key="participants.import", type="primary"):
                with ui.errors_shown():
                    result = importing.import_profiles(cur, actor=me, file_name=upload.name, content=content,
                                                   valid_only=valid_only, update_matches=preview.matched_count > 0)
                    st.session_state["participants.imported"] = ui.t(
                        "Imported: {participants}, {snapshots}.",
                        participants=ui.tn("{count} new participant", "{count} new participants", len(result.created)),
                        snapshots=ui.tn("{count} new snapshot", "{count} new snapshots", len(result.updated)))
                    st.session_state["participants.upload_round"] = upload_round + 1
                    del st.session_state["participants.preview"]
                    st.rerun()
        elif preview.problems:
            st.error(ui.t("The file was not imported. Correct the rows above and upload it again."))

with template_tab:
    st.markdown(ui.t("The template has one row a person. Codes or names in Dutch or English both work; the "
                     "other sheets list the codes."))
    st.download_button(ui.t("Excel template"), files.template_workbook(cur, ui.lang()),
                       file_name="versnelling-profiles-template.xlsx", key="participants.template_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    st.download_button(ui.t("CSV template"), files.template_csv(), file_name="versnelling-profiles-template.csv",
                       mime="text/csv", key="participants.template_csv")

with export_tab:
    if not is_allowed(me, "profile.export"):
        st.caption(ui.t("You are not allowed to do this."))
    else:
        with_names = st.checkbox(ui.t("Include names and external references (left out by default)"),
                                 key="participants.with_names")
        kind = st.radio(ui.t("Format"), ["json", "xlsx", "csv"], horizontal=True, key="participants.export_kind")
        if st.button(ui.t("Prepare the export"), key="participants.export"):
            with ui.errors_shown():
                exported = snapshots.export_profiles(cur, actor=me, pseudonymise=not with_names)
                writer = {"json": files.export_json, "xlsx": files.export_workbook,
                          "csv": files.export_csv}[kind]
                st.session_state["participants.export_file"] = (kind, writer(exported), len(exported))
        prepared = st.session_state.get("participants.export_file")
        if prepared:
            st.download_button(ui.tn("Download {count} profile", "Download {count} profiles", prepared[2]), prepared[1],
                               file_name=f"versnelling-profiles.{prepared[0]}", key="participants.download")

for tab in manage_tab:
    with tab:
        accounts = participants.accounts_for_assignment(cur, actor=me)
        mentors = dict(accounts.loc[accounts["role"] == "mentor", ["user_id", "username"]].itertuples(index=False))
        newcomers = dict(accounts.loc[accounts["role"] == "newcomer", ["user_id", "username"]].itertuples(index=False))
        chosen = ui.choose_participant(records, key="participants.chosen")
        mentor = st.selectbox(ui.t("Mentor"), list(mentors), index=None, format_func=mentors.__getitem__,
                              placeholder=ui.t("Choose"), key="participants.mentor")
        if st.button(ui.t("Assign mentor"), key="participants.assign", disabled=not (chosen and mentor)):
            with ui.errors_shown():
                participants.assign_mentor(cur, actor=me, participant_id=chosen, mentor_user_id=mentor)
                st.success(ui.t("Saved."))
        account = st.selectbox(ui.t("Newcomer's account"), list(newcomers), index=None,
                               format_func=newcomers.__getitem__, placeholder=ui.t("Choose"), key="participants.account")
        if st.button(ui.t("Link account"), key="participants.link", disabled=not (chosen and account)):
            with ui.errors_shown():
                participants.link_owner(cur, actor=me, participant_id=chosen, owner_user_id=account)
                st.success(ui.t("Saved."))
