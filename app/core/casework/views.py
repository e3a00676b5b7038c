"""What a case looks like from outside: the list's rows, one case in full, and the data of
the documents the steps make (the notice, the decision, the review decision).

ID numbers are masked in the list and in ``show`` (``rosters.idcard.mask_id_number``); only a
document handed to the person carries the full number.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app.core.casework import cases, duties
from app.core.casework.deadlines import PRACTICE_LABEL, Deadlines, deadlines, due_by
from app.core.casework.errors import CaseInputError
from app.core.casework.handling import basis, handling
from app.core.casework.states import Status, Step, next_steps
from app.core.casework.steps import decision_handling, review_handling
from app.core.casework.tables import CaseRow, CaseStepRow
from app.core.errors import UserError
from app.core.records.casework_tables import CaseListRow
from app.core.records.tables import Incident, IncidentContent, Signature, to_utc_text
from app.core.rosters.idcard import mask_id_number

PROCEDURE_ARTICLES = (16, 17, 19)


def outcome_of(db: Session, case: CaseRow) -> dict[str, Any]:
    """The case's handling: as stored once determined; while it is open (or with the
    regulator) the engine's reading of the records it holds now."""
    stored: dict[str, Any] = json.loads(case.outcome_json)
    if not stored.get("live"):
        return stored
    try:
        return handling(
            cases.rulebook_of(case),
            case.party,
            cases.parts_of(db, case),
            json.loads(case.facts_json),
        )
    except UserError as exc:  # shown, not raised: the case must stay readable
        return {**stored, "party": case.party, "problem": str(exc), "violation": None}


def person_of(case: CaseRow) -> dict[str, Any]:
    return {
        "name": case.person_name,
        "id_type": case.id_type,
        "id_number_masked": None if case.id_number is None else mask_id_number(case.id_number),
    }


def _clauses(case: CaseRow) -> list[str]:
    outcome = json.loads(case.outcome_json)
    clauses: list[str] = outcome.get("clauses", [])
    return clauses


OVERDUE = ("response", "objection", "any")
PARTIES = ("candidate", "staff", "institution")


def _overdue_test(limits: Deadlines, day: dt.date, kind: str) -> ColumnElement[bool]:
    """Cases whose ``kind`` period (response, objection) is over on ``day``: the period's start
    plus the institution's days lies before ``day`` (``duties.overdue``, as a comparison)."""
    days = limits.response_days if kind == "response" else limits.objection_days
    last_start = (day - dt.timedelta(days=days + 1)).isoformat()
    return and_(col(CaseListRow.period_kind) == kind, col(CaseListRow.period_start) <= last_start)


def _filtered(
    query: Select[Any],
    db: Session,
    status: str | None,
    party: str | None,
    session_id: str | None,
    overdue: str | None,
    today: dt.date | None,
) -> Select[Any]:
    if status is not None and status not in Status._value2member_map_:
        raise CaseInputError(f"status: '{status}'; use one of {', '.join(s.value for s in Status)}")
    if party is not None and party not in PARTIES:
        raise CaseInputError(f"party: '{party}'; use one of {', '.join(PARTIES)}")
    if overdue is not None and overdue not in OVERDUE:
        raise CaseInputError(f"overdue: '{overdue}'; use one of {', '.join(OVERDUE)}")
    if status is not None:
        query = query.where(col(CaseListRow.status) == status)
    if party is not None:
        query = query.where(col(CaseListRow.party) == party)
    if session_id is not None:
        query = query.where(col(CaseListRow.session_id) == session_id)
    if overdue is not None:
        limits, day = deadlines(db), today or cases.today()
        kinds = ("response", "objection") if overdue == "any" else (overdue,)
        query = query.where(or_(*(_overdue_test(limits, day, k) for k in kinds)))
    return query


def list_cases(
    db: Session,
    status: str | None = None,
    party: str | None = None,
    session_id: str | None = None,
    overdue: str | None = None,
    today: dt.date | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The cases that pass the filters (None: any), oldest first, as the list shows them:
    ``limit`` of them from ``offset`` (all when None). The database filters, sorts and pages
    (on what ``casework_case_list`` keeps); ``overdue``: ``response``, ``objection`` or ``any``
    (what waits past its deadline on ``today``, as ``duties.overdue`` says)."""
    # The page is found on the list's table alone (its indexes), then joined to its cases.
    page = _filtered(
        core_select(col(CaseListRow.case_id)), db, status, party, session_id, overdue, today
    )
    page = page.order_by(col(CaseListRow.created_at), col(CaseListRow.case_id))
    page = page.offset(max(offset, 0))
    if limit is not None:
        page = page.limit(max(limit, 0))
    listed = page.subquery()
    columns: tuple[Any, ...] = (
        CaseRow.id, CaseRow.person_name, CaseRow.id_type, CaseRow.id_number, CaseListRow.party,
        CaseListRow.session_id, CaseListRow.clauses, CaseListRow.status, CaseListRow.period_kind,
        CaseListRow.period_start,
    )  # fmt: skip
    query = (
        core_select(*columns)
        .select_from(listed)
        .join(CaseListRow, col(CaseListRow.case_id) == listed.c.case_id)
        .join(CaseRow, col(CaseRow.id) == listed.c.case_id)
        .order_by(col(CaseListRow.created_at), col(CaseListRow.case_id))
    )
    limits = deadlines(db)
    day = today or cases.today()
    out = []
    for ident, name, id_type, id_number, party_, session, clauses, status_, kind, start in (
        db.connection().execute(query).all()
    ):
        out.append(
            {
                "id": ident,
                "person": {
                    "name": name,
                    "id_type": id_type,
                    "id_number_masked": None if id_number is None else mask_id_number(id_number),
                },
                "party": party_,
                "session_id": session,
                "clauses": json.loads(clauses),
                "status": status_,
                "overdue": _overdue_of(kind, start, limits, day),
            }
        )
    return out


def _overdue_of(kind: str | None, start: str | None, limits: Deadlines, day: dt.date) -> str | None:
    if kind is None or start is None:
        return None
    days = limits.response_days if kind == "response" else limits.objection_days
    return kind if day > due_by(dt.date.fromisoformat(start), days) else None


def count_cases(
    db: Session,
    status: str | None = None,
    party: str | None = None,
    session_id: str | None = None,
    overdue: str | None = None,
    today: dt.date | None = None,
) -> int:
    """How many cases pass the filters (as ``list_cases``)."""
    query = _filtered(
        core_select(func.count()).select_from(CaseListRow),
        db, status, party, session_id, overdue, today,
    )  # fmt: skip
    return int(db.connection().execute(query).scalar_one())


def _step_view(step: CaseStepRow) -> dict[str, Any]:
    return {
        "seq": step.seq,
        "kind": step.kind,
        "account": step.account,
        "at": step.at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "case_version": step.case_version,
        "details": duties.details(step),
        "document_sha256": step.document_sha256,
    }


_DOCUMENT_KIND = {
    Step.NOTICE.value: "notice",
    Step.DECIDE.value: "decision",
    Step.REVIEW.value: "review",
    Step.RESPOND.value: "response",
    Step.OBJECT.value: "objection",
    Step.OTHER_AUTHORITY.value: "conclusion",
    Step.REFER.value: "referral",
    Step.REPORT.value: "report",
}


def _notes(db: Session, case: CaseRow, steps: list[CaseStepRow]) -> list[str]:
    notes = []
    for step in steps:
        d = duties.details(step)
        if step.kind == Step.RECORDS_CHANGED.value and not d.get("handling_recomputed"):
            notes.append(
                f"the records changed after the case was {d.get('status')} (step {step.seq}: "
                f"added {', '.join(d.get('added', [])) or 'none'}, removed "
                f"{', '.join(d.get('removed', [])) or 'none'}); the handling shown is the one "
                "determined or decided before: look at the records again"
            )
        if step.kind in (Step.RESPOND.value, Step.OBJECT.value) and d.get("late"):
            notes.append(
                f"the {'response' if step.kind == Step.RESPOND.value else 'objection'} of step "
                f"{step.seq} came after its deadline ({PRACTICE_LABEL})"
            )
    outcome = outcome_of(db, case)
    if outcome.get("problem"):
        notes.append(f"the rule engine could not work out the handling: {outcome['problem']}")
    return notes


def show_case(db: Session, ref: str, today: dt.date | None = None) -> dict[str, Any]:
    """One case in full: where it stands, its handling, its decision and review, every step
    with its account and time, its documents, deadlines and obligations."""
    case = cases.resolve(db, ref)
    steps = cases.steps_of(db, case.id)
    limits = deadlines(db)
    day = today or cases.today()
    respond_by = duties.respond_by(steps, limits)
    object_by = duties.object_by(case, steps, limits)
    held = cases.held_ids(db, case.id)
    outcome = outcome_of(db, case)
    return {
        "id": case.id,
        "status": case.status,
        "version": case.version,
        "party": case.party,
        "person": person_of(case),
        "session_id": case.session_id,
        "clauses": _clauses(case),
        "records": sorted(held),
        "without_record": json.loads(case.base_json) if case.base_json else None,
        "outcome": outcome,
        "decision": cases.loads(case.decided_json),
        "review": cases.loads(case.review_json),
        "steps": [_step_view(s) for s in steps],
        "documents": [
            {
                "kind": _DOCUMENT_KIND[s.kind],
                "step": s.seq,
                "sha256": s.document_sha256,
                "at": _step_view(s)["at"],
            }
            for s in steps
            if s.document_sha256 and s.kind in _DOCUMENT_KIND
        ],
        "deadlines": {
            "label": PRACTICE_LABEL,
            "response_days": limits.response_days,
            "objection_days": limits.objection_days,
            "respond_by": None if respond_by is None else respond_by.isoformat(),
            "object_by": None if object_by is None else object_by.isoformat(),
        },
        "overdue": duties.overdue(case, steps, limits, day),
        "obligations": duties.obligations(case, steps),
        "next": [s.command for s in next_steps(Status(case.status), case.party)],
        "notes": _notes(db, case, steps),
    }


# -- the documents' data ----------------------------------------------------------------------


def _facts_of_records(db: Session, case: CaseRow) -> list[dict[str, Any]]:
    if case.base_json is not None:
        base = json.loads(case.base_json)
        return [
            {
                "incident_id": None,
                "number": None,
                "date": base["facts"]["date"],
                "discovered_on": base["discovered_on"],
                "clause": base["facts"]["clause"],
                "subject": base["facts"].get("subject"),
                "description": base["description"],
                "confirmed_by": base["confirmed_by"],
            }
        ]
    ids = cases.held_ids(db, case.id)
    rows = db.exec(
        select(Incident, IncidentContent.content_json)
        .join(IncidentContent, col(IncidentContent.incident_id) == col(Incident.id))
        .where(col(Incident.id).in_(ids))
        .order_by(col(Incident.occurred_at), col(Incident.number))
    ).all()
    signed = _signatures_of(db, [incident for incident, _text in rows])
    out = []
    for incident, text in rows:
        content = json.loads(text)
        out.append(
            {
                "incident_id": incident.id,
                "number": incident.number,
                "version": incident.version,
                "occurred_at": content["occurred_at"],
                "date": content["local_date"],
                "clause": content["clause"],
                "subject": content.get("subject"),
                "room": content.get("room"),
                "seat": content.get("seat"),
                "description": content.get("description", ""),
                "session": content.get("session"),
                # Who signed and confirmed this version on site (Art. 16), and the person's
                # word on it; a record transcribed from paper names its paper signers here.
                "signatures": signed.get(incident.id, []),
                "paper": content.get("transcription"),
            }
        )
    return out


def _signatures_of(db: Session, incidents: list[Incident]) -> dict[str, list[dict[str, Any]]]:
    """The signatures that attest each record version as it is (not voided, over its content
    hash), in the order they were made: kind (staff, acknowledge, refusal_witness,
    departure_witness, confirm), name and role as signed, and the time (UTC)."""
    hashes = {i.id: i.content_hash for i in incidents}
    if not hashes:
        return {}
    rows = db.exec(
        select(Signature)
        .where(col(Signature.incident_id).in_(list(hashes)), col(Signature.voided_at).is_(None))
        .order_by(col(Signature.signed_at), col(Signature.id))
    ).all()
    out: dict[str, list[dict[str, Any]]] = {}
    for s in rows:
        if s.content_hash != hashes[s.incident_id]:
            continue  # it attests an earlier content of this version
        out.setdefault(s.incident_id, []).append(
            {
                "kind": s.kind,
                "name": s.signer_name,
                "role": s.role,
                "signed_at": to_utc_text(s.signed_at),
            }
        )
    return out


def _document(db: Session, case: CaseRow, result: dict[str, Any]) -> dict[str, Any]:
    rulebook = cases.rulebook_of(case)
    return {
        "case_id": case.id,
        "case_version": case.version,
        "party": case.party,
        "person": {
            "name": case.person_name,
            "id_type": case.id_type,
            "id_number": case.id_number,  # the person's own document: in full
        },
        "session_id": case.session_id,
        "facts": _facts_of_records(db, case),
        "reasons": result.get("explanation", ""),
        "reasons_en": result.get("explanation_en", ""),
        "basis": basis(rulebook, result),
        "procedure": {
            str(n): rulebook.articles[n].head_zh
            for n in PROCEDURE_ARTICLES
            if n in rulebook.articles
        },
        "rulebook": rulebook.label,
    }


def notice_data(db: Session, ref: str) -> dict[str, Any]:
    """告知 (Art. 17 ¶1): the intended decision with its facts, reasons and basis (the clause
    text verbatim from the rulebook), and the response period (institution practice)."""
    case = cases.resolve(db, ref)
    result = outcome_of(db, case)
    limits = deadlines(db)
    return {
        **_document(db, case, result),
        "intended": result,
        "response_days": limits.response_days,
        "response_label": PRACTICE_LABEL,
    }


def decision_data(db: Session, ref: str, decision_date: dt.date) -> dict[str, Any]:
    """处理决定 (Art. 17 ¶2) as it would be made on ``decision_date``: the handling with the
    ban's first and last day, and the objection period (institution practice, Art. 19)."""
    case = cases.resolve(db, ref)
    decided = decision_handling(db, case, decision_date)
    limits = deadlines(db)
    return {
        **_document(db, case, decided["handling"]),
        "decision_date": decided["decision_date"],
        "decision": decided["handling"],
        "ban": decided["ban"],
        "objection_days": limits.objection_days,
        "objection_label": PRACTICE_LABEL,
    }


def review_data(
    db: Session,
    ref: str,
    outcome: str,
    *,
    severity: str | None = None,
    adverse_effect: bool | None = None,
) -> dict[str, Any]:
    """复核决定 (Art. 19) as it would be made: the first decision beside the review's."""
    case = cases.resolve(db, ref)
    review = review_handling(db, case, outcome, severity=severity, adverse_effect=adverse_effect)
    decided = json.loads(case.decided_json or "{}")
    standing = review.get("handling") or decided.get("handling", {})
    objections = [
        duties.details(s) for s in cases.steps_of(db, case.id) if s.kind == Step.OBJECT.value
    ]
    return {
        **_document(db, case, standing),
        "first_decision": decided,
        "review": review,
        "objections": objections,
    }
