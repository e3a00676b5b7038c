"""After signing: voiding, amendment, export and the return of seized items.

Workflow status lives outside the signed content, so none of these changes what was signed.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core.ids import new_id
from app.core.records.content import (
    NO_STROKES,
    Header,
    IncidentDraft,
    IncidentError,
    build_content,
    strokes_json,
)
from app.core.records.incidents import (
    Context,
    _apply_content,
    _session,
    get_incident,
    load_content,
    record_versions,
)
from app.core.records.signing import Strokes, _audit, _not_self, _person_staff_id, _staff
from app.core.records.status import SEALED, RecordStatus
from app.core.records.tables import Incident, SeizedReturn
from app.core.rulebook.model import StaffRole


def void(
    db: Session,
    ctx: Context,
    incident_id: str,
    staff_id: str,
    reason: str,
    pin: str | None = None,
) -> Incident:
    """Void a record with a reason, by the site head (a supervisor if the record is about them)."""
    incident = get_incident(db, incident_id)
    if not reason.strip():
        raise IncidentError("void: give the reason for voiding the record")
    if incident.status == RecordStatus.VOID:
        raise IncidentError(f"void: incident {incident.number} is already void")
    content = load_content(db, incident)
    staff = _staff(db, ctx, incident, staff_id, pin)
    _not_self(content, staff, "void")
    allowed = {StaffRole.SITE_HEAD.value}
    if _person_staff_id(content) is not None and content["person"]["role"] == StaffRole.SITE_HEAD:
        allowed = {StaffRole.SUPERVISOR.value}
    if staff.role not in allowed:
        raise IncidentError(
            f"void: only the site head voids a record; {staff.name} is {staff.role}"
        )
    incident.status, incident.void_reason = RecordStatus.VOID, reason.strip()
    incident.updated_at = ctx.now()
    db.add(incident)
    if incident.supersedes_id is not None:  # the version it replaced is current again
        previous = get_incident(db, incident.supersedes_id)
        previous.superseded_by_id = None
        db.add(previous)
    _audit(db, ctx, incident, "void", staff.id, reason=incident.void_reason)
    return incident


def amend(
    db: Session,
    ctx: Context,
    incident_id: str,
    draft: IncidentDraft,
    *,
    actor_id: str | None = None,
    reason: str | None = None,
) -> Incident:
    """A new version of a confirmed record; it needs its own signatures. The old one stays.

    ``reason`` (why the record is amended) goes into the amendment's audit entry, outside the
    content the new signatures cover; given, it must not be blank.
    """
    why = None if reason is None else reason.strip()
    if why == "":
        raise IncidentError("amend: give the reason for amending the record")
    old = get_incident(db, incident_id)
    if old.status not in SEALED:
        raise IncidentError(
            f"amend: incident {old.number} is {old.status}; only confirmed "
            "records are amended (edit a draft directly)"
        )
    if old.superseded_by_id is not None:
        raise IncidentError(
            f"amend: incident {old.number} v{old.version} already has an "
            "amendment; amend the newest version"
        )
    # Versions count up per paper number, also past a voided amendment.
    latest = db.exec(
        select(func.max(Incident.version)).where(
            col(Incident.session_id) == old.session_id, col(Incident.number) == old.number
        )
    ).one()
    header = Header(str(uuid.uuid4()), old.number, (latest or old.version) + 1, old.id)
    content = build_content(
        db,
        _session(db, old.session_id),
        header,
        draft,
        load_content(db, old)["evidence"],
        ctx.classify,
    )
    now = ctx.now()
    new = Incident(
        id=header.id,
        session_id=old.session_id,
        number=old.number,
        device_code=old.device_code,
        seq=old.seq,
        version=header.version,
        supersedes_id=old.id,
        content_hash="",
        party=draft.party,
        local_date="",
        occurred_at=draft.occurred_at,
        created_at=now,
        updated_at=now,
    )
    _apply_content(db, new, content)
    db.add(new)
    db.flush()
    old.superseded_by_id = new.id
    db.add(old)
    extra = {} if why is None else {"reason": why}
    _audit(db, ctx, new, "amend", actor_id, supersedes=old.id, **extra)
    return new


def mark_exported(db: Session, ctx: Context, incident_id: str, actor_id: str | None = None) -> None:
    """Record that a confirmed record was exported; the signed content is untouched."""
    incident = get_incident(db, incident_id)
    if incident.status == RecordStatus.EXPORTED:
        return
    if incident.status != RecordStatus.CONFIRMED:
        raise IncidentError(
            f"export: incident {incident.number} is {incident.status}; only "
            "confirmed records are exported"
        )
    incident.status = RecordStatus.EXPORTED
    db.add(incident)
    _audit(db, ctx, incident, "export", actor_id)


def record_return(
    db: Session,
    ctx: Context,
    incident_id: str,
    receipt_number: str,
    returned_to: str,
    staff_id: str,
    strokes: Strokes,
    pin: str | None = None,
) -> SeizedReturn:
    """A seized item handed back: when, to whom, signed by the one receiving it."""
    incident = get_incident(db, incident_id)
    content = load_content(db, incident)
    receipts = {s["receipt_number"] for s in content["seized_items"]}
    if receipt_number not in receipts:
        raise IncidentError(
            f"return: no seized item with receipt {receipt_number} on incident {incident.number}"
        )
    done = db.exec(
        select(SeizedReturn).where(
            col(SeizedReturn.incident_id).in_(record_versions(db, incident)),
            col(SeizedReturn.receipt_number) == receipt_number,
        )
    ).first()
    if done is not None:
        raise IncidentError(f"return: receipt {receipt_number} was already returned")
    if not returned_to.strip():
        raise IncidentError("return: give the name of the person the item was returned to")
    staff = _staff(db, ctx, incident, staff_id, pin)
    normalised = strokes_json(strokes)
    if normalised == NO_STROKES:
        raise IncidentError("return: the receiving person must sign")
    item = SeizedReturn(
        id=new_id(),
        incident_id=incident.id,
        receipt_number=receipt_number,
        returned_at=ctx.now(),
        returned_to=returned_to.strip(),
        recorded_by=staff.id,
        strokes_json=normalised,
    )
    db.add(item)
    _audit(
        db,
        ctx,
        incident,
        "return",
        staff.id,
        receipt_number=receipt_number,
        returned_to=item.returned_to,
    )
    return item
