"""Page tests with AppTest: every page opens for every role that may use it, and visitors who are not
signed in see only the sign-in and public pages."""

import pytest

from incubator.accounts import authentication, identities, users
from tests.support.app import TEST_PASSWORD, signed_in_app
from ui.navigation import PAGES, SIGNED_OUT


def _assert_no_exception(at):
    assert not at.exception, [e.message for e in at.exception]


def test_fresh_installation_asks_for_the_first_administrator(app_env):
    at = signed_in_app(None).run()
    _assert_no_exception(at)
    assert [h.value for h in at.get("html")] == ['<h1 class="page-title" dir="ltr" lang="en">Create the first administrator</h1>']
    assert [m.value for m in at.markdown] == ["This is a new installation. Choose a user name and a password for the "
                                              "first administrator."]
    at.text_input(key="setup.username").input("first-admin")
    at.text_input(key="setup.password").input(TEST_PASSWORD)
    at.text_input(key="setup.password_again").input(TEST_PASSWORD)
    at.button[0].click().run()
    _assert_no_exception(at)
    assert at.session_state["auth.user_id"] is not None


@pytest.fixture
def app_people(app_env):
    """Accounts of each role in the app's database (closed again so the app can open it)."""
    from incubator.core import db
    con = db.connect(app_env)
    ids = {
        role: users.create_user(con.cursor(), actor=None, username=f"app-{role}", password=TEST_PASSWORD, role=role)
        for role in ("admin", "manager", "mentor", "newcomer")
    }
    con.close()
    return {**ids, "db_path": app_env}


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
    assert "app_pages/accounts/sign_in.py" in public
    assert "app_pages/accounts/manage_accounts.py" not in public
    assert "app_pages/accounts/my_account.py" not in public


def test_sign_in_form_signs_in_and_wrong_password_shows_translated_error(app_people):
    at = signed_in_app(None, lang="nl", page="app_pages/accounts/sign_in.py").run()
    at.text_input(key="sign_in.username").input("app-mentor")
    at.text_input(key="sign_in.password").input("wrong password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["De gebruikersnaam of het wachtwoord klopt niet."]
    at.text_input(key="sign_in.password").input(TEST_PASSWORD)
    at.button[0].click().run()
    _assert_no_exception(at)
    assert at.session_state["auth.user_id"] == app_people["mentor"]


def test_admin_creates_an_account_on_the_accounts_page(app_people):
    at = signed_in_app(app_people["admin"], page="app_pages/accounts/manage_accounts.py").run()
    at.text_input(key="admin.new_username").input("amal")
    at.selectbox(key="admin.new_role").select_index(1)  # mentor; select() would format outside the run
    at.text_input(key="admin.new_password").input(TEST_PASSWORD)
    next(b for b in at.button if b.label == "Create account").click().run()
    _assert_no_exception(at)
    assert "Account amal was created." in [s.value for s in at.success]
    listed = at.dataframe[0].value
    assert "amal" in set(listed["User name"])  # the list shows the new account without a reload


def test_sign_out_button_signs_out(app_people):
    at = signed_in_app(app_people["mentor"]).run()
    at.button(key="ui.sign_out").click().run()
    _assert_no_exception(at)
    assert "auth.user_id" not in at.session_state


def test_identity_provider_user_waits_for_a_role_then_is_signed_in(app_people):
    at = signed_in_app(None)
    at.user = {"is_logged_in": True, "sub": "oidc|amal", "email": "amal@example.org"}
    at.run()
    _assert_no_exception(at)
    assert "Your sign-in is known; an administrator still has to give you a role." in [i.value for i in at.sidebar.info]
    assert "auth.user_id" not in at.session_state

    from incubator.core import db
    from incubator.core.access import Actor

    con = db.connect(app_people["db_path"])
    admin = Actor(app_people["admin"], "admin")
    user_id = identities.link_identity(con.cursor(), actor=admin, subject="oidc|amal", username="amal", role="mentor")
    con.close()
    at.run()
    _assert_no_exception(at)
    assert at.session_state["auth.user_id"] == user_id


def test_session_expires_after_inactivity(app_people):
    import datetime as dt

    at = signed_in_app(app_people["mentor"])
    at.session_state["auth.last_seen"] = dt.datetime.now() - dt.timedelta(minutes=authentication.SESSION_IDLE_MINUTES + 5)
    at.run()
    _assert_no_exception(at)
    assert "auth.user_id" not in at.session_state
    assert "You were signed out after a period without activity." in [i.value for i in at.info]


def test_a_page_opened_without_signing_in_stops_with_a_message(app_people):
    # The domain refuses anyway; the page says so instead of failing.
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(__import__("pathlib").Path(__file__).parents[1] / "app_pages" / "accounts" / "my_account.py"))
    at.session_state["ui.lang"] = "en"
    at.run()
    _assert_no_exception(at)
    assert [w.value for w in at.warning] == ["Sign in to see this page."]


def test_a_raw_database_error_becomes_one_translated_message_with_a_reference(app_people, caplog):
    import re

    from incubator.core import db
    from incubator.core.errors import UNEXPECTED
    from incubator.core.i18n import translate

    con = db.connect(app_people["db_path"])
    con.execute("DROP TABLE participant_mentors")  # the participants page reads it
    con.close()
    at = signed_in_app(app_people["manager"], lang="nl", page="app_pages/people/participants.py").run()
    _assert_no_exception(at)
    [message] = [e.value for e in at.error]
    reference = re.search(r"E-[0-9a-f]{8}", message).group(0)
    assert message == translate(UNEXPECTED, "nl", reference=reference)
    [logged] = [r.getMessage() for r in caplog.records if reference in r.getMessage()]
    assert "CatalogException" in logged and "participant_mentors" not in logged
