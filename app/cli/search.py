"""``proctor-desk search TEXT``: people, records and cases across every session
(``docs/search-and-stats.md``). A reviewer may search; a search for what could be an ID number
is audited with the account."""

from __future__ import annotations

import argparse
import json
import sys

from app.cli.acting import LOOK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "search",
        help="find people (name by prefix, ID number, ticket), records and cases in every session",
    )
    parser.add_argument("text", metavar="TEXT", help="a name's first characters, or a number")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=_search, needs_role=LOOK)


def _search(args: argparse.Namespace) -> int:
    from app.core.records.service import Workspace
    from app.core.search import search

    # Opened to write: a search for an ID number leaves an audit entry.
    with Workspace.open(args.data_dir) as workspace:
        hits = search(workspace, getattr(args, "account", None), args.text)
    if args.json:
        json.dump([h.as_json() for h in hits], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not hits:
        print("nothing found")
        return 0
    for hit in hits:
        print(f"{hit.type:<8} {hit.id[:8]}  {hit.label}")
    return 0
