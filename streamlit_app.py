"""The router: page config, the database, the language picker, sign-in and st.navigation over
the pages listed in ui/navigation.py."""

from __future__ import annotations

import streamlit as st

import ui
from incubator.accounts import identities, users
from incubator.core import i18n
from incubator.core.access import ROLE_LABELS
from ui.navigation import SIGNED_OUT, pages_for


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
    linked = identities.actor_for_identity(ui.cursor(), subject, st.user.get("email")) if subject else None
    if linked is None:
        st.sidebar.info(ui.t("Your sign-in is known; an administrator still has to give you a role."))
    else:
        ui.sign_in_as(linked)


def main() -> None:
    st.set_page_config(page_title="Versnelling", page_icon=":material/rocket_launch:", layout="wide")
    with ui.every_error_shown():
        route()


def route() -> None:
    """The language, who is signed in, the pages they may open, and the page asked for."""
    cur = ui.cursor()  # raises DatabaseLocked when another process holds the file
    ui.apply_direction()
    _language_picker()
    _sign_in_with_identity_provider()
    actor = ui.actor()
    if st.session_state.pop("auth.expired", False):
        st.info(ui.t("You were signed out after a period without activity."))

    if not users.has_admin(cur):
        # A fresh installation: the only thing to do is to create the first administrator.
        pages = [st.Page("app_pages/accounts/first_admin.py", title=ui.t("Create the first administrator"), icon=":material/key:")]
    else:
        role = actor.role if actor else SIGNED_OUT
        sections = pages_for(role)
        first = next(iter(sections.values()))[0]
        pages = {
            ui.t(section): [st.Page(e.path, title=ui.t(e.title), icon=e.icon, default=e is first) for e in entries]
            for section, entries in sections.items()
        }
    if actor is not None:
        st.sidebar.caption(ui.t("Signed in as {username} ({role})", username=actor.username, role=ui.t(ROLE_LABELS[actor.role])))
        if st.sidebar.button(ui.t("Sign out"), key="ui.sign_out"):
            ui.sign_out()
            if getattr(st.user, "is_logged_in", False):
                st.logout()
            st.rerun()
    st.navigation(pages).run()


main()
