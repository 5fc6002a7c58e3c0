"""A small pipeline cohort built by hand, row by row, with fixed dates, so that every KPI can be checked
against numbers worked out on paper (tests/pipeline/test_kpis.py says how each was worked out).

TODAY = 2027-06-01. Five participants:
- P1 (mentor A, cohort C1, Utrecht): intake and inventory 2025-01-06, re-take 2025-07-01 (rung 2 -> 4,
  every life domain 2 -> 3), chose cr_tailoring (craft, SBI C) 2025-01-20, plan 2025-02-03, finance
  arranged 2025-03-03, launched 2025-04-01, running at 6 and 12 months, 1.5 FTE, left social
  assistance 2025-06-01. A milestone first_invoice in progress, due 2027-07-01 (not overdue).
- P2 (mentor A, C1, Utrecht): intake and inventory 2025-01-06, re-take 2025-07-01 (rung 3 -> 3, domains
  4 -> 4), chose et_catering (ethnic entrepreneurship, SBI I) 2025-02-05, plan 2025-02-10, finance
  milestone blocked (due 2025-05-01: overdue), launched 2025-05-01, running at 6 months, not at 12,
  0.5 FTE.
- P3 (mentor B, C1, Utrecht): intake and inventory 2025-01-06, nothing else.
- P4 (mentor B, cohort C2, Amsterdam): intake and inventory 2026-03-02, chose cr_tailoring 2026-03-16;
  market_check to do, due 2026-04-01, and licence.food_hygiene to do, due 2027-05-01 (both overdue).
- P5 (no mentor, no cohort, no inventory): intake 2026-03-02.
Mentor A has capacity 2, mentor B capacity 1."""

from __future__ import annotations

import datetime as dt

from incubator.accounts import users
from incubator.core import participant_stage
from incubator.core.access import COMMAND_LINE_ADMIN, Actor
from tests.support.app import TEST_PASSWORD

TODAY = dt.date(2027, 6, 1)
D = dt.date


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10))


def build(cur) -> dict:
    people = {}
    for name, role in (("manager", "manager"), ("mentor_a", "mentor"), ("mentor_b", "mentor"),
                       ("newcomer", "newcomer"), ("stakeholder", "stakeholder"), ("admin", "admin")):
        user_id = users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=f"pl-{name}", password=TEST_PASSWORD,
                                    role=role)
        people[name] = Actor(user_id, role, f"pl-{name}")
    a, b = people["mentor_a"].user_id, people["mentor_b"].user_id
    cur.execute("INSERT INTO mentor_profiles (mentor_user_id, capacity, languages, sectors) VALUES"
                " (?, 2, ['nl'], ['C']), (?, 1, ['nl'], ['I'])", [a, b])
    cur.execute("INSERT INTO cohorts (cohort_id, name, start_on, municipality, programme) VALUES"
                " (901, 'C1', DATE '2025-01-13', 'GM0344', 'Versnelling'),"
                " (902, 'C2', DATE '2026-03-09', 'GM0363', 'Versnelling')")
    for pid, intake in (("P1", D(2025, 1, 6)), ("P2", D(2025, 1, 6)), ("P3", D(2025, 1, 6)), ("P4", D(2026, 3, 2)),
                        ("P5", D(2026, 3, 2))):
        cur.execute("INSERT INTO participants (participant_id, created_at) VALUES (?, ?)", [pid, _at(intake)])
    cur.execute("INSERT INTO cohort_members (participant_id, cohort_id) VALUES ('P1', 901), ('P2', 901), ('P3', 901),"
                " ('P4', 902)")
    cur.execute("INSERT INTO participant_mentors (participant_id, mentor_user_id) VALUES"
                " ('P1', ?), ('P2', ?), ('P3', ?), ('P4', ?)", [a, a, b, b])
    domains = ", ".join(f"domain_{d}" for d in ("language", "housing", "money", "health", "network", "daytime",
                                                "education", "work"))
    for pid, version, day, place, rung, score in (
            ("P1", 1, D(2025, 1, 6), "GM0344", 2, 2), ("P1", 2, D(2025, 7, 1), "GM0344", 4, 3),
            ("P2", 1, D(2025, 1, 6), "GM0344", 3, 4), ("P2", 2, D(2025, 7, 1), "GM0344", 3, 4),
            ("P3", 1, D(2025, 1, 6), "GM0344", 1, 1), ("P4", 1, D(2026, 3, 2), "GM0363", 2, 2)):
        cur.execute(f"INSERT INTO profile_snapshots (participant_id, version, draft, saved_at, source, profile, details,"
                    f" municipality, ladder_rung, {domains}) VALUES (?, ?, FALSE, ?, 'wizard', '{{}}', '{{}}', ?, ?,"
                    f" {', '.join(['?'] * 8)})", [pid, version, _at(day), place, rung, *[score] * 8])
    # P2 saved a draft later that must not count.
    cur.execute("INSERT INTO profile_snapshots (participant_id, version, draft, saved_at, source, profile, details,"
                " municipality, ladder_rung) VALUES ('P2', 3, TRUE, ?, 'wizard', '{}', '{}', 'GM0363', 1)",
                [_at(D(2027, 5, 1))])
    for choice_id, pid, venture, day in ((801, "P1", "cr_tailoring", D(2025, 1, 20)), (802, "P2", "et_catering", D(2025, 2, 5)),
                                         (803, "P4", "cr_tailoring", D(2026, 3, 16))):
        cur.execute("INSERT INTO venture_choices (choice_id, participant_id, venture_id, chosen_at) VALUES (?, ?, ?, ?)",
                    [choice_id, pid, venture, _at(day)])
    for plan_id, pid, venture, day in ((701, "P1", "cr_tailoring", D(2025, 2, 3)), (702, "P2", "et_catering", D(2025, 2, 10))):
        cur.execute("INSERT INTO plans (plan_id, participant_id, venture_id, venture_key) VALUES (?, ?, ?, ?)",
                    [plan_id, pid, venture, venture])
        cur.execute("INSERT INTO plan_versions (plan_id, version, content, saved_at) VALUES (?, 1, '{}', ?), (?, 2, '{}', ?)",
                    [plan_id, _at(day), plan_id, _at(day + dt.timedelta(days=40))])
    for pid, key, due, status, reason, completed in (
            ("P1", "market_check", D(2025, 2, 1), "done", None, D(2025, 1, 30)),
            ("P1", "finance_arranged", D(2025, 3, 1), "done", None, D(2025, 3, 3)),
            ("P1", "first_invoice", D(2027, 7, 1), "in_progress", None, None),
            ("P2", "finance_arranged", D(2025, 5, 1), "blocked", "waiting", None),
            ("P4", "market_check", D(2026, 4, 1), "todo", None, None),
            ("P4", "licence.food_hygiene", D(2027, 5, 1), "todo", None, None)):
        cur.execute("INSERT INTO milestones (participant_id, template_key, checklist_keys, position, due_on, owner, status,"
                    " reason, completed_on, version) VALUES (?, ?, [], 1, ?, 'participant', ?, ?, ?, 1)",
                    [pid, key, due, status, reason, completed])
    for choice_id, pid, venture, launched, r6, r12, fte, left in (
            (801, "P1", "cr_tailoring", D(2025, 4, 1), True, True, 1.5, D(2025, 6, 1)),
            (802, "P2", "et_catering", D(2025, 5, 1), True, False, 0.5, None)):
        cur.execute("INSERT INTO programme_outcomes (choice_id, participant_id, venture_id, launched, launched_on,"
                    " running_6m, running_12m, jobs_fte, left_assistance_on) VALUES (?, ?, ?, TRUE, ?, ?, ?, ?, ?)",
                    [choice_id, pid, venture, launched, r6, r12, fte, left])
    participant_stage.refresh_all(cur)  # rows written by hand, past the writers that keep the stages
    return people
