"""The router: page config, the database, the language picker, sign-in and st.navigation over
the pages listed in ui/navigation.py.

`streamlit run streamlit_app.py` finds the `st.App` below (`app`) and serves it: Streamlit's own
routes plus the sign-in route and /health (ui.web), and at start the setup token of a fresh
installation. Each browser session then runs this same file as its script, where `__name__` is
"__main__"."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import streamlit as st

import ui
from incubator.accounts import identities, users
from incubator.core import i18n
from incubator.core.access import ROLE_LABELS
from ui import web
from ui.navigation import PAGES, SIGNED_OUT, pages_for

# Our own icon, served by the app: a Material Symbols page icon would be fetched from Google's servers.
FAVICON = Path(__file__).resolve().parent / "static" / "favicon.png"

SIGN_IN_PAGE = "app_pages/accounts/sign_in.py"
NOT_FOR_YOU_PAGE = "app_pages/accounts/not_allowed.py"


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
    """Where .streamlit/secrets.toml has [auth], a person signed in through st.login whose identity an
    administrator linked to an account gets a session; the others are told they wait."""
    if not getattr(st.user, "is_logged_in", False) or ui.current_session() is not None:
        return
    subject = identities.subject_of(st.user.get("iss"), st.user.get("sub"))
    linked = identities.actor_for_identity(ui.cursor(), subject, st.user.get("email")) if subject else None
    if linked is None:
        st.sidebar.info(ui.t("Your sign-in is known; an administrator still has to give you a role."))
    else:
        ui.sign_in_as(linked)


def _hidden(path: str, entry_path: str, title: str) -> st.Page:
    """A page registered under another page's address: a deep link to a page this visitor may not open
    yet shows the sign-in form (or why not) instead of Streamlit's "Page not found"."""
    return st.Page(path, title=title, url_path=PurePosixPath(entry_path).stem, visibility="hidden")


def main() -> None:
    st.set_page_config(page_title="Versnelling", page_icon=str(FAVICON), layout="wide")
    with ui.every_error_shown():
        route()


def route() -> None:
    """The language, who is signed in, the pages they may open, and the page asked for."""
    cur = ui.cursor()  # raises DatabaseLocked when another process holds the file
    ui.apply_direction()
    _language_picker()
    _sign_in_with_identity_provider()
    session = ui.current_session()
    actor = session.actor if session else None
    if st.session_state.pop("auth.expired", False):
        st.info(ui.t("You were signed out after a period without activity."))
    if session and session.failed_before and st.session_state.get("auth.warned") != session.session_id:
        st.session_state["auth.warned"] = session.session_id
        st.warning(ui.tn("Someone tried to sign in to your account {count} time with a wrong password since your "
                         "last visit. If that was not you, tell an administrator.",
                         "Someone tried to sign in to your account {count} times with a wrong password since your "
                         "last visit. If that was not you, tell an administrator.", session.failed_before))

    if not users.has_admin(cur):
        # A fresh installation: the only thing to do is to create the first administrator.
        pages = [st.Page("app_pages/accounts/first_admin.py", title=ui.t("Create the first administrator"), icon=":material/key:")]
    else:
        role = actor.role if actor else SIGNED_OUT
        sections = pages_for(role)
        first = next(iter(sections.values()))[0]
        if actor is None and (created := st.session_state.get("setup.created")):
            st.success(ui.t("The administrator {username} was created. Sign in now.", username=ui.typed(created)))
            first = next(e for e in PAGES if e.path == SIGN_IN_PAGE)
        pages = {
            ui.t(section): [st.Page(e.path, title=ui.t(e.title), icon=e.icon, default=e is first) for e in entries]
            for section, entries in sections.items()
        }
        others = [e for e in PAGES if role not in e.roles]
        stand_in = SIGN_IN_PAGE if actor is None else NOT_FOR_YOU_PAGE
        pages[ui.t(next(iter(sections)))] += [_hidden(stand_in, e.path, ui.t(e.title)) for e in others]
    if actor is not None:
        st.sidebar.caption(ui.t("Signed in as {username} ({role})", username=ui.typed(actor.username), role=ui.t(ROLE_LABELS[actor.role])))
        if st.sidebar.button(ui.t("Sign out"), key="ui.sign_out"):
            ui.sign_out()
            if getattr(st.user, "is_logged_in", False):
                st.logout()
            st.rerun()
    # Every page of the role in sight: folded behind "View 11 more", a mentor could not find half of them.
    st.navigation(pages, expanded=True).run()


if __name__ == "__main__":
    main()  # a browser session's script run (and AppTest's)
else:
    # Imported by the server (uvicorn, through `streamlit run`): the ASGI app it serves.
    app = st.App(__file__, routes=web.ROUTES, middleware=web.MIDDLEWARE, lifespan=web.lifespan)
