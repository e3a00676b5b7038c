"""Reading a case and changing it one step at a time, under optimistic locking.

Every change of a case is one ``advance``: an ``UPDATE … WHERE id = ? AND version = ?`` that
also raises the version, a step row (append-only) and an audit entry naming the account, all in
the caller's transaction. The update is the guard: on PostgreSQL a second writer's update waits
for the first one's commit and then matches no row, so it gets ``EditConflict`` and nothing it
meant to write is kept; on SQLite the audit chain's ``BEGIN IMMEDIATE`` makes writers take turns,
and the second finds the version moved on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.core.casework.errors import CaseInputError, CaseNotFound, EditConflict
from app.core.casework.handling import Part
from app.core.casework.states import Step
from app.core.casework.tables import CaseRecordRow, CaseRow, CaseStepRow
from app.core.records import audit, dialect
from app.core.records.casework_tables import CaseListRow, list_clauses, list_period
from app.core.records.sessions import local_date
from app.core.records.tables import Incident, IncidentContent
from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import Rulebook
from app.core.seal.canonical import canonical_text, content_hash
from app.core.seal.device_keys import DeviceKey

LOCAL_ZONE = "Asia/Shanghai"  # the dates of steps, as the institution reads them
MIN_PREFIX = 6


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_day(instant: dt.datetime) -> dt.date:
    return dt.date.fromisoformat(local_date(instant, LOCAL_ZONE))


def today() -> dt.date:
    return local_day(now())


def new_id() -> str:
    return str(uuid.uuid4())


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def dumps(value: Any) -> str:
    return canonical_text(value)


def resolve(db: Session, ref: str) -> CaseRow:
    """The case ``ref`` names: its id, or a unique beginning of it (at least 6 characters)."""
    ref = ref.strip().lower()
    found = db.exec(
        select(CaseRow).where(col(CaseRow.id) == ref).execution_options(populate_existing=True)
    ).first()
    if found is not None:
        return found
    if len(ref) >= MIN_PREFIX:
        rows = db.exec(
            select(CaseRow)
            .where(col(CaseRow.id).startswith(ref, autoescape=True))
            .limit(2)
            .execution_options(populate_existing=True)
        ).all()
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            raise CaseNotFound(f"case '{ref}': more than one case begins so; give more of its id")
    raise CaseNotFound(f"case '{ref}': no such case (`case list` shows them)")


def steps_of(db: Session, case_id: str) -> list[CaseStepRow]:
    return list(
        db.exec(
            select(CaseStepRow)
            .where(col(CaseStepRow.case_id) == case_id)
            .order_by(col(CaseStepRow.seq))
        ).all()
    )


def begin(db: Session) -> None:
    """Take the write turn before anything is read (the audit chain's lock): a step reads the
    case, checks it and writes, and the read must be of the case as it is committed now."""
    dialect.lock_audit_chain(db)


def _conflict(db: Session, case: CaseRow, seen: int) -> EditConflict:
    last = db.exec(
        select(CaseStepRow)
        .where(col(CaseStepRow.case_id) == case.id)
        .order_by(col(CaseStepRow.seq).desc())
        .limit(1)
    ).first()
    what = ""
    if last is not None:
        who = last.account or "an import"
        what = (
            f": {Step(last.kind).command if last.kind in Step._value2member_map_ else last.kind}"
            f" by {who} at {last.at.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}"
        )
    return EditConflict(
        f"case {case.id[:8]} changed since it was read (read at version {seen}, now version "
        f"{case.version}{what}); read it again with `case show {case.id[:8]}` and decide anew; "
        "nothing was changed"
    )


def check_version(db: Session, case: CaseRow, seen: int) -> None:
    if case.version != seen:
        raise _conflict(db, case, seen)


def advance(
    db: Session,
    device: DeviceKey,
    case: CaseRow,
    seen: int,
    account: str | None,
    kind: Step,
    details: Mapping[str, Any],
    *,
    status: str | None = None,
    changes: Mapping[str, Any] | None = None,
    document_sha256: str | None = None,
    at: dt.datetime | None = None,
) -> CaseRow:
    """One step: the case row changed only if still at version ``seen``, the step appended
    and audited; the case as it now is."""
    at = at or now()
    values = dict(changes or {})
    if status is not None:
        values["status"] = status
    version = bump(db, case, seen, at, values)
    _append_step(db, device, case, version, account, kind, details, document_sha256, at)
    return keep_list_columns(db, resolve(db, case.id))


def keep_list_columns(db: Session, case: CaseRow) -> CaseRow:
    """Bring what the list keeps of ``case`` (``casework_case_list``: its status, clauses, the
    period it waits on) up to date with the case and its steps; the case."""
    kind, start = list_period(
        case.status,
        case.decided_json,
        [(s.kind, s.at, s.details_json) for s in steps_of(db, case.id)],
    )
    values: dict[str, Any] = {
        "status": case.status,
        "clauses": list_clauses(case.outcome_json),
        "period_kind": kind,
        "period_start": start,
    }
    result = db.connection().execute(
        update(CaseListRow).where(col(CaseListRow.case_id) == case.id).values(**values)
    )
    if result.rowcount != 1:
        db.add(
            CaseListRow(
                case_id=case.id,
                party=case.party,
                session_id=case.session_id,
                created_at=case.created_at,
                **values,
            )
        )
        db.flush()
    return case


def bump(db: Session, case: CaseRow, seen: int, at: dt.datetime, changes: Mapping[str, Any]) -> int:
    """Raise the case's version from ``seen`` (and apply ``changes``), or ``EditConflict``
    when it is no longer at ``seen``: the guard of every change. The new version."""
    values: dict[str, Any] = {"version": seen + 1, "updated_at": at, **changes}
    result = db.connection().execute(
        update(CaseRow)
        .where(col(CaseRow.id) == case.id, col(CaseRow.version) == seen)
        .values(**values)
    )
    if result.rowcount != 1:
        current = resolve(db, case.id)
        raise _conflict(db, current, seen)
    return seen + 1


def _append_step(
    db: Session,
    device: DeviceKey,
    case: CaseRow,
    version: int,
    account: str | None,
    kind: Step,
    details: Mapping[str, Any],
    document_sha256: str | None,
    at: dt.datetime,
) -> None:
    details_json = dumps(dict(details))
    db.add(
        CaseStepRow(
            case_id=case.id,
            case_version=version,
            kind=kind.value,
            account=account,
            at=at,
            details_json=details_json,
            document_sha256=document_sha256,
        )
    )
    db.flush()
    # The audit entry names the step and who took it; long texts go in by their hash only.
    audit.append(
        db,
        action=f"case_{kind.value}",
        device=device,
        session_id=case.session_id,
        details={
            "case_id": case.id,
            "case_version": version,
            "account": account,
            "details_sha256": content_hash(json.loads(details_json)),
            **({"document_sha256": document_sha256} if document_sha256 else {}),
        },
        at=at,
    )


def insert_case(
    db: Session,
    device: DeviceKey,
    case: CaseRow,
    incident_ids: list[str],
    account: str | None,
    details: Mapping[str, Any],
) -> CaseRow:
    """A new case at version 1, holding ``incident_ids``, with its ``opened`` step."""
    db.add(case)
    db.flush()
    for incident_id in incident_ids:
        db.add(CaseRecordRow(case_id=case.id, incident_id=incident_id))
    _append_step(db, device, case, 1, account, Step.OPENED, details, None, case.created_at)
    return keep_list_columns(db, case)


def held_ids(db: Session, case_id: str) -> list[str]:
    return list(
        db.exec(
            select(CaseRecordRow.incident_id).where(col(CaseRecordRow.case_id) == case_id)
        ).all()
    )


def parts_of(db: Session, case: CaseRow) -> list[Part]:
    """The records the case holds (or its Art. 8 finding), as the engine takes them, in the
    order they happened."""
    if case.base_json is not None:
        base = json.loads(case.base_json)
        return [Part(None, None, base["facts"])]
    ids = held_ids(db, case.id)
    if not ids:
        return []
    rows = db.exec(
        select(Incident.id, Incident.number, Incident.occurred_at, IncidentContent.content_json)
        .join(IncidentContent, col(IncidentContent.incident_id) == col(Incident.id))
        .where(col(Incident.id).in_(ids))
        .order_by(col(Incident.occurred_at), col(Incident.number))
    ).all()
    return [Part(r[0], r[1], json.loads(r[3])["facts"]) for r in rows]


def rulebook_of(case: CaseRow) -> Rulebook:
    return load_rulebook(case.rulebook_id)


def parse_day(value: str | dt.date, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise CaseInputError(f"{field}: '{value}' is no date; give YYYY-MM-DD; nothing was changed")
