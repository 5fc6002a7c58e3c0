"""Page tests (AppTest): the suggestions page and explore mode show the ventures a person's own
constraints rule out, with the barrier and what would open it, in the reader's language; nothing of
the kind when the constraints allow the best fit."""

from __future__ import annotations

import re

import pytest

from incubator.accounts import users
from incubator.core import db, i18n
from incubator.core.access import COMMAND_LINE_ADMIN, COMMAND_LINE_MANAGER
from incubator.people import participants, snapshots
from tests.support.app import TEST_PASSWORD, signed_in_app
from tests.support.scoring import profile, with_market
from ui.text import escape_markdown

PAGE = "app_pages/suggestions/participant_suggestions.py"
EXPLORE = "app_pages/suggestions/explore.py"
HEADING = {"en": "Ventures that fit you, and what stands in the way",
           "nl": "Ondernemingen die bij je passen, en wat in de weg staat",
           "ar": "مشاريع تناسبك، وما يقف في طريقها"}
TAILORING = {"en": "Made-to-measure tailoring", "nl": "Maatkleermaker", "ar": "الخياطة حسب المقاس"}
OPENS = {"en": "12 hours a week for the business would open it", "nl": "12 uur per week voor het bedrijf zou het openen",
         "ar": "تخصيص 12 ساعة أسبوعيًا للمشروع يجعله ممكنًا"}
ALTERATIONS = {"nl": "Kledingreparatie en vermaken", "ar": "تعديل الملابس وإصلاحها"}
OPENS_10 = {"nl": "10 uur per week voor het bedrijf zou het openen", "ar": "تخصيص 10 ساعة أسبوعيًا للمشروع يجعله ممكنًا"}
NONE = {"nl": "Geen van de ondernemingen die nu voor jou mogelijk zijn, past bij je vaardigheden en werkervaring.",
        "ar": "لا يناسب أيٌّ من المشاريع المتاحة لك الآن مهاراتك وخبرتك في العمل."}
FEWER = {"en": "Fewer ventures are shown: the other ventures open to you do not match your skills and work experience.",
         "nl": "Je ziet minder ondernemingen: de andere die nu voor jou mogelijk zijn, passen niet bij je vaardigheden "
               "en werkervaring.",
         "ar": "تظهر مشاريع أقل: المشاريع الأخرى المتاحة لك لا تناسب مهاراتك وخبرتك في العمل."}


def programme(db_path, display_name: str | None = None, **changes) -> dict:
    """A newcomer's own record (a tailor of 15 years, with `changes`) in the app's database."""
    con = db.connect(db_path)
    cur = with_market(con.cursor())
    ids = {role: users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=f"ro-{role}", password=TEST_PASSWORD, role=role)
           for role in ("admin", "mentor", "newcomer")}  # an administrator: past the first set-up
    mentor = users.get_actor(cur, ids["mentor"])
    record = participants.create_participant(cur, actor=mentor, display_name=display_name)
    # Only a manager binds a newcomer's account to a record (issue 9).
    participants.link_owner(cur, actor=COMMAND_LINE_MANAGER, participant_id=record.participant_id,
                            owner_user_id=ids["newcomer"])
    snapshots.save_profile(cur, actor=mentor, profile=profile(id=record.participant_id, display_name=display_name, **changes))
    con.close()
    return ids


def texts(at) -> list[str]:
    return [m.value for m in at.markdown]


def plain(at) -> list[str]:
    """The Markdown texts without the marks that isolate each value (a number, a name) for bidi."""
    return [re.sub("[\u2066-\u2069]", "", m) for m in texts(at)]


def no_exception(at):
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_the_suggestions_page_shows_what_a_constraint_rules_out_and_what_would_open_it(app_env, lang):
    ids = programme(app_env, hours_per_week=8)
    at = no_exception(signed_in_app(ids["newcomer"], lang=lang, page=PAGE).run())
    assert HEADING[lang] in [h.value for h in at.subheader]
    assert FEWER[lang] in [i.value for i in at.info]
    assert any(m.startswith(f"**{escape_markdown(TAILORING[lang])}**") for m in texts(at))
    assert any(OPENS[lang] in m for m in plain(at))
    assert not [b for b in at.button if (b.key or "").endswith(".cr_tailoring")]  # nothing to choose there


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_a_mentor_reads_what_rules_out_a_venture_about_the_participant_with_the_name_as_typed(app_env, lang):
    ids = programme(app_env, display_name="Amal *B*", hours_per_week=8)
    at = no_exception(signed_in_app(ids["mentor"], lang=lang, page=PAGE).run())
    name = "\u2068Amal \\*B\\*\u2069"  # isolated, its Markdown characters escaped: shown as typed
    assert i18n.translate("Ventures that fit {name}, and what stands in the way", lang, name=name) in [
        h.value for h in at.subheader]
    assert HEADING[lang] not in [h.value for h in at.subheader]
    hours = i18n.translate("It needs at least {hours} hours a week; {name} has {own}", lang, hours="\u206812\u2069",
                           name=name, own="\u20688\u2069")
    assert any(m.endswith(hours) for m in texts(at)), texts(at)
    assert not any(i18n.translate("It needs at least {hours} hours a week; you have {own}", lang, hours=12, own=8) in m
                   for m in plain(at))


def test_when_the_constraints_allow_the_best_fit_there_is_no_ruled_out_section(app_env):
    ids = programme(app_env, home_based_only=True)  # tailoring can start at home
    at = no_exception(signed_in_app(ids["mentor"], lang="nl", page=PAGE).run())
    assert HEADING["nl"] not in [h.value for h in at.subheader]
    assert any(h.value.endswith(TAILORING["nl"]) for h in at.subheader)


@pytest.mark.parametrize("lang", ["nl", "ar"])
def test_explore_mode_shows_what_few_hours_rule_out(app_env, lang):
    programme(app_env)
    at = no_exception(signed_in_app(None, lang=lang, page=EXPLORE).run())
    at.selectbox(key="explore.municipality").set_value("GM0344")
    at.multiselect(key="explore.skills").set_value(["S6.5.6"])
    at.slider(key="explore.hours").set_value(6)
    submit = i18n.translate("Show ventures that could fit", lang)
    next(b for b in at.button if b.label == submit).click().run()
    no_exception(at)
    assert NONE[lang] in [i.value for i in at.info]  # 6 hours allow nothing that garment making fits
    assert HEADING[lang] in [h.value for h in at.subheader]
    assert any(m.startswith(f"**{escape_markdown(ALTERATIONS[lang])}**") for m in texts(at))
    assert any(OPENS_10[lang] in m for m in plain(at))
