"""My privacy (a newcomer): how their information is used, in plain words and their language; a yes
or no for each purpose, which they can change at any time; and a download of everything kept
about them."""

import streamlit as st

import ui
from incubator.people import consent
from incubator.people.participants import participant_for_user
from ui import privacy as pui

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("My privacy"))
for line in st.session_state.pop("privacy.flash", []):
    st.success(line)
pui.show_notice()

record = participant_for_user(cur, me.user_id)
if record is None:
    st.info(ui.t("There is no participant to show yet."))
    st.stop()
pid = record.participant_id
consents = consent.consents_of(cur, actor=me, participant_id=pid)
given = pui.open_purposes(consents)

st.subheader(ui.t("What you say yes to"))
for purpose in pui.PAGE_PURPOSES:
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown(ui.escape_markdown(ui.t(consent.PURPOSES[purpose])))
    if purpose in given:
        left.caption(ui.t("You said yes."))
        if right.button(ui.t("Stop"), key=f"privacy.withdraw.{purpose}"):
            with ui.errors_shown():
                consent.withdraw_consent(cur, actor=me, participant_id=pid, purpose=purpose, method="in_app")
                st.session_state["privacy.flash"] = [ui.t("Done. We stopped using your information for this.")]
                st.rerun()
    else:
        left.caption(ui.t("You did not say yes."))
        if right.button(ui.t("Yes, I agree"), key=f"privacy.give.{purpose}", type="primary"):
            with ui.errors_shown():
                consent.give_consent(cur, actor=me, participant_id=pid, purpose=purpose, method="in_app")
                st.session_state["privacy.flash"] = [ui.t("Thank you. Your answer is saved.")]
                st.rerun()

with st.expander(ui.t("Everything you said yes or no to")):
    pui.consent_table(consents)

st.subheader(ui.t("Your information"))
st.markdown(ui.escape_markdown(ui.t("Download everything we keep about you. To correct something or to have "
                                    "everything deleted, ask the programme manager.")))
pui.export_downloads(cur, me, pid, key="privacy.mine")
