"""The session log: a mentor logs each coaching session (date, duration, topics from a list plus free
text, and the next steps agreed, each with an owner and a date). A next step can become a milestone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from incubator.core.access import Actor
from incubator.core.audit import audit
from incubator.core.db import retrying, transaction
from incubator.core.errors import NotFound, ValidationFailed
from incubator.core.i18n import N_
from incubator.programme import milestones as ms
from incubator.programme.stakeholders import allowed_record

TOPICS = {
    "idea": N_("The business idea"),
    "market": N_("Market and customers"),
    "plan": N_("Business plan"),
    "money": N_("Money and the forecast"),
    "funding": N_("Funding: Bbz or Qredits"),
    "licences": N_("Licences and registration"),
    "language": N_("Dutch language"),
    "network": N_("Network and contacts"),
    "life": N_("Life domains: housing, health, money at home"),
    "admin": N_("Paperwork and taxes"),
}
MIN_MINUTES, MAX_MINUTES = 5, 600
MAX_STEPS = 10
DURATION_OUT_OF_RANGE = N_("A session lasts from {low} to {high} minutes.")
TOPIC_NEEDED = N_("Choose a topic or write what the session was about.")
STEP_NEEDED = N_("Describe each next step.")
TOO_MANY_STEPS = N_("At most {limit} next steps a session.")
STEP_BEFORE_SESSION = N_("A next step is due after the session ({date}).")


class StepNotFound(NotFound):
    default_key = N_("This next step does not exist.")


@dataclass(frozen=True)
class NextStep:
    description: str
    owner: str  # participant | mentor | together
    due_on: dt.date
    step_id: int | None = None
    milestone_id: int | None = None  # the milestone made from it


@dataclass(frozen=True)
class Session:
    session_id: int
    participant_id: str
    mentor: str | None
    held_on: dt.date
    duration_minutes: int
    topics: tuple[str, ...]
    notes: str | None
    next_steps: tuple[NextStep, ...]


def log_session(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, held_on: dt.date,
                duration_minutes: int, topics: Sequence[str], notes: str | None, next_steps: Sequence[NextStep],
                today: dt.date) -> Session:
    """Log a session held with the participant, with its next steps (all or nothing)."""
    record = allowed_record(cur, actor, "session.log", participant_id)
    if held_on > today:
        raise ValidationFailed(ms.IN_THE_FUTURE, date=held_on)
    if held_on < record.intake_on:
        raise ValidationFailed(ms.BEFORE_START, date=held_on, start=record.intake_on)
    if not MIN_MINUTES <= int(duration_minutes) <= MAX_MINUTES:
        raise ValidationFailed(DURATION_OUT_OF_RANGE, low=MIN_MINUTES, high=MAX_MINUTES)
    chosen = sorted(set(topics), key=list(TOPICS).index) if set(topics) <= set(TOPICS) else None
    if chosen is None:
        raise ValidationFailed()
    text = ms._text(notes)
    if not chosen and text is None:
        raise ValidationFailed(TOPIC_NEEDED)
    if len(next_steps) > MAX_STEPS:
        raise ValidationFailed(TOO_MANY_STEPS, limit=MAX_STEPS)
    steps = []
    for step in next_steps:
        description = ms._text(step.description)
        if description is None:
            raise ValidationFailed(STEP_NEEDED)
        if step.owner not in ms.OWNERS:
            raise ValidationFailed()
        if step.due_on < held_on:
            raise ValidationFailed(STEP_BEFORE_SESSION, date=held_on)
        steps.append((description, step.owner, step.due_on))

    def write() -> int:
        with transaction(cur):
            session_id = cur.execute(
                "INSERT INTO mentoring_sessions (participant_id, mentor_user_id, held_on, duration_minutes, topics, notes)"
                " VALUES (?, ?, ?, ?, ?, ?) RETURNING session_id",
                [participant_id, actor.account_id, held_on, int(duration_minutes), chosen, text]).fetchone()[0]
            if steps:
                frame = pd.DataFrame(steps, columns=["description", "owner", "due_on"])
                cur.register("new_next_steps", frame)
                try:
                    cur.execute("INSERT INTO session_next_steps (session_id, participant_id, description, owner, due_on)"
                                " SELECT ?, ?, description, owner, CAST(due_on AS DATE) FROM new_next_steps",
                                [session_id, participant_id])
                finally:
                    cur.unregister("new_next_steps")
            audit(cur, actor.account_id, "session.log", f"participant:{participant_id}")
            return session_id

    session_id = retrying(cur, write)
    return next(s for s in sessions_of(cur, actor=actor, participant_id=participant_id) if s.session_id == session_id)


def sessions_of(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> list[Session]:
    """The participant's sessions, the latest first, each with its next steps."""
    allowed_record(cur, actor, "session.view", participant_id)
    steps: dict[int, list[NextStep]] = {}
    for session_id, description, owner, due_on, step_id, milestone_id in cur.execute(
            "SELECT s.session_id, s.description, s.owner, s.due_on, s.step_id, m.milestone_id FROM session_next_steps s"
            " LEFT JOIN milestones m ON m.from_step_id = s.step_id WHERE s.participant_id = ? ORDER BY s.step_id",
            [participant_id]).fetchall():
        steps.setdefault(session_id, []).append(NextStep(description, owner, due_on, step_id, milestone_id))
    rows = cur.execute(
        "SELECT s.session_id, s.participant_id, u.username, s.held_on, s.duration_minutes, s.topics, s.notes"
        " FROM mentoring_sessions s LEFT JOIN users u ON u.user_id = s.mentor_user_id WHERE s.participant_id = ?"
        " ORDER BY s.held_on DESC, s.session_id DESC", [participant_id]).fetchall()
    return [Session(*row[:5], tuple(row[5]), row[6], tuple(steps.get(row[0], ()))) for row in rows]


def step_to_milestone(cur: duckdb.DuckDBPyConnection, *, actor: Actor, step_id: int) -> ms.Milestone:
    """Turn an agreed next step into a milestone (once: asking again gives the same milestone)."""
    row = cur.execute("SELECT participant_id, description, owner, due_on FROM session_next_steps WHERE step_id = ?",
                      [step_id]).fetchone()
    if row is None:
        raise StepNotFound()
    participant_id, description, owner, due_on = row
    return ms.add_milestone(cur, actor=actor, participant_id=participant_id, title=description, due_on=due_on,
                            owner=owner, from_step_id=step_id)
