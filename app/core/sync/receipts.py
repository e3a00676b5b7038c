"""Import receipts and purge.

After importing a bundle the institution can issue a receipt: a small JSON file signed with
its Ed25519 key naming the bundle (id and SHA-256), device, session and counts. The laptop
accepts it only when the signature is the institution's and the bundle is one it wrote; once
the latest bundle of a session is receipted and nothing changed since, the laptop may purge
the session's personal data, keeping the receipts.

An incremental bundle carries only what changed since the one before it, so a receipt for it
alone would not prove the institution holds the session: a receipt is issued only when the
session's earlier bundles (its ``previous_bundle_id`` chain, back to a full bundle, which holds
everything before it) are imported too, and says so (``covers_earlier_bundles``). A receipt
without that statement (from an earlier version) lets the laptop purge only when each of the
session's bundles has its own receipt.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.core.bundles.errors import BundleError
from app.core.bundles.strict_json import parse_json
from app.core.errors import UserError
from app.core.records import audit
from app.core.records.backups import purge_backups
from app.core.records.exchange_tables import ExportedBundle, ImportedBundle, PurgedSession
from app.core.records.file_store import remove_evidence, remove_evidence_file
from app.core.records.register_tables import KitCandidate, KitScreen
from app.core.records.service import Workspace
from app.core.records.tables import (
    AuditEntry,
    Candidate,
    Evidence,
    Incident,
    IncidentContent,
    Seal,
    SeizedReturn,
    Signature,
    Staff,
)
from app.core.seal.canonical import canonical_bytes
from app.core.seal.device_keys import fingerprint, verify_signature
from app.core.trust import site_state
from app.core.trust.device_trust import normalise
from app.core.trust.institution import InstitutionIdentity

RECEIPT_KIND = "proctor-desk-import-receipt"
_DOMAIN = b"PDRECEIPT v1\x00"
MAX_RECEIPT_BYTES = 64 * 1024
COVERS_EARLIER = "covers_earlier_bundles"


class ReceiptError(UserError):
    """A receipt that cannot be issued or accepted, or a purge that is not allowed yet."""


def issue_receipt(workspace: Workspace, identity: InstitutionIdentity, bundle_id: str) -> bytes:
    """The signed receipt for an imported bundle, as the bytes of a small JSON file."""
    with workspace.reading() as db:
        row = db.get(ImportedBundle, bundle_id)
    if row is None:
        raise ReceiptError(f"bundle {bundle_id} has not been imported here")
    missing = _missing_predecessor(workspace, row)
    if missing is not None:
        raise ReceiptError(
            f"bundle {bundle_id} follows bundle {missing} of the same session, which has not "
            "been imported here; import it first (a receipt says the institution holds all "
            "the laptop sent of the session up to this bundle)"
        )
    payload: dict[str, Any] = {
        "kind": RECEIPT_KIND,
        "version": 1,
        "bundle_id": row.bundle_id,
        "bundle_sha256": row.sha256,
        "session_id": row.session_id,
        "device_id": row.device_id,
        "institution_id": identity.public.institution_id,
        "institution_key": identity.public.signing_key.hex(),
        "imported_at": row.imported_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "counts": json.loads(row.counts_json),
        COVERS_EARLIER: True,
    }
    signature = identity.signing_key.sign(_DOMAIN + canonical_bytes(payload))
    return canonical_bytes({"receipt": payload, "signature": signature.hex()})


def _missing_predecessor(workspace: Workspace, row: ImportedBundle) -> str | None:
    """The first bundle back along the session's chain that has not been imported, if any.
    A full bundle holds all of the session up to it, so the walk stops at one."""
    seen = {row.bundle_id}
    current = row
    with workspace.reading() as db:
        while current.mode != "full" and current.previous_bundle_id is not None:
            previous = current.previous_bundle_id
            if previous in seen:  # a loop: bundles naming each other (never written so)
                return previous
            earlier = db.get(ImportedBundle, previous)
            if earlier is None:
                return previous
            seen.add(previous)
            current = earlier
    return None


@dataclass(frozen=True)
class AcceptedReceipt:
    bundle_id: str
    session_id: str
    institution_fingerprint: str


def accept_receipt(
    workspace: Workspace, data: bytes, expect_institution: str | None = None
) -> AcceptedReceipt:
    """Check the receipt against the institution's key and this laptop's exports; keep it."""
    if len(data) > MAX_RECEIPT_BYTES:
        raise ReceiptError("the receipt file is too large to be a receipt")
    try:
        value = parse_json(data, "receipt", MAX_RECEIPT_BYTES, 8)
        payload, signature = value["receipt"], bytes.fromhex(value["signature"])
        key = bytes.fromhex(payload["institution_key"])
        if set(value) != {"receipt", "signature"} or payload["kind"] != RECEIPT_KIND:
            raise ValueError("not an import receipt")
        bundle_id, session_id = str(payload["bundle_id"]), str(payload["session_id"])
    except (BundleError, KeyError, TypeError, ValueError) as exc:
        raise ReceiptError(f"not a readable import receipt ({exc})") from None
    pinned = site_state.pinned_institution(workspace.data_dir)
    if pinned is not None and pinned.signing_key != key:
        raise ReceiptError("the receipt is signed by another institution than this laptop's")
    if pinned is None:
        if expect_institution is None:
            raise ReceiptError(
                "this laptop has no institution key (no kit): give the institution's "
                f"fingerprint to accept it (the receipt names {fingerprint(key)})"
            )
        if normalise(expect_institution) != normalise(fingerprint(key)):
            raise ReceiptError("the receipt is not signed by the institution you named")
    if len(key) != 32 or not verify_signature(key, signature, _DOMAIN + canonical_bytes(payload)):
        raise ReceiptError("the receipt's signature does not verify; it is refused")
    if payload.get("device_id") != workspace.device.device_id:
        raise ReceiptError("the receipt is for a bundle of another device")
    with workspace.transaction() as db:
        row = db.get(ExportedBundle, bundle_id)
        if row is None or row.session_id != session_id:
            raise ReceiptError(f"bundle {bundle_id} was not exported from this laptop")
        if row.sha256 != payload.get("bundle_sha256"):
            raise ReceiptError("the receipt names another file than the bundle written here")
        row.receipt_json = data.decode("utf-8")
        row.receipt_at = dt.datetime.now(dt.UTC)
        db.add(row)
    return AcceptedReceipt(bundle_id, session_id, fingerprint(key))


@dataclass(frozen=True)
class PurgeResult:
    session_id: str
    incidents: int
    candidates: int
    staff: int
    evidence_files: int


def purge_session(workspace: Workspace, session_ref: str) -> PurgeResult:
    """Remove the session's incidents, rosters and evidence once the institution has the data."""
    session_id = workspace.resolve_session_id(session_ref)
    with workspace.transaction() as db:
        receipts = _check_purge_allowed(db, session_id)
        incident_ids = list(
            db.exec(select(Incident.id).where(col(Incident.session_id) == session_id)).all()
        )
        shas = _evidence_only_here(db, incident_ids)
        counts = PurgeResult(
            session_id,
            len(incident_ids),
            len(db.exec(select(Candidate.id).where(col(Candidate.session_id) == session_id)).all()),
            len(db.exec(select(Staff.id).where(col(Staff.session_id) == session_id)).all()),
            len(shas),
        )
        for model, column in (
            (SeizedReturn, SeizedReturn.incident_id),
            (Seal, Seal.incident_id),
            (Signature, Signature.incident_id),
            (IncidentContent, IncidentContent.incident_id),
        ):
            for start in range(0, len(incident_ids), 500):
                db.execute(delete(model).where(col(column).in_(incident_ids[start : start + 500])))
        db.execute(delete(Incident).where(col(Incident.session_id) == session_id))
        db.execute(delete(Candidate).where(col(Candidate.session_id) == session_id))
        db.execute(delete(Staff).where(col(Staff.session_id) == session_id))
        # What the kit's screening said of its candidates goes with them (ids, clause, day).
        for kit_model in (KitCandidate, KitScreen):
            db.execute(delete(kit_model).where(col(kit_model.session_id) == session_id))
        for sha in shas:
            db.execute(delete(Evidence).where(col(Evidence.sha256) == sha))
            remove_evidence(db, sha)
        db.add(
            PurgedSession(
                session_id=session_id,
                purged_at=dt.datetime.now(dt.UTC),
                receipts_json=json.dumps(receipts),
            )
        )
        audit.append(
            db,
            action="purge",
            device=workspace.device,
            session_id=session_id,
            details={
                "incidents": counts.incidents,
                "candidates": counts.candidates,
                "staff": counts.staff,
                "receipted_bundles": [r["bundle_id"] for r in receipts],
            },
        )
    # Files go only after the rows are gone for good.
    for sha in shas:
        remove_evidence_file(workspace.data_dir, sha)
    purge_backups(workspace.data_dir)  # the older copies still hold what was purged
    return counts


def _check_purge_allowed(db: Session, session_id: str) -> list[dict[str, Any]]:
    if db.get(PurgedSession, session_id) is not None:
        raise ReceiptError("this session was already purged")
    exports = list(
        db.exec(
            select(ExportedBundle)
            .where(col(ExportedBundle.session_id) == session_id)
            .order_by(col(ExportedBundle.audit_seq))
        ).all()
    )
    if not exports:
        raise ReceiptError("nothing of this session was exported; purge refused")
    latest = exports[-1]
    if latest.receipt_json is None:
        raise ReceiptError(
            f"the institution has not yet confirmed bundle {latest.bundle_id}; "
            "accept its import receipt first"
        )
    if not json.loads(latest.receipt_json).get("receipt", {}).get(COVERS_EARLIER):
        unconfirmed = [e.bundle_id for e in exports if e.receipt_json is None]
        if unconfirmed:
            raise ReceiptError(
                f"the receipt for bundle {latest.bundle_id} does not cover the earlier bundles "
                f"and bundle {unconfirmed[0]} has no receipt; accept its receipt first"
            )
    # Marking records exported changes no record, nor does recording the staff list as it
    # stands (``staff_rows``: rosters and PIN hashes are not what a bundle is receipted for):
    # only other entries mean unsent changes.
    later = db.exec(
        select(AuditEntry.seq).where(
            col(AuditEntry.session_id) == session_id,
            col(AuditEntry.seq) > latest.audit_seq,
            col(AuditEntry.action).not_in(("export", "staff_rows")),
        )
    ).first()
    if later is not None:
        raise ReceiptError(
            "records of this session changed after the last receipted bundle; export "
            "--since-last and have it receipted first"
        )
    return [
        {"bundle_id": e.bundle_id, "receipt": json.loads(e.receipt_json)}
        for e in exports
        if e.receipt_json is not None
    ]


def _evidence_only_here(db: Session, incident_ids: list[str]) -> list[str]:
    """Evidence files listed by these incidents and by no other incident."""
    mine: set[str] = set()
    for start in range(0, len(incident_ids), 500):
        for content in db.exec(
            select(IncidentContent.content_json).where(
                col(IncidentContent.incident_id).in_(incident_ids[start : start + 500])
            )
        ).all():
            mine.update(str(e["sha256"]) for e in json.loads(content).get("evidence", []))
    if not mine:
        return []
    others: set[str] = set()
    for content in db.exec(
        select(IncidentContent.content_json).where(
            col(IncidentContent.incident_id).not_in(incident_ids)
        )
    ).all():
        others.update(str(e["sha256"]) for e in json.loads(content).get("evidence", []))
    return sorted(mine - others)
