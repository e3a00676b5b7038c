"""search and statistics: the indexes the institution's search box and statistics read

People and records are found from the tables that hold them, through B-tree indexes:
ID numbers, tickets, staff numbers and record numbers exactly, names by prefix (PostgreSQL's
``text_pattern_ops``, so ``LIKE 'p%'`` uses them whatever the collation). The database keeps
them current on every write, so an import needs nothing more. The same indexes are declared on
the models (``records.tables``). A covering index of the records' date, status
and what they are counted by serves the statistics of a year.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

from app.core.records.dialect import prefix_index

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# (index, table, column): looked up exactly.
EXACT = (
    ("ix_search_candidate_id_number", "candidate", "id_number"),
    ("ix_search_candidate_ticket", "candidate", "ticket_number"),
    ("ix_search_staff_number", "staff", "staff_number"),
    ("ix_search_incident_number", "incident", "number"),
)
# (index, table, column): names, looked up by prefix.
PREFIX = (
    ("ix_search_candidate_name", "candidate", "name"),
    ("ix_search_staff_name", "staff", "name"),
    ("ix_search_incident_person", "incident", "person_name"),
)


# The statistics of a year read the records in force from this index alone (no table row), and
# in the order they are grouped by (day, session, party, rulebook, clause): no sort.
STATS = (
    "ix_stats_incident_in_force",
    "incident",
    ["local_date", "session_id", "party", "rulebook_id", "clause", "status", "superseded_by_id"],
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, table, column in EXACT:
        op.create_index(name, table, [column])
    for name, table, column in PREFIX:
        op.execute(prefix_index(dialect, name, table, column))
    op.create_index(*STATS)


def downgrade() -> None:
    op.drop_index(STATS[0], table_name=STATS[1])
    for name, table, _column in (*PREFIX, *EXACT):
        op.drop_index(name, table_name=table)
