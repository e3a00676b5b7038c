"""The bundles a session's sites sent, as the institution's session view lists them: which
device, when it was written and imported, how many records it added, and whether an earlier
bundle of the same device is still missing (records it held may be absent here)."""

from __future__ import annotations

import datetime as dt
import json
from typing import NamedTuple

from sqlmodel import col, select

from app.core.records.exchange_tables import ImportedBundle
from app.core.records.service import Workspace
from app.core.records.tables import Device


class SessionBundle(NamedTuple):
    bundle_id: str
    device_code: str  # the laptop's short code ("A"), or its id's start when unknown
    mode: str | None  # full | incremental (None: imported before it was kept)
    created_at: dt.datetime
    imported_at: dt.datetime
    incidents_added: int
    earlier_missing: bool  # an earlier bundle of its chain has not been imported


def session_bundles(workspace: Workspace, session_id: str) -> list[SessionBundle]:
    """The session's imported bundles, the latest import first."""
    with workspace.reading() as db:
        rows = db.exec(
            select(ImportedBundle).where(col(ImportedBundle.session_id) == session_id)
        ).all()
        codes = {d.device_id: d.code for d in db.exec(select(Device)).all()}
        known = {row.bundle_id: row for row in rows}
    listed = [
        SessionBundle(
            bundle_id=row.bundle_id,
            device_code=codes.get(row.device_id) or row.device_id[:8],
            mode=row.mode,
            created_at=row.created_at,
            imported_at=row.imported_at,
            incidents_added=_added(row.counts_json),
            earlier_missing=_earlier_missing(row, known),
        )
        for row in rows
    ]
    return sorted(listed, key=lambda b: (b.imported_at, b.created_at), reverse=True)


def _added(counts_json: str) -> int:
    try:
        value = json.loads(counts_json).get("incidents_added", 0)
    except (ValueError, AttributeError):
        return 0
    return value if isinstance(value, int) else 0


def _earlier_missing(row: ImportedBundle, known: dict[str, ImportedBundle]) -> bool:
    """Whether the chain back from ``row`` (to a full bundle, which holds all before it)
    reaches a bundle not imported here."""
    seen = {row.bundle_id}
    current = row
    while current.mode != "full" and current.previous_bundle_id is not None:
        previous = current.previous_bundle_id
        if previous in seen or previous not in known:
            return True
        seen.add(previous)
        current = known[previous]
    return False
