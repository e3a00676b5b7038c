"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 07:21:39.585689
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.records.dialect import append_only_triggers, drop_append_only_triggers

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Copied, not imported, from the models: a migration must not change when the models do.
LIST_INDEXES: tuple[tuple[str, ...], ...] = (
    (),
    ("session_id",),
    ("status",),
    ("clause",),
    ("party",),
    ("room",),
    ("local_date",),
    ("session_id", "status"),
    ("session_id", "clause"),
    ("session_id", "party"),
    ("session_id", "room"),
)


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=True),
        sa.Column("incident_id", sa.String(), nullable=True),
        sa.Column("actor_id", sa.String(), nullable=True),
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("details_json", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_session_id"), ["session_id"], unique=False)

    op.create_table(
        "device",
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("public_key", sa.String(), nullable=False),
        sa.Column("first_seen", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("device_id"),
    )
    op.create_table(
        "evidence",
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("stored_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "institution",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("filing_code", sa.String(), nullable=False),
        sa.Column("scope_json", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "exam_session",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("institution_id", sa.String(), nullable=False),
        sa.Column("evaluation_type", sa.String(), nullable=False),
        sa.Column("occupation", sa.String(), nullable=False),
        sa.Column("work_type", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("site_name", sa.String(), nullable=False),
        sa.Column("site_address", sa.String(), nullable=False),
        sa.Column("rulebook_id", sa.String(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("exam_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exam_session_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "candidate",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("id_type", sa.String(), nullable=False),
        sa.Column("id_number", sa.String(), nullable=False),
        sa.Column("ticket_number", sa.String(), nullable=False),
        sa.Column("room", sa.String(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("photo", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "room", "seat"),
        sa.UniqueConstraint("session_id", "ticket_number"),
    )
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidate_session_id"), ["session_id"], unique=False)

    op.create_table(
        "incident",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("device_code", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.String(), nullable=True),
        sa.Column("superseded_by_id", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("void_reason", sa.String(), nullable=True),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("clause", sa.String(), nullable=True),
        sa.Column("subject", sa.String(), nullable=True),
        sa.Column("room", sa.String(), nullable=True),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column("person_name", sa.String(), nullable=True),
        sa.Column("occurred_at", sa.String(length=32), nullable=False),
        sa.Column("local_date", sa.String(), nullable=False),
        sa.Column("rulebook_id", sa.String(), nullable=True),
        sa.Column("rulebook_version", sa.String(), nullable=True),
        sa.Column("regulator_flag", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_session.id"],
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "number", "version"),
    )
    # Lists: a filter, the current-version test and the order, read from the index alone.
    for cols in LIST_INDEXES:
        name = f"ix_incident_{'_'.join(cols) or 'current'}_time"
        op.create_index(name, "incident", [*cols, "superseded_by_id", "occurred_at"])
    op.create_index(
        "ix_incident_session_device_seq", "incident", ["session_id", "device_code", "seq"]
    )

    op.create_table(
        "room",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("responsible", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "name"),
    )
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_session_id"), ["session_id"], unique=False)

    op.create_table(
        "staff",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("staff_number", sa.String(), nullable=False),
        sa.Column("pin_hash", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "staff_number"),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_session_id"), ["session_id"], unique=False)

    op.create_table(
        "subject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("starts_at", sa.String(length=32), nullable=False),
        sa.Column("ends_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "name"),
    )
    with op.batch_alter_table("subject", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subject_session_id"), ["session_id"], unique=False)

    op.create_table(
        "incident_content",
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("content_json", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.PrimaryKeyConstraint("incident_id"),
    )
    op.create_table(
        "seal",
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("public_key", sa.String(), nullable=False),
        sa.Column("payload_hash", sa.String(), nullable=False),
        sa.Column("signature", sa.String(), nullable=False),
        sa.Column("sealed_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("incident_id"),
    )
    op.create_table(
        "seized_return",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("receipt_number", sa.String(), nullable=False),
        sa.Column("returned_at", sa.String(length=32), nullable=False),
        sa.Column("returned_to", sa.String(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("strokes_json", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("seized_return", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_seized_return_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "signature",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("staff_id", sa.String(), nullable=True),
        sa.Column("candidate_id", sa.String(), nullable=True),
        sa.Column("signer_name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("signed_at", sa.String(length=32), nullable=False),
        sa.Column("strokes_json", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("voided_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("signature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signature_incident_id"), ["incident_id"], unique=False)

    # The audit log is append-only: the database itself refuses edits and deletions.
    for statement in append_only_triggers(op.get_bind().dialect.name, "audit_log"):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_append_only_triggers(op.get_bind().dialect.name, "audit_log"):
        op.execute(statement)
    with op.batch_alter_table("signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signature_incident_id"))

    op.drop_table("signature")
    with op.batch_alter_table("seized_return", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seized_return_incident_id"))

    op.drop_table("seized_return")
    op.drop_table("seal")
    op.drop_table("incident_content")
    with op.batch_alter_table("subject", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_session_id"))

    op.drop_table("subject")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_session_id"))

    op.drop_table("staff")
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_session_id"))

    op.drop_table("room")
    for cols in LIST_INDEXES:
        op.drop_index(f"ix_incident_{'_'.join(cols) or 'current'}_time", "incident")
    op.drop_index("ix_incident_session_device_seq", "incident")

    op.drop_table("incident")
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_session_id"))

    op.drop_table("candidate")
    with op.batch_alter_table("exam_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_session_institution_id"))

    op.drop_table("exam_session")
    op.drop_table("institution")
    op.drop_table("evidence")
    op.drop_table("device")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_session_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_incident_id"))

    op.drop_table("audit_log")
