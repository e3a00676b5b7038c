"""Evidence files, stored once by SHA-256 in the data folder and listed in the record content."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.core.durable import replace_durably, sync_folder
from app.core.records.content import IncidentError, draft_from_content
from app.core.records.incidents import (
    Context,
    get_incident,
    load_content,
    update_draft,
)
from app.core.records.status import EDITABLE
from app.core.records.tables import Evidence, Incident

MAX_EVIDENCE_BYTES = 100 * 1024 * 1024  # a phone video of a few minutes
EVIDENCE_DIR = "evidence"
_CHUNK = 1024 * 1024


def evidence_path(data_dir: Path, sha256: str) -> Path:
    return data_dir / EVIDENCE_DIR / sha256[:2] / sha256


def store_file(data_dir: Path, source: Path, limit: int = MAX_EVIDENCE_BYTES) -> tuple[str, int]:
    """Copy ``source`` into the evidence store (once per content); returns (sha256, size)."""
    if not source.is_file():
        raise IncidentError(f"evidence: {source} is not a file")
    size = source.stat().st_size
    if size > limit:
        raise IncidentError(
            f"evidence: {source.name} is {size // (1024 * 1024)} MB; the limit is "
            f"{limit // (1024 * 1024)} MB — attach a shorter clip or note where the file is kept"
        )
    store = data_dir / EVIDENCE_DIR
    if not store.is_dir():
        store.mkdir(parents=True)
        sync_folder(data_dir)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=store, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = evidence_path(data_dir, sha)
        if target.exists():
            os.unlink(tmp_name)
        else:
            if not target.parent.is_dir():
                target.parent.mkdir()
                sync_folder(store)
            os.chmod(tmp_name, 0o444)  # evidence is never edited in place
            # Durable before the record that lists it is committed.
            replace_durably(tmp_name, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return sha, size


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
    sha, size = store_file(data_dir, source, limit)
    if any(e["sha256"] == sha for e in content["evidence"]):
        raise IncidentError(f"evidence: {source.name} is already attached to {incident.number}")
    media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
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
