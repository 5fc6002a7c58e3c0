"""Organisation sign-in through st.login in Chromium, against a real OpenID Connect provider that the
test starts on loopback (oidc-provider-mock): the identity waits until an administrator links it to a
new account of their choosing on the Accounts page, and then signs in. Before issue 9, st.login crashed
(Authlib was not installed)."""

from __future__ import annotations

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN

from .conftest import _free_port, fill_sign_in_form, new_context, serving, wait_for_app

PASSWORD = "a long enough password"


def _secrets(folder, app_url: str, provider_port: int):
    path = folder / "secrets.toml"
    path.write_text(f"""[auth]
redirect_uri = "{app_url}/oauth2callback"
cookie_secret = "a cookie secret only these tests use"
client_id = "versnelling-tests"
client_secret = "not a real secret"
server_metadata_url = "http://localhost:{provider_port}/.well-known/openid-configuration"
""", encoding="utf-8")
    return path


def test_an_organisation_sign_in_waits_for_an_explicit_link_then_signs_in(tmp_path, page):
    from oidc_provider_mock import run_server_in_thread

    port = _free_port()
    with run_server_in_thread() as provider, serving(
            tmp_path, "--secrets.files", str(_secrets(tmp_path, f"http://127.0.0.1:{port}", provider.server_port)),
            port=port) as server:
        con = db.connect(server["db_path"])  # the server holds the file only once a page needs it
        users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username="first-admin", password=PASSWORD, role="admin")
        con.close()

        page.goto(f"{server['url']}/sign_in")
        page.get_by_role("button", name="Sign in with your organisation's account").click()
        page.locator("input[name='sub']").fill("amal@example.org")  # the provider's own page
        page.get_by_role("button", name="Authorize").click()
        page.get_by_text("Your sign-in is known; an administrator still has to give you a role.").wait_for()

        admin = new_context(page.context.browser, locale="en-GB").new_page()
        admin.goto(f"{server['url']}/manage_accounts")
        fill_sign_in_form(admin, "first-admin", PASSWORD)
        admin.get_by_role("tab", name="Organisation sign-ins").click()
        admin.get_by_text("amal@example.org").wait_for()
        admin.get_by_text("a new account").click()
        admin.get_by_label("New account's user name").fill("amal")
        admin.get_by_role("button", name="Link").click()
        admin.get_by_text("Saved.").wait_for()

        page.reload()
        page.get_by_text("Signed in as amal (newcomer)").wait_for()
        wait_for_app(page)
