"""Typed names of skill groups and occupations are matched in any interface language (the labels
table), and the Excel template lists the codes' names in Dutch, English and the reader's language."""

from __future__ import annotations

import io

import openpyxl

from incubator.market.labels import labels_in
from incubator.people import checks
from incubator.people import files as pi


def test_a_skill_group_or_occupation_typed_in_any_of_the_languages_is_found(seeded):
    seeded.execute("INSERT OR REPLACE INTO labels VALUES ('skill_group', 'S6.5.6', 'uk', 'Шиття'),"
                   " ('occupation', (SELECT min(esco_uri) FROM occupations), 'ti', 'ሰራሒ ኣብነት')")
    uri = seeded.execute("SELECT min(esco_uri) FROM occupations").fetchone()[0]
    codes = checks.Codes.load(seeded)
    arabic = labels_in(seeded, "skill_group", "ar")["S6.5.6"]
    assert codes.skill_groups[checks._key(arabic)] == "S6.5.6"  # Arabic: not matched before the labels table
    assert codes.skill_groups[checks._key("шиття")] == "S6.5.6"
    assert codes.occupation_labels[checks._key("ሰራሒ ኣብነት")] == uri
    english = labels_in(seeded, "occupation", "en")[uri]
    assert codes.occupation_labels[checks._key(english)] == uri


def test_the_template_names_the_codes_in_dutch_english_and_the_readers_language(seeded):
    def headers(lang: str) -> dict[str, list[str]]:
        book = openpyxl.load_workbook(io.BytesIO(pi.template_workbook(seeded, lang)), read_only=True)
        return {name: [c.value for c in next(book[name].iter_rows(max_row=1))]
                for name in ("skill_groups", "occupations", "education_fields", "languages")}

    assert headers("en")["skill_groups"] == ["code", "label_nl", "label_en"]
    turkish = headers("tr")
    assert turkish["skill_groups"] == ["code", "label_nl", "label_en", "label_tr"]
    assert turkish["occupations"] == ["isco", "label_nl", "label_en", "label_tr", "esco_uri"]
    assert turkish["languages"][-1] == "label_tr" and turkish["education_fields"][-1] == "label_tr"
    book = openpyxl.load_workbook(io.BytesIO(pi.template_workbook(seeded, "ar")), read_only=True)
    rows = list(book["skill_groups"].iter_rows(values_only=True))
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["S6.5.6"][3] == labels_in(seeded, "skill_group", "ar")["S6.5.6"]
