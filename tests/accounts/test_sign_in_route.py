"""The sign-in route and /health of the st.App (ui.web), through Starlette's test client: the cookie
it sets, where it sends the person, what it refuses."""

import datetime as dt

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from incubator.accounts import sessions
from tests.support.app import TEST_PASSWORD
from ui import web

FORM = {"username": "test-mentor", "password": TEST_PASSWORD, "next": "/participants?participant=P-000001",
        "ui_lang": "ar"}


@pytest.fixture
def client(people, db_path, monkeypatch):
    monkeypatch.setenv("INCUBATOR_DB", str(db_path))
    with TestClient(Starlette(routes=web.ROUTES), base_url="http://app.test", follow_redirects=False) as test_client:
        yield test_client
    _close_route_connection(db_path)


def _close_route_connection(db_path) -> None:
    opened = web._connections.pop(str(db_path), None)
    if opened is not None:
        opened.close()


def test_sign_in_sets_a_strict_http_only_cookie_of_a_live_session_and_returns_to_the_page(client, cur, people):
    response = client.post(web.SIGN_IN_PATH, data=FORM, headers={"origin": "http://app.test"})
    assert response.status_code == 303
    assert response.headers["location"] == "/participants?participant=P-000001"
    [session_cookie] = [c for c in response.headers.get_list("set-cookie") if c.startswith(sessions.COOKIE_NAME)]
    attributes = {part.strip().split("=")[0].lower() for part in session_cookie.split(";")[1:]}
    assert {"httponly", "path", "max-age"} <= attributes and "samesite=strict" in session_cookie.lower()
    assert "secure" not in attributes  # plain HTTP here; over HTTPS the cookie is Secure (next test)
    token = response.cookies[sessions.COOKIE_NAME]
    found = sessions.find_session(cur, token, now=dt.datetime.now())
    assert found.session.actor == people["mentor"]
    assert response.cookies[web.LANG_COOKIE] == "ar"  # the language survives the new page load


def test_over_https_the_cookie_is_secure(people, db_path, monkeypatch):
    monkeypatch.setenv("INCUBATOR_DB", str(db_path))
    with TestClient(Starlette(routes=web.ROUTES), base_url="https://app.test", follow_redirects=False) as secure:
        response = secure.post(web.SIGN_IN_PATH, data=FORM, headers={"origin": "https://app.test"})
    _close_route_connection(db_path)
    [session_cookie] = [c for c in response.headers.get_list("set-cookie") if c.startswith(sessions.COOKIE_NAME)]
    assert "secure" in session_cookie.lower()


def test_a_wrong_password_goes_back_to_the_sign_in_page_with_no_cookie(client):
    response = client.post(web.SIGN_IN_PATH, data={**FORM, "password": "wrong password"},
                           headers={"origin": "http://app.test"})
    assert response.status_code == 303
    assert response.headers["location"] == "/sign_in?sign_in=failed&next=%2Fparticipants%3Fparticipant%3DP-000001"
    assert sessions.COOKIE_NAME not in response.cookies


def test_after_a_few_failures_the_route_says_how_long_to_wait(client):
    for _ in range(3):
        client.post(web.SIGN_IN_PATH, data={**FORM, "password": "wrong password", "next": "/"})
    response = client.post(web.SIGN_IN_PATH, data={**FORM, "next": "/"})
    assert response.headers["location"].startswith("/sign_in?sign_in=wait&seconds=")


def test_another_site_cannot_post_the_form(client, cur):
    response = client.post(web.SIGN_IN_PATH, data=FORM, headers={"origin": "https://evil.example"})
    assert response.status_code == 403
    response = client.post(web.SIGN_IN_PATH, data=FORM, headers={"sec-fetch-site": "cross-site"})
    assert response.status_code == 403
    assert cur.execute("SELECT count(*) FROM account_sessions").fetchone()[0] == 0


@pytest.mark.parametrize(("asked", "goes_to"), [
    ("/participants", "/participants"),
    ("/business_plan?participant=P-000002", "/business_plan?participant=P-000002"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("/not-a-page", "/"),
    ("/sign_in", "/"),
    ("", "/"),
])
def test_after_sign_in_only_pages_of_this_app(asked, goes_to):
    assert web.safe_next(asked) == goes_to


def test_health_answers_for_deployments(client):
    response = client.get(web.HEALTH_PATH)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_a_fresh_installation_prints_the_setup_token_and_writes_it_beside_the_database(db_path, monkeypatch, capsys):
    import os
    import stat

    from incubator.accounts import setup

    monkeypatch.setenv("INCUBATOR_DB", str(db_path))
    with TestClient(Starlette(routes=web.ROUTES, lifespan=web.lifespan), base_url="http://app.test"):
        printed = capsys.readouterr().out
    _close_route_connection(db_path)
    token_file = setup.token_file_for(db_path)
    token = token_file.read_text(encoding="utf-8").strip()
    assert f"Setup token for the first administrator: {token}" in printed and str(token_file) in printed
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
