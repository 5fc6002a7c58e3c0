"""Fixtures of the pipeline workbook tests (tests/support/pipeline_workbook.py)."""

from tests.support.pipeline_workbook import (  # noqa: F401 - fixtures
    workbook_app,
    workbook_con,
    workbook_template,
    workbook_world,
)
