"""Text that cannot hurt its reader: names without invisible or bidirectional characters (each refusal
names the character), export cells that a spreadsheet never runs, Markdown escaped by ui.typed, and
the Content-Security-Policy on every answer."""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from incubator.accounts import users
from incubator.core import excel, names
from incubator.core.errors import ValidationFailed
from incubator.core.i18n import translate
from incubator.people import importing as saving
from incubator.people import participants, snapshots
from incubator.people.profile import Profile
from tests.support.app import TEST_PASSWORD
from ui import text, web

HIDDEN = [("Amal\u202eladmin", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("Am\u200bal", "U+200B ZERO WIDTH SPACE"),
          ("\u2067Amal", "U+2067 RIGHT-TO-LEFT ISOLATE"), ("Amal\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
          ("Am\u202aal", "U+202A LEFT-TO-RIGHT EMBEDDING"), ("\ufeffAmal", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
          ("Amal\u3164", "U+3164 HANGUL FILLER"), ("Am\u2028al", "U+2028 LINE SEPARATOR")]


@pytest.mark.parametrize("name, character", HIDDEN)
def test_invisible_characters_are_named(name, character):
    assert names.invisible_character(name) == character


@pytest.mark.parametrize("name", ["Amal Haddad", "أمل حداد", "مهسا\u200cرضایی", "Олена Коваль", "O'Brien-Smith"])
def test_ordinary_names_pass(name):
    assert names.invisible_character(name) is None


@pytest.mark.parametrize("name, character", HIDDEN[:3])
def test_participant_names_refuse_them_with_a_message_naming_the_character(cur, people, name, character):
    with pytest.raises(ValidationFailed) as refused:
        participants.create_participant(cur, actor=people["manager"], display_name=name)
    assert refused.value.params == {"character": character}
    assert character in translate(refused.value.message_key, "nl", **refused.value.params)
    record = participants.create_participant(cur, actor=people["manager"], display_name="Amal")
    with pytest.raises(ValidationFailed) as saved:
        snapshots.save_profile(cur, actor=people["manager"], profile=Profile(id=record.participant_id, display_name=name))
    assert saved.value.params == {"character": character}


def test_an_import_row_with_a_hidden_character_is_named(seeded, people):
    content = "display_name,municipality\r\nAmal\u202eladmin,GM0344\r\nYonas,GM0344\r\n".encode()
    preview = saving.preview_import(seeded, actor=people["manager"], file_name="cohort.csv", content=content)
    problems = [(p.row, p.column, p.params) for p in preview.problems]
    assert (2, "display_name", {"character": "U+202E RIGHT-TO-LEFT OVERRIDE"}) in problems
    assert preview.bad_rows == [2]


@pytest.mark.parametrize("username", ["adm\u2067in", "amal\u200cx"])
def test_user_names_refuse_them_too_joiners_included(cur, people, username):
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(cur, actor=people["admin"], username=username, password=TEST_PASSWORD, role="mentor")
    assert refused.value.message_key == names.USER_NAME_INVISIBLE


@pytest.mark.parametrize("value", ["=1+1", "+31", "-2", "@SUM(A1)", "\t=1", "\r=1", "  =HYPERLINK(\"x\")", " \t@x",
                                   "   -1"])
def test_export_cells_that_a_spreadsheet_would_run_are_escaped(value):
    assert excel.safe_text(value) == "'" + value
    workbook = openpyxl.load_workbook(io.BytesIO(excel.write_workbook([excel.SheetSpec("t", pd.DataFrame({"a": [value]}))])))
    cell = workbook.active["A2"]
    # XML reads a carriage return back as a line feed; the cell is text either way.
    assert cell.value == value.replace("\r", "\n") and cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize("value", ["Amal", "a=b", "3-2", "x@y.nl", " Amal"])
def test_ordinary_cells_stay_as_they_are(value):
    assert excel.safe_text(value) == value


def test_typed_markdown_is_escaped_whole():
    shown = text.typed("![](http://x/p.png) [click](javascript:alert(1)) <img src=x onerror=alert(1)> :red[x]")
    assert not re.search(r"(?<!\\)[!\[\]()<>:=]", shown)  # every sign Markdown reads has its backslash
    assert shown.replace("\\", "") == "![](http://x/p.png) [click](javascript:alert(1)) <img src=x onerror=alert(1)> :red[x]"
    assert text.typed(None) == "\\-"  # a dash, not a list item


def test_every_answer_carries_the_content_security_policy():
    app = Starlette(routes=[Route("/", lambda _request: PlainTextResponse("ok"))], middleware=web.MIDDLEWARE)
    with TestClient(app) as client:
        response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "img-src 'self' data: blob:" in policy and "default-src 'self'" in policy
    assert "script-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["x-content-type-options"] == "nosniff"
