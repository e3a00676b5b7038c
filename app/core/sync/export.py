"""Bundle export on a laptop: a session's records, as they are, into one bundle.

A full bundle holds every incident version of the session with its signatures (strokes
included), seal and seized-item returns, the session's audit entries, its plan and rosters,
and the evidence files. An incremental one (``since_last``) holds what changed after the
previous bundle of this session: incidents touched by newer audit entries or updated later,
with the versions they amend, and the newer audit entries. Export never makes PDFs.

A session that came from a kit is encrypted to the institution's key and carries the chain
root → site → device; one created on site is signed only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from sqlmodel import Session, col, select, update

from app.core.bundles import BundleReceipt, write_bundle
from app.core.bundles import formats as fmt
from app.core.errors import UserError
from app.core.records import audit as audit_log
from app.core.records import dialect
from app.core.records.backups import rolling_backup_quietly
from app.core.records.content import lists_no_evidence
from app.core.records.exchange_tables import ExportedBundle
from app.core.records.file_store import StoredFileError, evidence_local_path
from app.core.records.service import Workspace
from app.core.records.status import RecordStatus
from app.core.records.tables import (
    AuditEntry,
    Device,
    Evidence,
    Incident,
    Seal,
    SeizedReturn,
    Signature,
)
from app.core.sync.collection import cycles_collected_later
from app.core.sync.rows import row_to_json
from app.core.sync.session_rows import session_rows
from app.core.trust import site_state
from app.core.trust.certificates import to_pem

Progress = Callable[[int, int], None]


class ExportError(UserError):
    """A bundle that cannot be exported as asked."""


@dataclass(frozen=True)
class ExportResult:
    receipt: BundleReceipt
    session_id: str
    mode: str
    previous_bundle_id: str | None
    incidents: int
    audit_entries: int
    evidence_files: int
    reports: int = 0

    @property
    def text(self) -> str:
        """The receipt for the paper log, with what the bundle holds."""
        return self.text_in()

    def text_in(self, zone: str = "Asia/Shanghai") -> str:
        """The receipt for the paper log, its time in the session's time ``zone``."""
        return "\n".join(
            [
                self.receipt.text_in(zone),
                f"Session {self.session_id}, {self.mode}"
                + (f" after {self.previous_bundle_id}" if self.previous_bundle_id else ""),
                f"Incident versions {self.incidents}, audit entries {self.audit_entries}, "
                f"evidence files {self.evidence_files}, signed PDFs {self.reports}",
            ]
        )


def matches_export(data_dir: Path, bundle_id: str, sha256: str | None) -> bool | None:
    """Whether ``sha256`` is that of the bundle this laptop exported as ``bundle_id`` (None:
    no such export here, or no records database)."""
    from app.core.records.db import records_exist
    from app.core.records.service import Workspace

    if not records_exist(data_dir):
        return None
    with Workspace.open(data_dir, read_only=True) as workspace, workspace.reading() as db:
        row = db.get(ExportedBundle, bundle_id)
    return None if row is None else row.sha256 == sha256


def _last_export(db: Session, session_id: str) -> ExportedBundle | None:
    return db.exec(
        select(ExportedBundle)
        .where(col(ExportedBundle.session_id) == session_id)
        .order_by(col(ExportedBundle.audit_seq).desc(), col(ExportedBundle.created_at).desc())
        .limit(1)
    ).first()


_INCIDENT_COLUMNS = list(Incident.model_fields)
_SIGNATURE_COLUMNS = list(Signature.model_fields)
_SEAL_COLUMNS = list(Seal.model_fields)
_RETURN_COLUMNS = list(SeizedReturn.model_fields)
_BOOLEAN_COLUMNS = {"regulator_flag"}


def _raw_rows(
    db: Session,
    table: str,
    columns: list[str],
    key: str,
    ids: list[str],
    *,
    also: tuple[str, object] | None = None,
    order: str | None = None,
) -> Any:
    """Rows as stored (instants are already the UTC text bundles carry), fetched in chunks;
    ``also``: one more condition with its one parameter; ``order``: within each chunk (by
    ``key`` and the first column if not given).

    Read without the ORM: 10,000 records are read in a few queries instead of 40,000 ORM
    loads, which is most of the export time otherwise.
    """
    connection = db.connection()
    names = ", ".join(columns)
    condition, extra = (f" AND {also[0]}", (also[1],)) if also else ("", ())
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = dialect.marks(db, len(chunk))
        yield from connection.exec_driver_sql(
            f"SELECT {names} FROM {table} WHERE {key} IN ({marks}){condition} "
            f"ORDER BY {order or f'{key}, 1'}",
            (*chunk, *extra),
        )


def _as_record(columns: list[str], row: Any) -> dict[str, Any]:
    out = dict(zip(columns, row, strict=True))
    for name in _BOOLEAN_COLUMNS & out.keys():
        out[name] = bool(out[name])
    return out


def _incident_records(db: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    """incident id → its record: row, content (canonical text), signatures, seal, returns."""
    records: dict[str, dict[str, Any]] = {}
    for row in _raw_rows(db, "incident", _INCIDENT_COLUMNS, "id", ids):
        values = _as_record(_INCIDENT_COLUMNS, row)
        records[values["id"]] = {
            "incident": values,
            "content_json": None,
            "signatures": [],
            "seal": None,
            "returns": [],
        }
    for incident_id, text in _raw_rows(
        db, "incident_content", ["incident_id", "content_json"], "incident_id", ids
    ):
        records[incident_id]["content_json"] = text
    for row in _raw_rows(db, "signature", _SIGNATURE_COLUMNS, "incident_id", ids):
        values = _as_record(_SIGNATURE_COLUMNS, row)
        records[values["incident_id"]]["signatures"].append(values)
    for row in _raw_rows(db, "seal", _SEAL_COLUMNS, "incident_id", ids):
        values = _as_record(_SEAL_COLUMNS, row)
        records[values["incident_id"]]["seal"] = values
    for row in _raw_rows(db, "seized_return", _RETURN_COLUMNS, "incident_id", ids):
        values = _as_record(_RETURN_COLUMNS, row)
        records[values["incident_id"]]["returns"].append(values)
    for ident, record in records.items():
        if record["content_json"] is None:
            raise ExportError(f"incident {ident}: its content is missing")
        record["signatures"].sort(key=lambda s: s["id"])
        record["returns"].sort(key=lambda r: r["id"])
    return records


def _text_size(record: dict[str, Any]) -> int:
    """Roughly the record's JSON size: its long texts (content and strokes) dominate it."""
    return (
        2048
        + len(record["content_json"].encode("utf-8"))
        + sum(len(s["strokes_json"]) + 512 for s in record["signatures"])
        + sum(len(r["strokes_json"]) + 512 for r in record["returns"])
    )


class _Chosen(NamedTuple):
    """What the export needs of each incident it chooses (the rows themselves are read raw,
    by ``_incident_records``): four columns, not an ORM object (10,000 of those cost a
    second)."""

    id: str
    supersedes_id: str | None
    created_at: dt.datetime
    status: str


_CHOSEN = tuple(col(getattr(Incident, name)) for name in _Chosen._fields)
# An audit entry as a bundle carries it: every column but the signature (the chain of the
# laptop's log is checked by its hashes; the signature stays with the laptop).
_AUDIT_COLUMNS = [name for name in AuditEntry.model_fields if name != "signature"]


def _audit_rows(
    db: Session, key: str, values: list[str], since: int, *, after: bool
) -> list[dict[str, Any]]:
    """The audit entries whose ``key`` is one of ``values``, after ``since`` (else up to it),
    in order, as bundles carry them: columns as stored (instants are the UTC text)."""
    rows = _raw_rows(
        db,
        str(AuditEntry.__tablename__),
        _AUDIT_COLUMNS,
        key,
        values,
        also=(f"seq {'>' if after else '<='} {dialect.mark(db)}", since),
        order="seq",
    )
    return [dict(zip(_AUDIT_COLUMNS, row, strict=True)) for row in rows]


def _with_earlier_versions(db: Session, chosen: dict[str, _Chosen]) -> None:
    """Add the versions each chosen incident amends, so every bundle is self-contained."""
    todo = [i.supersedes_id for i in chosen.values() if i.supersedes_id]
    while todo:
        ident = todo.pop()
        if ident is None or ident in chosen:
            continue
        row = db.exec(select(*_CHOSEN).where(col(Incident.id) == ident)).first()
        if row is not None:
            found = chosen[ident] = _Chosen(*row)
            if found.supersedes_id:
                todo.append(found.supersedes_id)


def _evidence_files(db: Session, data_dir: Path, shas: Iterable[str]) -> list[tuple[str, Path]]:
    """Each evidence file's name in the bundle and a path to its bytes (on a shared database a
    checked copy in the data folder)."""
    files: list[tuple[str, Path]] = []
    for sha in shas:
        try:
            path = evidence_local_path(db, data_dir, sha)
        except StoredFileError as exc:
            raise ExportError(str(exc)) from None
        files.append((fmt.evidence_name(sha), path))
    return files


@cycles_collected_later()
def export_bundle(
    workspace: Workspace,
    session_ref: str,
    out: Path,
    *,
    since_last: bool = False,
    reports: Sequence[Path] = (),
    overwrite: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the session's bundle to ``out`` and remember it for the next ``since_last``; then a
    rolling backup of the database (``records.backups``).

    ``reports`` are signed PDFs of the session to carry along (export never makes PDFs).
    """
    session_id = workspace.resolve_session_id(session_ref)
    workspace.refuse_if_purged(session_id)
    data_dir = workspace.data_dir
    device = workspace.device
    with workspace.reading() as db:
        last = _last_export(db, session_id)
        if since_last and last is None:
            raise ExportError(
                "no earlier bundle of this session was exported here; export a full one first"
            )
        since = last.audit_seq if since_last and last is not None else 0
        since_time = last.created_at if since_last and last is not None else None
        audit = _audit_rows(db, "session_id", [session_id], since, after=True)
        top = db.exec(select(AuditEntry.seq).order_by(col(AuditEntry.seq).desc()).limit(1)).first()
        query = select(*_CHOSEN).where(col(Incident.session_id) == session_id)
        if since_time is not None:
            touched = {e["incident_id"] for e in audit if e["incident_id"]}
            query = query.where(
                col(Incident.id).in_(touched) | (col(Incident.updated_at) > since_time)
            )
        chosen = {row[0]: _Chosen(*row) for row in db.exec(query).all()}
        _with_earlier_versions(db, chosen)
        if since:
            audit = _with_record_history(db, audit, since, list(chosen))
        incidents = sorted(chosen.values(), key=lambda i: (i.created_at, i.id))
        records: list[tuple[str, Any]] = [
            (fmt.SESSION_RECORD, session_rows(db, session_id)),
        ]
        device_row = db.get(Device, device.device_id)
        records.append(
            (
                fmt.DEVICE_RECORD,
                {
                    "device_id": device.device_id,
                    "code": device.code,
                    "public_key": device.public_bytes.hex(),
                    "first_seen": None
                    if device_row is None
                    else row_to_json(device_row)["first_seen"],
                },
            )
        )
        shas: dict[str, None] = {}
        by_id = _incident_records(db, [i.id for i in incidents])
        group: list[dict[str, Any]] = []
        group_bytes = 0
        for incident in incidents:
            record = by_id[incident.id]
            if record["incident"]["status"] == RecordStatus.CONFIRMED:
                # Sent as it will stand once this bundle is written (see _mark_exported).
                record["incident"]["status"] = RecordStatus.EXPORTED.value
            if not lists_no_evidence(record["content_json"]):
                for item in json.loads(record["content_json"]).get("evidence", []):
                    shas[str(item["sha256"])] = None
            size = _text_size(record)
            if group and (
                len(group) >= fmt.INCIDENTS_PER_RECORD or group_bytes + size > fmt.GROUP_BYTES
            ):
                records.append((fmt.incidents_name(len(records)), group))
                group, group_bytes = [], 0
            group.append(record)
            group_bytes += size
        if group:
            records.append((fmt.incidents_name(len(records)), group))
        evidence_rows = []
        for sha in shas:
            row = db.get(Evidence, sha)
            if row is not None:
                evidence_rows.append(row_to_json(row))
        records.append((fmt.EVIDENCE_RECORD, evidence_rows))
        evidence_files = _evidence_files(db, data_dir, shas)
        for index in range(0, len(audit), fmt.AUDIT_PER_RECORD):
            chunk = audit[index : index + fmt.AUDIT_PER_RECORD]
            records.append((fmt.audit_name(index // fmt.AUDIT_PER_RECORD), chunk))
    files = evidence_files
    evidence_count = len(files)
    for report in reports:
        report = Path(report)
        try:
            with report.open("rb") as handle:
                is_pdf = handle.read(5) == b"%PDF-"
        except OSError as exc:
            raise ExportError(f"{report}: cannot be read ({exc.strerror})") from None
        if not is_pdf or report.suffix.lower() != ".pdf":
            raise ExportError(f"{report.name}: not a PDF file")
        files.append((fmt.report_name(report.name), report))
    kit_session = site_state.is_kit_session(data_dir, session_id)
    institution = site_state.pinned_institution(data_dir) if kit_session else None
    credentials = site_state.load_credentials(data_dir, session_id) if kit_session else None
    session = records[0][1]["session"]
    mode = "incremental" if since_last else "full"
    previous = last.bundle_id if last is not None else None
    fields: dict[str, Any] = {
        "kind": fmt.KIND,
        "records_version": fmt.RECORDS_VERSION,
        "device_id": device.device_id,
        "device_code": device.code,
        "certificate_chain": None if credentials is None else to_pem(credentials.chain),
        "institution": None
        if institution is None
        else {
            "id": institution.institution_id,
            "name": institution.name,
            "fingerprint": institution.fingerprint,
        },
        "site": session["site_name"],
        "session_id": session_id,
        "mode": mode,
        "previous_bundle_id": previous,
        "since_audit_seq": since,
        "audit_seq": top or 0,
        "counts": {
            "incidents": len(incidents),
            "audit_entries": len(audit),
            "evidence_files": evidence_count,
            "reports": len(reports),
        },
    }
    receipt = write_bundle(
        Path(out),
        fields,
        records,
        files,
        device.private_key,
        None if institution is None else institution.recipient,
        overwrite=overwrite,
        progress=progress,
    )
    try:
        _record_export(workspace, session_id, receipt, incidents, mode, previous, top or 0)
    except BaseException:
        # Not recorded (a full disk …): the file must not stand as an export this laptop
        # knows nothing of (``--since-last`` would start from an earlier one).
        Path(out).unlink(missing_ok=True)
        raise
    rolling_backup_quietly(data_dir, "export")
    return ExportResult(
        receipt,
        session_id,
        mode,
        previous,
        len(incidents),
        len(audit),
        evidence_count,
        len(reports),
    )


def _record_export(
    workspace: Workspace,
    session_id: str,
    receipt: BundleReceipt,
    incidents: Sequence[_Chosen],
    mode: str,
    previous: str | None,
    top: int,
) -> None:
    with workspace.transaction() as db:
        db.add(
            ExportedBundle(
                bundle_id=receipt.bundle_id,
                session_id=session_id,
                created_at=dt.datetime.now(dt.UTC),
                sha256=receipt.sha256,
                mode=mode,
                previous_bundle_id=previous,
                audit_seq=top,
                record_count=receipt.record_count,
            )
        )
        _mark_exported(db, workspace, session_id, receipt, incidents)


def _with_record_history(
    db: Session, audit: list[dict[str, Any]], since: int, ids: list[str]
) -> list[dict[str, Any]]:
    """``audit`` with the earlier entries of the records the bundle holds: each record travels
    with its whole history (its voiding, the amendment that made it), so the institution can
    check its standing whatever order the bundles arrive in."""
    earlier = _audit_rows(db, "incident_id", ids, since, after=False)
    return sorted([*audit, *earlier], key=lambda e: int(e["seq"]))


def _mark_exported(
    db: Session,
    workspace: Workspace,
    session_id: str,
    receipt: BundleReceipt,
    incidents: Sequence[_Chosen],
) -> None:
    """Confirmed records that left in this bundle become ``exported``: one audit entry for the
    bundle, and a status change outside the signed content. ``updated_at`` stays as it was, so
    the next ``--since-last`` bundle does not carry them again for this alone."""
    ids = sorted(i.id for i in incidents if i.status == RecordStatus.CONFIRMED)
    for start in range(0, len(ids), 500):
        db.execute(
            update(Incident)
            .where(col(Incident.id).in_(ids[start : start + 500]))
            .where(col(Incident.status) == RecordStatus.CONFIRMED)
            .values(status=RecordStatus.EXPORTED)
        )
    audit_log.append(
        db,
        action="export",
        device=workspace.device,
        session_id=session_id,
        details={"bundle_id": receipt.bundle_id, "sha256": receipt.sha256, "incidents": ids},
    )
