"""What a person reads for the casework words the core speaks (statuses, steps, documents,
what is overdue), in the interface's language. The core's words stay the command line's."""

from __future__ import annotations

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
