"""The steps of a case (Art. 16–20), each taken by an admin account on the version of the case
it read: ``determine``, ``notice``, ``respond``, ``decide``, ``deliver``, ``object_to``,
``review``, ``close``, ``refer``, ``other_authority`` and ``report``.

Each checks, in this order, that the account may act (an admin), that the case is still the
version the caller saw (``EditConflict`` otherwise), that the step may come now (``states``),
then its own input; a refusal changes nothing. The documents of ``notice``, ``decide`` and
``review`` are made from ``documents``' data by the caller, who hands in the SHA-256 of the file
it made; the step keeps it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import Session

from app.core.accounts import ADMIN, Account, require_role
from app.core.casework import cases, duties, opening
from app.core.casework.deadlines import deadlines
from app.core.casework.errors import CaseInputError, StepRefused
from app.core.casework.handling import DETERMINABLE, Part, ban_of, handling
from app.core.casework.states import Status, Step, check_step
from app.core.casework.tables import CaseRow
from app.core.rulebook.engine import classify
from app.core.seal.device_keys import DeviceKey

DOCUMENTS = ("notice", "decision", "review")
# How a document reaches the person (书面送达) or the public (公告, Art. 17 ¶2).
METHODS = {
    "in_person": "直接送达 (handed over)",
    "post": "邮寄送达 (by post)",
    "electronic": "电子送达 (electronically)",
    "announcement": "公告 (announced)",
}
REVIEW_OUTCOMES = ("upheld", "changed", "annulled")
REFERRAL_BASES = ("art7", "art10", "art15", "other")
MAX_TEXT = 100_000
MAX_NAME = 200


def _start(db: Session, ref: str, seen: int, account: Account, step: Step) -> CaseRow:
    require_role(account, ADMIN)
    cases.begin(db)
    case = cases.resolve(db, ref)
    cases.check_version(db, case, seen)
    check_step(case.id[:8], case.status, case.party, step)
    return case


def _refuse(case: CaseRow, detail: str) -> StepRefused:
    return StepRefused(f"case {case.id[:8]}: {detail}; nothing was changed")


def _text(value: str, field: str, limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if not text:
        raise CaseInputError(f"{field}: empty; give the text; nothing was changed")
    if len(text) > limit:
        raise CaseInputError(
            f"{field}: {len(text)} characters; at most {limit}; nothing was changed"
        )
    return text


def _day_in_range(day: dt.date, field: str, earliest: dt.date | None, what: str) -> None:
    if day > cases.today():
        raise CaseInputError(f"{field}: {day} is in the future; nothing was changed")
    if earliest is not None and day < earliest:
        raise CaseInputError(f"{field}: {day} is before {what} ({earliest}); nothing was changed")


def _facts_given(
    case: CaseRow, severity: str | None, adverse_effect: bool | None
) -> dict[str, Any]:
    given: dict[str, Any] = {}
    if severity is not None:
        if severity not in ("minor", "serious"):
            raise CaseInputError(f"severity: '{severity}'; use minor or serious")
        given["severity"] = severity
    if adverse_effect is not None:
        given["adverse_effect"] = bool(adverse_effect)
    for name in given:
        party = DETERMINABLE[name]
        if case.party != party:
            raise _refuse(
                case,
                f"{name.replace('_', '-')} is a fact of {party.value} cases, not of this "
                f"{case.party} case",
            )
    return given


def _check_facts_used(case: CaseRow, parts: list[Part], given: dict[str, Any]) -> None:
    rulebook = cases.rulebook_of(case)
    for name in given:
        used = any(
            name in part.facts or name in classify(rulebook, dict(part.facts)).pending
            for part in parts
        )
        if not used:
            clauses = ", ".join(sorted({str(p.facts["clause"]) for p in parts}))
            raise _refuse(
                case,
                f"no record of this case leaves {name.replace('_', '-')} to determine "
                f"(clauses {clauses})",
            )


def determine(
    db: Session,
    device: DeviceKey,
    ref: str,
    seen: int,
    account: Account,
    *,
    severity: str | None = None,
    adverse_effect: bool | None = None,
) -> CaseRow:
    """认定 (Art. 16): the facts the site left open are established; the engine works the
    handling out anew. Refused while a fact that decides the handling is still open."""
    case = _start(db, ref, seen, account, Step.DETERMINE)
    given = _facts_given(case, severity, adverse_effect)
    parts = cases.parts_of(db, case)
    if not parts:
        raise _refuse(case, "it holds no record in force: nothing to determine (close it)")
    _check_facts_used(case, parts, given)
    determined = {**json.loads(case.facts_json), **given}
    result = handling(cases.rulebook_of(case), case.party, parts, determined)
    if result["pending"]:
        options = ", ".join(f"--{p.replace('_', '-')}" for p in result["pending"])
        raise _refuse(case, f"still open: {', '.join(result['pending'])}; give {options}")
    return cases.advance(
        db,
        device,
        case,
        seen,
        account.name,
        Step.DETERMINE,
        {
            "facts": given,
            "violation": result["violation"],
            "clauses": result["applied_clauses"],
        },
        status=Status.DETERMINED,
        changes={"facts_json": cases.dumps(determined), "outcome_json": cases.dumps(result)},
    )


def notice(
    db: Session, device: DeviceKey, ref: str, seen: int, account: Account, *, document_sha256: str
) -> CaseRow:
    """告知 (Art. 17 ¶1): the person is told the intended decision with its facts, reasons
    and basis (the document made from ``documents.notice_data``)."""
    case = _start(db, ref, seen, account, Step.NOTICE)
    outcome = json.loads(case.outcome_json)
    if not outcome.get("violation"):
        raise _refuse(case, "no violation is established: no decision to intend (close it)")
    limits = deadlines(db)
    return cases.advance(
        db,
        device,
        case,
        seen,
        account.name,
        Step.NOTICE,
        {"intended": outcome.get("explanation"), "response_days": limits.response_days},
        status=Status.NOTICED,
        document_sha256=_sha(document_sha256),
    )


def _sha(value: str) -> str:
    value = value.strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise CaseInputError("document: give the SHA-256 of the document (64 hex digits)")
    return value


def respond(
    db: Session,
    device: DeviceKey,
    ref: str,
    seen: int,
    account: Account,
    *,
    text: str,
    received_on: dt.date | None = None,
) -> CaseRow:
    """The person's response to the notice, as received; one after the response period (the
    institution's practice) is flagged as late, never refused."""
    case = _start(db, ref, seen, account, Step.RESPOND)
    body = _text(text, "text")
    day = received_on or cases.today()
    steps = cases.steps_of(db, case.id)
    due = duties.respond_by(steps, deadlines(db))
    notices = [s for s in steps if s.kind == Step.NOTICE.value]
    _day_in_range(day, "received", cases.local_day(notices[-1].at), "the notice")
    return cases.advance(
        db,
        device,
        case,
        seen,
        account.name,
        Step.RESPOND,
        {
            "text": body,
            "received_on": day.isoformat(),
            "respond_by": None if due is None else due.isoformat(),
            "late": due is not None and day > due,
        },
        document_sha256=cases.sha256_of(body.encode("utf-8")),
    )


def decision_handling(db: Session, case: CaseRow, decision_date: dt.date) -> dict[str, Any]:
    """The decision as it would be made on ``decision_date``: the handling with the ban dated
    from it."""
    result = handling(
        cases.rulebook_of(case),
        case.party,
        cases.parts_of(db, case),
        json.loads(case.facts_json),
        decision_date,
    )
    return {
        "decision_date": decision_date.isoformat(),
        "handling": result,
        "ban": ban_of(result, decision_date),
    }


def decide(
    db: Session,
    device: DeviceKey,
    ref: str,
    seen: int,
    account: Account,
    *,
    decision_date: dt.date,
    document_sha256: str,
) -> CaseRow:
    """处理决定 (Art. 17 ¶2): the decision in writing, its ban counted from ``decision_date``."""
    case = _start(db, ref, seen, account, Step.DECIDE)
    notices = [s for s in cases.steps_of(db, case.id) if s.kind == Step.NOTICE.value]
    _day_in_range(decision_date, "decision date", cases.local_day(notices[-1].at), "the notice")
    decided = decision_handling(db, case, decision_date)
    return cases.advance(
        db,
        device,
        case,
        seen,
        account.name,
        Step.DECIDE,
        {"decision_date": decision_date.isoformat(), "ban": decided["ban"]},
        status=Status.DECIDED,
        changes={"decided_json": cases.dumps(decided)},
        document_sha256=_sha(document_sha256),
    )


def deliver(
    db: Session,
    device: DeviceKey,
    ref: str,
    seen: int,
    account: Account,
    *,
    document: str,
    method: str,
    date: dt.date,
) -> CaseRow:
    """书面送达 or announcement of the notice, the decision or the review decision; the first
    delivery of the decision makes the case ``delivered``."""
    case = _start(db, ref, seen, account, Step.DELIVER)
    if document not in DOCUMENTS:
        raise CaseInputError(f"document: '{document}'; use {', '.join(DOCUMENTS)}")
    if method not in METHODS:
        raise CaseInputError(f"method: '{method}'; use {', '.join(METHODS)}")
    steps = cases.steps_of(db, case.id)
    made = {
        "notice": [cases.local_day(s.at) for s in steps if s.kind == Step.NOTICE.value],
        "decision": [dt.date.fromisoformat(json.loads(case.decided_json)["decision_date"])]
        if case.decided_json
        else [],
        "review": [cases.local_day(s.at) for s in steps if s.kind == Step.REVIEW.value],
    }[document]
    if not made:
        raise _refuse(case, f"there is no {document} to deliver yet")
    _day_in_range(date, "date", made[-1], f"the {document}")
    status = Status.DELIVERED if document == "decision" and case.status == Status.DECIDED else None
    return cases.advance(
        db,
        device,
        case,
        seen,
        account.name,
        Step.DELIVER,
        {"document": document, "method": method, "date": date.isoformat()},
        status=status,
    )


def object_to(
    db: Session,
    device: DeviceKey,
    ref: str,
    seen: int,
    account: Account,
    *,
    text: str,
    received_on: dt.date | None = None,
) -> CaseRow:
    """陈述和申辩 (Art. 19) against the decision, as received: the case goes under review. One
    after the objection period (the institution's practice) is flagged as late, never
    refused."""
    case = _start(db, ref, seen, account, Step.OBJECT)
    body = _text(text, "text")
    day = received_on or cases.today()
    decided = json.loads(case.decided_json or "{}")
    _day_in_range(day, "received", dt.date.fromisoformat(decided["decision_date"]), "the decision")
    due = duties.object_by(case, cases.steps_of(db, case.id), deadlines(db))
    return cases.advance(
        db,
        device,
        case,
        seen,
        account.name,
        Step.OBJECT,
        {
            "text": body,
            "received_on": day.isoformat(),
            "object_by": None if due is None else due.isoformat(),
            "late": due is not None and day > due,
        },
        status=Status.UNDER_REVIEW,
        document_sha256=cases.sha256_of(body.encode("utf-8")),
    )


def _check_reviewer(db: Session, case: CaseRow, account: Account) -> None:
    """The review is by an admin who took no part in the determination, the notice or the
    decision."""
    part = {
        s.kind
        for s in cases.steps_of(db, case.id)
        if s.account == account.name
        and s.kind in (Step.DETERMINE.value, Step.NOTICE.value, Step.DECIDE.value)
    }
    if part:
        raise _refuse(
            case,
            f"account {account.name!r} took part in it ({', '.join(sorted(part))}): the review "
            "is by an admin who took no part in the determination, notice or decision",
        )


def review_handling(
    db: Session,
    case: CaseRow,
    outcome: str,
    *,
    severity: str | None = None,
    adverse_effect: bool | None = None,
    review_date: dt.date | None = None,
) -> dict[str, Any]:
    """The review decision as it would be made: upheld (the decision stands), changed (the
    handling worked out anew with the facts the review determines, the ban still counted from
    the first decision's date) or annulled."""
    if outcome not in REVIEW_OUTCOMES:
        raise CaseInputError(f"outcome: '{outcome}'; use {', '.join(REVIEW_OUTCOMES)}")
    given = _facts_given(case, severity, adverse_effect)
    if outcome != "changed" and given:
        raise CaseInputError(f"outcome {outcome}: give no facts (they go with changed)")
    if outcome == "changed" and not given:
        raise CaseInputError("outcome changed: give the fact the review determines (--severity)")
    decided = json.loads(case.decided_json or "{}")
    day = review_date or cases.today()
    review: dict[str, Any] = {"outcome": outcome, "review_date": day.isoformat(), "facts": given}
    if outcome == "changed":
        parts = cases.parts_of(db, case)
        _check_facts_used(case, parts, given)
        decision_date = dt.date.fromisoformat(decided["decision_date"])
        result = handling(
            cases.rulebook_of(case),
            case.party,
            parts,
            {**json.loads(case.facts_json), **given},
            decision_date,
        )
        review.update(handling=result, ban=ban_of(result, decision_date))
    return review


def review(
    db: Session,
    device: DeviceKey,
    ref: str,
    seen: int,
    account: Account,
    *,
    outcome: str,
    document_sha256: str,
    severity: str | None = None,
    adverse_effect: bool | None = None,
) -> CaseRow:
    """复核决定 (Art. 19) by an admin who took no part in the decision; the first decision
    stays beside it."""
    case = _start(db, ref, seen, account, Step.REVIEW)
    _check_reviewer(db, case, account)
    result = review_handling(db, case, outcome, severity=severity, adverse_effect=adverse_effect)
    return cases.advance(
        db,
        device,
        case,
        seen,
        account.name,
        Step.REVIEW,
        {"outcome": outcome, "facts": result["facts"]},
        status=Status.REVIEWED,
        changes={"review_json": cases.dumps(result)},
        document_sha256=_sha(document_sha256),
    )


def close(
    db: Session, device: DeviceKey, ref: str, seen: int, account: Account, *, note: str = ""
) -> CaseRow:
    """The end. An open case only when it holds no record in force; a determined one only
    when no violation is established; never while an obligation of the decision is unmet."""
    case = _start(db, ref, seen, account, Step.CLOSE)
    if case.status == Status.OPEN and cases.parts_of(db, case):
        raise _refuse(case, "it is open with records in force: determine it first")
    if case.status == Status.DETERMINED and json.loads(case.outcome_json).get("violation"):
        raise _refuse(case, "a violation is determined: notice (Art. 17 ¶1) comes next")
    duties_now = duties.obligations(case, cases.steps_of(db, case.id))
    unmet = [o["what"] for o in duties_now if not o["done"]]
    if unmet:
        raise _refuse(case, f"still to do: {'; '.join(unmet)}")
    return cases.advance(
        db,
        device,
        case,
        seen,
        account.name,
        Step.CLOSE,
        {"note": note.strip()[:MAX_TEXT]},
        status=Status.CLOSED,
    )


def refer(
    db: Session,
    device: DeviceKey,
    ref: str,
    seen: int,
    account: Account,
    *,
    to: str,
    date: dt.date,
    basis: str | None = None,
    document_sha256: str | None = None,
    document_name: str | None = None,
) -> CaseRow:
    """移送 (Art. 7, serious), 移交 (Art. 15) or the referral to the department that issued an
    assessor's certificate (Art. 10): recorded; the status stays. Without ``basis`` it is the
    one referral the decision still asks for, if there is exactly one."""
    case = _start(db, ref, seen, account, Step.REFER)
    authority = _text(to, "to", MAX_NAME)
    if basis is None:
        open_ = [
            o["basis"]
            for o in duties.obligations(case, cases.steps_of(db, case.id))
            if o["kind"] == "referral" and not o["done"]
        ]
        basis = open_[0] if len(open_) == 1 else "other"
    if basis not in REFERRAL_BASES:
        raise CaseInputError(f"basis: '{basis}'; use {', '.join(REFERRAL_BASES)}")
    _day_in_range(date, "date", None, "")
    return cases.advance(
        db,
        device,
        case,
        seen,
        account.name,
        Step.REFER,
        {"to": authority, "date": date.isoformat(), "basis": basis, "document": document_name},
        document_sha256=None if document_sha256 is None else _sha(document_sha256),
    )


def other_authority(
    db: Session,
    device: DeviceKey,
    ref: str,
    seen: int,
    account: Account,
    *,
    authority: str,
    conclusion: str,
) -> CaseRow:
    """Art. 18: another authority's conclusion (or, for an institution's case, what the
    regulator says), recorded as the basis of what follows; the status stays."""
    case = _start(db, ref, seen, account, Step.OTHER_AUTHORITY)
    name = _text(authority, "authority", MAX_NAME)
    body = _text(conclusion, "conclusion")
    return cases.advance(
        db,
        device,
        case,
        seen,
        account.name,
        Step.OTHER_AUTHORITY,
        {"authority": name, "conclusion": body},
        document_sha256=cases.sha256_of(body.encode("utf-8")),
    )


def report(
    db: Session,
    device: DeviceKey,
    ref: str,
    seen: int,
    account: Account,
    *,
    to: str,
    date: dt.date,
    document_sha256: str | None = None,
) -> CaseRow:
    """报备 (Art. 16 ¶2): the institution reports its handling of a staff case to the
    regulator; the status stays."""
    case = _start(db, ref, seen, account, Step.REPORT)
    regulator = _text(to, "to", MAX_NAME)
    decided = json.loads(case.decided_json or "{}")
    _day_in_range(date, "date", dt.date.fromisoformat(decided["decision_date"]), "the decision")
    return cases.advance(
        db,
        device,
        case,
        seen,
        account.name,
        Step.REPORT,
        {"to": regulator, "date": date.isoformat()},
        document_sha256=None if document_sha256 is None else _sha(document_sha256),
    )


def open_without_record(
    db: Session, device: DeviceKey, account: Account, document: object
) -> CaseRow:
    """An Art. 8 case from its confirmed finding (``opening.parse_art8``), by an admin."""
    require_role(account, ADMIN)
    return opening.open_without_record(db, device, account.name, document)
