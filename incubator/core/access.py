"""Who may do what. Every domain function that touches personal data calls `require` first;
pages only hide what this would refuse anyway."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from incubator.core.errors import NotAllowed, Refusal
from incubator.core.i18n import N_

# A stakeholder (a municipality's client manager, a language coach) sees only the participants linked
# to them with the participant's consent (incubator.programme.stakeholders).
ROLES = ("newcomer", "mentor", "manager", "admin", "stakeholder")
# The role names as users read them (msgids).
ROLE_LABELS = {"newcomer": N_("newcomer"), "mentor": N_("mentor"), "manager": N_("manager"), "admin": N_("admin"),
               "stakeholder": N_("stakeholder")}


@dataclass(frozen=True)
class Actor:
    """Who is asking: a signed-in account and its role."""

    user_id: int
    role: str
    username: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")

    @property
    def account_id(self) -> int | None:
        """The user id to record as author; None for the command line, which acts without an account."""
        return self.user_id or None


# The command line acts for whoever holds the database file, without an account (user id 0, audited
# as no one). It is an Actor like any other, so that no domain function needs a "no checks" case:
# `actor=None` always means a visitor who is not signed in. Accounts are managed as an administrator,
# participants as a programme manager (an administrator sees no personal data).
COMMAND_LINE_ADMIN = Actor(0, "admin", "command line")
COMMAND_LINE_MANAGER = Actor(0, "manager", "command line")


class ParticipantResource(Protocol):
    """A record about one participant: whose it is and who mentors them."""

    participant_id: str
    owner_user_id: int | None
    mentor_user_ids: Collection[int]
    # Optional: the stakeholders linked with the participant's consent (a record without it links none).
    # stakeholder_user_ids: Collection[int]


# Permissions granted to a role whatever the record. `OWN` ones need a resource that the actor owns
# (newcomer) or mentors (mentor); None as actor means a visitor who is not signed in.
_PUBLIC = frozenset({"market.view", "suggest.explore"})
# The programme's permissions on one participant (milestones, sessions, notes, outcomes, links).
_PROGRAMME_OWN = frozenset({"milestone.view", "milestone.update", "milestone.plan", "session.view", "session.log",
                            "note.view", "note.add", "outcome.record", "outcome.view", "stakeholder.link"})
# A person's rights over their data (incubator/people/consent.py, incubator/privacy): the newcomer for
# themself, a manager for anyone; a mentor records and reads the consents of their participants.
_CONSENT = frozenset({"consent.view", "consent.record"})
_PRIVACY_MANAGER = frozenset({"privacy.export", "privacy.rectify", "privacy.erase"})
_ALWAYS: dict[str, frozenset[str]] = {
    "newcomer": frozenset({"model.view"}),
    "mentor": frozenset({"model.view", "profile.create", "profile.import", "profile.list", "cohort.view",
                         "mentoring.profile", "pipeline.view"}),
    "manager": frozenset({
        "model.view", "model.train", "market.upload", "profile.create", "profile.import",
        "profile.export", "profile.list", "profile.view", "profile.edit", "suggest.view",
        "suggest.adjust", "suggest.choose", "participant.assign", "participant.bind_account", "plan.view",
        "plan.edit", "plan.comment", *_PROGRAMME_OWN, "cohort.view", "cohort.manage", "mentoring.profile",
        *_CONSENT, *_PRIVACY_MANAGER,
        "pipeline.view",  # the pipeline dashboard and workbook: everyone's (a mentor's: own, in incubator.pipeline)
        "audit.view",
    }),
    # The audit log names accounts and pseudonymous participant ids, never personal data.
    "admin": frozenset({"model.view", "model.train", "market.upload", "accounts.manage", "audit.view"}),
    "stakeholder": frozenset({"model.view"}),
}
_OWN: dict[str, frozenset[str]] = {
    "newcomer": frozenset({"profile.view", "profile.edit", "suggest.view", "suggest.choose",
                           "plan.view", "plan.edit", "plan.comment", "milestone.view", "milestone.update",
                           "session.view", "note.view", "note.add", "stakeholder.link", *_CONSENT,
                           "privacy.export"}),
    "mentor": frozenset({
        "profile.view", "profile.edit", "profile.export", "suggest.view", "suggest.adjust",
        "suggest.choose", "plan.view", "plan.edit", "plan.comment", *_PROGRAMME_OWN, *_CONSENT,
    }),
    "stakeholder": frozenset({"milestone.view", "note.view", "note.add"}),
}

PERMISSIONS = frozenset(_PUBLIC | {p for ps in (*_ALWAYS.values(), *_OWN.values()) for p in ps})


def is_allowed(actor: Actor | None, permission: str, resource: ParticipantResource | None = None) -> bool:
    """True when the actor may use this permission on this resource (or in general)."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    if permission in _PUBLIC:
        return True
    if actor is None:
        return False
    if permission in _ALWAYS.get(actor.role, frozenset()):
        return True
    if permission not in _OWN.get(actor.role, frozenset()):
        return False
    if resource is None:
        # Asking in general ("may a mentor view profiles at all?"): yes, limited to their own.
        return True
    if actor.role == "newcomer":
        return resource.owner_user_id == actor.user_id
    if actor.role == "stakeholder":
        return actor.user_id in set(getattr(resource, "stakeholder_user_ids", ()))
    return actor.user_id in set(resource.mentor_user_ids)


def require(actor: Actor | None, permission: str, resource: ParticipantResource | None = None) -> None:
    """Raise NotAllowed unless `is_allowed`; the error says who was refused what on which record."""
    if not is_allowed(actor, permission, resource):
        raise NotAllowed(refusal=refusal(actor, permission, resource))


def refusal(actor: Actor | None, permission: str, resource: ParticipantResource | None = None) -> Refusal:
    """The audit record of a refused attempt (a signed-out visitor has no user id)."""
    subject = f"participant:{resource.participant_id}" if resource is not None else None
    return Refusal(actor.account_id if actor is not None else None, permission, subject)
