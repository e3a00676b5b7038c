"""The reason an amended version was made, as its ``amend`` audit entry records it."""

from __future__ import annotations

import json

from sqlmodel import col, select

from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry


def amendment_reason(workspace: Workspace, incident_id: str) -> str | None:
    """The reason recorded for the amendment that made this version, if any."""
    with workspace.reading() as db:
        entry = db.exec(
            select(AuditEntry)
            .where(col(AuditEntry.incident_id) == incident_id, col(AuditEntry.action) == "amend")
            .order_by(col(AuditEntry.seq).desc())
        ).first()
    if entry is None:
        return None
    reason = json.loads(entry.details_json).get("reason")
    return reason if isinstance(reason, str) else None
