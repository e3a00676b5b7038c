"""An amendment with its reason: the new version and the reason recorded in one transaction.

``lifecycle.amend`` makes the new version; the reason goes into the audit log beside it (an
``amend_reason`` entry), so it is chained and hashed like every other audited act without
changing what the new version's signatures will cover.
"""

from __future__ import annotations

import json

from sqlmodel import col, select

from app.core.records import lifecycle
from app.core.records.content import IncidentDraft, IncidentError
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry, Incident
from app.core.seal import audit

ACTION = "amend_reason"


def amend_with_reason(
    workspace: Workspace,
    incident_id: str,
    draft: IncidentDraft,
    reason: str,
    actor_id: str | None = None,
) -> Incident:
    """A new version of a confirmed record, with the reason for amending it audited."""
    text = reason.strip()
    if not text:
        raise IncidentError("amend: give the reason for amending the record")
    with workspace.transaction() as db:
        new = lifecycle.amend(db, workspace._ctx, incident_id, draft, actor_id=actor_id)
        audit.append(
            db,
            action=ACTION,
            device_id=workspace.device.device_id,
            session_id=new.session_id,
            incident_id=new.id,
            actor_id=actor_id,
            details={"reason": text, "supersedes": incident_id},
        )
        return new


def amendment_reason(workspace: Workspace, incident_id: str) -> str | None:
    """The reason recorded for the amendment that made this version, if any."""
    with workspace.reading() as db:
        entry = db.exec(
            select(AuditEntry)
            .where(col(AuditEntry.incident_id) == incident_id, col(AuditEntry.action) == ACTION)
            .order_by(col(AuditEntry.seq).desc())
        ).first()
    if entry is None:
        return None
    details = json.loads(entry.details_json)
    reason = details.get("reason")
    return reason if isinstance(reason, str) else None
