"""``proctor-desk stats``: counts of the records in force (or of the decided cases) by article
and clause, party, site, occupation and level, evaluation type and month, as a table, JSON or
an XLSX with the incident register (``docs/search-and-stats.md``). A reviewer may run it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from app.cli.acting import LOOK


def _day(value: str) -> dt.date:
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"'{value}' is no date; give YYYY-MM-DD")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "stats", help="counts by article, party, site, trade, evaluation type and month; XLSX"
    )
    parser.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD")
    parser.add_argument(
        "--by",
        choices=("incident", "decision"),
        default="incident",
        help="records in force by incident date (default), or decided cases by decision date",
    )
    parser.add_argument(
        "--xlsx", metavar="FILE", help="also write a new XLSX: a sheet per count and the register"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=_stats, needs_role=LOOK)


TITLES = {
    "article": "By article",
    "clause": "By clause",
    "party": "By party",
    "site": "By site",
    "occupation_level": "By occupation and level",
    "evaluation_type": "By evaluation type",
    "month": "By month",
    "filed_occupation": "By filed occupation (-: nothing filed, or outside the filing)",
}


def _stats(args: argparse.Namespace) -> int:
    from app.cli.workspace import open_existing
    from app.core.stats import export_workbook, statistics

    workspace = open_existing(args.data_dir)
    with workspace:
        if args.xlsx:
            stats = export_workbook(
                workspace, Path(args.xlsx), args.by, args.date_from, args.date_to
            )
        else:
            stats = statistics(workspace, args.by, args.date_from, args.date_to)
    if args.json:
        json.dump(stats.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    what = "records in force" if stats.by == "incident" else "decided cases"
    span = f"{stats.date_from or '…'} to {stats.date_to or '…'}"
    print(f"{stats.total} {what}, {span}")
    for name, rows in stats.breakdowns.items():
        print(f"\n{TITLES[name]}")
        width = max((len(key) for key, _ in rows), default=0)
        for key, count in rows:
            print(f"  {key:<{width}}  {count:>7}")
    if args.xlsx:
        print(f"\nwritten: {args.xlsx}")
    return 0
