"""``proctor-desk bundle``: sync bundles. On the laptop: ``export`` (full or ``--since-last``),
``receipt accept`` and ``purge``. At the institution: ``verify`` (what is inside and whether it
is intact, without importing), ``import`` (every file checked before anything is committed) and
``receipt issue``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli.acting import ACT, acting, record
from app.cli.errors import CliError
from app.cli.institution import (
    PASSPHRASE_ENV,
    add_passphrase_option,
    data_folder,
    load_identity,
    read_passphrase,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("bundle", help="sync bundles: export, verify, import, receipts")
    commands = parser.add_subparsers(dest="bundle_command", metavar="COMMAND", required=True)

    p_export = commands.add_parser("export", help="write a session's records to a bundle")
    p_export.add_argument("--session", required=True, metavar="ID", help="session id")
    p_export.add_argument("--out", required=True, metavar="FILE", help="bundle file to write")
    p_export.add_argument(
        "--since-last", action="store_true", help="only what changed since the previous bundle"
    )
    p_export.add_argument(
        "--pdf",
        metavar="FILE",
        action="append",
        default=[],
        help="a signed PDF report of the session to carry along; may be given more than once",
    )
    p_export.set_defaults(func=_export)

    p_verify = commands.add_parser("verify", help="what a bundle holds and whether it is intact")
    p_verify.add_argument("file", metavar="FILE")
    p_verify.add_argument("--json", action="store_true", help="print JSON")
    add_passphrase_option(p_verify)
    p_verify.set_defaults(func=_verify)

    p_import = commands.add_parser("import", help="import bundles into this institution")
    p_import.add_argument("files", metavar="FILE", nargs="+")
    p_import.add_argument(
        "--trust",
        metavar="FINGERPRINT",
        action="append",
        default=[],
        help="accept this device key (a session without a kit): its whole fingerprint, as "
        "'bundle verify' shows it; may be given more than once",
    )
    p_import.add_argument("--json", action="store_true", help="print JSON")
    add_passphrase_option(p_import)
    p_import.set_defaults(func=_import)

    p_receipt = commands.add_parser("receipt", help="import receipts")
    receipts = p_receipt.add_subparsers(dest="receipt_command", metavar="COMMAND", required=True)
    p_issue = receipts.add_parser("issue", help="sign a receipt for an imported bundle")
    p_issue.add_argument("bundle_id", metavar="BUNDLE_ID")
    p_issue.add_argument("--out", required=True, metavar="FILE")
    add_passphrase_option(p_issue)
    p_issue.set_defaults(func=_issue)
    p_accept = receipts.add_parser("accept", help="accept the institution's receipt (laptop)")
    p_accept.add_argument("file", metavar="FILE")
    p_accept.add_argument(
        "--expect",
        metavar="FINGERPRINT",
        help="the institution's fingerprint (laptops without kit)",
    )
    p_accept.set_defaults(func=_accept)

    p_purge = commands.add_parser(
        "purge", help="remove a session's personal data once its last bundle is receipted"
    )
    p_purge.add_argument("--session", required=True, metavar="ID")
    p_purge.add_argument("--yes", action="store_true", help="really purge")
    p_purge.set_defaults(func=_purge)


def _export(args: argparse.Namespace) -> int:
    from app.cli.progress import progress_line
    from app.core.records.service import Workspace
    from app.core.sync.export import export_bundle

    account = acting(args, ACT)
    with Workspace.open(args.data_dir) as workspace:
        result = export_bundle(
            workspace,
            args.session,
            Path(args.out),
            since_last=args.since_last,
            reports=[Path(p) for p in args.pdf],
            progress=progress_line("导出 exporting", percent=True),
        )
        zone = str(workspace.session(result.session_id).get("timezone") or "Asia/Shanghai")
        record(
            workspace, account, "export_bundle", {"file": Path(args.out).name},
            session_id=result.session_id,
        )  # fmt: skip
    print(f"已写入同步包 {args.out} (wrote the bundle); for the paper log:")
    print(result.text_in(zone))
    return 0


def _verify(args: argparse.Namespace) -> int:
    """Full check with the institution's key when this data folder holds the institution and
    the bundle is encrypted; otherwise as far as the container allows without it."""
    from app.core.bundles import formats as fmt
    from app.core.bundles import inspect_bundle
    from app.core.bundles.formats import KIT_KIND
    from app.core.sync.checking import reason_of
    from app.core.trust import institution

    path = Path(args.file)
    key = None
    if institution.exists(data_folder(args)):
        passphrase = read_passphrase(
            args.passphrase_file, PASSPHRASE_ENV, "Institution passphrase", required=False
        )
        if passphrase is not None:
            key = institution.load_identity(data_folder(args), passphrase).encryption_key
    result = inspect_bundle(path, key)
    report: dict[str, Any] = {
        "file": str(path),
        "ok": result.ok,
        "content_checked": result.content_checked,
        "problem": result.problem,
        "sha256": result.sha256,
        "bundle_id": None if result.header is None else str(result.header.bundle_id),
        "encrypted": None if result.header is None else result.header.crypto is not None,
        "signer_fingerprint": result.signer_fingerprint,
        # The same one word as ``bundle import`` (damaged, not_a_bundle, wrong_key …).
        "reason": None if result.error is None else reason_of(result.error),
    }
    lines = result.lines()
    fields = result.manifest["fields"] if result.manifest is not None else None
    report["kind"] = fields.get("kind") if isinstance(fields, dict) else None
    if isinstance(fields, dict) and fields.get("kind") == KIT_KIND:
        # A kit travels the other way: it is opened on the laptop, never imported here.
        report["fields"] = {
            k: v for k, v in fields.items() if k in ("kind", "kit_version", "session_id")
        }
        lines.append(
            "这是考点包，不是同步包 (this is a site kit, not a records bundle): "
            f"session {fields.get('session_id')}; open it on the site laptop with "
            "'proctor-desk kit import FILE'"
        )
    elif isinstance(fields, dict) and fields.get("kind") != fmt.KIND:
        lines.append(f"not a records bundle (its kind is {fields.get('kind')!r})")
    elif result.manifest is not None:
        fields = result.manifest["fields"]
        report["fields"] = {k: v for k, v in fields.items() if k != "certificate_chain"}
        report["certificate_chain"] = _chain_subjects(fields.get("certificate_chain"))
        lines += [
            f"Session {fields.get('session_id')} at {fields.get('site')}",
            f"Device {fields.get('device_code')} ({fields.get('device_id')}), "
            f"{fields.get('mode')} bundle, previous {fields.get('previous_bundle_id') or 'none'}",
            "Certificate chain: " + (" → ".join(report["certificate_chain"]) or "none"),
        ]
        acceptance = _device_acceptance(args, result.manifest)
        if acceptance is not None:
            report["device_status"], report["device"] = acceptance
            lines.append(f"Device: {acceptance[1]}")
    ok = result.ok
    if ok and not result.content_checked:
        # Encrypted and no institution key here: the laptop that wrote it can still tell
        # whether these are the very bytes it exported.
        same = _as_exported(args, report["bundle_id"], result.sha256)
        report["matches_export"] = same
        if same is False:
            ok = report["ok"] = False
            lines.append(
                "与本机导出时的文件不同：已损坏或被改动 (NOT the file this laptop exported: "
                "its SHA-256 differs; export it again)"
            )
        elif same:
            lines.append(
                "与本机导出时的文件一致 (the very file this laptop exported: SHA-256 matches)"
            )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        if not ok:
            print("有问题 (REFUSED)")
        elif result.content_checked or report.get("matches_export"):
            print("完好 (intact)")
        else:
            print("外层完好，加密内容只有评价机构能核对 (container intact; contents not checked)")
        print("\n".join(lines))
    return 0 if ok else 1


def _as_exported(
    args: argparse.Namespace, bundle_id: str | None, sha256: str | None
) -> bool | None:
    """Whether the file is the bundle this laptop exported under that id (None: not one of
    this laptop's, or no records here)."""
    from app.core.sync.export import matches_export

    return None if bundle_id is None else matches_export(data_folder(args), bundle_id, sha256)


def _device_acceptance(
    args: argparse.Namespace, manifest: dict[str, Any]
) -> tuple[str, str] | None:
    """Whether this institution would accept the signer, as (one word, sentence): certified,
    trusted, unaccepted, revoked or refused. None when this is no institution."""
    from app.core.institution import devices

    found = devices.standing(data_folder(args), manifest)
    return None if found is None else (found.status, found.sentence)


def _chain_subjects(text: Any) -> list[str]:
    if not isinstance(text, str):
        return []
    from app.core.trust.certificates import CertificateError, from_pem

    try:
        return [c.subject.rfc4514_string() for c in from_pem(text)]
    except CertificateError:
        return ["(unreadable)"]


_STATUS_ZH = {"imported": "已导入", "already imported": "已导入过", "rejected": "已拒绝"}


def _import(args: argparse.Namespace) -> int:
    from app.cli.progress import progress_line
    from app.core.records.service import Workspace
    from app.core.sync.importing import IMPORTED, REJECTED, import_bundles
    from app.core.trust.device_trust import normalise

    account = acting(args, ACT)
    identity = load_identity(args)
    with Workspace.open(args.data_dir) as workspace:
        outcomes = import_bundles(
            workspace,
            identity,
            [Path(f) for f in args.files],
            trust=args.trust,
            progress=progress_line("导入 importing"),
        )
        imported = [o.bundle_id for o in outcomes if o.status == IMPORTED]
        if imported:  # an import that changed nothing writes nothing, this entry neither
            record(
                workspace,
                account,
                "import_bundles",
                {"imported": imported, "trusted": [normalise(t) for t in args.trust]},
            )
    if args.json:
        print(json.dumps([o.to_dict() for o in outcomes], ensure_ascii=False, indent=2))
    else:
        for outcome in outcomes:
            print(f"{_STATUS_ZH.get(outcome.status, '')} {outcome.line()}".lstrip())
    return 1 if any(o.status == REJECTED for o in outcomes) else 0


def _issue(args: argparse.Namespace) -> int:
    from app.core.records.service import Workspace
    from app.core.sync.receipts import issue_receipt

    account = acting(args, ACT)
    identity = load_identity(args)
    with Workspace.open(args.data_dir) as workspace:
        data = issue_receipt(workspace, identity, args.bundle_id)
    from app.cli.files import write_new

    out = write_new(args.out, data)
    if account is not None:
        with Workspace.open(args.data_dir) as workspace:
            record(
                workspace, account, "issue_receipt", {"bundle_id": args.bundle_id, "file": out.name}
            )
    print(f"已写入导入回执 (wrote the import receipt) for bundle {args.bundle_id} to {out}")
    return 0


def _accept(args: argparse.Namespace) -> int:
    from app.core.records.service import Workspace
    from app.core.sync.receipts import accept_receipt

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CliError(f"{args.file}: cannot read ({exc.strerror})") from None
    account = acting(args, ACT)
    with Workspace.open(args.data_dir) as workspace:
        accepted = accept_receipt(workspace, data, args.expect)
        record(
            workspace, account, "accept_receipt", {"bundle_id": accepted.bundle_id},
            session_id=accepted.session_id,
        )  # fmt: skip
    print(f"accepted the institution's receipt for bundle {accepted.bundle_id}")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from app.core.records.service import Workspace
    from app.core.sync.receipts import purge_session

    if not args.yes:
        raise CliError("purge removes the session's records and rosters here: add --yes")
    account = acting(args, ACT)
    with Workspace.open(args.data_dir) as workspace:
        result = purge_session(workspace, args.session)
        record(workspace, account, "purge_session", session_id=result.session_id)
    print(
        f"purged session {result.session_id}: {result.incidents} incident versions, "
        f"{result.candidates} candidates, {result.staff} staff, "
        f"{result.evidence_files} evidence files (receipts kept)"
    )
    return 0
