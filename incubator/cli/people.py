"""import-profiles, export-profiles, assign-mentor, profile-schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from incubator.cli.database import open_database
from incubator.core.access import Actor
from incubator.core.i18n import translate
from incubator.people import files, importing, participants, snapshots
from incubator.people.profile import schema_text


def register(subparsers: argparse._SubParsersAction) -> None:
    importer = subparsers.add_parser(
        "import-profiles",
        help="import a cohort: a JSON list in the exchange format, or the Excel/CSV template",
        description="Nothing is saved unless every row is valid (or --valid-only is given); the "
        "problems are listed per row and column, and the command then exits with status 1.",
    )
    importer.add_argument("file", type=Path)
    importer.add_argument("--dry-run", action="store_true", help="check the file and save nothing")
    importer.add_argument("--valid-only", action="store_true", help="save the valid rows and skip the others")
    importer.add_argument("--update-matches", action="store_true",
                          help="update the participants whose external_ref the file names (an earlier import "
                          "of the same file); without it such a file is not imported")
    importer.add_argument("--as", dest="as_user", metavar="USERNAME",
                          help="act as this account (default: the command line, with a manager's rights)")
    importer.set_defaults(handler=run_import)

    exporter = subparsers.add_parser("export-profiles", help="write the latest profiles in the exchange format")
    exporter.add_argument("--out", required=True, type=Path, help="FILE.json, FILE.xlsx or FILE.csv")
    exporter.add_argument("--with-names", action="store_true", help="include display names (left out by default)")
    exporter.add_argument("--as", dest="as_user", metavar="USERNAME")
    exporter.set_defaults(handler=run_export)

    assign = subparsers.add_parser("assign-mentor", help="give a participant a mentor")
    assign.add_argument("participant_id")
    assign.add_argument("mentor", help="the mentor's user name")
    assign.set_defaults(handler=run_assign)

    schema = subparsers.add_parser("profile-schema", help="print the JSON Schema of the exchange format")
    schema.set_defaults(handler=run_schema)


def _actor(cur, as_user: str | None) -> Actor:
    return participants.actor_by_username(cur, as_user) if as_user else participants.COMMAND_LINE


def run_import(args: argparse.Namespace) -> int:
    cur = open_database(args).cursor()
    actor = _actor(cur, args.as_user)
    if not args.file.is_file():
        print(f"error: the file {args.file} does not exist.", file=sys.stderr)
        return 2
    content = args.file.read_bytes()
    if args.dry_run:
        preview = importing.preview_import(cur, actor=actor, file_name=args.file.name, content=content)
        for line in preview.english_lines():
            print(line, file=sys.stderr)
        _print_notes(preview)
        print(f"{len(preview.rows)} rows: {len(preview.profiles)} valid ({preview.new_count} new, "
              f"{preview.update_count} existing), {len(preview.bad_rows)} with problems. Nothing was saved.")
        return 0 if preview.is_valid else 1
    try:
        result = importing.import_profiles(
            cur, actor=actor, file_name=args.file.name, content=content, valid_only=args.valid_only,
            update_matches=args.update_matches,
        )
    except importing.ProfilesRejected as exc:
        for line in exc.preview.english_lines():
            print(line, file=sys.stderr)
        print(f"error: {exc.english()}", file=sys.stderr)
        return 1
    print(f"Imported {len(result.created) + len(result.updated)} profiles: {len(result.created)} new participants, "
          f"{len(result.updated)} new snapshots of existing ones.")
    if result.skipped_rows:
        print(f"Skipped rows with problems: {', '.join(map(str, result.skipped_rows))}.")
    return 0


def _print_notes(preview: importing.ImportPreview) -> None:
    """How a CSV file was read, the rows that update participants found by external_ref, and the
    rows that look like people already here."""
    if preview.read_as:
        print(translate(preview.read_as[0], "en", **preview.read_as[1]))
    if preview.matched_count:
        print(f"{preview.matched_count} rows update participants found by their external_ref "
              "(import with --update-matches to save them).")
    for p in preview.warnings:
        print(f"warning: row {p.row}: {translate(p.message, 'en', **p.params)}")


def run_export(args: argparse.Namespace) -> int:
    cur = open_database(args).cursor()
    exported = snapshots.export_profiles(cur, actor=_actor(cur, args.as_user), pseudonymise=not args.with_names)
    suffix = args.out.suffix.lower()
    writer = {".xlsx": files.export_workbook, ".csv": files.export_csv}.get(
        suffix, files.export_json
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(writer(exported))
    print(f"Wrote {len(exported)} profiles to {args.out}.")
    return 0


def run_assign(args: argparse.Namespace) -> int:
    cur = open_database(args).cursor()
    mentor = participants.actor_by_username(cur, args.mentor)
    participants.assign_mentor(cur, actor=participants.COMMAND_LINE, participant_id=args.participant_id,
                               mentor_user_id=mentor.user_id)
    print(f"{mentor.username} now mentors {args.participant_id}.")
    return 0


def run_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return 0
