"""Bringing the register up to date from the casework steps.

Casework keeps every step in ``casework_step``, append-only, numbered by ``seq``; the register
keeps the ``seq`` of the last step it took in (``register_mark``) and reads only the steps
after it: a ``decide`` enters the ban it decided, a ``review`` that changed or annulled the
decision adds an entry that supersedes the case's entry in force (an upheld one changes
nothing). Nothing in casework is changed or called: the register reads what casework wrote.

The refresh takes the audit chain's write turn (as each casework step does) before it reads the
mark, so two refreshes never enter one step twice, and a step is committed before any later one
is numbered; every register read and every kit's screening calls it first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.core.casework.tables import CaseRow, CaseStepRow
from app.core.records import dialect
from app.core.records.register_tables import MARK_CASEWORK, RegisterEntry, RegisterMark
from app.core.rosters.idtypes import normalize_id_number

DECIDE, REVIEW = "decide", "review"
CANDIDATE = "candidate"


def _mark(db: Session) -> int:
    row = db.exec(
        select(RegisterMark.last_seq).where(col(RegisterMark.name) == MARK_CASEWORK)
    ).first()
    return 0 if row is None else int(row)


def _newest(db: Session) -> int:
    return int(db.exec(select(func.max(CaseStepRow.seq))).one() or 0)


def pending(db: Session) -> bool:
    """Steps the register has not taken in yet (read without taking any lock)."""
    return _newest(db) > _mark(db)


def refresh(db: Session) -> int:
    """Take in every casework step after the mark, in ``db``'s transaction (the caller
    commits); the number of entries added."""
    if not pending(db):
        return 0
    dialect.lock_audit_chain(db)
    mark, newest = _mark(db), _newest(db)
    if newest <= mark:  # another refresh took them in meanwhile
        return 0
    steps = db.exec(
        select(CaseStepRow)
        .where(
            col(CaseStepRow.seq) > mark,
            col(CaseStepRow.seq) <= newest,
            col(CaseStepRow.kind).in_([DECIDE, REVIEW]),
        )
        .order_by(col(CaseStepRow.seq))
    ).all()
    added = 0
    for step in steps:
        case = db.get(CaseRow, step.case_id)
        if case is None or case.party != CANDIDATE:
            continue
        entry = _entry_of(db, case, step)
        if entry is not None:
            added += 1
    _set_mark(db, mark, newest)
    db.flush()
    return added


def _set_mark(db: Session, old: int, new: int) -> None:
    row = db.get(RegisterMark, MARK_CASEWORK)
    if row is None:
        db.add(RegisterMark(name=MARK_CASEWORK, last_seq=new))
    else:
        db.connection().execute(
            update(RegisterMark)
            .where(col(RegisterMark.name) == MARK_CASEWORK, col(RegisterMark.last_seq) == old)
            .values(last_seq=new)
        )


def _in_force(db: Session, case_id: str) -> RegisterEntry | None:
    return db.exec(
        select(RegisterEntry)
        .where(col(RegisterEntry.case_id) == case_id, col(RegisterEntry.superseded_by).is_(None))
        .order_by(col(RegisterEntry.id).desc())
    ).first()


def _entry_of(db: Session, case: CaseRow, step: CaseStepRow) -> RegisterEntry | None:
    details: dict[str, Any] = json.loads(step.details_json)
    decided: dict[str, Any] = json.loads(case.decided_json or "{}")
    if step.kind == DECIDE:
        ban = details.get("ban")
        if not ban:  # no ban decided (Art. 5): nothing to enter
            return None
        return _add(db, case, step, "decision", decided, ban, None)
    outcome = details.get("outcome")
    if outcome not in ("changed", "annulled"):
        return None
    before = _in_force(db, case.id)
    if outcome == "annulled":
        if before is None:
            return None
        return _add(db, case, step, "review_annulled", decided, None, before)
    review: dict[str, Any] = json.loads(case.review_json or "{}")
    ban = review.get("ban")
    if not ban and before is None:
        return None
    source = "review_changed" if ban else "review_annulled"
    return _add(db, case, step, source, {**decided, **review}, ban, before)


def governing_clause(handling: Mapping[str, Any], last_day: str | None) -> str:
    """The clause whose ban is the one decided (the longest, when records were combined)."""
    clauses: list[str] = []
    for record in handling.get("records", []):
        outcome = record.get("outcome") or {}
        if last_day is not None and outcome.get("ban_until") == last_day and outcome.get("clause"):
            clauses.append(str(outcome["clause"]))
    if clauses:
        return clauses[0]
    applied = handling.get("applied_clauses") or handling.get("clauses") or [""]
    return str(applied[0])


def _add(
    db: Session,
    case: CaseRow,
    step: CaseStepRow,
    source: str,
    decided: Mapping[str, Any],
    ban: Mapping[str, Any] | None,
    before: RegisterEntry | None,
) -> RegisterEntry:
    number = case.id_number or ""
    last_day = None if ban is None else str(ban["last_day"])
    clause = (
        governing_clause(decided.get("handling") or {}, last_day)
        if ban is not None or before is None
        else before.clause
    )
    entry = RegisterEntry(
        case_id=case.id,
        step_seq=int(step.seq or 0),
        source=source,
        person_name=case.person_name,
        id_type=case.id_type or "",
        id_number=number,
        id_key=normalize_id_number(number),
        clause=clause,
        decision_date=str(decided.get("decision_date") or ""),
        first_day=None if ban is None else str(ban["first_day"]),
        last_day=last_day,
        document_sha256=step.document_sha256,
        supersedes=None if before is None else before.id,
        entered_at=dt.datetime.now(dt.UTC),
    )
    db.add(entry)
    db.flush()
    if before is not None:
        # The only change an entry ever takes (the database refuses any other): the name of
        # the one that superseded it.
        before.superseded_by = entry.id
        db.add(before)
        db.flush()
    return entry
