"""Incident records: create, update drafts, attach evidence, list, count and show."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core.records import audit, dialect
from app.core.records.content import (
    Classifier,
    Header,
    IncidentDraft,
    IncidentError,
    build_content,
)
from app.core.records.sessions import MAX_REF, shown_ref
from app.core.records.status import EDITABLE, SEALED, RecordStatus
from app.core.records.tables import (
    ExamSession,
    Incident,
    IncidentContent,
    Signature,
    to_utc_text,
)
from app.core.seal.canonical import canonical_text, content_hash
from app.core.seal.device_keys import DeviceKey


@dataclass(frozen=True)
class Context:
    """What every write needs: who records (the device) and how clauses are classified."""

    device: DeviceKey
    classify: Classifier

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


def load_content(db: Session, incident: Incident) -> dict[str, Any]:
    row = db.get(IncidentContent, incident.id)
    if row is None:
        raise IncidentError(f"incident {incident.number}: its content is missing")
    value: dict[str, Any] = json.loads(row.content_json)
    return value


def _apply_content(db: Session, incident: Incident, content: Mapping[str, Any]) -> None:
    """Store the content and copy the listed fields into their columns."""
    incident.content_hash = content_hash(content)
    incident.party = content["party"]
    incident.clause = content["clause"]
    incident.subject = content["subject"]
    incident.room = content["room"]
    incident.seat = content["seat"]
    person = content["person"]
    incident.person_name = None if person is None else person["name"]
    from app.core.records.tables import from_utc_text

    incident.occurred_at = from_utc_text(content["occurred_at"])
    incident.local_date = content["local_date"]
    rulebook = content["rulebook"]
    incident.rulebook_id = None if rulebook is None else rulebook["id"]
    incident.rulebook_version = None if rulebook is None else rulebook["version"]
    incident.regulator_flag = bool(content["regulator_flag"])
    db.add(incident)
    row = db.get(IncidentContent, incident.id)
    if row is None:
        db.flush()  # the incident row first: the content row points at it
        row = IncidentContent(incident_id=incident.id, content_json="")
    row.content_json = canonical_text(content)
    db.add(row)


def _session(db: Session, session_id: str) -> ExamSession:
    session = db.get(ExamSession, session_id)
    if session is None:
        raise IncidentError(f"session: no session '{session_id}'")
    return session


def next_number(db: Session, session_id: str, device_code: str) -> tuple[int, str]:
    """The next paper-log number for this device in this session (``A-007``)."""
    last = db.exec(
        select(func.max(Incident.seq)).where(
            col(Incident.session_id) == session_id, col(Incident.device_code) == device_code
        )
    ).one()
    seq = (last or 0) + 1
    return seq, f"{device_code}-{seq:03d}"


def create_incident(
    db: Session, ctx: Context, session_id: str, draft: IncidentDraft, *, actor_id: str | None = None
) -> Incident:
    """A new draft record with the next paper-log number of this device."""
    session = _session(db, session_id)
    seq, number = next_number(db, session_id, ctx.device.code)
    header = Header(str(uuid.uuid4()), number, 1, None)
    content = build_content(db, session, header, draft, (), ctx.classify)
    now = ctx.now()
    incident = Incident(
        id=header.id,
        session_id=session_id,
        number=number,
        device_code=ctx.device.code,
        seq=seq,
        content_hash="",
        party=draft.party,
        local_date="",
        occurred_at=draft.occurred_at,
        created_at=now,
        updated_at=now,
    )
    _apply_content(db, incident, content)
    audit.append(
        db,
        action="create",
        device=ctx.device,
        session_id=session_id,
        incident_id=incident.id,
        actor_id=actor_id,
        details={"number": number, "content_hash": incident.content_hash},
        at=now,
    )
    return incident


def get_incident(db: Session, incident_id: str) -> Incident:
    incident = db.get(Incident, incident_id)
    if incident is None:
        raise IncidentError(f"incident: no incident '{incident_id}'")
    return incident


def record_versions(db: Session, incident: Incident) -> list[str]:
    """The ids of ``incident`` and of every earlier version it amends, newest first: what
    happened to the record itself (a seized item handed back) holds for all of them."""
    ids = [incident.id]
    previous = incident.supersedes_id
    while previous is not None and previous not in ids:
        ids.append(previous)
        earlier = db.get(Incident, previous)
        previous = None if earlier is None else earlier.supersedes_id
    return ids


def resolve_incident(db: Session, ref: str, session_id: str | None = None) -> Incident:
    """By id, unique id prefix, or paper number (``A-007``, latest version; ``A-007/2``)."""
    if not ref.strip():
        raise IncidentError("incident: give an incident id or record number (e.g. A-007)")
    found = db.get(Incident, ref)
    if found is not None:
        return found
    if len(ref) > MAX_REF:  # no id or number is that long (and SQLite's LIKE would give up)
        raise IncidentError(
            f"incident: no incident '{shown_ref(ref)}'; see `proctor-desk incident list`"
        )
    number, slash, version = ref.partition("/")
    if slash and not (version.isascii() and version.isdigit()):  # "²" is a digit to Python
        raise IncidentError(
            f"incident: '{ref}': the version after '/' must be a number (e.g. {number}/2)"
        )
    if len(version) > 9:  # more versions than any record has, and more than SQLite holds
        raise IncidentError(
            f"incident: no incident '{shown_ref(ref)}'; see `proctor-desk incident list`"
        )
    query = select(Incident).where(col(Incident.number) == number)
    if session_id is not None:
        query = query.where(col(Incident.session_id) == session_id)
    if version:
        query = query.where(col(Incident.version) == int(version))
    matches = list(db.exec(query.order_by(col(Incident.version).desc())).all())
    sessions = {m.session_id for m in matches}
    if matches and len(sessions) == 1:
        return matches[0]
    if not matches:
        # ``%`` and ``_`` are characters of the id, not LIKE's wildcards.
        query = select(Incident).where(col(Incident.id).startswith(ref, autoescape=True))
        prefixed = list(db.exec(query).all())
        if len(prefixed) == 1:
            return prefixed[0]
        if not prefixed:
            raise IncidentError(f"incident: no incident '{ref}'; see `proctor-desk incident list`")
        if len({m.session_id for m in prefixed}) == 1:
            raise IncidentError(f"incident: '{ref}' starts several ids; give more of the id")
    raise IncidentError(f"incident: '{ref}' matches records in several sessions; give --session")


def update_draft(
    db: Session,
    ctx: Context,
    incident_id: str,
    draft: IncidentDraft,
    *,
    evidence: Sequence[Mapping[str, Any]] | None = None,
    actor_id: str | None = None,
) -> Incident:
    """Save a changed draft. Changing what signatures cover voids them and returns to draft."""
    incident = get_incident(db, incident_id)
    if incident.status not in EDITABLE:
        raise IncidentError(
            f"incident {incident.number}: a {incident.status} record is not edited; "
            + ("amend it instead" if incident.status in SEALED else "")
        )
    old = load_content(db, incident)
    header = Header(incident.id, incident.number, incident.version, incident.supersedes_id)
    content = build_content(
        db,
        _session(db, incident.session_id),
        header,
        draft,
        old["evidence"] if evidence is None else evidence,
        ctx.classify,
    )
    new_hash = content_hash(content)
    if new_hash == incident.content_hash:
        return incident
    now = ctx.now()
    voided = 0
    for signature in db.exec(
        select(Signature).where(
            col(Signature.incident_id) == incident.id, col(Signature.voided_at).is_(None)
        )
    ):
        signature.voided_at = now
        db.add(signature)
        voided += 1
    _apply_content(db, incident, content)
    incident.status = RecordStatus.DRAFT
    incident.updated_at = now
    db.add(incident)
    if voided:
        # Drafts are saved on every change; only a change that voids signatures is audited.
        audit.append(
            db,
            action="update",
            device=ctx.device,
            session_id=incident.session_id,
            incident_id=incident.id,
            actor_id=actor_id,
            details={"content_hash": new_hash, "signatures_voided": voided},
            at=now,
        )
    return incident


@dataclass(frozen=True)
class IncidentFilters:
    session_id: str | None = None
    status: str | None = None
    clause: str | None = None
    party: str | None = None
    room: str | None = None
    local_date: str | None = None
    current_only: bool = True  # hide versions superseded by an amendment


@dataclass(frozen=True)
class IncidentSummary:
    id: str
    number: str
    version: int
    session_id: str
    status: str
    party: str
    clause: str | None
    subject: str | None
    room: str | None
    seat: int | None
    person_name: str | None
    occurred_at: str
    local_date: str
    regulator_flag: bool
    void_reason: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_SUMMARY_COLUMNS: tuple[Any, ...] = (
    Incident.id,
    Incident.number,
    Incident.version,
    Incident.session_id,
    Incident.status,
    Incident.party,
    Incident.clause,
    Incident.subject,
    Incident.room,
    Incident.seat,
    Incident.person_name,
    Incident.occurred_at,
    Incident.local_date,
    Incident.regulator_flag,
    Incident.void_reason,
)


def _where(query: Any, filters: IncidentFilters) -> Any:
    conditions = []
    if filters.session_id is not None:
        conditions.append(col(Incident.session_id) == filters.session_id)
    for name in ("status", "clause", "party", "room", "local_date"):
        value = getattr(filters, name)
        if value is not None:
            conditions.append(getattr(Incident, name) == value)
    if filters.current_only:
        conditions.append(col(Incident.superseded_by_id).is_(None))
    return query.where(*conditions) if conditions else query


def list_incidents(
    db: Session, filters: IncidentFilters, offset: int = 0, limit: int = 100
) -> list[IncidentSummary]:
    """A page of incidents, newest first.

    The page's row ids are found first from an index alone (so a deep offset skips index
    entries, not table rows), then only those rows are read.
    """
    from sqlalchemy import literal_column
    from sqlalchemy import select as sa_select

    rowid: Any = literal_column(dialect.row_key(db, "incident"))
    order = (col(Incident.occurred_at).desc(), rowid.desc())
    page = _where(sa_select(rowid).select_from(Incident), filters)
    page = page.order_by(*order).offset(offset).limit(limit)
    query = sa_select(*_SUMMARY_COLUMNS).where(rowid.in_(page.scalar_subquery())).order_by(*order)
    rows = db.execute(query).all()
    return [
        IncidentSummary(
            id=r[0],
            number=r[1],
            version=r[2],
            session_id=r[3],
            status=r[4],
            party=r[5],
            clause=r[6],
            subject=r[7],
            room=r[8],
            seat=r[9],
            person_name=r[10],
            occurred_at=to_utc_text(r[11]),
            local_date=r[12],
            regulator_flag=bool(r[13]),
            void_reason=r[14],
        )
        for r in rows
    ]


def count_incidents(db: Session, filters: IncidentFilters) -> int:
    from sqlalchemy import select as sa_select

    query = _where(sa_select(func.count()).select_from(Incident), filters)
    return int(db.execute(query).scalar_one())
