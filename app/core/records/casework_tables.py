"""The casework tables (migration 0009): cases, the records each holds, their steps, and the
institution's deadline settings.

A case's row holds where it stands (status, the handling as it stands, the decision as made);
every change to it is a step, and steps are append-only: the database itself refuses to update
or delete one (triggers in the migration). ``version`` counts the steps: each step function is
given the version its caller saw and changes the row only ``WHERE version = ?``, so two people
acting on what they both saw as the same case cannot overwrite each other (``steps``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.records.tables import UTCDateTime


def _utc(*, nullable: bool = False) -> dt.datetime:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable))  # type: ignore[no-any-return]


class CaseRow(SQLModel, table=True):
    """One person's case in one session (or, found after the evaluation, without a session)."""

    __tablename__ = "casework_case"
    __table_args__ = (UniqueConstraint("session_id", "person_key"),)
    id: str = Field(primary_key=True)
    session_id: str | None = Field(default=None, index=True)  # None: Art. 8 without a record
    party: str  # candidate | staff | institution
    person_key: str  # candidate id, staff id, "institution", or "art8:<uuid>"
    person_name: str
    id_type: str | None = None
    id_number: str | None = None  # full here; masked wherever it is shown
    status: str
    version: int
    rulebook_id: str
    facts_json: str = "{}"  # the facts the institution determined (severity, adverse_effect)
    base_json: str | None = None  # Art. 8 without a record: the confirmed finding
    outcome_json: str  # the engine's handling as it stands
    decided_json: str | None = None  # the decision as made (kept beside any review)
    review_json: str | None = None  # the review decision
    created_at: dt.datetime = _utc()
    updated_at: dt.datetime = _utc()


class CaseRecordRow(SQLModel, table=True):
    """A record in force that the case holds (a newer version replaces an older one)."""

    __tablename__ = "casework_case_record"
    case_id: str = Field(primary_key=True, foreign_key="casework_case.id")
    incident_id: str = Field(primary_key=True, foreign_key="incident.id", index=True)


class CaseStepRow(SQLModel, table=True):
    """One step of a case, as taken: never changed, never removed."""

    __tablename__ = "casework_step"
    __table_args__ = (UniqueConstraint("case_id", "case_version"),)
    seq: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="casework_case.id", index=True)
    case_version: int  # the case's version this step made
    kind: str
    account: str | None = None  # None: the import opened or changed it
    at: dt.datetime = _utc()
    details_json: str
    document_sha256: str | None = None  # of the document the step made or recorded


class CaseSettingRow(SQLModel, table=True):
    """An institution setting of casework (a deadline), shared by every computer."""

    __tablename__ = "casework_setting"
    name: str = Field(primary_key=True)
    value: str
