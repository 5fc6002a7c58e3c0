"""First start: create the first administrator. Shown only while no administrator exists."""

import streamlit as st

import ui
from incubator.accounts import users

ui.page_header(ui.t("Create the first administrator"))
st.markdown(ui.t("This is a new installation. Choose a user name and a password for the first administrator."))
with st.form("setup.form"):
    username = st.text_input(ui.t("User name"), key="setup.username")
    password = st.text_input(ui.t("Password"), type="password", key="setup.password")
    repeated = st.text_input(ui.t("Repeat the password"), type="password", key="setup.password_again")
    submitted = st.form_submit_button(ui.t("Create administrator"))
if submitted:
    if password != repeated:
        st.error(ui.t("The two passwords differ."))
    else:
        with ui.errors_shown():
            admin = users.create_first_admin(ui.cursor(), username, password)
            ui.sign_in_as(admin)
            st.rerun()
