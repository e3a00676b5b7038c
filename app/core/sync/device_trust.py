"""Which device keys the institution accepts without a certificate, and which it revoked.

A device certified through a kit is accepted by its certificate chain; a device whose session
was created on site (no kit) only after the admin accepts its key fingerprint. A revoked device
(a lost laptop) is refused either way, for every bundle imported after the revocation.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from app.core.errors import UserError
from app.core.sync.tables import DeviceTrust

TRUSTED, REVOKED = "trusted", "revoked"


class DeviceTrustError(UserError):
    """A fingerprint that names no known device, or more than one."""


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


def revoke(db: Session, public_key_hex: str, reason: str) -> None:
    row = db.get(DeviceTrust, public_key_hex)
    now = dt.datetime.now(dt.UTC)
    if row is None:
        db.add(DeviceTrust(public_key=public_key_hex, status=REVOKED, changed_at=now, note=reason))
    else:
        row.status, row.changed_at, row.note = REVOKED, now, reason
        db.add(row)


def find_key(db: Session, fingerprint: str, known_keys: list[str]) -> str:
    """The one key among ``known_keys`` and trust rows whose fingerprint starts ``fingerprint``."""
    wanted = normalise(fingerprint)
    if len(wanted) < 8:
        raise DeviceTrustError("fingerprint: give at least the first 8 hex digits")
    keys = set(known_keys) | set(db.exec(select(col(DeviceTrust.public_key))).all())
    matches = sorted(k for k in keys if key_fingerprint_hex(k).startswith(wanted))
    if not matches:
        raise DeviceTrustError(f"fingerprint {fingerprint}: no device with this key is known")
    if len(matches) > 1:
        raise DeviceTrustError(f"fingerprint {fingerprint}: matches several devices; give more")
    return matches[0]
