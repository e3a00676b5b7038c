"""The SQLModel tables. Instants are UTC-aware; rule dates are local dates kept as text.

An incident's signed content lives in ``IncidentContent.content_json`` (canonical JSON); the
incident columns are copies for listing and filtering, or workflow state (status, void reason,
supersession) that is deliberately outside what signatures cover.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, Index, String, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from app.core.records.status import RecordStatus
from app.core.records.utc_text import from_utc_text, to_utc_text

__all__ = ["from_utc_text", "to_utc_text"]  # their home before utc_text; still imported from here


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored as ISO-8601 UTC text (``2024-03-01T01:30:00.000000Z``).

    Text sorts in time order and reads the same in any SQLite tool; naive values are refused
    so that a local time can never be stored as if it were UTC.
    """

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return to_utc_text(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return from_utc_text(str(value))


def _utc_col(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


class Institution(SQLModel, table=True):
    id: str = Field(primary_key=True)
    name: str
    kind: str  # national_employer | social_training_org (Attachment 1)
    filing_code: str  # 备案码
    scope_json: str = "[]"  # [{"occupation", "work_type", "levels": [...]}]


class ExamSession(SQLModel, table=True):
    __tablename__ = "exam_session"
    id: str = Field(primary_key=True)
    institution_id: str = Field(foreign_key="institution.id", index=True)
    evaluation_type: str
    occupation: str
    work_type: str = ""
    level: str
    site_name: str
    site_address: str
    rulebook_id: str
    timezone: str = "Asia/Shanghai"
    created_at: dt.datetime = _utc_col()
    # How the person reaches the institution about this session (printed on the person's copy,
    # Art. 17/19); "" in sessions planned before it was asked for.
    contact: str = ""


class Subject(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("session_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="exam_session.id", index=True)
    name: str
    starts_at: dt.datetime = _utc_col()
    ends_at: dt.datetime = _utc_col()


class Room(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("session_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="exam_session.id", index=True)
    name: str
    seats: int
    responsible: str = ""  # the person answerable for this room (考场负责)


def _prefix_index(name: str, column: str) -> Index:
    """A name looked up by its first characters (search across sessions, migration 0010):
    on PostgreSQL with ``text_pattern_ops`` so ``LIKE 'p%'`` uses it whatever the collation."""
    return Index(name, column, postgresql_ops={column: "text_pattern_ops"})


class Candidate(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("session_id", "ticket_number"),
        UniqueConstraint("session_id", "room", "seat"),
        # Search across sessions (migration 0010): ID numbers and tickets exactly, names by
        # their first characters.
        Index("ix_search_candidate_id_number", "id_number"),
        Index("ix_search_candidate_ticket", "ticket_number"),
        _prefix_index("ix_search_candidate_name", "name"),
    )
    id: str = Field(primary_key=True)
    session_id: str = Field(foreign_key="exam_session.id", index=True)
    name: str
    id_type: str
    id_number: str
    ticket_number: str
    room: str
    seat: int
    photo: str | None = None


class Staff(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("session_id", "staff_number"),
        Index("ix_search_staff_number", "staff_number"),
        _prefix_index("ix_search_staff_name", "name"),
    )
    id: str = Field(primary_key=True)
    session_id: str = Field(foreign_key="exam_session.id", index=True)
    name: str
    role: str
    staff_number: str
    pin_hash: str | None = None
    employer: str = ""  # 工作单位, where the roster gives one


LIST_INDEXES: tuple[tuple[str, ...], ...] = (
    (),
    ("session_id",),
    ("status",),
    ("clause",),
    ("party",),
    ("room",),
    ("local_date",),
    ("session_id", "status"),
    ("session_id", "clause"),
    ("session_id", "party"),
    ("session_id", "room"),
)


class Incident(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("session_id", "number", "version"),
        Index("ix_incident_session_device_seq", "session_id", "device_code", "seq"),
        # Lists are filtered by one or two of these, show current versions, newest first: each
        # index serves the filter, the current-version test and the order, so pages and counts
        # are read from the index alone.
        *(
            Index(
                f"ix_incident_{'_'.join(cols) or 'current'}_time",
                *cols,
                "superseded_by_id",
                "occurred_at",
            )
            for cols in LIST_INDEXES
        ),
        # Search (migration 0010): record numbers exactly, the person's name by prefix.
        Index("ix_search_incident_number", "number"),
        _prefix_index("ix_search_incident_person", "person_name"),
        # The statistics of a year read the records in force from this index alone, in the
        # order they are grouped by (day, session, party, rulebook, clause): no sort.
        Index(
            "ix_stats_incident_in_force",
            "local_date",
            "session_id",
            "party",
            "rulebook_id",
            "clause",
            "status",
            "superseded_by_id",
        ),
    )
    id: str = Field(primary_key=True)
    session_id: str = Field(foreign_key="exam_session.id")
    number: str  # paper-log number, e.g. "A-007"; kept by amendments
    device_code: str
    seq: int
    version: int = 1
    supersedes_id: str | None = Field(default=None, foreign_key="incident.id")
    # Workflow state, outside the signed content.
    superseded_by_id: str | None = None
    status: str = RecordStatus.DRAFT  # typed str: a hand-edited file may hold any text
    void_reason: str | None = None
    # Copies of content fields for lists and filters (verify checks they agree).
    party: str
    clause: str | None = None
    subject: str | None = None
    room: str | None = None
    seat: int | None = None
    person_name: str | None = None
    occurred_at: dt.datetime = _utc_col()
    local_date: str  # YYYY-MM-DD in the session's zone
    rulebook_id: str | None = None
    rulebook_version: str | None = None
    regulator_flag: bool = False
    content_hash: str  # SHA-256 of the canonical content in ``incident_content``
    created_at: dt.datetime = _utc_col()
    updated_at: dt.datetime = _utc_col()


class IncidentContent(SQLModel, table=True):
    """The signed content, apart from the incident row so that lists and counts stay fast."""

    __tablename__ = "incident_content"
    incident_id: str = Field(primary_key=True, foreign_key="incident.id")
    content_json: str  # canonical JSON


class Signature(SQLModel, table=True):
    id: str = Field(primary_key=True)
    incident_id: str = Field(foreign_key="incident.id", index=True)
    kind: str  # staff | confirm | acknowledge | refusal_witness | departure_witness
    staff_id: str | None = Field(default=None, foreign_key="staff.id")
    candidate_id: str | None = Field(default=None, foreign_key="candidate.id")
    signer_name: str
    role: str
    signed_at: dt.datetime = _utc_col()
    strokes_json: str = "[]"
    content_hash: str  # the content this signature attests
    voided_at: dt.datetime | None = _utc_col(nullable=True)


class Seal(SQLModel, table=True):
    incident_id: str = Field(primary_key=True, foreign_key="incident.id")
    device_id: str
    public_key: str  # hex of the raw Ed25519 key
    payload_hash: str
    signature: str  # hex
    sealed_at: dt.datetime = _utc_col()


class Device(SQLModel, table=True):
    device_id: str = Field(primary_key=True)
    code: str
    public_key: str
    first_seen: dt.datetime = _utc_col()


class Evidence(SQLModel, table=True):
    sha256: str = Field(primary_key=True)
    size: int
    media_type: str
    stored_at: dt.datetime = _utc_col()


class SeizedReturn(SQLModel, table=True):
    __tablename__ = "seized_return"
    id: str = Field(primary_key=True)
    incident_id: str = Field(foreign_key="incident.id", index=True)
    receipt_number: str
    returned_at: dt.datetime = _utc_col()
    returned_to: str
    recorded_by: str = Field(foreign_key="staff.id")
    strokes_json: str = "[]"


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    seq: int = Field(primary_key=True)
    at: dt.datetime = _utc_col()
    action: str
    session_id: str | None = Field(default=None, index=True)
    incident_id: str | None = Field(default=None, index=True)
    actor_id: str | None = None
    device_id: str
    details_json: str
    prev_hash: str
    hash: str
    signature: str | None = None  # hex Ed25519 of ``hash`` by the device key (none before 0.2)
