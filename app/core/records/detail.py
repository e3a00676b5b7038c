"""One record version in full, JSON-ready: content, signatures, seal, returns, audit trail."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.core.records.incidents import load_content, record_versions
from app.core.records.stroke_codec import StrokesError, decode_strokes
from app.core.records.tables import AuditEntry, Incident, Seal, SeizedReturn, Signature, to_utc_text


def incident_detail(db: Session, incident: Incident) -> dict[str, Any]:
    """Everything about one record version, JSON-ready."""
    signatures = db.exec(
        select(Signature)
        .where(col(Signature.incident_id) == incident.id)
        .order_by(col(Signature.signed_at))
    ).all()
    seal = db.get(Seal, incident.id)
    # Returns recorded on earlier versions still stand: the item was handed back.
    returns = db.exec(
        select(SeizedReturn)
        .where(col(SeizedReturn.incident_id).in_(record_versions(db, incident)))
        .order_by(col(SeizedReturn.returned_at))
    ).all()
    entries = db.exec(
        select(AuditEntry)
        .where(col(AuditEntry.incident_id) == incident.id)
        .order_by(col(AuditEntry.seq))
    ).all()
    return {
        "id": incident.id,
        "number": incident.number,
        "version": incident.version,
        "session_id": incident.session_id,
        "status": incident.status,
        "void_reason": incident.void_reason,
        "supersedes": incident.supersedes_id,
        "superseded_by": incident.superseded_by_id,
        "party": incident.party,
        "clause": incident.clause,
        "content_hash": incident.content_hash,
        "content": load_content(db, incident),
        "signatures": [
            {
                "id": s.id,
                "kind": s.kind,
                "signer_name": s.signer_name,
                "role": s.role,
                "staff_id": s.staff_id,
                "candidate_id": s.candidate_id,
                "signed_at": to_utc_text(s.signed_at),
                "content_hash": s.content_hash,
                "voided": s.voided_at is not None,
                **_strokes(s.strokes_json),
            }
            for s in signatures
        ],
        "seal": None
        if seal is None
        else {
            "device_id": seal.device_id,
            "public_key": seal.public_key,
            "payload_hash": seal.payload_hash,
            "signature": seal.signature,
            "sealed_at": to_utc_text(seal.sealed_at),
        },
        "returns": [
            {
                "receipt_number": r.receipt_number,
                "returned_at": to_utc_text(r.returned_at),
                "returned_to": r.returned_to,
                "recorded_by": r.recorded_by,
            }
            for r in returns
        ],
        "audit": [
            {"seq": e.seq, "at": to_utc_text(e.at), "action": e.action, "actor_id": e.actor_id}
            for e in entries
        ],
    }


def _strokes(stored: str) -> dict[str, Any]:
    """The signature's strokes; strokes edited unreadable in the database show as none, marked
    (the record then fails ``verify``, which names it)."""
    try:
        return {"strokes": decode_strokes(stored)}
    except StrokesError:
        return {"strokes": [], "strokes_unreadable": True}
