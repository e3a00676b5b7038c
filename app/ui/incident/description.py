"""Defaults drawn from what was chosen: the subject in progress, and a first description.

The description is record content, not interface text: it is part of the Chinese record (the
paper form's wording) whatever language the interface is in, so it is not translated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from app.core.records.tables import from_utc_text
from app.core.rulebook.model import Fact
from app.ui.incident.people import Person


def current_subject(subjects: list[dict[str, Any]], now: dt.datetime) -> str | None:
    """The subject in progress; else the last one begun; else the first."""
    if not subjects:
        return None
    begun = [s for s in subjects if from_utc_text(s["starts_at"]) <= now]
    for s in subjects:
        if from_utc_text(s["starts_at"]) <= now <= from_utc_text(s["ends_at"]):
            return str(s["name"])
    return str((begun[-1] if begun else subjects[0])["name"])


def draft_description(
    when: dt.datetime, person: Person | None, said: str, facts: Mapping[str, Any]
) -> str:
    """ "09:42，监考人员发现第1考场5号座位参评人员张三：手机。" and what the reminder led to.

    ``said`` is the proctor's own words (the search text): a clause title such as
    "…经提醒拒不改正" would state more than was seen when the candidate in fact corrected.
    """
    who = person.name if person else ""
    if person is not None and person.kind == "candidate":
        who = f"{person.room or ''}{person.seat}号座位参评人员{person.name}"
    text = f"{when.strftime('%H:%M')}，监考人员发现{who}：{said}。"
    if facts.get(Fact.WARNED.value) is True:
        refused = facts.get(Fact.REFUSED.value)
        if refused is True:
            text += "经提醒，拒不改正。"
        elif refused is False:
            text += "经提醒，已改正。"
        else:
            text += "已当场提醒。"
    return text
