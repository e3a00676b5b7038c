"""casework: cases, the records they hold, their append-only steps, and deadline settings

Each step of the guideline's procedure (Art. 16–20) is a row of ``casework_step``, which the
database refuses to update or delete, as it does for the audit log.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.records.dialect import append_only_triggers, drop_append_only_triggers

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TIME = sa.String(length=32)


def upgrade() -> None:
    op.create_table(
        "casework_case",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=True),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("person_key", sa.String(), nullable=False),
        sa.Column("person_name", sa.String(), nullable=False),
        sa.Column("id_type", sa.String(), nullable=True),
        sa.Column("id_number", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rulebook_id", sa.String(), nullable=False),
        sa.Column("facts_json", sa.String(), nullable=False),
        sa.Column("base_json", sa.String(), nullable=True),
        sa.Column("outcome_json", sa.String(), nullable=False),
        sa.Column("decided_json", sa.String(), nullable=True),
        sa.Column("review_json", sa.String(), nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "person_key"),
    )
    op.create_index("ix_casework_case_session_id", "casework_case", ["session_id"])
    op.create_table(
        "casework_case_record",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["casework_case.id"]),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.PrimaryKeyConstraint("case_id", "incident_id"),
    )
    op.create_index("ix_casework_case_record_incident_id", "casework_case_record", ["incident_id"])
    op.create_table(
        "casework_step",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("case_version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("account", sa.String(), nullable=True),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("details_json", sa.String(), nullable=False),
        sa.Column("document_sha256", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["casework_case.id"]),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("case_id", "case_version"),
    )
    op.create_index("ix_casework_step_case_id", "casework_step", ["case_id"])
    op.create_table(
        "casework_setting",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    for statement in append_only_triggers(op.get_bind().dialect.name, "casework_step"):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_append_only_triggers(op.get_bind().dialect.name, "casework_step"):
        op.execute(statement)
    op.drop_table("casework_setting")
    op.drop_index("ix_casework_step_case_id", table_name="casework_step")
    op.drop_table("casework_step")
    op.drop_index("ix_casework_case_record_incident_id", table_name="casework_case_record")
    op.drop_table("casework_case_record")
    op.drop_index("ix_casework_case_session_id", table_name="casework_case")
    op.drop_table("casework_case")
