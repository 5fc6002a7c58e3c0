"""The map of where a person's data lives covers every table with a participant column: a new table
that is not classified fails here (and erasure removes its rows meanwhile)."""

from __future__ import annotations

from incubator.people import participants
from incubator.privacy import erasure, tables


def test_every_table_about_a_participant_is_classified(cur):
    assert tables.unclassified(cur) == []
    assert set(tables.PERSON_TABLES) == set(tables.tables_with_column(cur, "participant_id"))


def test_a_new_table_with_a_participant_column_is_found_and_erased_even_before_it_is_classified(cur, people):
    record = participants.create_participant(cur, actor=people["manager"], display_name="Someone")
    cur.execute("CREATE TABLE snapshot_allergies (participant_id VARCHAR, version INTEGER, allergy VARCHAR)")
    cur.execute("CREATE TABLE allergy_notes (plan_id INTEGER, body VARCHAR)")
    cur.execute("INSERT INTO snapshot_allergies VALUES (?, 1, 'peanuts')", [record.participant_id])
    assert tables.unclassified(cur) == ["snapshot_allergies", "allergy_notes"]
    done = erasure.erase_participant(cur, actor=people["manager"], participant_id=record.participant_id)
    assert done.rows_removed["snapshot_allergies"] == 1
    assert cur.execute("SELECT count(*) FROM snapshot_allergies").fetchone()[0] == 0
