"""The access matrix as a test: every role tries every read and write on records it must not reach,
through the domain API and through the pages. Zero leaks: every attempt is refused with NotAllowed
(never data, never another error), and every refusal is in the audit log with who and which record.

Table-driven: a new capability is one row in CAPABILITIES; a new kind of actor (a stakeholder whose
consent was withdrawn, ...) is one row in ATTEMPTS with the capabilities it is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from incubator.accounts import users
from incubator.core import audit
from incubator.core.access import COMMAND_LINE_ADMIN, Actor
from incubator.core.errors import NotAllowed
from incubator.people import participants, snapshots
from incubator.people.profile import Profile
from incubator.plans import business_plan as bp
from incubator.programme import cohorts, milestones, notes, outcomes, progress, sessions, stakeholders
from incubator.suggestions import choices
from tests.support.app import TEST_PASSWORD, signed_in_app
from ui.navigation import PAGES

TODAY = dt.date.today()


@dataclass(frozen=True)
class Target:
    """The record an attempt reaches for, with the ids of its plan and first milestone."""

    participant_id: str
    plan_id: int
    milestone_id: int


@dataclass(frozen=True)
class Capability:
    name: str
    call: Callable[[object, Actor | None, Target], object]
    reads: bool = True


C = Capability
CAPABILITIES: tuple[Capability, ...] = (
    # reads
    C("profile.load", lambda cur, a, t: snapshots.load_profile(cur, actor=a, participant_id=t.participant_id)),
    C("profile.inventory", lambda cur, a, t: snapshots.load_inventory(cur, actor=a, participant_id=t.participant_id)),
    C("profile.history", lambda cur, a, t: snapshots.profile_history(cur, actor=a, participant_id=t.participant_id)),
    C("profile.export", lambda cur, a, t: snapshots.export_profiles(cur, actor=a, participant_ids=[t.participant_id])),
    C("suggest.current_choice", lambda cur, a, t: choices.current_choice(cur, actor=a, participant_id=t.participant_id)),
    C("plan.current", lambda cur, a, t: bp.current_plan(cur, actor=a, participant_id=t.participant_id)),
    C("plan.open", lambda cur, a, t: bp.open_plan(cur, actor=a, plan_id=t.plan_id)),
    C("plan.comments", lambda cur, a, t: bp.comments(cur, actor=a, plan_id=t.plan_id)),
    C("milestone.list", lambda cur, a, t: milestones.milestones_of(cur, actor=a, participant_id=t.participant_id)),
    C("milestone.history", lambda cur, a, t: milestones.history(cur, actor=a, milestone_id=t.milestone_id)),
    C("note.list", lambda cur, a, t: notes.notes_of(cur, actor=a, participant_id=t.participant_id)),
    C("session.list", lambda cur, a, t: sessions.sessions_of(cur, actor=a, participant_id=t.participant_id)),
    C("outcome.view", lambda cur, a, t: outcomes.outcome_of(cur, actor=a, participant_id=t.participant_id)),
    C("progress.view", lambda cur, a, t: progress.person_progress(cur, actor=a, participant_id=t.participant_id)),
    C("stakeholder.history", lambda cur, a, t: stakeholders.consent_history(cur, actor=a, participant_id=t.participant_id)),
    # writes
    C("profile.save", lambda cur, a, t: snapshots.save_profile(cur, actor=a, profile=Profile(id=t.participant_id)), False),
    C("participant.assign_mentor", lambda cur, a, t: participants.assign_mentor(
        cur, actor=a, participant_id=t.participant_id, mentor_user_id=1), False),
    C("suggest.add_idea", lambda cur, a, t: choices.add_idea(cur, actor=a, participant_id=t.participant_id,
                                                            title="An idea"), False),
    C("suggest.set_aside", lambda cur, a, t: choices.set_aside(cur, actor=a, participant_id=t.participant_id,
                                                              venture_id="cr_tailoring", note="no"), False),
    C("plan.save_texts", lambda cur, a, t: bp.save_texts(cur, actor=a, plan_id=t.plan_id, base_version=1,
                                                        canvas={"problem": "x"}), False),
    C("plan.comment", lambda cur, a, t: bp.add_comment(cur, actor=a, plan_id=t.plan_id, block="problem", body="x"),
      False),
    C("milestone.add", lambda cur, a, t: milestones.add_milestone(cur, actor=a, participant_id=t.participant_id,
                                                                 title="x", due_on=TODAY), False),
    C("milestone.update", lambda cur, a, t: milestones.update_milestone(
        cur, actor=a, milestone_id=t.milestone_id, base_version=1, status="in_progress", today=TODAY), False),
    C("note.add", lambda cur, a, t: notes.add_note(cur, actor=a, participant_id=t.participant_id, body="x"), False),
    C("session.log", lambda cur, a, t: sessions.log_session(
        cur, actor=a, participant_id=t.participant_id, held_on=TODAY, duration_minutes=30, topics=[], notes=None,
        next_steps=[], today=TODAY), False),
    C("outcome.record", lambda cur, a, t: outcomes.record_outcome(cur, actor=a, participant_id=t.participant_id,
                                                                 today=TODAY, not_launched=True), False),
    C("stakeholder.link", lambda cur, a, t: stakeholders.link_stakeholder(
        cur, actor=a, participant_id=t.participant_id, stakeholder_user_id=1, method="in_person"), False),
    # not about one participant
    C("cohort.create", lambda cur, a, t: cohorts.create_cohort(cur, actor=a, name="x", start_on=TODAY,
                                                              municipality="GM0344", programme="x"), False),
    C("accounts.create", lambda cur, a, t: users.create_user(cur, actor=a, username="intruder-made",
                                                            password=TEST_PASSWORD, role="admin"), False),
    C("audit.view", lambda cur, a, t: audit.list_entries(cur, actor=a)),
)
ALL = frozenset(c.name for c in CAPABILITIES)
PROGRAMME_ONLY = frozenset({"milestone.list", "milestone.history", "note.list", "note.add"})
ADMIN_ONLY = frozenset({"accounts.create", "audit.view"})


@dataclass(frozen=True)
class Attempt:
    """Who tries (a key of the `cast` below) on whose record, and which capabilities it is refused."""

    who: str
    record: str  # "own", "amal": the participant tried
    refused: frozenset[str]


ATTEMPTS: tuple[Attempt, ...] = (
    Attempt("newcomer", "amal", ALL),  # someone else's record
    Attempt("other_mentor", "amal", ALL),  # a mentor who does not mentor this participant
    Attempt("stakeholder", "own", ALL - PROGRAMME_ONLY),  # linked with consent: milestones and notes only
    Attempt("stakeholder", "amal", ALL),  # not linked
    Attempt("withdrawn", "own", ALL),  # the consent was withdrawn: nothing any more
    Attempt("admin", "amal", ALL - ADMIN_ONLY),  # accounts, never personal data
    Attempt("signed_out", "amal", ALL),
    Attempt("manager", "amal", frozenset({"accounts.create"})),
)


@pytest.fixture
def cast(cur, team, group):
    """The team, a second stakeholder whose consent was given and then withdrawn, a link with consent
    between the stakeholder and the newcomer's own record, and a plan for each of the two records."""
    manager = team["manager"]
    withdrawn_id = users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="team-withdrawn", password=TEST_PASSWORD,
                                     role="stakeholder")
    stakeholders.link_stakeholder(cur, actor=manager, participant_id=group["own"],
                                  stakeholder_user_id=team["stakeholder"].user_id, method="in_person")
    stakeholders.link_stakeholder(cur, actor=manager, participant_id=group["own"], stakeholder_user_id=withdrawn_id,
                                  method="in_person")
    stakeholders.end_link(cur, actor=manager, participant_id=group["own"], stakeholder_user_id=withdrawn_id,
                          method="in_person")
    targets = {}
    for key in ("own", "amal"):
        pid = group[key]
        plan = bp.start_plan(cur, actor=team["mentor"], participant_id=pid)
        milestones.instantiate(cur, actor=team["mentor"], participant_id=pid)
        first = milestones.milestones_of(cur, actor=manager, participant_id=pid)[0]
        targets[key] = Target(pid, plan.plan_id, first.milestone_id)
    actors = {**team, "withdrawn": Actor(withdrawn_id, "stakeholder", "team-withdrawn"), "signed_out": None}
    return {"actors": actors, "targets": targets}


def _refusals(cur) -> int:
    return cur.execute("SELECT count(*) FROM audit_log WHERE outcome = 'refused'").fetchone()[0]


def test_no_role_reaches_what_it_must_not_and_every_refusal_is_audited(cur, cast):
    leaks, unaudited = [], []
    for attempt in ATTEMPTS:
        actor, target = cast["actors"][attempt.who], cast["targets"][attempt.record]
        for capability in CAPABILITIES:
            if capability.name not in attempt.refused:
                continue
            where = f"{attempt.who} -> {capability.name} on {attempt.record}"
            before = _refusals(cur)
            try:
                with audit.refusals_recorded(cur):
                    capability.call(cur, actor, target)
            except NotAllowed as exc:
                row = cur.execute("SELECT actor_user_id, subject FROM audit_log WHERE outcome = 'refused'"
                                  " ORDER BY entry_id DESC LIMIT 1").fetchone()
                account = actor.account_id if actor is not None else None
                if _refusals(cur) != before + 1 or row[0] != account or exc.refusal is None:
                    unaudited.append(where)
                elif exc.refusal.subject not in (None, f"participant:{target.participant_id}"):
                    unaudited.append(f"{where}: names {exc.refusal.subject}")
            except Exception as exc:  # noqa: BLE001 - anything but a refusal is a finding of the matrix
                leaks.append(f"{where}: {type(exc).__name__} instead of a refusal")
            else:
                leaks.append(f"{where}: allowed")
    assert leaks == []
    assert unaudited == []
    assert audit.verify(cur).intact


def test_what_a_role_may_do_is_not_refused(cur, cast):
    """The matrix refuses no more than it should: the linked stakeholder reads milestones and notes,
    the manager everything about the participant."""
    actors, own, amal = cast["actors"], cast["targets"]["own"], cast["targets"]["amal"]
    for name in ("milestone.list", "note.list", "note.add"):
        next(c for c in CAPABILITIES if c.name == name).call(cur, actors["stakeholder"], own)
    for capability in CAPABILITIES:
        if capability.reads and capability.name not in ADMIN_ONLY:
            capability.call(cur, actors["manager"], amal)
    assert _refusals(cur) == 0


# Through the pages: each actor opens the pages of its role that list or pick participants (every other
# page reads through the same domain calls as the rows above) and never sees a name it must not.
LISTING_PAGES = ("app_pages/people/participants.py", "app_pages/people/profile_summary.py",
                 "app_pages/programme/workshop.py", "app_pages/programme/cohorts.py",
                 "app_pages/programme/milestones.py", "app_pages/programme/notes.py", "app_pages/home.py")
NAMES = {"own": "Sara B", "amal": "Amal Haddad", "yonas": "Yonas Tesfay"}
PAGE_ATTEMPTS = (
    ("newcomer", ("amal", "yonas")),
    ("other_mentor", ("own", "amal", "yonas")),
    ("stakeholder", ("amal", "yonas")),
    ("withdrawn", ("own", "amal", "yonas")),
    ("admin", ("own", "amal", "yonas")),
    ("signed_out", ("own", "amal", "yonas")),
)


def _everything_shown(at) -> str:
    """The whole element tree of a run as text: labels, bodies, options and the tables' bytes."""
    seen, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        if getattr(node, "proto", None) is not None:
            seen.append(str(node.proto))
        stack.extend(getattr(node, "children", {}).values())
    return "\n".join(seen)


@pytest.mark.parametrize("who, unreachable", PAGE_ATTEMPTS, ids=[p[0] for p in PAGE_ATTEMPTS])
def test_no_page_shows_a_record_the_role_must_not_reach(app_env, cast, who, unreachable):
    actor = cast["actors"][who]
    role = actor.role if actor is not None else None
    shown = []
    for entry in [e for e in PAGES if role in e.roles and e.path in LISTING_PAGES]:
        at = signed_in_app(actor.user_id if actor else None, page=entry.path).run()
        assert not at.exception, (entry.path, [e.message for e in at.exception])
        text = _everything_shown(at)
        shown += [f"{entry.path}: {NAMES[key]}" for key in unreachable if NAMES[key] in text]
    assert shown == []
