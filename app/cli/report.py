"""``proctor-desk report``: signed PDF reports (incident record, session summary, blank paper
form), the device's signing certificate, and checking a signed report.

Every report is signed (PAdES baseline B, ECDSA P-256) with the site certificate a kit
brought, else the device's self-issued one; ``report certificate`` writes the certificate that
signs, for ``report verify --trust``. At the institution, ``report archived`` lists and writes
the archived copies, which carry its document timestamps (docs/archive.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.acting import ACT, LOOK
from app.cli.errors import CliError
from app.cli.files import refuse_existing, write_new
from app.cli.institution import add_passphrase_option
from app.core.records.status import RecordStatus, is_record_status

if TYPE_CHECKING:
    from cryptography import x509

    from app.core.records.service import Workspace
    from app.core.reports.pdf_verification import PdfCheck


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report", help="signed PDF reports and their verification (报告)"
    )
    commands = parser.add_subparsers(dest="report_command", metavar="COMMAND", required=True)

    p_incident = commands.add_parser("incident", help="the incident record (考场违纪违规行为记录)")
    p_incident.add_argument("id", metavar="ID", help="record id, unique start of it, or number")
    p_incident.add_argument("--out", required=True, metavar="FILE", help="PDF to write")
    p_incident.add_argument(
        "--copy",
        choices=("institution", "candidate"),
        default="institution",
        help="whose copy: the candidate's has the ID number masked (default: institution)",
    )
    p_incident.add_argument("--session", metavar="ID", help="session, when a number is ambiguous")
    p_incident.set_defaults(func=_incident, needs_role=LOOK)

    p_session = commands.add_parser("session", help="the session summary (违纪违规情况汇总)")
    p_session.add_argument("id", metavar="ID", help="session id (or a unique start of it)")
    p_session.add_argument("--out", required=True, metavar="FILE", help="PDF to write")
    p_session.set_defaults(func=_session, needs_role=LOOK)

    p_blank = commands.add_parser(
        "blank-form", help="a blank paper incident form pre-filled with the session (纸质备用表)"
    )
    p_blank.add_argument("--session", required=True, metavar="ID", help="session id")
    p_blank.add_argument("--out", required=True, metavar="FILE", help="PDF to write")
    p_blank.set_defaults(func=_blank_form, needs_role=LOOK)

    p_cert = commands.add_parser(
        "certificate",
        help="write the certificate that signs this laptop's PDFs (the site's, with a kit) "
        "for --trust",
    )
    p_cert.add_argument("--out", required=True, metavar="FILE", help="PEM file to write")
    p_cert.add_argument(
        "--session",
        metavar="ID",
        help="the session whose site certificate (default: the latest kit's, else the device's)",
    )
    p_cert.set_defaults(func=_certificate, needs_role=LOOK)

    p_verify = commands.add_parser(
        "verify", help="check a signed report: intact, who signed and when, trusted, record hash"
    )
    p_verify.add_argument("file", metavar="FILE", help="the signed PDF")
    p_verify.add_argument(
        "--trust",
        metavar="CERT",
        action="append",
        default=[],
        help="certificate (PEM or DER) to trust; may be given more than once",
    )
    p_verify.add_argument(
        "--at",
        metavar="TIME",
        type=_instant,
        help="judge the certificates at this time (ISO 8601, e.g. 2031-06-01 or "
        "2031-06-01T09:00+08:00; default: now), as a reader years later would",
    )
    p_verify.set_defaults(func=_verify, needs_role=LOOK)

    p_archived = commands.add_parser(
        "archived",
        help="at the institution: the archived signed PDFs, with its timestamps (存档报告)",
    )
    p_archived.add_argument("id", metavar="ID", nargs="?", help="the archived PDF to write")
    p_archived.add_argument("--out", metavar="FILE", help="where to write the archived PDF ID")
    p_archived.add_argument("--json", action="store_true", help="list as JSON")
    p_archived.add_argument(
        "--renew",
        action="store_true",
        help="add a new timestamp to those whose newest one ends within two years (run yearly)",
    )
    p_archived.add_argument(
        "--rebuild", action="store_true", help="make the archive's index again from its PDFs"
    )
    add_passphrase_option(p_archived)
    # Renewing or rebuilding the archive is an act; listing and copying it out only look.
    p_archived.set_defaults(
        func=_archived, needs_role=lambda a: ACT if a.renew or a.rebuild else LOOK
    )


def _write(out: str, data: bytes) -> Path:
    return write_new(out, data)


def _incident(args: argparse.Namespace) -> int:
    refuse_existing(args.out)  # before the PDF is built and signed
    from app.cli.workspace import open_existing
    from app.core.reports.signed import incident_job
    from app.core.reports.views import Copy, IncidentReportView

    with open_existing(args.data_dir) as workspace:
        ref = args.id
        if args.session:
            ref = workspace.incident(args.id, workspace.resolve_session_id(args.session))["id"]
        job = incident_job(workspace, ref, Copy(args.copy))
    report = job.run()  # the same build-and-sign as the app's preview
    path = _write(args.out, report.pdf)
    view = job.view
    assert isinstance(view, IncidentReportView)
    number, version = view.record_number, view.version
    print(f"已写入 {path}：记录 {number} 第 {version} 版，由 {report.signer} 签名")
    print(f"(wrote {path}: record {number} v{version}, signed by {report.signer})")
    return 0


def _session(args: argparse.Namespace) -> int:
    refuse_existing(args.out)  # before the PDF is built and signed
    from app.cli.workspace import open_existing
    from app.core.reports.session_summary import in_force
    from app.core.reports.signed import session_summary_job
    from app.core.reports.views import SessionSummaryView

    with open_existing(args.data_dir) as workspace:
        job = session_summary_job(workspace, args.id)
    report = job.run()
    path = _write(args.out, report.pdf)
    view = job.view
    assert isinstance(view, SessionSummaryView)
    # As the summary counts: only records in force; drafts, unconfirmed and void ones apart.
    count = sum(1 for line in view.incidents if in_force(line))
    apart = len(view.incidents) - count
    print(f"已写入 {path}：已确认 {count} 条记录（另列 {apart} 条未计入），由 {report.signer} 签名")
    print(
        f"(wrote {path}: {count} incidents in force, {apart} listed apart, "
        f"signed by {report.signer})"
    )
    return 0


def _blank_form(args: argparse.Namespace) -> int:
    refuse_existing(args.out)  # before the PDF is built and signed
    from app.cli.workspace import open_existing
    from app.core.reports.signed import blank_form_job

    with open_existing(args.data_dir) as workspace:
        job = blank_form_job(workspace, args.session)
    report = job.run()
    path = _write(args.out, report.pdf)
    print(
        f"已写入 {path}：纸质备用表，由 {report.signer} 签名 (wrote a blank paper form to {path})"
    )
    return 0


def _certificate(args: argparse.Namespace) -> int:
    refuse_existing(args.out)
    from app.core.records.service import Workspace
    from app.core.trust.pdf_identity import report_identity

    with Workspace.open(args.data_dir) as workspace:
        session_id = workspace.resolve_session_id(args.session) if args.session else None
        # The identity the reports are signed with (a kit's site certificate when this laptop
        # was certified), never a certificate that signs nothing.
        identity = report_identity(workspace.data_dir, workspace.device.code, session_id)
    path = _write(args.out, identity.certificate_pem())
    print(f"已写入签名证书 {path}：{identity.signer_name} (wrote the signing certificate)")
    return 0


def _instant(text: str) -> dt.datetime:
    """An ISO 8601 date or time; without an offset it is UTC."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is no date or time (give e.g. 2031-06-01 or 2031-06-01T09:00+08:00)"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _read(path_text: str, what: str) -> bytes:
    path = Path(path_text)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot read {what} ({exc.strerror})") from None


def _verify(args: argparse.Namespace) -> int:
    from app.core.reports.pdf_verification import check_pdf, load_certificates

    # pyHanko logs every untrusted path with a traceback; the verdict below says it in a line.
    logging.getLogger("pyhanko").addHandler(logging.NullHandler())
    logging.getLogger("pyhanko_certvalidator").addHandler(logging.NullHandler())

    data = _read(args.file, "the PDF")
    trust = [c for t in args.trust for c in load_certificates(_read(t, "the certificate"))]
    anchors = "--trust"
    if not trust:
        # By default the signer must be one this data folder vouches for: its own device, the
        # institution whose kit it holds, or (at the institution) its own root. Anyone can
        # sign a PDF; "intact" alone says nothing about who.
        trust, anchors = _local_anchors(args.data_dir), "this data folder's certificates"
    result = check_pdf(data, trust, at=args.at)
    _print_signatures(result, anchors if trust else None)
    record = _print_record(result, args.data_dir)
    status = result.reference.status if result.reference is not None else ""
    ok = result.intact and bool(trust) and result.trusted and record is not False
    if ok:
        standing = STANDING.get(RecordStatus(status)) if is_record_status(status) else None
        proven = result.timestamped_at
        if standing is not None:  # intact, and still not a record to act on
            print(f"结论：完好，但{standing[0]} (result: intact, but {standing[1]})")
        elif proven is not None:
            print(
                f"结论：完好，签名按评价机构时间戳证明的时间 {_when(proven)} 核验 (result: "
                f"intact, the signature judged at {_when(proven)}, when the institution's "
                "timestamp proves it existed)"
            )
        else:
            print("结论：完好 (result: intact)")
        return 0
    if trust and record is not False and result.expired_since_signing:
        if any(s.timestamp for s in result.signatures):
            print(
                "结论：签名时有效，证书此后已过期，存档时间戳也已失效：请续期 (result: valid when "
                "signed, certificate expired since, and the archive's timestamps are no longer "
                "valid: the archive was not renewed in time)"
            )
        else:
            print(
                "结论：签名时有效，证书此后已过期，文件无时间戳：请核对评价机构的存档副本 "
                "(result: valid when signed, certificate expired since, no timestamp: check the "
                "institution's archived copy)"
            )
        return 1
    if result.intact and not trust and record is not False:
        print(
            "结论：文件完好，但签名者未核验 (result: intact, but the signer is NOT verified: "
            "give --trust CERT, the institution's root or the device's certificate)"
        )
        return 1
    print("结论：不完好或不可信 (result: NOT intact or not trusted)")
    return 1


def _local_anchors(data_dir: str | None) -> list[x509.Certificate]:
    from app.core.paths import data_dir as find_data_dir
    from app.core.reports.pdf_verification import local_trust_anchors

    folder = find_data_dir(data_dir, create=False)
    return local_trust_anchors(folder) if folder.is_dir() else []


def _when(value: dt.datetime | None) -> str:
    return (
        "unknown" if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    )


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _print_signatures(result: PdfCheck, anchors: str | None) -> None:
    if result.problem:
        print(f"problem: {result.problem}")
    if not result.signatures:
        print("signature: none (the file is not signed)")
    for sig in result.signatures:
        if sig.timestamp:
            print(f"document timestamp: {sig.field_name}")
            print(f"  by: {sig.signer}")
            print(f"  time: {_when(sig.signed_at)}")
        else:
            print(f"signature: {sig.field_name}")
            print(f"  signed by: {sig.signer}")
            print(f"  signed at: {_when(sig.signed_at)}")
        print(f"  intact: {_yes(sig.intact and sig.valid)}")
        if sig.covers_whole_file or not sig.only_archival_after:
            print(f"  covers the whole file: {_yes(sig.covers_whole_file)}")
        else:
            print(
                "  covers the whole file: only the archive's timestamps and validation data follow"
            )
        print(f"  certificate valid until: {_when(sig.certificate_ends)}")
        if anchors is None:
            print("  trusted: not checked (no certificate to check against: give --trust CERT)")
            continue
        print(f"  trusted: {_yes(sig.trusted)} (against {anchors})")
        when = _when(sig.judged_at)
        if sig.by_timestamp:
            when += ", the time the timestamp after it proves"
        print(f"  certificates judged at: {when}")
        if sig.timestamp and not sig.trusted:
            print("  note: this timestamp proves no time here (its authority is not trusted)")
        if not sig.trusted and sig.trusted_when_signed:
            print(
                f"  note: trusted at the time it states, but its certificate ended "
                f"{_when(sig.certificate_ends)}"
            )


def _print_record(result: PdfCheck, data_dir: str | None) -> bool | None:
    """Compare the record hash the PDF names with the local database: True, False or None."""
    reference = result.reference
    if reference is None:
        print("record: the PDF names no record")
        return None
    if reference.kind != "incident" or not reference.record_id:
        print(f"record: {reference.kind} report, session {reference.session or '?'}")
        return None
    print(f"record: incident {reference.record_id} version {reference.version}")
    print(f"  content hash in the PDF: {reference.content_hash}")
    stored = _stored(reference.record_id, data_dir)
    # What the PDF itself says of the record's standing when it was made: a draft is no record
    # to act on, whatever the signature's verdict.
    _print_standing(reference.status, "the PDF shows")
    if stored is None:
        print("  local database: record not found (hash not compared)")
        return None
    if stored["content_hash"] != reference.content_hash:
        print(f"  local database: content hash DIFFERS (database has {stored['content_hash']})")
        return False
    print("  local database: content hash matches")
    if stored["status"] != reference.status and stored["status"] != RecordStatus.VOID:
        _print_standing(str(stored["status"]), "the local database has")
    # The PDF stays authentic evidence of that version; a reader must still know it is not
    # the one in force.
    if stored["status"] == RecordStatus.VOID:
        print(f"  注意 note: this version is void since: {stored['void_reason']}")
    elif stored.get("superseded_by_version") is not None:
        print(
            f"  注意 note: this version was replaced by version {stored['superseded_by_version']}"
        )
    return True


STANDING = {
    RecordStatus.DRAFT: ("本记录为草稿", "a DRAFT, not signed and confirmed"),
    RecordStatus.SIGNED: ("本记录尚未确认", "NOT CONFIRMED by the site head"),
    RecordStatus.VOID: ("本记录已作废", "a VOID record"),
}


def _print_standing(status: str, source: str) -> None:
    """A note when the record is a draft, unconfirmed or void."""
    if status in STANDING:
        zh, en = STANDING[RecordStatus(status)]
        print(f"  注意 note: {zh} ({source} {en})")


def _stored(record_id: str, data_dir: str | None) -> dict[str, object] | None:
    """The local database's content hash and standing of the record version (None when there
    is no database here or no such record)."""
    from app.core.paths import data_dir as find_data_dir
    from app.core.records.db import DB_FILE

    folder = find_data_dir(data_dir, create=False)
    if not (folder / DB_FILE).is_file():
        return None  # no local database here: do not create one just to look
    from app.core.records.service import Workspace
    from app.core.reports.from_records import stored_record_state

    try:
        with Workspace.open(folder) as workspace:
            return stored_record_state(workspace, record_id)
    except Exception as exc:  # a damaged database must not hide the signature verdict
        sys.stderr.write(f"proctor-desk: warning: local database not read: {exc}\n")
        return None


def _archived(args: argparse.Namespace) -> int:
    from app.core.reports import archive

    if args.id is None and args.out:
        raise CliError("--out writes one archived PDF: give its ID (the list shows them)")
    if args.id is not None:
        if not args.out:
            raise CliError("give --out FILE to write the archived PDF")
        refuse_existing(args.out)
        folder = _institution_folder(args)
        with _shared_records(folder) as shared:
            engine = shared.engine if shared is not None else None
            entry = archive.find(folder, args.id, engine=engine)
            pdf = archive.read_archived(folder, entry, engine=engine)
        path = _write(args.out, pdf)
        print(f"已写入存档副本 {path} (wrote the archived copy of {entry.id})")
        return 0
    if args.renew or args.rebuild:
        _change_archive(args)
    folder = _institution_folder(args)
    with _shared_records(folder) as shared:
        entries = archive.load_index(folder, engine=shared.engine if shared is not None else None)
    if args.json:
        keys = ("id", "kind", "record", "session_id", "timestamped_at")
        listed = [{**{k: e.to_json()[k] for k in keys}, **e.to_json()} for e in entries]
        print(json.dumps(listed, ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("没有存档报告 (no archived PDFs: they come with imported bundles)")
    for e in entries:
        what = f"{e.kind or 'pdf'} {e.record or ''} v{e.version}" if e.record else e.kind
        stamped = e.timestamped_at or f"NOT timestamped ({e.problem})"
        print(f"{e.id}  {what}  session {e.session_id[:8]}  timestamped {stamped}  {e.file}")
    return 0


def _institution_folder(args: argparse.Namespace) -> Path:
    from app.cli.institution import data_folder
    from app.core.trust import institution

    folder = data_folder(args)
    if not institution.exists(folder):
        raise CliError(
            "the archive is kept at the institution: this data folder holds no institution "
            "(on a laptop, 'report verify FILE' checks a copy)"
        )
    return folder


@contextmanager
def _shared_records(folder: Path) -> Iterator[Workspace | None]:
    """The records on the shared database that keeps the archive (``--database-url`` or
    ``$PROCTOR_DESK_DATABASE_URL``), opened only to look; None: the folder keeps it."""
    import os

    from app.core.records.db import DATABASE_URL_ENV
    from app.core.records.service import Workspace

    if not os.environ.get(DATABASE_URL_ENV):
        yield None
        return
    with Workspace.open(folder, read_only=True) as workspace:
        yield workspace


def _change_archive(args: argparse.Namespace) -> None:
    from app.cli.institution import load_identity
    from app.core.records.service import Workspace
    from app.core.reports import archive

    folder = _institution_folder(args)
    # The writer lock: no import adds to the index meanwhile.
    with Workspace.open(folder) as workspace:
        if args.rebuild:
            rebuilt = archive.rebuild(folder, engine=workspace.engine)
            print(f"已重建存档索引：{len(rebuilt)} 份 (rebuilt the archive index)")
        if args.renew:
            renewed = archive.renew(folder, load_identity(args), engine=workspace.engine)
            failed = [e for e in renewed if e.problem]
            print(
                f"已续加时间戳 {len(renewed) - len(failed)} 份 "
                f"(renewed {len(renewed) - len(failed)} archived PDFs)"
            )
            for e in failed:
                print(f"  {e.id} {e.file}: NOT timestamped ({e.problem})")
