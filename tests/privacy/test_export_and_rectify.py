"""A person's export (JSON and a readable workbook, every part of their data and who viewed it; the
newcomer for themself, a manager for them, nobody else) and rectification (recorded, audited, the
wrong value gone from every saved version; thirty at once lose none)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from incubator.cli.main import main
from incubator.core.errors import NotAllowed, ValidationFailed
from incubator.privacy import export, rectification, tables
from tests.privacy.conftest import IDEA_NOTE, NAME, NOTE, PLAN_TEXT, SESSION_NOTE, USERNAME
from tests.support.concurrency import THREADS, run_together

TODAY = dt.date(2027, 6, 1)


def test_a_newcomer_exports_everything_about_themself_as_json_and_a_workbook(cur, team, person):
    pid, newcomer = person
    data = export.export_personal_data(cur, actor=newcomer, participant_id=pid, today=TODAY)
    body = json.loads(data.to_json())
    sections = body["sections"]
    for table in ("participants", "profile_snapshots", "venture_choices", "venture_ideas", "plans", "plan_versions",
                  "cohort_members", "milestones", "milestone_events", "mentoring_sessions", "session_next_steps",
                  "programme_notes", "programme_outcomes", "consents", "participant_mentors"):
        assert sections[table], table
    assert set(tables.person_tables(cur)) - {"erasures"} <= set(sections)  # every table about a person
    assert sections["account"] == [{**sections["account"][0], "username": USERNAME}]
    assert "password_hash" not in sections["account"][0]
    assert sections["profile_snapshots"][0]["profile"]["display_name"] == NAME  # nested, not a string
    assert [n["body"] for n in sections["programme_notes"]] == [NOTE]
    assert sections["mentoring_sessions"][0]["notes"] == SESSION_NOTE
    assert PLAN_TEXT in json.dumps(sections["plan_versions"], ensure_ascii=False)
    assert any(a["who"] == "team-mentor" and a["action"] == "profile.view" for a in sections["audit"])
    assert {c["purpose"] for c in sections["consents"]} == {"programme", "research", "stakeholder"}

    book = load_workbook(io.BytesIO(data.to_workbook("nl")))
    assert book.sheetnames[0] == "Over dit bestand"
    # Titles are cut at 28 characters (Excel allows 31; room for a "+" when two cut titles meet).
    assert {"Notities over jou", "Je profiel, elke opgeslagen ", "Wie je gegevens bekeek of wi"} <= set(book.sheetnames)
    # Every part has a title in the reader's language, never a table's name (participant_stage had none).
    assert set(data.sections) <= set(export.SECTION_LABELS)
    assert not {name.rstrip("+") for name in book.sheetnames} & set(data.sections)
    texts = {str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c}
    assert {NOTE, SESSION_NOTE, IDEA_NOTE, NAME} <= texts
    assert cur.execute("SELECT count(*) FROM audit_log WHERE action = 'participant.export_personal_data'"
                       " AND subject = ?", [f"participant:{pid}"]).fetchone()[0] == 1


def test_only_the_person_and_a_manager_may_export(cur, team, group, person):
    pid, _ = person
    for role in ("newcomer", "mentor", "admin", "stakeholder"):  # team-newcomer is someone else
        with pytest.raises(NotAllowed):
            export.export_personal_data(cur, actor=team[role], participant_id=pid, today=TODAY)
    assert export.export_personal_data(cur, actor=team["manager"], participant_id=pid, today=TODAY).sections


def test_export_person_on_the_command_line_writes_both_files_for_the_owner_only(cur, con, db_path, person, tmp_path):
    pid, _ = person
    con.close()
    assert main(["--db", str(db_path), "export-person", pid, "--out", str(tmp_path / "out"), "--lang", "ar"]) == 0
    for suffix in (".json", ".xlsx"):
        target = tmp_path / "out" / f"{pid}{suffix}"
        assert target.stat().st_mode & 0o777 == 0o600
    assert json.loads((tmp_path / "out" / f"{pid}.json").read_text(encoding="utf-8"))["participant_id"] == pid
    assert load_workbook(tmp_path / "out" / f"{pid}.xlsx").sheetnames[0] == "عن هذا الملف"


def test_a_correction_at_the_persons_request_is_recorded_and_leaves_no_wrong_name(cur, team, person):
    pid, newcomer = person
    manager = team["manager"]
    with pytest.raises(NotAllowed):
        rectification.rectify(cur, actor=team["mentor"], participant_id=pid, field="display_name", value="X")
    with pytest.raises(ValidationFailed):
        rectification.rectify(cur, actor=manager, participant_id=pid, field="nationality", value="X")
    with pytest.raises(ValidationFailed):
        rectification.rectify(cur, actor=manager, participant_id=pid, field="hours_per_week", value="many")
    rectification.rectify(cur, actor=manager, participant_id=pid, field="display_name", value="Zainab Qureshi")
    assert cur.execute("SELECT display_name FROM participants WHERE participant_id = ?", [pid]).fetchone() == (
        "Zainab Qureshi",)
    names = {n for (n,) in cur.execute("SELECT profile->>'display_name' FROM profile_snapshots WHERE participant_id = ?",
                                       [pid]).fetchall()}
    assert names == {"Zainab Qureshi"}
    before = cur.execute("SELECT max(version) FROM profile_snapshots WHERE participant_id = ?", [pid]).fetchone()[0]
    rectification.rectify(cur, actor=manager, participant_id=pid, field="hours_per_week", value="12,5")
    latest = cur.execute("SELECT version, hours_per_week FROM profile_snapshots WHERE participant_id = ?"
                         " ORDER BY version DESC LIMIT 1", [pid]).fetchone()
    assert latest == (before + 1, 12.5)
    assert cur.execute("SELECT field FROM rectifications WHERE participant_id = ? ORDER BY rectification_id",
                       [pid]).fetchall() == [("display_name",), ("hours_per_week",)]
    assert cur.execute("SELECT count(*) FROM audit_log WHERE action = 'participant.rectify' AND subject = ?",
                       [f"participant:{pid}"]).fetchone()[0] == 2


def test_thirty_corrections_at_once_are_each_recorded(con, cur, team, person):
    pid, _ = person
    outcome = run_together(con, lambda c, i: rectification.rectify(
        c, actor=team["manager"], participant_id=pid, field="hours_per_week" if i % 2 else "display_name",
        value=str(10 + i) if i % 2 else f"Name {i}"))
    assert outcome.succeeded == THREADS, outcome.summary()
    assert cur.execute("SELECT count(*) FROM rectifications WHERE participant_id = ?", [pid]).fetchone()[0] == THREADS
    versions = cur.execute("SELECT count(*) FROM profile_snapshots WHERE participant_id = ? AND NOT draft",
                           [pid]).fetchone()[0]
    assert versions == 1 + THREADS // 2  # one new version per hours correction, none lost
    name = cur.execute("SELECT display_name FROM participants WHERE participant_id = ?", [pid]).fetchone()[0]
    assert {n for (n,) in cur.execute("SELECT DISTINCT profile->>'display_name' FROM profile_snapshots"
                                      " WHERE participant_id = ?", [pid]).fetchall()} == {name}
