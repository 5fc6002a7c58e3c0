"""Mentor matching: each mentor has a capacity, languages and sector expertise (SBI sections). A
suggested match for a participant says why: a language they share, the mentor's sectors against the
chosen venture's, and the places the mentor has free. A manager assigns, unassigns and reassigns,
one participant at a time or a whole cohort at once (each in one transaction)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from incubator.core.access import Actor, require
from incubator.core.audit import audit_many
from incubator.core.db import retrying, transaction
from incubator.core.errors import NotAllowed, Refusal, ValidationFailed
from incubator.core.i18n import N_, N_plural
from incubator.market.labels import Label, labels_in, labels_of
from incubator.market.taxonomy import cefr_rank
from incubator.people.participants import id_frame
from incubator.people.profile import language_names
from incubator.programme import cohorts
from incubator.programme.stakeholders import allowed_record
from incubator.programme.words import Languages, Words

MAX_CAPACITY = 100
# Dutch is shared with every mentor; it counts as a shared language from B1, where a person can be
# coached in it. Any other language the person speaks counts at any level.
DUTCH_COACHING_LEVEL = "B1"
NOT_A_MENTOR = N_("Only an active mentor's account can be assigned as mentor.")
CAPACITY_OUT_OF_RANGE = N_("A capacity is a number from 0 to {limit}.")
UNKNOWN_LANGUAGE = N_("{code} is not a language code.")
UNKNOWN_SECTOR = N_("{code} is not a sector (SBI section) of the market data.")

SHARES_LANGUAGE = N_("Speaks {languages}, as the participant does")
SHARES_DUTCH = N_("Can coach in Dutch: the participant speaks Dutch at B1 or better")
NO_SHARED_LANGUAGE = N_("Shares no language with the participant")
KNOWS_SECTOR = N_("Knows the sector of the chosen venture: {sector}")
OTHER_SECTOR = N_("Does not know the sector of the chosen venture ({sector})")
NO_VENTURE = N_("No venture chosen yet, so the sector cannot be compared")
FREE_PLACES = N_plural("Has {count} free place", "Has {count} free places")
NO_FREE_PLACE = N_("Has no free place (capacity {capacity})")
MENTORS_ALREADY = N_("Mentors this participant already")


@dataclass(frozen=True)
class MentorProfile:
    mentor_user_id: int
    username: str
    capacity: int
    languages: tuple[str, ...]
    sectors: tuple[str, ...]
    assigned: int  # participants mentored now

    @property
    def free(self) -> int:
        return self.capacity - self.assigned


@dataclass(frozen=True)
class MentorMatch:
    mentor_user_id: int
    username: str
    score: float
    free: int
    reasons: tuple[Words, ...]


@dataclass(frozen=True)
class Proposal:
    participant_id: str
    display_name: str | None
    current_mentors: tuple[str, ...]
    match: MentorMatch | None  # None when no mentor has a free place


def _mentor_account(cur: duckdb.DuckDBPyConnection, user_id: int) -> str:
    row = cur.execute("SELECT username FROM users WHERE user_id = ? AND role = 'mentor' AND active", [user_id]).fetchone()
    if row is None:
        raise ValidationFailed(NOT_A_MENTOR)
    return row[0]


def set_mentor_profile(cur: duckdb.DuckDBPyConnection, *, actor: Actor, mentor_user_id: int, capacity: int,
                       languages: Sequence[str], sectors: Sequence[str]) -> MentorProfile:
    """What matching knows of a mentor (a manager for anyone, a mentor for themself). An upsert."""
    require(actor, "mentoring.profile")
    if actor.role == "mentor" and actor.user_id != mentor_user_id:
        raise NotAllowed(refusal=Refusal(actor.account_id, "mentoring.profile", f"user:{mentor_user_id}"))
    _mentor_account(cur, mentor_user_id)
    if not 0 <= int(capacity) <= MAX_CAPACITY:
        raise ValidationFailed(CAPACITY_OUT_OF_RANGE, limit=MAX_CAPACITY)
    codes = sorted({c.strip().lower() for c in languages if c.strip()})
    for code in codes:
        if code not in language_names("en"):
            raise ValidationFailed(UNKNOWN_LANGUAGE, code=code)
    known = {row[0] for row in cur.execute("SELECT sbi_code FROM sectors WHERE level = 'section'").fetchall()}
    letters = sorted({s.strip().upper() for s in sectors if s.strip()})
    for letter in letters:
        if letter not in known:
            raise ValidationFailed(UNKNOWN_SECTOR, code=letter)

    def write() -> None:
        with transaction(cur):
            cur.execute("INSERT INTO mentor_profiles (mentor_user_id, capacity, languages, sectors, updated_by)"
                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (mentor_user_id) DO UPDATE SET capacity = excluded.capacity,"
                        " languages = excluded.languages, sectors = excluded.sectors, updated_by = excluded.updated_by,"
                        " updated_at = excluded.updated_at",
                        [mentor_user_id, int(capacity), codes, letters, actor.account_id])

    retrying(cur, write, queue=[f"mentor_profile:{mentor_user_id}"])
    return next(p for p in _profiles(cur) if p.mentor_user_id == mentor_user_id)


def _profiles(cur: duckdb.DuckDBPyConnection) -> list[MentorProfile]:
    """Every active mentor; one without a profile yet has no capacity, languages or sectors."""
    rows = cur.execute(
        "SELECT u.user_id, u.username, coalesce(p.capacity, 0), coalesce(p.languages, []), coalesce(p.sectors, []),"
        " (SELECT count(*) FROM participant_mentors m WHERE m.mentor_user_id = u.user_id)"
        " FROM users u LEFT JOIN mentor_profiles p ON p.mentor_user_id = u.user_id"
        " WHERE u.role = 'mentor' AND u.active ORDER BY u.username").fetchall()
    return [MentorProfile(uid, name, cap, tuple(langs), tuple(secs), n) for uid, name, cap, langs, secs, n in rows]


def mentor_profiles(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> list[MentorProfile]:
    """Every active mentor's profile (a mentor sees their own only)."""
    require(actor, "mentoring.profile")
    found = _profiles(cur)
    return found if actor.role == "manager" else [p for p in found if p.mentor_user_id == actor.user_id]


@dataclass(frozen=True)
class _Person:
    participant_id: str
    display_name: str | None
    mentor_ids: tuple[int, ...]
    languages: dict[str, str]  # code -> CEFR
    sector: str | None
    sector_name: Label | None


def _people(cur: duckdb.DuckDBPyConnection, participant_ids: Sequence[str]) -> list[_Person]:
    """What matching needs of these participants, in one query: languages of the latest profile, the
    chosen venture's sector and the current mentors."""
    cur.register("matched_ids", id_frame(participant_ids))
    try:
        rows = cur.execute("""
            SELECT w.participant_id, p.display_name,
                   coalesce((SELECT list(m.mentor_user_id ORDER BY m.mentor_user_id) FROM participant_mentors m
                             WHERE m.participant_id = w.participant_id), []),
                   (SELECT arg_max(s.profile, s.version) FROM profile_snapshots s
                    WHERE s.participant_id = w.participant_id AND NOT s.draft),
                   v.sbi_section
            FROM matched_ids w JOIN participants p USING (participant_id)
            LEFT JOIN (SELECT participant_id, arg_max_null(venture_id, choice_id) AS venture_id FROM venture_choices
                       GROUP BY participant_id) c USING (participant_id)
            LEFT JOIN ventures v ON v.venture_id = c.venture_id
            ORDER BY w.participant_id""").fetchall()
    finally:
        cur.unregister("matched_ids")
    people, names = [], labels_of(cur, "sector")
    for pid, name, mentors, profile, section in rows:
        languages = {x["code"]: x.get("cefr", "A1") for x in json.loads(profile).get("languages", [])} if profile else {}
        label = names.get(section) if section else None
        people.append(_Person(pid, name, tuple(mentors), languages, section, label))
    return people


def _match(person: _Person, mentor: MentorProfile, free: int) -> MentorMatch:
    reasons: list[Words] = []
    score = 0.0
    if mentor.mentor_user_id in person.mentor_ids:
        reasons.append(Words(MENTORS_ALREADY))
    shared = tuple(code for code in sorted(person.languages) if code != "nl" and code in mentor.languages)
    dutch = "nl" in person.languages and cefr_rank(person.languages["nl"]) >= cefr_rank(DUTCH_COACHING_LEVEL)
    if shared:
        score += 3
        reasons.append(Words(SHARES_LANGUAGE, {"languages": Languages(shared)}))
    if dutch:
        score += 2 if not shared else 0.5
        reasons.append(Words(SHARES_DUTCH))
    if not shared and not dutch:
        reasons.append(Words(NO_SHARED_LANGUAGE, good=False))
    if person.sector is None:
        reasons.append(Words(NO_VENTURE, good=False))
    elif person.sector in mentor.sectors:
        score += 2
        reasons.append(Words(KNOWS_SECTOR, {"sector": person.sector_name or person.sector}))
    else:
        reasons.append(Words(OTHER_SECTOR, {"sector": person.sector_name or person.sector}, good=False))
    if free > 0:
        score += min(free, 5) / 5
        reasons.append(Words(FREE_PLACES, {"count": free}))
    else:
        reasons.append(Words(NO_FREE_PLACE, {"capacity": mentor.capacity}, good=False))
    return MentorMatch(mentor.mentor_user_id, mentor.username, score, free, tuple(reasons))


def _ranked(matches: list[MentorMatch]) -> list[MentorMatch]:
    return sorted(matches, key=lambda m: (m.free <= 0, -m.score, -m.free, m.username))


def suggest_mentors(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> list[MentorMatch]:
    """Every active mentor for this participant, the best match first, each with its reasons; mentors
    without a free place come last."""
    require(actor, "participant.assign")
    allowed_record(cur, actor, "milestone.plan", participant_id)
    [person] = _people(cur, [participant_id])
    return _ranked([_match(person, mentor, mentor.free) for mentor in _profiles(cur)])


def propose_for_cohort(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int) -> list[Proposal]:
    """A suggested mentor for each member of the cohort who has none, filling the mentors' free places
    as it goes (the members in id order), so that the proposals together respect every capacity."""
    require(actor, "participant.assign")
    members = cohorts.members(cur, actor=actor, cohort_id=cohort_id)
    mentors = _profiles(cur)
    names = {m.mentor_user_id: m.username for m in mentors}
    free = {m.mentor_user_id: m.free for m in mentors}
    proposals = []
    for person in _people(cur, [r.participant_id for r in members]):
        current = tuple(names.get(i, "-") for i in person.mentor_ids)
        if person.mentor_ids:
            proposals.append(Proposal(person.participant_id, person.display_name, current, None))
            continue
        ranked = _ranked([_match(person, m, free[m.mentor_user_id]) for m in mentors])
        best = ranked[0] if ranked and ranked[0].free > 0 else None
        if best is not None:
            free[best.mentor_user_id] -= 1
        proposals.append(Proposal(person.participant_id, person.display_name, current, best))
    return proposals


def _write_assignments(cur: duckdb.DuckDBPyConnection, actor: Actor, pairs: list[tuple[str, int]],
                       remove: list[tuple[str, int]]) -> None:
    """Remove and add (participant, mentor) pairs in one transaction, each in one statement."""
    for user_id in sorted({m for _, m in pairs}):
        _mentor_account(cur, user_id)
    for table, rows in (("removed_pairs", remove), ("added_pairs", pairs)):
        frame = pd.DataFrame({"participant_id": pd.Series([p for p, _ in rows], dtype="string"),
                              "mentor_user_id": pd.Series([m for _, m in rows], dtype="int64")})
        cur.register(table, frame)
    try:
        cur.execute("DELETE FROM participant_mentors WHERE (participant_id, mentor_user_id) IN"
                    " (SELECT (participant_id, mentor_user_id) FROM removed_pairs)")
        cur.execute("INSERT INTO participant_mentors (participant_id, mentor_user_id, assigned_by)"
                    " SELECT participant_id, mentor_user_id, ? FROM added_pairs ON CONFLICT DO NOTHING",
                    [actor.account_id])
    finally:
        cur.unregister("removed_pairs")
        cur.unregister("added_pairs")
    audit_many(cur, actor, "participant.unassign_mentor", sorted({p for p, _ in remove}))
    audit_many(cur, actor, "participant.assign_mentor", sorted({p for p, _ in pairs}))


def assign(cur: duckdb.DuckDBPyConnection, *, actor: Actor, pairs: Sequence[tuple[str, int]]) -> int:
    """Assign mentors, (participant, mentor) pairs, in one transaction; returns the pairs given."""
    require(actor, "participant.assign")
    for participant_id in sorted({p for p, _ in pairs}):
        allowed_record(cur, actor, "milestone.plan", participant_id)

    def write() -> None:
        with transaction(cur):
            _write_assignments(cur, actor, list(pairs), [])

    retrying(cur, write, queue=[f"participant:{p}" for p in sorted({p for p, _ in pairs})])
    return len(pairs)


def unassign_cohort(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int,
                    mentor_user_id: int | None = None) -> int:
    """Take the mentors (or one mentor) off every member of the cohort; returns the pairs removed."""
    require(actor, "participant.assign")
    ids = [r.participant_id for r in cohorts.members(cur, actor=actor, cohort_id=cohort_id)]

    def write() -> int:
        with transaction(cur):
            pairs = [(p, m) for p, m in cur.execute(
                "SELECT participant_id, mentor_user_id FROM participant_mentors WHERE participant_id IN (SELECT unnest(?))"
                " AND (? IS NULL OR mentor_user_id = ?)", [ids, mentor_user_id, mentor_user_id]).fetchall()]
            _write_assignments(cur, actor, [], pairs)
            return len(pairs)

    return retrying(cur, write, queue=[f"participant:{p}" for p in ids])


def reassign(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_ids: Sequence[str], from_mentor: int,
             to_mentor: int) -> int:
    """Move these participants from one mentor to another in one transaction; returns how many moved
    (the ones the first mentor did not mentor are left as they are)."""
    require(actor, "participant.assign")
    _mentor_account(cur, to_mentor)
    ids = sorted(set(participant_ids))
    for participant_id in ids:
        allowed_record(cur, actor, "milestone.plan", participant_id)

    def write() -> int:
        with transaction(cur):
            moving = [row[0] for row in cur.execute(
                "SELECT participant_id FROM participant_mentors WHERE mentor_user_id = ? AND participant_id IN"
                " (SELECT unnest(?)) ORDER BY participant_id", [from_mentor, ids]).fetchall()]
            _write_assignments(cur, actor, [(p, to_mentor) for p in moving], [(p, from_mentor) for p in moving])
            return len(moving)

    return retrying(cur, write, queue=[f"participant:{p}" for p in ids])


def reassign_cohort(cur: duckdb.DuckDBPyConnection, *, actor: Actor, cohort_id: int, from_mentor: int,
                    to_mentor: int) -> int:
    """Move every member of the cohort that one mentor mentors to another mentor."""
    ids = [r.participant_id for r in cohorts.members(cur, actor=actor, cohort_id=cohort_id)]
    return reassign(cur, actor=actor, participant_ids=ids, from_mentor=from_mentor, to_mentor=to_mentor)


def mentor_names(cur: duckdb.DuckDBPyConnection, *, actor: Actor) -> dict[int, str]:
    """{user id: user name} of every mentor account, to show who mentors whom."""
    require(actor, "cohort.view")
    return dict(cur.execute("SELECT user_id, username FROM users WHERE role = 'mentor'").fetchall())


def unassign(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, mentor_user_id: int) -> int:
    """Take one mentor off one participant; returns 1, or 0 when they did not mentor them."""
    require(actor, "participant.assign")
    allowed_record(cur, actor, "milestone.plan", participant_id)

    def write() -> int:
        with transaction(cur):
            found = cur.execute("SELECT count(*) FROM participant_mentors WHERE participant_id = ? AND mentor_user_id = ?",
                                [participant_id, mentor_user_id]).fetchone()[0]
            _write_assignments(cur, actor, [], [(participant_id, mentor_user_id)] if found else [])
            return found

    return retrying(cur, write, queue=[f"participant:{participant_id}"])


def sectors(cur: duckdb.DuckDBPyConnection, *, lang: str) -> dict[str, str]:
    """The SBI sections of the market data, {letter: 'letter · name'} in a language."""
    names = labels_in(cur, "sector", lang)
    return {code: f"{code} · {names.get(code, code)}" for (code,) in cur.execute(
        "SELECT sbi_code FROM sectors WHERE level = 'section' ORDER BY sbi_code").fetchall()}
