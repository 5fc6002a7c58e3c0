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


def overdue(cur: duckdb.DuckDBPyConnection, stages: str, *, today: dt.date,
            limit: int = OVERDUE_LISTED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both overdue figures from one read of the milestones (the biggest table): `overdue_by_kind`
    and `longest_overdue`, as those describe them."""
    by_kind, longest = cur.execute(f"""
        WITH late AS MATERIALIZED (
            SELECT m.milestone_id, m.participant_id, {_KIND} AS kind, m.status, m.due_on, $today - m.due_on AS days_overdue
            FROM milestones m SEMI JOIN {stages} s ON s.participant_id = m.participant_id
            WHERE m.status IN ({_OPEN}) AND m.due_on < $today),
        by_kind AS (
            -- (participant_id, template_key) is UNIQUE: a template's kind has one milestone per participant,
            -- so only licences and one's own need the (costly) distinct count.
            SELECT kind, count(*) AS overdue,
                   CASE WHEN kind IN ('licence', 'own') THEN count(DISTINCT participant_id) ELSE count(*) END AS participants,
                   median(days_overdue) AS median_days_overdue
            FROM late GROUP BY kind),
        longest AS (SELECT * FROM late ORDER BY days_overdue DESC, participant_id, milestone_id LIMIT {int(limit)})
        SELECT (SELECT list(b ORDER BY b.overdue DESC, b.kind) FROM by_kind b),
               (SELECT list(l ORDER BY l.days_overdue DESC, l.participant_id, l.milestone_id) FROM longest l)
        """, {"today": today}).fetchone()
    kinds = pd.DataFrame(by_kind or [], columns=["kind", "overdue", "participants", "median_days_overdue"])
    kinds.insert(1, "label", [kind_label(k) for k in kinds["kind"]])
    rows = pd.DataFrame(longest or [], columns=["milestone_id", "participant_id", "kind", "status", "due_on",
                                                "days_overdue"]).drop(columns="milestone_id")
    rows["due_on"] = pd.to_datetime(rows["due_on"])  # as the DataFrame of a query gives dates
    rows.insert(2, "label", [kind_label(k) for k in rows["kind"]])
    return kinds, rows


def overdue_by_kind(cur: duckdb.DuckDBPyConnection, stages: str, *, today: dt.date) -> pd.DataFrame:
    """Open milestones (to do, in progress, blocked) past their due date, per kind of milestone, the
    most first: kind, label (msgid), overdue, participants, median_days_overdue."""
    return overdue(cur, stages, today=today)[0]


def longest_overdue(cur: duckdb.DuckDBPyConnection, stages: str, *, today: dt.date,
                    limit: int = OVERDUE_LISTED) -> pd.DataFrame:
    """The `limit` longest overdue open milestones: participant_id, kind, label (msgid), status,
    due_on, days_overdue (no free text: a milestone of one's own is named by its kind)."""
    return overdue(cur, stages, today=today, limit=limit)[1]
