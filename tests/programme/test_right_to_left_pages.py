"""Dari and Farsi read right to left like Arabic (AppTest): the workshop board's table takes the
direction of every right-to-left language, not only Arabic's."""

from __future__ import annotations

import pytest

from tests.support.app import signed_in_app


@pytest.mark.parametrize(("lang", "direction"), [("fa", "rtl"), ("fa_AF", "rtl"), ("ti", "ltr")])
def test_the_workshop_board_follows_the_language_direction(app_group, app_env, lang, direction):
    at = signed_in_app(app_group["team"]["mentor"].user_id, lang=lang, page="app_pages/programme/workshop.py").run()
    assert not at.exception, [e.message for e in at.exception]
    tables = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<table")]
    assert tables and all(body.startswith(f'<table dir="{direction}">') for body in tables)
