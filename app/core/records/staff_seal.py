"""Staff rows, PIN hashes included, vouched for by signed audit entries.

Whoever can write the data folder could otherwise put a PIN they know into the site head's row
and sign as the site head. Each change of a session's staff (a roster or kit import, a PIN
set, an upgrade from a version that did not record them) appends a ``staff_rows`` entry with
the hash of every staff row of the session, signed by the device key like every entry. A PIN is
accepted only for a row whose hash the session's latest such entry holds, and ``verify``
compares every row with it.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.core.errors import UserError
from app.core.records import audit
from app.core.records.tables import AuditEntry, Staff
from app.core.seal.canonical import content_hash
from app.core.seal.device_keys import DeviceKey

ACTION = "staff_rows"


def row_hash(staff: Staff) -> str:
    return content_hash(
        {
            "id": staff.id,
            "session_id": staff.session_id,
            "name": staff.name,
            "role": staff.role,
            "staff_number": staff.staff_number,
            "pin_hash": staff.pin_hash,
        }
    )


def record(db: Session, device: DeviceKey, session_id: str, actor_id: str | None = None) -> None:
    """Append the session's staff rows as they now stand (in the caller's transaction)."""
    db.flush()
    rows = db.exec(select(Staff).where(col(Staff.session_id) == session_id)).all()
    audit.append(
        db,
        action=ACTION,
        device=device,
        session_id=session_id,
        actor_id=actor_id,
        details={"rows": {s.id: row_hash(s) for s in sorted(rows, key=lambda s: s.id)}},
    )


def latest_seq(db: Session, session_id: str) -> int | None:
    """The sequence number of the session's latest ``staff_rows`` entry, if any."""
    seq: int | None = db.exec(
        select(AuditEntry.seq)
        .where(col(AuditEntry.action) == ACTION, col(AuditEntry.session_id) == session_id)
        .order_by(col(AuditEntry.seq).desc())
        .limit(1)
    ).first()
    return seq


def latest(db: Session, session_id: str) -> AuditEntry | None:
    seq = latest_seq(db, session_id)
    return None if seq is None else db.get(AuditEntry, seq)


def _rows_of(entry: AuditEntry) -> dict[str, Any]:
    rows = audit.details_of(entry.details_json).get("rows")
    return rows if isinstance(rows, dict) else {}


# The rows of staff_rows entries whose hash and signature were checked, by (database, entry,
# key): each PIN asks only which entry is the latest, not to check it again.
_checked: dict[tuple[str, int, bytes], dict[str, Any]] = {}


def altered(db: Session, staff: Staff, public_key: bytes) -> bool:
    """Whether ``staff`` differs from what the session's latest signed entry holds (or no
    signed entry holds it at all)."""
    seq = latest_seq(db, staff.session_id)
    if seq is None:
        return True
    key = (str(db.get_bind().engine.url), seq, public_key)
    rows = _checked.get(key)
    if rows is None:
        entry = db.get(AuditEntry, seq)
        if entry is None or audit.verify_chain_entry(entry):
            return True
        if not audit.entry_signature_holds(entry, public_key):
            return True
        rows = _checked[key] = _rows_of(entry)
    return rows.get(staff.id) != row_hash(staff)


class StaffRecordAltered(UserError):
    """A staff row (a PIN) changed outside the app: no PIN of it is accepted."""


def refuse_if_altered(db: Session, staff: Staff, public_key: bytes) -> None:
    if altered(db, staff, public_key):
        raise StaffRecordAltered(
            f"PIN: the staff record of {staff.name} (name, role or PIN) was changed outside "
            "the app, so no PIN of it is accepted; the site head runs `proctor-desk verify` "
            "and puts the data folder back from a backup"
        )


def problems(db: Session) -> list[tuple[str, str]]:
    """(what, why) for each staff row that its session's latest entry does not vouch for, and
    each row that entry names which is gone. The entries' own signatures are checked with the
    rest of the log."""
    found: list[tuple[str, str]] = []
    by_session: dict[str, list[Staff]] = {}
    for staff in db.exec(select(Staff)).all():
        by_session.setdefault(staff.session_id, []).append(staff)
    for session_id, members in sorted(by_session.items()):
        entry = latest(db, session_id)
        if entry is None:
            found.append(
                (f"staff of session {session_id}", "no audit entry records its staff rows")
            )
            continue
        rows = _rows_of(entry)
        for staff in members:
            if rows.get(staff.id) != row_hash(staff):
                found.append(
                    (
                        f"staff {staff.name} ({staff.id})",
                        "the row (name, role, number or PIN) differs from the one the audit "
                        f"log recorded (entry {entry.seq})",
                    )
                )
        gone = set(rows) - {s.id for s in members}
        for staff_id in sorted(gone):
            found.append((f"staff {staff_id}", "recorded in the audit log but gone"))
    return found
