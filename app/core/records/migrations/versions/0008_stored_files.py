"""files kept in the database: evidence and archived PDFs, and the archive's index

On a shared database (an institution's PostgreSQL) the bytes of evidence files and of the
archived PDFs are kept here, so every computer that opens the database sees them; SQLite keeps
them in its data folder and leaves these tables empty. Plain table creation only, portable to
any database Alembic supports.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_TIME = sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "stored_file",
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("kind", "name"),
    )
    op.create_table(
        "archived_pdf",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("record", sa.String(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("bundle_id", sa.String(), nullable=False),
        sa.Column("timestamped_at", sa.String(), nullable=True),
        sa.Column("timestamps", sa.Integer(), nullable=False),
        sa.Column("renew_by", sa.String(), nullable=True),
        sa.Column("problem", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("file"),
    )


def downgrade() -> None:
    op.drop_table("archived_pdf")
    op.drop_table("stored_file")
