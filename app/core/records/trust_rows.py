"""A device key's trust as the database keeps it: the ``DeviceTrust`` row and its audit entry,
written together for a change the rules in ``trust.device_trust`` allowed."""

from __future__ import annotations

from sqlmodel import Session

from app.core.records import audit
from app.core.records.exchange_tables import DeviceTrust
from app.core.seal.device_keys import DeviceKey
from app.core.trust.device_trust import Change


def record_change(
    db: Session, change: Change, device: DeviceKey, account: str | None = None
) -> None:
    """Write ``change`` in the caller's transaction: the key's row, and the audit entry signed
    by ``device``, with the acting ``account`` where there is one."""
    db.merge(
        DeviceTrust(
            public_key=change.public_key,
            status=change.status,
            changed_at=change.changed_at,
            note=change.note,
        )
    )
    details = change.details if account is None else {**change.details, "account": account}
    audit.append(db, action=change.action, device=device, details=details, at=change.changed_at)
