"""a session names how to reach its institution

The person's copy of a record says what the guideline provides next (Art. 17, 19) and whom
to address: the institution's contact as the session plan gives it. Sessions planned before
have none ("").

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE exam_session ADD COLUMN contact VARCHAR NOT NULL DEFAULT ''")


def downgrade() -> None:
    op.execute("ALTER TABLE exam_session DROP COLUMN contact")
