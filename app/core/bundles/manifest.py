"""The manifest: what a bundle holds, every entry with its size and SHA-256, signed by the device.

The signature covers the manifest's exact bytes (with a domain prefix), and through the hashes
every entry; the manifest repeats the header's version, bundle id and encryption recipient, so
the header is covered too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.core.bundles.errors import LimitError, ManifestError, SignatureError
from app.core.bundles.framing import FORMAT_VERSION, Header
from app.core.bundles.limits import Limits
from app.core.bundles.names import check_name, check_unique, display_name

FORMAT_NAME = "proctor-desk-bundle"
SIGNED_PREFIX = b"PDBUNDLE manifest v1\x00"
_KEYS = {
    "format",
    "format_version",
    "bundle_id",
    "created_at",
    "signer_public_key",
    "encryption",
    "fields",
    "counts",
    "entries",
}
_ENTRY_KEYS = {"name", "kind", "size", "sha256"}
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class EntryInfo:
    name: str
    kind: str  # "record" or "file"
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "size": self.size, "sha256": self.sha256}


def build_manifest(
    header: Header,
    created_at: str,
    signer_public_key: bytes,
    fields: dict[str, Any],
    entries: list[EntryInfo],
    scheme: str,
) -> dict[str, Any]:
    encryption = None
    if header.crypto is not None:
        encryption = {
            "scheme": scheme,
            "recipient_key_sha256": header.crypto.recipient_key_sha256.hex(),
        }
    return {
        "format": FORMAT_NAME,
        "format_version": header.version,
        "bundle_id": str(header.bundle_id),
        "created_at": created_at,
        "signer_public_key": signer_public_key.hex(),
        "encryption": encryption,
        "fields": fields,
        "counts": {
            "records": sum(1 for e in entries if e.kind == "record"),
            "files": sum(1 for e in entries if e.kind == "file"),
        },
        "entries": [e.as_json() for e in entries],
    }


def sign_manifest(manifest_bytes: bytes, key: Ed25519PrivateKey) -> bytes:
    return key.sign(SIGNED_PREFIX + manifest_bytes)


def verify_manifest_signature(manifest_bytes: bytes, public: bytes, signature: bytes) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, SIGNED_PREFIX + manifest_bytes)
    except (InvalidSignature, ValueError):
        raise SignatureError(
            "the device signature over the manifest does not verify: the bundle was altered "
            "or not signed by the key it names"
        ) from None


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ManifestError(f"manifest: {what} is not a non-negative integer")
    return value


def check_manifest(
    manifest: Any, header: Header, signer_public_key: bytes, scheme: str, limits: Limits
) -> list[EntryInfo]:
    """Check the manifest against the header, the signer and the limits; return its entries."""
    if not isinstance(manifest, dict) or set(manifest) != _KEYS:
        raise ManifestError("manifest does not have the fields of a bundle manifest")
    if manifest["format"] != FORMAT_NAME or manifest["format_version"] != FORMAT_VERSION:
        raise ManifestError("manifest names another format or version")
    if manifest["format_version"] != header.version:
        raise ManifestError("manifest and header disagree about the format version")
    if manifest["bundle_id"] != str(header.bundle_id):
        raise ManifestError(
            f"manifest bundle id {manifest['bundle_id']!r} differs from the header's "
            f"{header.bundle_id}"
        )
    if manifest["signer_public_key"] != signer_public_key.hex():
        raise ManifestError("manifest names another signing key than the one that signed it")
    expected = None
    if header.crypto is not None:
        expected = {
            "scheme": scheme,
            "recipient_key_sha256": header.crypto.recipient_key_sha256.hex(),
        }
    if manifest["encryption"] != expected:
        raise ManifestError("manifest and header disagree about the encryption")
    if not isinstance(manifest["created_at"], str) or not isinstance(manifest["fields"], dict):
        raise ManifestError("manifest: created_at or fields has the wrong type")
    entries = _entries(manifest["entries"], limits)
    _check_counts(manifest["counts"], entries)
    return entries


def _entries(raw: Any, limits: Limits) -> list[EntryInfo]:
    if not isinstance(raw, list):
        raise ManifestError("manifest: entries is not a list")
    if len(raw) > limits.max_entries:
        raise LimitError(f"bundle has {len(raw)} entries; the limit is {limits.max_entries}")
    entries: list[EntryInfo] = []
    total = records_total = 0
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) != _ENTRY_KEYS:
            raise ManifestError(f"manifest: entry {index} does not have name, kind, size, sha256")
        name, kind, digest = item["name"], item["kind"], item["sha256"]
        if not isinstance(name, str):
            raise ManifestError(f"manifest: entry {index} has no text name")
        check_name(name, limits)
        size = _int(item["size"], f"the size of {display_name(name)}")
        if kind not in ("record", "file"):
            raise ManifestError(f"manifest: entry {display_name(name)} has unknown kind {kind!r}")
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
            raise ManifestError(f"manifest: entry {display_name(name)} has no valid SHA-256")
        if kind == "record":
            if not name.endswith(".json"):
                raise ManifestError(f"manifest: record {display_name(name)} does not end in .json")
            if size > limits.max_record_bytes:
                raise LimitError(
                    f"record {display_name(name)} is larger than {limits.max_record_bytes} bytes"
                )
            records_total += size
        elif size > limits.max_file_bytes:
            raise LimitError(
                f"file {display_name(name)} is larger than {limits.max_file_bytes} bytes"
            )
        total += size
        entries.append(EntryInfo(name, kind, size, digest))
    if records_total > limits.max_records_total_bytes:
        raise LimitError(f"records total more than {limits.max_records_total_bytes} bytes")
    if total > limits.max_total_bytes:
        raise LimitError(f"entries total more than {limits.max_total_bytes} bytes")
    check_unique(e.name for e in entries)
    return entries


def _check_counts(raw: Any, entries: list[EntryInfo]) -> None:
    if not isinstance(raw, dict) or set(raw) != {"records", "files"}:
        raise ManifestError("manifest: counts must give records and files")
    for kind, key in (("record", "records"), ("file", "files")):
        listed = sum(1 for e in entries if e.kind == kind)
        claimed = _int(raw[key], f"the {kind} count")
        if claimed != listed:
            raise ManifestError(f"manifest says {claimed} {key} but lists {listed}")
