"""Thirty people at once on every write path of accounts: sign-ins that count every failure, exactly
one first administrator, user names raced by two administrators, identity-provider subjects."""

from __future__ import annotations

import datetime as dt

import pytest

from incubator.accounts import authentication, identities, passwords, users
from incubator.core.errors import AccountLocked, SignInFailed
from tests.support.app import TEST_PASSWORD
from tests.support.concurrency import THREADS, quick_passwords, run_together  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("quick_passwords")
NOW = dt.datetime(2026, 11, 28, 10, 0)


def audited(cur, action: str) -> int:
    return cur.execute("SELECT count(*) FROM audit_log WHERE action = ?", [action]).fetchone()[0]


def test_thirty_first_administrators_at_once_make_exactly_one(con, cur):
    outcome = run_together(con, lambda c, i: users.create_first_admin(c, f"founder-{i}", TEST_PASSWORD))
    assert outcome.succeeded == 1, outcome.summary()
    assert {e.message_key for e in outcome.domain_errors()} == {"An administrator exists already; sign in instead."}
    assert cur.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()[0] == 1
    assert cur.execute("SELECT count(*) FROM users").fetchone()[0] == 1
    assert audited(cur, "account.create_first_admin") == 1


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


def test_thirty_wrong_passwords_for_one_name_count_every_failure(con, cur, people):
    def wrong(c, _i):
        authentication.sign_in(c, "test-mentor", "wrong password", now=NOW)

    outcome = run_together(con, wrong)
    errors = outcome.domain_errors()
    failed = sum(isinstance(e, SignInFailed) for e in errors)
    locked = sum(isinstance(e, AccountLocked) for e in errors)
    assert failed + locked == THREADS, outcome.summary()
    failures, locked_until = cur.execute(
        "SELECT failures, locked_until FROM sign_in_failures WHERE username = 'test-mentor'").fetchone()
    assert failures == failed  # every failure that was reported was counted: none lost
    assert locked_until == NOW + dt.timedelta(minutes=authentication.LOCK_MINUTES)
    with pytest.raises(AccountLocked):
        authentication.sign_in(cur, "test-mentor", TEST_PASSWORD, now=NOW + dt.timedelta(minutes=1))


def test_four_failures_then_thirty_right_passwords_at_once(con, cur, people):
    for _ in range(authentication.MAX_FAILURES - 1):
        with pytest.raises(SignInFailed):
            authentication.sign_in(cur, "test-mentor", "wrong password", now=NOW)
    actors = run_together(con, lambda c, _i: authentication.sign_in(
        c, "test-mentor", TEST_PASSWORD, now=NOW)).all_succeeded()
    assert {a.user_id for a in actors} == {people["mentor"].user_id}
    assert cur.execute("SELECT count(*) FROM sign_in_failures").fetchone()[0] == 0
    assert audited(cur, "account.sign_in") == THREADS


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
    assert audited(cur, "account.set_password") == audited(cur, "account.set_role") == THREADS


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


def test_thirty_identities_linked_to_one_new_account_at_once(con, cur, people):
    admin = people["admin"]
    for i in range(THREADS):
        identities.actor_for_identity(cur, f"subject-{i}", None)
    user_ids = run_together(con, lambda c, i: identities.link_identity(
        c, actor=admin, subject=f"subject-{i}", username="Amal", role="mentor")).all_succeeded()
    assert len(set(user_ids)) == 1
    assert cur.execute("SELECT count(*) FROM users WHERE username = 'amal'").fetchone()[0] == 1
    assert cur.execute("SELECT count(DISTINCT user_id), count(*) FROM oidc_identities").fetchone() == (1, THREADS)
    assert audited(cur, "account.link_identity") == THREADS
