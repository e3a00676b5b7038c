"""audit entries carry the device's signature

Each new entry is signed by the device key (Ed25519 over its hash), so that no entry can be
appended or rewritten without the key. Entries written before this revision have none; the
first signed entry after them vouches for them, since its hash covers the chain before it.
A plain ADD COLUMN keeps the table and its append-only triggers (a batch copy would drop them).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE audit_log ADD COLUMN signature VARCHAR")


def downgrade() -> None:
    op.execute("ALTER TABLE audit_log DROP COLUMN signature")
