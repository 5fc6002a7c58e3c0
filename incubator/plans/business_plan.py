"""Business plans in the store: one plan per participant and chosen venture (or mentor's idea), each
save a new numbered version, comments on a block, and the version each reader last viewed.

Access is decided here: a newcomer views and edits their own plan, a mentor the plans of the
participants assigned to them (and comments), a manager every plan; an administrator none. A plan
can be edited only while its venture is the participant's current choice and has not been set
aside: otherwise the plan says so plainly and stays as it was. Every write is one function
(`_insert_version`, `add_comment`, `_record_view`, `_insert_plan`); starting a plan and commenting are
retried on a write conflict (`db.retrying`); two
people saving on top of the same version never overwrite each other: the second is refused with
PlanChangedMeanwhile (a ConcurrentChange)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import duckdb

from incubator.core import participant_stage
from incubator.core.access import Actor, is_allowed, require
from incubator.core.audit import audit
from incubator.core.db import retrying, transaction
from incubator.core.errors import ConcurrentChange, DomainError, NotFound, ValidationFailed
from incubator.core.i18n import N_
from incubator.market.labels import Label, label_of
from incubator.people import participants, snapshots
from incubator.people.participants import ParticipantRecord
from incubator.plans import content as pc
from incubator.plans import prefill
from incubator.plans.forecast import Forecast, compute
from incubator.suggestions import choices

VIEW_AUDIT_MINUTES = 10
MAX_COMMENT = 2000

STATUS_MESSAGES = {
    "set_aside": N_("This plan is for {venture}, which was set aside on {date}. It can be read but no longer "
                    "changed. Bring the venture back on the Suggestions page, or choose another one."),
    "replaced": N_("This plan is for {venture}, but {current} was chosen since. It can be read but no longer "
                   "changed. Open the plan of the current choice."),
    "idea_withdrawn": N_("This plan is for the idea {venture}, which was withdrawn. It can be read but no longer "
                         "changed."),
}


class PlanNotFound(NotFound):
    default_key = N_("This business plan does not exist.")


class NoVentureChosen(NotFound):
    default_key = N_("Choose a venture on the Suggestions page first.")


class NoPlanYet(NotFound):
    default_key = N_("{participant_id} has no business plan yet. Choose a venture and start its plan.")


class PlanNotCurrent(DomainError):
    """The plan's venture was set aside or replaced by a newer choice; the plan is read-only."""


class VentureSetAside(ValidationFailed):
    default_key = N_("Venture {venture} was set aside for this participant on {date}. Bring it back on the "
                     "Suggestions page first.")


class PlanChangedMeanwhile(ConcurrentChange):
    default_key = N_("Someone else saved this plan (version {latest}) while you were working on version {base}. "
                     "Nothing of yours was saved: load the latest version and make your change again.")


@dataclass(frozen=True)
class Comment:
    comment_id: int
    block: str
    body: str  # as typed: shown as text, never as Markdown or HTML
    version: int
    written_by: str | None
    written_at: dt.datetime


@dataclass(frozen=True)
class Plan:
    plan_id: int
    participant_id: str
    display_name: str | None
    venture_id: str | None
    idea_id: int | None
    name: Label  # the venture's names, or the idea's title in every language
    version: int
    saved_at: dt.datetime
    saved_by: str | None
    content: pc.PlanContent
    status: str  # current | set_aside | replaced | idea_withdrawn
    status_params: dict
    may_edit: bool
    may_comment: bool
    last_viewed_version: int | None  # by the reader, before this view
    revenue_month_high_cents: int | None  # the catalogue's upper revenue, for a warning

    @property
    def editable(self) -> bool:
        return self.may_edit and self.status == "current"

    @property
    def status_message(self) -> tuple[str, dict] | None:
        return None if self.status == "current" else (STATUS_MESSAGES[self.status], self.status_params)


@dataclass(frozen=True)
class VersionInfo:
    version: int
    saved_by: str | None
    saved_at: dt.datetime


@dataclass(frozen=True)
class PlanChanges:
    since_version: int | None  # None: the reader has not seen the plan before
    latest_version: int
    changed: list[pc.Change]
    saved_by: list[str]  # who saved the versions in between


def _record(cur: duckdb.DuckDBPyConnection, actor: Actor, permission: str, participant_id: str) -> ParticipantRecord:
    record = participants.get_participant(cur, participant_id)
    require(actor, permission, record)
    return record


def _venture_key(venture_id: str | None, idea_id: int | None) -> str:
    return venture_id if venture_id is not None else f"idea:{idea_id}"


def _name(cur: duckdb.DuckDBPyConnection, venture_id: str | None, idea_id: int | None) -> Label:
    if venture_id is not None:
        return label_of(cur, "venture", venture_id) or Label.same(venture_id)
    row = cur.execute("SELECT title FROM venture_ideas WHERE idea_id = ?", [idea_id]).fetchone()
    return Label.same(row[0] if row else str(idea_id))


def _set_aside_at(cur: duckdb.DuckDBPyConnection, participant_id: str, venture_id: str | None) -> dt.datetime | None:
    if venture_id is None:
        return None
    row = cur.execute("SELECT max(set_at) FROM suggestion_set_asides WHERE participant_id = ? AND venture_id = ?"
                      " AND restored_at IS NULL", [participant_id, venture_id]).fetchone()
    return row[0]


def _status(cur: duckdb.DuckDBPyConnection, row: dict, choice: choices.Choice | None) -> tuple[str, dict]:
    name = _name(cur, row["venture_id"], row["idea_id"])
    set_at = _set_aside_at(cur, row["participant_id"], row["venture_id"])
    if set_at is not None:
        return "set_aside", {"venture": name, "date": set_at.date().isoformat()}
    if row["idea_id"] is not None:
        withdrawn = cur.execute("SELECT withdrawn_at FROM venture_ideas WHERE idea_id = ?", [row["idea_id"]]).fetchone()
        if withdrawn is None or withdrawn[0] is not None:
            return "idea_withdrawn", {"venture": name}
    if choice is None or _venture_key(choice.venture_id, choice.idea_id) != row["venture_key"]:
        return "replaced", {"venture": name, "current": choice.name if choice else "-"}
    return "current", {}


# ----------------------------------------------------------------------------- starting a plan

def _insert_plan(cur: duckdb.DuckDBPyConnection, actor: Actor, participant_id: str, venture_id: str | None,
                 idea_id: int | None, first: pc.PlanContent) -> int:
    """The plan of this participant and venture with its version 1; when it exists already (also when
    someone started it at the same moment), the existing one."""
    key = _venture_key(venture_id, idea_id)

    def write() -> None:
        with transaction(cur):
            created = cur.execute(
                "INSERT INTO plans (participant_id, venture_id, idea_id, venture_key, created_by) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING plan_id",
                [participant_id, venture_id, idea_id, key, actor.account_id]).fetchone()
            if created is not None:
                cur.execute("INSERT INTO plan_versions (plan_id, version, content, saved_by) VALUES (?, 1, ?, ?)",
                            [created[0], json.dumps(first.to_dict()), actor.account_id])
                participant_stage.refresh(cur, [participant_id])  # "Plan started" is the first version
                audit(cur, actor.account_id, "plan.create", f"participant:{participant_id}")

    # Started by someone else at the same moment: the retry finds theirs, which is then the plan.
    retrying(cur, write, queue=[f"plan:{participant_id}:{key}"])
    row = cur.execute("SELECT plan_id FROM plans WHERE participant_id = ? AND venture_key = ?",
                      [participant_id, key]).fetchone()
    if row is None:
        raise ConcurrentChange()
    return row[0]


def start_plan(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> Plan:
    """The plan of the participant's current choice, started (prefilled from the catalogue) when it
    does not exist yet. Raises NoVentureChosen, VentureSetAside."""
    record = _record(cur, actor, "plan.edit", participant_id)
    choice = choices.current_choice(cur, actor=actor, participant_id=participant_id)
    if choice is None:
        raise NoVentureChosen()
    set_at = _set_aside_at(cur, participant_id, choice.venture_id)
    if set_at is not None:
        raise VentureSetAside(None, venture=choice.name, date=set_at.date().isoformat())
    existing = cur.execute("SELECT plan_id FROM plans WHERE participant_id = ? AND venture_key = ?",
                           [participant_id, _venture_key(choice.venture_id, choice.idea_id)]).fetchone()
    if existing is None:
        try:
            profile = snapshots.load_profile(cur, actor=actor, participant_id=participant_id)
        except snapshots.ProfileNotSaved:
            profile = None
        first = prefill.first_content(cur, venture_id=choice.venture_id, profile=profile)
        plan_id = _insert_plan(cur, actor, record.participant_id, choice.venture_id, choice.idea_id, first)
    else:
        plan_id = existing[0]
    return open_plan(cur, actor=actor, plan_id=plan_id)


def create_plan(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, venture_id: str | None = None,
                idea_id: int | None = None, model=None) -> Plan:
    """Choose a venture (or idea) for the participant, as "Choose this venture" does, and start its plan."""
    _record(cur, actor, "plan.edit", participant_id)
    set_at = _set_aside_at(cur, participant_id, venture_id)
    if set_at is not None:
        raise VentureSetAside(None, venture=_name(cur, venture_id, None).en, date=set_at.date().isoformat())
    current = choices.current_choice(cur, actor=actor, participant_id=participant_id)
    if current is None or (current.venture_id, current.idea_id) != (venture_id, idea_id):
        choices.choose_venture(cur, actor=actor, participant_id=participant_id, venture_id=venture_id, idea_id=idea_id,
                               model=model)
    return start_plan(cur, actor=actor, participant_id=participant_id)


# ----------------------------------------------------------------------------- reading

def _plan_row(cur: duckdb.DuckDBPyConnection, plan_id: int) -> dict:
    found = cur.execute("SELECT plan_id, participant_id, venture_id, idea_id, venture_key FROM plans WHERE plan_id = ?",
                        [plan_id]).fetchone()
    if found is None:
        raise PlanNotFound()
    return dict(zip(("plan_id", "participant_id", "venture_id", "idea_id", "venture_key"), found, strict=True))


def _version_row(cur: duckdb.DuckDBPyConnection, plan_id: int, version: int | None = None) -> tuple:
    row = cur.execute(
        "SELECT v.version, v.content, u.username, v.saved_at FROM plan_versions v LEFT JOIN users u ON u.user_id = v.saved_by"
        " WHERE v.plan_id = ? AND (? IS NULL OR v.version = ?) ORDER BY v.version DESC LIMIT 1",
        [plan_id, version, version]).fetchone()
    if row is None:
        raise PlanNotFound()
    return row


def latest_version(cur: duckdb.DuckDBPyConnection, plan_id: int) -> int:
    return cur.execute("SELECT max(version) FROM plan_versions WHERE plan_id = ?", [plan_id]).fetchone()[0] or 0


def _audit_view(cur: duckdb.DuckDBPyConnection, actor: Actor, record: ParticipantRecord) -> None:
    """A view by someone other than the owner, once per ten minutes (every widget change reruns a page)."""
    if record.owner_user_id == actor.user_id:
        return
    subject = f"participant:{record.participant_id}"
    recent = cur.execute(
        "SELECT 1 FROM audit_log WHERE actor_user_id IS NOT DISTINCT FROM ? AND action = 'plan.view'"
        " AND subject = ? AND happened_at > current_timestamp - to_minutes(?) LIMIT 1",
        [actor.account_id, subject, VIEW_AUDIT_MINUTES]).fetchone()
    if recent is None:
        audit(cur, actor.account_id, "plan.view", subject)


def _record_view(cur: duckdb.DuckDBPyConnection, actor: Actor, plan_id: int, version: int) -> int | None:
    """Remember that this reader has seen `version`; returns the version they had seen before."""
    if actor.account_id is None:
        return None
    row = cur.execute("SELECT version FROM plan_views WHERE plan_id = ? AND user_id = ?",
                      [plan_id, actor.account_id]).fetchone()
    before = row[0] if row else None
    if before is None or before < version:
        try:
            cur.execute("INSERT INTO plan_views (plan_id, user_id, version) VALUES (?, ?, ?) ON CONFLICT DO UPDATE"
                        " SET version = excluded.version, viewed_at = now()"
                        " WHERE plan_views.version < excluded.version", [plan_id, actor.account_id, version])
        except (duckdb.ConstraintException, duckdb.TransactionException):
            pass  # the same reader in another window recorded the same view at the same moment
    return before


def open_plan(cur: duckdb.DuckDBPyConnection, *, actor: Actor, plan_id: int, version: int | None = None,
              record_view: bool = True) -> Plan:
    """A plan at its latest version (or `version`), with its status and what the reader may do."""
    row = _plan_row(cur, plan_id)
    record = _record(cur, actor, "plan.view", row["participant_id"])
    _audit_view(cur, actor, record)
    number, content, saved_by, saved_at = _version_row(cur, plan_id, version)
    choice = choices.current_choice(cur, actor=actor, participant_id=row["participant_id"]) \
        if is_allowed(actor, "suggest.view", record) else None
    status, params = _status(cur, row, choice)
    seen = _record_view(cur, actor, plan_id, number) if record_view else None
    high = None
    if row["venture_id"] is not None:
        found = cur.execute("SELECT revenue_month_high_eur FROM ventures WHERE venture_id = ?", [row["venture_id"]]).fetchone()
        high = found[0] * 100 if found else None
    return Plan(plan_id, row["participant_id"], record.display_name, row["venture_id"],
                row["idea_id"], _name(cur, row["venture_id"], row["idea_id"]),
                number, saved_at, saved_by, pc.PlanContent.from_dict(json.loads(content)), status, params,
                is_allowed(actor, "plan.edit", record), is_allowed(actor, "plan.comment", record), seen, high)


def plan_ids_of(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> list[int]:
    """Every plan of the participant, the newest first."""
    _record(cur, actor, "plan.view", participant_id)
    return [r[0] for r in cur.execute("SELECT plan_id FROM plans WHERE participant_id = ? ORDER BY created_at DESC,"
                                      " plan_id DESC", [participant_id]).fetchall()]


def current_plan(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> Plan | None:
    """The plan of the current choice; else the newest plan (which then says why it is read-only);
    None when the participant has no plan."""
    record = _record(cur, actor, "plan.view", participant_id)
    choice = choices.current_choice(cur, actor=actor, participant_id=participant_id) \
        if is_allowed(actor, "suggest.view", record) else None
    if choice is not None:
        row = cur.execute("SELECT plan_id FROM plans WHERE participant_id = ? AND venture_key = ?",
                          [participant_id, _venture_key(choice.venture_id, choice.idea_id)]).fetchone()
        if row is not None:
            return open_plan(cur, actor=actor, plan_id=row[0])
    ids = plan_ids_of(cur, actor=actor, participant_id=participant_id)
    return open_plan(cur, actor=actor, plan_id=ids[0]) if ids else None


def versions(cur: duckdb.DuckDBPyConnection, *, actor: Actor, plan_id: int) -> list[VersionInfo]:
    row = _plan_row(cur, plan_id)
    _record(cur, actor, "plan.view", row["participant_id"])
    return [VersionInfo(*r) for r in cur.execute(
        "SELECT v.version, u.username, v.saved_at FROM plan_versions v LEFT JOIN users u ON u.user_id = v.saved_by"
        " WHERE v.plan_id = ? ORDER BY v.version", [plan_id]).fetchall()]


def changes_since(cur: duckdb.DuckDBPyConnection, *, actor: Actor, plan_id: int, since_version: int | None) -> PlanChanges:
    """What changed between the version the reader saw last (else the last one they saved, else the
    version before the latest) and the latest version: blocks and fields, and who saved in between."""
    row = _plan_row(cur, plan_id)
    _record(cur, actor, "plan.view", row["participant_id"])
    latest = latest_version(cur, plan_id)
    baseline = since_version
    if baseline is None and actor.account_id is not None:
        baseline = cur.execute("SELECT max(version) FROM plan_versions WHERE plan_id = ? AND saved_by = ?",
                               [plan_id, actor.account_id]).fetchone()[0]
    if baseline is None and latest > 1:
        baseline = latest - 1
    if baseline is None or baseline >= latest:
        return PlanChanges(baseline, latest, [], [])
    old = pc.PlanContent.from_dict(json.loads(_version_row(cur, plan_id, baseline)[1]))
    new = pc.PlanContent.from_dict(json.loads(_version_row(cur, plan_id, latest)[1]))
    names = [r[0] or "-" for r in cur.execute(
        "SELECT DISTINCT u.username FROM plan_versions v LEFT JOIN users u ON u.user_id = v.saved_by"
        " WHERE v.plan_id = ? AND v.version > ? ORDER BY 1", [plan_id, baseline]).fetchall()]
    return PlanChanges(baseline, latest, pc.changes(old, new), names)


# ----------------------------------------------------------------------------- writing

def _editable(cur: duckdb.DuckDBPyConnection, actor: Actor, plan_id: int) -> Plan:
    plan = open_plan(cur, actor=actor, plan_id=plan_id, record_view=False)
    if not plan.may_edit:
        require(actor, "plan.edit", participants.get_participant(cur, plan.participant_id))
    if plan.status != "current":
        key, params = plan.status_message
        raise PlanNotCurrent(key, **params)
    return plan


def _insert_version(cur: duckdb.DuckDBPyConnection, actor: Actor, plan: Plan, base_version: int,
                    content: pc.PlanContent) -> int:
    """Save `content` as the version after `base_version`, unless someone saved after it meanwhile.
    A later version changes nothing in participant_stage (the plan's first version dates the stage)."""
    try:
        with transaction(cur):
            latest = latest_version(cur, plan.plan_id)
            if latest != base_version:
                raise PlanChangedMeanwhile(None, latest=latest, base=base_version)
            cur.execute("INSERT INTO plan_versions (plan_id, version, content, saved_by) VALUES (?, ?, ?, ?)",
                        [plan.plan_id, base_version + 1, json.dumps(content.to_dict()), actor.account_id])
            audit(cur, actor.account_id, "plan.save", f"participant:{plan.participant_id}")
    except PlanChangedMeanwhile:
        raise
    except (ConcurrentChange, duckdb.ConstraintException, duckdb.TransactionException):
        # Someone saved the same version number at the same moment: theirs counts, this one is refused.
        raise PlanChangedMeanwhile(None, latest=latest_version(cur, plan.plan_id), base=base_version) from None
    return base_version + 1


def _save(cur: duckdb.DuckDBPyConnection, actor: Actor, plan_id: int, base_version: int, change) -> int:
    plan = _editable(cur, actor, plan_id)
    base = plan.content if base_version == plan.version else \
        pc.PlanContent.from_dict(json.loads(_version_row(cur, plan_id, base_version)[1]))
    content = pc.without_stale_suggestions(change(base))
    return _insert_version(cur, actor, plan, base_version, content)


def save_texts(cur: duckdb.DuckDBPyConnection, *, actor: Actor, plan_id: int, base_version: int,
               canvas: dict[str, Any] | None = None, sections: dict[str, Any] | None = None) -> int:
    """Save the lean canvas and/or the plan sections as a new version. Returns the version number."""
    new_canvas = pc.texts(canvas, pc.CANVAS_KEYS) if canvas is not None else None
    new_sections = pc.texts(sections, pc.SECTION_KEYS) if sections is not None else None
    return _save(cur, actor, plan_id, base_version, lambda base: dataclasses.replace(
        base, canvas=new_canvas if new_canvas is not None else base.canvas,
        sections=new_sections if new_sections is not None else base.sections))


def save_money(cur: duckdb.DuckDBPyConnection, *, actor: Actor, plan_id: int, base_version: int,
               form: dict[str, Any]) -> int:
    """Save the forecast inputs and the facts about the business (typed in euros) as a new version.
    Every field is checked first: PlanInputRejected names the first bad one and nothing is saved."""
    ceilings = prefill.limits(cur)

    def change(base: pc.PlanContent) -> pc.PlanContent:
        return dataclasses.replace(base, business=pc.business_from_form(form),
                                   forecast=pc.forecast_from_form(form, previous=base.forecast, limits=ceilings))

    plan = _editable(cur, actor, plan_id)
    change(plan.content)  # check the input before anything else, also when the version is stale
    return _save(cur, actor, plan_id, base_version, change)


def confirm_suggestions(cur: duckdb.DuckDBPyConnection, *, actor: Actor, plan_id: int, base_version: int) -> int:
    """The person checked the prefilled values: none is marked as a suggestion any more."""
    return _save(cur, actor, plan_id, base_version, pc.confirmed)


def add_comment(cur: duckdb.DuckDBPyConnection, *, actor: Actor, plan_id: int, block: str, body: str) -> int:
    """A comment on one block of the plan (a canvas block, a section, or 'forecast')."""
    plan = open_plan(cur, actor=actor, plan_id=plan_id, record_view=False)
    require(actor, "plan.comment", participants.get_participant(cur, plan.participant_id))
    if block not in pc.BLOCK_TITLES:
        raise ValidationFailed()
    text = (body or "").strip()
    if not text:
        raise ValidationFailed(N_("Write a comment first."))
    if len(text) > MAX_COMMENT:
        raise ValidationFailed(choices.TEXT_TOO_LONG, limit=MAX_COMMENT)
    def write() -> int:
        with transaction(cur):
            comment_id = cur.execute(
                "INSERT INTO plan_comments (plan_id, version, block, body, written_by) VALUES (?, ?, ?, ?, ?)"
                " RETURNING comment_id", [plan_id, plan.version, block, text, actor.account_id]).fetchone()[0]
            audit(cur, actor.account_id, "plan.comment", f"participant:{plan.participant_id}")
            return comment_id

    return retrying(cur, write)


def comments(cur: duckdb.DuckDBPyConnection, *, actor: Actor, plan_id: int) -> list[Comment]:
    row = _plan_row(cur, plan_id)
    _record(cur, actor, "plan.view", row["participant_id"])
    return [Comment(*r) for r in cur.execute(
        "SELECT c.comment_id, c.block, c.body, c.version, u.username, c.written_at FROM plan_comments c"
        " LEFT JOIN users u ON u.user_id = c.written_by WHERE c.plan_id = ? ORDER BY c.comment_id", [plan_id]).fetchall()]


# ----------------------------------------------------------------------------- the forecast of a plan

def bbz_eligible(business: pc.Business) -> bool:
    """Whether the person meets the conditions of the Bbz (its income top-up and loan) that the plan
    knows: on a benefit, a residence permit, and at least 1,225 hours a year in the business."""
    return business.on_benefit and business.residence_permit == "yes" and business.hours_per_week * 52 >= 1225


def forecast_of(cur: duckdb.DuckDBPyConnection, plan: Plan) -> Forecast:
    """The 24-month forecast of a plan that the caller has opened (access was checked there)."""
    norm = prefill.norms(cur)[plan.content.business.household]
    return compute(plan.content.forecast, norm=norm, bbz_eligible=bbz_eligible(plan.content.business),
                   catalogue_revenue_high_cents=plan.revenue_month_high_cents)
