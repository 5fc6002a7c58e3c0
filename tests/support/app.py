"""Paths, the shared test password and AppTest runs of the whole app, for every test package."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_PATH = str(ROOT / "streamlit_app.py")
SHARED = ROOT.parent / "shared"
TEST_PASSWORD = "correct horse battery"


def start_session(user_id: int, *, now: dt.datetime | None = None) -> str:
    """A real server-side session of this account in the app's database (INCUBATOR_DB); its token."""
    from incubator.accounts import sessions, users
    from incubator.core import db

    con = db.connect(os.environ["INCUBATOR_DB"])
    try:
        actor = users.get_actor(con.cursor(), user_id)
        return sessions.start_session(con.cursor(), actor, now=now or dt.datetime.now())
    finally:
        con.close()


def signed_in_app(user_id: int | None, *, lang: str = "en", page: str | None = None):
    """An AppTest of the whole app with this account signed in (None: signed out). AppTest cannot send
    cookies, so the token of a real session goes where an organisation sign-in keeps its own
    (ui.SESSION_KEY); the app checks it in the database like a cookie's."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.session_state["ui.lang"] = lang
    if user_id is not None:
        at.session_state["auth.session_token"] = start_session(user_id)
    if page is not None:
        at.switch_page(page)
    return at
