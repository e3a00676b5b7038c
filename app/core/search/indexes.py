"""The search (and statistics) indexes of migration 0010, declared on the models they belong
to, so that a comparison of the models with a migrated database (Alembic's) finds them on
both sides."""

from __future__ import annotations

from sqlalchemy import Index, Table

from app.core.casework.tables import CaseRow
from app.core.records.tables import Candidate, Incident, Staff


def _table(model: object) -> Table:
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


def _declare() -> None:
    exact = (
        ("ix_search_candidate_id_number", Candidate, "id_number"),
        ("ix_search_candidate_ticket", Candidate, "ticket_number"),
        ("ix_search_staff_number", Staff, "staff_number"),
        ("ix_search_incident_number", Incident, "number"),
        ("ix_search_case_id_number", CaseRow, "id_number"),
    )
    prefix = (
        ("ix_search_candidate_name", Candidate, "name"),
        ("ix_search_staff_name", Staff, "name"),
        ("ix_search_incident_person", Incident, "person_name"),
        ("ix_search_case_person", CaseRow, "person_name"),
    )
    for name, model, column in exact:
        table = _table(model)
        if name not in {index.name for index in table.indexes}:
            Index(name, table.c[column])
    for name, model, column in prefix:
        table = _table(model)
        if name not in {index.name for index in table.indexes}:
            Index(name, table.c[column], postgresql_ops={column: "text_pattern_ops"})
    table = _table(Incident)
    if "ix_stats_incident_in_force" not in {index.name for index in table.indexes}:
        columns = ("local_date", "status", "superseded_by_id", "session_id", "party")
        Index(
            "ix_stats_incident_in_force",
            *(table.c[c] for c in (*columns, "rulebook_id", "clause")),
        )


_declare()
