"""Privacy requests (a programme manager): record a participant's consent given in person or on a
signed form, export everything about them for them, correct a field at their request, and erase
them (typed confirmation; the database file is rewritten afterwards so the erased values leave it)."""

import streamlit as st

import ui
from incubator.people import consent
from incubator.privacy import erasure, rectification
from ui import privacy as pui
from ui import programme as programme_ui

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Privacy requests"))
for line in st.session_state.pop("privacy.requests.flash", []):
    st.success(line)
pid = programme_ui.choose_participant(cur, me, key="privacy.requests.participant")
consents = consent.consents_of(cur, actor=me, participant_id=pid)
given = pui.open_purposes(consents)

st.subheader(ui.t("Consent"))
pui.consent_table(consents)
methods = {k: ui.t(v) for k, v in consent.METHODS.items() if k != "in_app"}
with st.form("privacy.requests.consent"):
    purpose = st.selectbox(ui.t("Purpose"), list(pui.PAGE_PURPOSES), format_func=lambda p: ui.t(consent.PURPOSES[p]),
                           key="privacy.requests.purpose")
    method = st.radio(ui.t("How"), list(methods), format_func=methods.__getitem__, horizontal=True,
                      key="privacy.requests.method")
    answer = st.radio(ui.t("Answer"), ["give", "withdraw"], horizontal=True, key="privacy.requests.answer",
                      format_func=lambda a: ui.t("Said yes") if a == "give" else ui.t("Said no or stopped"))
    if st.form_submit_button(ui.t("Record the answer")):
        with ui.errors_shown():
            record = consent.give_consent if answer == "give" else consent.withdraw_consent
            record(cur, actor=me, participant_id=pid, purpose=purpose, method=method)
            st.session_state["privacy.requests.flash"] = [ui.t("The answer was recorded.")]
            st.rerun()

st.subheader(ui.t("Everything about this participant"))
pui.export_downloads(cur, me, pid, key="privacy.requests.export")

st.subheader(ui.t("Correct a field"))
labels = {k: ui.t(v[0]) for k, v in rectification.FIELDS.items()}
with st.form("privacy.requests.rectify"):
    field = st.selectbox(ui.t("Field"), list(labels), format_func=labels.__getitem__, key="privacy.requests.field")
    value = st.text_input(ui.t("The right value"), key="privacy.requests.value")
    if st.form_submit_button(ui.t("Save the correction")):
        with ui.errors_shown():
            rectification.rectify(cur, actor=me, participant_id=pid, field=field, value=value)
            st.session_state["privacy.requests.flash"] = [ui.t("The correction was saved.")]
            st.rerun()

st.subheader(ui.t("Erase this participant"))
st.warning(ui.t("This removes everything about {participant_id} from every table and cannot be undone. "
                "Only anonymous counts stay in the outcome figures.", participant_id=pid))
with st.form("privacy.requests.erase"):
    typed = st.text_input(ui.t("Type {participant_id} to confirm", participant_id=pid), key="privacy.requests.typed")
    if st.form_submit_button(ui.t("Erase"), type="primary"):
        with ui.errors_shown():
            done = erasure.erase_participant(cur, actor=me, participant_id=pid, confirmation=typed)
            cur.close()
            ui.rewrite_database_file()
            st.session_state["privacy.requests.flash"] = [
                ui.t("{participant_id} was erased.", participant_id=done.participant_id)]
            st.rerun()
