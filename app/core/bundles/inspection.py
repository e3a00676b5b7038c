"""What ``bundle verify`` prints: the header facts always, and the full check when the content
can be read (plain bundles, or encrypted ones with the institution's key)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.core.bundles.errors import BundleError, BundleReadError
from app.core.bundles.framing import Header
from app.core.bundles.limits import Limits
from app.core.bundles.reader import opened, read_header, verify
from app.core.bundles.streams import RawFile
from app.core.seal.device_keys import fingerprint


@dataclass(frozen=True)
class BundleInspection:
    path: Path
    size_bytes: int
    sha256: str | None  # of the whole file; None when it could not be read
    header: Header | None  # None when the header itself is unreadable
    content_checked: bool  # False for an encrypted bundle inspected without the key
    problem: str | None  # the one message of the first check that failed
    manifest: dict[str, Any] | None
    signer_fingerprint: str | None
    error: BundleError | None = None  # what ``problem`` says, to tell its kind by

    @property
    def ok(self) -> bool:
        """No problem found (content unchecked without the key still counts as no problem)."""
        return self.problem is None

    def lines(self) -> list[str]:
        out = [f"Bundle file {self.path} ({self.size_bytes} bytes)"]
        if self.sha256:
            out.append(f"SHA-256 {self.sha256}")
        if self.header is not None:
            out.append(f"Format version {self.header.version}, bundle id {self.header.bundle_id}")
            if self.header.crypto is not None:
                out.append(
                    "Encrypted to institution key "
                    f"{self.header.crypto.recipient_key_sha256.hex()[:16]}…"
                )
            else:
                out.append("Not encrypted (signed only)")
        if self.manifest is not None:
            counts = self.manifest["counts"]
            out.append(f"Created {self.manifest['created_at']}")
            out.append(f"Records {counts['records']}, files {counts['files']}")
            out.append(f"Signed by device key {self.signer_fingerprint}")
        if self.problem is not None:
            out.append(f"REFUSED: {self.problem}")
        elif not self.content_checked:
            out.append("Contents not checked: the institution's key is needed to decrypt them")
        else:
            out.append("Verified: signature, every entry and every hash are correct")
        return out


def inspect_bundle(
    path: Path, decrypt_key: X25519PrivateKey | None = None, limits: Limits | None = None
) -> BundleInspection:
    """Check ``path`` as far as the key allows; report problems instead of raising them."""
    limits = limits or Limits()
    path = Path(path)
    size, digest = 0, None
    header: Header | None = None
    try:
        with opened(path) as (handle, size):
            digest = _file_hash(handle)
            handle.seek(0)
            header = read_header(RawFile(handle, size), limits)
            if header.crypto is not None and decrypt_key is None:
                return BundleInspection(path, size, digest, header, False, None, None, None)
            handle.seek(0)
            verified = verify(handle, size, decrypt_key, limits, None)
    except BundleError as exc:
        return BundleInspection(path, size, digest, header, False, str(exc), None, None, exc)
    return BundleInspection(
        path,
        size,
        verified.sha256,
        header,
        True,
        None,
        verified.manifest,
        fingerprint(verified.signer_public_key),
    )


def _file_hash(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    try:
        while block := handle.read(1 << 20):
            digest.update(block)
    except OSError as exc:
        raise BundleReadError(f"bundle cannot be read: {exc}") from None
    return digest.hexdigest()
