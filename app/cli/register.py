"""``proctor-desk register``: the register of barred candidates (``docs/register.md``).

``register list [--active-on D]`` lists the bans in force on D (default: today);
``register screen ROSTER`` screens a roster file (.xlsx or .csv) and prints its barred rows
only; ``register screen --session ID`` the session's candidates as the institution holds them
(after an import, those added on site too). A reviewer may look. Rows the roster cannot give
are reported as roster import reports them and the rest are screened (exit 0, barred or not);
a file that cannot be read at all is one line, exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from app.cli.acting import LOOK, record
from app.cli.errors import CliError


def _day(value: str) -> dt.date:
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"'{value}' is no date; give YYYY-MM-DD")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "register", help="the register of barred candidates: list it, screen a roster against it"
    )
    commands = parser.add_subparsers(dest="register_command", metavar="COMMAND", required=True)

    p_list = commands.add_parser("list", help="the bans in force on a day (default: today)")
    p_list.add_argument("--active-on", type=_day, metavar="YYYY-MM-DD", help="default: today")
    p_list.add_argument("--json", action="store_true", help="print JSON")
    p_list.set_defaults(func=_list, needs_role=LOOK)

    p_screen = commands.add_parser(
        "screen", help="the barred rows of a roster file, or of a session's candidates"
    )
    p_screen.add_argument("roster", nargs="?", metavar="ROSTER", help="a roster (.xlsx or .csv)")
    p_screen.add_argument(
        "--session", metavar="ID", help="screen the session's candidates instead (its sitting)"
    )
    p_screen.add_argument("--on", type=_day, metavar="YYYY-MM-DD", help="default: today")
    p_screen.add_argument("--json", action="store_true", help="print JSON")
    p_screen.set_defaults(func=_screen, needs_role=LOOK)


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _list(args: argparse.Namespace) -> int:
    from app.core.records.service import Workspace
    from app.core.register import service
    from app.core.rosters.idcard import mask_id_number

    account = getattr(args, "account", None)
    on = args.active_on or service.today()
    with Workspace.open(args.data_dir) as workspace:
        entries = service.list_active(workspace, account, on)
        record(workspace, account, "register_list", {"on": on.isoformat(), "count": len(entries)})
    if args.json:
        _print_json(entries)
        return 0
    if not entries:
        print(f"no ban in force on {on}")
        return 0
    for e in entries:
        print(
            f"{e['name']}  {mask_id_number(e['id_number'])}  {e['clause']}  "
            f"{e['first_day']} – {e['last_day']}  case {e['case_id'][:8]}"
        )
    return 0


def _screen(args: argparse.Namespace) -> int:
    from app.core.records.service import Workspace
    from app.core.register import service

    if (args.roster is None) == (args.session is None):
        raise CliError("give a roster file, or --session ID (one of them)")
    if args.session is not None and args.on is not None:
        raise CliError("--on goes with a roster: a session is screened for its own sitting")
    account = getattr(args, "account", None)
    with Workspace.open(args.data_dir) as workspace:
        if args.session is not None:
            barred = service.screen_session(workspace, account, args.session)
            record(workspace, account, "register_screen", {"session": args.session})
            return _show(args, barred)
        on = args.on or service.today()
        # An unreadable file raises RosterError: one line, exit 2.
        result = service.screen_roster(workspace, account, Path(args.roster), on)
        record(
            workspace,
            account,
            "register_screen",
            {"file": Path(args.roster).name, "on": on.isoformat(), "rows": result.screened},
        )
    if result.problems:
        # As roster import says them: every problem on its own line; those rows unscreened.
        lines = [
            f"proctor-desk: 名单 {args.roster} 有 {len(result.problems)} 处问题，这些行未核查 "
            f"(roster {args.roster}: {len(result.problems)} problem(s); those rows were not "
            "screened):"
        ]
        lines.extend(f"  {problem}" for problem in result.problems)
        sys.stderr.write("\n".join(lines) + "\n")
    return _show(args, result.barred)


def _show(args: argparse.Namespace, barred: list[dict[str, Any]]) -> int:
    from app.core.rosters.idcard import mask_id_number

    if args.json:
        _print_json(barred)
        return 0
    if not barred:
        print("no barred candidate")
        return 0
    for b in barred:
        where = f"row {b['row']}" if "row" in b else ("added on site" if b["added_on_site"] else "")
        mismatch = "  (name differs from the register's)" if b["name_mismatch"] else ""
        print(
            f"{where}  {b['name']}  {mask_id_number(b['id_number'])}  {b['clause']}  "
            f"barred to {b['last_day']}  case {b['case_id'][:8]}{mismatch}"
        )
    return 0
