"""Co-creation notes: mentors, newcomers and linked stakeholders write notes on a participant, on a
section of the business plan or on a milestone, each with its author, their role and the date. A
note is never rewritten: a newer note follows it. There is no function that changes or deletes one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from incubator.core.access import Actor
from incubator.core.audit import audit
from incubator.core.db import retrying, transaction
from incubator.core.errors import NotFound, ValidationFailed
from incubator.core.i18n import N_
from incubator.plans import content as plan_content
from incubator.programme import milestones as ms
from incubator.programme.stakeholders import allowed_record

ABOUT = {
    "participant": N_("The participant"),
    "plan_section": N_("A part of the business plan"),
    "milestone": N_("A milestone"),
}
NOTE_NEEDED = N_("Write the note first.")


class NoteNotFound(NotFound):
    default_key = N_("This note does not exist.")


@dataclass(frozen=True)
class Note:
    note_id: int
    participant_id: str
    about: str
    about_key: str | None
    follows_note_id: int | None
    body: str
    author: str | None
    author_role: str
    written_at: dt.datetime


def _about_key(cur: duckdb.DuckDBPyConnection, participant_id: str, about: str, about_key: str | None) -> str | None:
    if about == "participant":
        return None
    if about == "plan_section":
        if about_key not in plan_content.BLOCK_TITLES:
            raise ValidationFailed(ms.UNKNOWN_SECTION, key=about_key or "-")
        return about_key
    if about == "milestone":
        found = cur.execute("SELECT 1 FROM milestones WHERE milestone_id = TRY_CAST(? AS INTEGER) AND participant_id = ?",
                            [about_key, participant_id]).fetchone()
        if found is None:
            raise ms.MilestoneNotFound()
        return str(int(about_key))
    raise ValidationFailed()


def add_note(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, body: str,
             about: str = "participant", about_key: str | None = None, follows_note_id: int | None = None) -> Note:
    """Add a note. A follow-up (`follows_note_id`) is about what the note it follows is about."""
    allowed_record(cur, actor, "note.add", participant_id)
    text = ms._text(body)
    if text is None:
        raise ValidationFailed(NOTE_NEEDED)
    if follows_note_id is not None:
        earlier = cur.execute("SELECT about, about_key FROM programme_notes WHERE note_id = ? AND participant_id = ?",
                              [follows_note_id, participant_id]).fetchone()
        if earlier is None:
            raise NoteNotFound()
        about, about_key = earlier
    key = _about_key(cur, participant_id, about, about_key)

    def write() -> int:
        with transaction(cur):
            note_id = cur.execute(
                "INSERT INTO programme_notes (participant_id, about, about_key, follows_note_id, body, author_user_id,"
                " author_role) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING note_id",
                [participant_id, about, key, follows_note_id, text, actor.account_id, actor.role]).fetchone()[0]
            audit(cur, actor.account_id, "note.add", f"participant:{participant_id}")
            return note_id

    note_id = retrying(cur, write)
    return next(n for n in _notes(cur, participant_id) if n.note_id == note_id)


def _notes(cur: duckdb.DuckDBPyConnection, participant_id: str) -> list[Note]:
    rows = cur.execute(
        "SELECT n.note_id, n.participant_id, n.about, n.about_key, n.follows_note_id, n.body, u.username, n.author_role,"
        " n.written_at FROM programme_notes n LEFT JOIN users u ON u.user_id = n.author_user_id"
        " WHERE n.participant_id = ? ORDER BY n.note_id", [participant_id]).fetchall()
    return [Note(*row) for row in rows]


def notes_of(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, about: str | None = None,
             about_key: str | None = None) -> list[Note]:
    """The participant's notes, oldest first (all, or those about one thing)."""
    allowed_record(cur, actor, "note.view", participant_id)
    found = _notes(cur, participant_id)
    if about is not None:
        found = [n for n in found if n.about == about and (about_key is None or n.about_key == str(about_key))]
    return found


def threads(found: list[Note]) -> list[list[Note]]:
    """Notes grouped into threads: each note with the follow-ups that come after it, oldest first."""
    root: dict[int, int] = {}
    grouped: dict[int, list[Note]] = {}
    for note in found:
        top = root.get(note.follows_note_id, note.note_id) if note.follows_note_id else note.note_id
        root[note.note_id] = top
        grouped.setdefault(top, []).append(note)
    return list(grouped.values())
