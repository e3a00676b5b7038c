"""register: the register of barred candidates and what a kit's screening found

``register_entry`` holds each ban as casework decided it (and each review that changed or
annulled one, superseding the entry before it); ``register_mark`` the last casework step taken
in. ``register_kit_screen`` and ``register_kit_candidate`` hold a session's screening for its
site kit (at the institution, and on the laptop that imported the kit). The normalised ID
number is indexed with the superseding entry, so screening a roster reads only the index.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_TIME = sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "register_entry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("step_seq", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("person_name", sa.String(), nullable=False),
        sa.Column("id_type", sa.String(), nullable=False),
        sa.Column("id_number", sa.String(), nullable=False),
        sa.Column("id_key", sa.String(), nullable=False),
        sa.Column("clause", sa.String(), nullable=False),
        sa.Column("decision_date", sa.String(), nullable=False),
        sa.Column("first_day", sa.String(), nullable=True),
        sa.Column("last_day", sa.String(), nullable=True),
        sa.Column("document_sha256", sa.String(), nullable=True),
        sa.Column("supersedes", sa.Integer(), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("entered_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "step_seq"),
    )
    op.create_index("ix_register_entry_case_id", "register_entry", ["case_id"])
    op.create_index("ix_register_entry_active", "register_entry", ["id_key", "superseded_by"])
    op.create_table(
        "register_mark",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "register_kit_screen",
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("first_day", sa.String(), nullable=False),
        sa.Column("last_day", sa.String(), nullable=False),
        sa.Column("screened_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("session_id"),
    )
    op.create_table(
        "register_kit_candidate",
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("candidate_id", sa.String(), nullable=False),
        sa.Column("clause", sa.String(), nullable=True),
        sa.Column("last_day", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("session_id", "candidate_id"),
    )


def downgrade() -> None:
    op.drop_table("register_kit_candidate")
    op.drop_table("register_kit_screen")
    op.drop_table("register_mark")
    op.drop_index("ix_register_entry_active", table_name="register_entry")
    op.drop_index("ix_register_entry_case_id", table_name="register_entry")
    op.drop_table("register_entry")
