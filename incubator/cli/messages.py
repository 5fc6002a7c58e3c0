"""messages: how far each language's catalogues are (messages, drafts nobody has reviewed, missing),
the messages a catalogue lacks, and the review round trip for translators who do not use gettext."""

from __future__ import annotations

import argparse
from pathlib import Path

from incubator.core import catalogue_files, translation_review
from incubator.core.i18n import LANGUAGES, translate
from incubator.core.messages_in_code import missing_translations

ROOT = Path(__file__).resolve().parents[2]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "messages", help="count each language's messages and unreviewed drafts; export or import a review workbook")
    parser.add_argument("--root", default=str(ROOT), help="the project folder")
    parser.add_argument("--export-review", metavar="FILE.xlsx",
                        help="write one language's messages for review (the language from --language or the file name, e.g. ti.xlsx)")
    parser.add_argument("--import-review", metavar="FILE.xlsx", help="apply a filled-in review workbook")
    parser.add_argument("--language", choices=sorted(LANGUAGES), help="the language to export")
    parser.add_argument("--reviewer", default="", help="the reviewer's name, noted in the catalogue's header (optional)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    locales = root / "incubator" / "locales"
    if args.export_review:
        target = Path(args.export_review)
        lang = args.language or target.stem
        target.write_bytes(translation_review.export_review(lang, root=root, locales_dir=locales))
        print(f"{target}: the {LANGUAGES.get(lang, lang)} messages for review")
        return 0
    if args.import_review:
        try:
            result = translation_review.import_review(Path(args.import_review).read_bytes(), reviewer=args.reviewer,
                                                      locales_dir=locales)
        except translation_review.ReviewRefused as refused:
            print(refused.english())
            for key, params in refused.problems[: translation_review.MAX_LISTED]:
                print("  " + translate(key, "en", **params))
            if len(refused.problems) > translation_review.MAX_LISTED:
                print(f"  ... and {len(refused.problems) - translation_review.MAX_LISTED} more")
            return 1
        print(f"{result.language}: {result.corrected} corrected, {result.confirmed} confirmed, "
              f"{result.still_fuzzy} still to review ({', '.join(result.parts) or 'no file changed'})")
        return 0
    print("language\tmessages\ttranslated\tunreviewed (fuzzy)\tmissing\tdrafted by")
    for lang in LANGUAGES:
        status = catalogue_files.status(lang, locales)
        print(f"{lang}\t{status.messages}\t{status.translated}\t{status.fuzzy}\t{status.missing}\t{status.drafted_by or '-'}")
    missing = missing_translations(root)
    for lang, messages in missing.items():
        for message, where in messages.items():
            print(f"{lang}\t{where}\t{message}")
    return 1 if any(missing.values()) else 0
