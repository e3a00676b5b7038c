"""What the engine states for one incident (``Outcome``) and for several (``Combined``).

An outcome is what the guideline provides for; on site it is the applicable handling pending the
institution's determination (Art. 16–17), never the decision itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, TypeVar

from app.core.errors import UserError
from app.core.rulebook.explain import (
    FACT_LABEL_EN,
    FACT_LABEL_ZH,
    citation_en,
    citation_zh,
    is_ban,
)
from app.core.rulebook.facts import IncidentFacts
from app.core.rulebook.model import Fact, Measure, Party, Rulebook, StaffRole

_T = TypeVar("_T")


EXPLANATION_VERSION = 2


class ScoresCancelled(StrEnum):
    """Which scores of the sitting are cancelled, lightest first."""

    NONE = "none"
    SUBJECT = "subject"
    ALL = "all"

    @property
    def rank(self) -> int:
        return _SCORES_ORDER.index(self)


_SCORES_ORDER = (ScoresCancelled.NONE, ScoresCancelled.SUBJECT, ScoresCancelled.ALL)


def _measure_dict(measure: Measure) -> dict[str, str]:
    return {"code": measure.code, "zh": measure.zh, "en": measure.en}


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


@dataclass(frozen=True)
class Outcome:
    """The handling the rulebook provides for one incident.

    ``violation`` is whether the facts known so far establish a violation. While a fact that
    decides it is unknown (e.g. whether a reminded candidate refused), ``violation`` is false
    and ``pending`` names the fact; a fact that only decides how heavy the handling is (e.g.
    Art. 7 severity) leaves ``violation`` true with the lightest certain handling.
    """

    violation: bool
    article: int  # as applied, after escalations
    clause: str  # as applied
    input_clause: str
    party: Party
    measures: tuple[Measure, ...]
    pending: tuple[str, ...]
    explanation: str
    explanation_en: str
    rulebook: str  # "id@version"
    date: dt.date
    escalation_path: tuple[str, ...] = ()  # clause ids from the input to the applied one
    role: StaffRole | None = None
    # Candidate outcomes only:
    scores_cancelled: ScoresCancelled = ScoresCancelled.NONE
    ban_until: dt.date | None = None
    # Art. 7: the years of the ban, counted from the decision; while the severity is pending,
    # the article's shortest period (the ban is at least that long).
    ban_years: int | None = None
    referral: bool = False
    invalidate_certificate: bool = False
    subject: str | None = None
    decision_date: dt.date | None = None
    # Remarks on the facts given, e.g. one the clause does not use (see ``note_unused_facts``).
    notes: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "violation": self.violation,
            "article": self.article,
            "clause": self.clause,
            "input_clause": self.input_clause,
            "party": self.party.value,
            "measures": [_measure_dict(m) for m in self.measures],
            "pending": list(self.pending),
            "explanation": self.explanation,
            "explanation_en": self.explanation_en,
            "rulebook": self.rulebook,
            "date": self.date.isoformat(),
            "escalation_path": list(self.escalation_path),
            "notes": list(self.notes),
            "notes_en": list(self.notes_en),
            # 2: the sentence says what may apply and who determines; records made before
            # carry none, and their reports leave the older sentence out.
            "explanation_version": EXPLANATION_VERSION,
        }
        if self.party is Party.STAFF:
            data["role"] = None if self.role is None else self.role.value
        if self.party is Party.CANDIDATE:
            data.update(
                scores_cancelled=self.scores_cancelled.value,
                ban_until=_iso(self.ban_until),
                ban_years=self.ban_years,
                referral=self.referral,
                invalidate_certificate=self.invalidate_certificate,
                subject=self.subject,
                decision_date=_iso(self.decision_date),
            )
        return data


def unused_facts(rulebook: Rulebook, facts: IncidentFacts, outcome: Outcome) -> tuple[Fact, ...]:
    """Facts given that no clause on the outcome's path needs (severity for 6.1, warned for 6.1,
    prior_warning for 12.1 when not serious), in the order of ``Fact``."""
    path = [rulebook.clauses[c] for c in outcome.escalation_path if c in rulebook.clauses]
    used = {f for c in path for f in c.facts} | {e.fact for c in path for e in c.escalations}
    return tuple(f for f in Fact if facts.fact(f) is not None and f not in used)


def note_unused_facts(rulebook: Rulebook, facts: IncidentFacts, outcome: Outcome) -> Outcome:
    """The outcome with a note for each fact given that its clause does not use.

    Such a fact is accepted, since it may be recorded before the clause is settled (severity
    noted, then the clause changed from 7.2 to 6.2), but it changes nothing, and the note says
    so. A fact that belongs to another party altogether (``warned`` on a staff clause) is
    refused by the engine instead: it means the wrong clause or party was chosen.
    """
    unused = unused_facts(rulebook, facts, outcome)
    if not unused:
        return outcome
    given = rulebook.clauses.get(outcome.input_clause)
    where_zh = "本条" if given is None else citation_zh(given)
    where_en = "this clause" if given is None else citation_en(given)
    zh = tuple(f"事实“{FACT_LABEL_ZH.get(f, f)}”不适用于{where_zh}，未予采用。" for f in unused)
    en = tuple(
        f"The fact '{f.value}' does not apply to {where_en} and was not used." for f in unused
    )
    # Idempotent: ``classify`` already notes them; noting again adds nothing.
    zh = tuple(n for n in zh if n not in outcome.notes)
    en = tuple(n for n in en if n not in outcome.notes_en)
    return replace(outcome, notes=outcome.notes + zh, notes_en=outcome.notes_en + en)


@dataclass(frozen=True)
class Combined:
    """Several incidents of one candidate in one sitting, taken together."""

    violation: bool
    scores_cancelled: ScoresCancelled
    subjects_cancelled: tuple[str, ...]
    ban_until: dt.date | None
    referral: bool
    invalidate_certificate: bool
    pending: tuple[str, ...]
    articles: tuple[int, ...]
    clauses: tuple[str, ...]
    measures: tuple[Measure, ...]
    explanation: str
    explanation_en: str
    rulebook: str
    party: Party = Party.CANDIDATE
    # An Art. 7 ban not yet dated (no decision): its years, and whether that is only a minimum
    # because a part's severity is pending.
    ban_years: int | None = None
    ban_at_least: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "violation": self.violation,
            "party": self.party.value,
            "scores_cancelled": self.scores_cancelled.value,
            "subjects_cancelled": list(self.subjects_cancelled),
            "ban_until": _iso(self.ban_until),
            "ban_years": self.ban_years,
            "ban_at_least": self.ban_at_least,
            "referral": self.referral,
            "invalidate_certificate": self.invalidate_certificate,
            "pending": list(self.pending),
            "articles": list(self.articles),
            "clauses": list(self.clauses),
            "measures": [_measure_dict(m) for m in self.measures],
            "explanation": self.explanation,
            "explanation_en": self.explanation_en,
            "rulebook": self.rulebook,
        }


class CombineError(UserError):
    """Outcomes that cannot be taken together."""


def _unique(items: Sequence[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(items))


def _natural(clause_id: str) -> list[str | int]:
    """Sort key putting "5.2" before "5.10" (digits compare as numbers)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", clause_id)]


def combine(outcomes: Sequence[Outcome]) -> Combined:
    """Take one candidate's incidents in one sitting together; never lighter than any part.

    Cancelled subjects add up, "all" wins over "subject", the longest ban wins, referral and
    certificate invalidation hold if any part has them, pending facts are the union. A part
    whose severity is pending keeps its certain effect (all scores cancelled, a ban of at least
    the article's shortest period) and stays pending. An Art. 7 ban that is not dated yet (no
    decision) outlasts any year ban (it runs years from a decision made after the incident).
    """
    if not outcomes:
        raise CombineError("incidents: nothing to combine")
    non_candidate = [o.input_clause for o in outcomes if o.party is not Party.CANDIDATE]
    if non_candidate:
        raise CombineError(
            f"party: only candidate incidents can be combined, not {', '.join(non_candidate)}"
        )
    rulebooks = _unique([o.rulebook for o in outcomes])
    if len(rulebooks) > 1:
        raise CombineError(f"rulebook: outcomes from several rulebooks: {', '.join(rulebooks)}")
    scores = max((o.scores_cancelled for o in outcomes), key=lambda s: s.rank)
    subjects = sorted(
        {
            o.subject
            for o in outcomes
            if o.subject is not None and o.scores_cancelled is not ScoresCancelled.NONE
        }
    )
    # A subject cancelled without a name is still cancelled: the explanation must say so.
    unnamed = any(
        o.subject is None and o.scores_cancelled is ScoresCancelled.SUBJECT for o in outcomes
    )
    ban_until, ban_years, at_least, longest = _longest_ban(outcomes)
    referral = any(o.referral for o in outcomes)
    invalidate = any(o.invalidate_certificate for o in outcomes)
    violation = any(o.violation for o in outcomes)
    # Reading order of the clauses, so the result does not depend on the order of the parts.
    ordered = sorted(
        outcomes,
        key=lambda o: (o.article, _natural(o.clause), json.dumps(o.to_dict(), sort_keys=True)),
    )
    pending = tuple(sorted({p for o in outcomes for p in o.pending}))
    # Only what stands in the combination: a part's subject cancellation gives way to "all",
    # and only the ban that lasts longest is stated (the others end within it).
    measures_by_code: dict[str, Measure] = {}
    for o in ordered:
        if o.scores_cancelled.rank < scores.rank:
            continue
        for m in o.measures:
            if is_ban(m) and o not in longest:
                continue
            measures_by_code.setdefault(m.code, m)
    zh, en = _combined_explanation(
        scores,
        subjects,
        unnamed,
        (ban_until, ban_years, at_least),
        referral,
        invalidate,
        pending,
        violation,
    )
    return Combined(
        violation=violation,
        scores_cancelled=scores,
        subjects_cancelled=tuple(subjects),
        ban_until=ban_until,
        referral=referral,
        invalidate_certificate=invalidate,
        pending=pending,
        articles=tuple(sorted({o.article for o in outcomes})),
        clauses=_unique([o.clause for o in ordered]),
        measures=tuple(measures_by_code.values()),
        explanation=zh,
        explanation_en=en,
        rulebook=rulebooks[0],
        ban_years=ban_years,
        ban_at_least=at_least,
    )


def _longest_ban(
    outcomes: Sequence[Outcome],
) -> tuple[dt.date | None, int | None, bool, list[Outcome]]:
    """(last day, years, at least, the parts stating it) of the ban that lasts longest.

    Dated bans compare by their last day. An undated Art. 7 ban (no decision yet) outlasts every
    year ban; with Art. 7 parts the most years win, and the result is only a minimum when a
    part with pending severity could still come out longer than every settled part.
    """
    multi = [o for o in outcomes if o.ban_years is not None]
    if any(o.ban_until is None for o in multi):
        # One decision for the sitting: its years are the most any part provides for.
        years = max(o.ban_years or 0 for o in multi)
        settled = [o.ban_years or 0 for o in multi if "severity" not in o.pending]
        open_parts = [o for o in multi if "severity" in o.pending]
        # Open parts stand at their article's shortest period and may come out longer, unless
        # a settled part is already longer than each of their minimums.
        at_least = bool(open_parts) and max(settled, default=0) <= max(
            o.ban_years or 0 for o in open_parts
        )
        return None, years, at_least, [o for o in multi if o.ban_years == years]
    dated = [o for o in outcomes if o.ban_until is not None]
    if not dated:
        return None, None, False, []
    last = max(o.ban_until for o in dated if o.ban_until is not None)
    longest = [o for o in dated if o.ban_until == last]
    known = [o.ban_years for o in longest if o.ban_years is not None]
    return last, max(known) if known else None, False, longest


def _combined_explanation(
    scores: ScoresCancelled,
    subjects: Sequence[str],
    unnamed: bool,
    ban: tuple[dt.date | None, int | None, bool],
    referral: bool,
    invalidate: bool,
    pending: Sequence[str],
    violation: bool,
) -> tuple[str, str]:
    zh: list[str] = []
    en: list[str] = []
    if scores is ScoresCancelled.ALL:
        zh.append("取消当次全部科目评价成绩")
        en.append("all subjects' scores in this sitting are cancelled")
    elif scores is ScoresCancelled.SUBJECT:
        zh.append(f"取消当次{_subjects_zh(subjects, unnamed)}的评价成绩")
        en.append(f"the scores of {_subjects_en(subjects, unnamed)} in this sitting are cancelled")
    ban_until, ban_years, at_least = ban
    if ban_until is not None:
        zh.append(f"不得参加评价（至{ban_until.year}年{ban_until.month}月{ban_until.day}日）")
        en.append(f"barred from evaluations until {ban_until.isoformat()}")
    elif ban_years is not None:
        if at_least:
            zh.append(f"不得参加评价的期限不少于{ban_years}年（期间起算以处理决定为准）")
            en.append(
                f"barred from evaluations for no less than {ban_years} years "
                "(the period runs as the decision sets it)"
            )
        else:
            zh.append(f"{ban_years}年内不得参加评价（期间起算以处理决定为准）")
            en.append(
                f"barred from evaluations for {ban_years} years "
                "(the period runs as the decision sets it)"
            )
    if referral:
        zh.append("依据有关法律法规移送有关部门")
        en.append("referred to the competent authorities under the relevant laws")
    if invalidate:
        # Art. 8's own words.
        zh.append("宣布评价成绩无效，并对已发放证书、已上网证书数据及时作出相应处理")
        en.append(
            "the results are declared invalid and the certificates issued and the certificate "
            "data online are dealt with accordingly"
        )
    if not violation and not zh:
        zh.append("不构成违纪违规行为")
        en.append("no violation is established")
    if pending:
        zh.append(f"尚待确认：{'、'.join(FACT_LABEL_ZH.get(p, p) for p in pending)}")
        en.append(f"still to be established: {'; '.join(FACT_LABEL_EN.get(p, p) for p in pending)}")
    return (
        "多项行为合并处理：" + "；".join(zh) + "。待评价机构按程序认定。",
        "Taken together: " + "; ".join(en) + ". Pending the institution's determination.",
    )


def _subjects_zh(named: Sequence[str], unnamed: bool) -> str:
    """理论, 理论、实操, 理论及其他相关科目, or 相关科目 when none is named."""
    if not named:
        return "相关科目"
    return "、".join(named) + ("及其他相关科目" if unnamed else "")


def _subjects_en(named: Sequence[str], unnamed: bool) -> str:
    if not named:
        return "the subjects concerned"
    return ", ".join(named) + (" and the other subjects concerned" if unnamed else "")
