"""Signing in: throttling per name and address that an outsider cannot turn against a user, the same
answer (and the same work) for names without an account, server-side sessions and their ends, and the
setup token of a fresh installation."""

import datetime as dt
import os
import stat

import pytest
from argon2 import PasswordHasher

from incubator.accounts import authentication, passwords, sessions, setup, users
from incubator.core.errors import AccountLocked, SignInDelayed, SignInFailed, ValidationFailed
from incubator.core.i18n import translate
from tests.support.app import TEST_PASSWORD

NOW = dt.datetime(2026, 11, 28, 10, 0)
HOME, ATTACKER = "198.51.100.20", "203.0.113.66"


def sign_in(cur, name, password, *, address=HOME, now=NOW):
    return authentication.sign_in(cur, name, password, address=address, now=now)


def fail(cur, name, *, address, now=NOW):
    with pytest.raises(SignInFailed):
        sign_in(cur, name, "wrong password", address=address, now=now)


def test_sign_in_returns_the_actor_with_its_role(cur, people):
    signed_in = sign_in(cur, "Test-Mentor ", TEST_PASSWORD)
    assert (signed_in.actor.user_id, signed_in.actor.role, signed_in.failed_before) == (
        people["mentor"].user_id, "mentor", 0)


def test_wrong_password_and_unknown_user_fail_alike(cur, people):
    fail(cur, "test-mentor", address=HOME)
    fail(cur, "nobody-here", address=HOME)


def test_failures_from_one_address_bring_a_growing_delay_there_only(cur, people):
    for _ in range(authentication.FREE_ATTEMPTS):
        fail(cur, "test-mentor", address=ATTACKER)
    with pytest.raises(SignInDelayed) as waiting:
        sign_in(cur, "test-mentor", TEST_PASSWORD, address=ATTACKER, now=NOW + dt.timedelta(seconds=1))
    assert waiting.value.params == {"seconds": authentication.FIRST_DELAY_SECONDS - 1} and waiting.value.seconds == 4
    assert translate(waiting.value.message_key, "nl", **waiting.value.params) == (
        "Te veel mislukte pogingen. Probeer het over 4 seconden opnieuw.")
    # The real user at home is not slowed down at all.
    assert sign_in(cur, "test-mentor", TEST_PASSWORD, address=HOME).actor.role == "mentor"
    # The delay doubles with each further failure from the attacker's address.
    later = NOW + dt.timedelta(seconds=authentication.FIRST_DELAY_SECONDS)
    fail(cur, "test-mentor", address=ATTACKER, now=later)
    with pytest.raises(SignInDelayed) as longer:
        sign_in(cur, "test-mentor", TEST_PASSWORD, address=ATTACKER, now=later)
    assert longer.value.params == {"seconds": 2 * authentication.FIRST_DELAY_SECONDS}


def test_one_outsider_cannot_lock_the_user_out_however_often_they_try(cur, people):
    """The probe of issue 9: five wrong passwords from anywhere locked the real user out for 15 minutes."""
    moment = NOW
    for _ in range(authentication.LOCK_FAILURES + 20):
        try:
            sign_in(cur, "test-mentor", "wrong password", address=ATTACKER, now=moment)
        except SignInDelayed as exc:
            moment += dt.timedelta(seconds=exc.seconds)
        except (SignInFailed, AccountLocked):
            moment += dt.timedelta(seconds=1)
    assert sign_in(cur, "test-mentor", TEST_PASSWORD, address=HOME, now=moment).actor.role == "mentor"


def test_many_failures_from_many_addresses_lock_the_account_and_an_admin_lifts_the_lock(cur, people):
    addresses = [f"203.0.113.{n}" for n in range(authentication.LOCK_ADDRESSES)]
    per_address = -(-authentication.LOCK_FAILURES // len(addresses))
    moment = NOW
    for address in addresses:
        failed = 0
        while failed < per_address:
            try:
                sign_in(cur, "test-mentor", "wrong password", address=address, now=moment)
            except SignInDelayed as exc:  # this address waits; the attempt was not counted
                moment += dt.timedelta(seconds=exc.seconds)
            except SignInFailed:
                failed += 1
    with pytest.raises(AccountLocked) as locked:
        sign_in(cur, "test-mentor", TEST_PASSWORD, address=HOME, now=moment)
    assert locked.value.params == {"minutes": authentication.LOCK_MINUTES}
    [row] = [u for u in users.list_users(cur, actor=people["admin"], now=moment) if u["username"] == "test-mentor"]
    assert moment < row["locked_until"] <= moment + dt.timedelta(minutes=authentication.LOCK_MINUTES)
    assert row["failures_since_sign_in"] >= authentication.LOCK_FAILURES
    authentication.unlock(cur, actor=people["admin"], user_id=people["mentor"].user_id)
    signed_in = sign_in(cur, "test-mentor", TEST_PASSWORD, address=HOME, now=moment)
    assert signed_in.failed_before >= authentication.LOCK_FAILURES  # the owner is told
    actions = {a for (a,) in cur.execute("SELECT DISTINCT action FROM audit_log").fetchall()}
    assert {"account.locked", "account.unlock", "account.sign_in_failed", "account.sign_in"} <= actions


def test_names_without_an_account_leave_no_lasting_row_and_get_the_same_answers(cur, people):
    for n in range(50):
        fail(cur, f"nobody-{n}", address=ATTACKER)
    assert cur.execute("SELECT count(*) FROM account_sign_ins").fetchone()[0] == 0
    # Throttle rows hold a hash of the name typed, never the name, and are forgotten after a day.
    assert cur.execute("SELECT count(*) FROM sign_in_throttle WHERE name_key LIKE 'nobody%'").fetchone()[0] == 0
    sign_in(cur, "test-mentor", TEST_PASSWORD, now=NOW + authentication.FORGET_AFTER + dt.timedelta(minutes=1))
    assert cur.execute("SELECT count(*) FROM sign_in_throttle WHERE address = ?", [ATTACKER]).fetchone()[0] == 0
    # A known and an unknown name are delayed alike after the same failures.
    answers = {}
    for name in ("test-manager", "nobody-else"):
        for _ in range(authentication.FREE_ATTEMPTS):
            fail(cur, name, address=ATTACKER)
        with pytest.raises(SignInDelayed) as waiting:
            sign_in(cur, name, "wrong password", address=ATTACKER)
        answers[name] = waiting.value.seconds
    assert answers["test-manager"] == answers["nobody-else"]


def test_sign_ins_are_audited_without_the_password_or_a_typed_name(cur, people):
    sign_in(cur, "test-mentor", TEST_PASSWORD)
    fail(cur, "test-mentor", address=HOME)
    fail(cur, "my-secret-typed-as-name", address=HOME)
    rows = cur.execute("SELECT actor_user_id, action, subject FROM audit_log WHERE action LIKE 'account.sign_in%'"
                       " ORDER BY entry_id").fetchall()
    mentor = people["mentor"].user_id
    assert rows == [(mentor, "account.sign_in", f"user:{mentor}"), (None, "account.sign_in_failed", f"user:{mentor}"),
                    (None, "account.sign_in_failed", None)]
    assert not any(TEST_PASSWORD in str(row) or "my-secret" in str(row) for row in rows)


class CountingHasher(PasswordHasher):
    """Real argon2id that counts its verifications: the work a sign-in does, which is what its answer
    time is made of (the times themselves are measured by benchmarks/bench_sign_in.py, not asserted)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified = 0

    def verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
        self.verified += 1
        return super().verify(hash, password)


def test_unknown_names_and_accounts_without_a_password_do_the_same_hash_work(cur, people, monkeypatch):
    """The probe of issue 9: 980 ms for a real account, 34 ms for an unknown one, because an unknown name
    skipped the hash. Now each wrong attempt runs exactly one argon2 verification, with the parameters
    of the hashes stored, whatever the name."""
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", hasher)
    users.set_password(cur, actor=people["admin"], user_id=people["mentor"].user_id, password=TEST_PASSWORD)
    identities_only = users.create_user(cur, actor=people["admin"], username="sso-only", password=None, role="mentor")
    assert cur.execute("SELECT password_hash FROM users WHERE user_id = ?", [identities_only]).fetchone() == (None,)
    work = {}
    for n, name in enumerate(("test-mentor", "nobody-at-all", "sso-only")):
        before = hasher.verified
        fail(cur, name, address=f"192.0.2.{n}")
        work[name] = hasher.verified - before
    assert work == {"test-mentor": 1, "nobody-at-all": 1, "sso-only": 1}


# Sessions

def test_a_session_lives_until_idle_or_absolute_end_and_stores_only_a_hash(cur, people):
    token = sessions.start_session(cur, people["mentor"], now=NOW)
    assert cur.execute("SELECT count(*) FROM account_sessions WHERE token_hash = ?", [token]).fetchone()[0] == 0
    assert sessions.find_session(cur, token, now=NOW).session.actor == people["mentor"]
    # Used every 20 minutes: alive until the absolute end.
    moment = NOW
    while moment + dt.timedelta(minutes=20) < NOW + dt.timedelta(hours=sessions.SESSION_ABSOLUTE_HOURS):
        moment += dt.timedelta(minutes=20)
        assert sessions.find_session(cur, token, now=moment).session is not None
    end = sessions.find_session(cur, token, now=NOW + dt.timedelta(hours=sessions.SESSION_ABSOLUTE_HOURS))
    assert end == sessions.Found(None, timed_out=True)
    idle_token = sessions.start_session(cur, people["mentor"], now=NOW)
    later = NOW + dt.timedelta(minutes=sessions.SESSION_IDLE_MINUTES + 1)
    assert sessions.find_session(cur, idle_token, now=later) == sessions.Found(None, timed_out=True)
    assert sessions.find_session(cur, idle_token, now=NOW).session is None  # ended for good
    assert sessions.find_session(cur, "not a token", now=NOW).session is None
    assert sessions.find_session(cur, None, now=NOW).session is None


def test_sign_out_password_reset_role_change_and_deactivation_end_sessions(cur, people):
    admin, mentor = people["admin"], people["mentor"]
    now = dt.datetime.now()

    def live(token):
        return sessions.find_session(cur, token, now=now).session is not None

    phone, laptop = (sessions.start_session(cur, mentor, now=now) for _ in range(2))
    sessions.end_session(cur, phone, now=now)
    assert (live(phone), live(laptop)) == (False, True)
    # Changing one's own password keeps the browser where it was changed, ends the others.
    tablet = sessions.start_session(cur, mentor, now=now)
    kept = sessions.find_session(cur, laptop, now=now).session.session_id
    users.set_password(cur, actor=mentor, user_id=mentor.user_id, password="a brand new password", keep_session_id=kept)
    assert (live(laptop), live(tablet)) == (True, False)
    # An administrator's reset ends them all.
    users.set_password(cur, actor=admin, user_id=mentor.user_id, password="another new password", keep_session_id=kept)
    assert not live(laptop)
    again = sessions.start_session(cur, mentor, now=now)
    users.set_role(cur, actor=admin, user_id=mentor.user_id, role="manager")
    assert not live(again)
    again = sessions.start_session(cur, users.get_actor(cur, mentor.user_id), now=now)
    users.set_role(cur, actor=admin, user_id=mentor.user_id, role="manager", active=False)
    assert not live(again)
    reasons = {r for (r,) in cur.execute("SELECT DISTINCT end_reason FROM account_sessions").fetchall()}
    assert reasons == {"signed_out", "password_changed", "role_changed", "deactivated"}
    assert cur.execute("SELECT count(*) FROM audit_log WHERE action = 'account.sign_out'").fetchone()[0] == 1


# The setup token of a fresh installation

def test_the_first_administrator_needs_the_setup_token_from_the_file_beside_the_database(cur, db_path):
    token_file = setup.token_file_for(db_path)
    assert token_file == db_path.with_name("incubator.duckdb.setup-token")
    token = setup.issue_setup_token(cur, token_file)
    assert token_file.read_text().strip() == token
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600  # only the server's account reads it
    assert cur.execute("SELECT count(*) FROM setup_tokens WHERE token_hash = ?", [token]).fetchone()[0] == 0
    with pytest.raises(ValidationFailed) as wrong:
        setup.create_first_admin(cur, "boss", TEST_PASSWORD, setup_token="a guess", token_file=token_file)
    assert wrong.value.params == {"file": str(token_file)}
    assert not users.has_admin(cur)
    admin = setup.create_first_admin(cur, "boss", TEST_PASSWORD, setup_token=f" {token}\n", token_file=token_file)
    assert (admin.username, admin.role) == ("boss", "admin")
    assert not token_file.exists()
    with pytest.raises(ValidationFailed) as later:
        setup.create_first_admin(cur, "second", TEST_PASSWORD, setup_token=token, token_file=token_file)
    assert later.value.message_key == setup.FIRST_ADMIN_EXISTS
    # A restart with an administrator issues no token.
    assert setup.issue_setup_token(cur, token_file) is None and not token_file.exists()


def test_a_restart_before_setup_replaces_the_token(cur, db_path):
    token_file = setup.token_file_for(db_path)
    first = setup.issue_setup_token(cur, token_file)
    second = setup.issue_setup_token(cur, token_file)
    assert first != second and token_file.read_text().strip() == second
    with pytest.raises(ValidationFailed):
        setup.create_first_admin(cur, "boss", TEST_PASSWORD, setup_token=first, token_file=token_file)
    assert [p.name for p in db_path.parent.iterdir() if "setup-token" in p.name] == [token_file.name]
