"""Domain errors. Each carries an English message key (a msgid of the catalogues) and the values
that fill it, so the interface can show it in the user's language."""

from __future__ import annotations

from incubator.i18n import N_


class DomainError(Exception):
    """Base of every error a user may be shown."""

    default_key = N_("Something went wrong.")

    def __init__(self, message_key: str | None = None, **params: object) -> None:
        self.message_key = message_key or self.default_key
        self.params = params
        super().__init__(self.english())

    def english(self) -> str:
        """The message in English, for the command line and the logs."""
        try:
            return self.message_key.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.message_key


class NotAllowed(DomainError):
    default_key = N_("You are not allowed to do this.")


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
    default_key = N_("Too many failed attempts. Try again in {minutes} minutes.")
