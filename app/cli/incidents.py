"""``proctor-desk incident``: list and show incident records, and transcribe a paper one."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any

from app.cli.acting import ACT, LOOK
from app.core.records.status import RecordStatus


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "incident", help="incident records (违纪违规记录): list, show, transcribe"
    )
    commands = parser.add_subparsers(dest="incident_command", metavar="COMMAND", required=True)

    p_list = commands.add_parser("list", help="list incidents, newest first")
    p_list.add_argument("--session", metavar="ID", help="only this session")
    # Plain strings: argparse names the choices by repr() when one is refused.
    p_list.add_argument("--status", choices=[status.value for status in RecordStatus])
    p_list.add_argument("--clause", help='clause id, e.g. "6.1"')
    p_list.add_argument("--party", choices=("candidate", "staff", "institution"))
    p_list.add_argument("--room", help="room name, e.g. 第1考场")
    p_list.add_argument("--date", type=_date, help="local date YYYY-MM-DD")
    p_list.add_argument("--all-versions", action="store_true", help="include amended versions")
    p_list.add_argument(
        "--offset", type=_count(0), default=0, help="skip this many incidents (default 0)"
    )
    p_list.add_argument(
        "--limit", type=_count(1), default=200, help="list at most this many (default 200)"
    )
    p_list.add_argument("--json", action="store_true", help="print as JSON")
    p_list.set_defaults(func=_list, needs_role=LOOK)

    p_show = commands.add_parser("show", help="show one incident in full")
    p_show.add_argument(
        "incident", metavar="REF", help="id, start of id, or number (A-007, A-007/2)"
    )
    p_show.add_argument("--session", metavar="ID", help="session, when numbers repeat across them")
    p_show.add_argument("--json", action="store_true", help="print as JSON")
    p_show.set_defaults(func=_show, needs_role=LOOK)

    p_transcribe = commands.add_parser(
        "transcribe",
        help="enter a record written on the paper form (纸质备用表), with its scan: confirmed "
        "and sealed at once, authorised by the site head's PIN",
    )
    p_transcribe.add_argument(
        "file", metavar="FILE.json", help="what the paper form says (docs/transcription.md)"
    )
    p_transcribe.add_argument(
        "--scan", required=True, metavar="SCAN", help="the scan of the signed form (PDF or image)"
    )
    p_transcribe.add_argument(
        "--site-head", required=True, metavar="NAME", help="the site head (name or staff number)"
    )
    p_transcribe.add_argument(
        "--pin-file",
        metavar="FILE",
        help=f"file whose first line is the site head's PIN (or set ${PIN_ENV})",
    )
    p_transcribe.add_argument("--json", action="store_true", help="print the record as JSON")
    p_transcribe.set_defaults(func=_transcribe, needs_role=ACT)


def _date(text: str) -> str:
    # Checked here: a date that cannot exist would only match nothing and list "0 of 0".
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or day.isoformat() != text:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write YYYY-MM-DD, e.g. 2024-06-15"
        )
    return text


PIN_ENV = "PROCTOR_DESK_PIN"

# Far beyond any data folder, and within what SQLite's integers hold.
MOST = 1_000_000_000


def _count(least: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text) if len(text) <= 20 else least - 1
        except ValueError:
            value = least - 1
        shown = text if len(text) <= 20 else text[:20] + "…"
        if value < least:
            raise argparse.ArgumentTypeError(f"'{shown}': give a whole number of {least} or more")
        if value > MOST:
            raise argparse.ArgumentTypeError(f"'{shown}': give a whole number of at most {MOST}")
        return value

    return parse


def _list(args: argparse.Namespace) -> int:
    from app.cli.workspace import open_existing
    from app.core.records.incidents import IncidentFilters

    with open_existing(args.data_dir) as ws:
        session_id = ws.resolve_session_id(args.session) if args.session else None
        if args.clause is not None:
            ws.check_clause(args.clause, session_id)
        filters = IncidentFilters(
            session_id=session_id,
            status=args.status,
            clause=args.clause,
            party=args.party,
            room=args.room,
            local_date=args.date,
            current_only=not args.all_versions,
        )
        rows = ws.list_incidents(filters, args.offset, args.limit)
        total = ws.count_incidents(filters)
    if args.json:
        _print_json({"total": total, "incidents": [r.to_dict() for r in rows]})
        return 0
    for r in rows:
        version = f"/{r.version}" if r.version > 1 else ""
        print(
            f"{r.number}{version:<3} {r.status:<9} {r.party:<11} {r.clause or '-':<6} "
            f"{r.local_date} {r.room or '-'} {r.seat or ''} {r.person_name or ''}"
        )
    print(f"{len(rows)} of {total} incidents")
    return 0


def _show(args: argparse.Namespace) -> int:
    from app.cli.workspace import open_existing

    with open_existing(args.data_dir) as ws:
        session_id = ws.resolve_session_id(args.session) if args.session else None
        detail = ws.incident(args.incident, session_id)
        problems = ws.record_problems(detail["id"])
    if args.json:
        _print_json({**detail, "intact": not problems, "problems": problems})
        return 0
    content = detail["content"]
    person = content["person"] or {}
    print(f"{detail['number']} v{detail['version']}  [{detail['status']}]  {detail['id']}")
    if detail["void_reason"]:
        print(f"  作废原因 void reason: {detail['void_reason']}")
    print(
        f"  party: {detail['party']}  clause: {detail['clause'] or '-'}  "
        f"date: {content['local_date']} ({content['session']['timezone']})"
    )
    if content.get("time_outside_subjects_confirmed"):
        print(
            "  发生时间不在任何科目考试时间内，经记录人确认 "
            "(time outside every subject's exam time, confirmed by the recorder)"
        )
    print(
        f"  subject: {content['subject'] or '-'}  room: {content['room'] or '-'}  "
        f"seat: {content['seat'] or '-'}  person: {person.get('name', '-')}"
    )
    print(f"  description: {content['description']}")
    outcome = content["outcome"]
    if outcome:
        print(
            f"  handling ({content['rulebook']['id']} {content['rulebook']['version']}): "
            f"{outcome.get('explanation', '')}"
        )
    for s in detail["signatures"]:
        mark = " (voided)" if s["voided"] else ""
        print(f"  signature {s['kind']}: {s['signer_name']} ({s['role']}) {s['signed_at']}{mark}")
    marking = content.get("transcription")
    if marking:
        _show_paper(marking)
    print(f"  content hash: {detail['content_hash']}")
    print(f"  sealed: {'yes' if detail['seal'] else 'no'}")
    if problems:
        # What the tables say above is not to be trusted: say so where it is read.
        print("  未通过完整性校验 FAILS VERIFICATION:")
        for problem in problems:
            print(f"    - {problem}")
    else:
        print("  intact: yes (content hash, seal and audit log agree)")
    return 0


def _show_paper(marking: dict[str, Any]) -> None:
    """Who signed the paper form a transcribed record was entered from (no strokes: paper)."""
    staff = "、".join(s["name"] for s in marking["staff_signed_on_paper"])
    print(
        f"  依纸质记录誊录，纸质记录表 {marking['paper_form_number']} "
        f"(transcribed from paper form {marking['paper_form_number']})"
    )
    print(f"  signed on paper by staff: {staff}")
    ack = marking["acknowledgement"]
    witnesses = "、".join(w["name"] for w in ack["witnesses"])
    if ack["kind"] == "signed":
        print("  candidate: signed on paper")
    else:
        what = "refused to sign" if ack["kind"] == "refused" else "had left the site"
        print(f"  candidate: {what}, witnessed on paper by {witnesses}")


def _transcribe(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.cli.institution import read_passphrase
    from app.core.records.service import Workspace
    from app.core.records.transcription import read_spec, transcribe_paper

    # The file is checked before the data folder is opened: a typo costs no lock wait.
    spec = read_spec(Path(args.file))
    pin = read_passphrase(args.pin_file, PIN_ENV, f"PIN of {args.site_head}", option="--pin-file")
    with Workspace.open(args.data_dir) as ws:
        incident = transcribe_paper(ws, spec, Path(args.scan), args.site_head, pin)
        detail = ws.incident(incident.id)
    if args.json:
        _print_json(detail)
        return 0
    marking = detail["content"]["transcription"]
    print(
        f"已誊录纸质记录表 {marking['paper_form_number']} 为记录 {detail['number']}，"
        f"已由考场负责人 {marking['transcribed_by']['name']} 确认并封存"
    )
    print(
        f"(transcribed paper form {marking['paper_form_number']} as record {detail['number']}, "
        f"confirmed and sealed; id {detail['id']})"
    )
    return 0


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
