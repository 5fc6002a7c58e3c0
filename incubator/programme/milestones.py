"""Milestones per participant and venture: instantiated from the templates of the chosen venture's
family and the venture's own licences from the catalogue, with due dates counted from a start date
(the cohort's, unless another is given); statuses with the allowed transitions only; an owner, an
evidence note and a completion date; every change a new version (a change made on an older version
is refused, never applied over someone else's) and a row of milestone_events.

Dates are judged against a `today` the caller passes (the domain never asks the clock), so that the
overdue list and the tests agree on what "today" is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from incubator.core import i18n, participant_stage
from incubator.core.access import Actor, is_allowed, require
from incubator.core.audit import audit
from incubator.core.db import retrying, transaction
from incubator.core.errors import ConcurrentChange, DomainError, NotFound, ValidationFailed
from incubator.core.i18n import N_
from incubator.market.labels import Label, labels_of
from incubator.plans import content as plan_content
from incubator.programme.stakeholders import (
    ProgrammeRecord,
    allowed_record,
    programme_record,
    visible_records,
)

STATUSES = {
    "todo": N_("To do"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "blocked": N_("Blocked"),
    "skipped": N_("Skipped"),
}
OPEN_STATUSES = frozenset({"todo", "in_progress", "blocked"})
# The only changes of status there are; blocked and skipped need a reason.
TRANSITIONS: dict[str, frozenset[str]] = {
    "todo": frozenset({"in_progress", "done", "blocked", "skipped"}),
    "in_progress": frozenset({"todo", "done", "blocked", "skipped"}),
    "blocked": frozenset({"todo", "in_progress", "done", "skipped"}),
    "done": frozenset({"in_progress"}),  # reopened: the completion date goes
    "skipped": frozenset({"todo"}),  # taken up again
}
NEEDS_REASON = frozenset({"blocked", "skipped"})
OWNERS = {"participant": N_("The participant"), "mentor": N_("The mentor"), "together": N_("Together")}
MAX_TEXT = 2000
PLAN_SECTION_KEYS = frozenset(plan_content.SECTION_KEYS) | frozenset(plan_content.CANVAS_KEYS)

TRANSITION_REFUSED = N_("A milestone that is {current} cannot become {wanted}.")
REASON_NEEDED = N_("Say why the milestone is {status}.")
TEXT_TOO_LONG = N_("A text has at most {limit} characters.")
BEFORE_START = N_("{date} is before the start of the programme ({start}).")
IN_THE_FUTURE = N_("{date} is in the future.")
TITLE_NEEDED = N_("Describe the milestone.")
START_NEEDED = N_("Give a start date: the participant is in no cohort.")
UNKNOWN_SECTION = N_("{key} is not a section of the business plan.")
NO_CHANGE = N_("Nothing was changed.")
LICENCE_TITLE = N_("Licence or registration: {licence}")


class MilestoneNotFound(NotFound):
    default_key = N_("This milestone does not exist.")


class MilestoneChangedMeanwhile(DomainError):
    """The milestone was changed by someone else after the version this change was made on."""

    default_key = N_("{by} changed this milestone meanwhile (it is now {status}). Nothing of yours was saved: "
                     "look at their change and make yours again.")


@dataclass(frozen=True)
class Template:
    key: str
    title: str  # msgid
    day: int  # days after the start
    owner: str = "participant"
    plan_section: str | None = None
    checklist_keys: tuple[str, ...] = ()
    after_launch: bool = False  # moved later for a family whose start takes longer


# What every venture goes through, in order. The funding checklist's items (incubator.plans.funding)
# are taken over by the milestone that delivers them.
COMMON_TEMPLATES: tuple[Template, ...] = (
    Template("market_check", N_("Market check: talk with ten potential customers"), 28, "participant",
             "market_marketing"),
    Template("plan_written", N_("Business plan written"), 70, "participant", "business_idea",
             ("bbz.business_plan", "qredits.business_plan")),
    Template("forecast_checked", N_("Financial forecast checked"), 84, "together", "operating_budget",
             ("bbz.forecast", "qredits.forecast", "bbz.private_budget")),
    Template("finance_arranged", N_("Finance arranged through Bbz or Qredits"), 126, "participant",
             "investment_financing", ("bbz.identity", "bbz.quotes", "qredits.identity", "qredits.bank_statements",
                                      "qredits.quotes"), True),
    Template("kvk_registration", N_("Registered at the KVK"), 140, "participant", None,
             ("bbz.kvk", "qredits.kvk", "licence.kvk_registration"), True),
    Template("first_customer", N_("First customer"), 168, "participant", "market_marketing", (), True),
    Template("first_invoice", N_("First invoice sent"), 182, "participant", "cash_flow", (), True),
    Template("running_6m", N_("Six months running"), 140 + 183, "participant", None, (), True),
    Template("running_12m", N_("Twelve months running"), 140 + 365, "participant", None, (), True),
    Template("running_24m", N_("Twenty-four months running"), 140 + 730, "participant", None, (), True),
)
# What one family adds, and how many days later its start usually comes (premises, food safety).
FAMILY_TEMPLATES: dict[str, tuple[Template, ...]] = {
    "self_employment": (Template("offer_ready", N_("Prices and a first offer ready"), 98, "participant",
                                 "market_marketing"),),
    "craft": (Template("workspace_arranged", N_("A place to work arranged: a shared workshop, a market stall or "
                                                "premises"), 112, "participant", "business_idea"),),
    "ethnic_entrepreneurship": (Template("suppliers_found", N_("Suppliers found for ingredients or goods"), 98,
                                         "participant", "investment_financing"),),
}
FAMILY_DELAY_DAYS = {"self_employment": 0, "craft": 14, "ethnic_entrepreneurship": 21}
LICENCE_DAY = 112  # a licence is applied for once the plan and the money are clear
TEMPLATE_TITLES = {t.key: t.title for t in (*COMMON_TEMPLATES, *(t for ts in FAMILY_TEMPLATES.values() for t in ts))}


@dataclass(frozen=True)
class Milestone:
    milestone_id: int
    participant_id: str
    template_key: str | None
    title: str | None  # the text of a milestone of one's own
    licence: Label | None
    plan_section: str | None
    checklist_keys: tuple[str, ...]
    due_on: dt.date
    owner: str
    status: str
    reason: str | None
    evidence: str | None
    completed_on: dt.date | None
    version: int
    updated_by: str | None
    updated_at: dt.datetime
    synthetic: bool = False

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def title_in(self, lang: str) -> str:
        """The milestone's name in a language (the text of one's own milestone as it was typed)."""
        if self.licence is not None:
            return i18n.translate(LICENCE_TITLE, lang, licence=self.licence.get(lang))
        if self.template_key in TEMPLATE_TITLES:
            return i18n.translate(TEMPLATE_TITLES[self.template_key], lang)
        return self.title or ""


def is_overdue(milestone: Milestone, *, today: dt.date) -> bool:
    """Still open (to do, in progress or blocked) after its due date."""
    return milestone.is_open and milestone.due_on < today


_MILESTONE_SQL = """
    SELECT m.milestone_id, m.participant_id, m.template_key, m.title,
           l.licence_id,
           m.plan_section, m.checklist_keys, m.due_on, m.owner, m.status, m.reason, m.evidence, m.completed_on,
           m.version, u.username, m.updated_at, m.synthetic
    FROM milestones m LEFT JOIN licences l ON l.licence_id = m.licence_id LEFT JOIN users u ON u.user_id = m.updated_by
"""


def _milestones(cur: duckdb.DuckDBPyConnection, where: str, params: Sequence[object]) -> list[Milestone]:
    rows = cur.execute(_MILESTONE_SQL + where + " ORDER BY m.due_on, m.position, m.milestone_id", list(params)).fetchall()
    licences = labels_of(cur, "licence") if any(row[4] for row in rows) else {}
    return [Milestone(row[0], row[1], row[2], row[3], (licences.get(row[4]) or Label.same(row[4])) if row[4] else None,
                      row[5], tuple(row[6]),
                      *row[7:]) for row in rows]


def get_milestone(cur: duckdb.DuckDBPyConnection, milestone_id: int) -> Milestone:
    found = _milestones(cur, "WHERE m.milestone_id = ?", [milestone_id])
    if not found:
        raise MilestoneNotFound()
    return found[0]


def _text(value: str | None) -> str | None:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationFailed(TEXT_TOO_LONG, limit=MAX_TEXT)
    return text or None


# ----------------------------------------------------------------------------- templates

@dataclass(frozen=True)
class PlannedMilestone:
    """A milestone a template gives, before it is saved."""

    template_key: str
    licence_id: str | None
    plan_section: str | None
    checklist_keys: tuple[str, ...]
    position: int
    due_on: dt.date
    owner: str


def templates_for(family: str | None, licences: Sequence[tuple[str, int | None]], start_on: dt.date) -> list[PlannedMilestone]:
    """The milestones of a venture of this family with these licences ((licence_id, lead time in
    weeks), the catalogue's order), due counted from `start_on`. Without a family (no venture chosen
    yet) only the common ones. The KVK registration is its own milestone, not a licence one."""
    delay = FAMILY_DELAY_DAYS.get(family or "", 0)
    chosen = sorted((*COMMON_TEMPLATES, *FAMILY_TEMPLATES.get(family or "", ())), key=lambda t: t.day)
    planned = [PlannedMilestone(t.key, None, t.plan_section, t.checklist_keys, 0,
                                start_on + dt.timedelta(days=t.day + (delay if t.after_launch else 0)), t.owner)
               for t in chosen]
    for licence_id, lead_weeks in licences:
        if licence_id == "kvk_registration":
            continue
        due = start_on + dt.timedelta(days=LICENCE_DAY + delay + 7 * int(lead_weeks or 0))
        planned.append(PlannedMilestone(f"licence.{licence_id}", licence_id, "business_idea", (f"licence.{licence_id}",),
                                        0, due, "participant"))
    planned.sort(key=lambda p: (p.due_on, p.template_key))
    return [PlannedMilestone(p.template_key, p.licence_id, p.plan_section, p.checklist_keys, i, p.due_on, p.owner)
            for i, p in enumerate(planned, start=1)]


def _venture_of(cur: duckdb.DuckDBPyConnection, participant_id: str) -> tuple[str | None, str | None, list]:
    """The current choice's venture (id, family, licences with lead times); (None, family, []) for an
    idea, (None, None, []) without a choice."""
    row = cur.execute(
        "SELECT c.venture_id, coalesce(v.family, i.family) FROM venture_choices c"
        " LEFT JOIN ventures v ON v.venture_id = c.venture_id LEFT JOIN venture_ideas i ON i.idea_id = c.idea_id"
        " WHERE c.participant_id = ? ORDER BY c.chosen_at DESC, c.choice_id DESC LIMIT 1", [participant_id]).fetchone()
    if row is None:
        return None, None, []
    venture_id, family = row
    licences = cur.execute(
        "SELECT vl.licence_id, l.lead_time_weeks FROM venture_licences vl LEFT JOIN licences l USING (licence_id)"
        " WHERE vl.venture_id = ? ORDER BY vl.position", [venture_id]).fetchall() if venture_id else []
    return venture_id, family, licences


def start_date(cur: duckdb.DuckDBPyConnection, record: ProgrammeRecord) -> dt.date | None:
    """Where the participant's milestones are counted from: their milestone plan's start, else their
    cohort's start; None when they have neither."""
    row = cur.execute("SELECT start_on FROM milestone_plans WHERE participant_id = ?", [record.participant_id]).fetchone()
    if row is not None:
        return row[0]
    if record.cohort_id is None:
        return None
    return cur.execute("SELECT start_on FROM cohorts WHERE cohort_id = ?", [record.cohort_id]).fetchone()[0]


def instantiate(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str,
                start_on: dt.date | None = None) -> list[Milestone]:
    """Give the participant the milestones of their chosen venture (its family's templates and its
    licences), due from `start_on` or their cohort's start. Milestones they have already keep their
    status; a venture chosen later adds its own licences. Returns all their milestones."""
    record = allowed_record(cur, actor, "milestone.plan", participant_id)
    start = start_on or start_date(cur, record)
    if start is None:
        raise ValidationFailed(START_NEEDED)

    def write() -> None:
        with transaction(cur):
            venture_id, family, licences = _venture_of(cur, participant_id)
            kept = cur.execute("SELECT start_on FROM milestone_plans WHERE participant_id = ?", [participant_id]).fetchone()
            first = start if kept is None or start_on is not None else kept[0]
            planned = templates_for(family, licences, first)
            cur.execute("INSERT INTO milestone_plans (participant_id, start_on, family, venture_id, created_by)"
                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (participant_id) DO UPDATE SET start_on = excluded.start_on,"
                        " family = excluded.family, venture_id = excluded.venture_id",
                        [participant_id, first, family, venture_id, actor.account_id])
            insert_planned(cur, {participant_id: planned}, actor_id=actor.account_id)
            audit(cur, actor.account_id, "milestone.instantiate", f"participant:{participant_id}")

    retrying(cur, write, queue=[f"milestones:{participant_id}"])
    return _milestones(cur, "WHERE m.participant_id = ?", [participant_id])


def insert_planned(cur: duckdb.DuckDBPyConnection, planned: dict[str, list[PlannedMilestone]], *,
                   actor_id: int | None, synthetic: bool = False) -> None:
    """Insert planned milestones of many participants in one statement (inside the caller's
    transaction); the ones a participant has already are left as they are."""
    rows = [(pid, p.template_key, p.licence_id, p.plan_section, list(p.checklist_keys), p.position, p.due_on, p.owner)
            for pid, items in planned.items() for p in items]
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=["participant_id", "template_key", "licence_id", "plan_section",
                                        "checklist_keys", "position", "due_on", "owner"])
    cur.register("planned_milestones", frame)
    try:
        cur.execute(
            "INSERT INTO milestones (participant_id, template_key, licence_id, plan_section, checklist_keys, position,"
            " due_on, owner, status, version, created_by, updated_by, synthetic)"
            " SELECT participant_id, template_key, licence_id, plan_section, CAST(checklist_keys AS VARCHAR[]), position,"
            " CAST(due_on AS DATE), owner, 'todo', 1, ?, ?, ? FROM planned_milestones"
            " ON CONFLICT (participant_id, template_key) DO NOTHING", [actor_id, actor_id, synthetic])
    finally:
        cur.unregister("planned_milestones")


def add_milestone(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, title: str, due_on: dt.date,
                  owner: str = "participant", plan_section: str | None = None, from_step_id: int | None = None) -> Milestone:
    """A milestone of one's own (or made from a session's next step), due on or after the start."""
    record = allowed_record(cur, actor, "milestone.plan", participant_id)
    text = _text(title)
    if text is None:
        raise ValidationFailed(TITLE_NEEDED)
    if owner not in OWNERS:
        raise ValidationFailed()
    if plan_section is not None and plan_section not in PLAN_SECTION_KEYS:
        raise ValidationFailed(UNKNOWN_SECTION, key=plan_section)
    start = start_date(cur, record) or record.intake_on
    if due_on < start:
        raise ValidationFailed(BEFORE_START, date=due_on, start=start)

    def write() -> int:
        with transaction(cur):
            if from_step_id is not None:
                made = cur.execute("SELECT milestone_id FROM milestones WHERE from_step_id = ?", [from_step_id]).fetchone()
                if made is not None:  # made from this step already (also by someone at the same moment)
                    return made[0]
            position = cur.execute("SELECT coalesce(max(position), 0) + 1 FROM milestones WHERE participant_id = ?",
                                   [participant_id]).fetchone()[0]
            milestone_id = cur.execute(
                "INSERT INTO milestones (participant_id, title, plan_section, checklist_keys, position, due_on, owner,"
                " status, version, created_by, updated_by, from_step_id)"
                " VALUES (?, ?, ?, [], ?, ?, ?, 'todo', 1, ?, ?, ?) RETURNING milestone_id",
                [participant_id, text, plan_section, position, due_on, owner, actor.account_id, actor.account_id,
                 from_step_id]).fetchone()[0]
            audit(cur, actor.account_id, "milestone.add", f"participant:{participant_id}")
            return milestone_id

    return get_milestone(cur, retrying(cur, write, queue=[f"milestones:{participant_id}"]))


def milestones_of(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> list[Milestone]:
    """The participant's milestones by due date."""
    allowed_record(cur, actor, "milestone.view", participant_id)
    return _milestones(cur, "WHERE m.participant_id = ?", [participant_id])


def milestones_of_many(cur: duckdb.DuckDBPyConnection, participant_ids: Sequence[str]) -> dict[str, list[Milestone]]:
    """The milestones of many participants in one query (callers check access)."""
    if not participant_ids:
        return {}
    found: dict[str, list[Milestone]] = {pid: [] for pid in participant_ids}
    for milestone in _milestones(cur, "WHERE m.participant_id IN (SELECT unnest(?))", [list(participant_ids)]):
        found[milestone.participant_id].append(milestone)
    return found


# ----------------------------------------------------------------------------- changes

@dataclass(frozen=True)
class Change:
    """A change to one milestone, made on the version the person saw. None leaves a field as it is."""

    milestone_id: int
    base_version: int
    status: str | None = None
    reason: str | None = None
    evidence: str | None = None
    completed_on: dt.date | None = None
    due_on: dt.date | None = None
    owner: str | None = None


@dataclass(frozen=True)
class Conflict:
    """A change not saved because someone else changed the milestone after the version it was made on."""

    change: Change
    current: Milestone


@dataclass
class Applied:
    saved: list[Milestone] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def _checked(cur: duckdb.DuckDBPyConnection, actor: Actor, change: Change, current: Milestone,
             record: ProgrammeRecord, today: dt.date) -> dict[str, object]:
    """The new values of a change after every check (nothing is written here). Raises NotAllowed,
    ValidationFailed."""
    require(actor, "milestone.update", record)
    if (change.due_on is not None and change.due_on != current.due_on) or \
            (change.owner is not None and change.owner != current.owner):
        require(actor, "milestone.plan", record)
    status = change.status or current.status
    start = start_date(cur, record) or record.intake_on
    values: dict[str, object] = {"status": status, "reason": current.reason, "completed_on": current.completed_on,
                                 "evidence": current.evidence, "due_on": current.due_on, "owner": current.owner}
    if status not in STATUSES:
        raise ValidationFailed()
    if status != current.status and status not in TRANSITIONS[current.status]:
        raise ValidationFailed(TRANSITION_REFUSED, current=i18n.Msgid(STATUSES[current.status]),
                               wanted=i18n.Msgid(STATUSES[status]))
    if status in NEEDS_REASON:
        reason = _text(change.reason) if change.reason is not None else (current.reason if status == current.status else None)
        if reason is None:
            raise ValidationFailed(REASON_NEEDED, status=i18n.Msgid(STATUSES[status]))
        values["reason"] = reason
    else:
        values["reason"] = None
    if status == "done":
        completed = change.completed_on or current.completed_on or today
        if completed < start:
            raise ValidationFailed(BEFORE_START, date=completed, start=start)
        if completed > today:
            raise ValidationFailed(IN_THE_FUTURE, date=completed)
        values["completed_on"] = completed
    else:
        values["completed_on"] = None
    if change.evidence is not None:
        values["evidence"] = _text(change.evidence)
    if change.due_on is not None:
        if change.due_on < start:
            raise ValidationFailed(BEFORE_START, date=change.due_on, start=start)
        values["due_on"] = change.due_on
    if change.owner is not None:
        if change.owner not in OWNERS:
            raise ValidationFailed()
        values["owner"] = change.owner
    return values


_FIELDS = ("status", "reason", "completed_on", "evidence", "due_on", "owner")


def apply_changes(cur: duckdb.DuckDBPyConnection, *, actor: Actor, changes: Sequence[Change], today: dt.date) -> Applied:
    """Apply changes to milestones in one transaction. A change made on an older version than the
    milestone has now is not applied and comes back as a Conflict with what the milestone is now;
    the others are saved together. A change that is not allowed (a transition, a date before the
    start, a milestone of someone the actor may not change) refuses them all: nothing is changed."""
    wanted = {c.milestone_id: c for c in changes}
    if len(wanted) != len(changes):
        raise ValidationFailed()

    def write() -> Applied:
        applied = Applied()
        with transaction(cur):
            current = {m.milestone_id: m for m in _milestones(cur, "WHERE m.milestone_id IN (SELECT unnest(?))",
                                                                     [list(wanted)])}
            records: dict[str, ProgrammeRecord] = {}
            for change in changes:
                milestone = current.get(change.milestone_id)
                if milestone is None:
                    raise MilestoneNotFound()
                record = records.get(milestone.participant_id) or programme_record(cur, milestone.participant_id)
                records[milestone.participant_id] = record
                if milestone.version != change.base_version:
                    require(actor, "milestone.view", record)
                    applied.conflicts.append(Conflict(change, milestone))
                    continue
                values = _checked(cur, actor, change, milestone, record, today)
                if all(values[name] == getattr(milestone, name) for name in _FIELDS):
                    continue
                # Guarded by the version read above; a writer that got in between conflicts with this
                # update (DuckDB) and the whole check-in runs again, then finds their version.
                updated = cur.execute(
                    "UPDATE milestones SET status = ?, reason = ?, completed_on = ?, evidence = ?, due_on = ?, owner = ?,"
                    " version = version + 1, updated_by = ?, updated_at = current_timestamp"
                    " WHERE milestone_id = ? AND version = ?",
                    [*(values[name] for name in _FIELDS), actor.account_id, milestone.milestone_id, milestone.version],
                ).fetchone()[0]
                if updated != 1:
                    raise ConcurrentChange()  # changed after it was read: the retry reads it again
                cur.execute(
                    "INSERT INTO milestone_events (milestone_id, version, status, reason, evidence, completed_on,"
                    " changed_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [milestone.milestone_id, milestone.version + 1, values["status"], values["reason"],
                     values["evidence"], values["completed_on"], actor.account_id])
                audit(cur, actor.account_id, "milestone.update", f"participant:{milestone.participant_id}")
                applied.saved.append(milestone)
            # Only the finance milestone dates a stage; other milestones leave participant_stage alone (and
            # so do not meet another writer of the participant's row there).
            participant_stage.refresh(cur, [m.participant_id for m in applied.saved
                                            if m.template_key == participant_stage.FINANCE_MILESTONE])
        fresh = {m.milestone_id: m for m in _milestones(cur, "WHERE m.milestone_id IN (SELECT unnest(?))",
                                                         [[m.milestone_id for m in applied.saved] or [-1]])}
        applied.saved = [fresh[m.milestone_id] for m in applied.saved]
        return applied

    return retrying(cur, write, queue=[f"milestone:{milestone_id}" for milestone_id in wanted])


def check_change(cur: duckdb.DuckDBPyConnection, *, actor: Actor, change: Change, today: dt.date) -> None:
    """Raise what `apply_changes` would raise for this change on the milestone as it is now
    (NotAllowed, ValidationFailed, MilestoneNotFound); writes nothing. For previews (the workbook)."""
    current = get_milestone(cur, change.milestone_id)
    _checked(cur, actor, change, current, programme_record(cur, current.participant_id), today)


def update_milestone(cur: duckdb.DuckDBPyConnection, *, actor: Actor, milestone_id: int, base_version: int,
                     today: dt.date, status: str | None = None, reason: str | None = None, evidence: str | None = None,
                     completed_on: dt.date | None = None, due_on: dt.date | None = None,
                     owner: str | None = None) -> Milestone:
    """Change one milestone, made on `base_version`. Raises MilestoneChangedMeanwhile when someone else
    changed it since, ValidationFailed for a transition that is not allowed or a date out of range."""
    change = Change(milestone_id, base_version, status, reason, evidence, completed_on, due_on, owner)
    applied = apply_changes(cur, actor=actor, changes=[change], today=today)
    if applied.conflicts:
        current = applied.conflicts[0].current
        raise MilestoneChangedMeanwhile(None, by=current.updated_by or "-", status=i18n.Msgid(STATUSES[current.status]))
    if not applied.saved:
        return get_milestone(cur, milestone_id)
    return applied.saved[0]


def history(cur: duckdb.DuckDBPyConnection, *, actor: Actor, milestone_id: int) -> pd.DataFrame:
    """Every change of one milestone, oldest first (version, status, reason, evidence, by, when)."""
    milestone = get_milestone(cur, milestone_id)
    allowed_record(cur, actor, "milestone.view", milestone.participant_id)
    return cur.execute(
        "SELECT e.version, e.status, e.reason, e.evidence, e.completed_on, u.username AS changed_by, e.changed_at"
        " FROM milestone_events e LEFT JOIN users u ON u.user_id = e.changed_by WHERE e.milestone_id = ?"
        " ORDER BY e.version", [milestone_id]).df()


# ----------------------------------------------------------------------------- overdue

@dataclass(frozen=True)
class Overdue:
    milestone: Milestone
    display_name: str | None
    days_late: int
    mentors: tuple[str, ...]
    synthetic: bool


def overdue(cur: duckdb.DuckDBPyConnection, *, actor: Actor, today: dt.date,
            mentor_user_id: int | None = None) -> list[Overdue]:
    """The open milestones past their due date of the participants this actor may see (a mentor: the
    ones they mentor; a manager: everyone's, or one mentor's), the longest overdue first."""
    if mentor_user_id is not None and mentor_user_id != actor.user_id:
        require(actor, "cohort.manage")
    records = {r.participant_id: r for r in visible_records(cur, actor=actor)
               if mentor_user_id is None or mentor_user_id in r.mentor_user_ids}
    if not records:
        return []
    mentor_names = dict(cur.execute("SELECT user_id, username FROM users WHERE role = 'mentor'").fetchall())
    late = _milestones(cur, "WHERE m.participant_id IN (SELECT unnest(?)) AND m.status IN ('todo', 'in_progress', 'blocked')"
                       " AND m.due_on < ?", [list(records), today])
    found = [Overdue(m, records[m.participant_id].display_name, (today - m.due_on).days,
                     tuple(mentor_names.get(u, "-") for u in records[m.participant_id].mentor_user_ids),
                     records[m.participant_id].synthetic) for m in late]
    return sorted(found, key=lambda o: (-o.days_late, o.milestone.participant_id, o.milestone.milestone_id))


def may_plan(actor: Actor, record: ProgrammeRecord) -> bool:
    return is_allowed(actor, "milestone.plan", record)


def may_update(actor: Actor, record: ProgrammeRecord) -> bool:
    return is_allowed(actor, "milestone.update", record)
