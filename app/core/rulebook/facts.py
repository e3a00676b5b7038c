"""An incident's facts as the engine takes them: typed, validated, each error naming its field."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from app.core.errors import UserError
from app.core.rulebook.model import Fact, Party, StaffRole


class Severity(StrEnum):
    MINOR = "minor"
    SERIOUS = "serious"


class FactsError(UserError):
    """Incident facts that cannot be classified; the message names the field."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"field '{field}': {detail}")
        self.field = field


@dataclass(frozen=True)
class IncidentFacts:
    """One incident's facts, typed and validated; ``None`` means not (yet) known."""

    clause: str
    date: dt.date  # the incident's local date
    party: Party | None = None
    decision_date: dt.date | None = None
    role: StaffRole | None = None
    warned: bool | None = None
    refused: bool | None = None
    severity: Severity | None = None
    adverse_effect: bool | None = None
    discovered_after_exam: bool | None = None
    certificate_issued: bool | None = None
    prior_warning: bool | None = None
    subject: str | None = None

    def fact(self, fact: Fact) -> str | bool | None:
        value: str | bool | None = getattr(self, fact.value)
        return value


FIELDS = (
    "party",
    "clause",
    "date",
    "decision_date",
    "role",
    "warned",
    "refused",
    "severity",
    "adverse_effect",
    "discovered_after_exam",
    "certificate_issued",
    "prior_warning",
    "subject",
)
_BOOL_FIELDS = (
    "warned",
    "refused",
    "adverse_effect",
    "discovered_after_exam",
    "certificate_issued",
    "prior_warning",
)
_E = TypeVar("_E", bound=StrEnum)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _shown(value: object) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return type(value).__name__


def _date(name: str, value: object) -> dt.date:
    if isinstance(value, str) and _DATE_RE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise FactsError(name, f"expected YYYY-MM-DD, got {_shown(value)}")


def _choice(name: str, value: object, enum: type[_E]) -> _E:
    allowed = [e.value for e in enum]
    if isinstance(value, str) and value in allowed:
        return enum(value)
    raise FactsError(name, f"expected one of {', '.join(allowed)}, got {_shown(value)}")


def _bool(name: str, value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise FactsError(name, f"expected true or false, got {_shown(value)}")


def parse_facts(obj: object) -> IncidentFacts:
    """Typed, validated facts from a JSON-like object; raises ``FactsError`` naming the field."""
    if not isinstance(obj, Mapping):
        raise FactsError("facts", f"expected a JSON object, got {_shown(obj)}")
    unknown = [str(k) for k in obj if k not in FIELDS]
    if unknown:
        names = ", ".join(f"'{k}'" for k in unknown)
        raise FactsError(unknown[0], f"unknown field(s) {names}; known: {', '.join(FIELDS)}")
    clause = obj.get("clause")
    if not isinstance(clause, str) or not clause.strip():
        raise FactsError("clause", f'expected a clause id such as "6.1", got {_shown(clause)}')
    if "date" not in obj:
        raise FactsError("date", "required (the incident's local date, YYYY-MM-DD)")
    date = _date("date", obj["date"])
    decision_raw = obj.get("decision_date")
    decision = None if decision_raw is None else _date("decision_date", decision_raw)
    if decision is not None and decision < date:
        raise FactsError(
            "decision_date",
            f"{decision.isoformat()} is before the incident date {date.isoformat()}",
        )
    bools = {name: _bool(name, obj.get(name)) for name in _BOOL_FIELDS}
    if bools["refused"] is True and bools["warned"] is False:
        raise FactsError("refused", "cannot be true when warned is false (no reminder to refuse)")
    if bools["certificate_issued"] is not None and bools["discovered_after_exam"] is not True:
        raise FactsError(
            "certificate_issued", "only applies when discovered_after_exam is true (Art. 8)"
        )
    subject = obj.get("subject")
    if subject is not None and (not isinstance(subject, str) or not subject.strip()):
        raise FactsError("subject", f"expected a subject name, got {_shown(subject)}")
    party_raw, role_raw, severity_raw = obj.get("party"), obj.get("role"), obj.get("severity")
    return IncidentFacts(
        clause=clause.strip(),
        date=date,
        party=None if party_raw is None else _choice("party", party_raw, Party),
        decision_date=decision,
        role=None if role_raw is None else _choice("role", role_raw, StaffRole),
        severity=None if severity_raw is None else _choice("severity", severity_raw, Severity),
        subject=None if subject is None else subject.strip(),
        **bools,
    )
