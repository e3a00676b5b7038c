"""What a case's dates and duties are, from its steps: when a response or an objection is due
(the institution's practice, ``deadlines``), what is overdue, and which obligations a decision
leaves to be met (the staff report to the regulator, Art. 16 ¶2; referrals, Art. 7 and 10)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from app.core.casework.cases import loads, local_day
from app.core.casework.deadlines import Deadlines, due_by
from app.core.casework.states import Status, Step
from app.core.casework.tables import CaseRow, CaseStepRow


def details(step: CaseStepRow) -> dict[str, Any]:
    value = json.loads(step.details_json)
    return value if isinstance(value, dict) else {}


def _steps(steps: Sequence[CaseStepRow], kind: Step) -> list[CaseStepRow]:
    return [s for s in steps if s.kind == kind.value]


def delivered_on(steps: Sequence[CaseStepRow], document: str) -> dt.date | None:
    """The first day the document was delivered (or announced), if recorded."""
    days = [
        dt.date.fromisoformat(details(s)["date"])
        for s in _steps(steps, Step.DELIVER)
        if details(s).get("document") == document
    ]
    return min(days) if days else None


def respond_by(steps: Sequence[CaseStepRow], deadlines: Deadlines) -> dt.date | None:
    notices = _steps(steps, Step.NOTICE)
    if not notices:
        return None
    start = delivered_on(steps, "notice") or local_day(notices[-1].at)
    return due_by(start, deadlines.response_days)


def object_by(case: CaseRow, steps: Sequence[CaseStepRow], deadlines: Deadlines) -> dt.date | None:
    decided = loads(case.decided_json)
    if decided is None:
        return None
    start = delivered_on(steps, "decision") or dt.date.fromisoformat(decided["decision_date"])
    return due_by(start, deadlines.objection_days)


def overdue(
    case: CaseRow, steps: Sequence[CaseStepRow], deadlines: Deadlines, today: dt.date
) -> str | None:
    """What waits past its deadline: ``response`` (noticed, no response, its period over: the
    decision is due) or ``objection`` (decision delivered, no objection, its period over: the
    case may be closed); None."""
    if case.status == Status.NOTICED and not _steps(steps, Step.RESPOND):
        due = respond_by(steps, deadlines)
        if due is not None and today > due:
            return "response"
    if case.status == Status.DELIVERED:
        due = object_by(case, steps, deadlines)
        if due is not None and today > due:
            return "objection"
    return None


def standing_handling(case: CaseRow) -> dict[str, Any] | None:
    """The handling that stands after the decision: the review's where it changed it, none
    where it annulled it, else the decision's."""
    decided = loads(case.decided_json)
    if decided is None:
        return None
    review = loads(case.review_json)
    if review is not None:
        if review["outcome"] == "annulled":
            return None
        if review["outcome"] == "changed":
            handling: dict[str, Any] = review["handling"]
            return handling
    standing: dict[str, Any] = decided["handling"]
    return standing


def obligations(case: CaseRow, steps: Sequence[CaseStepRow]) -> list[dict[str, Any]]:
    """What the decided handling obliges the institution to do, and whether it is done."""
    handling = standing_handling(case)
    if handling is None:
        return []
    referred = [details(s).get("basis") for s in _steps(steps, Step.REFER)]
    out: list[dict[str, Any]] = []
    if case.party == "staff":
        out.append(
            {
                "kind": "report",
                "basis": "Art. 16 ¶2",
                "what": "report the handling to the regulator (报备)",
                "done": bool(_steps(steps, Step.REPORT)),
            }
        )
    combined = handling.get("combined") or {}
    if combined.get("referral"):
        out.append(
            {
                "kind": "referral",
                "basis": "art7",
                "what": "refer to the competent departments (Art. 7, serious: 移送)",
                "done": "art7" in referred,
            }
        )
    if case.party == "staff" and any(
        r["outcome"].get("violation") and r["outcome"].get("article") == 10
        for r in handling.get("records", [])
    ):
        out.append(
            {
                "kind": "referral",
                "basis": "art10",
                "what": "refer to the department that issued the assessor's certificate, which "
                "revokes it (Art. 10)",
                "done": "art10" in referred,
            }
        )
    return out
