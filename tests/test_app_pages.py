"""Page tests with AppTest: every page opens for every role that may use it, and visitors who are not
signed in see only the sign-in and public pages."""

import pytest

from incubator.accounts import authentication, identities, sessions, users
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.core.errors import SignInFailed
from tests.support.app import TEST_PASSWORD, signed_in_app
from ui.navigation import PAGES, SIGNED_OUT


def _assert_no_exception(at):
    assert not at.exception, [e.message for e in at.exception]


def _first_admin_form(at, token: str, username: str = "first-admin"):
    at.text_input(key="setup.token").input(token)
    at.text_input(key="setup.username").input(username)
    at.text_input(key="setup.password").input(TEST_PASSWORD)
    at.text_input(key="setup.password_again").input(TEST_PASSWORD)
    return at.button[0].click().run()


def test_fresh_installation_asks_for_the_first_administrator_with_the_setup_token(app_env):
    from incubator.accounts import setup
    from incubator.core import db

    con = db.connect(app_env)
    token = setup.issue_setup_token(con.cursor(), setup.token_file_for(app_env))
    con.close()
    at = signed_in_app(None).run()
    _assert_no_exception(at)
    [header] = [h.value for h in at.get("html")]
    assert header.startswith('<h1 class="page-title" dir="ltr" lang="en">Create the first administrator</h1>')
    assert [m.value for m in at.markdown] == ["This is a new installation. Choose a user name and a password for the "
                                              "first administrator."]
    assert str(setup.token_file_for(app_env)) in at.caption[0].value
    _first_admin_form(at, "a guessed token")
    assert [e.value for e in at.error] == [
        f"The setup token is not correct. Copy it from the server's console or from the file {setup.token_file_for(app_env)}."]
    _first_admin_form(at, token)
    _assert_no_exception(at)
    # The Markdown source escapes the typed name (ui.typed); it reads "first-admin" on screen.
    assert "The administrator first\\-admin was created. Sign in now." in [s.value for s in at.success]
    assert not setup.token_file_for(app_env).exists()  # used up
    # Not signed in by the setup page: the sign-in form (its route sets the cookie) comes next.
    assert "auth.session_token" not in at.session_state
    assert any('action="/account/sign-in"' in h.value for h in at.get("html"))


@pytest.fixture
def app_people(app_env):
    """Accounts of each role in the app's database (closed again so the app can open it)."""
    from incubator.core import db
    con = db.connect(app_env)
    ids = {
        role: users.create_user(con.cursor(), actor=COMMAND_LINE_ADMIN, username=f"app-{role}", password=TEST_PASSWORD, role=role)
        for role in ("admin", "manager", "mentor", "newcomer")
    }
    con.close()
    return {**ids, "db_path": app_env}


@pytest.mark.parametrize("role", ["admin", "manager", "mentor", "newcomer", SIGNED_OUT])
def test_every_page_of_a_role_opens_without_exception(app_people, role):
    user_id = app_people[role] if role else None
    # Dutch and Arabic (left to right and right to left) for every page; a newcomer's pages also in
    # Tigrinya (Ge'ez script) and Dari (right to left, Babel's fa_AF formats). The catalogue tests
    # cover every message of the other languages.
    languages = ("nl", "ar", "ti", "fa_AF") if role == "newcomer" else ("nl", "ar")
    for entry in (e for e in PAGES if role in e.roles):
        for lang in languages:
            at = signed_in_app(user_id, lang=lang, page=entry.path).run()
            _assert_no_exception(at)


def test_signed_out_visitor_sees_only_public_pages(app_people):
    at = signed_in_app(None).run()
    _assert_no_exception(at)
    public = {e.path for e in PAGES if SIGNED_OUT in e.roles}
    assert "app_pages/accounts/sign_in.py" in public
    assert "app_pages/accounts/manage_accounts.py" not in public
    assert "app_pages/accounts/my_account.py" not in public


def test_sign_in_page_is_a_form_for_the_route_and_says_why_an_attempt_failed(app_people):
    at = signed_in_app(None, lang="nl", page="app_pages/accounts/sign_in.py")
    at.query_params["sign_in"] = "failed"
    at.query_params["next"] = "/participants?participant=P-000001"
    at.run()
    _assert_no_exception(at)
    assert [e.value for e in at.error] == ["De gebruikersnaam of het wachtwoord klopt niet."]
    [form] = [h.value for h in at.get("html") if "<form" in h.value]
    assert 'method="post" action="/account/sign-in"' in form
    assert 'name="next" value="/participants?participant=P-000001"' in form  # back to the page asked for
    assert 'name="ui_lang" value="nl"' in form and "Gebruikersnaam" in form and 'autocomplete="current-password"' in form
    at.query_params.clear()
    at.query_params.update({"sign_in": "wait", "seconds": "12", "next": "https://elsewhere.example/"})
    at.run()
    assert [e.value for e in at.error] == ["Te veel mislukte pogingen. Probeer het over 12 seconden opnieuw."]
    assert 'name="next" value="/"' in next(h.value for h in at.get("html") if "<form" in h.value)


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


def _live(app_people, token: str):
    import datetime as dt

    from incubator.accounts import sessions
    from incubator.core import db

    con = db.connect(app_people["db_path"])
    try:
        return sessions.find_session(con.cursor(), token, now=dt.datetime.now()).session
    finally:
        con.close()


def test_sign_out_button_ends_the_session_on_the_server(app_people):
    at = signed_in_app(app_people["mentor"]).run()
    token = at.session_state["auth.session_token"]
    assert _live(app_people, token).actor.user_id == app_people["mentor"]
    at.button(key="ui.sign_out").click().run()
    _assert_no_exception(at)
    assert "auth.session_token" not in at.session_state
    assert _live(app_people, token) is None  # a copy of the cookie signs nobody in any more


def test_deactivating_an_account_signs_it_out_at_its_next_click(app_people):
    from incubator.core import db
    from incubator.core.access import Actor

    at = signed_in_app(app_people["mentor"], page="app_pages/accounts/my_account.py").run()
    shown = "app\\-mentor"  # the typed name as the sidebar writes it: escaped, so Markdown shows it as typed
    assert any(shown in m.value for m in at.markdown)
    con = db.connect(app_people["db_path"])
    users.set_role(con.cursor(), actor=Actor(app_people["admin"], "admin"), user_id=app_people["mentor"],
                   role="mentor", active=False)
    con.close()
    at.run()
    _assert_no_exception(at)
    assert "auth.session_token" not in at.session_state
    # The page asked for is not open to a visitor: the sign-in form stands in for it.
    assert any('action="/account/sign-in"' in h.value for h in at.get("html"))
    assert not any(shown in m.value for m in at.markdown)


def test_identity_provider_user_waits_for_a_role_then_is_signed_in(app_people):
    at = signed_in_app(None)
    at.user = {"is_logged_in": True, "iss": "https://idp.example", "sub": "amal", "email": "amal@example.org"}
    at.run()
    _assert_no_exception(at)
    assert "Your sign-in is known; an administrator still has to give you a role." in [i.value for i in at.sidebar.info]
    assert "auth.session_token" not in at.session_state

    from incubator.core import db
    from incubator.core.access import Actor

    con = db.connect(app_people["db_path"])
    admin = Actor(app_people["admin"], "admin")
    user_id = identities.link_identity_to_new_account(con.cursor(), actor=admin, subject="https://idp.example|amal",
                                                      username="amal", role="mentor")
    con.close()
    at.run()
    _assert_no_exception(at)
    assert _live(app_people, at.session_state["auth.session_token"]).actor.user_id == user_id
    assert any(c.value == "Signed in as amal (mentor)" for c in at.sidebar.caption)
    # Audited like a password sign-in, and the administrator sees it as the last sign-in.
    con = db.connect(app_people["db_path"])
    audited = con.execute("SELECT actor_user_id, subject FROM audit_log WHERE action = 'account.sign_in_identity'").fetchall()
    [listed] = [u for u in users.list_users(con.cursor(), actor=admin) if u["user_id"] == user_id]
    con.close()
    assert audited == [(user_id, f"user:{user_id}")] and listed["last_sign_in_at"] is not None


def test_session_expires_after_inactivity(app_people):
    import datetime as dt

    from tests.support.app import start_session

    at = signed_in_app(None)
    at.session_state["auth.session_token"] = start_session(
        app_people["mentor"], now=dt.datetime.now() - dt.timedelta(minutes=sessions.SESSION_IDLE_MINUTES + 5))
    at.run()
    _assert_no_exception(at)
    assert "auth.session_token" not in at.session_state
    assert "You were signed out after a period without activity." in [i.value for i in at.info]


def test_the_owner_is_told_of_failed_sign_ins_since_the_last_visit(app_people):
    import datetime as dt

    from incubator.core import db

    con = db.connect(app_people["db_path"])
    now = dt.datetime.now()
    for address in ("203.0.113.7", "198.51.100.4"):
        with pytest.raises(SignInFailed):
            authentication.sign_in(con.cursor(), "app-mentor", "a wrong password", address=address, now=now)
    signed_in = authentication.sign_in(con.cursor(), "app-mentor", TEST_PASSWORD, address=None, now=now)
    token = sessions.start_session(con.cursor(), signed_in.actor, now=now, failed_before=signed_in.failed_before)
    con.close()
    at = signed_in_app(None)
    at.session_state["auth.session_token"] = token
    at.run()
    assert [w.value for w in at.warning] == [
        "Someone tried to sign in to your account 2 times with a wrong password since your last visit. "
        "If that was not you, tell an administrator."]
    at.run()
    assert not at.warning  # once


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


def test_the_admin_sees_a_lock_and_the_last_sign_in_and_lifts_the_lock(app_people, monkeypatch):
    import datetime as dt

    from incubator.core import db
    from incubator.core.errors import AccountLocked, SignInDelayed
    from ui.text import EMPTY

    # A smaller lock threshold (the same rule) keeps the test short; the domain tests use the real one.
    monkeypatch.setattr(authentication, "LOCK_FAILURES", 6)
    monkeypatch.setattr(authentication, "LOCK_ADDRESSES", 2)
    con = db.connect(app_people["db_path"])
    now = dt.datetime.now()
    authentication.sign_in(con.cursor(), "app-mentor", TEST_PASSWORD, address=None, now=now - dt.timedelta(hours=1))
    # Many failures from many addresses (the only way to lock an account), each address waiting its turn.
    moment = now - dt.timedelta(minutes=1)
    for n in range(authentication.LOCK_ADDRESSES):
        failed = 0
        while failed < authentication.LOCK_FAILURES // authentication.LOCK_ADDRESSES:
            try:
                authentication.sign_in(con.cursor(), "app-mentor", "wrong guess", address=f"203.0.113.{n}", now=moment)
            except SignInDelayed as exc:
                moment += dt.timedelta(seconds=exc.seconds)
            except SignInFailed:
                failed += 1
    with pytest.raises(AccountLocked):
        authentication.sign_in(con.cursor(), "app-mentor", TEST_PASSWORD, address="198.51.100.1", now=dt.datetime.now())
    con.close()

    at = signed_in_app(app_people["admin"], page="app_pages/accounts/manage_accounts.py").run()
    _assert_no_exception(at)
    listed = at.dataframe[0].value.set_index("User name")
    assert listed.loc["app-mentor", "Locked until"] != EMPTY and listed.loc["app-mentor", "Last sign-in"] != EMPTY
    assert int(listed.loc["app-mentor", "Failed sign-ins since"]) >= authentication.LOCK_FAILURES
    assert (listed.loc["app-manager", "Locked until"], listed.loc["app-manager", "Active"]) == (EMPTY, "yes")
    at.selectbox(key="admin.chosen_user").select("app-mentor").run()
    assert any("Sign-in is locked until" in w.value for w in at.warning)
    at.button(key="admin.unlock").click().run()
    _assert_no_exception(at)
    assert "Saved." in [s.value for s in at.success]
    con = db.connect(app_people["db_path"])
    signed_in = authentication.sign_in(con.cursor(), "app-mentor", TEST_PASSWORD, address=None, now=dt.datetime.now())
    con.close()
    assert signed_in.failed_before >= authentication.LOCK_FAILURES  # and its owner is told
    # In Arabic the last sign-in is Babel's Arabic date (with its own direction marks) and the time,
    # isolated in the right-to-left table like the names.
    from incubator.core.i18n import format_date, translate
    from ui.text import isolate

    con = db.connect(app_people["db_path"])
    [last] = [u["last_sign_in_at"] for u in users.list_users(con.cursor(), actor=COMMAND_LINE_ADMIN)
              if u["username"] == "app-mentor"]
    con.close()
    at = signed_in_app(app_people["admin"], lang="ar", page="app_pages/accounts/manage_accounts.py").run()
    arabic = at.dataframe[0].value.set_index(translate("User name", "ar"))
    assert arabic.loc[isolate("app-mentor"), translate("Last sign-in", "ar")] == isolate(
        f"{format_date(last.date(), 'ar')} {last:%H:%M}")
