"""The explanation of an outcome: one Chinese sentence citing the clause, and its English.

The measures are the article's own verbatim fragments, joined with the 且/并 the article uses,
so the sentence reads as the guideline does; only the frame (依据…, 尚待确认…) is ours.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from dataclasses import dataclass

from app.core.rulebook.model import (
    Article,
    Clause,
    Fact,
    Measure,
    Party,
    Rulebook,
    RulebookError,
)

FACT_LABEL_EN: dict[str, str] = {
    "warned": "whether staff reminded the person",
    "refused": "whether the person refused to correct it when reminded",
    "severity": "whether the circumstances are minor or serious",
    "adverse_effect": "whether it caused an adverse effect",
    "prior_warning": "whether it was repeated after a warning and rectification",
    "certificate_issued": "whether a certificate was issued",
}
FACT_LABEL_ZH: dict[str, str] = {
    "warned": "是否经工作人员提醒",
    "refused": "经提醒是否拒不改正",
    "severity": "情节轻微或严重",
    "adverse_effect": "是否造成不良影响",
    "prior_warning": "是否已被警告且整改后再次违反",
    "certificate_issued": "是否已颁发证书",
}


@dataclass(frozen=True)
class Basis:
    """What the explanation is built from, as the engine worked it out."""

    rulebook: Rulebook
    path: tuple[Clause, ...]  # input clause first, applied clause last
    article: Article  # the applied clause's article
    after_exam: Article | None  # Art. 8 when the incident was found after the exam
    violation: bool
    pending: tuple[str, ...]
    measures: tuple[Measure, ...]
    ban_until: dt.date | None
    ban_years: int | None  # Art. 7: known years, or the shortest while severity is pending
    decision_date: dt.date | None
    invalidate: bool
    unmet: tuple[Fact, ...]  # condition facts known to be false
    notes_zh: tuple[str, ...]
    notes_en: tuple[str, ...]
    # Who the incident is recorded against, where the clause reaches beyond its article's party
    # (15.2 against a staff member); None: the article's party.
    party: Party | None = None


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
    elif (paragraph := paragraph_of(clause)) is not None:
        cited += f"第{chinese_number(paragraph)}款"
    return cited


def citation_en(clause: Clause) -> str:
    if clause.item is not None:
        return f"Art. {clause.article}({clause.item})"
    paragraph = paragraph_of(clause)
    return f"Art. {clause.article}" + ("" if paragraph is None else f" para. {paragraph}")


def paragraph_of(clause: Clause) -> int | None:
    """Paragraph number of an itemless clause split by paragraph ("15.2" → 2), else None."""
    if clause.item is not None:
        return None
    match = re.fullmatch(rf"{clause.article}\.(\d+)", clause.id)
    return int(match.group(1)) if match else None


def _date_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def defining_rulebook(rulebook: Rulebook, source: str) -> Rulebook:
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


def is_ban(measure: Measure) -> bool:
    """Whether the measure bars the person from evaluations (its code says so)."""
    return is_ban_code(measure.code)


def is_ban_code(code: str) -> bool:
    """Whether a measure code (as stored in a record's outcome) is a ban."""
    return "barred" in code or "ban" in code


def _measure_texts(b: Basis, head_zh: str) -> tuple[list[str], list[str]]:
    """Measure fragments joined as the article joins them, and on the ban what is known of
    its period: the last day, from when it runs, or how long it is at least."""
    zh = [_with_connector(m.zh, head_zh) if i else m.zh for i, m in enumerate(b.measures)]
    en = [m.en[:1].lower() + m.en[1:] for m in b.measures]
    bans = [i for i, m in enumerate(b.measures) if is_ban(m)]
    if b.ban_until is not None:
        late = b.decision_date is not None and b.decision_date > b.ban_until
        ended_zh = "，处理决定作出时该期限已届满" if late else ""
        ended_en = ", already over when the decision is made" if late else ""
        until_zh = f"（至{_date_zh(b.ban_until)}{ended_zh}）"
        until_en = f" (until {b.ban_until.isoformat()}{ended_en})"
        if bans:
            zh[bans[0]] += until_zh
            en[bans[0]] += until_en
        else:
            zh.append(f"不得参加评价{until_zh}")
            en.append(f"barred{until_en}")
    elif b.ban_years is not None and bans:
        # Known severity, no decision yet: the guideline does not say from when the period
        # runs; the institution's decision sets it.
        zh[bans[0]] += "（期间起算以处理决定为准）"
        en[bans[0]] += " (the period runs as the decision sets it)"
    elif b.ban_years is not None:
        # Severity pending: both periods of the article are at least this long.
        zh.append(f"情节轻重待认定，不得参加评价的期限不少于{b.ban_years}年")
        en.append(f"severity still to be established: barred for no less than {b.ban_years} years")
    return zh, en


def _with_connector(fragment: str, head_zh: str) -> str:
    """The fragment with the 且/并 the article puts before it, so the sentence reads as written."""
    for connector in ("且", "并"):
        if connector + fragment in head_zh:
            return connector + fragment
    return fragment


# How an escalation's condition reads in an English sentence (the Chinese is the rulebook's own
# note, which reads well); a condition not listed here is stated from the fact and its value.
_ESCALATION_EN: dict[tuple[Fact, str | bool], str] = {
    (Fact.SEVERITY, "serious"): "where serious",
    (Fact.SEVERITY, "minor"): "where minor",
    (Fact.PRIOR_WARNING, True): "when repeated after a warning and rectification",
    (Fact.ADVERSE_EFFECT, True): "where it caused adverse effects",
}


def _escalation_en(path: tuple[Clause, ...]) -> str:
    """ "Art. 12(3), where serious, is handled under Art. 13(1); when repeated …, it is …"."""
    steps: list[str] = []
    for here, there in itertools.pairwise(path):
        taken = next((e for e in here.escalations if e.to == there.id), None)
        if taken is None:
            condition = "as provided"
        else:
            value = json.dumps(taken.equals) if isinstance(taken.equals, bool) else taken.equals
            condition = _ESCALATION_EN.get(
                (taken.fact, taken.equals), f"where {taken.fact.value} is {value}"
            )
        handled = f"handled under {citation_en(there)}"
        if steps:
            steps.append(f"{condition}, it is {handled}")
        else:
            steps.append(f"{citation_en(here)}, {condition}, is {handled}")
    return "; ".join(steps)


def _cited(cites: list[tuple[Rulebook, Clause | Article]]) -> tuple[str, str]:
    """The citations grouped by the rulebook whose text they are, in first-cited order:
    《细则》第五条第（五）项及《指引》第五条、第八条; Art. 5(5) of …, and Art. 5 and Art. 8 of …"""
    groups: dict[str, tuple[Rulebook, list[str], list[str]]] = {}
    for book, cited in cites:
        zh, en = (
            (citation_zh(cited), citation_en(cited))
            if isinstance(cited, Clause)
            else (f"第{chinese_number(cited.number)}条", f"Art. {cited.number}")
        )
        _, zhs, ens = groups.setdefault(book.id, (book, [], []))
        if zh not in zhs:
            zhs.append(zh)
            ens.append(en)
    parts_zh = [_title_zh(book) + "、".join(zhs) for book, zhs, _ in groups.values()]
    parts_en = [f"{_and_en(ens)} of {_title_en(book)}" for book, _, ens in groups.values()]
    return "及".join(parts_zh), ", and ".join(parts_en)


def _and_en(citations: list[str]) -> str:
    """ "Art. 6(2)", "Art. 6(2) and Art. 8", "Art. 5, Art. 6 and Art. 8"."""
    if len(citations) == 1:
        return citations[0]
    return ", ".join(citations[:-1]) + " and " + citations[-1]


def explain(b: Basis) -> tuple[str, str]:
    """One Chinese sentence citing the applied clause, and its English counterpart.

    Each citation is put under the rulebook whose text it is: a local clause under the
    provincial rules, its article and Art. 8 (found after the exam) under the national guideline.
    """
    given, applied, article = b.path[0], b.path[-1], b.article
    pending_zh, pending_en = _PENDING[b.party or article.party or Party.CANDIDATE]
    source = defining_rulebook(b.rulebook, applied.source)
    cites: list[tuple[Rulebook, Clause | Article]] = [(source, applied)]
    base = defining_rulebook(b.rulebook, article.source)
    if base.id != source.id:  # a local clause is handled under the base rulebook's article
        cites.append((base, article))
    if b.after_exam is not None:
        cites.append((defining_rulebook(b.rulebook, b.after_exam.source), b.after_exam))
    cited_zh, cited_en = _cited(cites)
    lead_zh, lead_en = "", ""
    if len(b.path) > 1:
        via_zh = "；".join(b.notes_zh) or f"按{citation_zh(applied)}处理"
        lead_zh = f"{citation_zh(given)}所列行为，{via_zh}；"
        lead_en = f"{_escalation_en(b.path)}; "
    basis_zh = f"{lead_zh}依据{cited_zh}"
    basis_en = f"{lead_en}{'u' if lead_en else 'U'}nder {cited_en}"
    labels = "、".join(FACT_LABEL_ZH.get(p, p) for p in b.pending)
    waiting_zh = f"尚待确认：{labels}。" if b.pending else ""
    labels_en = "; ".join(FACT_LABEL_EN.get(p, p) for p in b.pending)
    waiting_en = f" Still to be established: {labels_en}." if b.pending else ""
    if b.violation:
        heads = article.head_zh
        if b.after_exam is not None and b.invalidate:
            heads += "\n" + b.after_exam.head_zh
        zh, en = _measure_texts(b, heads)
        body_zh = "，".join(zh) if zh else "构成违纪违规行为"
        body_en = "; ".join(en) if en else "a violation is established"
        # On site only the institution decides (Art. 16–17): the handling the clause provides
        # for is stated as what may apply, in the sentence itself, wherever it is shown.
        return (
            f"{basis_zh}，可能适用的处理：{body_zh}。{waiting_zh}{pending_zh}",
            f"{basis_en}, the handling that may apply: {body_en}.{waiting_en} {pending_en}",
        )
    if b.pending:
        return (
            f"{basis_zh}，相关事实确认前尚不能认定构成违纪违规行为。{waiting_zh}{pending_zh}",
            f"{basis_en}: no violation can be established until the facts are known."
            f"{waiting_en} {pending_en}",
        )
    reason_zh = "、".join(_NOT_MET_ZH[c] for c in b.unmet)
    reason_en = " and ".join(_NOT_MET_EN[c] for c in b.unmet)
    # Only the clause lists violations; Art. 8 and the base article are not cited here.
    return (
        f"{reason_zh}，按所填事实不构成{_title_zh(source)}{citation_zh(applied)}所列违纪违规行为，"
        f"记录留存备查。{pending_zh}",
        f"Since {reason_en}, on the facts given this is not a violation under "
        f"{citation_en(applied)} of {_title_en(source)}; the record is kept on file. "
        f"{pending_en}",
    )


# Who acts (Art. 16): the institution determines (认定) for a candidate, after the site's
# record; the institution or its regulator handles (进行处理) a staff case, the institution
# reporting its handling to the regulator (报备); the regulator determines for an institution.
DETERMINED_BY_ZH: dict[Party, str] = {
    Party.CANDIDATE: "评价机构",
    Party.STAFF: "评价机构、评价机构监管部门",
    Party.INSTITUTION: "评价机构监管部门",
}
# The guideline's own verb for each party (Art. 16 ¶1–3).
ACTION_ZH: dict[Party, str] = {
    Party.CANDIDATE: "认定",
    Party.STAFF: "处理",
    Party.INSTITUTION: "认定",
}
_PENDING: dict[Party, tuple[str, str]] = {
    Party.CANDIDATE: ("待评价机构按程序认定。", "Pending the institution's determination."),
    Party.STAFF: (
        "待评价机构、评价机构监管部门依据本指引有关条款进行处理；"
        "由评价机构处理的，评价机构同时向评价机构监管部门报备处理情况。",
        "Pending handling by the institution or its regulator under the Guidelines; where the "
        "institution handles it, it also reports its handling to the regulator.",
    ),
    Party.INSTITUTION: (
        "待评价机构监管部门认定。",
        "Pending the determination of the institution's regulator.",
    ),
}


def without_pending(text: str) -> str:
    """A reading without its closing sentence on who is still to determine or handle it (in
    either language): once the case is determined, that step is behind it."""
    for zh, en in _PENDING.values():
        text = text.replace(zh, "").replace(en, "")
    return text.strip()


def handling_heading(party: Party | str) -> str:
    """依据条款可能适用的处理（待…认定/处理）, naming who acts for this party (Art. 16)."""
    who = Party(party)
    return f"依据条款可能适用的处理（待{DETERMINED_BY_ZH[who]}{ACTION_ZH[who]}）"
