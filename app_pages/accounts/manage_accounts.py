"""Accounts (administrators): create accounts, reset passwords, give roles, link organisation sign-ins."""

import pandas as pd
import streamlit as st

import ui
from incubator.accounts import identities, users
from incubator.core.access import ROLE_LABELS, ROLES

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Accounts"))


# Labels fixed for this run: a format_func must not depend on state read later.
role_labels = {role: ui.t(ROLE_LABELS[role]) for role in ROLES}
role_label = role_labels.__getitem__


account_rows = users.list_users(cur, actor=me)
sign_ins = identities.list_identities(cur, actor=me)

table = pd.DataFrame(account_rows)
if not table.empty:
    table["role"] = table["role"].map(role_label)
    table = table[["username", "role", "active"]].rename(
        columns={"username": ui.t("User name"), "role": ui.t("Role"), "active": ui.t("Active")}
    )
st.dataframe(table, hide_index=True, width="stretch", key="admin.accounts")
if flash := st.session_state.pop("admin.flash", None):
    st.success(flash)

create_tab, change_tab, link_tab = st.tabs([ui.t("New account"), ui.t("Change an account"), ui.t("Organisation sign-ins")])
with create_tab, st.form("admin.create_form", clear_on_submit=True):
    username = st.text_input(ui.t("User name"), key="admin.new_username")
    role = st.selectbox(ui.t("Role"), ROLES, format_func=role_label, key="admin.new_role")
    password = st.text_input(ui.t("Password"), type="password", key="admin.new_password")
    if st.form_submit_button(ui.t("Create account")):
        with ui.errors_shown():
            users.create_user(cur, actor=me, username=username, password=password, role=role)
            # Rerun, so that the list above shows the new account at once.
            st.session_state["admin.flash"] = ui.t("Account {username} was created.",
                                                   username=users.normalise_username(username))
            st.rerun()

by_name = {user["username"]: user for user in account_rows}
with change_tab:
    chosen = st.selectbox(ui.t("Account"), list(by_name), key="admin.chosen_user")
    if chosen:
        user = by_name[chosen]
        with st.form("admin.role_form"):
            new_role = st.selectbox(ui.t("Role"), ROLES, index=ROLES.index(user["role"]), format_func=role_label, key="admin.role")
            active = st.checkbox(ui.t("Active"), value=user["active"], key="admin.active")
            if st.form_submit_button(ui.t("Save role")):
                with ui.errors_shown():
                    users.set_role(cur, actor=me, user_id=user["user_id"], role=new_role, active=active)
                    st.success(ui.t("Saved."))
        with st.form("admin.password_form", clear_on_submit=True):
            new_password = st.text_input(ui.t("New password"), type="password", key="admin.reset_password")
            if st.form_submit_button(ui.t("Reset password")):
                with ui.errors_shown():
                    users.set_password(cur, actor=me, user_id=user["user_id"], password=new_password)
                    st.success(ui.t("Saved."))

with link_tab:
    pending = [identity for identity in sign_ins if identity["user_id"] is None]
    if not pending:
        st.caption(ui.t("Nobody is waiting for a role."))
    for identity in pending:
        with st.form(f"admin.link_{identity['subject']}"):
            st.write(identity["email"] or identity["subject"])
            link_name = st.text_input(ui.t("User name"), value=(identity["email"] or "").split("@")[0])
            link_role = st.selectbox(ui.t("Role"), ROLES, format_func=role_label)
            if st.form_submit_button(ui.t("Give this role")):
                with ui.errors_shown():
                    identities.link_identity(cur, actor=me, subject=identity["subject"], username=link_name, role=link_role)
                    st.success(ui.t("Saved."))
