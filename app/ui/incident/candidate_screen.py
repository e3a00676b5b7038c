"""What the person concerned sees when they sign: the record in large print.

The acknowledgement dialog shows the record as it will be sealed (who, when, where, the clause,
the proctor's description, what was seized and the outcome the rulebook gives, pending the
institution's decision), with the sentence that a signature only acknowledges the record, so
nobody signs a blank pad for a record they have not seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.records.tables import from_utc_text
from app.core.rulebook.model import Rulebook

translate = QCoreApplication.translate


def acknowledgement_note() -> str:
    return translate("CandidateScreen", "签名仅表示已知悉记录内容。")


def record_rows(detail: Mapping[str, Any], rulebook: Rulebook | None) -> list[tuple[str, str]]:
    """(label, value) rows of the record as the person concerned reads it."""
    from zoneinfo import ZoneInfo

    from app.ui.incident.outcome_panel import consequence
    from app.ui.labels import clause_title, join_list, with_note
    from app.ui.outcome_view import applied_label

    content = detail["content"]
    rows: list[tuple[str, str]] = [
        (translate("CandidateScreen", "记录编号"), str(detail.get("number") or content["number"]))
    ]
    person = content.get("person") or {}
    name = str(person.get("name", ""))
    if person.get("ticket_number"):
        name = with_note(
            name,
            translate("CandidateScreen", "准考证号 %1").replace("%1", str(person["ticket_number"])),
        )
    rows.append((translate("CandidateScreen", "当事人"), name))
    zone = ZoneInfo(str(content["session"]["timezone"]))
    when = from_utc_text(str(content["occurred_at"])).astimezone(zone)
    rows.append((translate("CandidateScreen", "时间"), when.strftime("%Y-%m-%d %H:%M")))
    place = [str(content["subject"])] if content.get("subject") else []
    if content.get("room"):
        place.append(str(content["room"]))
    if content.get("seat"):
        place.append(translate("CandidateScreen", "%1号座位").replace("%1", str(content["seat"])))
    if place:
        rows.append((translate("CandidateScreen", "科目与地点"), join_list(place)))
    clause_id = content.get("clause")
    if clause_id:
        text = str(clause_id)
        if rulebook is not None and clause_id in rulebook.clauses:
            clause = rulebook.clauses[clause_id]
            text = f"{applied_label(rulebook, clause_id)} {clause_title(clause)}"
        rows.append((translate("CandidateScreen", "违纪违规行为"), text))
    if content.get("description"):
        rows.append((translate("CandidateScreen", "监考人员描述"), str(content["description"])))
    seized = [
        with_note(
            str(s["description"]),
            translate("CandidateScreen", "收据 %1").replace("%1", str(s["receipt_number"])),
        )
        for s in content.get("seized_items") or []
    ]
    if seized:
        rows.append((translate("CandidateScreen", "暂扣物品"), join_list(seized)))
    outcome = content.get("outcome")
    if isinstance(outcome, Mapping) and outcome.get("violation"):
        measures = consequence(outcome)
        if measures:
            rows.append(
                (translate("CandidateScreen", "可能适用的处理（待评价机构认定）"), measures)
            )
    return rows


def record_html(detail: Mapping[str, Any], rulebook: Rulebook | None) -> str:
    """The rows as a table (the dialog prints it large and says the note beside it)."""
    body = "".join(
        f'<tr><td style="padding:4px 16px 4px 0; white-space:nowrap;"><b>{escape(label)}</b>'
        f'</td><td style="padding:4px 0;">{escape(value)}</td></tr>'
        for label, value in record_rows(detail, rulebook)
    )
    return f"<table>{body}</table>"
