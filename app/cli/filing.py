"""``proctor-desk institution filing``: the institution's filing (备案) — ``show`` for any
account, ``set --file FILING.json`` and ``import FILE.csv`` for an admin (each a new version,
audited under the account) — and the scope warning the plan and kit commands give.

A plan or kit outside the filing is not refused: Art. 14(2) sanctions a *serious* excess and
the institution judges that. The command stops with the finding (one line, exit 2) until the
admin gives ``--outside-filing-acknowledged``; then it goes ahead and audits the finding.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.acting import ACT, LOOK, acting
from app.cli.errors import CliError

if TYPE_CHECKING:
    from app.core.institution.filing import Filing, ScopeFinding

ACKNOWLEDGE = "--outside-filing-acknowledged"


def add_acknowledge_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        ACKNOWLEDGE,
        dest="outside_filing_acknowledged",
        action="store_true",
        help="go ahead with a plan outside the institution's filing (Art. 14(2)); the "
        "institution judges whether the excess is serious",
    )


def check_scope(args: argparse.Namespace, finding: ScopeFinding | None) -> dict[str, Any]:
    """Stop with the finding unless acknowledged; the audit details to add (none within
    the filing)."""
    if finding is None:
        return {}
    if not getattr(args, "outside_filing_acknowledged", False):
        raise CliError(
            f"超出备案范围 (outside the filing): {finding} — give {ACKNOWLEDGE} to go on"
        )
    print(f"警告 (warning): {finding}", file=sys.stderr)
    return {"outside_filed_scope": list(finding.reasons_en)}


def register_filing(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "filing", help="the institution's filing (备案): code, kind, occupations, branches"
    )
    sub = parser.add_subparsers(dest="filing_command", metavar="COMMAND", required=True)
    p_show = sub.add_parser("show", help="the filing in force (any account)")
    p_show.add_argument("--history", action="store_true", help="every version, oldest first")
    p_show.add_argument("--json", action="store_true", help="as JSON")
    p_show.add_argument("--csv", action="store_true", help="as the CSV that import reads")
    p_show.set_defaults(func=_show)
    p_set = sub.add_parser("set", help="record the filing from a JSON file (a new version)")
    p_set.add_argument("--file", required=True, metavar="FILING.json")
    p_set.add_argument("--note", default="", help="why it changed (kept with the version)")
    p_set.add_argument("--json", action="store_true", help="print the recorded filing as JSON")
    p_set.set_defaults(func=_set)
    p_import = sub.add_parser(
        "import", help="record the filing from a CSV file (a new version; any problem: none)"
    )
    p_import.add_argument("file", metavar="FILE.csv")
    p_import.add_argument("--note", default="", help="why it changed (kept with the version)")
    p_import.add_argument("--json", action="store_true", help="print the recorded filing")
    p_import.set_defaults(func=_import)


def _show(args: argparse.Namespace) -> int:
    from app.cli.workspace import open_existing
    from app.core.institution.filing import filing_in_force, filing_json, filing_versions
    from app.core.institution.filing_csv import filing_csv

    acting(args, LOOK)
    with open_existing(args.data_dir) as ws:
        current = filing_in_force(ws)
        filings = filing_versions(ws) if args.history else [current] if current else []
    if args.json:
        out = [_as_json(f, filing_json(f)) for f in filings]
        print(json.dumps(out if args.history else (out[0] if out else None), ensure_ascii=False))
        return 0
    if not filings:
        print(
            "尚未记录备案信息 (no filing recorded); an admin records it with "
            "`proctor-desk institution filing import FILE.csv`"
        )
        return 0
    for filing in filings:
        if args.csv:
            sys.stdout.write(filing_csv(filing))
        else:
            _print(filing)
    return 0


def _as_json(filing: Filing, data: dict[str, Any]) -> dict[str, Any]:
    when = filing.recorded_at.isoformat() if filing.recorded_at else None
    return {
        **data,
        "version": filing.version,
        "recorded_by": filing.recorded_by,
        "recorded_at": when,
    }


def _print(filing: Filing) -> None:
    from app.core.institution.filing import KIND_ZH

    when = filing.recorded_at.strftime("%Y-%m-%d %H:%M") if filing.recorded_at else "?"
    print(
        f"备案信息 第{filing.version}版 (filing version {filing.version}), "
        f"{filing.recorded_by} {when} UTC{('  ' + filing.note) if filing.note else ''}"
    )
    print(f"  备案码 code: {filing.code}")
    print(f"  类型 kind: {KIND_ZH.get(filing.kind, filing.kind)} ({filing.kind})")
    for occ in filing.occupations:
        work = f"（{occ.work_type}）" if occ.work_type else ""
        print(f"  职业 occupation: {occ.occupation}{work}  {'、'.join(occ.levels)}")
    for branch in filing.branches:
        print(f"  分支机构 branch: {branch.code}  {branch.name}")


def _set(args: argparse.Namespace) -> int:
    from app.core.institution.filing import filing_from_json

    try:
        value = json.loads(Path(args.file).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise CliError(f"{args.file}: cannot read it ({exc.strerror})") from None
    except ValueError as exc:
        raise CliError(f"{args.file}: not JSON ({exc})") from None
    return _record(args, filing_from_json(value))


def _import(args: argparse.Namespace) -> int:
    from app.core.institution.filing_csv import read_filing_csv

    return _record(args, read_filing_csv(args.file))


def _record(args: argparse.Namespace, filing: Filing) -> int:
    from dataclasses import replace

    from app.core.institution.filing import filing_json, save_filing
    from app.core.records.service import Workspace

    account = acting(args, ACT)
    if account is None:  # a site laptop: no institution here, so no filing of its own
        raise CliError("the filing is the institution's: record it in the institution's folder")
    with Workspace.open(args.data_dir) as ws:
        recorded = save_filing(ws, replace(filing, note=args.note), actor=account.name)
    if args.json:
        print(json.dumps(_as_json(recorded, filing_json(recorded)), ensure_ascii=False))
    else:
        print(
            f"已记录备案信息第 {recorded.version} 版 (filing version {recorded.version} recorded)"
        )
    return 0
