"""``proctor-desk roster``: blank roster templates, and importing a session's rosters.

Import is all-or-nothing: the file is parsed and checked in full, then checked against what the
session already holds, and only then committed. Any problem: exit 2, every problem on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.cli.acting import ACT, acting, record
from app.cli.errors import CliError

KINDS = ("candidates", "staff")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "roster", help="candidate and staff rosters: templates and import (考生与工作人员名单)"
    )
    commands = parser.add_subparsers(dest="roster_command", metavar="COMMAND", required=True)

    p_template = commands.add_parser(
        "template", help="write a blank roster to fill in (.xlsx with instructions, or .csv)"
    )
    p_template.add_argument("--kind", choices=KINDS, required=True, help="which roster")
    p_template.add_argument(
        "--out", required=True, metavar="FILE", help="where to write it; .xlsx or .csv"
    )
    p_template.set_defaults(func=_template)

    p_import = commands.add_parser(
        "import", help="check a roster file and add all its rows to a session, or none"
    )
    p_import.add_argument(
        "--session", required=True, metavar="ID", help="session id (or a unique start of it)"
    )
    source = p_import.add_mutually_exclusive_group(required=True)
    source.add_argument("--candidates", metavar="FILE", help="candidate roster (.xlsx or .csv)")
    source.add_argument("--staff", metavar="FILE", help="staff roster (.xlsx or .csv)")
    p_import.add_argument("--json", action="store_true", help="print the result as JSON")
    p_import.set_defaults(func=_import)


def _template(args: argparse.Namespace) -> int:
    from app.core.rosters.template import write_template

    path = write_template(args.kind, Path(args.out))  # never over an existing file
    what = "考生名单" if args.kind == "candidates" else "工作人员名单"
    print(f"已写入空白{what}模板 {path} (wrote a blank {args.kind} roster template to {path})")
    return 0


def _import(args: argparse.Namespace) -> int:
    from app.core.records.people import RosterImportError
    from app.core.records.service import Workspace
    from app.core.rosters.parse import parse_candidates, parse_staff
    from app.core.rosters.problems import RosterError

    kind = "candidates" if args.candidates else "staff"
    path = Path(args.candidates or args.staff)
    account = acting(args, ACT)
    with Workspace.open(args.data_dir) as workspace:
        session_id = workspace.resolve_session_id(args.session)
        try:
            if kind == "candidates":
                candidates = parse_candidates(path, workspace.rooms(session_id))
                _refuse_empty(path, len(candidates))
                count = workspace.import_candidates(session_id, candidates)
            else:
                staff = parse_staff(path)
                _refuse_empty(path, len(staff))
                count = workspace.import_staff(session_id, staff)
        except (RosterError, RosterImportError) as exc:
            # Every problem on its own line, so the site can work down the list.
            sys.stderr.write(f"proctor-desk: error: {exc}\n")
            return 2
        record(
            workspace, account, "import_roster", {"kind": kind, "rows": count},
            session_id=session_id,
        )  # fmt: skip
    _report(args, kind, path, session_id, count)
    return 0


def _refuse_empty(path: Path, count: int) -> None:
    if count == 0:
        raise CliError(
            f"名单 {path} 只有表头，没有任何人员，未导入 "
            f"(roster {path} has a header but no rows; nothing imported)"
        )


def _report(args: argparse.Namespace, kind: str, path: Path, session_id: str, count: int) -> None:
    if args.json:
        result: dict[str, Any] = {
            "session": session_id,
            "kind": kind,
            "file": str(path),
            "imported": count,
        }
        print(json.dumps(result, ensure_ascii=False))
        return
    what = "名考生" if kind == "candidates" else "名工作人员"
    print(
        f"已从 {path} 导入{count}{what}到场次 {session_id} "
        f"(imported {count} {kind} from {path} into session {session_id})"
    )
