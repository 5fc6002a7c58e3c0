"""Thirty people at once on every write path of accounts: throttled sign-ins, exactly one first
administrator (with the token), sessions, user names raced by two administrators, identity links."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from incubator.accounts import authentication, identities, passwords, sessions, setup, users
from incubator.core.access import Actor
from incubator.core.errors import SignInDelayed, SignInFailed
from tests.support.app import TEST_PASSWORD
from tests.support.concurrency import THREADS, quick_passwords, run_together  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("quick_passwords")
NOW = dt.datetime(2026, 11, 28, 10, 0)
HOME, ATTACKER = "198.51.100.20", "203.0.113.66"


def audited(cur, action: str) -> int:
    return cur.execute("SELECT count(*) FROM audit_log WHERE action = ?", [action]).fetchone()[0]


def test_thirty_first_administrators_at_once_make_exactly_one_and_only_with_the_token(con, cur, db_path):
    token_file = setup.token_file_for(db_path)
    token = setup.issue_setup_token(cur, token_file)
    # Half of them guessed the token: none of those gets in, whatever the timing.
    outcome = run_together(con, lambda c, i: setup.create_first_admin(
        c, f"founder-{i}", TEST_PASSWORD, setup_token=token if i % 2 else "guessed", token_file=token_file))
    assert outcome.succeeded == 1, outcome.summary()
    assert next(iter(outcome.results)) % 2 == 1
    keys = [e.message_key for e in outcome.domain_errors()]
    assert set(keys) <= {setup.FIRST_ADMIN_EXISTS, setup.WRONG_TOKEN}
    assert keys.count(setup.WRONG_TOKEN) >= 1
    assert cur.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()[0] == 1
    assert cur.execute("SELECT count(*) FROM users").fetchone()[0] == 1
    assert audited(cur, "account.create_first_admin") == 1
    assert cur.execute("SELECT count(*) FROM setup_tokens").fetchone()[0] == 0  # used up


def test_thirty_accounts_created_at_once(con, cur, people):
    admin = people["admin"]
    ids = run_together(con, lambda c, i: users.create_user(
        c, actor=admin, username=f"mentor-{i}", password=TEST_PASSWORD, role="mentor")).all_succeeded()
    assert len(set(ids)) == THREADS
    assert cur.execute("SELECT count(*) FROM users WHERE username LIKE 'mentor-%'").fetchone()[0] == THREADS
    assert audited(cur, "account.create") == len(people) + THREADS


def test_one_user_name_raced_by_thirty_administrators_is_created_once(con, cur, people):
    admin = people["admin"]
    outcome = run_together(con, lambda c, _i: users.create_user(
        c, actor=admin, username="Amal", password=TEST_PASSWORD, role="mentor"))
    assert outcome.succeeded == 1, outcome.summary()
    errors = outcome.domain_errors()
    assert {(e.message_key, e.params["username"]) for e in errors} == {("The user name {username} is taken.", "amal")}
    assert cur.execute("SELECT count(*) FROM users WHERE username = 'amal'").fetchone()[0] == 1


def test_forty_parallel_wrong_guesses_are_throttled_with_no_raw_error(con, cur, people, monkeypatch):
    """The probe of issue 9: 40 parallel attempts were all checked against a limit of 5. Each attempt
    is counted before its check, so no more passwords are checked than one after the other."""
    checked = []
    verify = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda h, p: checked.append(1) or verify(h, p))
    outcome = run_together(con, lambda c, i: authentication.sign_in(
        c, "test-mentor", f"guess number {i}", address=ATTACKER, now=NOW), threads=40)
    errors = outcome.domain_errors()  # a translated message each, never DuckDB's
    kinds = Counter(type(e).__name__ for e in errors)
    assert kinds == {"SignInFailed": authentication.FREE_ATTEMPTS, "SignInDelayed": 40 - authentication.FREE_ATTEMPTS}
    assert len(checked) == authentication.FREE_ATTEMPTS
    failures = cur.execute("SELECT failures FROM sign_in_throttle WHERE address = ? AND name_key = ?",
                           [ATTACKER, authentication.name_key("test-mentor")]).fetchone()[0]
    assert failures == authentication.FREE_ATTEMPTS  # every check was counted, the refused ones were not


def test_the_lock_cannot_be_forced_from_another_address_at_the_same_moment(con, cur, people):
    """Thirty attempts at once: 29 an attacker's wrong guesses, one the real user's right password from
    home. The user gets in, and the attacker's guesses lock nothing. (Attempts are counted before the
    password is checked, so more than FREE_ATTEMPTS simultaneous submits from one address wait a few
    seconds even with the right password: that is what caps parallel guessing.)"""
    user = THREADS // 2

    def attempt(c, i):
        if i != user:
            return authentication.sign_in(c, "test-mentor", "wrong guess", address=ATTACKER, now=NOW)
        return authentication.sign_in(c, "test-mentor", TEST_PASSWORD, address=HOME, now=NOW).actor.user_id

    outcome = run_together(con, attempt)
    assert outcome.results == {user: people["mentor"].user_id}, outcome.summary()
    assert {type(e) for e in outcome.domain_errors()} <= {SignInFailed, SignInDelayed}
    assert len(outcome.domain_errors()) == THREADS - 1
    assert audited(cur, "account.sign_in") == 1
    # Right after, at home, the user gets in again: the attacker's failures did not follow them.
    later = authentication.sign_in(cur, "test-mentor", TEST_PASSWORD, address=HOME, now=NOW)
    assert later.actor.user_id == people["mentor"].user_id


def test_thirty_sessions_started_and_ended_at_once(con, cur, people):
    mentor = people["mentor"]
    tokens = run_together(con, lambda c, _i: sessions.start_session(c, mentor, now=NOW)).all_succeeded()
    assert len(set(tokens)) == THREADS
    later = NOW + sessions.TOUCH_AFTER  # every lookup also marks its session as used

    def use_or_end(c, i):
        if i % 3 == 0:
            return sessions.end_session(c, tokens[i], now=later)
        if i % 3 == 1:  # live, unless a reset at the same moment ended it first (both are right)
            found = sessions.find_session(c, tokens[i], now=later).session
            return found.actor.user_id if found else None
        return users.set_password(c, actor=people["admin"], user_id=mentor.user_id, password=f"new password {i:02d}")

    outcome = run_together(con, use_or_end)
    assert {outcome.all_succeeded()[i] for i in range(1, THREADS, 3)} <= {mentor.user_id, None}
    # Whatever the order, the resets ended every session at last, the signed-out ones included.
    assert cur.execute("SELECT count(*) FROM account_sessions WHERE ended_at IS NULL").fetchone()[0] == 0
    assert audited(cur, "account.set_password") == THREADS // 3


def test_thirty_password_and_role_changes_of_one_account(con, cur, people):
    admin, mentor = people["admin"], people["mentor"]
    run_together(con, lambda c, i: users.set_password(
        c, actor=admin, user_id=mentor.user_id, password=f"new password {i:02d}")).all_succeeded()
    stored = cur.execute("SELECT password_hash FROM users WHERE user_id = ?", [mentor.user_id]).fetchone()[0]
    assert sum(passwords.verify_password(stored, f"new password {i:02d}") for i in range(THREADS)) == 1
    roles = ("mentor", "manager")
    run_together(con, lambda c, i: users.set_role(
        c, actor=admin, user_id=mentor.user_id, role=roles[i % 2])).all_succeeded()
    assert users.get_actor(cur, mentor.user_id).role in roles
    assert audited(cur, "account.set_password") == THREADS
    assert 1 <= audited(cur, "account.set_role") <= THREADS  # a change to the role it has already is none


def test_password_changes_never_undo_a_role_change_made_at_the_same_moment(con, cur, people):
    """Both change the same row: neither may write back what it read before the other saved."""
    admin, mentor = people["admin"], people["mentor"]

    def change(c, i: int) -> None:
        if i % 2:
            users.set_role(c, actor=admin, user_id=mentor.user_id, role="manager")
        else:
            users.set_password(c, actor=admin, user_id=mentor.user_id, password=f"new password {i:02d}")

    run_together(con, change).all_succeeded()
    assert users.get_actor(cur, mentor.user_id).role == "manager"
    stored = cur.execute("SELECT password_hash FROM users WHERE user_id = ?", [mentor.user_id]).fetchone()[0]
    assert sum(passwords.verify_password(stored, f"new password {i:02d}") for i in range(0, THREADS, 2)) == 1


def test_one_new_identity_signing_in_thirty_times_at_once_is_recorded_once(con, cur):
    found = run_together(con, lambda c, _i: identities.actor_for_identity(
        c, "subject-1", "amal@example.org")).all_succeeded()
    assert found == [None] * THREADS
    assert cur.execute("SELECT count(*) FROM oidc_identities").fetchone()[0] == 1


def test_thirty_identities_linked_to_one_existing_account_at_once(con, cur, people):
    admin, mentor = people["admin"], people["mentor"]
    for i in range(THREADS):
        identities.actor_for_identity(cur, f"subject-{i}", None)
    run_together(con, lambda c, i: identities.link_identity_to_account(
        c, actor=admin, subject=f"subject-{i}", user_id=mentor.user_id)).all_succeeded()
    assert cur.execute("SELECT count(DISTINCT user_id), count(*) FROM oidc_identities").fetchone() == (1, THREADS)
    assert users.get_actor(cur, mentor.user_id).role == "mentor"  # linking never changes a role
    assert audited(cur, "account.link_identity") == THREADS


def test_one_identity_linked_by_thirty_administrators_at_once_gets_one_account(con, cur, people):
    admin = people["admin"]
    identities.actor_for_identity(cur, "subject-1", None)
    outcome = run_together(con, lambda c, i: identities.link_identity_to_new_account(
        c, actor=admin, subject="subject-1", username=f"amal-{i}", role="mentor"))
    assert outcome.succeeded == 1, outcome.summary()
    assert {e.message_key for e in outcome.domain_errors()} == {identities.LINKED_ALREADY}
    assert cur.execute("SELECT count(*) FROM users WHERE username LIKE 'amal-%'").fetchone()[0] == 1


def test_thirty_administrators_demoting_each_other_at_once_leave_one(con, cur, people):
    admins = [people["admin"]] + [
        Actor(users.create_user(cur, actor=people["admin"], username=f"admin-{i}", password=None, role="admin"), "admin")
        for i in range(THREADS - 1)]
    outcome = run_together(con, lambda c, i: users.set_role(
        c, actor=admins[i], user_id=admins[(i + 1) % THREADS].user_id, role="mentor"))
    assert {e.message_key for e in outcome.domain_errors()} <= {users.LAST_ADMIN, "You are not allowed to do this."}
    assert cur.execute("SELECT count(*) FROM users WHERE role = 'admin' AND active").fetchone()[0] >= 1


def test_thirty_organisation_sign_ins_of_one_account_at_once_are_each_recorded(con, cur, people):
    """An account linked to an identity signs in from 30 browsers at once: each sign-in is audited and
    starts its own session, the failures before are reported to every one and then reset."""
    mentor = people["mentor"]
    with pytest.raises(SignInFailed):
        authentication.sign_in(cur, "test-mentor", "wrong password", address=ATTACKER, now=NOW)

    def sign_in(c, _i):
        signed_in = authentication.sign_in_with_identity(c, mentor, now=NOW)
        return signed_in.failed_before, sessions.start_session(c, mentor, now=NOW, failed_before=signed_in.failed_before)

    results = run_together(con, sign_in).all_succeeded()
    assert len({token for _, token in results}) == THREADS
    assert {before for before, _ in results} <= {0, 1}
    assert audited(cur, "account.sign_in_identity") == THREADS
    assert authentication.failures_since_sign_in(cur, mentor.user_id) == 0
    assert sessions.live_sessions(cur, mentor.user_id, now=NOW) == THREADS
