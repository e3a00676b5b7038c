"""The casework tables (migration 0009): cases, the records each holds, their steps, and the
institution's deadline settings.

A case's row holds where it stands (status, the handling as it stands, the decision as made);
every change to it is a step, and steps are append-only: the database itself refuses to update
or delete one (triggers in the migration). ``version`` counts the steps: each step function is
given the version its caller saw and changes the row only ``WHERE version = ?``, so two people
acting on what they both saw as the same case cannot overwrite each other (``steps``).

What the case list filters and sorts on is kept beside each case, one row of
``casework_case_list`` per case (migration 0012), so the database answers the list at any
size: the case's status, party, session and opening time, the clauses the list shows, and the
period the institution waits on (``period_kind``: a response to the notice or an objection to
the decision, ``period_start``: the day it is counted from). ``list_period`` works the period
out from the case and its steps; every step (``cases.advance``) and the import keep the row up
to date.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Index, UniqueConstraint
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


class CaseListRow(SQLModel, table=True):
    """What the case list filters and sorts on, for one case (kept by every step and by the
    import; migration 0012): a copy of the case's status, party, session and opening time, the
    clauses the list shows and the period the case waits on (``list_period``)."""

    __tablename__ = "casework_case_list"
    __table_args__ = (
        Index("ix_casework_case_list_order", "created_at", "case_id"),
        Index("ix_casework_case_list_status", "status", "created_at", "case_id"),
        Index("ix_casework_case_list_status_party", "status", "party", "created_at", "case_id"),
        Index("ix_casework_case_list_party", "party", "created_at", "case_id"),
        Index("ix_casework_case_list_session", "session_id", "created_at", "case_id"),
        Index(
            "ix_casework_case_list_period",
            "period_kind",
            "period_start",
            "status",
            "party",
            "created_at",
            "case_id",
        ),
    )
    case_id: str = Field(primary_key=True, foreign_key="casework_case.id")
    status: str
    party: str
    session_id: str | None = None
    created_at: dt.datetime = _utc()
    clauses: str = "[]"  # the clauses the list shows (a JSON array, as in outcome_json)
    period_kind: str | None = None  # "response" | "objection": a period the case waits on
    period_start: str | None = None  # YYYY-MM-DD: the day that period is counted from


LOCAL_ZONE = "Asia/Shanghai"  # the dates of steps, as the institution reads them


def list_clauses(outcome_json: str) -> str:
    """The clauses the list shows for a case whose stored outcome is ``outcome_json``."""
    outcome = json.loads(outcome_json)
    clauses = outcome.get("clauses", []) if isinstance(outcome, dict) else []
    return json.dumps(clauses, ensure_ascii=False, separators=(",", ":"))


def list_period(
    status: str, decided_json: str | None, steps: Iterable[tuple[str, dt.datetime, str]]
) -> tuple[str | None, str | None]:
    """The period the case waits on, as ``duties.overdue`` reads it, and the day it is counted
    from (``YYYY-MM-DD``): a response while the case is noticed and no response came (from the
    notice's first delivery, else the last notice's day), an objection while the decision is
    delivered (from its first delivery, else the decision date); else (None, None).

    ``steps``: the case's (kind, time, details JSON), in order. The case is overdue on day D
    when D is later than the start plus the institution's days for that period."""
    if status not in ("noticed", "delivered"):
        return None, None
    notices: list[dt.datetime] = []
    responded = False
    delivered: dict[str, str] = {}
    for kind, at, details_json in steps:
        if kind == "notice":
            notices.append(at)
        elif kind == "respond":
            responded = True
        elif kind == "deliver":
            details = json.loads(details_json)
            document, day = details.get("document"), details.get("date")
            known = isinstance(document, str) and isinstance(day, str)
            if known and (document not in delivered or day < delivered[document]):
                delivered[document] = day
    if status == "noticed":
        if responded or not notices:
            return None, None
        local = notices[-1].astimezone(ZoneInfo(LOCAL_ZONE)).date().isoformat()
        return "response", delivered.get("notice", local)
    if decided_json is None:
        return None, None
    decided = json.loads(decided_json)
    return "objection", delivered.get("decision", str(decided["decision_date"]))


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
