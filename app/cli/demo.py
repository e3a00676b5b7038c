"""``proctor-desk demo seed``: a realistic demo session with confirmed incidents."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from app.cli.acting import ACT
from app.cli.errors import CliError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("demo", help="demo data (演示数据)")
    commands = parser.add_subparsers(dest="demo_command", metavar="COMMAND", required=True)
    p_seed = commands.add_parser("seed", help="create a demo session with signed incidents")
    p_seed.add_argument("--candidates", type=int, default=60, metavar="N")
    p_seed.add_argument(
        "--incidents",
        type=int,
        default=None,
        metavar="M",
        help="default: one per candidate clause plus three staff incidents",
    )
    p_seed.add_argument("--json", action="store_true", help="print the result as JSON")
    p_seed.set_defaults(func=_seed, needs_role=ACT)


def _seed(args: argparse.Namespace) -> int:
    from app.cli.progress import progress_line
    from app.core.demo.seed import seed_demo
    from app.core.records.service import Workspace

    if args.candidates < 0 or (args.incidents is not None and args.incidents < 0):
        raise CliError("--candidates and --incidents must be 0 or more")
    if args.incidents and not args.candidates:
        raise CliError("--incidents needs candidates to record them against; give --candidates")
    with Workspace.open(args.data_dir) as ws:
        demo = seed_demo(
            ws,
            candidates=args.candidates,
            incidents=args.incidents,
            progress=progress_line("演示记录 recording"),
            # Dated now: an incident recorded in the demo falls inside a subject's exam time.
            now=dt.datetime.now(dt.UTC),
        )
    if args.json:
        json.dump(
            {
                "session_id": demo.session_id,
                "incidents": demo.incident_ids,
                "candidates": len(demo.candidates),
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        print(
            f"演示考试批次 demo session {demo.session_id}: {len(demo.candidates)} candidates, "
            f"{len(demo.incident_ids)} confirmed incidents"
        )
    return 0
