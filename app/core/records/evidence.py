"""Evidence files, stored once by SHA-256 (in the data folder, or in a shared database:
``records.file_store``) and listed in the record content."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.core.records.content import IncidentError, draft_from_content

# The folder store's names, where callers have always found them.
from app.core.records.file_store import EVIDENCE_DIR as EVIDENCE_DIR
from app.core.records.file_store import MAX_EVIDENCE_BYTES as MAX_EVIDENCE_BYTES
from app.core.records.file_store import evidence_path as evidence_path
from app.core.records.file_store import store_evidence
from app.core.records.file_store import store_file as store_file
from app.core.records.incidents import (
    Context,
    get_incident,
    load_content,
    update_draft,
)
from app.core.records.status import EDITABLE
from app.core.records.tables import Evidence, Incident


def attach_evidence(
    db: Session,
    ctx: Context,
    data_dir: Path,
    incident_id: str,
    source: Path,
    *,
    name: str | None = None,
    limit: int = MAX_EVIDENCE_BYTES,
) -> Incident:
    """Store the file and list it in the record (a content change: signatures are voided)."""
    incident = get_incident(db, incident_id)
    if incident.status not in EDITABLE:  # before the file is copied: no orphan in the store
        raise IncidentError(
            f"evidence: incident {incident.number} is {incident.status}; evidence is attached "
            "to a record before it is confirmed (amend it to add more)"
        )
    content = load_content(db, incident)
    media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    sha, size = store_evidence(db, data_dir, source, limit, media_type)
    if any(e["sha256"] == sha for e in content["evidence"]):
        raise IncidentError(f"evidence: {source.name} is already attached to {incident.number}")
    if db.get(Evidence, sha) is None:
        db.add(Evidence(sha256=sha, size=size, media_type=media_type, stored_at=ctx.now()))
    entry: dict[str, Any] = {
        "sha256": sha,
        "name": name or source.name,
        "size": size,
        "media_type": media_type,
    }
    return update_draft(
        db, ctx, incident.id, draft_from_content(content), evidence=[*content["evidence"], entry]
    )
