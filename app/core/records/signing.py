"""Signing, acknowledgement, confirmation (with its seal), voiding, amendment and export.

The rules live here, not in the UI:

* candidate incidents (Art. 16): two or more distinct staff of the session sign, then the site
  head confirms; the site head is not one of the signers;
* staff incidents: two staff other than the person concerned sign and the site head confirms,
  or a quality supervisor where the person concerned is the site head;
* institution incidents (noted by a quality supervisor): the supervisor and one other staff
  member sign and a supervisor confirms, without the site head, who speaks for the institution;
* a candidate incident is confirmed only once the candidate has signed it, or two staff have
  witnessed either their refusal to sign or that they had left the site (当事人已离场) before
  they could sign; staff and institution incidents need neither;
* nobody signs or confirms a record whose incident time is later than now (beyond
  ``incident_time.FUTURE_GRACE`` of clock difference), and nobody signs one whose time lies
  outside every subject's exam time until the recorder has confirmed that time
  (``missing_for_signing``);
* nobody signs, confirms or voids a record about themselves; PINs are checked where set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from app.core.ids import new_id
from app.core.records import audit, staff_seal
from app.core.records.content import (
    NO_STROKES,
    IncidentError,
    Point,
    missing_for_signing,
    strokes_json,
)
from app.core.records.incident_time import FUTURE_GRACE, is_future
from app.core.records.incidents import (
    Context,
    get_incident,
    load_content,
)
from app.core.records.people import check_pin
from app.core.records.sessions import zone
from app.core.records.status import EDITABLE, RecordStatus
from app.core.records.tables import Incident, Seal, Signature, Staff, from_utc_text
from app.core.rulebook.model import Party, StaffRole
from app.core.seal.record_seal import SignatureFacts, make_seal, seal_payload

Strokes = Sequence[Sequence[Point]]
# What stands for the person's own word on the record: their signature, a refusal witnessed by
# two staff, or two staff witnessing that they had left the site before they could sign.
ACKNOWLEDGEMENT_KINDS = ("acknowledge", "refusal_witness", "departure_witness")


def valid_signatures(db: Session, incident: Incident) -> list[Signature]:
    """Signatures that attest the record's current content."""
    return list(
        db.exec(
            select(Signature).where(
                col(Signature.incident_id) == incident.id,
                col(Signature.voided_at).is_(None),
                col(Signature.content_hash) == incident.content_hash,
            )
        ).all()
    )


def seal_facts(signatures: Sequence[Signature]) -> list[SignatureFacts]:
    from app.core.records.tables import to_utc_text

    return [
        SignatureFacts(
            id=s.id,
            kind=s.kind,
            staff_id=s.staff_id,
            candidate_id=s.candidate_id,
            signer_name=s.signer_name,
            role=s.role,
            signed_at=to_utc_text(s.signed_at),
            strokes_json=s.strokes_json,
            content_hash=s.content_hash,
        )
        for s in signatures
    ]


def _staff(db: Session, ctx: Context, incident: Incident, staff_id: str, pin: str | None) -> Staff:
    staff = db.get(Staff, staff_id)
    if staff is None or staff.session_id != incident.session_id:
        raise IncidentError("signer: only staff on duty in this session may sign")
    staff_seal.refuse_if_altered(db, staff, ctx.device.public_bytes)
    check_pin(staff, pin)
    return staff


def _not_later_than_now(
    ctx: Context, incident: Incident, content: dict[str, Any], act: str
) -> None:
    """A record of something that has not happened yet is a wrong time, not a record."""
    when, now = from_utc_text(content["occurred_at"]), ctx.now()
    if is_future(when, now):
        name = content["session"]["timezone"]
        local = zone(name)
        minutes = int(FUTURE_GRACE.total_seconds() // 60)
        raise IncidentError(
            f"{act}: incident {incident.number} is dated {when.astimezone(local):%Y-%m-%d %H:%M}, "
            f"later than now ({now.astimezone(local):%Y-%m-%d %H:%M}, {name}); correct the "
            f"incident time first (clocks may differ by up to {minutes} minutes)"
        )


def _person_staff_id(content: dict[str, Any]) -> str | None:
    person = content["person"]
    return person["id"] if person is not None and person["kind"] == "staff" else None


def _not_self(content: dict[str, Any], staff: Staff, act: str) -> None:
    if _person_staff_id(content) == staff.id:
        raise IncidentError(
            f"{act}: {staff.name} is the person concerned; nobody {act}s a record about themselves"
        )


def _staff_signers(db: Session, incident: Incident) -> list[Staff]:
    return _signers_among(db, valid_signatures(db, incident))


def _signers_among(db: Session, signatures: Sequence[Signature]) -> list[Staff]:
    ids = [s.staff_id for s in signatures if s.kind == "staff" and s.staff_id]
    return [staff for i in dict.fromkeys(ids) if (staff := db.get(Staff, i)) is not None]


def signatures_complete(party: str, signers: Sequence[Staff], noted_by: str | None = None) -> bool:
    """Whether the signatures a record needs before confirmation are all there.

    Institution incidents need the quality supervisor who noted them among the signers.
    """
    distinct = {s.id for s in signers}
    if party == Party.INSTITUTION:
        return len(distinct) >= 2 and noted_by in distinct
    return len(distinct) >= 2


def _add_signature(
    db: Session,
    ctx: Context,
    incident: Incident,
    kind: str,
    name: str,
    role: str,
    strokes: Strokes,
    *,
    staff_id: str | None = None,
    candidate_id: str | None = None,
) -> Signature:
    normalised = strokes_json(strokes)
    if normalised == NO_STROKES:
        raise IncidentError(f"{kind} signature: no handwriting; sign in the box first")
    signature = Signature(
        id=new_id(),
        incident_id=incident.id,
        kind=kind,
        staff_id=staff_id,
        candidate_id=candidate_id,
        signer_name=name,
        role=role,
        signed_at=ctx.now(),
        strokes_json=normalised,
        content_hash=incident.content_hash,
    )
    db.add(signature)
    db.flush()
    return signature


def _audit(
    db: Session, ctx: Context, incident: Incident, action: str, actor: str | None, **details: Any
) -> None:
    audit.append(
        db,
        action=action,
        device=ctx.device,
        session_id=incident.session_id,
        incident_id=incident.id,
        actor_id=actor,
        details={"content_hash": incident.content_hash, **details},
    )


def sign(
    db: Session,
    ctx: Context,
    incident_id: str,
    staff_id: str,
    strokes: Strokes,
    pin: str | None = None,
) -> Signature:
    """A staff signature on the record's current content."""
    incident = get_incident(db, incident_id)
    if incident.status not in EDITABLE:
        raise IncidentError(
            f"incident {incident.number}: a {incident.status} record takes no more signatures"
        )
    content = load_content(db, incident)
    missing = missing_for_signing(content)
    if missing:
        raise IncidentError(f"incident {incident.number}: fill in {', '.join(missing)} first")
    _not_later_than_now(ctx, incident, content, "sign")
    staff = _staff(db, ctx, incident, staff_id, pin)
    _not_self(content, staff, "sign")
    if staff.role == StaffRole.SITE_HEAD:
        reason = (
            "the site head speaks for the institution and does not sign this record"
            if incident.party == Party.INSTITUTION
            else "the site head confirms this record and so is not one of its signers"
        )
        raise IncidentError(f"sign: {staff.name}: {reason}")
    if any(s.id == staff.id for s in _staff_signers(db, incident)):
        raise IncidentError(f"sign: {staff.name} has already signed this record")
    signature = _add_signature(
        db, ctx, incident, "staff", staff.name, staff.role, strokes, staff_id=staff.id
    )
    if signatures_complete(incident.party, _staff_signers(db, incident), content["noted_by"]):
        incident.status = RecordStatus.SIGNED
        db.add(incident)
    _audit(db, ctx, incident, "sign", staff.id, signature_id=signature.id)
    return signature


def acknowledge(db: Session, ctx: Context, incident_id: str, strokes: Strokes) -> Signature:
    """The person concerned signs the record (their acknowledgement of it and their statement)."""
    incident = get_incident(db, incident_id)
    content = load_content(db, incident)
    person = content["person"]
    if incident.status not in EDITABLE or person is None:
        raise IncidentError(f"incident {incident.number}: nothing for a person to acknowledge")
    if _acknowledged(db, incident):
        raise IncidentError(f"incident {incident.number}: acknowledgement already recorded")
    kind = person["kind"]
    signature = _add_signature(
        db,
        ctx,
        incident,
        "acknowledge",
        person["name"],
        kind,
        strokes,
        candidate_id=person["id"] if kind == "candidate" else None,
        staff_id=person["id"] if kind == "staff" else None,
    )
    _audit(db, ctx, incident, "acknowledge", person["id"], signature_id=signature.id)
    return signature


def _acknowledged(db: Session, incident: Incident) -> bool:
    return _acknowledged_among(valid_signatures(db, incident))


def _acknowledged_among(signatures: Sequence[Signature]) -> bool:
    return any(s.kind in ACKNOWLEDGEMENT_KINDS for s in signatures)


def _witnessed(
    db: Session,
    ctx: Context,
    incident_id: str,
    witnesses: Sequence[tuple[str, Strokes, str | None]],
    kind: str,
    what: str,
    too_few: str,
) -> tuple[Incident, list[Signature]]:
    """Two distinct staff (not the person concerned) sign what they saw, as ``kind``."""
    incident = get_incident(db, incident_id)
    content = load_content(db, incident)
    if incident.status not in EDITABLE or content["person"] is None:
        raise IncidentError(f"incident {incident.number}: nothing for a person to {what}")
    if _acknowledged(db, incident):
        raise IncidentError(f"incident {incident.number}: acknowledgement already recorded")
    if len({w[0] for w in witnesses}) < 2:
        raise IncidentError(too_few)
    signatures = []
    for staff_id, strokes, pin in witnesses:
        staff = _staff(db, ctx, incident, staff_id, pin)
        _not_self(content, staff, "witness")
        signatures.append(
            _add_signature(
                db, ctx, incident, kind, staff.name, staff.role, strokes, staff_id=staff.id
            )
        )
    return incident, signatures


def refuse(
    db: Session,
    ctx: Context,
    incident_id: str,
    witnesses: Sequence[tuple[str, Strokes, str | None]],
) -> list[Signature]:
    """The person concerned refused to sign: recorded and witnessed by two distinct staff."""
    incident, signatures = _witnessed(
        db,
        ctx,
        incident_id,
        witnesses,
        "refusal_witness",
        "refuse",
        "refusal: two different staff must witness a refusal to sign",
    )
    _audit(db, ctx, incident, "refuse", None, witnesses=[s.staff_id for s in signatures])
    return signatures


def record_departure(
    db: Session,
    ctx: Context,
    incident_id: str,
    witnesses: Sequence[tuple[str, Strokes, str | None]],
) -> list[Signature]:
    """The person concerned had left the site before they could sign (当事人已离场): two
    distinct staff witness it, each signing; the time is that of their signatures."""
    incident, signatures = _witnessed(
        db,
        ctx,
        incident_id,
        witnesses,
        "departure_witness",
        "record as departed",
        "departure: two different staff must witness that the person had left the site",
    )
    _audit(db, ctx, incident, "departure", None, witnesses=[s.staff_id for s in signatures])
    return signatures


def _confirmer_role(incident: Incident, content: dict[str, Any]) -> str:
    if incident.party == Party.INSTITUTION:
        return StaffRole.SUPERVISOR
    person = content["person"]
    if incident.party == Party.STAFF and person["role"] == StaffRole.SITE_HEAD:
        return StaffRole.SUPERVISOR
    return StaffRole.SITE_HEAD


def confirm(
    db: Session,
    ctx: Context,
    incident_id: str,
    staff_id: str,
    strokes: Strokes,
    pin: str | None = None,
) -> Seal:
    """The confirming signature, then the device seal over content hash and signatures."""
    incident = get_incident(db, incident_id)
    content = load_content(db, incident)
    # Read once for who signed, the candidate's word and (with the confirmation) the seal.
    valid = valid_signatures(db, incident)
    signers = _signers_among(db, valid)
    complete = signatures_complete(incident.party, signers, content["noted_by"])
    if incident.status != RecordStatus.SIGNED or not complete:
        need = (
            "the quality supervisor who noted it and one other staff member"
            if incident.party == Party.INSTITUTION
            else "two different staff on duty"
        )
        raise IncidentError(
            f"confirm: incident {incident.number} needs the signatures of {need} "
            "before it is confirmed"
        )
    _not_later_than_now(ctx, incident, content, "confirm")
    staff = _staff(db, ctx, incident, staff_id, pin)
    _not_self(content, staff, "confirm")
    role = _confirmer_role(incident, content)
    if staff.role != role:
        who = "a quality supervisor" if role == StaffRole.SUPERVISOR else "the site head"
        raise IncidentError(
            f"confirm: {staff.name} is {staff.role}; this record is confirmed by {who}"
        )
    if incident.party != Party.INSTITUTION and any(s.id == staff.id for s in signers):
        raise IncidentError(f"confirm: {staff.name} signed this record and cannot also confirm it")
    if incident.party == Party.CANDIDATE and not _acknowledged_among(valid):
        raise IncidentError(
            f"confirm: incident {incident.number} needs the candidate's signature, or two staff "
            "witnessing that the candidate refused to sign or had left the site, before it is "
            "confirmed"
        )
    confirming = _add_signature(
        db, ctx, incident, "confirm", staff.name, staff.role, strokes, staff_id=staff.id
    )
    seal = seal_record(db, ctx, incident, [*valid, confirming])
    incident.status = RecordStatus.CONFIRMED
    incident.updated_at = ctx.now()
    db.add(incident)
    _audit(db, ctx, incident, "confirm", staff.id, payload_hash=seal.payload_hash)
    return seal


def seal_record(
    db: Session, ctx: Context, incident: Incident, valid: Sequence[Signature] | None = None
) -> Seal:
    """The device's seal over the record's content hash and ``valid``, its signatures that
    attest that content (read here when not given)."""
    if valid is None:
        valid = valid_signatures(db, incident)
    payload = seal_payload(incident.id, incident.content_hash, seal_facts(valid))
    value = make_seal(ctx.device, payload)
    audit.record_device(db, ctx.device, ctx.now())  # the key the seal is checked with
    seal = Seal(
        incident_id=incident.id,
        device_id=value.device_id,
        public_key=value.public_key_hex,
        payload_hash=value.payload_hash,
        signature=value.signature_hex,
        sealed_at=ctx.now(),
    )
    db.add(seal)
    return seal
