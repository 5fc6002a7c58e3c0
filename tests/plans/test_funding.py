"""Funding routes per person: the Bbz needs a residence permit, a benefit, a viable plan and 1,225 hours
a year; Qredits lends up to EUR 50,000; the amount the forecast needs; the application checklists."""

from __future__ import annotations

from incubator.plans import business_plan as bp
from incubator.plans import content as pc
from incubator.plans import funding
from incubator.plans.forecast import START_NOT_COVERED


def routes_of(cur, actor, plan_id) -> dict[str, funding.RouteCheck]:
    return {r.route_id: r for r in funding.funding_routes(cur, actor=actor, plan_id=plan_id).routes}


def save(cur, actor, plan_id: int, **changes) -> None:
    plan = bp.open_plan(cur, actor=actor, plan_id=plan_id)
    bp.save_money(cur, actor=actor, plan_id=plan_id, base_version=plan.version,
                  form=pc.form_from_content(plan.content) | changes)


def test_a_prefilled_residence_permit_is_still_to_check_until_someone_confirms_it(seeded, people, plan):
    newcomer = people["newcomer"]
    routes = routes_of(seeded, newcomer, plan.plan_id)
    loan = routes["bbz_business_loan"]
    assert {r.key: r.status for r in loan.requirements} == {"permit": "check", "benefit": "met", "hours": "met",
                                                            "viable": "met"}
    assert loan.qualifies == "check" and loan.amount_cents == 400_000 and loan.max_cents == 3_905_700
    bp.confirm_suggestions(seeded, actor=newcomer, plan_id=plan.plan_id, base_version=1)
    assert routes_of(seeded, newcomer, plan.plan_id)["bbz_business_loan"].qualifies == "yes"


def test_without_a_benefit_or_with_too_few_hours_the_bbz_does_not_apply(seeded, people, plan):
    save(seeded, people["newcomer"], plan.plan_id, on_benefit=False, residence_permit="yes")
    routes = routes_of(seeded, people["newcomer"], plan.plan_id)
    assert routes["bbz_business_loan"].qualifies == "no" and routes["bbz_income_support"].qualifies == "no"
    save(seeded, people["newcomer"], plan.plan_id, on_benefit=True, hours_per_week=20)  # 20 x 52 = 1,040 < 1,225
    hours = next(r for r in routes_of(seeded, people["newcomer"], plan.plan_id)["bbz_business_loan"].requirements
                 if r.key == "hours")
    assert hours.status == "not_met" and hours.params == {"hours": 20}


def test_qredits_lends_up_to_its_ceiling_and_the_needed_amount_is_what_own_money_leaves(seeded, people, plan):
    save(seeded, people["newcomer"], plan.plan_id, own="0", bbz_loan="0", qredits_loan="50000",
         start_costs=[{"kind": "equipment", "label": "Truck", "amount": "60000"}])
    result = funding.funding_routes(seeded, actor=people["newcomer"], plan_id=plan.plan_id)
    assert result.needed_cents == 6_000_000 and result.forecast.start_cash_cents == -1_000_000
    assert result.short_cents >= 1_000_000
    assert (START_NOT_COVERED, {"amount_cents": 1_000_000}) in [(w.key, w.params) for w in result.forecast.warnings]
    qredits = {r.route_id: r for r in result.routes}["qredits_microcredit"]
    within = next(r for r in qredits.requirements if r.key == "within_ceiling")
    assert within.status == "not_met" and within.params == {"limit_cents": 5_000_000} and qredits.qualifies == "no"


def test_the_checklists_have_stable_keys_and_name_the_ventures_licences(seeded, people, plan):
    routes = routes_of(seeded, people["mentor"], plan.plan_id)
    keys = [item.key for item in routes["bbz_business_loan"].checklist]
    assert keys[:7] == ["bbz.business_plan", "bbz.forecast", "bbz.private_budget", "bbz.identity", "bbz.quotes",
                        "bbz.licences", "bbz.kvk"]
    assert "licence.kvk_registration" in keys
    assert [i.key for i in routes["qredits_microcredit"].checklist][:2] == ["qredits.business_plan", "qredits.forecast"]
