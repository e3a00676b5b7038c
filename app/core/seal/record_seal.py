"""The seal put on a record when it is confirmed: the device key signs the content hash and the
signatures gathered, so neither can later be changed, added to or taken away unnoticed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.core.seal.canonical import canonical_bytes, sha256_hex
from app.core.seal.device_keys import DeviceKey, verify_signature


@dataclass(frozen=True)
class SignatureFacts:
    """What the seal covers of one signature."""

    id: str
    kind: str
    staff_id: str | None
    candidate_id: str | None
    signer_name: str
    role: str
    signed_at: str  # UTC ISO text
    strokes_json: str
    content_hash: str

    def as_payload(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "staff_id": self.staff_id,
            "candidate_id": self.candidate_id,
            "signer_name": self.signer_name,
            "role": self.role,
            "signed_at": self.signed_at,
            "strokes_sha256": sha256_hex(self.strokes_json.encode("utf-8")),
            "content_hash": self.content_hash,
        }


def seal_payload(
    incident_id: str, content_hash: str, signatures: Iterable[SignatureFacts]
) -> bytes:
    """The canonical bytes a seal signs (signatures in id order)."""
    return canonical_bytes(
        {
            "incident_id": incident_id,
            "content_hash": content_hash,
            "signatures": [s.as_payload() for s in sorted(signatures, key=lambda s: s.id)],
        }
    )


@dataclass(frozen=True)
class SealValue:
    payload_hash: str
    signature_hex: str
    public_key_hex: str
    device_id: str


def make_seal(key: DeviceKey, payload: bytes) -> SealValue:
    digest = sha256_hex(payload)
    signature = key.sign(bytes.fromhex(digest))
    return SealValue(digest, signature.hex(), key.public_bytes.hex(), key.device_id)


SIGNATURE_FAILS = "the device signature on the seal does not verify"


@dataclass(frozen=True)
class SealClaim:
    """What a seal rests on once its payload matches: the Ed25519 signature to verify."""

    reason: str  # why the seal cannot hold whatever its signature says, or ""
    public: bytes = b""
    signature: bytes = b""
    message: bytes = b""


def seal_claim(
    payload: bytes, payload_hash: str, signature_hex: str, public_key_hex: str
) -> SealClaim:
    """Everything ``check_seal`` checks except the signature itself (an import verifies its
    many seals' signatures in a helper process)."""
    digest = sha256_hex(payload)
    if digest != payload_hash:
        return SealClaim("the sealed content or signatures have changed since the seal")
    try:
        public, signature = bytes.fromhex(public_key_hex), bytes.fromhex(signature_hex)
    except ValueError:
        return SealClaim("the seal is not valid hex")
    return SealClaim("", public, signature, bytes.fromhex(digest))


def check_seal(payload: bytes, payload_hash: str, signature_hex: str, public_key_hex: str) -> str:
    """Why the seal does not hold for ``payload``, or ``""`` when it does."""
    claim = seal_claim(payload, payload_hash, signature_hex, public_key_hex)
    if claim.reason:
        return claim.reason
    if not verify_signature(claim.public, claim.signature, claim.message):
        return SIGNATURE_FAILS
    return ""
