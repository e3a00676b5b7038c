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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from app.core.bundles import BundleReceipt, write_bundle
from app.core.errors import UserError
from app.core.kits import site_state
from app.core.records.evidence import evidence_path
from app.core.records.service import Workspace
from app.core.records.tables import (
    AuditEntry,
    Device,
    Evidence,
    Incident,
    IncidentContent,
    Seal,
    SeizedReturn,
    Signature,
)
from app.core.sync import bundle_format as fmt
from app.core.sync.rows import row_to_json
from app.core.sync.session_rows import session_rows
from app.core.sync.tables import ExportedBundle
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

    @property
    def text(self) -> str:
        """The receipt for the paper log, with what the bundle holds."""
        return "\n".join(
            [
                self.receipt.text,
                f"Session {self.session_id}, {self.mode}"
                + (f" after {self.previous_bundle_id}" if self.previous_bundle_id else ""),
                f"Incident versions {self.incidents}, audit entries {self.audit_entries}, "
                f"evidence files {self.evidence_files}",
            ]
        )


def _last_export(db: Session, session_id: str) -> ExportedBundle | None:
    return db.exec(
        select(ExportedBundle)
        .where(col(ExportedBundle.session_id) == session_id)
        .order_by(col(ExportedBundle.audit_seq).desc(), col(ExportedBundle.created_at).desc())
        .limit(1)
    ).first()


def _incident_record(db: Session, incident: Incident) -> dict[str, Any]:
    content = db.get(IncidentContent, incident.id)
    if content is None:
        raise ExportError(f"incident {incident.number}: its content is missing")
    seal = db.get(Seal, incident.id)
    signatures = db.exec(
        select(Signature)
        .where(col(Signature.incident_id) == incident.id)
        .order_by(col(Signature.id))
    ).all()
    returns = db.exec(
        select(SeizedReturn)
        .where(col(SeizedReturn.incident_id) == incident.id)
        .order_by(col(SeizedReturn.id))
    ).all()
    return {
        "incident": row_to_json(incident),
        "content": json.loads(content.content_json),
        "signatures": [row_to_json(s) for s in signatures],
        "seal": None if seal is None else row_to_json(seal),
        "returns": [row_to_json(r) for r in returns],
    }


def _with_earlier_versions(db: Session, chosen: dict[str, Incident]) -> None:
    """Add the versions each chosen incident amends, so every bundle is self-contained."""
    todo = [i.supersedes_id for i in chosen.values() if i.supersedes_id]
    while todo:
        ident = todo.pop()
        if ident is None or ident in chosen:
            continue
        found = db.get(Incident, ident)
        if found is not None:
            chosen[ident] = found
            if found.supersedes_id:
                todo.append(found.supersedes_id)


def export_bundle(
    workspace: Workspace,
    session_ref: str,
    out: Path,
    *,
    since_last: bool = False,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the session's bundle to ``out`` and remember it for the next ``since_last``."""
    session_id = workspace.resolve_session_id(session_ref)
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
        audit = list(
            db.exec(
                select(AuditEntry)
                .where(col(AuditEntry.session_id) == session_id, col(AuditEntry.seq) > since)
                .order_by(col(AuditEntry.seq))
            ).all()
        )
        top = db.exec(select(AuditEntry.seq).order_by(col(AuditEntry.seq).desc()).limit(1)).first()
        query = select(Incident).where(col(Incident.session_id) == session_id)
        if since_time is not None:
            touched = {e.incident_id for e in audit if e.incident_id}
            query = query.where(
                col(Incident.id).in_(touched) | (col(Incident.updated_at) > since_time)
            )
        chosen = {i.id: i for i in db.exec(query).all()}
        _with_earlier_versions(db, chosen)
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
        for incident in incidents:
            record = _incident_record(db, incident)
            for item in record["content"].get("evidence", []):
                shas[str(item["sha256"])] = None
            records.append((fmt.incident_name(incident.id), record))
        evidence_rows = []
        for sha in shas:
            row = db.get(Evidence, sha)
            if row is not None:
                evidence_rows.append(row_to_json(row))
        records.append((fmt.EVIDENCE_RECORD, evidence_rows))
        for index in range(0, len(audit), fmt.AUDIT_PER_RECORD):
            chunk = audit[index : index + fmt.AUDIT_PER_RECORD]
            records.append(
                (fmt.audit_name(index // fmt.AUDIT_PER_RECORD), [row_to_json(e) for e in chunk])
            )
    files: list[tuple[str, Path]] = []
    for sha in shas:
        path = evidence_path(data_dir, sha)
        if not path.is_file():
            raise ExportError(f"evidence file {sha[:12]}… is missing from the data folder")
        files.append((fmt.evidence_name(sha), path))
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
            "evidence_files": len(files),
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
    with workspace.transaction() as db:
        db.add(
            ExportedBundle(
                bundle_id=receipt.bundle_id,
                session_id=session_id,
                created_at=dt.datetime.now(dt.UTC),
                sha256=receipt.sha256,
                mode=mode,
                previous_bundle_id=previous,
                audit_seq=top or 0,
                record_count=receipt.record_count,
            )
        )
    return ExportResult(receipt, session_id, mode, previous, len(incidents), len(audit), len(files))
