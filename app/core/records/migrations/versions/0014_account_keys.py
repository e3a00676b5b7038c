"""account keys: each account's Ed25519 key, sealed under its password, and its certificate

``accounts`` gains the key's id, its public key, the private key sealed under the account's
password, the certificate (canonical JSON) and its issuer's signature. All nullable: accounts
added by an earlier version have no key yet. Plain column additions in batch mode, portable to
SQLite and PostgreSQL.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_COLUMNS = ("key_id", "public_key", "sealed_key", "certificate", "certificate_signature")


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        for name in _COLUMNS:
            batch.add_column(sa.Column(name, sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)
