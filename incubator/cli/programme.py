"""cohort, milestones, record-outcome, overdue and demo: the programme on the command line (acting as
the command line, with a manager's rights, or as an account with --as). Dates are YYYY-MM-DD."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

from incubator.cli.database import open_database
from incubator.core.i18n import LANGUAGES, translate
from incubator.people import participants
from incubator.programme import cohorts, demo, outcomes
from incubator.programme import milestones as ms

YES_NO = {"yes": True, "no": False}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-03-01") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    cohort = subparsers.add_parser("cohort", help="cohorts: create one, add participants, list them")
    commands = cohort.add_subparsers(dest="cohort_command", metavar="ACTION", required=True)
    create = commands.add_parser("create", help="create a cohort")
    create.add_argument("name")
    create.add_argument("--start", required=True, type=_date, metavar="YYYY-MM-DD")
    create.add_argument("--municipality", required=True, metavar="GM0344", help="a CBS municipality code")
    create.add_argument("--programme", required=True, help="the programme it belongs to")
    create.add_argument("--as", dest="as_user", metavar="USERNAME")
    create.set_defaults(handler=run_cohort_create)
    add = commands.add_parser("add", help="add participants to a cohort, by id or from a cohort file")
    add.add_argument("cohort", help="the cohort's number or name")
    add.add_argument("participant_ids", nargs="*", metavar="P-000123")
    add.add_argument("--from-file", type=Path, metavar="FILE", help="import a cohort file and add its participants")
    add.add_argument("--update-matches", action="store_true", help="as for import-profiles")
    add.add_argument("--as", dest="as_user", metavar="USERNAME")
    add.set_defaults(handler=run_cohort_add)
    listing = commands.add_parser("list", help="the cohorts")
    listing.add_argument("--as", dest="as_user", metavar="USERNAME")
    listing.set_defaults(handler=run_cohort_list)

    milestones = subparsers.add_parser("milestones", help="a participant's milestones, each with its status and due date")
    milestones.add_argument("participant_id", metavar="P-000123")
    milestones.add_argument("--json", action="store_true", help="print JSON")
    milestones.add_argument("--instantiate", action="store_true",
                            help="first give the participant the milestones of their chosen venture")
    milestones.add_argument("--start", type=_date, metavar="YYYY-MM-DD",
                            help="count the due dates from this day (default: the cohort's start)")
    milestones.add_argument("--lang", choices=sorted(LANGUAGES), default="en")
    milestones.add_argument("--as", dest="as_user", metavar="USERNAME")
    milestones.set_defaults(handler=run_milestones)

    record = subparsers.add_parser(
        "record-outcome", help="record what became of a participant's chosen venture",
        description="Values not given keep what was recorded before. A date before the participant's intake or "
                    "in the future is refused.")
    record.add_argument("participant_id", metavar="P-000123")
    launch = record.add_mutually_exclusive_group()
    launch.add_argument("--launched", type=_date, metavar="YYYY-MM-DD", help="the KVK registration date")
    launch.add_argument("--not-launched", action="store_true", help="the venture was not launched")
    for months in outcomes.MARKS:
        record.add_argument(f"--running-{months}m", choices=sorted(YES_NO), help=f"still running after {months} months")
    record.add_argument("--jobs-fte", metavar="1.5", help="jobs created, in full-time equivalents")
    record.add_argument("--revenue-band", choices=[b[0] for b in outcomes.REVENUE_BANDS], help="revenue a month")
    record.add_argument("--left-assistance", type=_date, metavar="YYYY-MM-DD", help="the day social assistance ended")
    record.add_argument("--as", dest="as_user", metavar="USERNAME")
    record.set_defaults(handler=run_record_outcome)

    overdue = subparsers.add_parser("overdue", help="open milestones past their due date")
    overdue.add_argument("--mentor", metavar="USERNAME", help="one mentor's participants only")
    overdue.add_argument("--json", action="store_true")
    overdue.add_argument("--lang", choices=sorted(LANGUAGES), default="en")
    overdue.add_argument("--as", dest="as_user", metavar="USERNAME")
    overdue.set_defaults(handler=run_overdue)

    make = subparsers.add_parser(
        "demo", help="make a synthetic demo workspace to rehearse with (labelled synthetic everywhere)",
        description="Mentors, cohorts across municipalities, people with profiles, chosen ventures and plans, "
                    "milestones in every status, sessions, notes and outcomes, all synthetic. Use a separate "
                    "database file (--db demo.duckdb): the demo's outcomes never train the model.")
    make.add_argument("--participants", type=int, required=True, metavar="N")
    make.add_argument("--seed", type=int, default=1, metavar="S")
    make.add_argument("--mentor", metavar="USERNAME", help="an existing mentor who gets the first cohort")
    make.add_argument("--models-dir", help="where the model is (default: models/)")
    make.set_defaults(handler=run_demo)


def _actor(cur, as_user: str | None):
    return participants.actor_by_username(cur, as_user) if as_user else participants.COMMAND_LINE


def _cohort_id(cur, actor, text: str) -> int:
    for cohort in cohorts.list_cohorts(cur, actor=actor):
        if str(cohort.cohort_id) == text or cohort.name.lower() == text.strip().lower():
            return cohort.cohort_id
    raise cohorts.CohortNotFound()


def run_cohort_create(args: argparse.Namespace) -> int:
    con = open_database(args)
    try:
        cur = con.cursor()
        cohort = cohorts.create_cohort(cur, actor=_actor(cur, args.as_user), name=args.name, start_on=args.start,
                                       municipality=args.municipality, programme=args.programme)
    finally:
        con.close()
    print(f"Cohort {cohort.cohort_id}: {cohort.name}, starts {cohort.start_on.isoformat()} in "
          f"{cohort.municipality_name or cohort.municipality}.")
    return 0


def run_cohort_add(args: argparse.Namespace) -> int:
    if not args.participant_ids and args.from_file is None:
        print("error: name participants or give --from-file.", file=sys.stderr)
        return 2
    con = open_database(args)
    try:
        cur = con.cursor()
        actor = _actor(cur, args.as_user)
        cohort_id = _cohort_id(cur, actor, args.cohort)
        added = 0
        if args.participant_ids:
            added += cohorts.add_participants(cur, actor=actor, cohort_id=cohort_id, participant_ids=args.participant_ids)
        if args.from_file is not None:
            imported = cohorts.add_from_import(cur, actor=actor, cohort_id=cohort_id, file_name=args.from_file.name,
                                               content=args.from_file.read_bytes(), update_matches=args.update_matches)
            added += imported.added
            if imported.elsewhere:
                print(f"In another cohort already (left there): {', '.join(imported.elsewhere)}.")
    finally:
        con.close()
    print(f"Added {added} participants to cohort {cohort_id}.")
    return 0


def run_cohort_list(args: argparse.Namespace) -> int:
    con = open_database(args)
    try:
        cur = con.cursor()
        found = cohorts.list_cohorts(cur, actor=_actor(cur, args.as_user))
    finally:
        con.close()
    for c in found:
        label = "\tsynthetic" if c.synthetic else ""
        print(f"{c.cohort_id}\t{c.name}\t{c.start_on.isoformat()}\t{c.municipality}\t{c.members} participants{label}")
    return 0


def milestone_json(m: ms.Milestone, lang: str, today: dt.date) -> dict:
    return {
        "milestone_id": m.milestone_id, "template_key": m.template_key, "title": m.title_in(lang),
        "status": m.status, "status_label": translate(ms.STATUSES[m.status], lang), "due_on": m.due_on.isoformat(),
        "overdue": ms.is_overdue(m, today=today), "owner": m.owner, "reason": m.reason, "evidence": m.evidence,
        "completed_on": m.completed_on.isoformat() if m.completed_on else None, "plan_section": m.plan_section,
        "checklist_keys": list(m.checklist_keys), "version": m.version, "synthetic": m.synthetic,
    }


def run_milestones(args: argparse.Namespace) -> int:
    today = dt.date.today()
    con = open_database(args)
    try:
        cur = con.cursor()
        actor = _actor(cur, args.as_user)
        if args.instantiate:
            found = ms.instantiate(cur, actor=actor, participant_id=args.participant_id, start_on=args.start)
        else:
            found = ms.milestones_of(cur, actor=actor, participant_id=args.participant_id)
    finally:
        con.close()
    data = [milestone_json(m, args.lang, today) for m in found]
    if args.json:
        print(json.dumps({"participant_id": args.participant_id, "synthetic": any(m.synthetic for m in found),
                          "milestones": data}, ensure_ascii=False, indent=2))
        return 0
    if any(m.synthetic for m in found):
        print("Synthetic demo data.")
    for item in data:
        late = " (overdue)" if item["overdue"] else ""
        print(f"{item['due_on']}  {item['status_label']:<12} {item['title']}{late}")
    if not data:
        print(f"{args.participant_id} has no milestones yet (give them with --instantiate).")
    return 0


def run_record_outcome(args: argparse.Namespace) -> int:
    running = {f"running_{m}m": YES_NO.get(getattr(args, f"running_{m}m")) for m in outcomes.MARKS}
    con = open_database(args)
    try:
        cur = con.cursor()
        outcome = outcomes.record_outcome(
            cur, actor=_actor(cur, args.as_user), participant_id=args.participant_id, today=dt.date.today(),
            launched_on=args.launched, not_launched=args.not_launched, jobs_fte=args.jobs_fte,
            revenue_band=args.revenue_band, left_assistance_on=args.left_assistance, **running)
    finally:
        con.close()
    launched = outcome.launched_on.isoformat() if outcome.launched_on else "not launched"
    marks = ", ".join(f"{m} months: {'-' if v is None else 'yes' if v else 'no'}" for m, v in
                      zip(outcomes.MARKS, (outcome.running_6m, outcome.running_12m, outcome.running_24m), strict=True))
    print(f"Outcome of {outcome.participant_id}: {launched}; running at {marks}.")
    return 0


def run_overdue(args: argparse.Namespace) -> int:
    today = dt.date.today()
    con = open_database(args)
    try:
        cur = con.cursor()
        actor = _actor(cur, args.as_user)
        mentor = participants.actor_by_username(cur, args.mentor).user_id if args.mentor else None
        found = ms.overdue(cur, actor=actor, today=today, mentor_user_id=mentor)
    finally:
        con.close()
    rows = [{"participant_id": o.milestone.participant_id, "synthetic": o.synthetic, "days_late": o.days_late,
             "mentors": list(o.mentors), **milestone_json(o.milestone, args.lang, today)} for o in found]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(f"{row['participant_id']}  {row['days_late']:>4} days late  {row['title']}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from incubator.suggestions import model as mm

    started = time.perf_counter()
    con = open_database(args)
    try:
        cur = con.cursor()
        model = mm.load(args.models_dir or mm.MODELS_DIR)
        made = demo.create_workspace(cur, participants=args.participants, seed=args.seed, today=dt.date.today(),
                                     model=model, mentor_username=args.mentor)
    finally:
        con.close()
    print(f"Made a SYNTHETIC demo workspace in {time.perf_counter() - started:.1f} s: {made.participants} people in "
          f"{made.cohorts} cohorts, {made.mentors} mentors, {made.stakeholders} stakeholders, {made.milestones} milestones, "
          f"{made.sessions} sessions, {made.notes} notes, {made.outcomes} outcomes. Everything in it is made up.")
    print("The demo accounts have no password. To rehearse, sign in as your own mentor account given with --mentor, "
          "or set a password for one of them on the Accounts page.")
    return 0
