"""Unexpected errors are logged by type and place with a reference, never with their message."""

import logging
import re

import duckdb

from incubator.core.errors import UNEXPECTED, report_unexpected
from incubator.core.i18n import translate


def test_the_log_gets_a_reference_and_the_place_but_not_the_personal_data_in_the_message(caplog):
    try:
        raise duckdb.ConstraintException('Duplicate key "display_name: Amal Haddad" violates a unique constraint')
    except duckdb.Error as exc:
        with caplog.at_level(logging.ERROR, logger="versnelling.test"):
            reference = report_unexpected(exc, logging.getLogger("versnelling.test"))
    assert re.fullmatch(r"E-[0-9a-f]{8}", reference)
    [record] = caplog.records
    logged = record.getMessage()
    assert reference in logged and "ConstraintException" in logged and "test_errors.py" in logged
    assert "Amal" not in logged and "display_name" not in logged


def test_two_errors_get_two_references():
    logger = logging.getLogger("versnelling.test")
    assert report_unexpected(ValueError("x"), logger) != report_unexpected(ValueError("x"), logger)


def test_the_message_names_the_reference_in_every_language():
    for lang in ("nl", "en", "ar"):
        assert "E-1234abcd" in translate(UNEXPECTED, lang, reference="E-1234abcd")
