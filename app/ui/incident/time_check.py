"""Whether an incident time looks wrong: later than now, outside every subject's exam time, or
inside another subject's than the one chosen. Only a warning: the core has no rule against such
times (a record may be written after the exam), so saving and signing go on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from app.core.records.tables import from_utc_text

# Clocks of laptops and watches differ a little; later than this past now is a mistake.
FUTURE_GRACE = dt.timedelta(minutes=5)


def time_problem(
    when: dt.datetime,
    now: dt.datetime,
    subjects: Sequence[dict[str, Any]],
    chosen: str | None,
) -> tuple[str, str] | None:
    """``("future", "")``, ``("outside", "")``, ``("other_subject", name)``, or None if fine."""
    if when > now + FUTURE_GRACE:
        return ("future", "")
    if not subjects:
        return None
    during = [
        str(s["name"])
        for s in subjects
        if from_utc_text(s["starts_at"]) <= when <= from_utc_text(s["ends_at"])
    ]
    if not during:
        return ("outside", "")
    if chosen is not None and chosen not in during:
        return ("other_subject", during[0])
    return None
