"""Defaults drawn from what was chosen: the subject in progress, and a first description.

The description is record content, not interface text: it is part of the Chinese record (the
paper form's wording) whatever language the interface is in, so it is not translated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from app.core.records.tables import from_utc_text
from app.core.rulebook.explain import citation_zh
from app.core.rulebook.model import ROLE_LABELS_ZH, Clause, Fact
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


# The condition 5.1–5.3 end with: whether the candidate refused is a fact of the record (asked
# for separately and written after the behaviour), not something the draft may assume.
_REMINDER_CONDITION = "经提醒拒不改正的"
_ROLES_ZH = {role.value: label for role, label in ROLE_LABELS_ZH.items()}


def behaviour_zh(clause: Clause) -> str:
    """The clause's Chinese text as what was seen: "在评价过程中使用……电子用品".

    The item's closing "的；" / "的行为。" and the reminder condition are dropped; a text that names
    a 行为 reads "有……的行为"; a provision that goes on to say who handles it ("……的，由……")
    keeps only the conduct.
    """
    text = clause.text_zh.strip().rstrip("；;。.， ")
    if text.endswith(_REMINDER_CONDITION):
        text = text[: -len(_REMINDER_CONDITION)].rstrip("，, ")
    elif "的，" in text:
        text = text[: text.index("的，")]
    if text.endswith("的行为"):
        return text if text.startswith("存在") else f"有{text}"
    return text.removesuffix("的")


def draft_description(
    when: dt.datetime, person: Person | None, clause: Clause, facts: Mapping[str, Any]
) -> str:
    """ "09:42，监考人员发现第1考场5号座位参评人员张三在评价过程中使用……（第六条第（一）项）。"

    Drawn from the chosen clause's Chinese text (never from the search words, which may be
    English or a fragment such as "手机"), the person, the place and the time, followed by what
    the reminder led to. The clause's own condition "经提醒拒不改正" is left out of the behaviour:
    whether the candidate refused is stated from the facts entered, so a candidate who corrected
    is not described as having refused.
    """
    who = person.name if person else ""
    if person is not None and person.kind == "candidate":
        who = f"{person.room or ''}{person.seat}号座位参评人员{person.name}"
    behaviour = behaviour_zh(clause)
    if person is not None and person.role in _ROLES_ZH:
        role = _ROLES_ZH[person.role]
        who = f"{role}{person.name}"  # 考评人员赵强
        behaviour = behaviour.removeprefix(role)  # 11: "质量督导员违反……"
    seen = f"{who}{behaviour}" if who else behaviour
    text = f"{when.strftime('%H:%M')}，监考人员发现{seen}（{citation_zh(clause)}）。"
    if facts.get(Fact.WARNED.value) is True:
        refused = facts.get(Fact.REFUSED.value)
        if refused is True:
            text += "经提醒，拒不改正。"
        elif refused is False:
            text += "经提醒，已改正。"
        else:
            text += "已当场提醒。"
    return text
