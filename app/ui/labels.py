"""Display labels for rulebook values (parties, roles, facts, numbering), translatable.

The strings are looked up at call time so a translator installed after import still applies.
Chinese is the source language of every UI string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.rulebook import explain
from app.core.rulebook.model import Article, Clause, Fact, Measure, Party, StaffRole

# A plain name with a literal context in every call, so pyside6-lupdate extracts the strings.
translate = QCoreApplication.translate
_PLACEHOLDER = re.compile(r"%(\d)")


# -- the interface language, and punctuation around translated pieces -------------------------


def in_chinese() -> bool:
    """True while the interface shows its source language (Simplified Chinese).

    Decided by the translation itself, so it follows whatever translator is installed: a
    translation renders this marker as its own language's name.
    """
    marker = "简体中文"
    return translate("Labels", "简体中文", "the name of the interface language") == marker


def fill(template: str, *values: str) -> str:
    """``template`` with %1, %2, … replaced in one pass (a value may itself contain "%2")."""
    return _PLACEHOLDER.sub(
        lambda m: values[int(m.group(1)) - 1] if 0 < int(m.group(1)) <= len(values) else m[0],
        template,
    )


def join_list(items: Iterable[str]) -> str:
    """Short items in a row: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    return translate("Labels", "、", "separator between short list items").join(items)


def join_clauses(items: Iterable[str]) -> str:
    """Longer phrases in a row: 甲；乙 in Chinese, "a; b" in English."""
    return translate("Labels", "；", "separator between phrases").join(items)


def labelled(label: str, value: str) -> str:
    """ "标签：值" in Chinese, "Label: value" in English."""
    return fill(translate("Labels", "%1：%2", "a label and its value"), label, value)


def with_note(text: str, note: str) -> str:
    """ "文字（注）" in Chinese, "text (note)" in English."""
    return fill(translate("Labels", "%1（%2）", "a text and a note in brackets"), text, note)


def clause_title(clause: Clause) -> str:
    """The clause's short title in the interface language (the rulebook has both)."""
    return clause.title_zh if in_chinese() or not clause.title_en else clause.title_en


def article_title(article: Article) -> str:
    return article.title_zh if in_chinese() or not article.title_en else article.title_en


def clause_text(clause: Clause) -> str:
    """The clause's text in the interface language (the Chinese is the regulation itself)."""
    return clause.text_zh if in_chinese() or not clause.text_en else clause.text_en


def measure_text(measure: Measure | Mapping[str, Any]) -> str:
    """A measure in the interface language, from a ``Measure`` or its dict in an outcome."""
    if isinstance(measure, Measure):
        zh, en = measure.zh, measure.en
    else:
        zh, en = str(measure.get("zh", "")), str(measure.get("en", "") or "")
    return zh if in_chinese() or not en else en


def evaluation_type_label(value: str) -> str:
    """An evaluation type as stored (the Chinese name) in the interface language."""
    labels = {
        "职业技能等级认定": translate("Labels", "职业技能等级认定"),
        "职业资格评价": translate("Labels", "职业资格评价"),
        "专项职业能力考核": translate("Labels", "专项职业能力考核"),
    }
    return labels.get(value, value)


def level_label(value: str) -> str:
    """A level as stored (五级/初级工 …) in the interface language."""
    labels = {
        "五级/初级工": translate("Labels", "五级/初级工"),
        "四级/中级工": translate("Labels", "四级/中级工"),
        "三级/高级工": translate("Labels", "三级/高级工"),
        "二级/技师": translate("Labels", "二级/技师"),
        "一级/高级技师": translate("Labels", "一级/高级技师"),
    }
    return labels.get(value, value)


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
    return labelled(fact_label(name), answer)


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
