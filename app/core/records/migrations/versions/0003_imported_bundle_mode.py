"""imported bundles remember their mode (full or incremental)

A receipt may stand for a session only when the institution holds everything the laptop sent
of it: an incremental bundle's predecessors back to a full one. Rows imported before this
revision have no mode and count as incremental (the cautious reading).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_imported_bundle") as batch:
        batch.add_column(sa.Column("mode", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_imported_bundle") as batch:
        batch.drop_column("mode")
