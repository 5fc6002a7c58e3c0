"""Page tests with AppTest: every page opens for every role that may use it, and visitors who are not
signed in see only the sign-in and public pages."""

import pytest

from incubator import accounts
from ui.navigation import PAGES, SIGNED_OUT

from .conftest import TEST_PASSWORD, signed_in_app


def _assert_no_exception(at):
    assert not at.exception, [e.message for e in at.exception]


def test_fresh_installation_asks_for_the_first_administrator(app_env):
    at = signed_in_app(None).run()
    _assert_no_exception(at)
    assert any("Create the first administrator" in h.value for h in at.get("html")) or at.text_input(key="setup.username")
    at.text_input(key="setup.username").input("first-admin")
    at.text_input(key="setup.password").input(TEST_PASSWORD)
    at.text_input(key="setup.password_again").input(TEST_PASSWORD)
    at.button[0].click().run()
    _assert_no_exception(at)
    assert at.session_state["auth.user_id"] is not None


@pytest.fixture
def app_people(app_env):
    """Accounts of each role in the app's database (closed again so the app can open it)."""
    from incubator import db

    con = db.connect(app_env)
    ids = {
        role: accounts.create_user(con.cursor(), actor=None, username=f"app-{role}", password=TEST_PASSWORD, role=role)
        for role in ("admin", "manager", "mentor", "newcomer")
    }
    con.close()
    return ids


@pytest.mark.parametrize("role", ["admin", "manager", "mentor", "newcomer", SIGNED_OUT])
def test_every_page_of_a_role_opens_without_exception(app_people, role):
    user_id = app_people[role] if role else None
    for entry in (e for e in PAGES if role in e.roles):
        for lang in ("nl", "ar"):
            at = signed_in_app(user_id, lang=lang, page=entry.path).run()
            _assert_no_exception(at)


def test_signed_out_visitor_sees_only_public_pages(app_people):
    at = signed_in_app(None).run()
    _assert_no_exception(at)
    public = {e.path for e in PAGES if SIGNED_OUT in e.roles}
    assert "app_pages/sign_in.py" in public
    assert "app_pages/admin_accounts.py" not in public
    assert "app_pages/account.py" not in public


def test_sign_in_form_signs_in_and_wrong_password_shows_translated_error(app_people):
    at = signed_in_app(None, lang="nl", page="app_pages/sign_in.py").run()
    at.text_input(key="sign_in.username").input("app-mentor")
    at.text_input(key="sign_in.password").input("wrong password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["De gebruikersnaam of het wachtwoord klopt niet."]
    at.text_input(key="sign_in.password").input(TEST_PASSWORD)
    at.button[0].click().run()
    _assert_no_exception(at)
    assert at.session_state["auth.user_id"] == app_people["mentor"]


def test_admin_creates_an_account_on_the_accounts_page(app_people):
    at = signed_in_app(app_people["admin"], page="app_pages/admin_accounts.py").run()
    at.text_input(key="admin.new_username").input("amal")
    at.selectbox(key="admin.new_role").select_index(1)  # mentor; select() would format outside the run
    at.text_input(key="admin.new_password").input(TEST_PASSWORD)
    next(b for b in at.button if b.label == "Create account").click().run()
    _assert_no_exception(at)
    assert "Account amal was created." in [s.value for s in at.success]


def test_sign_out_button_signs_out(app_people):
    at = signed_in_app(app_people["mentor"]).run()
    at.button(key="ui.sign_out").click().run()
    _assert_no_exception(at)
    assert "auth.user_id" not in at.session_state
