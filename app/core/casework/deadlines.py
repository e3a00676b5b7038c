"""Deadlines for a person's response to a notice and for an objection to a decision.

The guideline sets none (Art. 17 and 19 say that the person is told and may object, not by
when): these are the institution's practice, settings with defaults, shown as such and never
as the law. A response or objection that comes after its deadline is flagged, never refused.
Kept in the database, so every computer of a shared database counts the same days.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlmodel import Session

from app.core.casework.errors import CaseInputError
from app.core.casework.tables import CaseSettingRow
from app.core.records import audit
from app.core.seal.device_keys import DeviceKey

PRACTICE_LABEL = "institution practice (the guideline sets no deadline)"
MAX_DAYS = 365


class Deadlines(NamedTuple):
    """Calendar days, counted from the day after the notice's or the decision's delivery (or,
    while it is not recorded as delivered, from the day after the document's date)."""

    response_days: int = 5
    objection_days: int = 15


def deadlines(db: Session) -> Deadlines:
    """The institution's deadlines: the saved ones, else the defaults."""
    values = Deadlines()._asdict()
    for name in values:
        row = db.get(CaseSettingRow, name)
        if row is not None and row.value.isdigit():
            values[name] = int(row.value)
    return Deadlines(**values)


def set_deadline(db: Session, device: DeviceKey, account: str, name: str, days: int) -> None:
    """Save one deadline (audited under ``account``)."""
    if name not in Deadlines._fields:
        raise CaseInputError(f"deadline: '{name}'; use one of {', '.join(Deadlines._fields)}")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise CaseInputError(f"{name}: {days!r}; give 1 to {MAX_DAYS} days")
    row = db.get(CaseSettingRow, name)
    if row is None:
        db.add(CaseSettingRow(name=name, value=str(days)))
    else:
        row.value = str(days)
        db.add(row)
    audit.append(
        db,
        action="casework_deadline_set",
        device=device,
        details={"name": name, "days": days, "account": account},
    )


def due_by(start: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` counted from the day after ``start``."""
    return start + dt.timedelta(days=days)
