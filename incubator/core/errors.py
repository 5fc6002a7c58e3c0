"""Domain errors. Each carries an English message key (a msgid of the catalogues) and the values
that fill it, so the interface can show it in the user's language."""

from __future__ import annotations

import logging
import secrets
import traceback
from dataclasses import dataclass

from incubator.core.i18n import N_, N_plural, Plural

UNEXPECTED = N_(
    "Something went wrong on our side. What you saved before is safe. If it happens again, give this code "
    "to your programme's administrator: {reference}."
)


class DomainError(Exception):
    """Base of every error a user may be shown."""

    default_key = N_("Something went wrong.")

    def __init__(self, message_key: str | Plural | None = None, **params: object) -> None:
        self.message_key = message_key or self.default_key
        self.params = params
        super().__init__(self.english())

    def english(self) -> str:
        """The message in English, for the command line and the logs."""
        try:
            return self.message_key.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.message_key if isinstance(self.message_key, str) else self.message_key.plural


@dataclass(frozen=True)
class Refusal:
    """What a refused attempt was, for the audit log: who (None: not signed in), which permission, on
    which record (`participant:P-000123`, or None for a permission asked in general)."""

    actor_user_id: int | None
    permission: str
    subject: str | None


class NotAllowed(DomainError):
    """A refused attempt. `refusal` says what was refused; the place where the error leaves the domain
    records it in the audit log (incubator.core.audit.refusals_recorded)."""

    default_key = N_("You are not allowed to do this.")

    def __init__(self, message_key: str | None = None, *, refusal: Refusal | None = None, **params: object) -> None:
        super().__init__(message_key, **params)
        self.refusal = refusal
        self.recorded = False


class NotFound(DomainError):
    default_key = N_("This record does not exist.")


class ValidationFailed(DomainError):
    default_key = N_("The input is not valid.")


class ImportRejected(DomainError):
    default_key = N_("The file was rejected; nothing was saved.")


class DatabaseLocked(DomainError):
    default_key = N_(
        "The database file {path} is in use by another program. Close the other Versnelling "
        "window or command that uses it, then try again."
    )

    def __init__(self, path: str) -> None:
        super().__init__(None, path=path)


class SignInFailed(DomainError):
    default_key = N_("The user name or password is not correct.")


class AccountLocked(DomainError):
    default_key = N_plural("Too many failed attempts. Try again in {minutes} minute.",
                           "Too many failed attempts. Try again in {minutes} minutes.", number="minutes")


class SignInDelayed(DomainError):
    """Too many failed sign-ins of one name from one address: wait a little (the same name elsewhere
    is not slowed down). Said in seconds under a minute, else in minutes; `seconds` is exact."""

    default_key = N_plural("Too many failed attempts. Try again in {seconds} second.",
                           "Too many failed attempts. Try again in {seconds} seconds.", number="seconds")

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        if seconds < 60:
            super().__init__(None, seconds=seconds)
        else:
            super().__init__(AccountLocked.default_key, minutes=-(-seconds // 60))


class ConcurrentChange(DomainError):
    default_key = N_("Someone else changed this at the same moment. Nothing of yours was saved; please try again.")


def report_unexpected(exc: BaseException, logger: logging.Logger) -> str:
    """Log an unexpected error and return a short reference to find it in the log.

    The log gets the error's type and where it happened (file, line, function), never its message or
    values: a database error can quote the name or note it failed on, and those are personal data."""
    reference = "E-" + secrets.token_hex(4)
    frames = "; ".join(f"{frame.filename}:{frame.lineno} in {frame.name}"
                       for frame in traceback.extract_tb(exc.__traceback__))
    kind = type(exc)
    logger.error("unexpected error %s: %s.%s at %s", reference, kind.__module__, kind.__qualname__, frames or "?")
    return reference
