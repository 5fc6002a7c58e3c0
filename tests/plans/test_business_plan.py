"""Business plans in the store: prefilled from the venture catalogue (every value a suggestion to
check), versions and what changed, who may see and change a plan, plans whose venture was set aside
or replaced, and bad input that leaves the plan exactly as it was."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from incubator.core.errors import NotAllowed
from incubator.core.i18n import translate
from incubator.plans import business_plan as bp
from incubator.plans import content as pc
from incubator.suggestions import choices
from tests.support.scoring import quick_model


def stored(cur, plan_id: int) -> list:
    return cur.execute("SELECT version, content FROM plan_versions WHERE plan_id = ? ORDER BY version",
                       [plan_id]).fetchall()


def message(exc, lang: str) -> str:
    return translate(exc.message_key, lang, **exc.params)


# ----------------------------------------------------------------------------- prefilled from the catalogue

def test_a_plan_is_prefilled_from_the_venture_catalogue_and_marked_as_suggestions(seeded, plan):
    """cr_tailoring: typical capital EUR 5,000, workshop, KVK only, revenue EUR 1,500-4,500 a month.
    The KVK fee (EUR 85.15) is its own item; the rest 4,914.85 splits 60/25/15 (the project's
    assumption for a workshop): 2,948.91 + 1,228.71 + 737.23. Price: the middle revenue 3,000.00 over
    40 sales = 75.00, a sale's material 30% = 22.50. The profile (a tailor on a benefit, 36 hours a
    week, EUR 1,000 own money) gives own money 1,000 and a Bbz loan for the other 4,000."""
    money = plan.content.forecast
    assert plan.version == 1 and plan.status == "current" and plan.editable
    assert [(i.kind, i.amount_cents) for i in money.start_costs] == [
        ("equipment", 294_891), ("stock", 122_871), ("premises", 73_723), ("registration", 8_515)]
    assert sum(i.amount_cents for i in money.start_costs) == 500_000
    assert all(i.is_suggestion for i in money.start_costs)
    assert (money.price_cents, money.volume_per_month, money.unit_cost_cents) == (7_500, 40, 2_250)
    catalogue = seeded.execute("SELECT season_01, season_06, season_12 FROM ventures WHERE venture_id = 'cr_tailoring'"
                               ).fetchone()
    assert (money.season[0], money.season[5], money.season[11]) == tuple(Decimal(str(v)) for v in catalogue)
    assert (money.own_cents, money.bbz.principal_cents, money.qredits.principal_cents) == (100_000, 400_000, 0)
    assert money.bbz.rate_pct == Decimal(8)  # funding_routes.csv, the 2022 level
    assert plan.content.business.premises == "workshop" and plan.content.business.hours_per_week == 36
    for path in ("forecast.price_cents", "forecast.volume_per_month", "forecast.unit_cost_cents",
                 "forecast.bbz.principal_cents", "business.premises", "business.household"):
        assert plan.content.is_suggestion(path), path


def test_licence_fees_come_from_the_catalogue(seeded, people, profiled):
    """et_restaurant needs an alcohol licence (EUR 200-275: the higher fee is taken) and the SVH exam
    (EUR 239); licences without a known fee are listed at EUR 0 to be asked at the issuer."""
    plan = bp.create_plan(seeded, actor=people["manager"], participant_id=profiled["other"],
                          venture_id="et_restaurant", model=quick_model())
    fees = {i.licence_id: i.amount_cents for i in plan.content.forecast.start_costs if i.kind == "licence"}
    assert fees["alcohol_licence"] == 27_500 and fees["svh_social_hygiene"] == 23_900
    assert fees["nvwa_registration"] == 0 and "kvk_registration" not in fees
    typical = seeded.execute("SELECT capital_typical_eur FROM ventures WHERE venture_id = 'et_restaurant'").fetchone()[0]
    assert sum(i.amount_cents for i in plan.content.forecast.start_costs) == typical * 100


def test_a_plan_for_a_mentors_idea_has_nothing_to_prefill_but_works(seeded, people, profiled):
    idea = choices.add_idea(seeded, actor=people["mentor"], participant_id=profiled["mentored"],
                            title="Wedding dresses to measure")
    plan = bp.create_plan(seeded, actor=people["mentor"], participant_id=profiled["mentored"], idea_id=idea)
    assert plan.name.get("nl") == plan.name.get("ti") == "Wedding dresses to measure" and plan.venture_id is None
    assert [(i.kind, i.amount_cents) for i in plan.content.forecast.start_costs] == [("registration", 8_515)]
    assert set(plan.content.forecast.season) == {Decimal(1)}
    form = pc.form_from_content(plan.content) | {"price": "120", "volume": 10, "unit_cost": "30"}
    bp.save_money(seeded, actor=people["mentor"], plan_id=plan.plan_id, base_version=1, form=form)
    forecast = bp.forecast_of(seeded, bp.open_plan(seeded, actor=people["mentor"], plan_id=plan.plan_id))
    assert forecast.months[5].revenue == 120_000


# ----------------------------------------------------------------------------- versions

def test_each_save_is_a_version_and_a_reader_sees_what_changed_since_their_last_view(seeded, people, plan):
    newcomer, mentor = people["newcomer"], people["mentor"]
    seen_by_newcomer = bp.open_plan(seeded, actor=newcomer, plan_id=plan.plan_id)
    assert seen_by_newcomer.last_viewed_version is None  # first visit
    v2 = bp.save_texts(seeded, actor=mentor, plan_id=plan.plan_id, base_version=1,
                       canvas={"problem": "No tailor nearby", "customer_segments": "Neighbours"})
    form = pc.form_from_content(bp.open_plan(seeded, actor=mentor, plan_id=plan.plan_id).content) | {"price": "60"}
    v3 = bp.save_money(seeded, actor=mentor, plan_id=plan.plan_id, base_version=v2, form=form)
    assert (v2, v3) == (2, 3) and [v for v, _ in stored(seeded, plan.plan_id)] == [1, 2, 3]

    again = bp.open_plan(seeded, actor=newcomer, plan_id=plan.plan_id)
    assert again.last_viewed_version == 1 and again.version == 3
    found = bp.changes_since(seeded, actor=newcomer, plan_id=plan.plan_id, since_version=again.last_viewed_version)
    assert (found.since_version, found.latest_version, found.saved_by) == (1, 3, ["test-mentor"])
    assert [(c.block, c.field) for c in found.changed] == [
        ("problem", "problem"), ("customer_segments", "customer_segments"), ("forecast", "price")]
    assert found.changed[2].before == Decimal("75.00") and found.changed[2].after == Decimal("60")
    assert bp.open_plan(seeded, actor=newcomer, plan_id=plan.plan_id).last_viewed_version == 3
    assert [v.version for v in bp.versions(seeded, actor=newcomer, plan_id=plan.plan_id)] == [1, 2, 3]


def test_a_save_on_top_of_an_older_version_is_refused_and_changes_nothing(seeded, people, plan):
    bp.save_texts(seeded, actor=people["mentor"], plan_id=plan.plan_id, base_version=1, canvas={"problem": "mentor's"})
    before = stored(seeded, plan.plan_id)
    with pytest.raises(bp.PlanChangedMeanwhile) as refused:
        bp.save_texts(seeded, actor=people["newcomer"], plan_id=plan.plan_id, base_version=1,
                      canvas={"problem": "newcomer's"})
    assert stored(seeded, plan.plan_id) == before
    assert "versie 2" in message(refused.value, "nl") and "1" in message(refused.value, "ar")


def test_a_changed_suggestion_is_no_longer_one_and_checking_confirms_the_rest(seeded, people, plan):
    form = pc.form_from_content(plan.content) | {"price": "80"}
    bp.save_money(seeded, actor=people["newcomer"], plan_id=plan.plan_id, base_version=1, form=form)
    content = bp.open_plan(seeded, actor=people["newcomer"], plan_id=plan.plan_id).content
    assert not content.is_suggestion("forecast.price_cents") and content.is_suggestion("forecast.volume_per_month")
    bp.confirm_suggestions(seeded, actor=people["newcomer"], plan_id=plan.plan_id, base_version=2)
    content = bp.open_plan(seeded, actor=people["newcomer"], plan_id=plan.plan_id).content
    assert content.suggested == {} and not any(i.is_suggestion for i in content.forecast.start_costs)


def test_comments_are_kept_per_block_and_version(seeded, people, plan):
    bp.add_comment(seeded, actor=people["mentor"], plan_id=plan.plan_id, block="problem", body="<b>Who</b> exactly?")
    found = bp.comments(seeded, actor=people["newcomer"], plan_id=plan.plan_id)
    assert [(c.block, c.body, c.version, c.written_by) for c in found] == [("problem", "<b>Who</b> exactly?", 1,
                                                                            "test-mentor")]
    with pytest.raises(bp.ValidationFailed):
        bp.add_comment(seeded, actor=people["mentor"], plan_id=plan.plan_id, block="problem", body="  ")


# ----------------------------------------------------------------------------- access

def test_a_newcomer_sees_only_their_own_plan_and_a_mentor_only_their_participants(seeded, people, profiled, plan):
    other = bp.create_plan(seeded, actor=people["manager"], participant_id=profiled["other"],
                           venture_id="cr_tailoring", model=quick_model())
    mentored = bp.create_plan(seeded, actor=people["mentor"], participant_id=profiled["mentored"],
                              venture_id="cr_tailoring", model=quick_model())
    assert bp.open_plan(seeded, actor=people["newcomer"], plan_id=plan.plan_id).may_edit
    for plan_id in (other.plan_id, mentored.plan_id):
        with pytest.raises(NotAllowed):
            bp.open_plan(seeded, actor=people["newcomer"], plan_id=plan_id)
    assert bp.open_plan(seeded, actor=people["mentor"], plan_id=mentored.plan_id).may_comment
    with pytest.raises(NotAllowed):
        bp.open_plan(seeded, actor=people["mentor"], plan_id=other.plan_id)
    with pytest.raises(NotAllowed):
        bp.save_texts(seeded, actor=people["mentor"], plan_id=other.plan_id, base_version=1, canvas={"problem": "x"})
    with pytest.raises(NotAllowed):
        bp.add_comment(seeded, actor=people["newcomer"], plan_id=mentored.plan_id, block="problem", body="x")
    for plan_id in (plan.plan_id, other.plan_id, mentored.plan_id):
        assert bp.open_plan(seeded, actor=people["manager"], plan_id=plan_id).may_edit
        with pytest.raises(NotAllowed):  # an administrator sees no personal data
            bp.open_plan(seeded, actor=people["admin"], plan_id=plan_id)


def test_views_of_someone_elses_plan_are_audited_without_content(seeded, people, plan):
    bp.add_comment(seeded, actor=people["mentor"], plan_id=plan.plan_id, block="problem", body="private words")
    bp.open_plan(seeded, actor=people["manager"], plan_id=plan.plan_id)
    rows = seeded.execute("SELECT action, subject FROM audit_log WHERE action LIKE 'plan.%' ORDER BY entry_id").fetchall()
    assert ("plan.view", f"participant:{plan.participant_id}") in rows
    assert {"plan.create", "plan.comment", "plan.view"} <= {a for a, _ in rows}
    assert not any("private" in str(r) for r in seeded.execute("SELECT * FROM audit_log").fetchall())


# ----------------------------------------------------------------------------- set aside or replaced

def test_a_plan_whose_venture_was_set_aside_says_so_and_cannot_be_changed(seeded, people, plan):
    choices.set_aside(seeded, actor=people["mentor"], participant_id=plan.participant_id, venture_id="cr_tailoring",
                      note="No workshop in her street")
    opened = bp.open_plan(seeded, actor=people["newcomer"], plan_id=plan.plan_id)
    assert opened.status == "set_aside" and not opened.editable
    key, params = opened.status_message
    assert "opzij" in translate(key, "nl", **params) and "Made-to-measure tailoring" in translate(key, "en", **params)
    before = stored(seeded, plan.plan_id)
    with pytest.raises(bp.PlanNotCurrent) as refused:
        bp.save_texts(seeded, actor=people["newcomer"], plan_id=plan.plan_id, base_version=1, canvas={"problem": "x"})
    assert "set aside" in refused.value.english() and stored(seeded, plan.plan_id) == before
    with pytest.raises(bp.VentureSetAside):
        bp.create_plan(seeded, actor=people["mentor"], participant_id=plan.participant_id, venture_id="cr_tailoring")


def test_a_plan_replaced_by_a_newer_choice_is_read_only_and_the_new_one_starts_fresh(seeded, people, plan):
    choices.choose_venture(seeded, actor=people["newcomer"], participant_id=plan.participant_id,
                           venture_id="cr_bakery", model=quick_model())
    old = bp.current_plan(seeded, actor=people["newcomer"], participant_id=plan.participant_id)
    assert old.plan_id == plan.plan_id and old.status == "replaced"
    current = old.status_message[1]["current"]  # the newer choice, named in the reader's language
    assert (current.en, current.get("nl"), current.get("ar")) == ("Artisan bakery", "Ambachtelijke bakkerij", "مخبز حِرَفي")
    with pytest.raises(bp.PlanNotCurrent):
        bp.save_texts(seeded, actor=people["newcomer"], plan_id=plan.plan_id, base_version=1, canvas={"problem": "x"})
    new = bp.start_plan(seeded, actor=people["newcomer"], participant_id=plan.participant_id)
    assert new.plan_id != plan.plan_id and new.venture_id == "cr_bakery" and new.editable
    # Choosing the tailoring again brings its own plan back, with what was written in it.
    back = bp.create_plan(seeded, actor=people["newcomer"], participant_id=plan.participant_id,
                          venture_id="cr_tailoring", model=quick_model())
    assert back.plan_id == plan.plan_id and back.status == "current"


def test_without_a_chosen_venture_there_is_nothing_to_start(seeded, people, profiled):
    with pytest.raises(bp.NoVentureChosen):
        bp.start_plan(seeded, actor=people["mentor"], participant_id=profiled["mentored"])
    assert bp.current_plan(seeded, actor=people["mentor"], participant_id=profiled["mentored"]) is None


# ----------------------------------------------------------------------------- bad input

BAD_INPUT = {
    "negative own money": ({"own": "-500"}, "own", "{field}: an amount cannot be negative.",
                           "Uw eigen geld: een bedrag kan niet negatief zijn."),
    "absurd amount": ({"family": "5000000"}, "family", "{field}: {value} is more than {limit}. Check the number of zeros.",
                      "Geld van familie: 5000000 is meer dan € 1.000.000,00. Controleer het aantal nullen."),
    "zero sales": ({"volume": 0}, "volume", "{field}: at least one sale a month, or the business earns nothing.",
                   "Verkopen in een gemiddelde maand: minstens één verkoop per maand, anders verdient het bedrijf niets."),
    "a price in the sales field": ({"volume": "12,50"}, "volume",
                                   "{field}: write a whole number, not an amount in euros.",
                                   "Verkopen in een gemiddelde maand: schrijf een heel getal, geen bedrag in euro."),
    "price and cost swapped": ({"price": "2", "unit_cost": "40"}, None, pc.COST_ABOVE_PRICE,
                               "De kosten van één verkoop (€ 40,00) zijn hoger dan de prijs (€ 2,00). "
                               "Controleer of de twee niet in elkaars veld staan."),
    "not a number": ({"price": "veertig"}, "price", "{field}: {value} is not a number.",
                     "Prijs van één verkoop: veertig is geen getal."),
    "Bbz loan above its ceiling": ({"bbz_loan": "40000"}, "bbz_loan", "{field}: at most {limit}.",
                                   "Bbz-lening bedrijfskapitaal: hoogstens € 39.057,00."),
    "a negative cost in a row": ({"fixed_costs": [{"kind": "rent", "label": "", "amount": 100},
                                                  {"kind": "phone", "label": "", "amount": -30}]}, "fixed_costs",
                                 "{field}, row {row}: {problem}",
                                 "Maandelijkse kosten, rij 2: een bedrag kan niet negatief zijn."),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_names_the_field_in_the_readers_language_and_saves_nothing(seeded, people, plan, case):
    change, field, key, dutch = BAD_INPUT[case]
    before = stored(seeded, plan.plan_id)
    form = pc.form_from_content(plan.content) | change
    with pytest.raises(pc.PlanInputRejected) as rejected:
        bp.save_money(seeded, actor=people["newcomer"], plan_id=plan.plan_id, base_version=1, form=form)
    assert rejected.value.message_key == key
    if field is not None:
        assert rejected.value.params["field"] == pc.FIELDS[field]
    assert message(rejected.value, "nl").replace("\xa0", " ") == dutch
    assert message(rejected.value, "ar") != rejected.value.english()  # translated, the field name too
    assert stored(seeded, plan.plan_id) == before


def test_text_longer_than_the_limit_is_refused_with_the_block_named(seeded, people, plan):
    with pytest.raises(pc.PlanInputRejected) as rejected:
        bp.save_texts(seeded, actor=people["newcomer"], plan_id=plan.plan_id, base_version=1,
                      sections={"entrepreneur": "x" * (pc.MAX_TEXT + 1)})
    assert message(rejected.value, "nl") == f"De ondernemer: hoogstens {pc.MAX_TEXT} tekens."
    assert len(stored(seeded, plan.plan_id)) == 1


def test_amounts_are_read_exactly_in_dutch_and_english_writing():
    for typed, cents in (("1.234,56", 123_456), ("1,234.56", 123_456), ("€ 85,15", 8_515), (0.1, 10), ("0.005", 1)):
        assert pc.euros_to_cents(typed, "own") == cents, typed


def test_the_stored_content_is_exact_json(seeded, plan):
    content = json.loads(stored(seeded, plan.plan_id)[0][1])
    assert content["forecast"]["season"][0] == "0.55" and isinstance(content["forecast"]["price_cents"], int)
    assert pc.PlanContent.from_dict(content) == plan.content
