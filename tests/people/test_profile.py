"""The exchange format and the inventory: the JSON Schema, round trips, the items' scores, the wizard's
steps, and the check of every field against the market dataset's codes."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from incubator.core.errors import ValidationFailed
from incubator.people import inventory as inv
from incubator.people import wizard
from incubator.people.checks import profile_problems
from incubator.people.files import TEMPLATE_COLUMNS
from incubator.people.profile import (
    CEFR_LEVELS,
    PROFILE_SCHEMA,
    RIASEC,
    SCHEMA_PATH,
    Education,
    Experience,
    Language,
    Profile,
    Skill,
    conforms,
    schema_text,
)
from tests.support.app import ROOT
from tests.support.people import BAKER_URI

FORBIDDEN = ("nationality", "ethnicity", "ethnic_origin", "religion", "country_of_birth", "origin")

# --- strategies ---------------------------------------------------------------------------------

names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=40
).map(str.strip).filter(bool)
arabic_names = st.text(alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x064A), min_size=1, max_size=30)
languages = st.lists(
    st.tuples(st.sampled_from(["nl", "ar", "en", "ti", "fa", "uk", "tr", "so"]), st.sampled_from(CEFR_LEVELS)),
    unique_by=lambda pair: pair[0], max_size=4,
).map(lambda pairs: tuple(Language(code, level) for code, level in pairs))
experience = st.lists(
    st.builds(Experience, years=st.integers(0, 600).map(lambda n: n / 10),
              isco=st.sampled_from(["7512", "5141", "2512", None]), esco_uri=st.sampled_from([BAKER_URI, None]))
    .filter(lambda e: e.isco or e.esco_uri),
    max_size=3,
)
skills = st.lists(
    st.builds(Skill, esco_group=st.sampled_from(["S6.5.6", "S3.5.1", "S1.6.1", "T6.4"]), level=st.integers(1, 4)),
    unique_by=lambda s: s.esco_group, max_size=4,
)
profiles = st.builds(
    Profile,
    id=st.sampled_from(["", "P-000001", "P-123456"]),
    display_name=st.one_of(st.none(), names, arabic_names),
    municipality=st.sampled_from([None, "GM0363", "GM0014"]),
    languages=languages,
    education=st.builds(Education, isced_level=st.integers(0, 8), field=st.sampled_from([None, "04", "10"])),
    experience=experience.map(tuple),
    skills=skills.map(tuple),
    interests=st.fixed_dictionaries({k: st.integers(0, 100) for k in RIASEC}),
    ambition=st.integers(0, 100),
    capital_eur=st.integers(0, 100_000).map(float),
    hours_per_week=st.integers(0, 80).map(float),
    home_based_only=st.booleans(),
    on_benefit=st.booleans(),
    ladder_rung=st.integers(1, 6),
)


# --- the schema and the format ------------------------------------------------------------------

def test_docs_schema_is_written_from_the_code_and_is_valid():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), "run: python -m incubator profile-schema"
    Draft202012Validator.check_schema(PROFILE_SCHEMA)


def test_nothing_records_nationality_ethnicity_or_religion():
    fields = set(PROFILE_SCHEMA["properties"]) | {f.name for f in dataclasses.fields(Profile)}
    fields |= {f.name for f in dataclasses.fields(inv.Details)} | set(TEMPLATE_COLUMNS)
    migration = (ROOT / "incubator" / "core" / "migrations" / "003_profiles.sql").read_text().lower()
    code_columns = [line for line in migration.splitlines() if not line.strip().startswith("--")]
    for word in FORBIDDEN:
        assert not any(word in name for name in fields), word
        assert not any(word in line.split("--")[0] for line in code_columns), word


@settings(max_examples=150, deadline=None)
@given(profiles)
def test_json_round_trip_through_the_schema(profile):
    data = json.loads(json.dumps(profile.to_dict(), ensure_ascii=False))
    assert list(Draft202012Validator(PROFILE_SCHEMA).iter_errors(data)) == []
    assert conforms(data)
    assert Profile.from_dict(data) == profile


def test_missing_fields_get_sensible_defaults():
    profile = Profile.from_dict({"id": "P-000001"})
    assert profile.interests == dict.fromkeys(RIASEC, 50)
    assert (profile.ambition, profile.capital_eur, profile.hours_per_week) == (50, 0.0, 20.0)
    assert (profile.home_based_only, profile.on_benefit, profile.ladder_rung) == (False, True, 1)
    assert profile.languages == profile.experience == profile.skills == ()
    assert conforms({"id": ""}) and conforms(profile.to_dict())


def test_to_dict_leaves_out_empty_optional_values():
    data = Profile(id="P-000001", experience=(Experience(2.0, "7512"),)).to_dict()
    assert "display_name" not in data and "municipality" not in data
    assert data["experience"] == [{"years": 2.0, "isco": "7512"}]
    assert data["education"] == {"isced_level": 0}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(-5, 200, allow_nan=False)
    | st.sampled_from(["", "P-000001", "GM0363", "A2", "nl", "S6.5.6", "7512", BAKER_URI, "x", "04"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["code", "cefr", "isco", "esco_uri", "years", "esco_group", "level", "R", "other"]),
        children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*PROFILE_SCHEMA["properties"], "nationality"]), json_values, max_size=6)
       .map(lambda d: {"id": "P-000001", **d}), profiles)
def test_quick_check_agrees_with_jsonschema(candidate, valid):
    validator = Draft202012Validator(PROFILE_SCHEMA)
    for item in (candidate, valid.to_dict()):
        assert conforms(item) == validator.is_valid(item), item


# --- the items and their scores -----------------------------------------------------------------

def test_items_cover_every_domain_with_plain_words_and_a_pictogram():
    assert {i.domain for i in inv.RIASEC_ITEMS} == set(RIASEC)
    assert all(sum(i.domain == letter for i in inv.RIASEC_ITEMS) == 3 for letter in RIASEC)
    assert {i.domain for i in inv.AMBITION_ITEMS} == {"ambition", *inv.SELF_EFFICACY_AREAS}
    for item in inv.ITEMS.values():
        assert item.pictogram and len(item.text) < 80 and item.scale in inv.SCALES
    assert len(inv.LIFE_DOMAINS) == 8 and set(inv.LADDER) == set(range(1, 7))


@pytest.mark.parametrize(("answers", "score"), [([], None), ([1], 0), ([3], 50), ([5], 100), ([4, 5], 88), ([2, 3], 38)])
def test_scale_score_maps_five_points_to_0_100(answers, score):
    assert inv.scale_score(answers) == score


def test_interests_and_ambition_come_from_the_items():
    answers = {"riasec.r1": 5, "riasec.r2": 5, "riasec.r3": 3, "riasec.c1": 1, "ambition.1": 5,
               "efficacy.money.1": 4, "efficacy.money.2": 2}
    interests = inv.interests_from_answers(answers)
    assert interests["R"] == 83 and interests["C"] == 0 and interests["S"] is None
    assert inv.ambition_from_answers(answers) == 67
    assert inv.self_efficacy(answers)["money"] == 50 and inv.self_efficacy(answers)["risk"] is None
    profile = inv.derive_profile(Profile(id="P-000001"), inv.Details(answers=answers))
    assert profile.interests == {"R": 83, "I": 50, "A": 50, "S": 50, "E": 50, "C": 0}
    assert profile.ambition == 67


@pytest.mark.parametrize(("skills", "level"), [
    ({"listening": "B1", "reading": "A2", "speaking": "A2", "writing": "A1"}, "A2"),
    ({"listening": "C1", "reading": "C1", "speaking": "B2", "writing": "B2"}, "B2"),
    ({"listening": "A1", "reading": "none", "speaking": "none", "writing": "none"}, None),
    ({"listening": "B1"}, "B1"),
])
def test_dutch_level_is_the_lower_median_of_the_four_skills(skills, level):
    assert inv.dutch_overall(skills) == level
    profile = inv.derive_profile(Profile(id="", languages=(Language("nl", "C2"), Language("ar", "C2"))),
                                 inv.Details(dutch_skills=skills))
    assert profile.cefr("nl") == level and profile.cefr("ar") == "C2"


def test_imported_values_stay_when_the_details_do_not_speak_about_them():
    imported = Profile(id="P-000001", interests=dict.fromkeys(RIASEC, 80), ambition=90,
                       languages=(Language("nl", "B1"),), on_benefit=False)
    assert inv.derive_profile(imported, inv.Details()) == imported


def test_wizard_steps_fill_the_inventory():
    inventory = inv.new_inventory("P-000001")
    inventory = wizard.apply_answers(inventory, "about", {"display_name": "  سارة ", "municipality": "GM0363",
                                                       "year_of_arrival": 2019})
    inventory = wizard.apply_answers(inventory, "languages", {
        "dutch.listening": "A2", "dutch.reading": "A2", "dutch.speaking": "A1", "dutch.writing": "A1",
        "other_languages": [{"code": "ar", "cefr": "C2"}, {"code": None, "cefr": None}]})
    inventory = wizard.apply_answers(inventory, "work", {
        "isced_level": 3, "education_field": "10", "diploma_evaluation": "applied",
        "experience": [{"esco_uri": BAKER_URI, "years": 4.5}]}, isco_by_uri={BAKER_URI: "7512"})
    inventory = wizard.apply_answers(inventory, "skills", {"skills": [
        {"esco_group": "S3.5.1", "level": 3, "evidence": "shown"}, {"esco_group": None}]})
    inventory = wizard.apply_answers(inventory, "interests", {item.id: 4 for item in inv.RIASEC_ITEMS})
    inventory = wizard.apply_answers(inventory, "ambition", {item.id: 5 for item in inv.AMBITION_ITEMS})
    inventory = wizard.apply_answers(inventory, "situation", {
        "capital_eur": 2500, "hours_per_week": 24, "home_based_only": True, "childcare": True,
        "driving_licence": False, "own_transport": None, "benefit_status": "social_assistance",
        "integration_route": "b1"})
    inventory = wizard.apply_answers(inventory, "wellbeing", {"domain.language": 2, "domain.work": 1, "ladder_rung": 3})
    profile, details = inventory.profile, inventory.details
    assert profile.display_name == "سارة" and profile.municipality == "GM0363"
    assert profile.languages == (Language("nl", "A1"), Language("ar", "C2"))
    assert profile.education == Education(3, "10")
    assert profile.experience == (Experience(4.5, "7512", BAKER_URI),)
    assert profile.skills == (Skill("S3.5.1", 3),) and details.skill_evidence == {"S3.5.1": "shown"}
    assert profile.interests == dict.fromkeys(RIASEC, 75) and profile.ambition == 100
    assert (profile.capital_eur, profile.hours_per_week, profile.home_based_only, profile.on_benefit) == (2500, 24, True, True)
    assert details.life_domains == {"language": 2, "work": 1} and profile.ladder_rung == 3
    assert details.steps_done == inv.STEPS[:-1] and wizard.first_open_step(inventory) == len(inv.STEPS) - 1
    assert details.problems() == []
    answers = wizard.current_answers(inventory)
    assert answers["riasec.r1"] == 4 and answers["experience"] == [{"esco_uri": BAKER_URI, "years": 4.5}]
    assert inv.Details.from_dict(json.loads(json.dumps(details.to_dict()))) == details


def test_a_choice_made_twice_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        wizard.apply_answers(inv.new_inventory("P-000001"), "skills", {"skills": [
            {"esco_group": "S3.5.1", "level": 3}, {"esco_group": "S3.5.1", "level": 2}]})
    assert refused.value.params == {"value": "S3.5.1"}
    with pytest.raises(ValidationFailed):
        wizard.apply_answers(inv.new_inventory("P-000001"), "work", {"experience": [{"esco_uri": BAKER_URI, "years": None}]})


@pytest.mark.parametrize(("details", "field"), [
    (inv.Details(year_of_arrival=1900), "year_of_arrival"),
    (inv.Details(answers={"riasec.r1": 6}), "answers"),
    (inv.Details(answers={"nationality": 3}), "answers"),
    (inv.Details(life_domains={"housing": 0}), "life_domains"),
    (inv.Details(benefit_status="maybe"), "benefit_status"),
    (inv.Details(integration_route="x"), "integration_route"),
    (inv.Details(dutch_skills={"listening": "B3"}), "dutch_skills"),
    (inv.Details(skill_evidence={"S3.5.1": "rumour"}), "skill_evidence"),
    (inv.Details(diploma_evaluation="lost"), "diploma_evaluation"),
])
def test_details_outside_the_choices_are_refused(details, field):
    assert field in [name for name, _, _ in details.problems()]


def test_skills_by_group_sums_levels_per_top_group():
    profile = Profile(id="", skills=(Skill("S3.5.1", 3), Skill("S3.6.4", 2), Skill("S6.5.6", 4), Skill("T6.4", 1)))
    assert inv.skills_by_group(profile) == {"S3": 5, "S6": 4, "T": 1}


def test_every_question_has_its_choices():
    for step in inv.STEPS:
        for question in wizard.questions(step, year=2026):
            for q in (question, *question.columns):
                if q.kind in ("choice", "scale", "yes_no"):
                    assert q.options in wizard.FIXED_CHOICES or q.options in wizard.REFERENCE_LISTS, q.key
    labels = wizard.choice_labels("scale_like", lambda text: text.upper(), lambda name: f"<{name}>")
    assert labels[1] == "<sentiment_very_dissatisfied> NOT AT ALL" and labels[5] == "<sentiment_very_satisfied> VERY MUCH"


# --- the check of each field --------------------------------------------------------------------

VALID = Profile(
    id="P-000001", display_name="Sara", municipality="GM0363",
    languages=(Language("nl", "A2"), Language("ar", "C2")), education=Education(3, "10"),
    experience=(Experience(3, "7512", BAKER_URI), Experience(2, "5141")),
    skills=(Skill("S3.5.1", 3), Skill("S6.5.6", 2)),
)


def test_a_valid_profile_has_no_problems(seeded):
    assert profile_problems(seeded, VALID) == []


@pytest.mark.parametrize(("change", "column", "value"), [
    ({"id": "X-1"}, "id", "X-1"),
    ({"display_name": "x" * 81}, "display_name", None),
    ({"display_name": "tab\tname"}, "display_name", None),
    ({"municipality": "GM9999"}, "municipality", "GM9999"),
    ({"languages": (Language("xx", "A2"),)}, "languages", "xx"),
    ({"languages": (Language("ar", "B3"),)}, "languages", "B3"),
    ({"languages": (Language("ar", "A2"), Language("ar", "B1"))}, "languages", "ar"),
    ({"education": Education(9)}, "isced_level", "9"),
    ({"education": Education(3, "11")}, "education_field", "11"),
    ({"experience": (Experience(3, "9999"),)}, "experience", "9999"),
    ({"experience": (Experience(61, "7512"),)}, "experience", "61"),
    ({"experience": (Experience(1, "2512", BAKER_URI),)}, "experience", "2512"),
    ({"experience": (Experience(1, None, BAKER_URI[:-1] + "0"),)}, "experience", BAKER_URI[:-1] + "0"),
    ({"skills": (Skill("S9.9.9", 2),)}, "skills", "S9.9.9"),
    ({"skills": (Skill("S3.5.1", 5),)}, "skills", "5"),
    ({"skills": (Skill("S3.5.1", 2), Skill("S3.5.1", 3))}, "skills", "S3.5.1"),
    ({"interests": {**dict.fromkeys(RIASEC, 50), "E": 101}}, "interest_E", "101"),
    ({"ambition": -1}, "ambition", "-1"),
    ({"capital_eur": -5.0}, "capital_eur", "-5"),
    ({"hours_per_week": 81.0}, "hours_per_week", "81"),
    ({"ladder_rung": 7}, "ladder_rung", "7"),
    ({"ladder_rung": 0}, "ladder_rung", "0"),
])
def test_each_field_is_checked(seeded, change, column, value):
    problems = profile_problems(seeded, dataclasses.replace(VALID, **change))
    assert [(p.row, p.column) for p in problems] == [(1, column)], problems
    if value is not None:
        assert problems[0].params["value"] == value
    assert problems[0].english()
