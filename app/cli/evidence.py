"""``proctor-desk evidence``: attach a file (a scanned paper form, a photo) to an incident
record, and list a record's evidence files with their SHA-256.

A record that was written on the paper fallback form when a laptop failed is entered later; the
scan of the signed paper form is attached to it as evidence, and its SHA-256 is printed in the
incident report. Attaching changes the record's content, so it is possible only while the
record is a draft or signed (the signatures are then voided and must be given again); a
confirmed record is amended instead, and the scan attached to the new version.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.acting import ACT, LOOK
from app.cli.errors import CliError
from app.core.records.status import EDITABLE, SEALED, RecordStatus

if TYPE_CHECKING:
    from app.core.records.service import Workspace

# What the evidence list and the report show before the file name, by kind.
KIND_LABELS = {"paper-form": "纸质记录表扫描件", "photo": "照片", "other": ""}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "evidence", help="evidence files of an incident (证据文件): attach, list"
    )
    commands = parser.add_subparsers(dest="evidence_command", metavar="COMMAND", required=True)

    p_attach = commands.add_parser(
        "attach", help="attach a file (a scanned paper form, a photo) to a draft or signed record"
    )
    p_attach.add_argument(
        "incident", metavar="INCIDENT", help="id, start of id, or number (A-007, A-007/2)"
    )
    p_attach.add_argument("file", metavar="FILE", help="the file to attach")
    p_attach.add_argument(
        "--kind",
        choices=tuple(KIND_LABELS),
        default="other",
        help="paper-form: a scan of the signed paper form (纸质记录表扫描件); photo; other",
    )
    p_attach.add_argument("--note", metavar="TEXT", help="a short description shown with it")
    p_attach.add_argument("--session", metavar="ID", help="session, when numbers repeat")
    p_attach.set_defaults(func=_attach, needs_role=ACT)

    p_list = commands.add_parser("list", help="a record's evidence files with their SHA-256")
    p_list.add_argument("incident", metavar="INCIDENT", help="id, start of id, or number")
    p_list.add_argument("--session", metavar="ID", help="session, when numbers repeat")
    p_list.add_argument("--json", action="store_true", help="print as JSON")
    p_list.set_defaults(func=_list, needs_role=LOOK)


def display_name(file_name: str, kind: str, note: str | None) -> str:
    """The evidence entry's name: kind, file name and note, as the report will print it."""
    parts = [KIND_LABELS[kind], file_name, (note or "").strip()]
    return " · ".join(p for p in parts if p)


def _incident(ws: Workspace, ref: str, session: str | None) -> dict[str, Any]:
    session_id = ws.resolve_session_id(session) if session else None
    return ws.incident(ref, session_id)


def _check_file(path: Path, limit: int) -> int:
    """The file's size; a CliError saying what is wrong with it otherwise."""
    if not path.exists():
        raise CliError(f"{path}: no such file")
    if not path.is_file():
        raise CliError(f"{path}: not a file (give the scanned image or PDF itself)")
    size = path.stat().st_size
    if size > limit:
        raise CliError(
            f"{path.name} is {_size(size)}; the limit is {_size(limit)}. Scan again at a lower "
            "resolution (200–300 dpi in grey is plenty for a form), or save as JPEG or PDF"
        )
    if size == 0:
        raise CliError(f"{path}: the file is empty")
    return size


def _size(n_bytes: int) -> str:
    if n_bytes >= 1024 * 1024:
        return f"{n_bytes / (1024 * 1024):.1f} MB"
    return f"{n_bytes / 1024:.1f} KB"


def _attach(args: argparse.Namespace) -> int:
    from app.core.records.service import Workspace

    path = Path(args.file)
    with Workspace.open(args.data_dir) as ws:
        before = _incident(ws, args.incident, args.session)
        label = f"{before['number']}（第 {before['version']} 版）"
        status = before["status"]
        if status not in EDITABLE:
            raise CliError(_unchangeable(before["number"], status))
        _check_file(path, ws.evidence_limit)
        signed = [s for s in before["signatures"] if not s["voided"]]
        ws.attach_evidence(before["id"], path, name=display_name(path.name, args.kind, args.note))
        after = ws.incident(before["id"])
    entry = after["content"]["evidence"][-1]
    print(f"已附加到记录 {label}：{entry['name']}")
    print(f"(attached to record {after['number']} v{after['version']}: {path.name})")
    print(f"SHA-256 {entry['sha256']}  {entry['size']} bytes  {entry['media_type']}")
    if signed:
        print(
            f"记录内容已改变，{len(signed)} 个签名已作废，需重新签名。"
            f"\n(the record changed: its {len(signed)} signature(s) were voided; sign it again)"
        )
    return 0


def _unchangeable(number: str, status: str) -> str:
    if status in SEALED:
        return (
            f"incident {number} is {status}: a confirmed record cannot change. Amend it (a new "
            "version with a reason: 更正, in the incident window), then attach the file to the "
            "new version"
        )
    if status == RecordStatus.VOID:
        return f"incident {number} is void: a voided record cannot change"
    return f"incident {number} is {status}: its evidence cannot change"


def _list(args: argparse.Namespace) -> int:
    from app.cli.workspace import open_existing

    with open_existing(args.data_dir) as ws:
        detail = _incident(ws, args.incident, args.session)
    evidence = detail["content"]["evidence"]
    if args.json:
        out = {
            "incident": detail["id"],
            "number": detail["number"],
            "version": detail["version"],
            "status": detail["status"],
            "evidence": evidence,
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"记录 {detail['number']} 第 {detail['version']} 版（{detail['status']}）")
    if not evidence:
        print("无证据文件 (no evidence files)")
    for e in evidence:
        print(f"{e['sha256']}  {e['size']:>10} B  {e.get('media_type', '')}  {e['name']}")
    return 0
