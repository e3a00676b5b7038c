"""The institution's devices: whether it would accept a bundle's signer, the list of devices it
has seen, accepted or revoked, and the admin's acceptance and revocation.

Whether a signer is accepted is decided by one function, the import's own
(``sync.checking.accept_device``): what ``bundle verify`` reports is what ``bundle import`` does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from app.core.errors import UserError
from app.core.records import trust_rows
from app.core.records.db import DB_FILE
from app.core.records.exchange_tables import DeviceTrust, ImportedBundle
from app.core.records.service import Workspace
from app.core.records.tables import Device
from app.core.seal.device_keys import fingerprint
from app.core.sync import checking
from app.core.trust import device_trust, institution

# One word per outcome of the acceptance policy, as ``bundle verify --json`` says it.
CERTIFIED, TRUSTED, UNACCEPTED, REVOKED, REFUSED = (
    "certified", "trusted", "unaccepted", "revoked", "refused",
)  # fmt: skip
_WORDS = {
    "certificate": CERTIFIED,
    "trusted": TRUSTED,
    checking.REVOKED_DEVICE: REVOKED,
    checking.UNACCEPTED_DEVICE: UNACCEPTED,
}


@dataclass(frozen=True)
class Standing:
    """Whether the institution would accept a signer: one word, and a sentence for a person."""

    status: str
    sentence: str


@dataclass(frozen=True)
class DeviceRow:
    """A device the institution knows: from its records, its bundles, or the admin's acts."""

    public_key: str  # hex
    fingerprint: str  # as printed for a person to compare
    code: str | None  # the device's short code, once one of its bundles was imported
    status: str  # "trusted", "revoked", or "certified or seen"
    changed_on: dt.date | None
    note: str


class UnknownDeviceError(UserError):
    """No bundle of the device was seen yet, so its key is not known here."""


def standing(folder: Path, manifest: dict[str, Any]) -> Standing | None:
    """How ``bundle import`` would judge the signer of ``manifest`` now (None: this folder
    holds no institution). Refusals the import makes for other reasons are not judged here."""
    if not institution.exists(folder):
        return None
    public = institution.load_public(folder)
    signer = bytes.fromhex(manifest["signer_public_key"])
    fields = manifest["fields"]
    status = None  # no database: nothing accepted or revoked yet
    if (folder / DB_FILE).is_file():
        with Workspace.open(folder, read_only=True) as ws, ws.reading() as db:
            status = device_trust.status_of(db.get(DeviceTrust, signer.hex()))
    try:
        how = checking.accept_device(status, fields, signer, public, [])
    except checking.ImportRejected as exc:
        word = _WORDS.get(exc.reason, REFUSED)
        if word == UNACCEPTED:
            return Standing(word, "NOT accepted yet: no kit; import with --trust FINGERPRINT "
                            "after checking it")  # fmt: skip
        if word == REVOKED:
            return Standing(word, "REVOKED: its bundles are refused")
        return Standing(word, f"NOT accepted: {exc}")
    if how == "certificate":
        return Standing(
            CERTIFIED, "certified through a site of this institution (chain to its root)"
        )
    return Standing(TRUSTED, "accepted by the admin (no kit)")


def _known_keys(db: Session) -> list[str]:
    """Keys of devices this database has seen (its own records' devices and bundle signers)
    or holds a trust row for."""
    keys = set(db.exec(select(Device.public_key)).all())
    keys |= set(db.exec(select(ImportedBundle.signer_key)).all())
    keys |= set(db.exec(select(DeviceTrust.public_key)).all())
    return sorted(keys)


def accept(folder: Path, typed: str, *, account: str | None = None) -> tuple[str, bool]:
    """Accept the device whose whole fingerprint is ``typed`` (audited, with the acting
    ``account`` where there is one); returns its printed fingerprint and whether anything
    changed (False: accepted already)."""
    device_trust.whole_fingerprint(typed)  # the format first, before any lookup
    with Workspace.open(folder) as ws, ws.transaction() as db:
        try:
            key = device_trust.find_key(typed, _known_keys(db))
        except device_trust.DeviceTrustError:
            raise UnknownDeviceError(
                "no bundle of this device was seen yet; import its bundle with "
                "--trust FINGERPRINT instead"
            ) from None
        # Accepted already: nothing changes; revoked: refused, naming the revocation.
        change = device_trust.accepting(db.get(DeviceTrust, key), key)
        if change is not None:
            record_change(ws, db, change, account)
    return fingerprint(bytes.fromhex(key)), change is not None


def revoke(folder: Path, typed: str, reason: str, *, account: str | None = None) -> str:
    """Revoke the device for good (audited, with ``reason`` and the acting ``account`` where
    there is one); returns its printed fingerprint."""
    device_trust.whole_fingerprint(typed)
    if not reason.strip():
        raise device_trust.DeviceTrustError(
            "reason: say why the device is revoked (it is kept with the record)"
        )
    with Workspace.open(folder) as ws, ws.transaction() as db:
        key = device_trust.find_key(typed, _known_keys(db))
        # Revoked already: refused, naming the first revocation.
        change = device_trust.revoking(db.get(DeviceTrust, key), key, reason)
        record_change(ws, db, change, account)
    return fingerprint(bytes.fromhex(key))


def record_change(
    ws: Workspace, db: Session, change: device_trust.Change, account: str | None = None
) -> None:
    """Write ``change`` (allowed by ``device_trust``) in the caller's transaction: the key's
    row, and the audit entry, with the acting ``account`` where there is one."""
    trust_rows.record_change(db, change, ws.device, account)


def devices(folder: Path) -> list[DeviceRow]:
    """Every device seen, accepted or revoked, by key (none without a records database).

    At the institution a device is seen when a bundle of it was imported: the key an earlier
    version of the program kept in the folder (which signed its audit log before accounts
    did) is no device it has seen and is left out, unless it was accepted or revoked."""
    if not (folder / DB_FILE).is_file():
        return []
    with Workspace.open(folder, read_only=True) as ws, ws.reading() as db:
        seen = {d.public_key: d for d in db.exec(select(Device)).all()}
        trust = {t.public_key: t for t in db.exec(select(DeviceTrust)).all()}
        if institution.exists(folder):
            senders = set(db.exec(select(ImportedBundle.device_id)).all())
            seen = {key: d for key, d in seen.items() if d.device_id in senders}
    rows = []
    for key in sorted(set(seen) | set(trust)):
        device, row = seen.get(key), trust.get(key)
        rows.append(
            DeviceRow(
                public_key=key,
                fingerprint=fingerprint(bytes.fromhex(key)),
                code=device.code if device is not None else None,
                status=row.status if row is not None else "certified or seen",
                changed_on=row.changed_at.date() if row is not None else None,
                note=row.note if row is not None else "",
            )
        )
    return rows
