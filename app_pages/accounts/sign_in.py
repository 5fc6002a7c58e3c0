"""Sign in with a local account (and, where configured, through the organisation's identity provider)."""

import datetime as dt

import streamlit as st

import ui
from incubator.accounts import authentication

ui.page_header(ui.t("Sign in"))
with st.form("sign_in.form"):
    username = st.text_input(ui.t("User name"), key="sign_in.username")
    password = st.text_input(ui.t("Password"), type="password", key="sign_in.password")
    submitted = st.form_submit_button(ui.t("Sign in"))
if submitted:
    with ui.errors_shown():
        signed_in = authentication.sign_in(ui.cursor(), username, password, now=dt.datetime.now())
        ui.sign_in_as(signed_in)
        st.rerun()

if ui.oidc_configured():
    st.divider()
    if st.button(ui.t("Sign in with your organisation's account"), key="sign_in.oidc"):
        st.login()
