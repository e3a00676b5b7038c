"""The next receipt number for a seized item: one more than the highest the session has used.

A proctor seizing a phone takes the next receipt from the pad; the app proposes that number so
seizing is one action. Numbers keep their prefix and width (``SZ-0007`` → ``SZ-0008``); the
session's records (every version: an amended record keeps its receipts) and the rows not yet
saved are looked at. A session without any receipt starts at ``SZ-0001``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.records.service import Workspace

FIRST = "SZ-0001"
_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def used_receipts(workspace: Workspace, session_id: str) -> list[str]:
    """Every receipt number on the session's records."""
    from sqlmodel import col, select

    from app.core.records.tables import Incident, IncidentContent

    with workspace.reading() as db:
        rows = db.exec(
            select(IncidentContent.content_json)
            .join(Incident, col(Incident.id) == col(IncidentContent.incident_id))
            .where(col(Incident.session_id) == session_id)
        ).all()
    found: list[str] = []
    for text in rows:
        items = json.loads(text).get("seized_items") or []
        found += [str(i.get("receipt_number", "")) for i in items if isinstance(i, dict)]
    return [r for r in found if r]


def next_receipt(used: Iterable[str]) -> str:
    """One more than the highest numbered receipt in ``used`` (its prefix and width kept)."""
    best: tuple[int, str, int] | None = None  # (number, prefix, width)
    for receipt in used:
        match = _NUMBERED.match(receipt.strip())
        if match is None:
            continue
        prefix, digits = match.groups()
        number = int(digits)
        if best is None or number > best[0]:
            best = (number, prefix, len(digits))
    if best is None:
        return FIRST
    number, prefix, width = best
    return f"{prefix}{number + 1:0{width}d}"
