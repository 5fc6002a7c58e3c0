"""The router: page config, the database, the language picker, sign-in and st.navigation over
the pages listed in ui/navigation.py."""

from __future__ import annotations

import streamlit as st

import ui
from incubator import accounts, i18n
from incubator.access import ROLE_LABELS
from incubator.errors import DomainError
from ui.navigation import PAGES, SIGNED_OUT


def _language_picker() -> None:
    codes = list(i18n.LANGUAGES)
    chosen = st.sidebar.selectbox(
        "Taal · Language · اللغة",
        codes,
        index=codes.index(ui.lang()),
        format_func=i18n.LANGUAGES.__getitem__,
        key="ui.lang_picker",
    )
    if chosen != ui.lang():
        st.session_state[ui.LANG_KEY] = chosen
        st.rerun()


def _sign_in_with_identity_provider() -> None:
    """Where .streamlit/secrets.toml has [auth], a signed-in OIDC user maps to a linked account."""
    if not getattr(st.user, "is_logged_in", False) or st.session_state.get(ui.USER_KEY):
        return
    subject = str(st.user.get("sub", ""))
    linked = accounts.actor_for_identity(ui.cursor(), subject, st.user.get("email")) if subject else None
    if linked is None:
        st.sidebar.info(ui.t("Your sign-in is known; an administrator still has to give you a role."))
    else:
        ui.sign_in_as(linked)


def main() -> None:
    st.set_page_config(page_title="Versnelling", page_icon=":material/rocket_launch:", layout="wide")
    try:
        cur = ui.cursor()
    except DomainError as exc:  # the database file is held by another process
        ui.show_error(exc)
        st.stop()
    ui.apply_direction()
    _language_picker()
    _sign_in_with_identity_provider()
    actor = ui.actor()
    if st.session_state.pop("auth.expired", False):
        st.info(ui.t("You were signed out after a period without activity."))

    if not accounts.has_admin(cur):
        # A fresh installation: the only thing to do is to create the first administrator.
        pages = [st.Page("app_pages/setup_admin.py", title=ui.t("Create the first administrator"), icon=":material/key:")]
    else:
        role = actor.role if actor else SIGNED_OUT
        pages = [
            st.Page(entry.path, title=ui.t(entry.title), icon=entry.icon, default=index == 0)
            for index, entry in enumerate(e for e in PAGES if role in e.roles)
        ]
    if actor is not None:
        st.sidebar.caption(ui.t("Signed in as {username} ({role})", username=actor.username, role=ui.t(ROLE_LABELS[actor.role])))
        if st.sidebar.button(ui.t("Sign out"), key="ui.sign_out"):
            ui.sign_out()
            if getattr(st.user, "is_logged_in", False):
                st.logout()
            st.rerun()
    page = st.navigation(pages)
    try:
        page.run()
    except DomainError as exc:
        # The one place where a domain error a page did not handle becomes a translated message.
        ui.show_error(exc)


main()
