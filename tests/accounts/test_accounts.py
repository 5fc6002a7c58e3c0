"""Accounts: argon2id hashes, sign-in, rate limiting, session expiry, roles."""

import datetime as dt
import subprocess
import sys

import argon2
import pytest

from incubator.accounts import authentication, identities, passwords, users
from incubator.core.errors import AccountLocked, NotAllowed, SignInFailed, ValidationFailed
from incubator.core.i18n import translate
from tests.support.app import ROOT, TEST_PASSWORD

NOW = dt.datetime(2026, 11, 28, 10, 0)


def test_password_is_stored_as_argon2id_hash_never_in_clear(cur, people):
    stored = cur.execute("SELECT password_hash FROM users WHERE username = 'test-mentor'").fetchone()[0]
    assert stored.startswith("$argon2id$")
    assert TEST_PASSWORD not in stored
    assert passwords.verify_password(stored, TEST_PASSWORD)
    assert not passwords.verify_password(stored, TEST_PASSWORD + "!")


def test_production_hashes_are_strong_and_both_parameter_sets_verify_each_other(cheap_password_hashes):
    # A fresh interpreter without the tests' fixtures hashes as the app and the command line do.
    made = subprocess.run([sys.executable, "-c", "from incubator.accounts import passwords; "
                           f"print(passwords.hash_password({TEST_PASSWORD!r}))"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    strong = made.stdout.strip()
    production = argon2.extract_parameters(strong)
    assert production.type is argon2.Type.ID
    # At least RFC 9106's second recommendation (64 MiB, 3 passes), argon2-cffi's default.
    assert production.memory_cost >= 65536 and production.time_cost >= 3 and production.parallelism >= 1
    # The tests hash cheaply, and each kind of hash verifies under the other kind of hasher.
    cheap = passwords.hash_password(TEST_PASSWORD)
    assert argon2.extract_parameters(cheap).memory_cost == cheap_password_hashes.memory_cost < production.memory_cost
    assert passwords.verify_password(strong, TEST_PASSWORD) and not passwords.verify_password(strong, "wrong password")
    assert argon2.PasswordHasher().verify(cheap, TEST_PASSWORD)


def test_sign_in_returns_the_actor_with_its_role(cur, people):
    actor = authentication.sign_in(cur, "Test-Mentor ", TEST_PASSWORD, now=NOW)
    assert (actor.user_id, actor.role) == (people["mentor"].user_id, "mentor")


def test_wrong_password_and_unknown_user_fail_alike(cur, people):
    with pytest.raises(SignInFailed):
        authentication.sign_in(cur, "test-mentor", "wrong password", now=NOW)
    with pytest.raises(SignInFailed):
        authentication.sign_in(cur, "nobody-here", "wrong password", now=NOW)


def test_five_failures_lock_the_name_then_the_lock_runs_out(cur, people):
    for _ in range(authentication.MAX_FAILURES):
        with pytest.raises(SignInFailed):
            authentication.sign_in(cur, "test-mentor", "wrong password", now=NOW)
    with pytest.raises(AccountLocked) as locked:
        authentication.sign_in(cur, "test-mentor", TEST_PASSWORD, now=NOW + dt.timedelta(minutes=1))
    assert locked.value.params["minutes"] == authentication.LOCK_MINUTES
    assert locked.value.english() == f"Too many failed attempts. Try again in {authentication.LOCK_MINUTES} minutes."
    with pytest.raises(AccountLocked) as last_minute:  # half a minute left: "1 minute", in every language
        authentication.sign_in(cur, "test-mentor", TEST_PASSWORD, now=NOW + dt.timedelta(minutes=authentication.LOCK_MINUTES, seconds=-30))
    assert last_minute.value.english() == "Too many failed attempts. Try again in 1 minute."
    assert translate(last_minute.value.message_key, "ar", **last_minute.value.params).endswith("بعد دقيقة واحدة.")
    assert translate(last_minute.value.message_key, "nl", **last_minute.value.params).endswith("over 1 minuut opnieuw.")
    later = NOW + dt.timedelta(minutes=authentication.LOCK_MINUTES + 1)
    assert authentication.sign_in(cur, "test-mentor", TEST_PASSWORD, now=later).role == "mentor"


def test_success_resets_the_failure_count(cur, people):
    for _ in range(authentication.MAX_FAILURES - 1):
        with pytest.raises(SignInFailed):
            authentication.sign_in(cur, "test-mentor", "wrong password", now=NOW)
    authentication.sign_in(cur, "test-mentor", TEST_PASSWORD, now=NOW)
    with pytest.raises(SignInFailed):
        authentication.sign_in(cur, "test-mentor", "wrong password", now=NOW)
    assert authentication.sign_in(cur, "test-mentor", TEST_PASSWORD, now=NOW).role == "mentor"


def test_session_expires_after_idle_time():
    assert not authentication.session_expired(NOW, now=NOW + dt.timedelta(minutes=authentication.SESSION_IDLE_MINUTES - 1))
    assert authentication.session_expired(NOW, now=NOW + dt.timedelta(minutes=authentication.SESSION_IDLE_MINUTES + 1))


def test_first_admin_only_once(cur):
    assert not users.has_admin(cur)
    users.create_first_admin(cur, "boss", TEST_PASSWORD)
    assert users.has_admin(cur)
    with pytest.raises(ValidationFailed):
        users.create_first_admin(cur, "second", TEST_PASSWORD)


def test_short_password_and_taken_name_are_refused(cur, people):
    with pytest.raises(ValidationFailed) as short:
        users.create_user(cur, actor=people["admin"], username="new-one", password="short", role="mentor")
    assert short.value.params == {"count": passwords.MIN_PASSWORD_LENGTH}
    with pytest.raises(ValidationFailed):
        users.create_user(cur, actor=people["admin"], username="TEST-MENTOR", password=TEST_PASSWORD, role="mentor")


def test_only_admin_manages_accounts(cur, people):
    for role in ("manager", "mentor", "newcomer"):
        with pytest.raises(NotAllowed):
            users.create_user(cur, actor=people[role], username=f"by-{role}", password=TEST_PASSWORD, role="admin")
        with pytest.raises(NotAllowed):
            users.set_password(cur, actor=people[role], user_id=people["admin"].user_id, password="x" * 12)
    users.set_role(cur, actor=people["admin"], user_id=people["mentor"].user_id, role="manager")
    assert users.get_actor(cur, people["mentor"].user_id).role == "manager"


def test_reset_password_and_deactivate(cur, people):
    admin, mentor = people["admin"], people["mentor"]
    users.set_password(cur, actor=admin, user_id=mentor.user_id, password="another long one")
    assert authentication.sign_in(cur, "test-mentor", "another long one", now=NOW).user_id == mentor.user_id
    users.set_role(cur, actor=admin, user_id=mentor.user_id, role="mentor", active=False)
    assert users.get_actor(cur, mentor.user_id) is None
    with pytest.raises(SignInFailed):
        authentication.sign_in(cur, "test-mentor", "another long one", now=NOW)


def test_identity_provider_subject_waits_for_a_role(cur, people):
    assert identities.actor_for_identity(cur, "oidc|42", "amal@example.org") is None
    identities.link_identity(cur, actor=people["admin"], subject="oidc|42", username="amal", role="mentor")
    linked = identities.actor_for_identity(cur, "oidc|42", "amal@example.org")
    assert (linked.username, linked.role) == ("amal", "mentor")


def test_audit_log_records_actions_without_passwords(cur, people):
    authentication.sign_in(cur, "test-mentor", TEST_PASSWORD, now=NOW)
    rows = cur.execute("SELECT action, subject FROM audit_log").fetchall()
    assert ("account.sign_in", f"user:{people['mentor'].user_id}") in rows
    assert all(TEST_PASSWORD not in str(row) for row in rows)
