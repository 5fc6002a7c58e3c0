"""messages: list the user-visible messages that a catalogue lacks (for translators and developers)."""

from __future__ import annotations

import argparse
from pathlib import Path

from incubator.core.messages_in_code import missing_translations


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("messages", help="list messages that lack a translation, per language")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[2]), help="the project folder")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    missing = missing_translations(Path(args.root))
    for lang, messages in missing.items():
        for message, where in messages.items():
            print(f"{lang}\t{where}\t{message}")
    return 1 if any(missing.values()) else 0
