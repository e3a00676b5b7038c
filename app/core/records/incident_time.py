"""When an incident may be said to have happened, as the records core holds it.

Two mistakes a contested record must not carry: a time later than the signatures (an incident
at 09:40 on 20 December signed on 6 December), and a time outside every subject's exam time
that nobody looked at. The first is refused when staff sign or the site head confirms; the
second needs the recorder's explicit confirmation, sealed in the content
(``time_outside_subjects_confirmed``) and printed on the report. The app does not decide that
such a time is wrong (a record may be written after the exam, about something seen before it):
it asks the person recording to say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from app.core.records.tables import from_utc_text

# Clocks of laptops and watches differ a little: an incident time up to five minutes past this
# computer's clock is taken as skew, not as a time still to come.
FUTURE_GRACE = dt.timedelta(minutes=5)
# The content key of the recorder's confirmation (present, and true, only where it applies).
OUTSIDE_CONFIRMED = "time_outside_subjects_confirmed"


def is_future(when: dt.datetime, now: dt.datetime) -> bool:
    """Later than ``now`` by more than the clock-skew grace."""
    return when > now + FUTURE_GRACE


def during_subjects(when: dt.datetime, subjects: Sequence[Mapping[str, Any]]) -> list[str]:
    """The names of the subjects whose exam time (ends included) holds ``when``."""
    return [
        str(s["name"])
        for s in subjects
        if from_utc_text(s["starts_at"]) <= when <= from_utc_text(s["ends_at"])
    ]


def outside_subject_times(content: Mapping[str, Any]) -> bool:
    """Whether the record's time lies outside every subject of its sealed sitting (False for
    a record whose sitting has no subjects sealed: older records carry only id and zone)."""
    subjects = (content.get("session") or {}).get("subjects") or []
    if not subjects:
        return False
    return not during_subjects(from_utc_text(content["occurred_at"]), subjects)
