"""What a person reads for the casework words the core speaks (statuses, steps, documents,
what is overdue), in the interface's language. The core's words stay the command line's."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

_CTX = "CaseLabels"  # the translation context (tools/translations.py reads it)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def status_label(status: str) -> str:
    labels = {
        "open": _tr("待认定"),
        "determined": _tr("已认定"),
        "noticed": _tr("已告知"),
        "decided": _tr("已作出处理决定"),
        "delivered": _tr("处理决定已送达"),
        "under_review": _tr("陈述申辩，待复核"),
        "reviewed": _tr("已复核"),
        "closed": _tr("已结案"),
        "with_regulator": _tr("由监管部门认定处理"),
    }
    return labels.get(status, status)


def statuses() -> list[str]:
    """Every status, in the order of the procedure."""
    return [
        "open", "determined", "noticed", "decided", "delivered", "under_review", "reviewed",
        "closed", "with_regulator",
    ]  # fmt: skip


def step_label(kind: str) -> str:
    labels = {
        "opened": _tr("立案"),
        "records_changed": _tr("所含记录有变化"),
        "determine": _tr("认定（第十六条）"),
        "notice": _tr("告知（第十七条第一款）"),
        "respond": _tr("当事人对告知的陈述"),
        "decide": _tr("作出处理决定（第十七条第二款）"),
        "deliver": _tr("送达或公告"),
        "object": _tr("陈述和申辩（第十九条）"),
        "review": _tr("复核决定（第十九条）"),
        "close": _tr("结案"),
        "refer": _tr("移送、移交有关部门"),
        "other_authority": _tr("其他机关的处理结论（第十八条）"),
        "report": _tr("向监管部门报备（第十六条第二款）"),
    }
    return labels.get(kind.replace("-", "_"), kind)


def overdue_label(what: str | None) -> str:
    if what == "response":
        return _tr("陈述期限已过")
    if what == "objection":
        return _tr("申辩期限已过")
    return ""


def document_label(kind: str) -> str:
    labels = {
        "notice": _tr("告知书"),
        "decision": _tr("处理决定书"),
        "review": _tr("复核决定书"),
        "response": _tr("当事人陈述"),
        "objection": _tr("陈述和申辩"),
        "conclusion": _tr("其他机关的处理结论"),
        "referral": _tr("移送文书"),
        "report": _tr("报备材料"),
    }
    return labels.get(kind, kind)


def delivery_methods() -> list[tuple[str, str]]:
    """(the core's word, the label): how a document reaches the person (Art. 17 ¶2)."""
    return [
        ("in_person", _tr("直接送达")),
        ("post", _tr("邮寄送达")),
        ("electronic", _tr("电子送达")),
        ("announcement", _tr("公告")),
    ]


def id_type_label(id_type: str | None) -> str:
    labels = {
        "resident_id": _tr("居民身份证"),
        "hk_macao_permit": _tr("港澳居民来往内地通行证"),
        "taiwan_permit": _tr("台湾居民来往大陆通行证"),
        "passport": _tr("护照"),
        "foreign_permanent_resident": _tr("外国人永久居留身份证"),
    }
    return labels.get(id_type or "", id_type or "")


def _method_label(method: str) -> str:
    return dict(delivery_methods()).get(method, method)


def step_text(kind: str, details: dict[str, Any], numbers: dict[str, str]) -> str:
    """What a step recorded, as one line a person reads (``numbers``: record id → number)."""

    def records(ids: Any) -> str:
        return "、".join(numbers.get(str(i), str(i)[:8]) for i in ids or []) or "—"

    def cut(text: Any, limit: int = 60) -> str:
        value = str(text or "")
        return value[:limit] + ("…" if len(value) > limit else "")

    if kind == "opened":
        if details.get("from") == "import":
            return _tr("同步包导入时立案，含记录：%1").replace(
                "%1", records(details.get("incident_ids"))
            )
        return _tr("评价活动结束后发现（第八条），经确认立案")
    if kind == "records_changed":
        return (
            _tr("新增记录：%1；不再有效：%2")
            .replace("%1", records(details.get("added")))
            .replace("%2", records(details.get("removed")))
        )
    if kind == "determine":
        facts = details.get("facts") or {}
        parts = []
        if "severity" in facts:
            parts.append(_tr("情节严重") if facts["severity"] == "serious" else _tr("情节轻微"))
        if "adverse_effect" in facts:
            parts.append(_tr("造成不良影响") if facts["adverse_effect"] else _tr("未造成不良影响"))
        parts.append(
            _tr("认定违纪违规：%1").replace("%1", "、".join(details.get("clauses") or []))
            if details.get("violation")
            else _tr("未认定违纪违规")
        )
        return "；".join(parts)
    if kind in ("respond", "object"):
        line = (
            _tr("%1 收到：%2")
            .replace("%1", str(details.get("received_on", "")))
            .replace("%2", cut(details.get("text")))
        )
        return line + (_tr("（逾期）") if details.get("late") else "")
    if kind == "decide":
        ban = details.get("ban") or {}
        line = _tr("处理决定日期 %1").replace("%1", str(details.get("decision_date", "")))
        if ban:
            line += (
                _tr("；禁考期 %1 至 %2")
                .replace("%1", str(ban.get("first_day")))
                .replace("%2", str(ban.get("last_day")))
            )
        return line
    if kind == "deliver":
        return (
            _tr("%1：%2，%3")
            .replace("%1", document_label(str(details.get("document", ""))))
            .replace("%2", _method_label(str(details.get("method", ""))))
            .replace("%3", str(details.get("date", "")))
        )
    if kind in ("refer", "report"):
        return (
            _tr("%1，%2")
            .replace("%1", str(details.get("to", "")))
            .replace("%2", str(details.get("date", "")))
        )
    if kind == "other_authority":
        return (
            _tr("%1：%2")
            .replace("%1", str(details.get("authority", "")))
            .replace("%2", cut(details.get("conclusion")))
        )
    if kind == "close":
        return cut(details.get("note"))
    if kind == "notice":
        from app.core.rulebook.explain import without_pending

        # The notice came after the determination: no "pending" in what it intended.
        return cut(without_pending(str(details.get("intended") or "")), 80)
    if kind == "review":
        outcomes = {"upheld": _tr("维持"), "changed": _tr("变更"), "annulled": _tr("撤销")}
        return outcomes.get(str(details.get("outcome")), str(details.get("outcome", "")))
    return ""
