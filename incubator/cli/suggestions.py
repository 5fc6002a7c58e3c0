"""train, suggest and score-cohort: the suggestion model on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from incubator.cli.database import open_database
from incubator.core.errors import ImportRejected
from incubator.core.i18n import LANGUAGES, N_, translate

# The model and its libraries load only when one of these commands runs: other commands start fast.
UNREADABLE_PROFILE = N_("The profile file {file} cannot be read: {reason}")
LEFT_OUT = N_("Fewer ventures are shown: the other ventures open to you do not match your skills and work experience.")
RULED_OUT = N_("Ventures that fit you, and what stands in the way")
LABEL = "Synthetic-model estimates"
ABOUT = ("Estimates from a model trained on synthetic data until the programme's own outcomes replace it. "
         "Material for a conversation with a mentor, never a verdict.")


def register(subparsers: argparse._SubParsersAction) -> None:
    train = subparsers.add_parser("train", help="train the suggestion model and write it with its card into models/")
    train.add_argument("--from-outcomes", action="store_true",
                       help="retrain on the programme's recorded outcomes (needs at least 200)")
    train.add_argument("--rows", type=int, help="synthetic participants to train on (default 30,000)")
    train.add_argument("--seed", type=int, help="seed of the synthetic generator")
    train.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    train.add_argument("--models-dir", help="where the model and its card go (default: models/)")
    train.set_defaults(handler=run_train)

    suggest = subparsers.add_parser("suggest", help="rank the ventures for one profile (exchange-format JSON)")
    suggest.add_argument("profile", metavar="PROFILE.json")
    suggest.add_argument("--municipality", help="a CBS GM code, e.g. GM0344 (default: the profile's own)")
    suggest.add_argument("--top", type=int, default=5)
    suggest.add_argument("--json", action="store_true",
                         help="print a JSON list: the suggestions, then the ventures constraints rule out")
    suggest.add_argument("--lang", choices=sorted(LANGUAGES), default="en", help="language of names and reasons")
    suggest.add_argument("--models-dir", help="where the model is (default: models/)")
    suggest.set_defaults(handler=run_suggest)

    cohort = subparsers.add_parser("score-cohort", help="score many profiles (JSON, CSV or Excel) into an Excel file")
    cohort.add_argument("input", metavar="IN")
    cohort.add_argument("--out", required=True, metavar="OUT.xlsx")
    cohort.add_argument("--top", type=int, default=5)
    cohort.add_argument("--with-names", action="store_true", help="also write display names and municipalities")
    cohort.add_argument("--lang", choices=sorted(LANGUAGES), default="en")
    cohort.add_argument("--models-dir", help="where the model is (default: models/)")
    cohort.set_defaults(handler=run_score_cohort)


def run_train(args: argparse.Namespace) -> int:
    from incubator.market.arrays import load_market
    from incubator.suggestions import choices as suggestions
    from incubator.suggestions import model as mm

    models_dir = args.models_dir or mm.MODELS_DIR
    con = open_database(args)
    try:
        cur = con.cursor()
        try:
            previous = mm.load(models_dir)
        except mm.ModelNotTrained:
            previous = None
        if args.from_outcomes:
            x, y = suggestions.outcome_training_data(cur)
            trained = mm.train_on_outcomes(x, y, previous=previous, folds=args.folds)
        else:
            trained = mm.train_synthetic(load_market(cur), rows=args.rows or mm.TRAINING_ROWS,
                                         seed=mm.TRAINING_SEED if args.seed is None else args.seed, folds=args.folds,
                                         previous=previous)
    finally:
        con.close()
    path = mm.save(trained, models_dir)
    for name, result in trained.card["candidates"].items():
        print(f"{name:20s} ROC AUC {result['roc_auc']:.3f} ± {result['roc_auc_sd']:.3f}   "
              f"Brier {result['brier']:.4f} ± {result['brier_sd']:.4f}   monotonic {'yes' if result['monotonic'] else 'no'}")
    if "calibration_report" in trained.card["training_data"]:
        for row in trained.card["training_data"]["calibration_report"]:
            print(f"  {row['target']:58s} target {100 * row['expected']:5.1f}%  generated "
                  f"{100 * row['generated']:5.1f}%  ({row['difference_pp']:+.2f} pp)")
    print(f"Chosen: {trained.card['chosen']}. Wrote {path} and its model card.")
    return 0


def _read_profile(path: str):
    from incubator.people.profile import Profile

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        return Profile.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ImportRejected(UNREADABLE_PROFILE, file=path, reason=str(exc) or type(exc).__name__) from None


def suggestion_json(item, lang: str) -> dict:
    """One suggestion (incubator.suggestions.ranking.Suggestion) as JSON for the command line."""
    return {
        "venture_id": item.venture_id, "name": item.name.get(lang), "family": item.family, "isco": item.isco,
        "sbi2008": item.sbi2008, "sbi2025": item.sbi2025, "score": round(item.score, 4),
        "reasons": [r.message.text(lang) for r in item.reasons],
        "reason_keys": [{"key": r.message.key, "params": r.message.params_for(lang), "feature": r.feature,
                         "contribution": round(r.contribution, 4)} for r in item.reasons],
        "improvements": [i.message.text(lang) for i in item.improvements],
        "licences": [lic["licence_id"] for lic in item.licences],
        "funding": [{"route_id": f["route_id"], "amount_eur": f["amount_eur"], "eligible": f["eligible"]} for f in item.funding],
        "estimate": LABEL.lower(), "status": "suggested",
    }


def ruled_out_json(item, lang: str) -> dict:
    """A venture the person's constraints rule out (incubator.suggestions.ranking.RuledOut) as JSON."""
    return {
        "venture_id": item.venture_id, "name": item.name.get(lang), "family": item.family, "status": "ruled_out",
        "fit": round(item.fit, 4), "score_opened": round(item.score_opened, 4), "estimate": LABEL.lower(),
        "barriers": [{"kind": b.kind, "text": b.message.text(lang), "openings": [o.text(lang) for o in b.openings]}
                     for b in item.barriers],
    }


def run_suggest(args: argparse.Namespace) -> int:
    from incubator.market.arrays import load_market
    from incubator.suggestions import model as mm
    from incubator.suggestions import ranking as scoring

    profile = _read_profile(args.profile)
    con = open_database(args)
    try:
        market = load_market(con.cursor())
    finally:
        con.close()
    trained = mm.load(args.models_dir or mm.MODELS_DIR)
    ranking = scoring.rank(profile, market, trained, municipality=args.municipality, top=args.top)
    found = ranking.suggestions
    if args.json:
        print(json.dumps([suggestion_json(s, args.lang) for s in found] + [ruled_out_json(r, args.lang) for r in
                                                                           ranking.ruled_out], ensure_ascii=False, indent=2))
        return 0
    print(f"{LABEL} for {profile.id} ({args.municipality or profile.municipality or 'NL'}). {ABOUT}")
    for rank, item in enumerate(found, 1):
        print(f"{rank}. {item.name.get(args.lang)} [{item.family}, ISCO {item.isco}]: {100 * item.score:.0f}%")
        for reason in item.reasons:
            print(f"     {'+' if reason.helps else '-'} {reason.message.text(args.lang)}")
        for better in item.improvements:
            print(f"     > {better.message.text(args.lang)}")
    if ranking.unrelated_left_out:
        print(translate(LEFT_OUT, args.lang))
    if ranking.ruled_out:
        print(translate(RULED_OUT, args.lang))
    for item in ranking.ruled_out:
        print(f"x {item.name.get(args.lang)} [{item.family}]")
        for barrier in item.barriers:
            print(f"     - {barrier.message.text(args.lang)}")
            for opening in barrier.openings:
                print(f"     > {opening.text(args.lang)}")
    return 0


def read_profiles(cur, file_name: str, content: bytes):
    """Profiles from a JSON, CSV or Excel file in the exchange format (read and checked like an
    import) as typed tables, no Profile objects: (ProfileTables, their base rows, problem lines).
    Rows with a problem are left out and named in the returned lines."""
    from incubator.people.checks import Codes, check_frames
    from incubator.people.files import read_frames
    from incubator.suggestions.stored import tables_from_checked

    frames, problems, rows, _ = read_frames(file_name, content)
    if frames is None:
        raise ImportRejected(problems[0].message, **problems[0].params) if problems else ImportRejected()
    typed, found = check_frames(frames, Codes.load(cur))
    problems += found
    bad = {p.row for p in problems}
    tables, base = tables_from_checked(typed.base, typed.skills, typed.languages, typed.experience,
                                       [r for r in rows if r not in bad])
    lines = [f"row {p.row}, column {p.column}: {p.english()}" for p in sorted(problems, key=lambda p: (p.row, p.column))]
    return tables, base, lines


def run_score_cohort(args: argparse.Namespace) -> int:
    import pandas as pd

    from incubator.core import excel
    from incubator.market.arrays import load_market
    from incubator.market.taxonomy import FAMILY_LABELS
    from incubator.suggestions import bulk
    from incubator.suggestions import features as fx
    from incubator.suggestions import model as mm

    content = Path(args.input).read_bytes()
    con = open_database(args)
    try:
        cur = con.cursor()
        tables, base, problems = read_profiles(cur, Path(args.input).name, content)
        market = load_market(cur)
    finally:
        con.close()
    for line in problems:
        print(f"skipped: {line}", file=sys.stderr)
    model = mm.load(args.models_dir or mm.MODELS_DIR)
    people = fx.people_from_tables(tables, market)  # straight from the checked columns
    scored = bulk.score_people(model, market, people, top=args.top)  # the cohort way: chunked, no full sorts
    ranked = [scored.picks(i) for i in range(len(tables.ids))]
    rows = []
    names = base["display_name"].astype(object).where(base["display_name"].notna(), None).tolist()
    places = base["municipality"].astype(object).where(base["municipality"].notna(), None).tolist()
    for profile_id, name, place, tops in zip(tables.ids, names, places, ranked, strict=True):
        for rank, (v, score) in enumerate(tops, 1):
            row = {"profile_id": profile_id}
            if args.with_names:
                row |= {"display_name": name, "municipality": place}
            row |= {"rank": rank, "venture_id": market.venture_ids[v], "venture": market.names[args.lang][v],
                    "family": translate(FAMILY_LABELS[str(market.family[v])], args.lang), "isco": f"{int(market.isco[v]):04d}",
                    f"score ({LABEL.lower()})": round(score, 4)}
            rows.append(row)
    about = pd.DataFrame({"item": ["what", "model", "trained on", "profiles scored", "rows skipped"],
                          "value": [f"{LABEL}. {ABOUT}", model.version, model.card.get("training_data", {}).get("source"),
                                    len(tables.ids), len(problems)]})
    Path(args.out).write_bytes(excel.write_workbook([
        excel.SheetSpec(LABEL, pd.DataFrame(rows)), excel.SheetSpec("About", about, width=60)]))
    print(f"Scored {len(tables.ids)} profiles ({len(problems)} problems in skipped rows); wrote {args.out}. {LABEL}.")
    return 0
