"""filing: the institution's filing (备案) in versions, its occupations and levels, its branches

``filing`` holds one row per version of the filing (code, kind, who recorded it and when); the
newest version is in force and the earlier ones stay. ``filing_occupation`` lists a version's
filed occupations (工种) with one row per level, ``filing_branch`` its branches with their own
codes.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_TIME = sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "filing",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("recorded_at", _TIME, nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("version"),
    )
    op.create_table(
        "filing_occupation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("occupation", sa.String(), nullable=False),
        sa.Column("work_type", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["version"], ["filing.version"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version", "occupation", "work_type", "level"),
    )
    op.create_index("ix_filing_occupation_version", "filing_occupation", ["version"])
    op.create_table(
        "filing_branch",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["version"], ["filing.version"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version", "code"),
    )
    op.create_index("ix_filing_branch_version", "filing_branch", ["version"])


def downgrade() -> None:
    op.drop_index("ix_filing_branch_version", table_name="filing_branch")
    op.drop_table("filing_branch")
    op.drop_index("ix_filing_occupation_version", table_name="filing_occupation")
    op.drop_table("filing_occupation")
    op.drop_table("filing")
