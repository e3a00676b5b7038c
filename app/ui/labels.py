"""Display labels for rulebook values (parties, roles, facts, numbering), translatable.

The strings are looked up at call time so a translator installed after import still applies.
Chinese is the source language of every UI string.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.rulebook import explain
from app.core.rulebook.model import Fact, Party, StaffRole

# A plain name with a literal context in every call, so pyside6-lupdate extracts the strings.
translate = QCoreApplication.translate

def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 23 → 二十三; digits outside 1–99 (a label never fails)."""
    return explain.chinese_number(n) if 0 < n < 100 else str(n)


def article_label(number: int) -> str:
    # %1 is the Chinese numeral, %2 the Arabic one, so a translation may use either.
    return (
        translate("Labels", "第%1条")
        .replace("%1", chinese_number(number))
        .replace("%2", str(number))
    )


def item_label(item: int | None) -> str:
    if item is None:
        return ""
    return (
        translate("Labels", "第（%1）项")
        .replace("%1", chinese_number(item))
        .replace("%2", str(item))
    )


def party_label(party: Party | None) -> str:
    labels = {
        Party.CANDIDATE: translate("Labels", "参评人员"),
        Party.STAFF: translate("Labels", "工作人员"),
        Party.INSTITUTION: translate("Labels", "评价机构"),
    }
    return translate("Labels", "处理程序") if party is None else labels[party]


def role_label(role: StaffRole) -> str:
    labels = {
        StaffRole.EXAM_ADMIN: translate("Labels", "考务管理人员"),
        StaffRole.ASSESSOR: translate("Labels", "考评人员"),
        StaffRole.SUPERVISOR: translate("Labels", "质量督导员"),
        StaffRole.SITE_HEAD: translate("Labels", "考场负责人"),
    }
    return labels[role]


def fact_label(name: str) -> str:
    """Label of a fact the engine may ask for (a ``Fact`` value or ``certificate_issued``)."""
    labels = {
        Fact.WARNED.value: translate("Labels", "是否经提醒"),
        Fact.REFUSED.value: translate("Labels", "经提醒是否拒不改正"),
        Fact.SEVERITY.value: translate("Labels", "情节轻微或严重"),
        Fact.ADVERSE_EFFECT.value: translate("Labels", "是否造成不良影响"),
        Fact.PRIOR_WARNING.value: translate("Labels", "是否已被警告且整改后再次违反"),
        "certificate_issued": translate("Labels", "是否已颁发证书"),
    }
    return labels.get(name, name)


def fact_state_label(name: str, value: str | bool) -> str:
    """A fact having a value, as a short phrase: ("severity", "serious") → 情节严重."""
    if name == Fact.SEVERITY.value:
        return {
            "serious": translate("Labels", "情节严重"),
            "minor": translate("Labels", "情节轻微"),
        }.get(str(value), str(value))
    affirmative = {
        Fact.WARNED.value: translate("Labels", "经提醒"),
        Fact.REFUSED.value: translate("Labels", "经提醒拒不改正"),
        Fact.ADVERSE_EFFECT.value: translate("Labels", "造成不良影响"),
        Fact.PRIOR_WARNING.value: translate("Labels", "已被警告且整改后再次违反"),
        "certificate_issued": translate("Labels", "已颁发证书"),
    }
    if value is True and name in affirmative:
        return affirmative[name]
    answer = (
        translate("Labels", "是")
        if value is True
        else translate("Labels", "否")
        if value is False
        else str(value)
    )
    return f"{fact_label(name)}：{answer}"


def field_label(name: str) -> str:
    """Label of an input field named in an engine error (``FactsError.field``)."""
    labels = {
        "clause": translate("Labels", "条款"),
        "party": translate("Labels", "当事方"),
        "date": translate("Labels", "事发日期"),
        "decision_date": translate("Labels", "处理决定日期"),
        "role": translate("Labels", "工作人员角色"),
        "discovered_after_exam": translate("Labels", "评价活动结束后发现"),
    }
    return labels.get(name) or fact_label(name)
