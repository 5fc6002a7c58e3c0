"""Participants and their snapshots: pseudonymous ids, access per role, drafts and versions, history,
the audit log, and the export."""

from __future__ import annotations

import dataclasses
import json

import pytest
from jsonschema import Draft202012Validator

from incubator.core.access import COMMAND_LINE_ADMIN, Actor, ParticipantResource, is_allowed
from incubator.core.errors import NotAllowed, ValidationFailed
from incubator.people import participants, snapshots
from incubator.people.inventory import Details, Inventory
from incubator.people.participants import ParticipantNotFound
from incubator.people.profile import PROFILE_SCHEMA, Language, Profile
from incubator.people.snapshots import ProfileNotSaved
from incubator.people.wizard import apply_answers


def audit_rows(cur, action):
    return cur.execute("SELECT actor_user_id, subject FROM audit_log WHERE action = ? ORDER BY entry_id", [action]).fetchall()


def test_records_are_resources_with_pseudonymous_ids(seeded, people, cohort):
    record = participants.get_participant(seeded, cohort["mentored"])
    resource: ParticipantResource = record  # the access checks take it as it is
    assert {"participant_id", "owner_user_id", "mentor_user_ids"} <= set(dir(resource))
    assert is_allowed(people["mentor"], "profile.view", resource)
    assert [cohort[k] for k in ("own", "mentored", "other")] == ["P-000001", "P-000002", "P-000003"]
    assert record.mentor_user_ids == (people["mentor"].user_id,) and record.owner_user_id is None
    own = participants.participant_for_user(seeded, people["newcomer"].user_id)
    assert own.participant_id == cohort["own"] and own.owner_user_id == people["newcomer"].user_id
    assert participants.participant_for_user(seeded, people["mentor"].user_id) is None
    with pytest.raises(ParticipantNotFound) as missing:
        participants.get_participant(seeded, "P-999999")
    assert missing.value.params == {"participant_id": "P-999999"}


def test_each_role_lists_only_whom_it_may_see(seeded, people, cohort):
    def ids(role):
        return [r.participant_id for r in participants.list_participants(seeded, actor=people[role])]

    assert ids("newcomer") == [cohort["own"]]
    assert ids("mentor") == [cohort["own"], cohort["mentored"]]
    assert ids("manager") == [cohort["own"], cohort["mentored"], cohort["other"]]
    with pytest.raises(NotAllowed):
        participants.list_participants(seeded, actor=people["admin"])
    stranger = Actor(999, "newcomer", "stranger")
    assert participants.list_participants(seeded, actor=stranger) == []


def test_a_newcomer_creates_their_own_record_once_and_nobody_else_s(seeded, people, cohort):
    with pytest.raises(ValidationFailed):
        participants.create_participant(seeded, actor=people["newcomer"])
    with pytest.raises(NotAllowed):
        participants.create_participant(seeded, actor=people["newcomer"], owner_user_id=people["mentor"].user_id)
    with pytest.raises(NotAllowed):
        participants.create_participant(seeded, actor=people["admin"])


def test_only_a_manager_binds_a_newcomer_account_to_a_record(seeded, people, cohort):
    """Issue 9: a mentor who could bind any newcomer's account to a record of theirs would see that
    person's profile; binding is a manager's decision."""
    from incubator.accounts import users

    layla = users.create_user(seeded, actor=COMMAND_LINE_ADMIN, username="layla", password=None, role="newcomer")
    with pytest.raises(NotAllowed):
        participants.create_participant(seeded, actor=people["mentor"], owner_user_id=layla)
    with pytest.raises(NotAllowed):
        participants.link_owner(seeded, actor=people["mentor"], participant_id=cohort["mentored"], owner_user_id=layla)
    assert participants.participant_for_user(seeded, layla) is None
    record = participants.create_participant(seeded, actor=people["manager"], owner_user_id=layla)
    assert participants.participant_for_user(seeded, layla).participant_id == record.participant_id


@pytest.mark.parametrize(("role", "target", "allowed"), [
    ("newcomer", "own", True), ("newcomer", "mentored", False), ("newcomer", "other", False),
    ("mentor", "own", True), ("mentor", "mentored", True), ("mentor", "other", False),
    ("manager", "own", True), ("manager", "other", True),
    ("admin", "own", False),
])
def test_view_and_edit_per_role(seeded, people, cohort, role, target, allowed):
    actor, participant_id = people[role], cohort[target]
    profile = Profile(id=participant_id, municipality="GM0363")
    calls = [
        lambda: snapshots.save_profile(seeded, actor=actor, profile=profile),
        lambda: snapshots.load_profile(seeded, actor=actor, participant_id=participant_id),
        lambda: snapshots.load_inventory(seeded, actor=actor, participant_id=participant_id),
        lambda: snapshots.profile_history(seeded, actor=actor, participant_id=participant_id),
    ]
    for call in calls:
        if allowed:
            call()
        else:
            with pytest.raises(NotAllowed):
                call()


def test_drafts_wait_at_the_next_version_and_saves_make_dated_snapshots(seeded, people, cohort):
    me, pid = people["newcomer"], cohort["own"]
    with pytest.raises(ProfileNotSaved):
        snapshots.load_profile(seeded, actor=me, participant_id=pid)
    empty = snapshots.load_inventory(seeded, actor=me, participant_id=pid)
    assert empty.profile == Profile(id=pid) and empty.details == Details()

    draft = apply_answers(empty, "about", {"display_name": "سارة", "municipality": "GM0363", "year_of_arrival": 2020})
    assert snapshots.save_inventory(seeded, actor=me, inventory=draft, draft=True) == 1
    assert snapshots.save_inventory(seeded, actor=me, inventory=draft, draft=True) == 1  # replaces the draft
    assert snapshots.has_draft(seeded, pid)
    with pytest.raises(ProfileNotSaved):
        snapshots.load_profile(seeded, actor=me, participant_id=pid)
    assert snapshots.load_inventory(seeded, actor=me, participant_id=pid) == draft

    assert snapshots.save_inventory(seeded, actor=me, inventory=draft) == 1
    assert not snapshots.has_draft(seeded, pid)
    later = apply_answers(draft, "wellbeing", {"domain.housing": 4, "domain.work": 2, "ladder_rung": 4})
    assert snapshots.save_inventory(seeded, actor=me, inventory=later, draft=True) == 2
    assert snapshots.load_profile(seeded, actor=me, participant_id=pid).ladder_rung == 1  # drafts do not count
    assert snapshots.save_inventory(seeded, actor=me, inventory=later) == 2

    loaded = snapshots.load_profile(seeded, actor=me, participant_id=pid)
    assert loaded == later.profile and loaded.display_name == "سارة"
    assert participants.get_participant(seeded, pid).display_name == "سارة"
    history = snapshots.profile_history(seeded, actor=me, participant_id=pid)
    assert history["version"].tolist() == [1, 2]
    assert history["ladder_rung"].tolist() == [1, 4]
    assert history["life_domains_mean"].tolist()[1] == 3.0
    assert history["saved_by"].tolist() == ["test-newcomer", "test-newcomer"]
    stored = seeded.execute("SELECT details FROM profile_snapshots WHERE participant_id = ? AND version = 2",
                            [pid]).fetchone()[0]
    assert Details.from_dict(json.loads(stored)) == later.details


def test_saving_checks_codes_and_details(seeded, people, cohort):
    me, pid = people["manager"], cohort["other"]
    with pytest.raises(ValidationFailed) as refused:
        snapshots.save_profile(seeded, actor=me, profile=Profile(id=pid, municipality="GM9999"))
    assert refused.value.params == {"value": "GM9999"}
    with pytest.raises(ValidationFailed):
        snapshots.save_profile(seeded, actor=me, profile=Profile(id=pid, languages=(Language("nl", "D1"),)))
    with pytest.raises(ValidationFailed):
        snapshots.save_inventory(seeded, actor=me, inventory=Inventory(Profile(id=pid), Details(life_domains={"work": 9})))
    with pytest.raises(ParticipantNotFound):
        snapshots.save_profile(seeded, actor=me, profile=Profile(id="P-777777"))
    assert seeded.execute("SELECT count(*) FROM profile_snapshots").fetchone()[0] == 0


def test_views_changes_and_exports_are_audited_without_content(seeded, people, cohort):
    mentor, pid = people["mentor"], cohort["mentored"]
    snapshots.save_profile(seeded, actor=mentor, profile=Profile(id=pid, display_name="Amal"))
    for _ in range(3):  # every rerun of a page loads again; one entry is enough
        snapshots.load_profile(seeded, actor=mentor, participant_id=pid)
    snapshots.load_profile(seeded, actor=people["manager"], participant_id=pid)
    assert audit_rows(seeded, "profile.save") == [(mentor.user_id, f"participant:{pid}")]
    assert audit_rows(seeded, "profile.view") == [
        (mentor.user_id, f"participant:{pid}"), (people["manager"].user_id, f"participant:{pid}")]
    # A newcomer reading their own record is not an event worth logging.
    snapshots.load_inventory(seeded, actor=people["newcomer"], participant_id=cohort["own"])
    assert len(audit_rows(seeded, "profile.view")) == 2
    assert "Amal" not in repr(seeded.execute("SELECT * FROM audit_log").fetchall())


def test_export_is_pseudonymous_by_default_and_limited_to_own_participants(seeded, people, cohort):
    manager = people["manager"]
    for key, name in (("own", "Sara"), ("mentored", "Amal"), ("other", "Yonas")):
        snapshots.save_profile(seeded, actor=manager, profile=Profile(id=cohort[key], display_name=name))
    exported = snapshots.export_profiles(seeded, actor=manager)
    assert [item["id"] for item in exported] == [cohort["own"], cohort["mentored"], cohort["other"]]
    assert all("display_name" not in item for item in exported)
    assert all(Draft202012Validator(PROFILE_SCHEMA).is_valid(item) for item in exported)
    named = snapshots.export_profiles(seeded, actor=manager, pseudonymise=False)
    assert [item["display_name"] for item in named] == ["Sara", "Amal", "Yonas"]
    mentor_export = snapshots.export_profiles(seeded, actor=people["mentor"])
    assert [item["id"] for item in mentor_export] == [cohort["own"], cohort["mentored"]]
    with pytest.raises(NotAllowed):
        snapshots.export_profiles(seeded, actor=people["mentor"], participant_ids=[cohort["other"]])
    with pytest.raises(NotAllowed):
        snapshots.export_profiles(seeded, actor=people["newcomer"])
    assert len(audit_rows(seeded, "profile.export")) == 3 + 3 + 2


def test_managers_assign_mentors_and_link_accounts(seeded, people, cohort):
    manager, mentor = people["manager"], people["mentor"]
    with pytest.raises(NotAllowed):
        participants.assign_mentor(seeded, actor=mentor, participant_id=cohort["other"], mentor_user_id=mentor.user_id)
    with pytest.raises(ValidationFailed):
        participants.assign_mentor(seeded, actor=manager, participant_id=cohort["other"],
                                   mentor_user_id=people["newcomer"].user_id)
    participants.assign_mentor(seeded, actor=manager, participant_id=cohort["other"], mentor_user_id=mentor.user_id)
    participants.assign_mentor(seeded, actor=manager, participant_id=cohort["other"], mentor_user_id=mentor.user_id)
    assert participants.get_participant(seeded, cohort["other"]).mentor_user_ids == (mentor.user_id,)
    participants.unassign_mentor(seeded, actor=manager, participant_id=cohort["other"], mentor_user_id=mentor.user_id)
    assert participants.get_participant(seeded, cohort["other"]).mentor_user_ids == ()

    from incubator.accounts import users
    new_user = users.create_user(seeded, actor=COMMAND_LINE_ADMIN, username="layla", password="a long password", role="newcomer")
    assert "layla" in participants.accounts_for_assignment(seeded, actor=manager)["username"].tolist()
    participants.link_owner(seeded, actor=manager, participant_id=cohort["other"], owner_user_id=new_user)
    assert participants.participant_for_user(seeded, new_user).participant_id == cohort["other"]
    assert "layla" not in participants.accounts_for_assignment(seeded, actor=manager)["username"].tolist()
    with pytest.raises(ValidationFailed):  # linked already
        participants.link_owner(seeded, actor=manager, participant_id=cohort["other"], owner_user_id=new_user)
    with pytest.raises(ValidationFailed):  # a mentor's account cannot own a record
        participants.link_owner(seeded, actor=manager, participant_id=cohort["mentored"], owner_user_id=mentor.user_id)


def test_overview_shows_mentors_accounts_and_last_save(seeded, people, cohort):
    snapshots.save_profile(seeded, actor=people["manager"],
                              profile=dataclasses.replace(Profile(id=cohort["mentored"]), ladder_rung=3))
    overview = participants.participant_overview(seeded, actor=people["mentor"]).set_index("participant_id")
    assert list(overview.index) == [cohort["own"], cohort["mentored"]]
    assert overview.loc[cohort["own"], "account"] == "test-newcomer"
    assert overview.loc[cohort["mentored"], "mentors"] == "test-mentor"
    assert overview.loc[cohort["mentored"], "version"] == 1 and overview.loc[cohort["mentored"], "ladder_rung"] == 3
    empty_mentor = Actor(people["admin"].user_id + 100, "mentor", "nobody")
    assert participants.participant_overview(seeded, actor=empty_mentor).empty


def test_fixtures_give_three_participants(cohort, seeded):
    assert seeded.execute("SELECT count(*) FROM participants").fetchone()[0] == 3
    assert seeded.execute("SELECT count(*) FROM municipalities").fetchone()[0] > 300
