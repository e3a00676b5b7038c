"""staff rows may name their employer

A record about a staff member prints their employer (工作单位) where the staff list gives
one, rather than only the staff number. Rows written before have none ("").

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE staff ADD COLUMN employer VARCHAR NOT NULL DEFAULT ''")


def downgrade() -> None:
    op.execute("ALTER TABLE staff DROP COLUMN employer")
