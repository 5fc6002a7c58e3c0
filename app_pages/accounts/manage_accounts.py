"""Accounts (administrators): create accounts, reset passwords, give roles, lift sign-in locks, link
organisation sign-ins to accounts."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from incubator.accounts import authentication, identities, users
from incubator.core import backup, encryption
from incubator.core.access import ROLE_LABELS, ROLES

me = ui.signed_in()
cur = ui.cursor()
ui.page_header(ui.t("Accounts"))


# Labels fixed for this run: a format_func must not depend on state read later.
role_labels = {role: ui.t(ROLE_LABELS[role]) for role in ROLES}
role_label = role_labels.__getitem__


def _when(moment) -> str | None:
    # Babel's date in the reader's order (Arabic's carries its own direction marks); isolated where it
    # stands inside a sentence or a right-to-left table (ui.table_text).
    return None if moment is None or pd.isna(moment) else f"{ui.format_date(moment.date())} {moment:%H:%M}"


account_rows = users.list_users(cur, actor=me)
sign_ins = identities.list_identities(cur, actor=me)

table = pd.DataFrame(account_rows)
if not table.empty:
    table["role"] = table["role"].map(role_label)
    table["last_sign_in_at"] = table["last_sign_in_at"].map(_when)
    table["locked_until"] = table["locked_until"].map(_when)
    table = ui.table_text(table[["username", "role", "active", "last_sign_in_at", "failures_since_sign_in", "locked_until"]],
                          whole_columns=["failures_since_sign_in"]).rename(
        columns={"username": ui.t("User name"), "role": ui.t("Role"), "active": ui.t("Active"),
                 "last_sign_in_at": ui.t("Last sign-in"), "failures_since_sign_in": ui.t("Failed sign-ins since"),
                 "locked_until": ui.t("Locked until")}
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
                                                   username=ui.typed(users.normalise_username(username)))
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
                    st.success(ui.t("Saved. The account's sessions have ended; the change holds at its next sign-in."))
        with st.form("admin.password_form", clear_on_submit=True):
            new_password = st.text_input(ui.t("New password"), type="password", key="admin.reset_password")
            if st.form_submit_button(ui.t("Reset password")):
                with ui.errors_shown():
                    users.set_password(cur, actor=me, user_id=user["user_id"], password=new_password)
                    st.success(ui.t("Saved. Every device signed in to this account is signed out."))
        if user["locked_until"] is not None:
            st.warning(ui.t("Sign-in is locked until {moment} after many failed attempts from many places.",
                            moment=ui.isolate(_when(user["locked_until"]))))
            if st.button(ui.t("Lift the lock"), key="admin.unlock"):
                with ui.errors_shown():
                    authentication.unlock(cur, actor=me, user_id=user["user_id"])
                    st.session_state["admin.flash"] = ui.t("Saved.")
                    st.rerun()

with link_tab:
    pending = [identity for identity in sign_ins if identity["user_id"] is None]
    if not pending:
        st.caption(ui.t("Nobody is waiting for a role."))
    # Nothing is guessed from the e-mail address: the administrator chooses an existing account (its role
    # stays) or names a new one.
    for number, identity in enumerate(pending):
        with st.form(f"admin.link_{number}"):
            st.text(identity["email"] or identity["subject"])
            how = st.radio(ui.t("Link to"), ("existing", "new"), horizontal=True, key=f"admin.link_how_{number}",
                           format_func={"existing": ui.t("an existing account"), "new": ui.t("a new account")}.__getitem__)
            existing = st.selectbox(ui.t("Existing account"), list(by_name), index=None, placeholder=ui.t("Choose"),
                                    key=f"admin.link_account_{number}")
            new_name = st.text_input(ui.t("New account's user name"), key=f"admin.link_name_{number}")
            new_role = st.selectbox(ui.t("New account's role"), ROLES, format_func=role_label, key=f"admin.link_role_{number}")
            if st.form_submit_button(ui.t("Link")):
                with ui.errors_shown():
                    if how == "existing":
                        identities.link_identity_to_account(cur, actor=me, subject=identity["subject"],
                                                            user_id=by_name[existing]["user_id"] if existing else None)
                    else:
                        identities.link_identity_to_new_account(cur, actor=me, subject=identity["subject"],
                                                                username=new_name, role=new_role)
                    st.session_state["admin.flash"] = ui.t("Saved.")
                    st.rerun()

# The database file itself: whether it is encrypted at rest, and a backup made by the running app (the
# command line cannot open the file while the app holds it).
st.subheader(ui.t("Database"))
if encryption.is_encrypted(cur):
    st.success(ui.t("Encryption is on: the database file is encrypted with INCUBATOR_DB_KEY."))
else:
    st.warning(ui.t("Encryption is off: anyone who can read the database file can read every name and note in "
                    "it. Set INCUBATOR_DB_KEY and run python -m incubator rekey (see the README)."))
if st.button(ui.t("Back up now"), key="admin.backup"):
    with ui.errors_shown():
        folder = ui.backup_folder() / dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        backup.backup(cur, folder, actor=me, key=encryption.key_from_environment())
        st.success(ui.t("Backup saved in {folder}.", folder=str(folder)))
