"""plan create, plan show and forecast: business plans on the command line (acting as the command
line, with a manager's rights, or as an account with --as)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from incubator.cli.database import open_database
from incubator.core.i18n import LANGUAGES, translate
from incubator.people import participants
from incubator.plans import business_plan as bp
from incubator.plans import content as pc
from incubator.plans import funding
from incubator.plans.forecast import verdict_texts, words
from incubator.plans.workbook import forecast_workbook


def register(subparsers: argparse._SubParsersAction) -> None:
    plan = subparsers.add_parser("plan", help="business plans: create (choose a venture and start its plan) or show")
    commands = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    create = commands.add_parser("create", help="choose a venture for a participant and start its plan")
    create.add_argument("participant_id", metavar="P-000123")
    chosen = create.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--venture", metavar="VENTURE_ID", help="a venture of the market data")
    chosen.add_argument("--idea", type=int, metavar="IDEA_ID", help="a mentor's own idea for this participant")
    create.add_argument("--as", dest="as_user", metavar="USERNAME")
    create.set_defaults(handler=run_create)

    show = commands.add_parser("show", help="the participant's current plan and its forecast")
    show.add_argument("participant_id", metavar="P-000123")
    show.add_argument("--json", action="store_true", help="print JSON (amounts in euro cents)")
    show.add_argument("--lang", choices=sorted(LANGUAGES), default="en")
    show.add_argument("--as", dest="as_user", metavar="USERNAME")
    show.set_defaults(handler=run_show)

    forecast = subparsers.add_parser("forecast", help="write the forecast of a participant's plan as an Excel workbook")
    forecast.add_argument("participant_id", metavar="P-000123")
    forecast.add_argument("--out", required=True, type=Path, metavar="FORECAST.xlsx")
    forecast.add_argument("--lang", choices=sorted(LANGUAGES), default="en")
    forecast.add_argument("--as", dest="as_user", metavar="USERNAME")
    forecast.set_defaults(handler=run_forecast)


def _actor(cur, as_user: str | None):
    return participants.actor_by_username(cur, as_user) if as_user else participants.COMMAND_LINE


def _plan(cur, actor, participant_id: str) -> bp.Plan:
    plan = bp.current_plan(cur, actor=actor, participant_id=participant_id)
    if plan is None:
        raise bp.NoPlanYet(None, participant_id=participant_id)
    return plan


def run_create(args: argparse.Namespace) -> int:
    con = open_database(args)
    try:
        cur = con.cursor()
        plan = bp.create_plan(cur, actor=_actor(cur, args.as_user), participant_id=args.participant_id,
                              venture_id=args.venture, idea_id=args.idea)
    finally:
        con.close()
    print(f"Plan {plan.plan_id} for {plan.participant_id}: {plan.name.en} (version {plan.version}). "
          f"Prefilled values are suggestions to check.")
    return 0


def plan_json(plan: bp.Plan, routes: funding.FundingRoutes, lang: str) -> dict:
    forecast = routes.forecast
    return {
        "plan_id": plan.plan_id, "participant_id": plan.participant_id, "venture_id": plan.venture_id,
        "idea_id": plan.idea_id, "venture": plan.name.get(lang), "version": plan.version, "status": plan.status,
        "status_message": translate(plan.status_message[0], lang, **plan.status_message[1]) if plan.status_message else None,
        "content": plan.content.to_dict(),
        "suggestions": sorted(plan.content.suggested),
        "forecast": {
            "start_costs_cents": forecast.start_costs_cents, "funding_cents": forecast.funding_cents,
            "start_cash_cents": forecast.start_cash_cents, "lowest_cash_cents": forecast.lowest_cash_cents,
            "lowest_cash_month": forecast.lowest_cash_month, "first_short_month": forecast.first_short_month,
            "months": [{"month": m.month, "calendar_month": m.calendar_month, "revenue_cents": m.revenue,
                        "costs_cents": m.costs, "profit_cents": m.profit, "available_cents": m.available,
                        "cash_cents": m.cash} for m in forecast.months],
            "warnings": [words(w.key, w.params, lang) for w in forecast.warnings],
        },
        "break_even_month": forecast.break_even_month,
        "living_income": forecast.living_income.to_dict() | {
            "message": " ".join(words(k, p, lang) for k, p in verdict_texts(forecast.living_income))},
        "funding": {"needed_cents": routes.needed_cents, "short_cents": routes.short_cents,
                    "routes": [{"route_id": r.route_id, "qualifies": r.qualifies, "amount_cents": r.amount_cents,
                                "max_cents": r.max_cents,
                                "requirements": {q.key: q.status for q in r.requirements},
                                "checklist": [c.key for c in r.checklist]} for r in routes.routes]},
    }


def run_show(args: argparse.Namespace) -> int:
    con = open_database(args)
    try:
        cur = con.cursor()
        actor = _actor(cur, args.as_user)
        plan = _plan(cur, actor, args.participant_id)
        routes = funding.funding_routes(cur, actor=actor, plan_id=plan.plan_id)
    finally:
        con.close()
    data = plan_json(plan, routes, args.lang)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{plan.participant_id}: {data['venture']} (plan {plan.plan_id}, version {plan.version}, {plan.status})")
    if data["status_message"]:
        print(data["status_message"])
    for key, title, _ in pc.CANVAS_BLOCKS:
        print(f"  {translate(title, args.lang)}: {plan.content.canvas.get(key) or '-'}")
    print(f"Break-even month: {data['break_even_month'] or '-'}")
    print(data["living_income"]["message"])
    for line in data["forecast"]["warnings"]:
        print(f"! {line}")
    return 0


def run_forecast(args: argparse.Namespace) -> int:
    con = open_database(args)
    try:
        cur = con.cursor()
        plan = _plan(cur, _actor(cur, args.as_user), args.participant_id)
        forecast = bp.forecast_of(cur, plan)
    finally:
        con.close()
    args.out.write_bytes(forecast_workbook(plan, forecast, lang=args.lang))
    print(f"Wrote {args.out}: the 24-month forecast of {plan.participant_id} ({plan.name.en}, version {plan.version}).")
    return 0
