"""Passwords: argon2id hashes and the rules a new password must meet (NIST SP 800-63B: a minimum
length and a check against common and guessable passwords, no composition rules)."""

from __future__ import annotations

import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from incubator.core.errors import ValidationFailed
from incubator.core.i18n import N_

MIN_PASSWORD_LENGTH = 12
# argon2 takes any length, but a megabyte "password" would make every sign-in costly.
MAX_PASSWORD_LENGTH = 256
# zxcvbn's score from 0 (among the most common passwords) to 4; 3 means "safely unguessable: moderate
# protection from an offline attack" (about 10^8 guesses and more).
MIN_GUESSABILITY_SCORE = 3
# zxcvbn refuses longer input; a password that long is past every list it knows anyway.
_ZXCVBN_MAX_LENGTH = 72
# Words a guesser tries first here: the product and what an incubator's staff would choose.
_CONTEXT_WORDS = ("versnelling", "incubator", "newcomer", "mentor", "manager", "admin", "nieuwkomer", "statushouder")

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_dummy_lock = threading.Lock()
_dummy: tuple[PasswordHasher, str] | None = None


def spend_verify_time(password: str) -> None:
    """Do the work of one `verify_password` for a name without an account (or without a password),
    so that the answer takes as long as for a real account and does not tell which names exist. The
    hash is made once per hasher, with its parameters, from a random secret nobody knows."""
    global _dummy
    with _dummy_lock:
        if _dummy is None or _dummy[0] is not _hasher:
            _dummy = (_hasher, _hasher.hash(secrets.token_urlsafe(16)))
        dummy_hash = _dummy[1]
    verify_password(dummy_hash, password)


def check_new_password(password: str, *, username: str = "") -> None:
    """Refuse a password shorter than MIN_PASSWORD_LENGTH, longer than MAX_PASSWORD_LENGTH, or easy to
    guess: common, a keyboard walk, a repeated pattern, a date, or built on the user name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(N_("A password needs at least {count} characters."), count=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed(N_("A password has at most {count} characters."), count=MAX_PASSWORD_LENGTH)
    inputs = [word for word in (username, *_CONTEXT_WORDS) if word]
    if zxcvbn(password[:_ZXCVBN_MAX_LENGTH], user_inputs=inputs)["score"] < MIN_GUESSABILITY_SCORE:
        raise ValidationFailed(N_("This password is easy to guess. Choose a longer one, for instance a few "
                                  "words of your own."))
