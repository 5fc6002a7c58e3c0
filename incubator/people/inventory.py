"""The full skills-and-ambition inventory: the project's own questionnaire items, its steps, and the
parts of a person's answers that go beyond the exchange format (`Details`). The wizard that asks
these questions step by step is incubator.people.wizard.

The exchange format (`profiles.Profile`) is derived from the answers: the six RIASEC interests
(0-100) from the 5-point interest items, `ambition` (0-100) from the ambition and self-efficacy
items, the overall Dutch level from the four Dutch skills, `on_benefit` from the benefit status.
Items are written in plain words for people with little schooling; every item has a pictogram.
No nationality, ethnicity or religion: there is no question about them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from incubator.core.i18n import N_
from incubator.people.profile import CEFR_LEVELS, RIASEC, Language, Profile

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

# Answer scales: five points, each with plain words and a face, so that reading is not needed. Faces and
# pictograms are Material Symbols names (a font Streamlit bundles: no emoji that show as boxes).
SCALE_FACES = ("sentiment_very_dissatisfied", "sentiment_dissatisfied", "sentiment_neutral",
               "sentiment_satisfied", "sentiment_very_satisfied")
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
    pictogram: str  # a Material Symbols name, shown beside the text
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
    Item("riasec.r1", N_("Repair or build things with my hands"), "handyman", "like", "R"),
    Item("riasec.r2", N_("Work outside, with plants or animals"), "eco", "like", "R"),
    Item("riasec.r3", N_("Use tools and machines"), "precision_manufacturing", "like", "R"),
    Item("riasec.i1", N_("Find out how something works"), "search", "like", "I"),
    Item("riasec.i2", N_("Solve problems with numbers or puzzles"), "calculate", "like", "I"),
    Item("riasec.i3", N_("Learn about health, science or technology"), "science", "like", "I"),
    Item("riasec.a1", N_("Draw, design or decorate"), "palette", "like", "A"),
    Item("riasec.a2", N_("Make music, write, or make photos and videos"), "music_note", "like", "A"),
    Item("riasec.a3", N_("Make beautiful things: clothes, jewellery, food that looks good"), "diamond", "like", "A"),
    Item("riasec.s1", N_("Help people who have a problem"), "volunteer_activism", "like", "S"),
    Item("riasec.s2", N_("Teach or explain things to others"), "school", "like", "S"),
    Item("riasec.s3", N_("Take care of children, older people or sick people"), "elderly", "like", "S"),
    Item("riasec.e1", N_("Sell things and talk with customers"), "shopping_cart", "like", "E"),
    Item("riasec.e2", N_("Lead a group and make decisions"), "groups", "like", "E"),
    Item("riasec.e3", N_("Start something new and take a chance"), "rocket_launch", "like", "E"),
    Item("riasec.c1", N_("Keep things neat and in order"), "inventory_2", "like", "C"),
    Item("riasec.c2", N_("Work with lists, numbers and papers"), "list_alt", "like", "C"),
    Item("riasec.c3", N_("Follow clear rules and steps"), "checklist", "like", "C"),
)

SELF_EFFICACY_AREAS = {
    "marketing": N_("Marketing"),
    "planning": N_("Planning"),
    "money": N_("Money"),
    "risk": N_("Risk"),
    "people": N_("People"),
}

AMBITION_ITEMS: tuple[Item, ...] = (
    Item("ambition.1", N_("I want to have my own business."), "store", "true", "ambition"),
    Item("ambition.2", N_("I want to earn my own money, without a benefit."), "payments", "true", "ambition"),
    Item("ambition.3", N_("I am ready to spend time every week on my business plan."), "schedule", "true", "ambition"),
    Item("efficacy.marketing.1", N_("I can find customers for what I make or do."), "campaign", "sure", "marketing"),
    Item("efficacy.marketing.2", N_("I can tell people why my product is good."), "chat", "sure", "marketing"),
    Item("efficacy.planning.1", N_("I can make a plan and follow it step by step."), "event_note", "sure", "planning"),
    Item("efficacy.planning.2", N_("I can finish my work on time."), "timer", "sure", "planning"),
    Item("efficacy.money.1", N_("I can keep track of what I earn and what I spend."), "account_balance_wallet", "sure", "money"),
    Item("efficacy.money.2", N_("I can work out a fair price."), "sell", "sure", "money"),
    Item("efficacy.risk.1", N_("I keep going when something goes wrong."), "hiking", "sure", "risk"),
    Item("efficacy.risk.2", N_("I dare to try something new, even if it may fail."), "casino", "sure", "risk"),
    Item("efficacy.people.1", N_("I can ask others for help and advice."), "contact_support", "sure", "people"),
    Item("efficacy.people.2", N_("I can work well with customers and suppliers."), "handshake", "sure", "people"),
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
    "language": "translate", "housing": "home", "money": "euro", "health": "favorite",
    "network": "diversity_3", "daytime": "wb_sunny", "education": "menu_book", "work": "work",
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
    "S": N_("skills"),  # ESCO's top codes: a profile from another tool may use them
    "K": N_("knowledge"),
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


def skills_by_group(profile: Profile) -> dict[str, int]:
    """The sum of skill levels per top-level ESCO group (S1..S8, T, L), for the summary chart."""
    totals: dict[str, int] = {}
    for skill in profile.skills:
        top = skill.esco_group.split(".")[0]
        top = top if top.startswith("S") else top[:1]
        totals[top] = totals.get(top, 0) + skill.level
    return dict(sorted(totals.items()))
