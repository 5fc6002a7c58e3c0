"""Consent per purpose: recorded with the notice version, who and how; withdrawn with its date; the
stakeholder links of migration 010 became consents of the purpose "stakeholder" (a database made
before migration 014 keeps them); a withdrawal stops the processing for its purpose (a stakeholder
loses access, the person leaves the research data, leaving the programme starts retention)."""

from __future__ import annotations

import pytest

from incubator.core import db
from incubator.core.errors import NotAllowed, ValidationFailed
from incubator.people import consent
from incubator.programme import milestones as ms
from incubator.programme import stakeholders
from incubator.suggestions import choices
from tests.support.concurrency import THREADS, run_together


def test_a_database_made_before_014_keeps_its_stakeholder_links_as_consents(tmp_path):
    con = db.connect(tmp_path / "old.duckdb", migrate_now=False)
    try:
        db.migrate(con, up_to=13)
        cur = con.cursor()
        # Events as migration 010 stored them: P-1 linked to 7, withdrawn, linked again; P-2 linked to 8.
        cur.execute("INSERT INTO stakeholder_consents (participant_id, stakeholder_user_id, given, method, purpose,"
                    " recorded_by, recorded_at) VALUES"
                    " ('P-000001', 7, TRUE, 'signed_form', 'follow_progress', 3, TIMESTAMP '2027-01-05 10:00'),"
                    " ('P-000001', 7, FALSE, 'in_app', 'follow_progress', 11, TIMESTAMP '2027-02-01 09:00'),"
                    " ('P-000001', 7, TRUE, 'in_person', 'follow_progress', 3, TIMESTAMP '2027-03-01 12:00'),"
                    " ('P-000002', 8, TRUE, 'in_person', 'follow_progress', NULL, TIMESTAMP '2027-01-06 10:00')")
        assert db.migrate(con)[0] == 14
        rows = cur.execute("SELECT participant_id, purpose, stakeholder_user_id, notice_version, given_method,"
                           " given_by, CAST(given_at AS DATE), withdrawn_method, withdrawn_by, CAST(withdrawn_at AS DATE)"
                           " FROM consents ORDER BY consent_id").fetchall()
        assert [r[:3] for r in rows] == [("P-000001", "stakeholder", 7)] * 2 + [("P-000002", "stakeholder", 8)]
        assert [str(r[6]) for r in rows] == ["2027-01-05", "2027-03-01", "2027-01-06"]
        assert rows[0][7:9] == ("in_app", 11) and str(rows[0][9]) == "2027-02-01"
        assert rows[1][7:] == (None, None, None) and rows[2][7:] == (None, None, None)
        assert rows[0][3] is None  # recorded before there was a notice
        assert cur.execute(stakeholders.CURRENT_LINKS_SQL + " ORDER BY 1").fetchall() == [("P-000001", 7), ("P-000002", 8)]
        assert cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'stakeholder_consents'"
                           ).fetchone()[0] == 0
    finally:
        con.close()


def test_consent_is_recorded_per_purpose_with_the_notice_version_who_and_how(cur, team, group):
    pid, newcomer, mentor = group["own"], team["newcomer"], team["mentor"]
    assert consent.give_consent(cur, actor=newcomer, participant_id=pid, purpose="research", method="in_app")
    assert not consent.give_consent(cur, actor=newcomer, participant_id=pid, purpose="research", method="in_app")
    assert consent.give_consent(cur, actor=mentor, participant_id=pid, purpose="municipality", method="signed_form")
    with pytest.raises(ValidationFailed) as only_in_app:  # a newcomer answers on their own screen
        consent.give_consent(cur, actor=newcomer, participant_id=pid, purpose="programme", method="in_person")
    assert only_in_app.value.message_key == consent.ONLY_IN_APP
    with pytest.raises(ValidationFailed):  # someone else records what the person said or signed
        consent.give_consent(cur, actor=mentor, participant_id=pid, purpose="programme", method="in_app")
    with pytest.raises(ValidationFailed):
        consent.give_consent(cur, actor=mentor, participant_id=pid, purpose="marketing", method="in_person")
    with pytest.raises(ValidationFailed):
        consent.give_consent(cur, actor=mentor, participant_id=pid, purpose="stakeholder", method="in_person")
    for role in ("other_mentor", "admin", "stakeholder"):
        with pytest.raises(NotAllowed):
            consent.give_consent(cur, actor=team[role], participant_id=pid, purpose="programme", method="in_person")
    with pytest.raises(NotAllowed):
        consent.consents_of(cur, actor=team["other_mentor"], participant_id=pid)
    assert consent.withdraw_consent(cur, actor=newcomer, participant_id=pid, purpose="research", method="in_app")
    assert not consent.withdraw_consent(cur, actor=newcomer, participant_id=pid, purpose="research", method="in_app")
    mine = consent.consents_of(cur, actor=newcomer, participant_id=pid)
    research = next(c for c in mine if c.purpose == "research")
    assert (research.notice_version, research.given_method, research.given_by) == (
        consent.NOTICE_VERSION, "in_app", "team-newcomer")
    assert research.withdrawn_at is not None and research.withdrawn_by == "team-newcomer" and not research.active
    municipality = next(c for c in mine if c.purpose == "municipality")
    assert municipality.active and municipality.given_by == "team-mentor" and municipality.given_method == "signed_form"
    actions = [a for (a,) in cur.execute("SELECT action FROM audit_log WHERE subject = ? AND action LIKE 'consent.%'"
                                         " ORDER BY entry_id", [f"participant:{pid}"]).fetchall()]
    assert actions == ["consent.give", "consent.give", "consent.withdraw"]


def test_withdrawing_stops_each_purpose(cur, team, group):
    pid, newcomer, mentor, stakeholder = group["own"], team["newcomer"], team["mentor"], team["stakeholder"]
    # Sharing with a stakeholder: a consent of the one model; withdrawn, the stakeholder sees nothing.
    stakeholders.link_stakeholder(cur, actor=mentor, participant_id=pid, stakeholder_user_id=stakeholder.user_id,
                                  method="signed_form")
    ms.instantiate(cur, actor=mentor, participant_id=pid)
    assert ms.milestones_of(cur, actor=stakeholder, participant_id=pid)
    assert consent.withdraw_consent(cur, actor=newcomer, participant_id=pid, purpose="stakeholder", method="in_app",
                                    stakeholder_user_id=stakeholder.user_id)
    with pytest.raises(NotAllowed):
        ms.milestones_of(cur, actor=stakeholder, participant_id=pid)
    history = stakeholders.consent_history(cur, actor=newcomer, participant_id=pid)
    assert [h.given for h in history] == [False, True]
    # Research: an outcome trains only while the consent to research is open.
    cur.execute("INSERT INTO programme_outcomes (choice_id, participant_id, venture_id, launched, running_12m, features)"
                " SELECT choice_id, participant_id, venture_id, TRUE, TRUE, features FROM venture_choices"
                " WHERE participant_id = ?", [pid])
    assert len(choices.outcome_training_data(cur)[1]) == 0
    consent.give_consent(cur, actor=newcomer, participant_id=pid, purpose="research", method="in_app")
    assert len(choices.outcome_training_data(cur)[1]) == 1
    consent.withdraw_consent(cur, actor=mentor, participant_id=pid, purpose="research", method="in_person")
    assert len(choices.outcome_training_data(cur)[1]) == 0
    # The programme: withdrawing is leaving it; the retention period counts from that day.
    consent.give_consent(cur, actor=newcomer, participant_id=pid, purpose="programme", method="in_app")
    assert cur.execute("SELECT left_on FROM participants WHERE participant_id = ?", [pid]).fetchone() == (None,)
    consent.withdraw_consent(cur, actor=newcomer, participant_id=pid, purpose="programme", method="in_app")
    assert cur.execute("SELECT left_on = current_date FROM participants WHERE participant_id = ?", [pid]).fetchone() == (True,)


@pytest.mark.parametrize("purpose", ["research", "programme"])
def test_thirty_consents_and_withdrawals_at_once_keep_one_open_consent_at_most(con, cur, team, group, purpose):
    pid, mentor = group["amal"], team["mentor"]

    def answer(c, i):
        record = consent.give_consent if i % 2 == 0 else consent.withdraw_consent
        return record(c, actor=mentor, participant_id=pid, purpose=purpose, method="in_person")

    outcome = run_together(con, answer)
    assert outcome.succeeded == THREADS, outcome.summary()
    changed = sum(1 for r in outcome.results.values() if r)
    rows = cur.execute("SELECT count(*), count(*) FILTER (WHERE withdrawn_at IS NULL) FROM consents"
                       " WHERE participant_id = ? AND purpose = ?", [pid, purpose]).fetchone()
    assert rows[1] <= 1
    # Every change that said True is a row or a withdrawal of one: the answers and the rows agree.
    withdrawals = cur.execute("SELECT count(withdrawn_at) FROM consents WHERE participant_id = ? AND purpose = ?",
                              [pid, purpose]).fetchone()[0]
    assert changed == rows[0] + withdrawals
    audited = cur.execute("SELECT count(*) FROM audit_log WHERE subject = ? AND action LIKE 'consent.%'",
                          [f"participant:{pid}"]).fetchone()[0]
    assert audited == changed
