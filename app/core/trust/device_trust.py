"""Which device keys the institution accepts without a certificate, and which it revoked.

A device certified through a kit is accepted by its certificate chain; a device whose session
was created on site (no kit) only after the admin accepts its key fingerprint. A revoked device
(a lost laptop) is refused either way, for every bundle imported after the revocation.

These are the rules only. Each key's standing is a row of the records database
(``records.exchange_tables.DeviceTrust``): whoever holds the database reads the key's row,
asks ``accepting`` or ``revoking`` what changes, and writes the ``Change`` — the row and its
audit entry — in its own transaction (``institution.devices`` for the admin,
``sync.importing`` for ``bundle import --trust``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from app.core.errors import UserError
from app.core.seal.device_keys import fingerprint as printed_fingerprint

TRUSTED, REVOKED = "trusted", "revoked"
ACCEPT_NOTE = "accepted by the admin"
FINGERPRINT_DIGITS = 64  # SHA-256 of the raw public key, in hex


class DeviceTrustError(UserError):
    """A fingerprint that names no known device, or a refused change of a device's trust."""


class TrustRow(Protocol):
    """What the rules read of a key's row (``DeviceTrust``)."""

    status: str  # trusted | revoked
    changed_at: dt.datetime
    note: str


@dataclass(frozen=True)
class Change:
    """A change of one key's trust that the rules allow: its row now says ``status`` and
    ``note`` as of ``changed_at``, and the audit entry ``action`` with ``details`` records it.
    The caller writes both in one transaction."""

    public_key: str  # hex of the raw Ed25519 key
    status: str
    note: str
    changed_at: dt.datetime
    action: str  # accept_device | revoke_device
    details: dict[str, str]


def normalise(fingerprint: str) -> str:
    """Fingerprint text as typed (any spacing or case) → lower-case hex without spaces."""
    return "".join(fingerprint.split()).lower()


def key_fingerprint_hex(public_key_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()


def status_of(row: TrustRow | None) -> str | None:
    """What the key's row says (None: no row, the key was neither accepted nor revoked)."""
    return None if row is None else row.status


def accepting(row: TrustRow | None, public_key_hex: str, note: str = ACCEPT_NOTE) -> Change | None:
    """Accepting the key (the admin checked its fingerprint with the site), whose row is
    ``row``: None when it was accepted already (nothing changes); a revoked key is refused."""
    if row is not None and row.status == REVOKED:
        raise DeviceTrustError(
            f"device {_printed(public_key_hex)} was revoked on {_day(row.changed_at)} "
            f"({row.note}); a revoked device cannot be accepted again"
        )
    if row is not None and row.status == TRUSTED:
        return None
    return Change(
        public_key=public_key_hex,
        status=TRUSTED,
        note=note,
        changed_at=dt.datetime.now(dt.UTC),
        action="accept_device",
        details={"fingerprint": key_fingerprint_hex(public_key_hex), "note": note},
    )


def revoking(row: TrustRow | None, public_key_hex: str, reason: str) -> Change:
    """Revoking the key for good, whose row is ``row``; the first revocation's reason and time
    stay (a second one is refused rather than overwrite them), and a blank reason is refused."""
    reason = reason.strip()
    if not reason:
        raise DeviceTrustError("reason: say why the device is revoked (it is kept with the record)")
    if row is not None and row.status == REVOKED:
        raise DeviceTrustError(
            f"device {_printed(public_key_hex)} was already revoked on {_day(row.changed_at)} "
            f"({row.note}); that revocation stands"
        )
    return Change(
        public_key=public_key_hex,
        status=REVOKED,
        note=reason,
        changed_at=dt.datetime.now(dt.UTC),
        action="revoke_device",
        details={"fingerprint": key_fingerprint_hex(public_key_hex), "reason": reason},
    )


def _printed(public_key_hex: str) -> str:
    return printed_fingerprint(bytes.fromhex(public_key_hex))


def _day(instant: dt.datetime) -> str:
    return instant.date().isoformat()


def whole_fingerprint(fingerprint: str) -> str:
    """The typed fingerprint as 64 lower-case hex digits; a part of one is refused, so the admin
    compares every digit with the site before trusting or revoking a key."""
    plain = normalise(fingerprint)
    if len(plain) != FINGERPRINT_DIGITS or set(plain) - set("0123456789abcdef"):
        raise DeviceTrustError(
            f"fingerprint {fingerprint}: give the device's whole fingerprint "
            f"({FINGERPRINT_DIGITS} hex digits, as `proctor-desk institution devices` shows it)"
        )
    return plain


def find_key(fingerprint: str, keys: Iterable[str]) -> str:
    """The key among ``keys`` (the devices known here, and those with a row) whose
    fingerprint is ``fingerprint``."""
    wanted = whole_fingerprint(fingerprint)
    matches = sorted(k for k in set(keys) if key_fingerprint_hex(k) == wanted)
    if not matches:
        raise DeviceTrustError(f"fingerprint {fingerprint}: no device with this key is known")
    return matches[0]
