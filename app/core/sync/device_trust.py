"""Which device keys the institution accepts without a certificate, and which it revoked.

A device certified through a kit is accepted by its certificate chain; a device whose session
was created on site (no kit) only after the admin accepts its key fingerprint. A revoked device
(a lost laptop) is refused either way, for every bundle imported after the revocation.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from app.core.errors import UserError
from app.core.records.exchange_tables import DeviceTrust
from app.core.seal.device_keys import DeviceKey

TRUSTED, REVOKED = "trusted", "revoked"
ACCEPT_NOTE = "accepted by the admin"
FINGERPRINT_DIGITS = 64  # SHA-256 of the raw public key, in hex


class DeviceTrustError(UserError):
    """A fingerprint that names no known device, or a refused change of a device's trust."""


def normalise(fingerprint: str) -> str:
    """Fingerprint text as typed (any spacing or case) → lower-case hex without spaces."""
    return "".join(fingerprint.split()).lower()


def key_fingerprint_hex(public_key_hex: str) -> str:
    import hashlib

    return hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()


def status_of(db: Session, public_key_hex: str) -> str | None:
    row = db.get(DeviceTrust, public_key_hex)
    return None if row is None else row.status


def set_status(db: Session, public_key_hex: str, status: str, note: str = "") -> None:
    """Record ``status`` for the key in the caller's transaction (revoked stays revoked)."""
    row = db.get(DeviceTrust, public_key_hex)
    now = dt.datetime.now(dt.UTC)
    if row is None:
        db.add(DeviceTrust(public_key=public_key_hex, status=status, changed_at=now, note=note))
    elif row.status != REVOKED:
        row.status, row.changed_at, row.note = status, now, note or row.note
        db.add(row)


def accept(db: Session, public_key_hex: str, *, device: DeviceKey, note: str = ACCEPT_NOTE) -> bool:
    """Accept the key (the admin checked its fingerprint with the site), with an audit entry.

    False when it was accepted already (nothing changes); a revoked key is refused.
    """
    row = db.get(DeviceTrust, public_key_hex)
    if row is not None and row.status == REVOKED:
        raise DeviceTrustError(
            f"device {_printed(public_key_hex)} was revoked on {_day(row.changed_at)} "
            f"({row.note}); a revoked device cannot be accepted again"
        )
    if row is not None and row.status == TRUSTED:
        return False
    set_status(db, public_key_hex, TRUSTED, note)
    _audit(db, "accept_device", public_key_hex, device, {"note": note})
    return True


def revoke(db: Session, public_key_hex: str, reason: str, *, device: DeviceKey) -> None:
    """Revoke the key for good, with an audit entry; the first revocation's reason and time
    stay (a second one is refused rather than overwrite them)."""
    reason = reason.strip()
    if not reason:
        raise DeviceTrustError("reason: say why the device is revoked (it is kept with the record)")
    row = db.get(DeviceTrust, public_key_hex)
    if row is not None and row.status == REVOKED:
        raise DeviceTrustError(
            f"device {_printed(public_key_hex)} was already revoked on {_day(row.changed_at)} "
            f"({row.note}); that revocation stands"
        )
    now = dt.datetime.now(dt.UTC)
    if row is None:
        db.add(DeviceTrust(public_key=public_key_hex, status=REVOKED, changed_at=now, note=reason))
    else:
        row.status, row.changed_at, row.note = REVOKED, now, reason
        db.add(row)
    _audit(db, "revoke_device", public_key_hex, device, {"reason": reason}, at=now)


def _audit(
    db: Session,
    action: str,
    public_key_hex: str,
    device: DeviceKey,
    details: dict[str, str],
    at: dt.datetime | None = None,
) -> None:
    from app.core.records import audit

    audit.append(
        db,
        action=action,
        device=device,
        details={"fingerprint": key_fingerprint_hex(public_key_hex), **details},
        at=at,
    )


def _printed(public_key_hex: str) -> str:
    from app.core.seal.device_keys import fingerprint

    return fingerprint(bytes.fromhex(public_key_hex))


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


def find_key(db: Session, fingerprint: str, known_keys: list[str]) -> str:
    """The key among ``known_keys`` and trust rows whose fingerprint is ``fingerprint``."""
    wanted = whole_fingerprint(fingerprint)
    keys = set(known_keys) | set(db.exec(select(col(DeviceTrust.public_key))).all())
    matches = sorted(k for k in keys if key_fingerprint_hex(k) == wanted)
    if not matches:
        raise DeviceTrustError(f"fingerprint {fingerprint}: no device with this key is known")
    return matches[0]
