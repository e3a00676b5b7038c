"""sync tables: exported and imported bundles, imported audit entries, device trust, purges

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TIME = sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "sync_exported_bundle",
        sa.Column("bundle_id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("mode", sa.String(), nullable=False),
        sa.Column("previous_bundle_id", sa.String(), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("receipt_json", sa.String(), nullable=True),
        sa.Column("receipt_at", _TIME, nullable=True),
        sa.PrimaryKeyConstraint("bundle_id"),
    )
    op.create_index(
        "ix_sync_exported_bundle_session_id", "sync_exported_bundle", ["session_id"]
    )
    op.create_table(
        "sync_imported_bundle",
        sa.Column("bundle_id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("signer_key", sa.String(), nullable=False),
        sa.Column("previous_bundle_id", sa.String(), nullable=True),
        sa.Column("gap", sa.Boolean(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("imported_at", _TIME, nullable=False),
        sa.Column("counts_json", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id"),
    )
    op.create_index(
        "ix_sync_imported_bundle_session_id", "sync_imported_bundle", ["session_id"]
    )
    op.create_index("ix_sync_imported_bundle_device_id", "sync_imported_bundle", ["device_id"])
    op.create_table(
        "sync_imported_audit",
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=True),
        sa.Column("incident_id", sa.String(), nullable=True),
        sa.Column("actor_id", sa.String(), nullable=True),
        sa.Column("entry_device_id", sa.String(), nullable=False),
        sa.Column("details_json", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.Column("bundle_id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "seq"),
    )
    op.create_index("ix_sync_imported_audit_session_id", "sync_imported_audit", ["session_id"])
    op.create_table(
        "sync_device_trust",
        sa.Column("public_key", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("changed_at", _TIME, nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("public_key"),
    )
    op.create_table(
        "sync_purged_session",
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("purged_at", _TIME, nullable=False),
        sa.Column("receipts_json", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("session_id"),
    )


def downgrade() -> None:
    op.drop_table("sync_purged_session")
    op.drop_table("sync_device_trust")
    op.drop_index("ix_sync_imported_audit_session_id", table_name="sync_imported_audit")
    op.drop_table("sync_imported_audit")
    op.drop_index("ix_sync_imported_bundle_device_id", table_name="sync_imported_bundle")
    op.drop_index("ix_sync_imported_bundle_session_id", table_name="sync_imported_bundle")
    op.drop_table("sync_imported_bundle")
    op.drop_index("ix_sync_exported_bundle_session_id", table_name="sync_exported_bundle")
    op.drop_table("sync_exported_bundle")
