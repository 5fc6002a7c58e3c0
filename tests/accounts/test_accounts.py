"""Accounts: argon2id hashes, password and user-name rules, roles, the command line's actor, and
organisation sign-ins that cannot take over an account."""

import subprocess
import sys

import argon2
import pytest

from incubator.accounts import identities, passwords, users
from incubator.core.access import COMMAND_LINE_ADMIN, Actor
from incubator.core.errors import NotAllowed, NotFound, ValidationFailed
from tests.support.app import ROOT, TEST_PASSWORD


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


@pytest.mark.parametrize("password", [
    "password1234",       # among the most common passwords
    "qwertyuiop12",       # a keyboard walk
    "aaaaaaaaaaaaaaaa",   # one letter repeated
    "versnelling2026",    # the product's name and a year
    "amal-sara-amal",     # the user name itself
])
def test_guessable_passwords_are_refused_whatever_their_length(cur, people, password):
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(cur, actor=people["admin"], username="amal-sara", password=password, role="mentor")
    assert refused.value.message_key.startswith("This password is easy to guess.")


def test_a_long_password_of_plain_words_needs_no_digits_or_capitals(cur, people):
    # NIST SP 800-63B: length and a guessability check, no composition rules.
    users.create_user(cur, actor=people["admin"], username="amal", password="my tea garden in utrecht", role="mentor")
    with pytest.raises(ValidationFailed) as short:
        users.create_user(cur, actor=people["admin"], username="sara", password="Xq7#vLp2!aZ", role="mentor")
    assert short.value.params == {"count": passwords.MIN_PASSWORD_LENGTH} == {"count": 12}


@pytest.mark.parametrize(("typed", "stored"), [
    ("Test-Mentor ", "test-mentor"),
    ("ＡＭＡＬ", "amal"),           # full-width letters: NFKC
    ("STRASSE-ß", "strasse-ss"),   # case-folded, not only lower-cased
    ("أمل", "أمل"),
    ("мария", "мария"),            # one script, Cyrillic: a Ukrainian newcomer's name
])
def test_user_names_are_normalised(typed, stored):
    assert users.check_username(typed) == stored


@pytest.mark.parametrize(("typed", "message"), [
    ("\u0430dmin", "A user name uses the letters of one alphabet only, for instance Latin or Arabic."),  # Cyrillic а
    ("amal\u0627", "A user name uses the letters of one alphabet only, for instance Latin or Arabic."),
    ("adm\u200bin", "A user name cannot contain the invisible character {character}."),  # zero-width space
    ("admin\u202e", "A user name cannot contain the invisible character {character}."),  # right-to-left override
    ("ad\u2067min", "A user name cannot contain the invisible character {character}."),  # right-to-left isolate
    ("ad\x07min", "A user name cannot contain the invisible character {character}."),
    ("two words", "A user name has 3 to 64 characters and no spaces."),
])
def test_look_alike_and_invisible_user_names_are_refused(cur, people, typed, message):
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(cur, actor=people["admin"], username=typed, password=TEST_PASSWORD, role="mentor")
    assert refused.value.message_key == message


def test_arabic_names_with_vowel_signs_are_one_script():
    assert users.check_username("مُحَمَّد") == "مُحَمَّد"


def test_short_password_and_taken_name_are_refused(cur, people):
    with pytest.raises(ValidationFailed) as short:
        users.create_user(cur, actor=people["admin"], username="new-one", password="short", role="mentor")
    assert short.value.params == {"count": passwords.MIN_PASSWORD_LENGTH}
    with pytest.raises(ValidationFailed):
        users.create_user(cur, actor=people["admin"], username="TEST-MENTOR", password=TEST_PASSWORD, role="mentor")


def test_only_admin_and_the_command_line_manage_accounts(cur, people):
    for role in ("manager", "mentor", "newcomer"):
        with pytest.raises(NotAllowed):
            users.create_user(cur, actor=people[role], username=f"by-{role}", password=TEST_PASSWORD, role="admin")
        with pytest.raises(NotAllowed):
            users.set_password(cur, actor=people[role], user_id=people["admin"].user_id, password="x" * 12)
    users.set_role(cur, actor=people["admin"], user_id=people["mentor"].user_id, role="manager")
    assert users.get_actor(cur, people["mentor"].user_id).role == "manager"
    made = users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="from-the-shell", password=TEST_PASSWORD, role="mentor")
    assert cur.execute("SELECT actor_user_id FROM audit_log WHERE action = 'account.create' AND subject = ?",
                       [f"user:{made}"]).fetchone() == (None,)  # the command line has no account


def test_none_as_actor_is_a_visitor_who_is_not_signed_in_never_no_checks(cur, people):
    with pytest.raises(NotAllowed):
        users.create_user(cur, actor=None, username="sneaky", password=TEST_PASSWORD, role="admin")
    with pytest.raises(NotAllowed):
        users.set_password(cur, actor=None, user_id=people["admin"].user_id, password=TEST_PASSWORD)
    with pytest.raises(NotAllowed):
        users.set_role(cur, actor=None, user_id=people["mentor"].user_id, role="admin")
    with pytest.raises(NotAllowed):
        identities.link_identity_to_new_account(cur, actor=None, subject="x", username="sneaky", role="admin")
    with pytest.raises(NotAllowed):
        users.list_users(cur, actor=None)


def test_the_last_administrator_is_never_demoted(cur, people):
    admin = people["admin"]
    second = Actor(users.create_user(cur, actor=admin, username="second-admin", password=TEST_PASSWORD, role="admin"),
                   "admin", "second-admin")
    users.set_role(cur, actor=second, user_id=admin.user_id, role="manager")
    with pytest.raises(ValidationFailed) as last:
        users.set_role(cur, actor=COMMAND_LINE_ADMIN, user_id=second.user_id, role="mentor")
    assert last.value.message_key == users.LAST_ADMIN
    with pytest.raises(ValidationFailed):
        users.set_role(cur, actor=COMMAND_LINE_ADMIN, user_id=second.user_id, role="admin", active=False)
    assert users.get_actor(cur, second.user_id).role == "admin"


def test_reset_password_and_deactivate(cur, people):
    admin, mentor = people["admin"], people["mentor"]
    users.set_password(cur, actor=admin, user_id=mentor.user_id, password="another long one")
    stored = cur.execute("SELECT password_hash FROM users WHERE user_id = ?", [mentor.user_id]).fetchone()[0]
    assert passwords.verify_password(stored, "another long one")
    users.set_role(cur, actor=admin, user_id=mentor.user_id, role="mentor", active=False)
    assert users.get_actor(cur, mentor.user_id) is None
    with pytest.raises(NotFound):
        users.set_password(cur, actor=admin, user_id=9999, password="another long one")


# Organisation sign-in (OpenID Connect): a link is an administrator's explicit choice.

def test_identity_provider_subject_waits_for_a_role(cur, people):
    subject = identities.subject_of("https://idp.example", "42")
    assert identities.actor_for_identity(cur, subject, "amal@example.org") is None
    user_id = identities.link_identity_to_new_account(cur, actor=people["admin"], subject=subject, username="amal",
                                                      role="mentor")
    linked = identities.actor_for_identity(cur, subject, "amal@example.org")
    assert (linked.user_id, linked.username, linked.role) == (user_id, "amal", "mentor")


def test_an_identity_named_like_the_administrator_cannot_take_over_the_account(cur, people):
    """The probe of issue 9: an outsider whose e-mail address is admin@... signs in through the identity
    provider. Before, one click linked them to the account named 'admin' and gave it their role."""
    admin = people["admin"]
    outsider = identities.subject_of("https://idp.example", "outsider")
    identities.actor_for_identity(cur, outsider, f"{admin.username}@evil.example")
    # A new account under the administrator's name is refused: that name is taken.
    with pytest.raises(ValidationFailed) as taken:
        identities.link_identity_to_new_account(cur, actor=admin, subject=outsider, username=admin.username,
                                                role="newcomer")
    assert taken.value.message_key == "The user name {username} is taken."
    assert users.get_actor(cur, admin.user_id).role == "admin"
    assert identities.actor_for_identity(cur, outsider, None) is None
    # Linked to an existing account by an explicit choice, the account keeps its own role.
    identities.link_identity_to_account(cur, actor=admin, subject=outsider, user_id=people["newcomer"].user_id)
    assert identities.actor_for_identity(cur, outsider, None).role == "newcomer"
    with pytest.raises(ValidationFailed) as again:
        identities.link_identity_to_account(cur, actor=admin, subject=outsider, user_id=admin.user_id)
    assert again.value.message_key == identities.LINKED_ALREADY
    assert identities.actor_for_identity(cur, outsider, None).user_id == people["newcomer"].user_id
    actions = [row[0] for row in cur.execute("SELECT action FROM audit_log WHERE action LIKE '%identity%'").fetchall()]
    assert actions == ["account.link_identity"]


def test_linking_needs_a_chosen_account_and_unlinking_is_audited(cur, people):
    admin = people["admin"]
    subject = identities.subject_of("https://idp.example", "7")
    identities.actor_for_identity(cur, subject, None)
    with pytest.raises(ValidationFailed) as unchosen:
        identities.link_identity_to_account(cur, actor=admin, subject=subject, user_id=None)
    assert unchosen.value.message_key == identities.CHOOSE_ACCOUNT
    identities.link_identity_to_account(cur, actor=admin, subject=subject, user_id=people["mentor"].user_id)
    identities.unlink_identity(cur, actor=admin, subject=subject)
    assert identities.actor_for_identity(cur, subject, None) is None
    assert cur.execute("SELECT count(*) FROM audit_log WHERE action = 'account.unlink_identity'").fetchone()[0] == 1


def test_the_same_subject_from_two_providers_is_two_identities():
    assert identities.subject_of("https://a.example", "42") != identities.subject_of("https://b.example", "42")
    assert identities.subject_of("https://a.example", "") is None
