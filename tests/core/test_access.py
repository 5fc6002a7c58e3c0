"""require(actor, permission, resource) for each role."""

from dataclasses import dataclass, field

import pytest

from incubator.core.access import PERMISSIONS, Actor, is_allowed, require
from incubator.core.errors import NotAllowed

NEWCOMER, OTHER_NEWCOMER = Actor(1, "newcomer"), Actor(2, "newcomer")
MENTOR, OTHER_MENTOR = Actor(3, "mentor"), Actor(4, "mentor")
MANAGER, ADMIN = Actor(5, "manager"), Actor(6, "admin")


@dataclass
class Record:
    participant_id: str = "P-1"
    owner_user_id: int | None = 1
    mentor_user_ids: tuple = field(default=(3,))


RECORD = Record()


@pytest.mark.parametrize("permission", ["profile.view", "profile.edit", "suggest.view", "suggest.choose"])
def test_newcomer_only_own_record(permission):
    assert is_allowed(NEWCOMER, permission, RECORD)
    with pytest.raises(NotAllowed):
        require(OTHER_NEWCOMER, permission, RECORD)


@pytest.mark.parametrize("permission", ["profile.view", "profile.edit", "profile.export", "suggest.adjust"])
def test_mentor_only_assigned_participants(permission):
    assert is_allowed(MENTOR, permission, RECORD)
    with pytest.raises(NotAllowed):
        require(OTHER_MENTOR, permission, RECORD)


def test_manager_sees_everyone_and_admin_manages_accounts_only():
    for permission in ("profile.view", "profile.edit", "profile.export", "suggest.view", "market.upload"):
        assert is_allowed(MANAGER, permission, RECORD)
    assert is_allowed(ADMIN, "accounts.manage")
    assert not is_allowed(MANAGER, "accounts.manage")
    assert not is_allowed(ADMIN, "profile.view", RECORD)


def test_visitor_may_only_use_public_permissions():
    assert is_allowed(None, "market.view")
    assert is_allowed(None, "suggest.explore")
    assert not any(is_allowed(None, p, RECORD) for p in PERMISSIONS - {"market.view", "suggest.explore"})


def test_newcomer_cannot_upload_market_data_or_train():
    for permission in ("market.upload", "model.train", "profile.import", "accounts.manage"):
        with pytest.raises(NotAllowed):
            require(NEWCOMER, permission)


def test_unknown_permission_is_a_programming_error():
    with pytest.raises(ValueError):
        is_allowed(MANAGER, "profile.destroy")


@pytest.mark.parametrize("permission", ["plan.view", "plan.edit", "plan.comment"])
def test_plans_newcomer_own_mentor_assigned_manager_all_admin_none(permission):
    assert is_allowed(NEWCOMER, permission, RECORD) and not is_allowed(OTHER_NEWCOMER, permission, RECORD)
    assert is_allowed(MENTOR, permission, RECORD) and not is_allowed(OTHER_MENTOR, permission, RECORD)
    assert is_allowed(MANAGER, permission, RECORD) and not is_allowed(ADMIN, permission, RECORD)
