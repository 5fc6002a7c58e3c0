"""Copies of the template databases that tests/conftest.py makes once per test process."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_database(template: Path, target: Path) -> Path:
    """A test's own copy of a template database file (`migrated_template`, `market_template`); copy
    before anything opens `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return target
