"""The workshop view: a mentor with a group puts the cohort on one screen (a projector), names hidden
on request, each person's next milestone and what blocks it; check-ins for everyone are saved together
in one transaction, and a check-in on a milestone someone else changed meanwhile comes back as a
conflict with their change, never written over it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from incubator.core.access import Actor
from incubator.core.i18n import N_
from incubator.programme import cohorts
from incubator.programme import milestones as ms
from incubator.programme.stakeholders import ProgrammeRecord, visible_records

NAME_MODES = {"names": N_("Names"), "initials": N_("Initials"), "numbers": N_("Participant numbers")}


@dataclass(frozen=True)
class BoardRow:
    participant_id: str
    label: str  # the name, the initials or the participant number, as asked
    next: ms.Milestone | None  # the first open milestone by due date
    blockers: tuple[ms.Milestone, ...]  # blocked milestones, with their reasons
    overdue: int
    done: int
    total: int


@dataclass(frozen=True)
class Board:
    cohort: cohorts.Cohort
    rows: tuple[BoardRow, ...]
    synthetic: bool


def initials(name: str | None) -> str | None:
    """'Amal Haddad' -> 'A. H.'; None without a name."""
    words = [w for w in (name or "").replace("-", " ").split() if w[:1].isalpha()]
    return " ".join(f"{w[0].upper()}." for w in words) or None


def label_for(record: ProgrammeRecord, names: str) -> str:
    """How a person is shown: their name, their initials or only their participant number."""
    if names == "names" and record.display_name:
        return record.display_name
    if names == "initials":
        return initials(record.display_name) or record.participant_id
    return record.participant_id


def board(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int, today: dt.date,
          names: str = "names") -> Board:
    """The cohort's members the actor may see, each with their next milestone and blockers."""
    if names not in NAME_MODES:
        raise ValueError(names)
    cohort = cohorts.get_cohort(cur, actor=actor, cohort_id=cohort_id)
    records = visible_records(cur, actor=actor, cohort_id=cohort_id)
    found = ms.milestones_of_many(cur, [r.participant_id for r in records])
    rows = []
    for record in records:
        items = found.get(record.participant_id, [])
        open_items = [m for m in items if m.is_open]
        rows.append(BoardRow(
            record.participant_id, label_for(record, names), open_items[0] if open_items else None,
            tuple(m for m in open_items if m.status == "blocked"), sum(ms.is_overdue(m, today=today) for m in items),
            sum(m.status == "done" for m in items), len(items)))
    return Board(cohort, tuple(rows), cohort.synthetic or any(r.synthetic for r in records))


def check_in(cur: duckdb.DuckDBPyConnection, *, actor: Actor, changes: Sequence[ms.Change], today: dt.date) -> ms.Applied:
    """Save the check-ins of a workshop together (see milestones.apply_changes)."""
    return ms.apply_changes(cur, actor=actor, changes=[c for c in changes], today=today)
