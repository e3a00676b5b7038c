"""``proctor-desk session``: create, list and show exam sessions (考试批次)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from app.cli.acting import ACT, LOOK, acting, record
from app.cli.errors import CliError
from app.cli.filing import add_acknowledge_option, check_scope


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("session", help="exam sessions (考试批次): create, list, show")
    commands = parser.add_subparsers(dest="session_command", metavar="COMMAND", required=True)

    p_create = commands.add_parser("create", help="create a session with its rooms and subjects")
    p_create.add_argument("--institution", required=True, help="filed institution's name")
    p_create.add_argument(
        "--institution-kind",
        default="social_training_org",
        choices=("national_employer", "social_training_org"),
        help="national employer or social training-evaluation organisation (Attachment 1)",
    )
    p_create.add_argument("--filing-code", required=True, help="the institution's 备案码")
    p_create.add_argument(
        "--evaluation-type",
        default="职业技能等级认定",
        help="职业技能等级认定 (default), 职业资格评价 or 专项职业能力考核",
    )
    p_create.add_argument("--occupation", required=True, help="职业, e.g. 电工")
    p_create.add_argument("--work-type", default="", help="工种, if any")
    from app.core.records.sessions import EVALUATION_TYPES, LEVELS
    from app.core.rulebook import DEFAULT_RULEBOOK_ID

    # Not defaulted: a wrong level on the record is worse than asking. 专项职业能力考核 has none.
    p_create.add_argument(
        "--level",
        default="",
        help=f"等级: {'、'.join(LEVELS)}; required unless --evaluation-type {EVALUATION_TYPES[2]}",
    )
    p_create.add_argument("--site", required=True, help="site name (考点)")
    p_create.add_argument("--address", required=True, help="site address")
    p_create.add_argument(
        "--contact",
        default="",
        help="how a person reaches the institution about this session (telephone, office); "
        "printed on the person's copy of a record",
    )
    p_create.add_argument(
        "--room",
        action="append",
        required=True,
        metavar="NAME:SEATS[:RESPONSIBLE]",
        help="a room (考场) with its seats and the person responsible; repeat for each room",
    )
    p_create.add_argument(
        "--subject",
        action="append",
        required=True,
        metavar="NAME=START/END",
        help="a subject and its local time window, e.g. 理论知识=2024-06-15T09:00/2024-06-15T10:30",
    )
    p_create.add_argument("--rulebook", default=DEFAULT_RULEBOOK_ID, help="rulebook id")
    p_create.add_argument("--timezone", default="Asia/Shanghai", help="the site's time zone")
    p_create.add_argument("--json", action="store_true", help="print the new session as JSON")
    add_acknowledge_option(p_create)
    p_create.set_defaults(func=_create)

    p_list = commands.add_parser("list", help="list sessions, newest first")
    p_list.add_argument("--json", action="store_true", help="print as JSON")
    p_list.set_defaults(func=_list)

    p_show = commands.add_parser("show", help="show one session")
    p_show.add_argument("session", metavar="ID", help="session id (or a unique start of it)")
    p_show.add_argument("--json", action="store_true", help="print as JSON")
    p_show.set_defaults(func=_show)


def _room(text: str) -> Any:
    from app.core.records.sessions import RoomSpec

    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[1].strip().isdigit():
        raise CliError(
            f"--room {text}: write NAME:SEATS or NAME:SEATS:RESPONSIBLE, e.g. 第1考场:30"
        )
    return RoomSpec(parts[0].strip(), int(parts[1]), parts[2].strip() if len(parts) == 3 else "")


def _subject(text: str, timezone: str) -> Any:
    from app.core.records.sessions import SubjectSpec, zone

    name, _, window = text.partition("=")
    start, _, end = window.partition("/")
    try:
        tz = zone(timezone)
        starts = _local(start, tz)
        ends = _local(end, tz)
    except ValueError:
        raise CliError(
            f"--subject {text}: write NAME=START/END with local times, "
            "e.g. 理论知识=2024-06-15T09:00/2024-06-15T10:30"
        ) from None
    if not name.strip():
        raise CliError(f"--subject {text}: the subject has no name")
    return SubjectSpec(name.strip(), starts, ends)


def _local(text: str, tz: dt.tzinfo) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.strip())
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def _check_level(args: argparse.Namespace) -> None:
    from app.core.records.sessions import EVALUATION_TYPES, LEVELS

    if not args.level and args.evaluation_type != EVALUATION_TYPES[2]:
        raise CliError(
            f"--level: required for {args.evaluation_type}; give one of {'、'.join(LEVELS)}, "
            "e.g. --level 四级/中级工"
        )


def _create(args: argparse.Namespace) -> int:
    from app.core.institution.filing import plan_scope
    from app.core.records.service import Workspace
    from app.core.records.sessions import InstitutionSpec, SessionSpec

    rooms = tuple(_room(r) for r in args.room)
    subjects = tuple(_subject(s, args.timezone) for s in args.subject)
    _check_level(args)
    spec = SessionSpec(
        institution=InstitutionSpec(args.institution, args.institution_kind, args.filing_code),
        evaluation_type=args.evaluation_type,
        occupation=args.occupation,
        work_type=args.work_type,
        level=args.level,
        site_name=args.site,
        site_address=args.address,
        rooms=rooms,
        subjects=subjects,
        rulebook_id=args.rulebook,
        timezone=args.timezone,
        contact=args.contact,
    )
    account = acting(args, ACT)
    with Workspace.open(args.data_dir) as ws:
        # At the institution, a plan outside its filing is said before it is made (Art. 14(2)).
        scope = check_scope(args, plan_scope(ws, spec))
        session_id = ws.create_session(spec)
        detail = ws.session(session_id)
        record(ws, account, "create_session", scope or None, session_id=session_id)
    if args.json:
        _print_json(detail)
    else:
        print(f"已创建考试批次 {session_id} (session created)")
    return 0


def _list(args: argparse.Namespace) -> int:
    from app.cli.workspace import open_existing

    acting(args, LOOK)
    with open_existing(args.data_dir) as ws:
        rows = ws.list_sessions()
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("没有考试批次 (no sessions); create one with `proctor-desk session create`")
    for row in rows:
        print(
            f"{row['id'][:8]}  {row['created_at'][:10]}  {row['institution']}  "
            f"{row['evaluation_type']} {row['occupation']} {row['level']}  "
            f"{row['site_name']}  incidents: {row['incidents']}"
            + ("  已清除个人信息 (purged)" if row.get("purged") else "")
        )
    return 0


def _show(args: argparse.Namespace) -> int:
    from app.cli.workspace import open_existing

    acting(args, LOOK)
    with open_existing(args.data_dir) as ws:
        detail = ws.session(args.session)
    if args.json:
        _print_json(detail)
        return 0
    inst = detail["institution"]
    print(f"考试批次 session {detail['id']}")
    print(f"  机构 institution: {inst['name']} ({inst['kind']}, 备案码 {inst['filing_code']})")
    print(
        f"  {detail['evaluation_type']} · {detail['occupation']} {detail['work_type']} "
        f"· {detail['level']}"
    )
    print(f"  考点 site: {detail['site']['name']}, {detail['site']['address']}")
    if detail["contact"]:
        print(f"  联系方式 contact: {detail['contact']}")
    print(f"  rulebook: {detail['rulebook_id']}  timezone: {detail['timezone']}")
    for room in detail["rooms"]:
        print(f"  考场 {room['name']}: {room['seats']} seats, {room['responsible'] or '-'}")
    for subject in detail["subjects"]:
        print(f"  科目 {subject['name']}: {subject['starts_at']} – {subject['ends_at']} (UTC)")
    print(f"  staff: {len(detail['staff'])}  candidates: {detail['candidates']}")
    return 0


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
