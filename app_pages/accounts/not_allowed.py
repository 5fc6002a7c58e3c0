"""Stands in, hidden, for a page that the signed-in account's role may not open (a bookmark made
with another account, or the sign-in page while signed in): says so instead of "Page not found"."""

import streamlit as st

import ui
from incubator.core.access import ROLE_LABELS

me = ui.signed_in()
ui.page_header(ui.t("This page is not open to you"))
st.markdown(ui.t("You are signed in as {username} ({role}). Choose a page in the menu.",
                 username=ui.typed(me.username), role=ui.t(ROLE_LABELS[me.role])))
