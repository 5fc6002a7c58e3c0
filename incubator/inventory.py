"""The full skills-and-ambition inventory: the project's own questionnaire items, the wizard's steps,
and the parts of a person's answers that go beyond the exchange format (`Details`).

The exchange format (`profiles.Profile`) is derived from the answers: the six RIASEC interests
(0-100) from the 5-point interest items, `ambition` (0-100) from the ambition and self-efficacy
items, the overall Dutch level from the four Dutch skills, `on_benefit` from the benefit status.
Items are written in plain words for people with little schooling; every item has a pictogram.
No nationality, ethnicity or religion: there is no question about them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from incubator.errors import ValidationFailed
from incubator.i18n import N_
from incubator.profiles import CEFR_LEVELS, RIASEC, Experience, Language, Profile, Skill, language_names

# The steps of the wizard, in order. Each saves a draft; `review` saves the dated snapshot.
STEPS = ("about", "languages", "work", "skills", "interests", "ambition", "situation", "wellbeing", "review")
STEP_TITLES = {
    "about": N_("About you"),
    "languages": N_("Languages"),
    "work": N_("Education and work"),
    "skills": N_("Skills"),
    "interests": N_("What you like to do"),
    "ambition": N_("Your plans and what you can do"),
    "situation": N_("Your situation"),
    "wellbeing": N_("How things are going"),
    "review": N_("Check and save"),
}

# Answer scales: five points, each with plain words and a face, so that reading is not needed.
SCALE_FACES = ("😞", "🙁", "😐", "🙂", "😄")
SCALES: dict[str, tuple[str, ...]] = {
    "like": (N_("Not at all"), N_("A little"), N_("Somewhat"), N_("Quite a lot"), N_("Very much")),
    "true": (N_("Not true"), N_("A little true"), N_("Partly true"), N_("Mostly true"), N_("Completely true")),
    "sure": (N_("Not sure at all"), N_("A little sure"), N_("Somewhat sure"), N_("Quite sure"), N_("Very sure")),
}
SCALE_QUESTIONS = {
    "like": N_("How much do you like this?"),
    "true": N_("How true is this for you?"),
    "sure": N_("How sure are you that you can do this?"),
}


@dataclass(frozen=True)
class Item:
    """One question of the project's own questionnaire, answered on a 5-point scale."""

    id: str
    text: str  # English msgid
    pictogram: str  # an emoji, shown beside the text
    scale: str  # a key of SCALES
    domain: str  # a RIASEC letter, "ambition", or a self-efficacy area


RIASEC_LABELS = {
    "R": N_("Practical (hands, tools, nature)"),
    "I": N_("Curious (finding out, solving)"),
    "A": N_("Creative (making, designing)"),
    "S": N_("Helping (caring, teaching)"),
    "E": N_("Enterprising (selling, leading)"),
    "C": N_("Organising (order, numbers, papers)"),
}

RIASEC_ITEMS: tuple[Item, ...] = (
    Item("riasec.r1", N_("Repair or build things with my hands"), "🔧", "like", "R"),
    Item("riasec.r2", N_("Work outside, with plants or animals"), "🌱", "like", "R"),
    Item("riasec.r3", N_("Use tools and machines"), "🛠️", "like", "R"),
    Item("riasec.i1", N_("Find out how something works"), "🔍", "like", "I"),
    Item("riasec.i2", N_("Solve problems with numbers or puzzles"), "🧮", "like", "I"),
    Item("riasec.i3", N_("Learn about health, science or technology"), "🔬", "like", "I"),
    Item("riasec.a1", N_("Draw, design or decorate"), "🎨", "like", "A"),
    Item("riasec.a2", N_("Make music, write, or make photos and videos"), "🎵", "like", "A"),
    Item("riasec.a3", N_("Make beautiful things: clothes, jewellery, food that looks good"), "💍", "like", "A"),
    Item("riasec.s1", N_("Help people who have a problem"), "🤝", "like", "S"),
    Item("riasec.s2", N_("Teach or explain things to others"), "🧑‍🏫", "like", "S"),
    Item("riasec.s3", N_("Take care of children, older people or sick people"), "🫶", "like", "S"),
    Item("riasec.e1", N_("Sell things and talk with customers"), "🛒", "like", "E"),
    Item("riasec.e2", N_("Lead a group and make decisions"), "🧭", "like", "E"),
    Item("riasec.e3", N_("Start something new and take a chance"), "🚀", "like", "E"),
    Item("riasec.c1", N_("Keep things neat and in order"), "🗂️", "like", "C"),
    Item("riasec.c2", N_("Work with lists, numbers and papers"), "📋", "like", "C"),
    Item("riasec.c3", N_("Follow clear rules and steps"), "✅", "like", "C"),
)

SELF_EFFICACY_AREAS = {
    "marketing": N_("Marketing"),
    "planning": N_("Planning"),
    "money": N_("Money"),
    "risk": N_("Risk"),
    "people": N_("People"),
}

AMBITION_ITEMS: tuple[Item, ...] = (
    Item("ambition.1", N_("I want to have my own business."), "🏪", "true", "ambition"),
    Item("ambition.2", N_("I want to earn my own money, without a benefit."), "💶", "true", "ambition"),
    Item("ambition.3", N_("I am ready to spend time every week on my business plan."), "⏰", "true", "ambition"),
    Item("efficacy.marketing.1", N_("I can find customers for what I make or do."), "📣", "sure", "marketing"),
    Item("efficacy.marketing.2", N_("I can tell people why my product is good."), "💬", "sure", "marketing"),
    Item("efficacy.planning.1", N_("I can make a plan and follow it step by step."), "🗓️", "sure", "planning"),
    Item("efficacy.planning.2", N_("I can finish my work on time."), "⏱️", "sure", "planning"),
    Item("efficacy.money.1", N_("I can keep track of what I earn and what I spend."), "💰", "sure", "money"),
    Item("efficacy.money.2", N_("I can work out a fair price."), "🏷️", "sure", "money"),
    Item("efficacy.risk.1", N_("I keep going when something goes wrong."), "🧗", "sure", "risk"),
    Item("efficacy.risk.2", N_("I dare to try something new, even if it may fail."), "🎲", "sure", "risk"),
    Item("efficacy.people.1", N_("I can ask others for help and advice."), "🙋", "sure", "people"),
    Item("efficacy.people.2", N_("I can work well with customers and suppliers."), "👥", "sure", "people"),
)

ITEMS: dict[str, Item] = {item.id: item for item in RIASEC_ITEMS + AMBITION_ITEMS}

# The life-domains scan: the project's own 1-5 scale, the same words for every domain.
LIFE_DOMAINS = {
    "language": N_("Language"),
    "housing": N_("Housing"),
    "money": N_("Money and debts"),
    "health": N_("Health"),
    "network": N_("Social network"),
    "daytime": N_("Daytime activity"),
    "education": N_("Education"),
    "work": N_("Work"),
}
LIFE_DOMAIN_PICTOGRAMS = {
    "language": "🗣️", "housing": "🏠", "money": "💶", "health": "❤️",
    "network": "👪", "daytime": "☀️", "education": "📚", "work": "💼",
}
LIFE_DOMAIN_SCALE = (
    N_("1 · Serious problems: I need help now"),
    N_("2 · Problems: I need a lot of help"),
    N_("3 · It is going, with some help"),
    N_("4 · It is going well, on my own"),
    N_("5 · Very well: I could help others"),
)

# The participation ladder (rungs 1-6), in the project's own plain words.
LADDER = {
    1: N_("1 · Mostly at home, with few contacts outside"),
    2: N_("2 · Social contacts outside my home"),
    3: N_("3 · Taking part in organised activities (a course, a club)"),
    4: N_("4 · Unpaid work or volunteering"),
    5: N_("5 · Paid work with support"),
    6: N_("6 · Paid work or my own business, without support"),
}

DUTCH_SKILLS = {
    "listening": N_("Listening"),
    "reading": N_("Reading"),
    "speaking": N_("Speaking"),
    "writing": N_("Writing"),
}
NOT_YET = "none"  # a Dutch skill below A1
CEFR_PLAIN = {
    NOT_YET: N_("Not yet"),
    "A1": N_("A1 · A few words and sentences"),
    "A2": N_("A2 · Simple everyday things"),
    "B1": N_("B1 · Most everyday situations"),
    "B2": N_("B2 · Work and study, fairly easily"),
    "C1": N_("C1 · Easily, also difficult topics"),
    "C2": N_("C2 · Like a native speaker"),
}

SKILL_LEVELS = {
    1: N_("1 · I know the basics"),
    2: N_("2 · I can do it with help"),
    3: N_("3 · I can do it on my own"),
    4: N_("4 · Expert: I can teach others"),
}
EVIDENCE = {
    "self": N_("I say so myself"),
    "shown": N_("Shown to a mentor"),
    "certified": N_("Certificate or diploma"),
}
DIPLOMA_EVALUATION = {
    "no_diploma": N_("I have no diploma"),
    "none": N_("Not evaluated"),
    "applied": N_("Evaluation applied for"),
    "evaluated": N_("Evaluated in the Netherlands (for example by IDW)"),
}
BENEFIT_STATUSES = {
    "social_assistance": N_("Social assistance (bijstand)"),
    "other": N_("Another benefit"),
    "none": N_("No benefit"),
}
INTEGRATION_ROUTES = {
    "b1": N_("B1 route"),
    "education": N_("Education route"),
    "z": N_("Z route (self-reliance)"),
    "finished": N_("Finished or exempt"),
    "unknown": N_("Not known yet"),
}
# ISCED-F 2013 broad fields of education.
ISCED_FIELDS = {
    "00": N_("Generic programmes"),
    "01": N_("Education"),
    "02": N_("Arts and humanities"),
    "03": N_("Social sciences, journalism and information"),
    "04": N_("Business, administration and law"),
    "05": N_("Natural sciences, mathematics and statistics"),
    "06": N_("Information and communication technologies"),
    "07": N_("Engineering, manufacturing and construction"),
    "08": N_("Agriculture, forestry, fisheries and veterinary"),
    "09": N_("Health and welfare"),
    "10": N_("Services"),
}
# ESCO's top-level skill groups, for the summary chart (the `skill_groups` table holds levels 2-3).
TOP_SKILL_GROUPS = {
    "S1": N_("communication, collaboration and creativity"),
    "S2": N_("information skills"),
    "S3": N_("assisting and caring"),
    "S4": N_("management skills"),
    "S5": N_("working with computers"),
    "S6": N_("handling and moving"),
    "S7": N_("constructing"),
    "S8": N_("working with machinery and specialised equipment"),
    "T": N_("transversal skills and competences"),
    "L": N_("language skills and knowledge"),
}

EARLIEST_ARRIVAL = 1950
MAX_YEARS_EXPERIENCE = 60
MAX_HOURS = 80
MAX_CAPITAL_EUR = 1_000_000

# Messages for answers outside the allowed values.
NOT_A_CHOICE = N_("{value} is not one of the choices.")
YEAR_OUT_OF_RANGE = N_("The year of arrival is between {low} and {high}.")
ANSWER_OUT_OF_RANGE = N_("An answer is a number from {low} to {high}.")


@dataclass(frozen=True)
class Details:
    """What the inventory holds beyond the exchange format. Stored in each snapshot."""

    year_of_arrival: int | None = None
    dutch_skills: dict[str, str] = field(default_factory=dict)  # DUTCH_SKILLS key -> CEFR or NOT_YET
    diploma_evaluation: str | None = None
    skill_evidence: dict[str, str] = field(default_factory=dict)  # ESCO skill group -> EVIDENCE key
    answers: dict[str, int] = field(default_factory=dict)  # item id -> 1..5
    childcare: bool | None = None  # needs childcare to be able to work
    driving_licence: bool | None = None
    own_transport: bool | None = None
    benefit_status: str | None = None
    integration_route: str | None = None
    life_domains: dict[str, int] = field(default_factory=dict)  # LIFE_DOMAINS key -> 1..5
    steps_done: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        for name in ("dutch_skills", "skill_evidence", "answers", "life_domains"):
            data[name] = dict(data[name])
        data["steps_done"] = list(self.steps_done)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Details:
        data = dict(data or {})
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "steps_done" in values:
            values["steps_done"] = tuple(values["steps_done"])
        if "answers" in values:
            values["answers"] = {k: int(v) for k, v in values["answers"].items()}
        if "life_domains" in values:
            values["life_domains"] = {k: int(v) for k, v in values["life_domains"].items()}
        return cls(**values)

    def problems(self, *, today: dt.date | None = None) -> list[tuple[str, str, dict]]:
        """(field, message, params) for every value outside what the wizard allows."""
        found: list[tuple[str, str, dict]] = []
        year = (today or dt.date.today()).year
        if self.year_of_arrival is not None and not EARLIEST_ARRIVAL <= self.year_of_arrival <= year:
            found.append(("year_of_arrival", YEAR_OUT_OF_RANGE, {"low": EARLIEST_ARRIVAL, "high": year}))
        choices = (
            ("diploma_evaluation", [self.diploma_evaluation], DIPLOMA_EVALUATION),
            ("benefit_status", [self.benefit_status], BENEFIT_STATUSES),
            ("integration_route", [self.integration_route], INTEGRATION_ROUTES),
            ("dutch_skills", list(self.dutch_skills), DUTCH_SKILLS),
            ("dutch_skills", list(self.dutch_skills.values()), CEFR_PLAIN),
            ("skill_evidence", list(self.skill_evidence.values()), EVIDENCE),
            ("answers", list(self.answers), ITEMS),
            ("life_domains", list(self.life_domains), LIFE_DOMAINS),
            ("steps_done", list(self.steps_done), STEP_TITLES),
        )
        for name, values, allowed in choices:
            found += [(name, NOT_A_CHOICE, {"value": v}) for v in values if v is not None and v not in allowed]
        for name, answers in (("answers", self.answers), ("life_domains", self.life_domains)):
            if any(not 1 <= value <= 5 for value in answers.values()):
                found.append((name, ANSWER_OUT_OF_RANGE, {"low": 1, "high": 5}))
        return found


def scale_score(answers: list[int]) -> int | None:
    """The mean of 5-point answers on 0-100 (1 -> 0, 3 -> 50, 5 -> 100); None without answers."""
    if not answers:
        return None
    return round((sum(answers) / len(answers) - 1) * 25)


def interests_from_answers(answers: dict[str, int]) -> dict[str, int | None]:
    """Each RIASEC domain on 0-100 from its answered items (None for a domain with none)."""
    return {
        letter: scale_score([answers[i.id] for i in RIASEC_ITEMS if i.domain == letter and i.id in answers])
        for letter in RIASEC
    }


def ambition_from_answers(answers: dict[str, int]) -> int | None:
    """Ambition on 0-100 from the ambition and self-efficacy items together."""
    return scale_score([answers[i.id] for i in AMBITION_ITEMS if i.id in answers])


def self_efficacy(answers: dict[str, int]) -> dict[str, int | None]:
    """Self-efficacy per area (marketing, planning, money, risk, people) on 0-100."""
    return {
        area: scale_score([answers[i.id] for i in AMBITION_ITEMS if i.domain == area and i.id in answers])
        for area in SELF_EFFICACY_AREAS
    }


def dutch_overall(dutch_skills: dict[str, str]) -> str | None:
    """One Dutch level from the four skills: the lower median, so that one strong skill does not
    hide two weak ones. None below A1."""
    ranks = sorted(0 if v == NOT_YET else CEFR_LEVELS.index(v) + 1 for v in dutch_skills.values())
    if not ranks:
        return None
    rank = ranks[(len(ranks) - 1) // 2]
    return CEFR_LEVELS[rank - 1] if rank else None


@dataclass(frozen=True)
class Inventory:
    """One person's inventory: the exchange-format profile and the details beside it."""

    profile: Profile
    details: Details = field(default_factory=Details)

    @property
    def participant_id(self) -> str:
        return self.profile.id

    def with_changes(self, **changes: Any) -> Inventory:
        """A copy with fields of the profile or the details changed (by name), and the derived
        exchange-format values (interests, ambition, Dutch, on_benefit) computed again."""
        profile_names = {f.name for f in dataclasses.fields(Profile)} - {"id"}
        detail_names = {f.name for f in dataclasses.fields(Details)}
        unknown = set(changes) - profile_names - detail_names
        if unknown:
            raise TypeError(f"unknown inventory fields: {sorted(unknown)}")
        profile = dataclasses.replace(self.profile, **{k: v for k, v in changes.items() if k in profile_names})
        details = dataclasses.replace(self.details, **{k: v for k, v in changes.items() if k in detail_names})
        return Inventory(derive_profile(profile, details), details)

    def step_done(self, step: str) -> Inventory:
        if step in self.details.steps_done:
            return self
        return Inventory(self.profile, dataclasses.replace(self.details, steps_done=(*self.details.steps_done, step)))

    def to_dict(self) -> dict[str, Any]:
        return {"profile": self.profile.to_dict(), "details": self.details.to_dict()}


def derive_profile(profile: Profile, details: Details) -> Profile:
    """The exchange-format values that follow from the detailed answers. Values the person has not
    answered in detail (for instance imported ones) stay as they are."""
    changes: dict[str, Any] = {}
    answered = interests_from_answers(details.answers)
    if any(v is not None for v in answered.values()):
        changes["interests"] = {k: (v if v is not None else profile.interests.get(k, 50)) for k, v in answered.items()}
    ambition = ambition_from_answers(details.answers)
    if ambition is not None:
        changes["ambition"] = ambition
    if details.dutch_skills:
        others = tuple(lang for lang in profile.languages if lang.code != "nl")
        level = dutch_overall(details.dutch_skills)
        changes["languages"] = ((Language("nl", level),) if level else ()) + others
    if details.benefit_status is not None:
        changes["on_benefit"] = details.benefit_status != "none"
    return dataclasses.replace(profile, **changes) if changes else profile


def new_inventory(participant_id: str, display_name: str | None = None) -> Inventory:
    """An empty inventory: the exchange format's defaults and no answers yet."""
    return Inventory(Profile(id=participant_id, display_name=display_name))


# --- the wizard's questions --------------------------------------------------------------------

@dataclass(frozen=True)
class Question:
    """One question of a wizard step. `kind` tells the interface which widget to show:
    text, number, choice (a list to pick from), scale (5 points), yes_no, or rows (a repeating group
    of the `columns` questions). `options` names a list in FIXED_CHOICES (English msgids) or in the
    reference lists from `reference_choices` (labels in the person's language)."""

    key: str
    kind: str
    label: str
    pictogram: str = ""
    options: str = ""
    low: float | None = None
    high: float | None = None
    step: float | None = None
    columns: tuple[Question, ...] = ()
    min_rows: int = 0


# Fixed lists: value -> English msgid. Scales also carry a face before the words (FACES).
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
FACES: dict[str, dict] = {
    "life": {n: f"{n} {SCALE_FACES[n - 1]}" for n in range(1, 6)},
    **{f"scale_{kind}": {n: SCALE_FACES[n - 1] for n in range(1, 6)} for kind in SCALES},
}


def choice_labels(name: str, translate: Callable[[str], str]) -> dict:
    """A fixed list's labels in the person's language: `translate` is the interface's t()."""
    faces = FACES.get(name, {})
    return {
        value: " ".join(part for part in (faces.get(value, ""), translate(msgid) if msgid else "") if part)
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
            Question("display_name", "text", N_("Your name (you may leave this empty)"), "🙂"),
            Question("municipality", "choice", N_("Where do you live?"), "📍", "municipalities"),
            Question("year_of_arrival", "number", N_("In which year did you come to the Netherlands?"), "📅",
                     low=EARLIEST_ARRIVAL, high=year, step=1),
        )
    if step == "languages":
        return tuple(
            Question(f"dutch.{skill}", "choice", label, "🇳🇱", "cefr_plain") for skill, label in DUTCH_SKILLS.items()
        ) + (Question("other_languages", "rows", N_("Other languages you know"), "🗣️", columns=(
            Question("code", "choice", N_("Language"), options="languages"),
            Question("cefr", "choice", N_("Level"), options="cefr"),
        ), min_rows=3),)
    if step == "work":
        return (
            Question("isced_level", "choice", N_("Your highest education"), "🎓", "isced_levels"),
            Question("education_field", "choice", N_("Field of that education"), "📚", "fields"),
            Question("diploma_evaluation", "choice", N_("Has your diploma been evaluated in the Netherlands?"), "📜",
                     "diploma_evaluation"),
            Question("experience", "rows", N_("Work you have done (also without pay)"), "💼", columns=(
                Question("esco_uri", "choice", N_("Occupation"), options="occupations"),
                Question("years", "number", N_("Years"), low=0, high=MAX_YEARS_EXPERIENCE, step=0.5),
            ), min_rows=3),
        )
    if step == "skills":
        return (Question("skills", "rows", N_("What you can do"), "🧰", columns=(
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
            Question("capital_eur", "number", N_("Money of your own for a business (euros)"), "💶",
                     low=0, high=MAX_CAPITAL_EUR, step=100),
            Question("hours_per_week", "number", N_("Hours a week you can work on a business"), "⏰",
                     low=0, high=MAX_HOURS, step=1),
            Question("home_based_only", "yes_no", N_("Must the work be at home?"), "🏠", "yes_no"),
            Question("childcare", "yes_no", N_("Do you need childcare to be able to work?"), "🧒", "yes_no"),
            Question("driving_licence", "yes_no", N_("Do you have a Dutch or European driving licence?"), "🪪", "yes_no"),
            Question("own_transport", "yes_no", N_("Do you have your own transport (car, scooter)?"), "🚗", "yes_no"),
            Question("benefit_status", "choice", N_("Do you receive a benefit?"), "🧾", "benefit_status"),
            Question("integration_route", "choice", N_("Your civic-integration route"), "🧭", "integration_route"),
        )
    if step == "wellbeing":
        return tuple(
            Question(f"domain.{domain}", "scale", label, LIFE_DOMAIN_PICTOGRAMS[domain], "life")
            for domain, label in LIFE_DOMAINS.items()
        ) + (Question("ladder_rung", "choice", N_("Which step fits you best now?"), "🪜", "ladder"),)
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


def skills_by_group(profile: Profile) -> dict[str, int]:
    """The sum of skill levels per top-level ESCO group (S1..S8, T, L), for the summary chart."""
    totals: dict[str, int] = {}
    for skill in profile.skills:
        top = skill.esco_group.split(".")[0]
        top = top if top.startswith("S") else top[:1]
        totals[top] = totals.get(top, 0) + skill.level
    return dict(sorted(totals.items()))


def first_open_step(inventory: Inventory) -> int:
    """Where the wizard continues: the first step not done yet (the review when all are)."""
    for index, step in enumerate(STEPS[:-1]):
        if step not in inventory.details.steps_done:
            return index
    return len(STEPS) - 1


def reference_choices(cur: duckdb.DuckDBPyConnection, lang: str) -> dict[str, dict]:
    """The wizard's lists that come from the market dataset (and CLDR for languages), with labels in
    the person's language, searchable in the interface: value -> label."""
    column = {"nl": "label_nl", "ar": "label_ar"}.get(lang, "label_en")
    isced = dict(cur.execute(f"SELECT level, {column} FROM isced_levels ORDER BY level").fetchall())
    return {
        "municipalities": dict(cur.execute("SELECT gm_code, name FROM municipalities ORDER BY name").fetchall()),
        # An occupation is found by typing its name in Dutch, English or Arabic, whatever the language.
        "occupations": {
            uri: f"{first} ({' · '.join(others)})"
            for uri, first, *others in cur.execute(
                f"SELECT esco_uri, {column}, {', '.join(c for c in ('label_nl', 'label_en', 'label_ar') if c != column)}"
                f" FROM occupations ORDER BY {column}"
            ).fetchall()
        },
        "skill_groups": {
            code: f"{label} ({code})"
            for code, label in cur.execute(f"SELECT code, {column} FROM skill_groups ORDER BY {column}").fetchall()
        },
        "isced_levels": {level: f"{level} · {isced.get(level, 'ISCED')}" for level in range(9)},
        "languages": {code: name for code, name in language_names(lang).items() if code != "nl"},
    }


def isco_by_uri(cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """ESCO occupation URI -> ISCO-08 unit group, for the occupations the wizard offers."""
    return dict(cur.execute("SELECT esco_uri, isco FROM occupations").fetchall())
