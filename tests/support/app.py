"""Paths, the shared test password and AppTest runs of the whole app, for every test package."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_PATH = str(ROOT / "streamlit_app.py")
SHARED = ROOT.parent / "shared"
TEST_PASSWORD = "correct horse battery"


def signed_in_app(user_id: int | None, *, lang: str = "en", page: str | None = None):
    """An AppTest of the whole app with this account signed in (None: signed out)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.session_state["ui.lang"] = lang
    if user_id is not None:
        at.session_state["auth.user_id"] = user_id
        at.session_state["auth.last_seen"] = dt.datetime.now()
    if page is not None:
        at.switch_page(page)
    return at
