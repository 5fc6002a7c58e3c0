"""The people pages as each language reads them (AppTest): repeated wizard rows keep their labels on
every row, euros and years in whole numbers, tables with a dash where nothing is known (never "None"
or "nan"), and the import preview's lines agree with its counts."""

from __future__ import annotations

import pytest
from streamlit.proto.LabelVisibility_pb2 import LabelVisibility

import ui.text
from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.market.seed import load_market_data
from incubator.people import importing, participants, snapshots
from incubator.people.inventory import STEPS
from incubator.people.profile import Profile
from tests.support.app import TEST_PASSWORD, signed_in_app

ISOLATES = "\u2066\u2067\u2068\u2069"


@pytest.fixture
def accounts(app_env):
    """The market data, a mentor and a manager, and two participants of the mentor: Sara with one
    saved inventory (no life-domains scan) and Yonas with nothing saved yet."""
    con = db.connect(app_env)
    cur = con.cursor()
    load_market_data(cur)
    ids = {role: users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=f"read-{role}", password=TEST_PASSWORD, role=role)
           for role in ("admin", "manager", "mentor")}
    mentor = users.get_actor(cur, ids["mentor"])
    sara = participants.create_participant(cur, actor=mentor, display_name="Sara")
    snapshots.save_profile(cur, actor=mentor, profile=Profile.from_dict({
        "id": sara.participant_id, "display_name": "Sara", "municipality": "GM0344", "capital_eur": 3000,
        "experience": [{"isco": "7531", "years": 6,
                        "esco_uri": "http://data.europa.eu/esco/occupation/978ae3a2-0831-415a-8396-b84dde656fc5"}], "ladder_rung": 3}))
    participants.create_participant(cur, actor=mentor, display_name="Yonas")
    con.close()
    return ids | {"sara": sara.participant_id}


def no_exception(at):
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_wizard_at(at, step: str):
    at.session_state["inventory.participant"] = "P-000001"
    no_exception(at.run())
    at.session_state["inventory.step"] = STEPS.index(step)
    return no_exception(at.run())


@pytest.mark.parametrize("step, question, fields", [
    ("languages", "other_languages", ("code", "cefr")),
    ("work", "experience", ("esco_uri", "years")),
    ("skills", "skills", ("esco_group", "level", "evidence")),
])
def test_every_repeated_row_keeps_its_labels_for_when_the_columns_stack(accounts, step, question, fields):
    at = open_wizard_at(signed_in_app(accounts["mentor"], lang="ar", page="app_pages/people/inventory.py"), step)
    for row in range(3):  # every repeating group shows at least three rows
        for field in fields:
            key = f"inventory.q.{question}.{row}.{field}"
            element = at.number_input(key=key) if field == "years" else at.selectbox(key=key)
            assert element.label.strip(), key
            assert element.proto.label_visibility.value == LabelVisibility.LabelVisibilityOptions.VISIBLE, key


def test_years_and_euros_in_the_wizard_are_whole_numbers(accounts):
    at = signed_in_app(accounts["mentor"], lang="nl", page="app_pages/people/inventory.py")
    work = open_wizard_at(at, "work")
    years = work.number_input(key="inventory.q.experience.0.years")
    assert years.value == 6 and years.proto.format == "%g"  # "6", and "6.5" for half a year, never "6.00"
    situation = open_wizard_at(signed_in_app(accounts["mentor"], lang="nl", page="app_pages/people/inventory.py"),
                               "situation")
    capital = situation.number_input(key="inventory.q.capital_eur")
    assert capital.value == 3000 and isinstance(capital.value, int) and capital.proto.format == "%d"


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_the_participants_overview_shows_a_dash_where_nothing_is_saved(accounts, lang):
    at = no_exception(signed_in_app(accounts["mentor"], lang=lang, page="app_pages/people/participants.py").run())
    table = at.dataframe[0].value
    cells = [str(v) for v in table.to_numpy().ravel()]
    assert not [c for c in cells if c in ("None", "nan", "NaT", "<NA>")], cells
    yonas = table.iloc[1].tolist()
    assert [c.strip(ISOLATES) for c in yonas[4:7]] == ["–", "–", "–"]  # version, saved, ladder rung
    assert table.iloc[0].iloc[4].strip(ISOLATES) == "1" and table.iloc[0].iloc[6].strip(ISOLATES) == "3"
    assert (table.iloc[0].iloc[4] != "1") == (lang == "ar")  # numbers isolated on a right-to-left page


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_the_profile_history_table_is_written_for_the_reader(accounts, lang):
    at = signed_in_app(accounts["mentor"], lang=lang, page="app_pages/people/profile_summary.py").run()
    no_exception(at)
    history = at.dataframe[-1].value.iloc[0].tolist()
    version, saved, ladder, ambition, dutch, domains = (str(c).strip(ISOLATES) for c in history)
    assert (version, ladder, dutch, domains) == ("1", "3", "–", "–")
    assert not saved.startswith("20") or lang == "ar"  # a date as people write it, not 2026-12-01 10:00:00
    assert ":" not in saved


def test_table_cells_per_language():
    assert ui.text.whole(6.0, "nl") == "6" and ui.text.whole(None, "nl") == "–"
    assert ui.text.euros(3000.0, "nl") == "€ 3.000" and ui.text.euros(3000.0, "ar").strip(ISOLATES) == "3,000 €"
    assert ui.text.euros(85.15, "nl") == "€\xa085,15"  # cents only where an amount has them
    assert ui.text.whole(-3, "ar") == "\u2066-3\u2069"  # "-3", not "3-", in a right-to-left line
    assert ui.text.decimal(float("nan"), "ar") == "–" and ui.text.plain(None, "nl") == "–"
    assert ui.text.plain(True, "nl") == "ja" and ui.text.plain(False, "ar") == "لا"
    assert ui.text.isolate("P-000001 · سارة") == "\u2068P-000001 · سارة\u2069"
    assert ui.text.bdi("<b>(B1)</b>") == "<bdi>&lt;b&gt;(B1)&lt;/b&gt;</bdi>"
    assert ui.text.escape_markdown("**a** [x](y) :red[z] $1$") == "\\*\\*a\\*\\* \\[x\\]\\(y\\) \\:red\\[z\\] \\$1\\$"


def test_the_import_preview_lists_one_line_for_each_row_it_counts_with_every_problem_in_full(seeded, people):
    content = (b"id;display_name;municipality;dutch_cefr;skills\n"
               b";Sara;Amsterdam;A2;S3.5.1:3\n"
               b";Yonas;Atlantis;Z9;\n"  # two problems in one row
               b";Hana;Nergens;B1;\n")
    preview = importing.preview_import(seeded, actor=people["manager"], file_name="cohort.csv", content=content)
    assert len(preview.problems) >= 3 and len(preview.bad_rows) == 2
    for lang in ("nl", "en", "ar"):
        table = ui.text.problem_table(preview.problems, lang)
        assert len(table) == len(preview.bad_rows)  # the "{bad} with problems" of the summary
        assert [int(r) for r in table.index] == preview.bad_rows
        lines = "  \n".join(table.iloc[:, 0]).split("  \n")
        assert len(lines) == len(preview.problems)  # every problem listed, none cut off
        assert any("Atlantis" in line for line in lines) and any("Nergens" in line for line in lines)
