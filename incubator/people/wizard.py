"""The wizard: turns the inventory (incubator.people.inventory) into the wizard's steps and back.

Each step is a tuple of `Question`s for the interface to draw; `current_answers` reads an inventory
as answers to them, and `apply_answers` puts one step's answers back into the inventory. The lists
to choose from are fixed (`FIXED_CHOICES`, with faces for the scales) or come from the market
dataset (`reference_choices`). The questionnaire itself, and how it is scored, stay in
incubator.people.inventory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from incubator.core.errors import ValidationFailed
from incubator.core.i18n import N_, translate
from incubator.market.labels import labels_in
from incubator.people.inventory import (
    AMBITION_ITEMS,
    BENEFIT_STATUSES,
    CEFR_PLAIN,
    DIPLOMA_EVALUATION,
    DUTCH_SKILLS,
    EARLIEST_ARRIVAL,
    EVIDENCE,
    INTEGRATION_ROUTES,
    ISCED_FIELDS,
    LADDER,
    LIFE_DOMAIN_PICTOGRAMS,
    LIFE_DOMAINS,
    MAX_CAPITAL_EUR,
    MAX_HOURS,
    MAX_YEARS_EXPERIENCE,
    RIASEC_ITEMS,
    SCALE_FACES,
    SCALES,
    SKILL_LEVELS,
    STEPS,
    Inventory,
    Item,
)
from incubator.people.profile import CEFR_LEVELS, Experience, Language, Profile, Skill, language_names


@dataclass(frozen=True)
class Question:
    """One question of a wizard step. `kind` tells the interface which widget to show:
    text, number, choice (a list to pick from), scale (5 points), yes_no, or rows (a repeating group
    of the `columns` questions). `options` names a list in FIXED_CHOICES (English msgids) or in the
    reference lists from `reference_choices` (labels in the person's language)."""

    key: str
    kind: str
    label: str
    pictogram: str = ""  # a Material Symbols name (every question shown to a person has one)
    options: str = ""
    low: float | None = None
    high: float | None = None
    step: float | None = None
    columns: tuple[Question, ...] = ()
    min_rows: int = 0


# Fixed lists: value -> English msgid. Scales and yes/no also carry a pictogram before the words
# (PICTOGRAMS: Material Symbols names, faces for the scales).
FIXED_CHOICES: dict[str, dict] = {
    "cefr_plain": CEFR_PLAIN,
    "cefr": {level: level for level in CEFR_LEVELS},
    "fields": ISCED_FIELDS,
    "diploma_evaluation": DIPLOMA_EVALUATION,
    "skill_levels": SKILL_LEVELS,
    "evidence": EVIDENCE,
    "benefit_status": BENEFIT_STATUSES,
    "integration_route": INTEGRATION_ROUTES,
    "ladder": LADDER,
    "yes_no": {True: N_("Yes"), False: N_("No")},
    "life": dict.fromkeys(range(1, 6), ""),
    **{f"scale_{kind}": dict(enumerate(words, start=1)) for kind, words in SCALES.items()},
}
PICTOGRAMS: dict[str, dict] = {
    "life": dict(enumerate(SCALE_FACES, start=1)),
    "yes_no": {True: "check_circle", False: "cancel"},
    **{f"scale_{kind}": dict(enumerate(SCALE_FACES, start=1)) for kind in SCALES},
}
# The life-domain scale shows its number beside the face (the same five points for every domain).
NUMBERED = frozenset({"life"})
DUTCH_SKILL_PICTOGRAMS = {"listening": "hearing", "reading": "menu_book", "speaking": "record_voice_over",
                          "writing": "edit"}


def choice_labels(name: str, translate: Callable[[str], str],
                  pictogram: Callable[[str], str] = lambda name: "") -> dict:
    """A fixed list's labels in the person's language: `translate` is the interface's t(), `pictogram`
    writes a pictogram's name as the interface shows it (Streamlit's ":material/name:")."""
    icons = PICTOGRAMS.get(name, {})
    return {
        value: " ".join(part for part in (
            str(value) if name in NUMBERED else "", pictogram(icons[value]) if value in icons else "",
            translate(msgid) if msgid else "") if part)
        for value, msgid in FIXED_CHOICES[name].items()
    }
REFERENCE_LISTS = ("municipalities", "occupations", "skill_groups", "isced_levels", "languages")


def _scale_question(item: Item) -> Question:
    return Question(item.id, "scale", item.text, item.pictogram, f"scale_{item.scale}")


def questions(step: str, *, year: int | None = None) -> tuple[Question, ...]:
    """The questions of one wizard step, in order."""
    year = year or dt.date.today().year
    if step == "about":
        return (
            Question("display_name", "text", N_("Your name (you may leave this empty)"), "badge"),
            Question("municipality", "choice", N_("Where do you live?"), "location_on", "municipalities"),
            Question("year_of_arrival", "number", N_("In which year did you come to the Netherlands?"), "calendar_month",
                     low=EARLIEST_ARRIVAL, high=year, step=1),
        )
    if step == "languages":
        return tuple(
            Question(f"dutch.{skill}", "choice", label, DUTCH_SKILL_PICTOGRAMS[skill], "cefr_plain")
            for skill, label in DUTCH_SKILLS.items()
        ) + (Question("other_languages", "rows", N_("Other languages you know"), "translate", columns=(
            Question("code", "choice", N_("Language"), options="languages"),
            Question("cefr", "choice", N_("Level"), options="cefr"),
        ), min_rows=3),)
    if step == "work":
        return (
            Question("isced_level", "choice", N_("Your highest education"), "school", "isced_levels"),
            Question("education_field", "choice", N_("Field of that education"), "menu_book", "fields"),
            Question("diploma_evaluation", "choice", N_("Has your diploma been evaluated in the Netherlands?"), "workspace_premium",
                     "diploma_evaluation"),
            Question("experience", "rows", N_("Work you have done (also without pay)"), "work", columns=(
                Question("esco_uri", "choice", N_("Occupation"), options="occupations"),
                Question("years", "number", N_("Years"), low=0, high=MAX_YEARS_EXPERIENCE, step=0.5),
            ), min_rows=3),
        )
    if step == "skills":
        return (Question("skills", "rows", N_("What you can do"), "construction", columns=(
            Question("esco_group", "choice", N_("Skill"), options="skill_groups"),
            Question("level", "choice", N_("How well"), options="skill_levels"),
            Question("evidence", "choice", N_("How we know"), options="evidence"),
        ), min_rows=5),)
    if step == "interests":
        return tuple(_scale_question(item) for item in RIASEC_ITEMS)
    if step == "ambition":
        return tuple(_scale_question(item) for item in AMBITION_ITEMS)
    if step == "situation":
        return (
            Question("capital_eur", "number", N_("Money of your own for a business (euros)"), "euro",
                     low=0, high=MAX_CAPITAL_EUR, step=100),
            Question("hours_per_week", "number", N_("Hours a week you can work on a business"), "schedule",
                     low=0, high=MAX_HOURS, step=1),
            Question("home_based_only", "yes_no", N_("Must the work be at home?"), "home", "yes_no"),
            Question("childcare", "yes_no", N_("Do you need childcare to be able to work?"), "child_care", "yes_no"),
            Question("driving_licence", "yes_no", N_("Do you have a Dutch or European driving licence?"), "id_card", "yes_no"),
            Question("own_transport", "yes_no", N_("Do you have your own transport (car, scooter)?"), "directions_car", "yes_no"),
            Question("benefit_status", "choice", N_("Do you receive a benefit?"), "receipt_long", "benefit_status"),
            Question("integration_route", "choice", N_("Your civic-integration route"), "explore", "integration_route"),
        )
    if step == "wellbeing":
        return tuple(
            Question(f"domain.{domain}", "scale", label, LIFE_DOMAIN_PICTOGRAMS[domain], "life")
            for domain, label in LIFE_DOMAINS.items()
        ) + (Question("ladder_rung", "choice", N_("Which step fits you best now?"), "stairs", "ladder"),)
    return ()


def current_answers(inventory: Inventory) -> dict[str, Any]:
    """The inventory as answers to the wizard's questions (None where not answered yet)."""
    profile, details = inventory.profile, inventory.details
    done = set(details.steps_done)
    answers: dict[str, Any] = {
        "display_name": profile.display_name,
        "municipality": profile.municipality,
        "year_of_arrival": details.year_of_arrival,
        **{f"dutch.{skill}": details.dutch_skills.get(skill) for skill in DUTCH_SKILLS},
        "other_languages": [{"code": x.code, "cefr": x.cefr} for x in profile.languages if x.code != "nl"],
        "isced_level": profile.education.isced_level if "work" in done or profile.education.isced_level else None,
        "education_field": profile.education.field,
        "diploma_evaluation": details.diploma_evaluation,
        "experience": [{"esco_uri": x.esco_uri, "years": x.years} for x in profile.experience if x.esco_uri],
        "skills": [
            {"esco_group": x.esco_group, "level": x.level, "evidence": details.skill_evidence.get(x.esco_group, "self")}
            for x in profile.skills
        ],
        **{item_id: value for item_id, value in details.answers.items()},
        "capital_eur": profile.capital_eur,
        "hours_per_week": profile.hours_per_week,
        "home_based_only": profile.home_based_only if "situation" in done else None,
        "childcare": details.childcare,
        "driving_licence": details.driving_licence,
        "own_transport": details.own_transport,
        "benefit_status": details.benefit_status,
        "integration_route": details.integration_route,
        **{f"domain.{d}": v for d, v in details.life_domains.items()},
        "ladder_rung": profile.ladder_rung if "wellbeing" in done else None,
    }
    return answers


TWICE_CHOSEN = N_("You chose {value} more than once.")
YEARS_MISSING = N_("Fill in the years for each occupation you chose.")


def _filled(rows: list[dict], key: str) -> list[dict]:
    chosen = [row for row in rows if row.get(key) not in (None, "")]
    seen: set = set()
    for row in chosen:
        if row[key] in seen:
            raise ValidationFailed(TWICE_CHOSEN, value=row[key])
        seen.add(row[key])
    return chosen


def apply_answers(inventory: Inventory, step: str, answers: dict[str, Any], *,
                  isco_by_uri: dict[str, str] | None = None, done: bool = True) -> Inventory:
    """The inventory with one step's answers in it, and the step marked as done (unless the person
    only passed through it, going back)."""
    profile, details = inventory.profile, inventory.details
    changes: dict[str, Any] = {}
    if step == "about":
        changes["display_name"] = (answers.get("display_name") or "").strip() or None
        changes["municipality"] = answers.get("municipality")
        year = answers.get("year_of_arrival")
        changes["year_of_arrival"] = int(year) if year is not None else None
    elif step == "languages":
        changes["dutch_skills"] = {
            skill: answers[f"dutch.{skill}"] for skill in DUTCH_SKILLS if answers.get(f"dutch.{skill}")
        }
        rows = _filled([r for r in answers.get("other_languages", []) if r.get("code") != "nl"], "code")
        dutch = tuple(x for x in profile.languages if x.code == "nl")
        changes["languages"] = dutch + tuple(Language(r["code"], r.get("cefr") or "A1") for r in rows)
    elif step == "work":
        level = answers.get("isced_level")
        changes["education"] = dataclasses.replace(
            profile.education, isced_level=int(level) if level is not None else 0, field=answers.get("education_field")
        )
        changes["diploma_evaluation"] = answers.get("diploma_evaluation")
        rows = _filled(answers.get("experience", []), "esco_uri")
        if any(r.get("years") is None for r in rows):
            raise ValidationFailed(YEARS_MISSING)
        isco_by_uri = isco_by_uri or {}
        kept = tuple(x for x in profile.experience if not x.esco_uri)  # ISCO-only entries from an import
        changes["experience"] = tuple(
            Experience(float(r.get("years") or 0), isco_by_uri.get(r["esco_uri"]), r["esco_uri"]) for r in rows
        ) + kept
    elif step == "skills":
        rows = _filled(answers.get("skills", []), "esco_group")
        changes["skills"] = tuple(Skill(r["esco_group"], int(r.get("level") or 1)) for r in rows)
        changes["skill_evidence"] = {r["esco_group"]: r.get("evidence") or "self" for r in rows}
    elif step in ("interests", "ambition"):
        items = RIASEC_ITEMS if step == "interests" else AMBITION_ITEMS
        merged = {k: v for k, v in details.answers.items() if k not in {i.id for i in items}}
        merged.update({i.id: int(answers[i.id]) for i in items if answers.get(i.id) is not None})
        changes["answers"] = merged
    elif step == "situation":
        for name in ("capital_eur", "hours_per_week"):
            if answers.get(name) is not None:
                changes[name] = float(answers[name])
        if answers.get("home_based_only") is not None:
            changes["home_based_only"] = bool(answers["home_based_only"])
        for name in ("childcare", "driving_licence", "own_transport", "benefit_status", "integration_route"):
            changes[name] = answers.get(name)
    elif step == "wellbeing":
        changes["life_domains"] = {
            d: int(answers[f"domain.{d}"]) for d in LIFE_DOMAINS if answers.get(f"domain.{d}") is not None
        }
        if answers.get("ladder_rung") is not None:
            changes["ladder_rung"] = int(answers["ladder_rung"])
    changed = inventory.with_changes(**changes)
    return changed.step_done(step) if done else changed


def first_open_step(inventory: Inventory) -> int:
    """Where the wizard continues: the first step not done yet (the review when all are)."""
    for index, step in enumerate(STEPS[:-1]):
        if step not in inventory.details.steps_done:
            return index
    return len(STEPS) - 1


ENGLISH_ESCO_LABEL = N_("{label} ({code}, ESCO name in English)")


def reference_choices(cur: duckdb.DuckDBPyConnection, lang: str, profile: Profile | None = None) -> dict[str, dict]:
    """The wizard's lists that come from the market dataset (and CLDR for languages), with labels in
    the person's language, searchable in the interface: value -> label. The skill list offers the
    curated groups; a `profile`'s own codes beyond them (an import may bring any ESCO code) are added
    with ESCO's English name, marked as such, so that editing the inventory keeps them."""
    isced = {int(level): text for level, text in labels_in(cur, "isced", lang).items()}
    own_codes = sorted({s.esco_group for s in profile.skills}) if profile else []
    extra_skills = {
        code: translate(ENGLISH_ESCO_LABEL, lang, label=label, code=code) if lang != "en" else f"{label} ({code})"
        for code, label in cur.execute(
            "SELECT code, label_en FROM esco_skill_hierarchy WHERE list_contains(?, code)"
            " AND code NOT IN (SELECT code FROM skill_groups) ORDER BY code", [own_codes]
        ).fetchall()
    } if own_codes else {}
    # An occupation is found by typing its name in the person's language, in Dutch or in English (what a
    # mentor beside them types), whatever the interface language.
    occupations = {other: labels_in(cur, "occupation", other) for other in dict.fromkeys((lang, "nl", "en"))}
    own = occupations[lang]
    skills = labels_in(cur, "skill_group", lang)
    return {
        "municipalities": dict(cur.execute("SELECT gm_code, name FROM municipalities ORDER BY name").fetchall()),
        "occupations": {
            uri: first + (f" ({' · '.join(others)})" if (others := list(dict.fromkeys(
                text for names in list(occupations.values())[1:] if (text := names[uri]) != first))) else "")
            for uri, first in sorted(own.items(), key=lambda item: item[1])
        },
        "skill_groups": {
            code: f"{label} ({code})" for code, label in sorted(skills.items(), key=lambda item: item[1])
        } | extra_skills,
        "isced_levels": {level: f"{level} · {isced.get(level, 'ISCED')}" for level in range(9)},
        "languages": {code: name for code, name in language_names(lang).items() if code != "nl"},
    }


def isco_by_uri(cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """ESCO occupation URI -> ISCO-08 unit group, for the occupations the wizard offers."""
    return dict(cur.execute("SELECT esco_uri, isco FROM occupations").fetchall())
