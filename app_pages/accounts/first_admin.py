"""First start: create the first administrator, with the setup token that the server printed on its
console and wrote beside the database. Shown only while no administrator exists."""

import streamlit as st

import ui
from incubator.accounts import setup

token_file = setup.token_file_for(ui.database_path())
ui.page_header(ui.t("Create the first administrator"))
st.markdown(ui.t("This is a new installation. Choose a user name and a password for the first administrator."))
st.caption(ui.t("The setup token proves that you run this server. It is on the server's console and in the "
                "file {file}, which only the server's account can read.", file=str(token_file)))
with st.form("setup.form"):
    token = st.text_input(ui.t("Setup token"), type="password", key="setup.token")
    username = st.text_input(ui.t("User name"), key="setup.username")
    password = st.text_input(ui.t("Password"), type="password", key="setup.password")
    repeated = st.text_input(ui.t("Repeat the password"), type="password", key="setup.password_again")
    submitted = st.form_submit_button(ui.t("Create administrator"))
if submitted:
    if password != repeated:
        st.error(ui.t("The two passwords differ."))
    else:
        with ui.errors_shown():
            admin = setup.create_first_admin(ui.cursor(), username, password, setup_token=token, token_file=token_file)
            # The router then shows the sign-in form (the sign-in route sets the session cookie).
            st.session_state["setup.created"] = admin.username
            st.rerun()
