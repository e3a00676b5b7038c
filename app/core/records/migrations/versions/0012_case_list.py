"""case list: what the list of cases filters and sorts on, kept on the case row

``casework_case_list`` keeps, one row per case, the case's status, party, session and opening
time, the clauses the list shows and the period the case waits on (``period_kind``: a response
to the notice or an objection to the decision; ``period_start``: the day it is counted from),
so that "overdue on day D" is a comparison the database makes; with indexes for the list's
order and each filter (status, party, session, the period). Existing cases are filled in from
their stored outcome and their steps.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from app.core.records.casework_tables import list_clauses, list_period
from app.core.records.tables import from_utc_text

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_INDEXES = (
    ("ix_casework_case_list_order", ["created_at", "case_id"]),
    ("ix_casework_case_list_status", ["status", "created_at", "case_id"]),
    ("ix_casework_case_list_status_party", ["status", "party", "created_at", "case_id"]),
    ("ix_casework_case_list_party", ["party", "created_at", "case_id"]),
    ("ix_casework_case_list_session", ["session_id", "created_at", "case_id"]),
    # The overdue filter reads the index alone (also with a status or a party), then sorts.
    (
        "ix_casework_case_list_period",
        ["period_kind", "period_start", "status", "party", "created_at", "case_id"],
    ),
)
_BATCH = 5000
_TIME = sa.String(length=32)


def _fill(bind: sa.Connection) -> None:
    """A row for every case as it stands (the same functions the steps use)."""
    waiting = {}
    rows = []
    for case_id, status, party, session_id, created_at, outcome, decided in bind.execute(
        sa.text(
            "SELECT id, status, party, session_id, created_at, outcome_json, decided_json "
            "FROM casework_case"
        )
    ):
        rows.append(
            {"i": case_id, "st": status, "pa": party, "se": session_id, "cr": created_at,
             "cl": list_clauses(outcome), "k": None, "s": None}
        )  # fmt: skip
        if status in ("noticed", "delivered"):
            waiting[case_id] = (status, decided, rows[-1])
    steps: dict[str, list[tuple[str, dt.datetime, str]]] = defaultdict(list)
    if waiting:
        for case_id, kind, at, details in bind.execute(
            sa.text(
                "SELECT s.case_id, s.kind, s.at, s.details_json FROM casework_step s "
                "JOIN casework_case c ON c.id = s.case_id "
                "WHERE c.status IN ('noticed', 'delivered') "
                "AND s.kind IN ('notice', 'respond', 'deliver') ORDER BY s.seq"
            )
        ):
            steps[case_id].append((kind, from_utc_text(str(at)), details))
    for case_id, (status, decided, row) in waiting.items():
        row["k"], row["s"] = list_period(status, decided, steps.get(case_id, []))
    insert = sa.text(
        "INSERT INTO casework_case_list (case_id, status, party, session_id, created_at, "
        "clauses, period_kind, period_start) VALUES (:i, :st, :pa, :se, :cr, :cl, :k, :s)"
    )
    for start in range(0, len(rows), _BATCH):
        bind.execute(insert, rows[start : start + _BATCH])


def upgrade() -> None:
    op.create_table(
        "casework_case_list",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("session_id", sa.String(), nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("clauses", sa.String(), nullable=False),
        sa.Column("period_kind", sa.String(), nullable=True),
        sa.Column("period_start", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["casework_case.id"]),
        sa.PrimaryKeyConstraint("case_id"),
    )
    _fill(op.get_bind())
    for name, columns in _INDEXES:
        op.create_index(name, "casework_case_list", columns)


def downgrade() -> None:
    for name, _columns in _INDEXES:
        op.drop_index(name, table_name="casework_case_list")
    op.drop_table("casework_case_list")
