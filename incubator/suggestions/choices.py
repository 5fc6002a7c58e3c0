"""Suggestions for one participant, and what people do with them: a mentor adds a venture idea of
their own or sets a suggestion aside with a note; the newcomer, their mentor or a manager chooses
the venture for the business plan; the outcome of a chosen venture is recorded for retraining.
Access is decided here (`require`) and every change goes to the audit log."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import duckdb
import numpy as np

from incubator.core import participant_stage
from incubator.core.access import Actor, is_allowed, require
from incubator.core.audit import audit
from incubator.core.db import claim, retry_on_conflict, retrying, transaction
from incubator.core.errors import NotFound, ValidationFailed
from incubator.core.i18n import N_
from incubator.market.arrays import Market, load_market
from incubator.market.labels import label_of
from incubator.market.taxonomy import FAMILY_LABELS
from incubator.people import consent, participants, snapshots
from incubator.suggestions import features as fx
from incubator.suggestions import model as mm
from incubator.suggestions import ranking as scoring

MAX_TEXT = 2000
NOTE_REQUIRED = N_("Write a note that says why.")
TITLE_REQUIRED = N_("Give the idea a title.")
TEXT_TOO_LONG = N_("A text has at most {limit} characters.")
UNKNOWN_VENTURE = N_("Venture {venture_id} is not in the market data.")
NO_CHOICE = N_("Choose a venture first.")


@dataclass(frozen=True)
class Idea:
    idea_id: int
    title: str
    note: str | None
    family: str | None
    created_by: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class SetAside:
    venture_id: str
    name: scoring.Label
    note: str
    set_by: str | None
    set_at: dt.datetime


@dataclass(frozen=True)
class Choice:
    choice_id: int
    venture_id: str | None
    idea_id: int | None
    name: scoring.Label  # the venture's name in each language (the reader's is shown), or the idea's title as typed
    score: float | None
    model_version: str | None
    chosen_by: str | None
    chosen_at: dt.datetime


@dataclass(frozen=True)
class ParticipantSuggestions:
    participant_id: str
    municipality: str | None
    suggestions: list[scoring.Suggestion]
    ideas: list[Idea]
    set_aside: list[SetAside]
    choice: Choice | None
    model_version: str
    trained_on: str  # synthetic | programme_outcomes
    may_adjust: bool  # add ideas, set suggestions aside
    may_choose: bool
    ruled_out: list[scoring.RuledOut] = field(default_factory=list)  # the closest ventures constraints rule out
    unrelated_left_out: bool = False  # fewer suggestions: the others allowed do not fit the person's skills
    about: str | None = None  # None: the participant reads; else the name the sentences use for them



def _text(value: str | None, *, required_key: str | None = None) -> str | None:
    text = (value or "").strip()
    if not text and required_key:
        raise ValidationFailed(required_key)
    if len(text) > MAX_TEXT:
        raise ValidationFailed(TEXT_TOO_LONG, limit=MAX_TEXT)
    return text or None


def _record(cur: duckdb.DuckDBPyConnection, actor: Actor, permission: str, participant_id: str):
    record = participants.get_participant(cur, participant_id)
    require(actor, permission, record)
    return record


def _ideas(cur: duckdb.DuckDBPyConnection, participant_id: str) -> list[Idea]:
    rows = cur.execute(
        "SELECT i.idea_id, i.title, i.note, i.family, u.username, i.created_at FROM venture_ideas i"
        " LEFT JOIN users u ON u.user_id = i.created_by"
        " WHERE i.participant_id = ? AND i.withdrawn_at IS NULL ORDER BY i.idea_id", [participant_id]).fetchall()
    return [Idea(*row) for row in rows]


def _set_aside(cur: duckdb.DuckDBPyConnection, participant_id: str, market: Market | None) -> list[SetAside]:
    rows = cur.execute(
        "SELECT s.venture_id, s.note, u.username, s.set_at FROM suggestion_set_asides s"
        " LEFT JOIN users u ON u.user_id = s.set_by"
        " WHERE s.participant_id = ? AND s.restored_at IS NULL ORDER BY s.set_at", [participant_id]).fetchall()
    out = []
    for venture_id, note, by, at in rows:
        known = market is not None and venture_id in market.venture_ids
        name = (scoring._label(market, market.names, market.venture_index(venture_id)) if known
                else scoring.Label.same(venture_id))
        out.append(SetAside(venture_id, name, note, by, at))
    return out


def _choice(cur: duckdb.DuckDBPyConnection, participant_id: str) -> Choice | None:
    # A choice stores ids only: the name is looked up for each reader, in the reader's language.
    row = cur.execute(
        "SELECT c.choice_id, c.venture_id, c.idea_id, i.title, c.score,"
        " c.model_version, u.username, c.chosen_at FROM venture_choices c"
        " LEFT JOIN venture_ideas i ON i.idea_id = c.idea_id"
        " LEFT JOIN users u ON u.user_id = c.chosen_by"
        " WHERE c.participant_id = ? ORDER BY c.chosen_at DESC, c.choice_id DESC LIMIT 1", [participant_id]).fetchone()
    if row is None:
        return None
    choice_id, venture_id, idea_id, title, *rest = row
    name = (label_of(cur, "venture", venture_id) if venture_id else None) or scoring.Label.same(title or venture_id or "")
    return Choice(choice_id, venture_id, idea_id, name, *rest)


def reader_about(actor: Actor, record) -> str | None:
    """Who the reasons speak of: None when the participant reads about themself ("Your skills..."),
    else their display name, or their pseudonymous id when they have none ("Sara's skills...")."""
    if record.owner_user_id is not None and record.owner_user_id == actor.user_id:
        return None
    return record.display_name or record.participant_id


def suggestions_for(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, top: int = scoring.TOP,
                    model: mm.TrainedModel | None = None, municipality: str | None = None) -> ParticipantSuggestions:
    """The top ventures for a participant in their municipality, with the ideas, set-asides and the
    current choice. Raises NotAllowed, ParticipantNotFound, ProfileNotSaved, MarketNotLoaded or
    ModelNotTrained."""
    record = _record(cur, actor, "suggest.view", participant_id)
    profile = snapshots.load_profile(cur, actor=actor, participant_id=participant_id)
    market, model = load_market(cur), model or mm.load()
    aside = _set_aside(cur, participant_id, market)
    found = scoring.rank(profile, market, model, municipality=municipality, top=top,
                         set_aside=[s.venture_id for s in aside])
    about = reader_about(actor, record)
    return ParticipantSuggestions(
        participant_id=participant_id, municipality=municipality or profile.municipality, suggestions=scoring.worded_for(found.suggestions, about),
        ideas=_ideas(cur, participant_id), set_aside=aside, choice=_choice(cur, participant_id),
        model_version=model.version, trained_on=model.card.get("training_data", {}).get("source", "synthetic"),
        may_adjust=is_allowed(actor, "suggest.adjust", record), may_choose=is_allowed(actor, "suggest.choose", record),
        ruled_out=scoring.ruled_out_worded_for(found.ruled_out, about), unrelated_left_out=found.unrelated_left_out,
        about=about,
    )


@retry_on_conflict
def add_idea(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, title: str, note: str | None = None,
             family: str | None = None) -> int:
    """A mentor's own venture idea for this participant. Returns its id."""
    _record(cur, actor, "suggest.adjust", participant_id)
    title_text, note_text = _text(title, required_key=TITLE_REQUIRED), _text(note)
    if family is not None and family not in FAMILY_LABELS:
        raise ValidationFailed()
    with transaction(cur):
        idea_id = cur.execute(
            "INSERT INTO venture_ideas (participant_id, title, note, family, created_by) VALUES (?, ?, ?, ?, ?)"
            " RETURNING idea_id", [participant_id, title_text, note_text, family, actor.account_id]).fetchone()[0]
        audit(cur, actor.account_id, "suggest.idea", f"participant:{participant_id}")
    return idea_id


@retry_on_conflict(queue="idea:{idea_id}")
def withdraw_idea(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, idea_id: int) -> None:
    _record(cur, actor, "suggest.adjust", participant_id)
    with transaction(cur):
        cur.execute("UPDATE venture_ideas SET withdrawn_at = current_timestamp WHERE idea_id = ? AND participant_id = ?",
                    [idea_id, participant_id])
        audit(cur, actor.account_id, "suggest.idea_withdraw", f"participant:{participant_id}")


def set_aside(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, venture_id: str, note: str) -> None:
    """Leave a suggested venture out of this participant's suggestions, with a note that says why."""
    _record(cur, actor, "suggest.adjust", participant_id)
    note_text = _text(note, required_key=NOTE_REQUIRED)
    if venture_id not in load_market(cur).venture_ids:
        raise NotFound(UNKNOWN_VENTURE, venture_id=venture_id)
    key = f"set_aside:{participant_id}:{venture_id}"

    def write() -> None:
        with transaction(cur):
            # Two set-asides of one venture at once would each find nothing to replace and both stay
            # in force: claiming the pair makes one of them conflict, be retried and replace the other.
            claim(cur, key)
            cur.execute("UPDATE suggestion_set_asides SET restored_at = current_timestamp, restored_by = ?"
                        " WHERE participant_id = ? AND venture_id = ? AND restored_at IS NULL",
                        [actor.account_id, participant_id, venture_id])
            cur.execute("INSERT INTO suggestion_set_asides (participant_id, venture_id, note, set_by)"
                        " VALUES (?, ?, ?, ?)", [participant_id, venture_id, note_text, actor.account_id])
            audit(cur, actor.account_id, "suggest.set_aside", f"participant:{participant_id}")

    retrying(cur, write, queue=[key])


def restore(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, venture_id: str) -> None:
    """Bring a venture that was set aside back into the suggestions."""
    _record(cur, actor, "suggest.adjust", participant_id)

    def write() -> None:
        with transaction(cur):
            cur.execute("UPDATE suggestion_set_asides SET restored_at = current_timestamp, restored_by = ?"
                        " WHERE participant_id = ? AND venture_id = ? AND restored_at IS NULL",
                        [actor.account_id, participant_id, venture_id])
            audit(cur, actor.account_id, "suggest.restore", f"participant:{participant_id}")

    retrying(cur, write, queue=[f"set_aside:{participant_id}:{venture_id}"])


@retry_on_conflict
def choose_venture(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, venture_id: str | None = None,
                   idea_id: int | None = None, model: mm.TrainedModel | None = None) -> Choice:
    """Record the venture (or a mentor's idea) chosen for the business plan, with the estimate and
    the feature values of that moment."""
    _record(cur, actor, "suggest.choose", participant_id)
    if (venture_id is None) == (idea_id is None):
        raise ValidationFailed()
    score = version = features = municipality = None
    if venture_id is not None:
        market = load_market(cur)
        if venture_id not in market.venture_ids:
            raise NotFound(UNKNOWN_VENTURE, venture_id=venture_id)
        profile = snapshots.load_profile(cur, actor=actor, participant_id=participant_id)
        model = model or mm.load()
        suggestion, x = scoring.score_venture(profile, market, model, venture_id)
        score, version, municipality = suggestion.score, model.version, profile.municipality
        features = json.dumps(dict(zip(fx.FEATURE_NAMES, map(float, x), strict=True)))
    elif not any(i.idea_id == idea_id for i in _ideas(cur, participant_id)):
        raise NotFound()

    def write() -> None:
        with transaction(cur):
            cur.execute(
                "INSERT INTO venture_choices (participant_id, venture_id, idea_id, score, model_version, features,"
                " municipality, chosen_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [participant_id, venture_id, idea_id, score, version, features, municipality, actor.account_id])
            participant_stage.refresh(cur, [participant_id])
            audit(cur, actor.account_id, "suggest.choose", f"participant:{participant_id}")

    # Appending a choice never conflicted; keeping the participant's stage row can (another write about
    # them at the same moment), so it is retried like the other writes.
    retrying(cur, write, queue=[f"choice:{participant_id}"])
    return _choice(cur, participant_id)


def current_choice(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> Choice | None:
    """The venture chosen for the business plan (the latest choice), or None."""
    _record(cur, actor, "suggest.view", participant_id)
    return _choice(cur, participant_id)


@retry_on_conflict(queue="outcome:{participant_id}")
def record_outcome(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, launched: bool,
                   running_12m: bool) -> None:
    """What happened to the participant's chosen venture: launched, and running after 12 months."""
    _record(cur, actor, "suggest.adjust", participant_id)
    choice = cur.execute(
        "SELECT choice_id, venture_id, features FROM venture_choices WHERE participant_id = ? AND venture_id IS NOT NULL"
        " ORDER BY chosen_at DESC, choice_id DESC LIMIT 1", [participant_id]).fetchone()
    if choice is None:
        raise NotFound(NO_CHOICE)
    if running_12m and not launched:
        raise ValidationFailed()
    with transaction(cur):
        cur.execute("INSERT INTO programme_outcomes (choice_id, participant_id, venture_id, launched, running_12m,"
                    " features, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (choice_id) DO UPDATE SET"
                    " launched = excluded.launched, running_12m = excluded.running_12m,"
                    " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
                    [choice[0], participant_id, choice[1], launched, running_12m, choice[2], actor.account_id])
        participant_stage.refresh(cur, [participant_id])
        audit(cur, actor.account_id, "suggest.outcome", f"participant:{participant_id}")


def outcome_training_data(cur: duckdb.DuckDBPyConnection) -> tuple[np.ndarray, np.ndarray]:
    """The recorded programme outcomes as features (N, F) and outcome (N,), for retraining.
    Feature values missing from an older record count as 0. Only rows that can teach: running at 12
    months known, features saved with the choice (a venture, not an idea), never synthetic demo rows,
    and only of people whose consent to anonymised research is given and not withdrawn."""
    rows = cur.execute("SELECT features, running_12m FROM programme_outcomes WHERE running_12m IS NOT NULL"
                       " AND features IS NOT NULL AND NOT coalesce(synthetic, FALSE)"
                       f" AND participant_id IN ({consent.consented_sql('research')}) ORDER BY outcome_id").fetchall()
    x = np.array([[json.loads(f).get(name, 0.0) for name in fx.FEATURE_NAMES] for f, _ in rows], np.float32)
    return x.reshape(len(rows), len(fx.FEATURE_NAMES)), np.array([bool(y) for _, y in rows], int)
