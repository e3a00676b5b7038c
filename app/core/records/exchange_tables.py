"""Tables of the sync layer (migration 0002): bundles written and imported, the audit entries
that came with them, which devices the institution accepts or has revoked, and purges.

Imported audit entries are kept per device, apart from ``audit_log``, so the institution's own
chain stays one unbroken chain while every device's entries remain checkable by their hashes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from app.core.records.tables import UTCDateTime


def _utc(*, nullable: bool = False) -> dt.datetime:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable))  # type: ignore[no-any-return]


class ExportedBundle(SQLModel, table=True):
    """A bundle this laptop wrote (the chain of its exports, for ``--since-last``)."""

    __tablename__ = "sync_exported_bundle"
    bundle_id: str = Field(primary_key=True)
    session_id: str = Field(index=True)
    created_at: dt.datetime = _utc()
    sha256: str
    mode: str  # full | incremental
    previous_bundle_id: str | None = None
    audit_seq: int  # the last local audit entry it covers
    record_count: int
    receipt_json: str | None = None  # the institution's import receipt, once accepted
    receipt_at: dt.datetime | None = _utc(nullable=True)


class ImportedBundle(SQLModel, table=True):
    """A bundle the institution imported (the same id again changes nothing)."""

    __tablename__ = "sync_imported_bundle"
    bundle_id: str = Field(primary_key=True)
    session_id: str = Field(index=True)
    device_id: str = Field(index=True)
    signer_key: str  # hex of the raw Ed25519 key
    previous_bundle_id: str | None = None
    mode: str | None = None  # full | incremental (None: imported before it was kept)
    gap: bool = False  # its previous bundle had not been imported when it arrived
    sha256: str
    encrypted: bool
    created_at: dt.datetime = _utc()
    imported_at: dt.datetime = _utc()
    counts_json: str


class ImportedAudit(SQLModel, table=True):
    """An audit entry from a device's own chain, as that device wrote it."""

    __tablename__ = "sync_imported_audit"
    device_id: str = Field(primary_key=True)
    seq: int = Field(primary_key=True)
    at: dt.datetime = _utc()
    action: str
    session_id: str | None = Field(default=None, index=True)
    incident_id: str | None = None
    actor_id: str | None = None
    entry_device_id: str
    details_json: str
    prev_hash: str
    hash: str
    bundle_id: str


class DeviceTrust(SQLModel, table=True):
    """A device key the institution accepted (sessions without a kit) or revoked."""

    __tablename__ = "sync_device_trust"
    public_key: str = Field(primary_key=True)  # hex of the raw Ed25519 key
    status: str  # trusted | revoked
    changed_at: dt.datetime = _utc()
    note: str = ""


class PurgedSession(SQLModel, table=True):
    """A session whose personal data this laptop removed after the institution's receipt."""

    __tablename__ = "sync_purged_session"
    session_id: str = Field(primary_key=True)
    purged_at: dt.datetime = _utc()
    receipts_json: str
