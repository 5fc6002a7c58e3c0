"""seed: validate data/*.csv and load the market-opportunity dataset into the database."""

from __future__ import annotations

import argparse

from incubator.cli.database import open_database
from incubator.market import seed


def register(subparsers: argparse._SubParsersAction) -> None:
    command = subparsers.add_parser(
        "seed", help="validate the market data files and load them (all or nothing; safe to repeat)"
    )
    command.add_argument("--data-dir", default=str(seed.DATA_DIR), help="folder with the CSV files (default: data/)")
    command.set_defaults(handler=run_seed)


def run_seed(args: argparse.Namespace) -> int:
    con = open_database(args)
    try:
        result = seed.load_market_data(con.cursor(), args.data_dir)
    finally:
        con.close()
    print(f"Loaded the market data into {args.db}: version {result.version[:12]}, "
          f"{result.rows['ventures']} ventures, {sum(result.rows.values())} rows in {len(result.rows)} tables.")
    return 0
