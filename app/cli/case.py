"""``proctor-desk case``: the institution's casework (``docs/casework.md``).

``list`` and ``show`` are for any account (a reviewer may look); every step is an admin's.
A step acts on the case as it is when the command reads it, or, with ``--seen-version N``, on
the version the person saw (``case show``): if another step came in between, it is refused as
a conflict and nothing is overwritten. A refused step is one line on stderr, exit 2.

The notice, the decision and the review decision are documents (PDF) and come with their own
commands; the steps here record the rest of the procedure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.acting import ACT, LOOK
from app.cli.errors import CliError

if TYPE_CHECKING:
    from app.core.accounts import Account
    from app.core.casework.service import CaseDesk
    from app.core.records.service import Workspace

STATUSES = (
    "open",
    "determined",
    "noticed",
    "decided",
    "delivered",
    "under_review",
    "reviewed",
    "closed",
    "with_regulator",
)
METHODS = ("in_person", "post", "electronic", "announcement")
MAX_FILE = 1 << 20  # a response or conclusion is text, not a scan


def _day(value: str) -> dt.date:
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"'{value}' is no date; give YYYY-MM-DD")


def _yes_no(value: str) -> bool:
    if value in ("yes", "no"):
        return value == "yes"
    raise argparse.ArgumentTypeError(f"'{value}': give yes or no")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "case", help="the institution's cases: determination, notice, decision, review (Art. 16–20)"
    )
    commands = parser.add_subparsers(dest="case_command", metavar="COMMAND", required=True)

    p = commands.add_parser("list", help="every case: person, party, clauses, status, overdue")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--party", choices=("candidate", "staff", "institution"))
    p.add_argument("--session", metavar="SESSION_ID", help="the cases of one session")
    p.add_argument(
        "--overdue",
        choices=("response", "objection", "any"),
        help="only what waits past its deadline (institution practice)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_list, needs_role=LOOK)

    p = commands.add_parser(
        "deadlines",
        help="the days a person has to respond to a notice or object to a decision "
        "(institution practice: the guideline sets none); with a number, set it (admin)",
    )
    p.add_argument("--response-days", type=int, metavar="N", help="set the response period")
    p.add_argument("--objection-days", type=int, metavar="N", help="set the objection period")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_deadlines, needs_role=LOOK)

    p = commands.add_parser("show", help="one case: its handling, steps and documents")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_show, needs_role=LOOK)

    p = commands.add_parser(
        "open", help="a case found after the evaluation and confirmed (Art. 8), without a record"
    )
    p.add_argument(
        "--without-record",
        metavar="FILE.json",
        required=True,
        help="the confirmed finding: person, clause, date, discovered_on, certificate_issued, "
        "description, confirmed_by (two staff and the responsible person, Art. 16 ¶1); "
        "optionally the certificates issued (number, occupation, work_type, level, issued_on, "
        "online), listed by `case certificates`",
    )
    p.set_defaults(func=_open, needs_role=ACT)

    p = _step(commands, "determine", "认定: establish the facts the site left open")
    p.add_argument("--severity", choices=("minor", "serious"), help="Art. 7: 情节轻微/情节严重")
    p.add_argument("--adverse-effect", type=_yes_no, metavar="yes|no", help="Art. 11: 造成不良影响")
    p.set_defaults(func=_determine)

    p = _step(commands, "respond", "the person's response to the notice of the intended decision")
    p.add_argument("--text", metavar="FILE", required=True, help="the response, as text")
    p.add_argument("--received", type=_day, metavar="YYYY-MM-DD", help="default: today")
    p.set_defaults(func=_respond)

    p = _step(commands, "deliver", "书面送达 or announcement of a document")
    p.add_argument("--document", choices=("notice", "decision", "review"), required=True)
    p.add_argument("--method", choices=METHODS, required=True)
    p.add_argument("--date", type=_day, metavar="YYYY-MM-DD", required=True)
    p.set_defaults(func=_deliver)

    p = _step(commands, "object", "陈述和申辩 against the decision (Art. 19): under review")
    p.add_argument("--text", metavar="FILE", required=True, help="the objection, as text")
    p.add_argument("--received", type=_day, metavar="YYYY-MM-DD", help="default: today")
    p.set_defaults(func=_object)

    p = _step(commands, "close", "close the case")
    p.add_argument("--note", default="", help="a note kept with the step")
    p.set_defaults(func=_close)

    p = _step(commands, "refer", "移送 (Art. 7), 移交 (Art. 15), certificate department (Art. 10)")
    p.add_argument("--to", metavar="AUTHORITY", required=True)
    p.add_argument("--date", type=_day, metavar="YYYY-MM-DD", required=True)
    p.add_argument("--document", metavar="FILE", help="the referral letter (its SHA-256 is kept)")
    p.add_argument(
        "--basis",
        choices=("art7", "art10", "art15", "other"),
        help="default: the one referral the decision still asks for",
    )
    p.set_defaults(func=_refer)

    p = _step(commands, "other-authority", "Art. 18: another authority's conclusion")
    p.add_argument("--authority", metavar="NAME", required=True)
    p.add_argument("--conclusion", metavar="FILE", required=True, help="its conclusion, as text")
    p.set_defaults(func=_other_authority)

    p = _step(commands, "report", "报备: a staff case's handling reported to the regulator")
    p.add_argument("--to", metavar="REGULATOR", required=True)
    p.add_argument("--date", type=_day, metavar="YYYY-MM-DD", required=True)
    p.add_argument("--document", metavar="FILE", help="the report (its SHA-256 is kept)")
    p.set_defaults(func=_report)

    from app.cli.case_documents import register as register_documents

    register_documents(commands)  # notice, decide, review, report-regulator, certificates, export


def _step(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, text: str
) -> argparse.ArgumentParser:
    p = commands.add_parser(name, help=text)
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "--seen-version",
        type=int,
        metavar="N",
        help="the case's version as you read it (`case show`): refused if it changed since",
    )
    p.set_defaults(needs_role=ACT)
    return p


def _account(args: argparse.Namespace) -> Account:
    account: Account | None = getattr(args, "account", None)
    if account is None:
        raise CliError(
            "cases are the institution's: run case commands where `proctor-desk institution "
            "init` was run, as one of its accounts"
        )
    return account


def _read_text(path: str, option: str) -> str:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FILE:
            raise CliError(f"{option}: {path} is larger than {MAX_FILE // 1024} KiB of text")
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"{option}: {path} is not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise CliError(f"{option}: cannot read {path}: {exc.strerror or exc}") from None


def _file_sha(path: str | None, option: str) -> tuple[str | None, str | None]:
    if path is None:
        return None, None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest(), Path(path).name
    except OSError as exc:
        raise CliError(f"{option}: cannot read {path}: {exc.strerror or exc}") from None


def _print(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _looking(args: argparse.Namespace) -> tuple[Workspace, CaseDesk]:
    from app.cli.workspace import open_existing
    from app.core.casework.service import CaseDesk

    workspace = open_existing(args.data_dir)
    return workspace, CaseDesk(workspace)


def _list(args: argparse.Namespace) -> int:
    account = _account(args)
    workspace, desk = _looking(args)
    with workspace:
        rows = desk.list(
            account, args.status, party=args.party, session_id=args.session, overdue=args.overdue
        )
    if args.json:
        _print(rows)
        return 0
    for row in rows:
        person = row["person"]
        flag = f"  overdue: {row['overdue']}" if row["overdue"] else ""
        print(
            f"{row['id'][:8]}  {row['status']:<14} {row['party']:<11} {person['name']} "
            f"({person['id_number_masked'] or '-'})  {', '.join(row['clauses'])}{flag}"
        )
    if not rows:
        print("no cases")
    return 0


def _deadlines(args: argparse.Namespace) -> int:
    """Show the periods; set those given (an admin's act, audited)."""
    from app.core.accounts import ADMIN, require_role

    account = _account(args)
    changes = {
        name: days
        for name, days in (
            ("response_days", args.response_days),
            ("objection_days", args.objection_days),
        )
        if days is not None
    }
    workspace, desk = _looking(args)
    with workspace:
        if changes:
            require_role(account, ADMIN)
            for name, days in changes.items():
                desk.set_deadline(account, name, days)
        periods = desk.deadlines(account)
    if args.json:
        _print({**periods._asdict(), "practice": True})
        return 0
    print(
        f"response to a notice: {periods.response_days} days; objection to a decision: "
        f"{periods.objection_days} days (institution practice: the guideline sets no deadline)"
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    account = _account(args)
    workspace, desk = _looking(args)
    with workspace:
        case = desk.show(account, args.id)
    if args.json:
        _print(case)
        return 0
    person = case["person"]
    print(f"Case {case['id']}  ({case['party']}, version {case['version']})")
    print(f"Person: {person['name']} ({person['id_type']}: {person['id_number_masked']})")
    print(f"Status: {case['status']}; next: {', '.join(case['next']) or '-'}")
    print(f"Clauses: {', '.join(case['clauses'])}")
    if case["outcome"].get("explanation"):
        print(f"Handling: {case['outcome']['explanation']}")
    for step in case["steps"]:
        print(f"  {step['seq']:>4} {step['at']}  {step['kind']:<16} {step['account'] or 'import'}")
    for duty in case["obligations"]:
        print(f"To do: {duty['what']} ({'done' if duty['done'] else 'open'})")
    if case["overdue"]:
        print(f"Overdue: {case['overdue']} ({case['deadlines']['label']})")
    for note in case["notes"]:
        print(f"Note: {note}")
    return 0


def _acting(args: argparse.Namespace, name: str, **kwargs: Any) -> int:
    from app.core.casework.service import CaseDesk
    from app.core.records.service import Workspace

    account = _account(args)
    with Workspace.open(args.data_dir) as workspace:
        desk = CaseDesk(workspace)
        seen = args.seen_version
        if seen is None:
            seen = desk.version_of(account, args.id)
        case = getattr(desk, name)(account, args.id, seen, **kwargs)
    print(f"案件 (case) {case['id'][:8]}: {case['status']} (version {case['version']})")
    return 0


def _open(args: argparse.Namespace) -> int:
    from app.core.casework.service import CaseDesk
    from app.core.records.service import Workspace

    account = _account(args)
    text = _read_text(args.without_record, "--without-record")
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise CliError(f"--without-record: {args.without_record} is not JSON ({exc})") from None
    with Workspace.open(args.data_dir) as workspace:
        case = CaseDesk(workspace).open_without_record(account, document)
    print(f"案件 (case) {case['id'][:8]}: {case['status']} (Art. 8, without a site record)")
    return 0


def _determine(args: argparse.Namespace) -> int:
    return _acting(args, "determine", severity=args.severity, adverse_effect=args.adverse_effect)


def _respond(args: argparse.Namespace) -> int:
    text = _read_text(args.text, "--text")
    return _acting(args, "respond", text=text, received_on=args.received)


def _deliver(args: argparse.Namespace) -> int:
    return _acting(args, "deliver", document=args.document, method=args.method, date=args.date)


def _object(args: argparse.Namespace) -> int:
    text = _read_text(args.text, "--text")
    return _acting(args, "object_to", text=text, received_on=args.received)


def _close(args: argparse.Namespace) -> int:
    return _acting(args, "close", note=args.note)


def _refer(args: argparse.Namespace) -> int:
    sha, name = _file_sha(args.document, "--document")
    return _acting(
        args,
        "refer",
        to=args.to,
        date=args.date,
        basis=args.basis,
        document_sha256=sha,
        document_name=name,
    )


def _other_authority(args: argparse.Namespace) -> int:
    conclusion = _read_text(args.conclusion, "--conclusion")
    return _acting(args, "other_authority", authority=args.authority, conclusion=conclusion)


def _report(args: argparse.Namespace) -> int:
    sha, _name = _file_sha(args.document, "--document")
    return _acting(args, "report", to=args.to, date=args.date, document_sha256=sha)
