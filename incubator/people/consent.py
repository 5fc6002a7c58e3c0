"""Consent: what a participant agreed to, for which purpose, after which notice, given and withdrawn
when, recorded by whom and how.

One model for every purpose (Primero's consent per purpose of processing): taking part in the
programme, sharing with the municipality, sharing with one linked stakeholder (the programme's
stakeholder links are consents of this purpose), and anonymised research (the outcomes that retrain
the model). A consent is a row of `consents`; a withdrawal closes the open row. Processing for a
purpose checks here (`has_consent`, `CONSENTED_SQL`) and stops the moment the consent is withdrawn.

The notice the person is shown is versioned: a consent records the version they read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from incubator.core.access import Actor, require
from incubator.core.audit import audit
from incubator.core.db import claim, retrying, transaction
from incubator.core.errors import ValidationFailed
from incubator.core.i18n import N_
from incubator.people.participants import get_participant

PURPOSES = {
    "programme": N_("Take part in the programme"),
    "municipality": N_("Share my progress with the municipality"),
    "stakeholder": N_("Share my milestones and notes with one person I choose"),
    "research": N_("Use my results, without my name, to improve the suggestions"),
}
METHODS = {
    "in_person": N_("Said yes in a conversation"),
    "signed_form": N_("Signed a consent form"),
    "in_app": N_("Gave consent in the app"),
}
# The privacy notice: its version is recorded with every consent. Change the text, change the version.
NOTICE_VERSION = "2026-12"
NOTICE = (
    N_("This is how we use your information."),
    N_("We keep your name, your skills, your plans, your notes and your results. We need them to help you "
       "start your business."),
    N_("We never ask for your nationality, your origin or your religion."),
    N_("Your mentor and the programme manager can see your information. Nobody else can, unless you say yes."),
    N_("You choose what you share. You can say yes to each purpose below, and you can say no again at any time."),
    N_("You can download everything we keep about you. You can ask us to correct it or to delete it."),
    N_("When you leave the programme, we delete your information after the period set by the programme."),
)
ONLY_IN_APP = N_("You give or withdraw your own consent in the app.")
UNKNOWN_PURPOSE = N_("{purpose} is not a purpose of consent.")
STAKEHOLDER_NEEDED = N_("Sharing with a person needs that person's account.")


def consented_sql(purpose: str) -> str:
    """A subquery of the participant ids with an open consent for `purpose` (for other parts' queries)."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return f"SELECT participant_id FROM consents WHERE purpose = '{purpose}' AND withdrawn_at IS NULL"


@dataclass(frozen=True)
class Consent:
    consent_id: int
    purpose: str
    stakeholder_user_id: int | None
    stakeholder: str | None
    notice_version: str | None
    given_at: dt.datetime
    given_method: str
    given_by: str | None
    withdrawn_at: dt.datetime | None
    withdrawn_method: str | None
    withdrawn_by: str | None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


def has_consent(cur: duckdb.DuckDBPyConnection, participant_id: str, purpose: str,
                stakeholder_user_id: int | None = None) -> bool:
    """Whether the participant's consent for the purpose (and stakeholder) is given and not withdrawn."""
    return cur.execute(
        "SELECT 1 FROM consents WHERE participant_id = ? AND purpose = ? AND withdrawn_at IS NULL"
        " AND stakeholder_user_id IS NOT DISTINCT FROM ?", [participant_id, purpose, stakeholder_user_id]
    ).fetchone() is not None


def _check(actor: Actor, purpose: str, method: str, stakeholder_user_id: int | None) -> None:
    if purpose not in PURPOSES:
        raise ValidationFailed(UNKNOWN_PURPOSE, purpose=purpose)
    if (purpose == "stakeholder") != (stakeholder_user_id is not None):
        raise ValidationFailed(STAKEHOLDER_NEEDED)
    if method not in METHODS:
        raise ValidationFailed()
    # A newcomer says yes or no on their own screen; anyone else records what the person said or signed.
    if (actor.role == "newcomer") != (method == "in_app"):
        raise ValidationFailed(ONLY_IN_APP) if actor.role == "newcomer" else ValidationFailed()


_AUDIT_ACTIONS = {"stakeholder": ("stakeholder.link", "stakeholder.unlink")}


def _record(cur: duckdb.DuckDBPyConnection, actor: Actor, participant_id: str, purpose: str, method: str,
            stakeholder_user_id: int | None, given: bool, notice_version: str) -> bool:
    require(actor, "consent.record", get_participant(cur, participant_id))
    _check(actor, purpose, method, stakeholder_user_id)
    key = f"consent:{participant_id}:{purpose}:{stakeholder_user_id or ''}"
    give_action, withdraw_action = _AUDIT_ACTIONS.get(purpose, ("consent.give", "consent.withdraw"))

    def write() -> bool:
        with transaction(cur):
            # Two recordings at once would both see the old state: claiming the purpose makes one conflict,
            # be retried and see the other's row.
            claim(cur, key)
            if has_consent(cur, participant_id, purpose, stakeholder_user_id) == given:
                return False
            if given:
                cur.execute("INSERT INTO consents (participant_id, purpose, stakeholder_user_id, notice_version,"
                            " given_method, given_by) VALUES (?, ?, ?, ?, ?, ?)",
                            [participant_id, purpose, stakeholder_user_id, notice_version, method, actor.account_id])
            else:
                cur.execute("UPDATE consents SET withdrawn_at = current_timestamp, withdrawn_method = ?,"
                            " withdrawn_by = ? WHERE participant_id = ? AND purpose = ? AND withdrawn_at IS NULL"
                            " AND stakeholder_user_id IS NOT DISTINCT FROM ?",
                            [method, actor.account_id, participant_id, purpose, stakeholder_user_id])
                if purpose == "programme":  # no longer taking part: the retention period starts today
                    cur.execute("UPDATE participants SET left_on = coalesce(left_on, current_date)"
                                " WHERE participant_id = ?", [participant_id])
            audit(cur, actor.account_id, give_action if given else withdraw_action, f"participant:{participant_id}")
            return True

    return retrying(cur, write, queue=[key])


def give_consent(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, purpose: str, method: str,
                 stakeholder_user_id: int | None = None, notice_version: str = NOTICE_VERSION) -> bool:
    """Record that the participant consents to `purpose` after reading notice `notice_version`.
    False when the consent was given already."""
    return _record(cur, actor, participant_id, purpose, method, stakeholder_user_id, True, notice_version)


def withdraw_consent(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, purpose: str,
                     method: str, stakeholder_user_id: int | None = None) -> bool:
    """Record that the participant withdrew their consent to `purpose`: processing for it stops now.
    False when there was no consent to withdraw."""
    return _record(cur, actor, participant_id, purpose, method, stakeholder_user_id, False, NOTICE_VERSION)


def consents_of(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> list[Consent]:
    """Every consent of the participant, the open and the withdrawn ones, newest first."""
    require(actor, "consent.view", get_participant(cur, participant_id))
    rows = cur.execute(
        "SELECT c.consent_id, c.purpose, c.stakeholder_user_id, s.username, c.notice_version, c.given_at,"
        " c.given_method, g.username, c.withdrawn_at, c.withdrawn_method, w.username FROM consents c"
        " LEFT JOIN users s ON s.user_id = c.stakeholder_user_id LEFT JOIN users g ON g.user_id = c.given_by"
        " LEFT JOIN users w ON w.user_id = c.withdrawn_by WHERE c.participant_id = ?"
        " ORDER BY c.consent_id DESC", [participant_id]).fetchall()
    return [Consent(*row) for row in rows]
