"""The short receipt written in the paper log when a bundle leaves the site."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BundleReceipt:
    bundle_id: str
    sha256: str  # of the whole bundle file, as written
    size_bytes: int
    record_count: int
    file_count: int
    encrypted: bool
    created_at: str
    signer_fingerprint: str

    @property
    def short_hash(self) -> str:
        """The first 16 hex digits in groups of four, short enough to copy by hand."""
        return " ".join(self.sha256[i : i + 4] for i in range(0, 16, 4))

    @property
    def text(self) -> str:
        """A few lines for the paper log."""
        sealed = "encrypted to the institution" if self.encrypted else "signed, not encrypted"
        return "\n".join(
            [
                f"Bundle {self.bundle_id}",
                f"Created {self.created_at}, {sealed}",
                f"Device {self.signer_fingerprint}",
                f"Records {self.record_count}, files {self.file_count}, {self.size_bytes} bytes",
                f"SHA-256 {self.short_hash} (full: {self.sha256})",
            ]
        )
