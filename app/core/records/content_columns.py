"""Which of an incident's columns disagree with its signed content: the institution's verify
and the import's record checks ask the same question. No database import, so the helper
process that checks imported records can use it."""

from __future__ import annotations

from typing import Any

from app.core.records.utc_text import to_utc_text


def column_mismatches(incident: Any, content: dict[str, Any]) -> list[str]:
    """The incident's columns that disagree with its signed content (none when intact).
    ``incident``: a row, or anything with its columns as attributes (``occurred_at`` an
    aware datetime, or already the stored text)."""
    person = content.get("person")
    rulebook = content.get("rulebook")
    expected: dict[str, Any] = {
        "id": content.get("id"),
        "number": content.get("number"),
        "version": content.get("version"),
        "supersedes_id": content.get("supersedes"),
        "session_id": (content.get("session") or {}).get("id"),
        "party": content.get("party"),
        "clause": content.get("clause"),
        "subject": content.get("subject"),
        "room": content.get("room"),
        "seat": content.get("seat"),
        "person_name": None if person is None else person.get("name"),
        "local_date": content.get("local_date"),
        "rulebook_id": None if rulebook is None else rulebook.get("id"),
        "rulebook_version": None if rulebook is None else rulebook.get("version"),
        "regulator_flag": content.get("regulator_flag"),
    }
    wrong = [name for name, value in expected.items() if getattr(incident, name) != value]
    occurred = incident.occurred_at
    if (occurred if isinstance(occurred, str) else to_utc_text(occurred)) != content.get(
        "occurred_at"
    ):
        wrong.append("occurred_at")
    return wrong
