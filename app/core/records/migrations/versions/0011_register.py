"""register: the register of barred candidates and what a kit's screening found

``register_entry`` holds each ban as casework decided it (and each review that changed or
annulled one, superseding the entry before it); ``register_mark`` the last casework step taken
in. ``register_kit_screen`` and ``register_kit_candidate`` hold a session's screening for its
site kit (at the institution, and on the laptop that imported the kit). The normalised ID
number is indexed with the superseding entry, so screening a roster reads only the index. The
database refuses to delete an entry or to change it, but for naming once the entry that
superseded it.

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
_MESSAGE = "register_entry is append-only: an entry only takes the one that supersedes it"
_COLUMNS = (
    "id", "case_id", "step_seq", "source", "person_name", "id_type", "id_number", "id_key",
    "clause", "decision_date", "first_day", "last_day", "document_sha256", "supersedes",
    "entered_at",
)  # fmt: skip


def _guards(dialect: str) -> list[str]:
    """The database refuses to delete an entry, or to change it but for naming, once, the
    entry that superseded it."""
    if dialect == "postgresql":
        return [
            "CREATE FUNCTION register_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP = 'UPDATE' AND OLD.superseded_by IS NULL "
            "AND (to_jsonb(NEW) - 'superseded_by') = (to_jsonb(OLD) - 'superseded_by') "
            f"THEN RETURN NEW; END IF; RAISE EXCEPTION '{_MESSAGE}'; END $$",
            "CREATE TRIGGER register_entry_no_update BEFORE UPDATE ON register_entry "
            "FOR EACH ROW EXECUTE FUNCTION register_entry_guard()",
            "CREATE TRIGGER register_entry_no_delete BEFORE DELETE ON register_entry "
            "FOR EACH ROW EXECUTE FUNCTION register_entry_guard()",
            "CREATE TRIGGER register_entry_no_truncate BEFORE TRUNCATE ON register_entry "
            "FOR EACH STATEMENT EXECUTE FUNCTION register_entry_guard()",
        ]
    same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _COLUMNS)
    return [
        "CREATE TRIGGER register_entry_no_update BEFORE UPDATE ON register_entry "
        f"WHEN NOT (OLD.superseded_by IS NULL AND {same}) "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
        "CREATE TRIGGER register_entry_no_delete BEFORE DELETE ON register_entry "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    ]


def _drop_guards(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return ["DROP FUNCTION IF EXISTS register_entry_guard() CASCADE"]
    return [
        "DROP TRIGGER IF EXISTS register_entry_no_update",
        "DROP TRIGGER IF EXISTS register_entry_no_delete",
    ]


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
    for statement in _guards(op.get_bind().dialect.name):
        op.execute(statement)
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
    for statement in _drop_guards(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_index("ix_register_entry_active", table_name="register_entry")
    op.drop_index("ix_register_entry_case_id", table_name="register_entry")
    op.drop_table("register_entry")
