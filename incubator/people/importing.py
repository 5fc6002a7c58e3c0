"""Saving an imported cohort file: the preview (what the import would do, and every problem found,
row by row: the file's own, codes unknown to the market dataset, participants this person may not
change) and the import itself, in one transaction and a few statements whatever the number of rows.

Nothing is saved unless the whole file is valid, or the person importing explicitly asks for only
the valid rows; a rejected import leaves the database as it was. Reading the files into tables, the
template and export are in incubator.people.files.

A row's `external_ref` (the id in the source system) finds the participant that an earlier import of
the same file made: the preview shows such rows as updates, and they are saved only when the person
importing confirms (`update_matches`). Rows without one that look like someone already here (same
name and municipality) get a warning in the preview.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from incubator.core.access import Actor, is_allowed, require
from incubator.core.audit import audit_many
from incubator.core.db import retrying, transaction
from incubator.core.errors import ImportRejected
from incubator.core.i18n import N_, Counted, N_plural
from incubator.people import inventory as inv
from incubator.people.checks import DUPLICATE_ID, Codes, Frames, Problem, check_frames, profiles_from_frames
from incubator.people.files import ENCODING_NAMES, READ_AS, csv_format, read_frames
from incubator.people.participants import id_frame, list_participants, next_participant_ids, records_by_ids
from incubator.people.profile import RIASEC, Profile
from incubator.people.snapshots import insert_snapshots, snapshot_row

# Where a checked column sits in the JSON exchange format, for messages about a JSON file.
JSON_PATHS = {"isced_level": "education.isced_level", "education_field": "education.field",
              **{f"interest_{k}": f"interests.{k}" for k in RIASEC}}

NOT_YOURS = N_("You may not change participant {value}.")
UNKNOWN_PARTICIPANT = N_("Participant {value} does not exist. Leave the id empty for a new participant.")
REJECTED = N_("The file was rejected: {problems} in {rows}. Nothing was saved.")
PROBLEMS, ROWS = N_plural("{count} problem", "{count} problems"), N_plural("{count} row", "{count} rows")
NOTHING_VALID = N_("No row is valid; nothing was saved.")
CONFIRM_UPDATES = N_("{count} rows match participants who are already here by their external reference. "
                     "Confirm that they are updated; nothing was saved.")
EXTERNAL_REF_TAKEN = N_("The external reference {value} belongs to another participant already.")
LIKELY_DUPLICATE = N_("Perhaps already here: {participant} has the same name and municipality. To update that "
                      "person, put {participant} in the id column.")
SAME_IN_FILE = N_("Row {other} has the same name and municipality. Is it the same person twice?")
IMPORT_CONFLICT = N_("Someone else saved participants at the same moment. Nothing was saved; check the file "
                     "again and import it once more.")


class ProfilesByRow(Mapping):
    """The valid rows' Profiles (row -> Profile), built on first use: a preview that only counts
    them (the page, the command line) does not pay for 10,000 objects, about a third of its time."""

    def __init__(self, typed: Frames, rows: list[int]) -> None:
        wanted = set(rows)
        base = typed.base
        self._typed, self._built = typed, None
        self.ids = {int(row): pid if isinstance(pid, str) else ""
                    for row, pid in zip(base["row"].tolist(), base["id"].tolist(), strict=True) if row in wanted}

    def _profiles(self) -> dict[int, Profile]:
        if self._built is None:
            self._built = profiles_from_frames(self._typed, list(self.ids))
        return self._built

    def __getitem__(self, row: int) -> Profile:
        return self._profiles()[row]

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, row: object) -> bool:
        return row in self.ids


@dataclass
class ImportPreview:
    """What an import would do: the profiles of the valid rows and every problem found."""

    kind: str
    rows: list[int]
    profiles: Mapping[int, Profile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    existing_ids: frozenset[str] = frozenset()
    csv_format: tuple[str, str] | None = None  # (encoding, delimiter) of a CSV file
    matched_by_ref: dict[int, str] = field(default_factory=dict)  # row -> participant found by external_ref
    warnings: list[Problem] = field(default_factory=list)  # likely duplicates: shown, not refused

    @property
    def read_as(self) -> tuple[str, dict[str, str]] | None:
        """How a CSV file was read, as a message key and its parameters (None for JSON and Excel)."""
        if self.csv_format is None:
            return None
        encoding, delimiter = self.csv_format
        return READ_AS[delimiter], {"encoding": ENCODING_NAMES[encoding]}

    @property
    def matched_count(self) -> int:
        """Valid rows that update a participant found by their external reference."""
        return sum(1 for row in self.matched_by_ref if row in self.profiles)

    @property
    def file_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.row == 0]

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row > 0})

    @property
    def is_valid(self) -> bool:
        return not self.problems and bool(self.profiles)

    @property
    def can_import_valid_rows(self) -> bool:
        return not self.file_problems and bool(self.profiles)

    @property
    def new_count(self) -> int:
        ids = self.profiles.ids.values() if isinstance(self.profiles, ProfilesByRow) else (
            p.id for p in self.profiles.values())
        return sum(1 for pid in ids if pid not in self.existing_ids)

    @property
    def update_count(self) -> int:
        return len(self.profiles) - self.new_count

    def problems_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [{"row": p.row, "column": p.column, "message": p.message, "params": p.params} for p in self.problems],
            columns=["row", "column", "message", "params"],
        )

    def english_lines(self) -> list[str]:
        """Every problem in English, one a line, for the command line."""
        return [
            (f"row {p.row}, column {p.column}: " if p.row and p.column else f"row {p.row}: " if p.row else "")
            + p.english()
            for p in sorted(self.problems, key=lambda p: (p.row, p.column))
        ]


class ProfilesRejected(ImportRejected):
    """The file (or every row of it) was refused; `preview` says why, row by row."""

    def __init__(self, preview: ImportPreview) -> None:
        self.preview = preview
        if preview.problems:
            super().__init__(REJECTED, problems=Counted(PROBLEMS, len(preview.problems)),
                             rows=Counted(ROWS, len(preview.bad_rows) or 1))
        else:
            super().__init__(NOTHING_VALID)


class UpdatesNotConfirmed(ProfilesRejected):
    """Rows match participants by their external reference, and the update was not confirmed."""

    def __init__(self, preview: ImportPreview) -> None:
        self.preview = preview
        ImportRejected.__init__(self, CONFIRM_UPDATES, count=preview.matched_count)


class ImportConflict(ImportRejected):
    """Another import or save changed the same participants at the same moment; nothing was saved."""

    default_key = IMPORT_CONFLICT


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    updated: list[str]
    skipped_rows: list[int]


def preview_import(cur: duckdb.DuckDBPyConnection, *, actor: Actor, file_name: str, content: bytes) -> ImportPreview:
    """Read and check a file without saving anything: which rows are valid, what is wrong where."""
    require(actor, "profile.import")
    frames, problems, rows, kind = read_frames(file_name, content)
    if frames is None:
        return ImportPreview(kind, rows, problems=problems)
    typed, found = check_frames(frames, Codes.load(cur))
    if kind == "json":
        found = [Problem(p.row, JSON_PATHS.get(p.column, p.column), p.message, p.params) for p in found]
    problems += found
    matched, taken = _match_external_refs(cur, typed.base)
    problems += taken
    existing, not_yours, unknown = _access(cur, actor, typed.base)
    problems += [Problem(int(row), "id", NOT_YOURS, {"value": pid}) for row, pid in not_yours]
    problems += [Problem(int(row), "id", UNKNOWN_PARTICIPANT, {"value": pid}) for row, pid in unknown]
    bad = {p.row for p in problems}
    profiles = ProfilesByRow(typed, [r for r in rows if r not in bad])
    problems.sort(key=lambda p: (p.row, p.column))
    return ImportPreview(kind, rows, profiles, problems, frozenset(existing),
                         csv_format(content) if kind == "csv" else None, matched,
                         _likely_duplicates(cur, actor, typed.base))


def _match_external_refs(cur: duckdb.DuckDBPyConnection, base: pd.DataFrame) -> tuple[dict[int, str], list[Problem]]:
    """Rows without an id whose external_ref names a participant get that participant's id (in `base`),
    so that they update them; a reference that belongs to another participant than the row's id is a
    problem. Returns (row -> participant id, problems)."""
    given = base.loc[base["external_ref"].notna(), ["row", "id", "external_ref"]]
    if given.empty:
        return {}, []
    cur.register("file_refs", pd.DataFrame({"external_ref": given["external_ref"].astype(str).tolist()}, dtype=object))
    try:
        owners = dict(cur.execute("SELECT external_ref, participant_id FROM participants"
                                  " JOIN file_refs USING (external_ref)").fetchall())
    finally:
        cur.unregister("file_refs")
    matched, problems = {}, []
    ids_in_file = set(base["id"].dropna()) - {""}
    for index, row, pid, ref in given.itertuples(name=None):
        owner = owners.get(ref)
        if owner is None or owner == pid:
            continue
        if pid:
            problems.append(Problem(int(row), "external_ref", EXTERNAL_REF_TAKEN, {"value": ref}))
        elif owner in ids_in_file:
            problems.append(Problem(int(row), "external_ref", DUPLICATE_ID, {"value": owner}))
        else:
            matched[int(row)] = owner
            base.loc[index, "id"] = owner
    return matched, problems


def _name_key(name: object) -> str:
    return unicodedata.normalize("NFKC", str(name)).strip().casefold()


def _likely_duplicates(cur: duckdb.DuckDBPyConnection, actor: Actor, base: pd.DataFrame) -> list[Problem]:
    """New rows (no id, no external_ref) with the name and municipality of a participant this actor
    can see, or of another new row of the file: a warning each, so that nobody is added twice unseen."""
    new = base.loc[(base["id"].fillna("") == "") & base["external_ref"].isna() & base["display_name"].notna()]
    if new.empty:
        return []
    # Lists, not the columns themselves: iterating an Arrow-backed string column costs a call per value.
    keys = [(_name_key(n), m if isinstance(m, str) else None)
            for n, m in zip(new["display_name"].tolist(), new["municipality"].tolist(), strict=True)]
    visible = {r.participant_id: r.display_name for r in list_participants(cur, actor=actor) if r.display_name}
    known: dict[tuple[str, str | None], str] = {}
    if visible:
        municipality = dict(cur.execute(
            "SELECT participant_id, arg_max(municipality, version) FROM profile_snapshots WHERE NOT draft GROUP BY ALL"
        ).fetchall())
        for pid in sorted(visible):
            known.setdefault((_name_key(visible[pid]), municipality.get(pid)), pid)
    warnings, first_row = [], {}
    for row, key in zip(new["row"].tolist(), keys, strict=True):
        if key in known:
            warnings.append(Problem(int(row), "display_name", LIKELY_DUPLICATE, {"participant": known[key]}))
        if key in first_row:
            warnings.append(Problem(int(row), "display_name", SAME_IN_FILE, {"other": first_row[key]}))
        first_row.setdefault(key, int(row))
    return warnings


def _access(cur: duckdb.DuckDBPyConnection, actor: Actor,
            base: pd.DataFrame) -> tuple[set[str], list[tuple[int, str]], list[tuple[int, str]]]:
    """Ids in the file that exist already, (row, id) of those this actor may not change, and (row, id)
    of ids that do not exist: a file names existing participants, and new ones get a number here."""
    given = base.loc[base["id"].notna() & (base["id"] != ""), ["row", "id"]]
    if given.empty:
        return set(), [], []
    records = records_by_ids(cur, given["id"].drop_duplicates().tolist())
    existing = {r.participant_id: r for r in records}
    refused = {pid for pid, r in existing.items() if not is_allowed(actor, "profile.edit", r)}
    not_yours = [(row, pid) for row, pid in zip(given["row"], given["id"], strict=True) if pid in refused]
    unknown = [(row, pid) for row, pid in zip(given["row"], given["id"], strict=True) if pid not in existing]
    return set(existing), not_yours, unknown


def import_profiles(cur: duckdb.DuckDBPyConnection, *, actor: Actor, file_name: str, content: bytes,
                    valid_only: bool = False, update_matches: bool = False) -> ImportResult:
    """Check the file and save it in one transaction: new participants for rows without an id, a new
    snapshot for existing ones. Raises ProfilesRejected, saving nothing, when any row is bad, unless
    `valid_only` (then the bad rows are skipped), and UpdatesNotConfirmed when rows match participants
    by their external reference and `update_matches` is not given. The file is checked once; a write
    that meets another at the same moment is retried, reading the versions again."""
    require(actor, "profile.import")
    preview = preview_import(cur, actor=actor, file_name=file_name, content=content)
    if preview.file_problems or not preview.profiles or (preview.problems and not valid_only):
        raise ProfilesRejected(preview)
    if preview.matched_count and not update_matches:
        raise UpdatesNotConfirmed(preview)
    if preview.new_count:
        require(actor, "profile.create")

    attempts = 0

    def write() -> ImportResult:
        nonlocal attempts, preview
        attempts += 1
        with transaction(cur):
            if attempts > 1:
                # Another import committed meanwhile: check again, so that a row whose external_ref
                # that import just created becomes an update instead of a second participant.
                preview = preview_import(cur, actor=actor, file_name=file_name, content=content)
                if preview.file_problems or not preview.profiles or (preview.problems and not valid_only):
                    raise ProfilesRejected(preview)
            result = _write(cur, actor, preview)
            _save_external_refs(cur, [p for p in _saved_profiles(preview, result) if p.external_ref])
            return result

    try:
        refs = sorted({p.external_ref for p in preview.profiles.values() if p.external_ref})
        return retrying(cur, write, queue=[*(f"snapshots:{pid}" for pid in sorted(preview.existing_ids)),
                                           *(f"external_ref:{ref}" for ref in refs)])
    except duckdb.ConstraintException:
        # An external_ref taken by an import that committed first, after this file was checked.
        raise ImportConflict() from None


def _saved_profiles(preview: ImportPreview, result: ImportResult) -> list[Profile]:
    """The saved profiles with the ids they were saved under (new rows got theirs while writing)."""
    existing = [p for p in preview.profiles.values() if p.id in preview.existing_ids]
    new = [p for p in preview.profiles.values() if p.id not in preview.existing_ids]
    return [Profile(**{**p.__dict__, "id": pid}) for p, pid in zip(new, result.created, strict=True)] + existing


def _save_external_refs(cur: duckdb.DuckDBPyConnection, profiles: list[Profile]) -> None:
    """Keep each row's external_ref with its participant (unique: the database refuses a second holder)."""
    if not profiles:
        return
    cur.register("file_external_refs", pd.DataFrame({"participant_id": [p.id for p in profiles],
                                                     "external_ref": [p.external_ref for p in profiles]}, dtype=object))
    try:
        cur.execute("UPDATE participants SET external_ref = r.external_ref FROM file_external_refs r"
                    " WHERE participants.participant_id = r.participant_id"
                    " AND participants.external_ref IS DISTINCT FROM r.external_ref")
    finally:
        cur.unregister("file_external_refs")


def _write(cur: duckdb.DuckDBPyConnection, actor: Actor, preview: ImportPreview) -> ImportResult:
    profiles = list(preview.profiles.values())
    existing = [p for p in profiles if p.id in preview.existing_ids]
    new = [p for p in profiles if p.id not in preview.existing_ids]
    fresh_ids = iter(next_participant_ids(cur, len(new)))  # the preview refused ids that do not exist
    new = [Profile(**{**p.__dict__, "id": next(fresh_ids)}) for p in new]
    actor_id = actor.account_id
    if new:
        frame = pd.DataFrame({
            "participant_id": [p.id for p in new],
            "display_name": pd.Series([p.display_name for p in new], dtype=object),
            "created_by": pd.Series([actor_id] * len(new), dtype=object),
        })
        cur.register("new_participants", frame)
        try:
            cur.execute("INSERT INTO participants (participant_id, display_name, created_by)"
                        " SELECT participant_id, display_name, created_by FROM new_participants")
            if actor.role == "mentor":
                cur.execute("INSERT INTO participant_mentors (participant_id, mentor_user_id, assigned_by)"
                            " SELECT participant_id, ?, ? FROM new_participants", [actor.user_id, actor.user_id])
        finally:
            cur.unregister("new_participants")
    latest = _latest_for(cur, [p.id for p in existing])
    rows = []
    for profile in new + existing:
        version, details = latest.get(profile.id, (0, None))
        rows.append({
            **snapshot_row(profile, _kept_details(details, profile)), "participant_id": profile.id,
            "version": version + 1, "draft": False, "saved_by": actor_id, "source": "import",
        })
    # A draft waits at the next version: move it up one so it stays the newest.
    if existing:
        cur.register("updated_ids", id_frame([p.id for p in existing]))
        try:
            cur.execute("UPDATE profile_snapshots SET version = version + 1 WHERE draft"
                        " AND participant_id IN (SELECT participant_id FROM updated_ids)")
        finally:
            cur.unregister("updated_ids")
        _update_names(cur, existing)
    for row in rows:
        row["saved_at"] = pd.Timestamp.now().to_pydatetime()
    insert_snapshots(cur, rows)
    audit_many(cur, actor, "profile.import", [p.id for p in new + existing])
    return ImportResult([p.id for p in new], [p.id for p in existing],
                        [r for r in preview.rows if r not in preview.profiles])


def _update_names(cur: duckdb.DuckDBPyConnection, profiles: list[Profile]) -> None:
    named = [p for p in profiles if p.display_name]
    if not named:
        return
    cur.register("updated_names", pd.DataFrame({"participant_id": [p.id for p in named],
                                                "display_name": [p.display_name for p in named]}, dtype=object))
    try:
        cur.execute("UPDATE participants SET display_name = n.display_name FROM updated_names n"
                    " WHERE participants.participant_id = n.participant_id")
    finally:
        cur.unregister("updated_names")


def _latest_for(cur: duckdb.DuckDBPyConnection, participant_ids: list[str]) -> dict[str, tuple[int, str | None]]:
    if not participant_ids:
        return {}
    cur.register("latest_ids", id_frame(participant_ids))
    try:
        rows = cur.execute(
            "SELECT participant_id, max(version), arg_max(details, version) FROM profile_snapshots"
            " JOIN latest_ids USING (participant_id) WHERE NOT draft GROUP BY participant_id"
        ).fetchall()
    finally:
        cur.unregister("latest_ids")
    return {pid: (version, details) for pid, version, details in rows}


def _kept_details(details_json: str | None, profile: Profile) -> inv.Details:
    """An imported snapshot keeps what the file does not speak about (life domains, constraints,
    route); answers that the file's values replace (interest items, Dutch skills, benefit) go."""
    if not details_json:
        return inv.Details()
    details = inv.Details.from_dict(json.loads(details_json))
    skills = {s.esco_group for s in profile.skills}
    return inv.Details(**{
        **details.__dict__, "answers": {}, "dutch_skills": {}, "benefit_status": None,
        "skill_evidence": {k: v for k, v in details.skill_evidence.items() if k in skills},
    })
