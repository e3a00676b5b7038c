"""The live panel: what the clause may lead to, pending the institution's determination.

A one-line summary (article, clause, consequence, the ban's last day) above the outcome view
shared with the rulebook browser. A reminded candidate who corrected gets no penalty: the
record is kept as a note of the reminder, and the panel says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QTextBrowser

from app.core.errors import UserError
from app.core.rulebook.model import Fact, Rulebook
from app.ui.labels import join_clauses, measure_text
from app.ui.outcome_view import applied_label, ban_years_text, error_html, outcome_html

translate = QCoreApplication.translate


def consequence(data: Mapping[str, Any]) -> str:
    scores = data.get("scores_cancelled")
    if scores == "subject":
        return translate("OutcomePanel", "取消当次该科目评价成绩")
    if scores == "all":
        return translate("OutcomePanel", "取消当次全部科目评价成绩")
    measures = data.get("measures") or []
    return join_clauses(measure_text(m) for m in measures)


def is_reminder_note(facts: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    """Reminded and corrected: no violation, the record stands as a note of the reminder."""
    return (
        not data["violation"]
        and facts.get(Fact.WARNED.value) is True
        and facts.get(Fact.REFUSED.value) is False
    )


def summary_html(rulebook: Rulebook, facts: Mapping[str, Any], data: Mapping[str, Any]) -> str:
    where = applied_label(rulebook, str(data["clause"]))
    if is_reminder_note(facts, data):
        text = translate(
            "OutcomePanel", "%1：经提醒已改正，按所填事实不构成违纪违规；本记录作为提醒记录保存。"
        ).replace("%1", where)
        return f'<p style="color:#1d6b1d;"><b>{escape(text)}</b></p>'
    parts = [where]
    if data["violation"]:
        parts.append(consequence(data) or translate("OutcomePanel", "按条款处理"))
        if data.get("ban_until"):
            parts.append(
                translate("OutcomePanel", "不得参加评价至 %1（含）").replace(
                    "%1", str(data["ban_until"])
                )
            )
        elif isinstance(data.get("ban_years"), int):
            parts.append(
                translate("OutcomePanel", "不得参加评价：%1").replace("%1", ban_years_text(data))
            )
    else:
        parts.append(translate("OutcomePanel", "尚不能认定，见下方待查明事实"))
    return f"<p><b>{escape(' · '.join(parts))}</b></p>"


class OutcomePanel:
    """Fills the summary label and the outcome view from the engine's result."""

    def __init__(self, summary: QLabel, view: QTextBrowser) -> None:
        self.summary = summary
        self.view = view
        self.data: dict[str, Any] | None = None

    def clear(self, hint: str) -> None:
        self.data = None
        self.summary.setText(escape(hint))
        self.view.setHtml("")

    def show(self, rulebook: Rulebook, facts: Mapping[str, Any]) -> None:
        from app.core.rulebook.engine import classify

        try:
            outcome = classify(rulebook, facts)
        except UserError as exc:
            self.data = None
            field = getattr(exc, "field", None)
            self.summary.setText("")
            self.view.setHtml(error_html(str(exc), field if isinstance(field, str) else None))
            return
        self.data = outcome.to_dict()
        self.summary.setText(summary_html(rulebook, facts, self.data))
        self.view.setHtml(outcome_html(rulebook, self.data))
