"""Accounts (administrators): create accounts, reset passwords, give roles, link organisation sign-ins."""

import pandas as pd
import streamlit as st

import ui
from incubator import accounts
from incubator.access import ROLE_LABELS, ROLES
from incubator.errors import DomainError

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Accounts"))


# Labels fixed for this run: a format_func must not depend on state read later.
role_labels = {role: ui.t(ROLE_LABELS[role]) for role in ROLES}
role_label = role_labels.__getitem__


try:
    users = accounts.list_users(cur, actor=me)
    identities = accounts.list_identities(cur, actor=me)
except DomainError as exc:
    ui.show_error(exc)
    st.stop()

table = pd.DataFrame(users)
if not table.empty:
    table["role"] = table["role"].map(role_label)
    table = table[["username", "role", "active"]].rename(
        columns={"username": ui.t("User name"), "role": ui.t("Role"), "active": ui.t("Active")}
    )
st.dataframe(table, hide_index=True, width="stretch")

create_tab, change_tab, link_tab = st.tabs([ui.t("New account"), ui.t("Change an account"), ui.t("Organisation sign-ins")])
with create_tab, st.form("admin.create_form", clear_on_submit=True):
    username = st.text_input(ui.t("User name"), key="admin.new_username")
    role = st.selectbox(ui.t("Role"), ROLES, format_func=role_label, key="admin.new_role")
    password = st.text_input(ui.t("Password"), type="password", key="admin.new_password")
    if st.form_submit_button(ui.t("Create account")):
        try:
            accounts.create_user(cur, actor=me, username=username, password=password, role=role)
            st.success(ui.t("Account {username} was created.", username=accounts.normalise_username(username)))
        except DomainError as exc:
            ui.show_error(exc)

by_name = {user["username"]: user for user in users}
with change_tab:
    chosen = st.selectbox(ui.t("Account"), list(by_name), key="admin.chosen_user")
    if chosen:
        user = by_name[chosen]
        with st.form("admin.role_form"):
            new_role = st.selectbox(ui.t("Role"), ROLES, index=ROLES.index(user["role"]), format_func=role_label, key="admin.role")
            active = st.checkbox(ui.t("Active"), value=user["active"], key="admin.active")
            if st.form_submit_button(ui.t("Save role")):
                try:
                    accounts.set_role(cur, actor=me, user_id=user["user_id"], role=new_role, active=active)
                    st.success(ui.t("Saved."))
                except DomainError as exc:
                    ui.show_error(exc)
        with st.form("admin.password_form", clear_on_submit=True):
            new_password = st.text_input(ui.t("New password"), type="password", key="admin.reset_password")
            if st.form_submit_button(ui.t("Reset password")):
                try:
                    accounts.set_password(cur, actor=me, user_id=user["user_id"], password=new_password)
                    st.success(ui.t("Saved."))
                except DomainError as exc:
                    ui.show_error(exc)

with link_tab:
    pending = [identity for identity in identities if identity["user_id"] is None]
    if not pending:
        st.caption(ui.t("Nobody is waiting for a role."))
    for identity in pending:
        with st.form(f"admin.link_{identity['subject']}"):
            st.write(identity["email"] or identity["subject"])
            link_name = st.text_input(ui.t("User name"), value=(identity["email"] or "").split("@")[0])
            link_role = st.selectbox(ui.t("Role"), ROLES, format_func=role_label)
            if st.form_submit_button(ui.t("Give this role")):
                try:
                    accounts.link_identity(cur, actor=me, subject=identity["subject"], username=link_name, role=link_role)
                    st.success(ui.t("Saved."))
                except DomainError as exc:
                    ui.show_error(exc)
