"""Rectification: a correction the person asked for, recorded (which field, by whom, when) and
audited. The old value is not kept anywhere: a wrong name is corrected in the record and in every
saved version of the profile; a wrong profile answer gets a new dated version with the right one."""

from __future__ import annotations

import dataclasses

import duckdb

from incubator.core.access import Actor, require
from incubator.core.audit import audit
from incubator.core.db import retrying, transaction
from incubator.core.errors import ValidationFailed
from incubator.core.i18n import N_
from incubator.people import snapshots
from incubator.people.participants import get_participant

# The fields a person can ask to have corrected, with their label (msgid) and how a value is read.
FIELDS = {
    "display_name": (N_("Name"), str),
    "municipality": (N_("Municipality (CBS code, like GM0344)"), str),
    "hours_per_week": (N_("Hours a week for the business"), float),
    "capital_eur": (N_("Own money for the business (euro)"), float),
}
UNKNOWN_FIELD = N_("{field} cannot be corrected here.")
NOT_A_NUMBER = N_("{value} is not a number.")
NAME_TOO_LONG = N_("A name has at most 200 characters.")


def _value(field: str, text: str) -> str | float | None:
    kind = FIELDS[field][1]
    text = text.strip()
    if kind is float:
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise ValidationFailed(NOT_A_NUMBER, value=text) from None
    if field == "display_name" and len(text) > 200:
        raise ValidationFailed(NAME_TOO_LONG)
    return text or None


def rectify(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, field: str, value: str) -> None:
    """Correct `field` of the participant to `value` (as typed) at their request, and record that it was done."""
    if field not in FIELDS:
        raise ValidationFailed(UNKNOWN_FIELD, field=field)
    require(actor, "privacy.rectify", get_participant(cur, participant_id))
    corrected = _value(field, value)

    def write() -> None:
        with transaction(cur):
            if field == "display_name":
                cur.execute("UPDATE participants SET display_name = ? WHERE participant_id = ?",
                            [corrected, participant_id])
                # Every saved version: the wrong name must not stay in the history.
                cur.execute("UPDATE profile_snapshots SET profile = json_merge_patch(profile, json_object('display_name', ?))"
                            " WHERE participant_id = ?", [corrected, participant_id])
            else:
                inventory = snapshots.load_inventory(cur, actor=actor, participant_id=participant_id, include_draft=False)
                profile = dataclasses.replace(inventory.profile, **{field: corrected})
                snapshots.save_inventory(cur, actor=actor, inventory=dataclasses.replace(inventory, profile=profile),
                                         source="api")
            cur.execute("INSERT INTO rectifications (participant_id, field, recorded_by) VALUES (?, ?, ?)",
                        [participant_id, field, actor.account_id])
            audit(cur, actor.account_id, "participant.rectify", f"participant:{participant_id}")

    retrying(cur, write, queue=[f"snapshots:{participant_id}"])
