"""Who is on duty together in a room for a subject: the staff who sign and witness together.

Set once per subject on this laptop (the first pair who sign a record of the subject, or the
proctor choosing them), and read back to preselect the second signer and the witnesses, so the
dialogs offer the colleague actually in the room rather than whoever the roster lists first.
Before any pair has signed, the session plan's room assignment is used where it names staff
(``room_proctors``).
Kept as an ``on_duty`` audit entry (who set it, when, for which subject), signed like every
entry, so a later review also sees who said they were on duty together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.errors import UserError

if TYPE_CHECKING:
    from app.core.records.service import Workspace

ACTION = "on_duty"
SITE_HEAD = "site_head"  # confirms; is never one of the room's proctors


class OnDutyError(UserError):
    """Staff named on duty who are not proctors of this session."""


def set_on_duty(
    workspace: Workspace,
    session_id: str,
    subject: str,
    staff_ids: Sequence[str],
    *,
    actor_id: str | None,
) -> None:
    """Record ``staff_ids`` (in order: the operator first) as the room's proctors for
    ``subject``; an unchanged set is not recorded again."""
    from app.core.records import audit

    ids = list(dict.fromkeys(staff_ids))
    proctors = {s.id: s for s in workspace.staff(session_id) if s.role != SITE_HEAD}
    unknown = [i for i in ids if i not in proctors]
    if unknown or not ids:
        raise OnDutyError("on duty: name proctors of this session (the site head is not one)")
    if on_duty(workspace, session_id, subject) == ids:
        return
    with workspace.transaction() as db:
        audit.append(
            db,
            action=ACTION,
            device=workspace.device,
            session_id=session_id,
            actor_id=actor_id,
            details={"subject": subject, "staff_ids": ids},
        )


def room_proctors(workspace: Workspace, session_id: str, room: str | None) -> list[str]:
    """The proctors the session plan names for ``room`` (its 考场负责 field, where it gives
    staff names or numbers, e.g. "王芳、李明"); [] where it names nobody on the roster."""
    from sqlmodel import col, select

    from app.core.records.tables import Room

    if not room:
        return []
    with workspace.reading() as db:
        responsible = db.exec(
            select(Room.responsible).where(
                col(Room.session_id) == session_id, col(Room.name) == room
            )
        ).first()
    tokens = [t for t in re.split(r"[、,，;；/\s]+", responsible or "") if t]
    proctors = [s for s in workspace.staff(session_id) if s.role != SITE_HEAD]
    found: list[str] = []
    for token in tokens:
        found += [s.id for s in proctors if token in (s.name, s.staff_number)]
    return list(dict.fromkeys(found))


def on_duty(workspace: Workspace, session_id: str, subject: str | None) -> list[str]:
    """The staff ids last set on duty for ``subject`` on this laptop ([] when never set)."""
    from sqlmodel import col, select

    from app.core.records import audit
    from app.core.records.tables import AuditEntry

    if not subject:
        return []
    with workspace.reading() as db:
        entries = db.exec(
            select(AuditEntry.details_json)
            .where(
                col(AuditEntry.action) == ACTION,
                col(AuditEntry.session_id) == session_id,
                col(AuditEntry.device_id) == workspace.device.device_id,
            )
            .order_by(col(AuditEntry.seq).desc())
        ).all()
    for details_json in entries:
        details = audit.details_of(details_json)
        if details.get("subject") == subject:
            ids = details.get("staff_ids")
            return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []
    return []
