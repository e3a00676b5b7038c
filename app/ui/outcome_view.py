"""HTML for the classifier's outcome panel, from ``Outcome.to_dict()``.

The panel states what the guideline provides for, pending the institution's determination
(Art. 16–17); its heading in the form says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.rulebook.model import Rulebook
from app.ui import preferences
from app.ui.labels import (
    article_label,
    fact_label,
    field_label,
    in_chinese,
    item_label,
    join_clauses,
    join_list,
    measure_text,
    with_note,
)

# A plain name with a literal context in every call, so pyside6-lupdate extracts the strings.
translate = QCoreApplication.translate


def _row(label: str, value: str) -> str:
    return (
        f'<tr><td style="padding-right:8px; white-space:nowrap;"><b>{escape(label)}</b></td>'
        f"<td>{escape(value)}</td></tr>"
    )


def _yes_no(value: bool) -> str:
    return translate("OutcomeView", "是") if value else translate("OutcomeView", "否")


def _scores(value: str) -> str:
    return {
        "none": translate("OutcomeView", "不取消"),
        "subject": translate("OutcomeView", "取消当次该科目评价成绩"),
        "all": translate("OutcomeView", "取消当次全部科目评价成绩"),
    }.get(value, value)


def applied_label(rulebook: Rulebook, clause_id: str) -> str:
    """ "第七条第（四）项（7.4）" for a clause id of ``rulebook``."""
    clause = rulebook.clauses.get(clause_id)
    if clause is None:
        return clause_id
    where = article_label(clause.article)
    if clause.item is not None:
        where += item_label(clause.item)
    return with_note(where, clause_id)


def outcome_html(
    rulebook: Rulebook, data: Mapping[str, Any], *, english: bool | None = None
) -> str:
    """The outcome as a small table: what applies, the measures, bans, referral, pending.

    The explanation is the engine's Chinese; its English rendering follows in the English
    interface, and in the Chinese one only where the settings ask for it (``english`` decides
    instead when given).
    """
    rows: list[str] = []
    violation = bool(data["violation"])
    pending = [str(p) for p in data.get("pending", [])]
    # The app says what the clause provides for; only the institution determines (Art. 16).
    if violation:
        verdict = _possible_violation(str(data.get("party", "candidate")))
    elif pending:
        verdict = translate("OutcomeView", "尚不能认定：待查明事实")
    else:
        verdict = translate("OutcomeView", "按所填事实不构成违纪违规")
    colour = "#a40000" if violation else ("#8a4b00" if pending else "#1d6b1d")
    head = f'<p style="font-size:large; color:{colour};"><b>{escape(verdict)}</b></p>'

    rows.append(
        _row(translate("OutcomeView", "适用条款"), applied_label(rulebook, str(data["clause"])))
    )
    path = [str(c) for c in data.get("escalation_path", [])]
    if data["clause"] != data["input_clause"]:
        chain = " → ".join(path) if len(path) > 1 else f"{data['input_clause']} → {data['clause']}"
        text = translate("OutcomeView", "由 %1 升格适用（%2）").replace(
            "%1", str(data["input_clause"])
        )
        rows.append(_row(translate("OutcomeView", "升格"), text.replace("%2", chain)))
    measures = data.get("measures", [])
    if measures:
        rows.append(
            _row(
                translate("OutcomeView", "处理措施"),
                join_clauses(measure_text(m) for m in measures),
            )
        )
    if "scores_cancelled" in data:
        rows.append(
            _row(translate("OutcomeView", "成绩处理"), _scores(str(data["scores_cancelled"])))
        )
        ban_until = data.get("ban_until")
        if ban_until:
            rows.append(_row(translate("OutcomeView", "不得参加评价至（含）"), str(ban_until)))
        elif isinstance(data.get("ban_years"), int):
            rows.append(_row(translate("OutcomeView", "不得参加评价"), ban_years_text(data)))
        rows.append(
            _row(translate("OutcomeView", "移送有关部门"), _yes_no(bool(data.get("referral"))))
        )
        if data.get("invalidate_certificate"):
            rows.append(
                _row(
                    translate("OutcomeView", "证书"),
                    translate(
                        "OutcomeView",
                        "宣布评价成绩无效，并对已发放证书、已上网证书数据及时作出相应处理",
                    ),
                )
            )
    if pending:
        rows.append(
            _row(translate("OutcomeView", "待查明事实"), join_list(fact_label(p) for p in pending))
        )
    if english is None:
        english = preferences.english_explanation or not in_chinese()
    explanation = f'<p style="white-space: pre-wrap;">{escape(str(data["explanation"]))}</p>'
    if english and data.get("explanation_en"):
        explanation += f"<p><i>{escape(str(data['explanation_en']))}</i></p>"
    footer = f'<p style="color:#555555;">{escape(str(data["rulebook"]))}</p>'
    return f"{head}<table>{''.join(rows)}</table>{explanation}{footer}"


def _possible_violation(party: str) -> str:
    # Who determines depends on whom the record is about (Art. 16).
    if party == "staff":
        return translate("OutcomeView", "可能构成违纪违规（待评价机构、评价机构监管部门处理）")
    if party == "institution":
        return translate("OutcomeView", "可能构成违纪违规（待评价机构监管部门认定）")
    return translate("OutcomeView", "可能构成违纪违规（待评价机构认定）")


def handling_heading_text(party: str | None) -> str:
    """The heading over the outcome, naming who determines for this party (Art. 16)."""
    if party == "staff":
        return translate(
            "OutcomeView", "依据条款可能适用的处理（待评价机构、评价机构监管部门处理）"
        )
    if party == "institution":
        return translate("OutcomeView", "依据条款可能适用的处理（待评价机构监管部门认定）")
    return translate("OutcomeView", "依据条款可能适用的处理（待评价机构认定）")


def ban_years_text(data: Mapping[str, Any]) -> str:
    """An Art. 7 ban before the decision: "2 years from the decision", "at least 2 years" while
    the severity is pending."""
    years = str(data.get("ban_years"))
    if "severity" in data.get("pending", []):
        text = translate("OutcomeView", "不少于 %1 年（情节轻重待认定；期间起算以处理决定为准）")
    else:
        text = translate("OutcomeView", "%1 年（期间起算以处理决定为准）")
    return text.replace("%1", years)


def error_html(message: str, field: str | None = None) -> str:
    """A user error in place of the outcome: the message, never a traceback.

    ``field`` names the input at fault (``FactsError.field``) so the reader knows what to fix.
    """
    title = translate("OutcomeView", "无法判断")
    check = translate("OutcomeView", "请检查：")
    where = f'<p style="color:#a40000;">{escape(check + field_label(field))}</p>' if field else ""
    return (
        f'<p style="color:#a40000;"><b>{escape(title)}</b></p>{where}'
        f'<p style="color:#a40000; white-space: pre-wrap;">{escape(message)}</p>'
    )
