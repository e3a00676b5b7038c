"""The short receipt written in the paper log when a bundle leaves the site."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SHORT_DIGITS = 16  # 64 bits: enough to tell two files or two laptops apart by eye


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
        return _grouped(self.sha256)

    @property
    def short_fingerprint(self) -> str:
        """The device fingerprint's first 16 hex digits in groups of four, for the paper log."""
        return _grouped(self.signer_fingerprint)

    def local_time(self, zone: str = "Asia/Shanghai") -> str:
        """When the bundle was written, in ``zone`` with its UTC offset (``created_at`` is UTC)."""
        moment = dt.datetime.fromisoformat(self.created_at.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        local = moment.astimezone(ZoneInfo(zone))
        offset = local.strftime("%z")
        return f"{local:%Y-%m-%d %H:%M:%S} UTC{offset[:3]}:{offset[3:]}"

    @property
    def text(self) -> str:
        """A few lines for the paper log."""
        return self.text_in()

    def text_in(self, zone: str = "Asia/Shanghai") -> str:
        """The paper-log lines, the time in the session's ``zone``."""
        sealed = "encrypted to the institution" if self.encrypted else "signed, not encrypted"
        return "\n".join(
            [
                f"Bundle {self.bundle_id}",
                f"Created {self.local_time(zone)}, {sealed}",
                f"Device {self.short_fingerprint} (full: {self.signer_fingerprint})",
                f"Records {self.record_count}, files {self.file_count}, {self.size_bytes} bytes",
                f"SHA-256 {self.short_hash} (full: {self.sha256})",
                # The device fingerprint is what `verify --anchor` checks the laptop's records
                # against, long after this page was written.
                f"Check the laptop with: proctor-desk verify --anchor {self.signer_fingerprint}",
            ]
        )


def _grouped(hex_text: str) -> str:
    digits = hex_text.replace(" ", "")[:SHORT_DIGITS]
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
