"""Whether an incident time looks wrong: later than now, outside every subject's exam time, or
inside another subject's than the one chosen. Said beside the time as it is entered; the records
core refuses to sign a time later than now, and a time outside every subject's until the
recorder confirms it (``app.core.records.incident_time``, whose rules this reads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from app.core.records.incident_time import during_subjects, is_future


def time_problem(
    when: dt.datetime,
    now: dt.datetime,
    subjects: Sequence[dict[str, Any]],
    chosen: str | None,
) -> tuple[str, str] | None:
    """``("future", "")``, ``("outside", "")``, ``("other_subject", name)``, or None if fine."""
    if is_future(when, now):
        return ("future", "")
    if not subjects:
        return None
    during = during_subjects(when, subjects)
    if not during:
        return ("outside", "")
    if chosen is not None and chosen not in during:
        return ("other_subject", during[0])
    return None
