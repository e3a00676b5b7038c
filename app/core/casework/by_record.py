"""Where each record stands at the institution: the status of the case that holds it (a
record in force belongs to one person's case; an older version or a voided one to none)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from app.core.casework.tables import CaseRecordRow, CaseRow


def case_status_of_records(db: Session, incident_ids: Sequence[str]) -> dict[str, str]:
    """Record id → the status of the case holding it, for those of ``incident_ids`` that a
    case holds (one query per 500 ids)."""
    found: dict[str, str] = {}
    ids = list(dict.fromkeys(incident_ids))
    for start in range(0, len(ids), 500):
        rows = db.exec(
            select(CaseRecordRow.incident_id, CaseRow.status)
            .join(CaseRow, col(CaseRow.id) == col(CaseRecordRow.case_id))
            .where(col(CaseRecordRow.incident_id).in_(ids[start : start + 500]))
        ).all()
        found.update({str(incident): str(status) for incident, status in rows})
    return found
