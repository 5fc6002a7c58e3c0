"""My account: who I am, and a new password."""

import streamlit as st

import ui
from incubator.accounts import users
from incubator.core.access import ROLE_LABELS

me = ui.signed_in()
ui.page_header(ui.t("My account"))
st.write(ui.t("Signed in as {username} ({role})", username=ui.typed(me.username), role=ui.t(ROLE_LABELS[me.role])))
with st.form("account.password_form", clear_on_submit=True):
    password = st.text_input(ui.t("New password"), type="password", key="account.password")
    repeated = st.text_input(ui.t("Repeat the password"), type="password", key="account.password_again")
    submitted = st.form_submit_button(ui.t("Change password"))
if submitted:
    if password != repeated:
        st.error(ui.t("The two passwords differ."))
    else:
        with ui.errors_shown():
            # Every other browser signed in to this account is signed out; this one stays.
            session = ui.current_session()
            users.set_password(ui.cursor(), actor=me, user_id=me.user_id, password=password,
                               keep_session_id=session.session_id if session else None)
            st.success(ui.t("Your password was changed. Other devices signed in to your account are signed out."))
