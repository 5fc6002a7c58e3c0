"""Fixtures of the business-plan tests: the cohort of tests/conftest.py with saved profiles, and the
newcomer's own participant with a plan for made-to-measure tailoring (chosen with the quick model of
tests/support/scoring.py, so no test waits for the committed model)."""

from __future__ import annotations

import pytest

from incubator.people import snapshots
from incubator.plans import business_plan as bp
from tests.support.scoring import TAILOR, profile, quick_model


@pytest.fixture
def profiled(seeded, people, cohort) -> dict:
    """Every participant of the cohort has a saved profile (a tailor on a benefit, 36 hours a week)."""
    for pid in cohort.values():
        snapshots.save_profile(seeded, actor=people["manager"], profile=profile(TAILOR, id=pid))
    return cohort


@pytest.fixture
def plan(seeded, people, profiled) -> bp.Plan:
    """The newcomer's own participant's plan for made-to-measure tailoring, started by their mentor."""
    return bp.create_plan(seeded, actor=people["mentor"], participant_id=profiled["own"], venture_id="cr_tailoring",
                          model=quick_model())
