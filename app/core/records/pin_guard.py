"""Wrong PINs: each one audited, and five in a row lock the person out for 30 seconds.

The count lives in the audit log, not in a window: a ``pin_failed`` entry names the person
whose PIN was tried as its actor (and where: ``unlock``, ``sign`` …; never the PIN). So the
lockout holds across a restart of the app, and one count serves the lock screen and every
signing dialog. A run of failures is ended by anything else that person does (an unlock, a
signature: each audited with them as actor). After the 30 seconds one more wrong PIN locks
again at once, until the right one is given.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from app.core.errors import UserError
from app.core.records.tables import AuditEntry, Staff

if TYPE_CHECKING:
    from app.core.records.service import Workspace

MAX_FAILURES = 5
LOCKOUT_SECONDS = 30
ACTION = "pin_failed"
RECENT_ENTRIES = 200


class PinLockedError(UserError):
    """Too many wrong PINs in a row for this person; ``seconds`` until they may try again."""

    def __init__(self, name: str, seconds: int) -> None:
        super().__init__(
            f"PIN 连续错误 {MAX_FAILURES} 次，请 {seconds} 秒后再试 "
            f"(PIN: {MAX_FAILURES} wrong PINs in a row for {name}; try again in {seconds} s)"
        )
        self.name = name
        self.seconds = seconds


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def seconds_locked(db: Session, staff_id: str) -> int:
    """How long ``staff_id`` must still wait (0: they may try)."""
    # The newest entries only, read backwards along the primary key: a fixed cost on every PIN
    # however long the log (no index on the actor is needed). Five guesses in a row are among
    # them unless hundreds of other entries were written in between.
    # Text columns only: an instant is parsed for the newest failure alone (200 parsed times
    # cost about 6 ms on every PIN and every confirmation).
    newest = db.exec(
        select(AuditEntry.seq, AuditEntry.actor_id, AuditEntry.action)
        .order_by(col(AuditEntry.seq).desc())
        .limit(RECENT_ENTRIES)
    ).all()
    recent = [(seq, action) for seq, actor, action in newest if actor == staff_id][:MAX_FAILURES]
    if len(recent) < MAX_FAILURES or any(action != ACTION for _seq, action in recent):
        return 0
    at = db.exec(select(AuditEntry.at).where(col(AuditEntry.seq) == recent[0][0])).one()
    until = _aware(at) + dt.timedelta(seconds=LOCKOUT_SECONDS)
    left = (until - _now()).total_seconds()
    return max(0, int(left + 0.999))


def refuse_if_locked(workspace: Workspace, staff_id: str) -> None:
    """``PinLockedError`` while ``staff_id`` is locked out."""
    with workspace.reading() as db:
        seconds = seconds_locked(db, staff_id)
        if seconds:
            staff = db.get(Staff, staff_id)
            raise PinLockedError(staff.name if staff else staff_id, seconds)


def record_failure(workspace: Workspace, staff_id: str, where: str) -> None:
    """Audit a wrong PIN for ``staff_id`` in a transaction of its own (the action it was
    given for is not saved, and this must be)."""
    from app.core.records import audit

    with workspace.transaction() as db:
        staff = db.get(Staff, staff_id)
        audit.append(
            db,
            action=ACTION,
            device=workspace.device,
            session_id=staff.session_id if staff else None,
            actor_id=staff_id,
            details={"where": where},
        )
