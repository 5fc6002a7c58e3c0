"""Fairness where it could break: through the path a real import takes (a CSV or JSON file, read,
checked, saved as snapshots, loaded back, turned into features and scored by the model).

Nationality, ethnicity, religion, gender and age have no column or field: a file that sends them the
way another tool would (a column, a key, a key inside a nested object) is refused, and nothing is
saved. What such a file may carry in the fields that do exist (a name that hints at an origin, in
any script; a municipality or a language spelled another way; entries in another order) must leave
the feature matrix and every score exactly as they are.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from incubator.market.arrays import load_market
from incubator.people import importing, participants, snapshots
from incubator.people.files import FIELD_UNKNOWN, TEMPLATE_COLUMNS, UNKNOWN_COLUMNS
from incubator.suggestions import choices
from incubator.suggestions import features as fx
from incubator.suggestions import ranking as scoring
from tests.support.scoring import quick_model

# Names as other tools send them: some hint at an origin (and with it at a religion), in Latin,
# Arabic, Ge'ez and Cyrillic script; one is empty.
NAMES = ("Mohammed Al-Hassan", "محمد الحسن", "Tesfay Gebremedhin", "ተስፋይ ገብረመድህን", "Jan de Vries",
         "Оксана Коваленко", "Fatma Yılmaz", "")
# One municipality (GM0363, Amsterdam) and one set of languages, spelled the ways the template allows.
MUNICIPALITIES = ("GM0363", "Amsterdam", "amsterdam", " AMSTERDAM ", "gm0363", "Amsterdam", "GM0363", "Amsterdam")
# English below B1, so that the community-fit feature is not at its top and could still move.
OTHER_LANGUAGES = ("ar:C2; en:A2", "Arabisch:C2; Engels:A2", "Arabic:C2; English:A2", "en:A2; ar:C2",
                   "ARABIC:C2;English:A2", "ar:C2; en:A2", "Engels:A2; Arabisch:C2", "ar:C2; en:A2")
SKILLS = ("S6.5.6:4; S3.5.1:2", "S3.5.1:2; S6.5.6:4")

CSV_ROW = {
    "id": "", "dutch_cefr": "A2", "isced_level": "3", "education_field": "", "experience": "7531:15; 5120:2",
    "interest_R": "80", "interest_I": "40", "interest_A": "70", "interest_S": "50", "interest_E": "45",
    "interest_C": "40", "ambition": "60", "capital_eur": "1000", "hours_per_week": "36",
    "home_based_only": "no", "on_benefit": "yes", "ladder_rung": "3",
}
JSON_PROFILE = {
    "id": "", "municipality": "GM0363",
    "languages": [{"code": "nl", "cefr": "A2"}, {"code": "ar", "cefr": "C2"}, {"code": "en", "cefr": "A2"}],
    "education": {"isced_level": 3}, "experience": [{"isco": "7531", "years": 15}, {"isco": "5120", "years": 2}],
    "skills": [{"esco_group": "S6.5.6", "level": 4}, {"esco_group": "S3.5.1", "level": 2}],
    "interests": {"R": 80, "I": 40, "A": 70, "S": 50, "E": 45, "C": 40}, "ambition": 60,
    "capital_eur": 1000, "hours_per_week": 36, "home_based_only": False, "on_benefit": True, "ladder_rung": 3,
}


def csv_file(rows: list[dict], columns: tuple[str, ...] = TEMPLATE_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_people() -> bytes:
    return csv_file([CSV_ROW | {"display_name": name, "municipality": place, "other_languages": languages,
                                "skills": SKILLS[i % 2]}
                     for i, (name, place, languages) in enumerate(zip(NAMES, MUNICIPALITIES, OTHER_LANGUAGES, strict=True))])


def json_people() -> bytes:
    people = []
    for i, name in enumerate(NAMES):
        person = JSON_PROFILE | {"display_name": name}
        if i % 2:  # the same entries in another order
            person |= {"languages": person["languages"][::-1], "skills": person["skills"][::-1]}
        people.append(person)
    return json.dumps(people, ensure_ascii=False).encode("utf-8")


def imported(cur, manager, file_name: str, content: bytes) -> list[str]:
    """Import the file as a programme manager does; the new participants' ids, in file order."""
    result = importing.import_profiles(cur, actor=manager, file_name=file_name, content=content)
    assert not result.updated and not result.skipped_rows
    return result.created


def stored_features_and_scores(cur, manager, ids: list[str]) -> tuple[np.ndarray, np.ndarray, list]:
    """For each participant, from their saved snapshot: the features against every venture, the
    model's scores, and the suggestions the Suggestions page shows."""
    market = load_market(cur)
    profiles = [snapshots.load_profile(cur, actor=manager, participant_id=pid) for pid in ids]
    people = fx.people_from_profiles(profiles, market)
    features = fx.features_grid(market, people)
    scores = scoring.score_grid(quick_model(), market, people)
    shown = [[(s.venture_id, s.score, [r.message.key for r in s.reasons])
              for s in choices.suggestions_for(cur, actor=manager, participant_id=pid, model=quick_model()).suggestions]
             for pid in ids]
    return features, scores, shown


@pytest.mark.parametrize(("file_name", "content"), [("people.csv", csv_people), ("people.json", json_people)],
                         ids=["csv", "json"])
def test_people_who_differ_only_in_name_and_spelling_get_the_same_features_and_scores(seeded, people, file_name,
                                                                                     content):
    manager = people["manager"]
    ids = imported(seeded, manager, file_name, content())
    assert len(ids) == len(NAMES)
    names = {participants.get_participant(seeded, pid).display_name for pid in ids}
    assert names >= {n for n in NAMES if n}  # the names did reach the database
    features, scores, shown = stored_features_and_scores(seeded, manager, ids)
    assert features.shape[0] == scores.shape[0] == len(NAMES) and scores.std(axis=1).min() > 0
    for i in range(1, len(NAMES)):
        assert np.array_equal(features[i], features[0]), NAMES[i]
        assert np.array_equal(scores[i], scores[0]), NAMES[i]
        assert shown[i] == shown[0], NAMES[i]


def test_a_csv_and_a_json_file_of_the_same_person_give_the_same_features(seeded, people):
    manager = people["manager"]
    from_csv = imported(seeded, manager, "people.csv", csv_people())
    from_json = imported(seeded, manager, "people.json", json_people())
    csv_features, csv_scores, _ = stored_features_and_scores(seeded, manager, from_csv[:1])
    json_features, json_scores, _ = stored_features_and_scores(seeded, manager, from_json[:1])
    assert np.array_equal(csv_features, json_features) and np.array_equal(csv_scores, json_scores)


PROTECTED_COLUMNS = ("nationality", "Nationaliteit", "country_of_birth", "geboorteland", "country_of_origin",
                     "religion", "religie", "ethnicity", "etniciteit", "gender", "geslacht", "sex", "age",
                     "leeftijd", "date_of_birth", "geboortedatum", "birth_year")


def test_a_csv_file_with_a_protected_column_is_refused_and_nothing_is_saved(seeded, people):
    manager = people["manager"]
    for column in PROTECTED_COLUMNS:
        content = csv_file([CSV_ROW | {"display_name": "Amal", "municipality": "GM0363", column: "x"}],
                           (*TEMPLATE_COLUMNS, column))
        preview = importing.preview_import(seeded, actor=manager, file_name="people.csv", content=content)
        assert not preview.profiles, column
        assert [(p.message, p.params) for p in preview.file_problems] == [(UNKNOWN_COLUMNS, {"columns": column})]
        with pytest.raises(importing.ProfilesRejected):
            importing.import_profiles(seeded, actor=manager, file_name="people.csv", content=content, valid_only=True)
    assert seeded.execute("SELECT count(*) FROM participants").fetchone()[0] == 0


PROTECTED_KEYS = ("nationality", "country_of_birth", "religion", "ethnicity", "gender", "sex", "age", "date_of_birth")
PLACES = ("top", "interests", "education", "skill")


def with_protected_key(key: str, where: str) -> dict:
    sent = json.loads(json.dumps(JSON_PROFILE | {"display_name": "Amal"}))
    target = {"top": sent, "interests": sent["interests"], "education": sent["education"],
              "skill": sent["skills"][0]}[where]
    target[key] = {"age": 41, "date_of_birth": "1984-03-02"}.get(key, "x")
    return sent


def test_json_profiles_with_a_protected_key_are_refused_and_only_the_others_are_saved(seeded, people):
    manager = people["manager"]
    sent = [(key, where) for key in PROTECTED_KEYS for where in PLACES]
    content = json.dumps([JSON_PROFILE | {"display_name": "Yonas"}, *(with_protected_key(*k) for k in sent)]).encode()
    preview = importing.preview_import(seeded, actor=manager, file_name="people.json", content=content)
    assert list(preview.profiles) == [1] and preview.bad_rows == list(range(2, len(sent) + 2))
    assert [(p.row, p.message, p.params) for p in preview.problems] == [
        (row, FIELD_UNKNOWN, {"field": key}) for row, (key, _) in enumerate(sent, start=2)]
    with pytest.raises(importing.ProfilesRejected):
        importing.import_profiles(seeded, actor=manager, file_name="people.json", content=content)
    assert seeded.execute("SELECT count(*) FROM participants").fetchone()[0] == 0
    result = importing.import_profiles(seeded, actor=manager, file_name="people.json", content=content, valid_only=True)
    assert len(result.created) == 1 and result.skipped_rows == list(range(2, len(sent) + 2))
    saved = snapshots.load_profile(seeded, actor=manager, participant_id=result.created[0])
    assert saved.display_name == "Yonas"
