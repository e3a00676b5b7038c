"""The rule engine: which handling the rulebook provides for one incident.

Everything regulation-specific (effects, measures, ban years, escalations, the facts a clause
needs, the roles an article covers) is read from the rulebook, so a provincial extension's local
clause under an existing article is handled like the national ones without code changes.
The result is the applicable handling pending the institution's determination (Art. 16–17).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.rulebook.facts import FactsError, IncidentFacts, Severity, parse_facts
from app.core.rulebook.model import (
    Article,
    Clause,
    Effect,
    Fact,
    Measure,
    Party,
    Rulebook,
    RulebookError,
    StaffRole,
)
from app.core.rulebook.outcome import Combined, Outcome, ScoresCancelled, combine
from app.core.rulebook.periods import ban_end, year_end

__all__ = [
    "Combined",
    "FactsError",
    "IncidentFacts",
    "Outcome",
    "ScoresCancelled",
    "Severity",
    "classify",
    "combine",
    "parse_facts",
]

# Art. 8 (found after the exam) is procedural and has no clause of its own to classify; its
# measures (certificate declared invalid, data corrected) are read from the rulebook.
AFTER_EXAM_ARTICLE = 8
# Used only when the rulebook's Art. 8 lists no measures: our wording, not the regulation's,
# so the outcome still says what invalidation means.
_CERTIFICATE_INVALID = Measure(
    code="certificate_invalidated",
    zh="已颁发证书的，宣布评价成绩无效，并更正已发放证书及已上网证书数据（第八条）",
    en="The certificate issued is declared invalid and the certificate data are corrected (Art. 8)",
)

# Facts that decide whether there is a violation at all; each must be true (Art. 5(1)–(3):
# reminded and refused; Art. 11: adverse effect). Other facts only decide how it is handled.
CONDITION_FACTS = (Fact.WARNED, Fact.REFUSED, Fact.ADVERSE_EFFECT)

ROLE_LABEL_ZH: dict[StaffRole, str] = {
    StaffRole.EXAM_ADMIN: "考务管理人员",
    StaffRole.ASSESSOR: "考评人员",
    StaffRole.SUPERVISOR: "质量督导员",
    StaffRole.SITE_HEAD: "考场负责人",
}

FACT_LABEL_ZH: dict[str, str] = {
    "warned": "是否经工作人员提醒",
    "refused": "经提醒是否拒不改正",
    "severity": "情节轻微或严重",
    "adverse_effect": "是否造成不良影响",
    "prior_warning": "是否已被警告且整改后再次违反",
    "certificate_issued": "是否已颁发证书",
}


# Which party each effect is for; a rulebook that mixes them up is refused, not guessed at.
_EFFECT_PARTY: dict[Effect, Party] = {
    Effect.SUBJECT_CANCELLED: Party.CANDIDATE,
    Effect.ALL_CANCELLED_YEAR_BAN: Party.CANDIDATE,
    Effect.ALL_CANCELLED_MULTI_YEAR_BAN: Party.CANDIDATE,
    Effect.STAFF_MEASURES: Party.STAFF,
    Effect.STAFF_ADVERSE_EFFECT: Party.STAFF,
    Effect.INSTITUTION_MEASURES: Party.INSTITUTION,
}

# Facts that only make sense for one party; giving them for another is a mistake worth naming.
_PARTY_FIELDS: dict[str, Party] = {
    "role": Party.STAFF,
    "adverse_effect": Party.STAFF,
    "warned": Party.CANDIDATE,
    "refused": Party.CANDIDATE,
    "discovered_after_exam": Party.CANDIDATE,
    "certificate_issued": Party.CANDIDATE,
    "prior_warning": Party.INSTITUTION,
}


def _clause(rulebook: Rulebook, clause_id: str) -> Clause:
    clause = rulebook.clauses.get(clause_id)
    if clause is None:
        raise FactsError("clause", f"unknown clause '{clause_id}' in rulebook {rulebook.id}")
    return clause


def _party_of(rulebook: Rulebook, clause: Clause) -> tuple[Article, Party]:
    article = rulebook.article_of(clause)
    if article.effect is Effect.PROCEDURE or article.party is None:
        raise FactsError(
            "clause",
            f"clause {clause.id} is a procedural provision (Art. {article.number}), not a "
            "violation to classify",
        )
    expected = _EFFECT_PARTY[article.effect]
    if article.party is not expected:
        raise RulebookError(
            f"rulebook {rulebook.id}: article {article.number} has effect {article.effect.value} "
            f"for {expected.value}, but party {article.party.value}"
        )
    return article, article.party


def _check_role(clause: Clause, article: Article, role: StaffRole | None) -> None:
    allowed = ", ".join(f"{r.value} ({ROLE_LABEL_ZH[r]})" for r in article.roles)
    if role is None:
        raise FactsError("role", f"required for staff clause {clause.id}: {allowed or 'any role'}")
    if article.roles and role not in article.roles:
        allowed = " or ".join(f"{r.value} ({ROLE_LABEL_ZH[r]})" for r in article.roles)
        raise FactsError("role", f"clause {clause.id} applies to {allowed}, not {role.value}")


def _escalate(
    rulebook: Rulebook, start: Clause, facts: IncidentFacts
) -> tuple[list[Clause], list[str], list[str], list[str]]:
    """Follow the clause's escalations; returns the path, pending facts and the notes used."""
    path = [start]
    pending: list[str] = []
    notes_zh: list[str] = []
    notes_en: list[str] = []
    current = start
    while True:
        taken = None
        for escalation in current.escalations:
            value = facts.fact(escalation.fact)
            if value is None:
                pending.append(escalation.fact.value)
            elif value == escalation.equals:
                taken = escalation
                break
        if taken is None:
            return path, pending, notes_zh, notes_en
        target = rulebook.clauses.get(taken.to)
        if target is None or target in path:
            raise RulebookError(
                f"rulebook {rulebook.id}: clause {current.id} escalates to "
                f"{'unknown' if target is None else 'earlier'} clause {taken.to}"
            )
        if taken.note_zh:
            notes_zh.append(taken.note_zh)
        if taken.note_en:
            notes_en.append(taken.note_en)
        path.append(target)
        current = target


def _conditions(path: list[Clause], facts: IncidentFacts) -> tuple[bool | None, list[str]]:
    """Three-valued AND of the clause's condition facts: False wins, then unknown, then True."""
    needed = [f for f in CONDITION_FACTS if any(f in c.facts for c in path)]
    values = {f: facts.fact(f) for f in needed}
    if any(v is False for v in values.values()):
        return False, []
    unknown = [f.value for f, v in values.items() if v is None]
    return (None, unknown) if unknown else (True, [])


def _check_party_fields(facts: IncidentFacts, party: Party, clause: Clause) -> None:
    for name, owner in _PARTY_FIELDS.items():
        if owner is not party and getattr(facts, name) is not None:
            raise FactsError(
                name, f"applies to {owner.value} incidents, but clause {clause.id} is {party.value}"
            )


@dataclass
class _Handling:
    """The candidate-specific part of an outcome while it is being worked out."""

    scores: ScoresCancelled = ScoresCancelled.NONE
    ban_until: dt.date | None = None
    ban_years: int | None = None
    referral: bool = False
    invalidate: bool = False


def classify(rulebook: Rulebook, facts: Mapping[str, Any] | IncidentFacts) -> Outcome:
    """The handling ``rulebook`` provides for one incident; raises ``FactsError`` on bad facts."""
    f = facts if isinstance(facts, IncidentFacts) else parse_facts(facts)
    given = _clause(rulebook, f.clause)
    article, party = _party_of(rulebook, given)
    if f.party is not None and f.party is not party:
        raise FactsError(
            "party", f"clause {given.id} is a {party.value} clause, not {f.party.value}"
        )
    _check_party_fields(f, party, given)
    if party is Party.STAFF:
        _check_role(given, article, f.role)

    path, pending, notes_zh, notes_en = _escalate(rulebook, given, f)
    applied = path[-1]
    applied_article, applied_party = _party_of(rulebook, applied)
    if applied_party is not party:
        raise RulebookError(
            f"rulebook {rulebook.id}: clause {given.id} escalates to {applied.id} of another party"
        )
    condition, condition_pending = _conditions(path, f)
    violation = condition is not False and not condition_pending
    possible = condition is not False
    # Facts that decide how heavy, not whether: pending only while a violation is possible.
    for clause in path:
        for fact in clause.facts:
            if fact not in CONDITION_FACTS and f.fact(fact) is None:
                pending.append(fact.value)
    pending = condition_pending + pending if possible else []

    handling = _Handling()
    measures = _measures(applied_article, applied, f.severity) if violation else []
    if party is Party.CANDIDATE:
        handling = _candidate(rulebook, applied_article, f, violation, possible, pending, measures)

    zh, en = _explain(
        rulebook,
        path,
        applied_article,
        f,
        violation,
        pending,
        measures,
        handling,
        (notes_zh, notes_en),
    )
    return Outcome(
        violation=violation,
        article=applied_article.number,
        clause=applied.id,
        input_clause=given.id,
        party=party,
        measures=tuple(measures),
        pending=tuple(dict.fromkeys(pending)),
        explanation=zh,
        explanation_en=en,
        rulebook=rulebook.label,
        date=f.date,
        escalation_path=tuple(c.id for c in path),
        role=f.role,
        scores_cancelled=handling.scores,
        ban_until=handling.ban_until,
        referral=handling.referral,
        invalidate_certificate=handling.invalidate,
        subject=f.subject,
        decision_date=(f.decision_date or f.date) if party is Party.CANDIDATE else f.decision_date,
    )


def _measures(article: Article, clause: Clause, severity: Severity | None) -> list[Measure]:
    """The article's measures that fit the clause and the known severity.

    A measure limited to a severity is left out while the severity is unknown, so the list
    holds only what is certain ("at least").
    """
    return [
        m
        for m in article.measures
        if (not m.clauses or clause.id in m.clauses)
        and (not m.severity or (severity is not None and m.severity == severity.value))
    ]


def _candidate(
    rulebook: Rulebook,
    article: Article,
    f: IncidentFacts,
    violation: bool,
    possible: bool,
    pending: list[str],
    measures: list[Measure],
) -> _Handling:
    """Scores, ban and certificate for a candidate incident (Art. 5–8)."""
    h = _Handling()
    if f.discovered_after_exam and possible:
        if f.certificate_issued is None:
            pending.append("certificate_issued")
        elif f.certificate_issued and violation:
            h.invalidate = True
            after = rulebook.articles.get(AFTER_EXAM_ARTICLE)
            measures.extend(after.measures if after and after.measures else [_CERTIFICATE_INVALID])
    if not violation:
        return h
    if article.effect is Effect.SUBJECT_CANCELLED:
        h.scores = ScoresCancelled.SUBJECT
    elif article.effect is Effect.ALL_CANCELLED_YEAR_BAN:
        h.scores = ScoresCancelled.ALL
        h.ban_until = year_end(f.date)
    elif article.effect is Effect.ALL_CANCELLED_MULTI_YEAR_BAN:
        h.scores = ScoresCancelled.ALL
        if f.severity is None:
            pending.append(Fact.SEVERITY.value)
        else:
            years = article.ban_years.get(f.severity.value)
            if years is None:
                raise RulebookError(
                    f"rulebook {rulebook.id}: article {article.number} has no ban years for "
                    f"severity {f.severity.value}"
                )
            h.ban_years = years
            h.ban_until = ban_end(f.decision_date or f.date, years)
            h.referral = f.severity.value in article.referral_severities
    return h


_DIGITS_ZH = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 as written in article and item numbers: 5 → 五, 12 → 十二, 20 → 二十."""
    if not 0 < n < 100:
        raise ValueError(f"no Chinese numeral for {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS_ZH[tens] + "十")
    return head + ("" if ones == 0 else _DIGITS_ZH[ones])


def citation_zh(clause: Clause) -> str:
    """第六条第（一）项, or 第十一条 for an article without items."""
    cited = f"第{chinese_number(clause.article)}条"
    if clause.item is not None:
        cited += f"第（{chinese_number(clause.item)}）项"
    elif (paragraph := _paragraph(clause)) is not None:
        cited += f"第{chinese_number(paragraph)}款"
    return cited


def citation_en(clause: Clause) -> str:
    if clause.item is not None:
        return f"Art. {clause.article}({clause.item})"
    paragraph = _paragraph(clause)
    return f"Art. {clause.article}" + ("" if paragraph is None else f" para. {paragraph}")


def _paragraph(clause: Clause) -> int | None:
    """Paragraph number of an itemless clause split by paragraph ("15.2" → 2), else None."""
    match = re.fullmatch(rf"{clause.article}\.(\d+)", clause.id)
    return int(match.group(1)) if match else None


def _date_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _defining(rulebook: Rulebook, source: str) -> Rulebook:
    """The rulebook whose text a clause or article is: a national clause in a provincial
    rulebook is cited under the national guideline, a local clause under the provincial rules."""
    if not source or source == rulebook.id:
        return rulebook
    from app.core.rulebook.loader import load_rulebook

    try:
        return load_rulebook(source)
    except RulebookError:
        return rulebook  # base not reachable by id (e.g. loaded from elsewhere): cite the whole


def _title_zh(rulebook: Rulebook) -> str:
    title = rulebook.title_zh.strip()
    return title if title.startswith("《") else f"《{title}》"


def _title_en(rulebook: Rulebook) -> str:
    title = rulebook.title_en.strip()
    return title if title.lower().startswith("the ") else f"the {title}"


_NOT_MET_ZH = {
    Fact.WARNED: "未经工作人员提醒",
    Fact.REFUSED: "经提醒已改正",
    Fact.ADVERSE_EFFECT: "未造成不良影响",
}
_NOT_MET_EN = {
    Fact.WARNED: "the person was not reminded",
    Fact.REFUSED: "the person corrected it when reminded",
    Fact.ADVERSE_EFFECT: "there was no adverse effect",
}


def _measure_texts(
    measures: list[Measure], head_zh: str, h: _Handling
) -> tuple[list[str], list[str]]:
    """Measure fragments joined as the article joins them, the ban's end date on the ban."""
    zh = [_with_connector(m.zh, head_zh) if i else m.zh for i, m in enumerate(measures)]
    en = [m.en[:1].lower() + m.en[1:] for m in measures]
    if h.ban_until is not None:
        bans = [i for i, m in enumerate(measures) if "barred" in m.code or "ban" in m.code]
        at = bans[0] if bans else len(zh) - 1
        if at >= 0:
            zh[at] += f"（至{_date_zh(h.ban_until)}）"
            en[at] += f" (until {h.ban_until.isoformat()})"
        else:
            zh.append(f"至{_date_zh(h.ban_until)}前不得参加评价")
            en.append(f"barred until {h.ban_until.isoformat()}")
    return zh, en


def _with_connector(fragment: str, head_zh: str) -> str:
    """The fragment with the 且/并 the article puts before it, so the sentence reads as written."""
    for connector in ("且", "并"):
        if connector + fragment in head_zh:
            return connector + fragment
    return fragment


def _explain(
    rulebook: Rulebook,
    path: list[Clause],
    article: Article,
    f: IncidentFacts,
    violation: bool,
    pending: list[str],
    measures: list[Measure],
    h: _Handling,
    notes: tuple[list[str], list[str]],
) -> tuple[str, str]:
    """One Chinese sentence citing the applied clause, and its English counterpart."""
    given, applied = path[0], path[-1]
    cite_zh, cite_en = citation_zh(applied), citation_en(applied)
    if f.discovered_after_exam:
        cite_zh = f"第{chinese_number(AFTER_EXAM_ARTICLE)}条及{cite_zh}"
        cite_en = f"Art. {AFTER_EXAM_ARTICLE} and {cite_en}"
    lead_zh, lead_en = "", ""
    if len(path) > 1:
        via_zh = "；".join(notes[0]) or (
            f"{citation_zh(given)}所列行为按{citation_zh(applied)}处理"
        )
        via_en = "; ".join(notes[1]) or (
            f"{citation_en(given)} is handled as {citation_en(applied)}"
        )
        lead_zh = f"{citation_zh(given)}所列行为，{via_zh}；"
        lead_en = f"{citation_en(given)}: {via_en}; "
    source = _defining(rulebook, applied.source)
    basis_zh = f"{lead_zh}依据{_title_zh(source)}{cite_zh}"
    basis_en = f"{lead_en}Under {cite_en} of {_title_en(source)}"
    base = _defining(rulebook, article.source)
    if base.id != source.id:  # a local clause is handled under the base rulebook's article
        basis_zh += f"及{_title_zh(base)}第{chinese_number(article.number)}条"
        basis_en += f" and Art. {article.number} of {_title_en(base)}"
    labels = "、".join(FACT_LABEL_ZH.get(p, p) for p in dict.fromkeys(pending))
    waiting_zh = f"尚待确认：{labels}。" if pending else ""
    names = ", ".join(dict.fromkeys(pending))
    waiting_en = f" Still to be established: {names}." if pending else ""
    if violation:
        after = rulebook.articles.get(AFTER_EXAM_ARTICLE)
        heads = article.head_zh + ("\n" + after.head_zh if after and h.invalidate else "")
        zh, en = _measure_texts(measures, heads, h)
        body_zh = "，".join(zh) if zh else "构成违纪违规行为"
        body_en = "; ".join(en) if en else "a violation is established"
        return f"{basis_zh}，{body_zh}。{waiting_zh}", f"{basis_en}: {body_en}.{waiting_en}"
    if pending:
        return (
            f"{basis_zh}，相关事实确认前不构成违纪违规行为，暂不作处理。{waiting_zh}",
            f"{basis_en}: no violation is established until the facts are known.{waiting_en}",
        )
    unmet = [c for c in CONDITION_FACTS if f.fact(c) is False and any(c in p.facts for p in path)]
    reason_zh = "、".join(_NOT_MET_ZH[c] for c in unmet)
    reason_en = " and ".join(_NOT_MET_EN[c] for c in unmet)
    return (
        f"{reason_zh}，不构成{_title_zh(source)}{cite_zh}所列违纪违规行为，作为提醒记录保留。",
        f"Since {reason_en}, this is not a violation under {cite_en} of {_title_en(source)}; "
        "it is kept as a reminder note.",
    )
