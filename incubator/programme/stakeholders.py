"""Who may see a participant in the programme, and the stakeholders linked to them.

A stakeholder (a municipality's client manager, a language coach) sees a participant's milestones and
notes only while the participant consents to the link: a consent of purpose "stakeholder" in the one
consent model (incubator.people.consent), given and withdrawn there. The
programme's other modules read a participant through `programme_record`, which carries the linked
stakeholders beside the owner and the mentors, so that `access.require` can decide for every role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from incubator.core.access import Actor, refusal, require
from incubator.core.errors import NotAllowed, ValidationFailed
from incubator.core.i18n import N_
from incubator.people import consent
from incubator.people.participants import ParticipantNotFound, id_frame

CONSENT_METHODS = consent.METHODS
LINK_PURPOSE = "stakeholder"
LINK_PURPOSE_TEXT = N_("See my milestones and notes, and add notes")
NOT_A_STAKEHOLDER = N_("Only an active stakeholder's account can be linked to a participant.")
ONLY_IN_APP = consent.ONLY_IN_APP

# The stakeholders whose consent for the participant is given and not withdrawn.
CURRENT_LINKS_SQL = """
    SELECT DISTINCT participant_id, stakeholder_user_id FROM consents
    WHERE purpose = 'stakeholder' AND withdrawn_at IS NULL
"""


@dataclass(frozen=True)
class ProgrammeRecord:
    """A participant as the programme sees them: an access.ParticipantResource with the linked
    stakeholders, and what the programme needs besides (intake date, cohort, the synthetic mark)."""

    participant_id: str
    owner_user_id: int | None
    mentor_user_ids: tuple[int, ...]
    stakeholder_user_ids: tuple[int, ...]
    display_name: str | None
    intake_on: dt.date
    cohort_id: int | None
    synthetic: bool


_RECORDS_SQL = f"""
    WITH links AS ({CURRENT_LINKS_SQL})
    SELECT p.participant_id, p.owner_user_id,
           coalesce((SELECT list(m.mentor_user_id ORDER BY m.mentor_user_id) FROM participant_mentors m
                     WHERE m.participant_id = p.participant_id), []),
           coalesce((SELECT list(l.stakeholder_user_id ORDER BY l.stakeholder_user_id) FROM links l
                     WHERE l.participant_id = p.participant_id), []),
           p.display_name, CAST(p.created_at AS DATE), c.cohort_id, coalesce(p.synthetic, FALSE)
    FROM participants p LEFT JOIN cohort_members c USING (participant_id)
    {{where}}
    ORDER BY p.participant_id
"""


def _records(cur: duckdb.DuckDBPyConnection, where: str = "", params: Sequence[object] = ()) -> list[ProgrammeRecord]:
    rows = cur.execute(_RECORDS_SQL.format(where=where), list(params)).fetchall()
    return [ProgrammeRecord(pid, owner, tuple(mentors), tuple(links), name, intake, cohort, bool(synthetic))
            for pid, owner, mentors, links, name, intake, cohort, synthetic in rows]


def programme_record(cur: duckdb.DuckDBPyConnection, participant_id: str) -> ProgrammeRecord:
    """The record, whoever asks (callers check access). Raises ParticipantNotFound."""
    found = _records(cur, "WHERE p.participant_id = ?", [participant_id])
    if not found:
        raise ParticipantNotFound(participant_id)
    return found[0]


def allowed_record(cur: duckdb.DuckDBPyConnection, actor: Actor, permission: str, participant_id: str) -> ProgrammeRecord:
    """The record after `require(actor, permission, record)`."""
    record = programme_record(cur, participant_id)
    require(actor, permission, record)
    return record


def visible_records(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int | None = None,
                    participant_ids: Sequence[str] | None = None) -> list[ProgrammeRecord]:
    """The participants whose milestones this actor may see: their own (newcomer), the ones they
    mentor (mentor), the ones linked to them with consent (stakeholder), everyone (manager);
    limited to a cohort or to some ids when given."""
    conditions, params = [], []
    if actor.role == "newcomer":
        conditions.append("p.owner_user_id = ?")
        params.append(actor.user_id)
    elif actor.role == "mentor":
        conditions.append("p.participant_id IN (SELECT participant_id FROM participant_mentors WHERE mentor_user_id = ?)")
        params.append(actor.user_id)
    elif actor.role == "stakeholder":
        conditions.append("p.participant_id IN (SELECT participant_id FROM links WHERE stakeholder_user_id = ?)")
        params.append(actor.user_id)
    elif actor.role != "manager":
        raise NotAllowed(refusal=refusal(actor, "milestone.view"))
    if cohort_id is not None:
        conditions.append("c.cohort_id = ?")
        params.append(cohort_id)
    if participant_ids is None:
        return _records(cur, "WHERE " + " AND ".join(conditions) if conditions else "", params)
    cur.register("wanted_programme_ids", id_frame(participant_ids))
    try:
        conditions.append("p.participant_id IN (SELECT participant_id FROM wanted_programme_ids)")
        return _records(cur, "WHERE " + " AND ".join(conditions), params)
    finally:
        cur.unregister("wanted_programme_ids")


# ----------------------------------------------------------------------------- links and consent

@dataclass(frozen=True)
class ConsentRecord:
    stakeholder_user_id: int
    stakeholder: str
    given: bool
    method: str
    recorded_by: str | None
    recorded_at: dt.datetime


def stakeholder_accounts(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> list[tuple[int, str]]:
    """The active stakeholders' accounts (id, user name), to link one."""
    require(actor, "stakeholder.link")
    return cur.execute("SELECT user_id, username FROM users WHERE role = 'stakeholder' AND active"
                       " ORDER BY username").fetchall()


def _record_consent(cur: duckdb.DuckDBPyConnection, actor: Actor, participant_id: str, stakeholder_user_id: int,
                    given: bool, method: str) -> bool:
    allowed_record(cur, actor, "stakeholder.link", participant_id)
    if method not in CONSENT_METHODS:
        raise ValidationFailed()
    if (actor.role == "newcomer") != (method == "in_app"):
        raise ValidationFailed(ONLY_IN_APP) if actor.role == "newcomer" else ValidationFailed()
    if given and cur.execute("SELECT 1 FROM users WHERE user_id = ? AND role = 'stakeholder' AND active",
                             [stakeholder_user_id]).fetchone() is None:
        raise ValidationFailed(NOT_A_STAKEHOLDER)
    record = consent.give_consent if given else consent.withdraw_consent
    return record(cur, actor=actor, participant_id=participant_id, purpose=LINK_PURPOSE, method=method,
                  stakeholder_user_id=stakeholder_user_id)


def link_stakeholder(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, stakeholder_user_id: int,
                     method: str) -> bool:
    """Record the participant's consent to a stakeholder's link (how it was given) and so link them.
    False when they were linked already."""
    return _record_consent(cur, actor, participant_id, stakeholder_user_id, True, method)


def end_link(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, stakeholder_user_id: int,
             method: str) -> bool:
    """Record that the participant withdrew their consent: the stakeholder no longer sees them."""
    return _record_consent(cur, actor, participant_id, stakeholder_user_id, False, method)


def consent_history(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> list[ConsentRecord]:
    """Every consent and withdrawal of the participant's stakeholder links, newest first."""
    allowed_record(cur, actor, "stakeholder.link", participant_id)
    events = []
    for c in consent.consents_of(cur, actor=actor, participant_id=participant_id):
        if c.purpose != LINK_PURPOSE:
            continue
        if c.withdrawn_at is not None:
            events.append(ConsentRecord(c.stakeholder_user_id, c.stakeholder, False, c.withdrawn_method,
                                        c.withdrawn_by, c.withdrawn_at))
        events.append(ConsentRecord(c.stakeholder_user_id, c.stakeholder, True, c.given_method, c.given_by,
                                    c.given_at))
    return sorted(events, key=lambda e: e.recorded_at, reverse=True)
