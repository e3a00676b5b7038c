"""The proofs an imported record carries, checked apart from its shape.

A seal must sign exactly the content hash and the signatures it covers, with the sending
device's key; an audit entry's hash must be that of its fields. These checks are pure
computation on values whose shape ``checking`` has already checked, which is what lets the
helper process (``proof_worker``) do them on the second core while the import goes on.
So this module stays light to import: no database, no Qt.

A job is a plain JSON list, so it crosses to the helper as it is: ``["seal", payload,
payload_hash, signature_hex, public_key_hex]`` with the payload the seal must sign (built by
the caller: cheap next to verifying it, and it spares the helper the strokes) or
``["audit", entry row]``; or a whole record entry, ``["incidents" | "audits", name, sender,
entry]``, whose records ``record_checks`` checks with their proofs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.core.seal.device_keys import verify_signature
from app.core.seal.record_seal import SIGNATURE_FAILS, seal_claim
from app.core.sync.record_hashes import audit_hash, instant, seal_payload_bytes

SEAL, AUDIT = "seal", "audit"
# Whole record entries (incident versions, audit entries), checked by ``record_checks``.
INCIDENTS, AUDITS = "incidents", "audits"
AUDIT_MISMATCH = "does not match its hash"

Job = list[Any]


def seal_job(
    incident: Mapping[str, Any], covered: Sequence[Mapping[str, Any]], seal: Mapping[str, Any]
) -> Job:
    """The seal of ``incident`` over the signature rows it covers (columns already checked)."""
    payload = seal_payload_bytes(incident["id"], incident["content_hash"], covered)
    return [
        SEAL,
        payload.decode("utf-8"),
        seal["payload_hash"],
        seal["signature"],
        seal["public_key"],
    ]


def audit_job(entry: Mapping[str, Any]) -> Job:
    """An audit entry row whose columns are already checked."""
    return [AUDIT, entry]


def seal_signature(job: Job) -> tuple[str, tuple[bytes, bytes, bytes]]:
    """Why the seal cannot hold whatever its signature, or ``""`` with the Ed25519
    (public key, signature, message) it rests on."""
    _, payload, payload_hash, signature_hex, public_hex = job
    claim = seal_claim(payload.encode("utf-8"), payload_hash, signature_hex, public_hex)
    return claim.reason, (claim.public, claim.signature, claim.message)


def job_problem(job: Job) -> str:
    """What is wrong with the proof, or ``""`` when it holds."""
    if job[0] == SEAL:
        reason, (public, signature, message) = seal_signature(job)
        if reason:
            return reason
        return "" if verify_signature(public, signature, message) else SIGNATURE_FAILS
    if job[0] == AUDIT:
        entry = job[1]
        try:
            instant(entry["at"])  # a real date, not only the stored form (no 30 February)
            digest = audit_hash(entry, entry["at"])
        except ValueError:  # CanonicalError, bad JSON or UTF-8 in the details
            return AUDIT_MISMATCH
        return "" if digest == entry["hash"] else AUDIT_MISMATCH
    if job[0] in (INCIDENTS, AUDITS):
        # Imported here: the records' checks need the tables, the proofs alone do not.
        from app.core.sync.record_checks import records_problem

        return records_problem(job)
    raise ValueError(f"unknown kind of proof {job[0]!r}")  # a bug, never input
