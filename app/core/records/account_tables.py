"""The institution's accounts (migration 0007): who may look at and act on its data.

A site laptop has no accounts (its staff sign with PINs); only the folder that holds the
institution's identity does. Passwords are kept only as Argon2id hashes; the failed attempts
and the end of a lockout are kept here too, so that a lockout survives a restart.

Each account's signing key (migration 0014, ``seal.account_keys``): its id, its public key, its
private key sealed under the account's password, and its certificate with the issuer's
signature. Accounts added by an earlier version have none until they are given one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from app.core.records.tables import UTCDateTime


def _utc(*, nullable: bool = False) -> dt.datetime:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable))  # type: ignore[no-any-return]


class AccountRow(SQLModel, table=True):
    """One account: its role (admin or reviewer), its password's hash and its lockout."""

    __tablename__ = "accounts"
    name: str = Field(primary_key=True)
    role: str  # admin | reviewer
    password_hash: str  # Argon2id, as argon2-cffi writes it
    failed_count: int = 0  # wrong passwords since the last success or lockout
    locked_until: dt.datetime | None = _utc(nullable=True)
    created_at: dt.datetime = _utc()
    created_by: str | None = None  # the admin who added it (None: the first, by passphrase)
    password_changed_at: dt.datetime = _utc()
    key_id: str | None = None  # the account key's id: the device_id of the entries it signs
    public_key: str | None = None  # hex, raw Ed25519
    sealed_key: str | None = None  # the private key under the password (JSON envelope)
    certificate: str | None = None  # canonical JSON statement (``account_keys.certificate``)
    certificate_signature: str | None = None  # hex Ed25519 by the issuer's key
