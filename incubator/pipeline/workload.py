"""Mentor load against capacity and overdue milestones, over the participants in view (the registered
stages, `stages.registered_stages`)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from incubator.core.access import Actor
from incubator.core.i18n import N_
from incubator.programme.milestones import OPEN_STATUSES, TEMPLATE_TITLES

OWN_MILESTONE = N_("A milestone of their own")
LICENCE_MILESTONE = N_("Licence or registration")
OVERDUE_LISTED = 20  # the longest overdue, shown by name of milestone and participant id
_OPEN = ", ".join(f"'{s}'" for s in sorted(OPEN_STATUSES))
_KIND = "CASE WHEN m.template_key LIKE 'licence.%' THEN 'licence' ELSE coalesce(m.template_key, 'own') END"


def kind_label(kind: str) -> str:
    """The msgid that names a kind of milestone (a template key, 'licence' or 'own')."""
    return {"licence": LICENCE_MILESTONE, "own": OWN_MILESTONE}.get(kind) or TEMPLATE_TITLES.get(kind, OWN_MILESTONE)


def mentor_load(cur: duckdb.DuckDBPyConnection, stages: str, *, actor: Actor) -> pd.DataFrame:
    """One row per mentor of someone in view (a mentor: only their own row), the fullest first:
    mentor_user_id, username, capacity (0 without a mentor profile), participants (everyone they
    mentor, in view or not: capacity is about all of them), in_view, load (participants / capacity;
    NULL without capacity) and over_capacity."""
    only = "AND l.mentor_user_id = $actor" if actor.role == "mentor" else ""
    params = {"actor": actor.user_id} if only else {}
    return cur.execute(f"""
        WITH l AS (
            SELECT pm.mentor_user_id, count(*) AS participants, count(s.participant_id) AS in_view
            FROM participant_mentors pm LEFT JOIN {stages} s ON s.participant_id = pm.participant_id
            GROUP BY pm.mentor_user_id)
        SELECT l.mentor_user_id, u.username, coalesce(mp.capacity, 0) AS capacity, l.participants, l.in_view,
               CASE WHEN coalesce(mp.capacity, 0) > 0 THEN l.participants / mp.capacity END AS load,
               l.participants > coalesce(mp.capacity, 0) AS over_capacity
        FROM l JOIN users u ON u.user_id = l.mentor_user_id
        LEFT JOIN mentor_profiles mp ON mp.mentor_user_id = l.mentor_user_id
        WHERE l.in_view > 0 {only}
        ORDER BY load DESC NULLS FIRST, l.participants DESC, u.username""", params).df()


def overdue_by_kind(cur: duckdb.DuckDBPyConnection, stages: str, *, today: dt.date) -> pd.DataFrame:
    """Open milestones (to do, in progress, blocked) past their due date, per kind of milestone, the
    most first: kind, label (msgid), overdue, participants, median_days_overdue."""
    frame = cur.execute(f"""
        SELECT {_KIND} AS kind, count(*) AS overdue, count(DISTINCT m.participant_id) AS participants,
               median($today - m.due_on) AS median_days_overdue
        FROM milestones m JOIN {stages} s ON s.participant_id = m.participant_id
        WHERE m.status IN ({_OPEN}) AND m.due_on < $today
        GROUP BY ALL ORDER BY overdue DESC, kind""", {"today": today}).df()
    frame.insert(1, "label", [kind_label(k) for k in frame["kind"]])
    return frame


def longest_overdue(cur: duckdb.DuckDBPyConnection, stages: str, *, today: dt.date,
                    limit: int = OVERDUE_LISTED) -> pd.DataFrame:
    """The `limit` longest overdue open milestones: participant_id, kind, label (msgid), status,
    due_on, days_overdue (no free text: a milestone of one's own is named by its kind)."""
    frame = cur.execute(f"""
        SELECT m.participant_id, {_KIND} AS kind, m.status, m.due_on, $today - m.due_on AS days_overdue
        FROM milestones m JOIN {stages} s ON s.participant_id = m.participant_id
        WHERE m.status IN ({_OPEN}) AND m.due_on < $today
        ORDER BY days_overdue DESC, m.participant_id, m.milestone_id LIMIT {int(limit)}""", {"today": today}).df()
    frame.insert(2, "label", [kind_label(k) for k in frame["kind"]])
    return frame
