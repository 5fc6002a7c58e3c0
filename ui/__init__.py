"""The thin interface layer shared by the pages: language, the database cursor of this script run,
the signed-in actor, and turning domain errors into translated messages."""

from __future__ import annotations

import datetime as dt
import os

import duckdb
import streamlit as st

from incubator import accounts, db, i18n
from incubator.access import Actor
from incubator.errors import DomainError

LANG_KEY = "ui.lang"
USER_KEY = "auth.user_id"
LAST_SEEN_KEY = "auth.last_seen"


def database_path() -> str:
    return os.environ.get("INCUBATOR_DB", db.DEFAULT_DB_PATH)


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    # One connection per server process; every script run takes its own cursor from it.
    return db.connect(path)


def cursor() -> duckdb.DuckDBPyConnection:
    """A new cursor for this script run. Never keep it in session state or a cache."""
    return _connection(database_path()).cursor()


def lang() -> str:
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.language_from_locale(st.context.locale)
    return st.session_state[LANG_KEY]


def t(message_key: str, **params: object) -> str:
    """Translate an English message into the session's language."""
    return i18n.translate(message_key, lang(), **params)


def show_error(exc: DomainError) -> None:
    """The one place where a domain error becomes a message the user reads."""
    st.error(t(exc.message_key, **exc.params))


def actor() -> Actor | None:
    """The signed-in account, or None. Signs out after inactivity."""
    user_id = st.session_state.get(USER_KEY)
    if user_id is None:
        return None
    now = dt.datetime.now()
    last_seen = st.session_state.get(LAST_SEEN_KEY, now)
    if accounts.session_expired(last_seen, now=now):
        sign_out()
        st.session_state["auth.expired"] = True
        return None
    current = accounts.get_actor(cursor(), user_id)
    if current is None:
        sign_out()
        return None
    st.session_state[LAST_SEEN_KEY] = now
    return current


def signed_in() -> Actor:
    """The signed-in account; a page that needs one stops here with a message when there is none
    (the domain would refuse anyway)."""
    current = actor()
    if current is None:
        st.warning(t("Sign in to see this page."))
        st.stop()
    return current


def sign_in_as(signed_in: Actor) -> None:
    st.session_state[USER_KEY] = signed_in.user_id
    st.session_state[LAST_SEEN_KEY] = dt.datetime.now()


def sign_out() -> None:
    for key in [k for k in st.session_state if str(k).startswith("auth.")]:
        del st.session_state[key]


def oidc_configured() -> bool:
    """True where .streamlit/secrets.toml has an [auth] section for st.login."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def page_header(title: str, caption: str | None = None) -> None:
    """The page title, marked with the language's direction so that assistive technology and the
    layout both know it."""
    direction = "rtl" if i18n.is_rtl(lang()) else "ltr"
    st.html(f'<h1 class="page-title" dir="{direction}" lang="{lang()}">{_escape(title)}</h1>')
    if caption:
        st.caption(caption)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def format_eur(amount: float) -> str:
    return i18n.format_eur(amount, lang())


def format_number(value: float, digits: int = 0) -> str:
    return i18n.format_number(value, lang(), digits=digits)


def format_share(value: float) -> str:
    return i18n.format_share(value, lang())


def format_date(value: dt.date) -> str:
    return i18n.format_date(value, lang())


RTL_CSS = """
<style>
  .stApp, .stMain, section[data-testid="stSidebar"], .stMarkdown, .stForm, .stDataFrame,
  .stTable, [data-testid="stWidgetLabel"], .stAlert, input, textarea {
    direction: rtl; text-align: right;
  }
  .stMarkdown p, .stMarkdown li, .stCaption, h1, h2, h3 { text-align: right; }
  [data-testid="stSidebar"] { right: 0; left: auto; }
</style>
"""


def apply_direction() -> None:
    """Right-to-left layout for Arabic: text, alignment, tables and forms."""
    if i18n.is_rtl(lang()):
        st.html(RTL_CSS)


def choose_participant(records: list, *, key: str) -> str | None:
    """A select box of participants (pseudonymous id and display name); None when there are none.
    `records` are incubator.participants.ParticipantRecord, as the domain returned them."""
    labels = {r.participant_id: f"{r.participant_id} · {r.display_name}" if r.display_name else r.participant_id
              for r in records}
    if not labels:
        return None
    return st.selectbox(t("Participant"), list(labels), format_func=labels.__getitem__, key=key)
