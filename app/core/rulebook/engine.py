"""The rule engine: which handling the rulebook provides for one incident.

Everything regulation-specific (effects, measures, ban years, escalations, the facts a clause
needs, the roles an article covers) is read from the rulebook, so a provincial extension's local
clause under an existing article is handled like the national ones without code changes.
The result is the applicable handling pending the institution's determination (Art. 16–17).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.rulebook.explain import Basis, explain
from app.core.rulebook.facts import FactsError, IncidentFacts, Severity, parse_facts
from app.core.rulebook.model import (
    ROLE_LABELS_ZH,
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
from app.core.rulebook.outcome import (
    Combined,
    Outcome,
    ScoresCancelled,
    combine,
    note_unused_facts,
)
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
    zh="已颁发证书的，宣布评价成绩无效，并对已发放证书、已上网证书数据及时作出相应处理（第八条）",
    en=(
        "Where a certificate was issued, the results are declared invalid and the certificates "
        "issued and the certificate data online are dealt with accordingly (Art. 8)"
    ),
)

# Facts that decide whether there is a violation at all; each must be true (Art. 5(1)–(3):
# reminded and refused; Art. 11: adverse effect). Other facts only decide how it is handled.
CONDITION_FACTS = (Fact.WARNED, Fact.REFUSED, Fact.ADVERSE_EFFECT)


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


def _party_of(
    rulebook: Rulebook, clause: Clause, given: Party | None = None
) -> tuple[Article, Party]:
    """The clause's article and the party it is classified for: ``given`` where the clause's
    text reaches that party too (15.2 and staff), else the article's own party."""
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
    return article, given if given in clause.also_parties else article.party


def _check_role(clause: Clause, article: Article, role: StaffRole | None) -> None:
    allowed = ", ".join(f"{r.value} ({ROLE_LABELS_ZH[r]})" for r in article.roles)
    if role is None:
        raise FactsError("role", f"required for staff clause {clause.id}: {allowed or 'any role'}")
    if article.roles and role not in article.roles:
        allowed = " or ".join(f"{r.value} ({ROLE_LABELS_ZH[r]})" for r in article.roles)
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


def _check_in_force(rulebook: Rulebook, path: list[Clause], date: dt.date) -> None:
    """Each clause applies only from the day its own rulebook took effect (the guideline from
    its issue, Art. 24; a province's local clause from the province's date)."""
    for clause in path:
        start = rulebook.effective_dates.get(clause.source or rulebook.id)
        if start is not None and date < start:
            raise FactsError(
                "date",
                f"clause {clause.id} has applied only since {start.isoformat()} (when its "
                f"rulebook took effect); an incident of {date.isoformat()} falls under the rules "
                "in force at the time",
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
    article, party = _party_of(rulebook, given, f.party)
    if f.party is not None and f.party is not party:
        parties = " or ".join(p.value for p in rulebook.parties_of(given))
        raise FactsError("party", f"clause {given.id} is a {parties} clause, not {f.party.value}")
    _check_party_fields(f, party, given)
    if party is Party.STAFF:
        _check_role(given, article, f.role)

    path, pending, notes_zh, notes_en = _escalate(rulebook, given, f)
    _check_in_force(rulebook, path, f.date)
    applied = path[-1]
    applied_article, applied_party = _party_of(rulebook, applied, party)
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

    unmet = [c for c in CONDITION_FACTS if f.fact(c) is False and any(c in p.facts for p in path)]
    zh, en = explain(
        Basis(
            rulebook=rulebook,
            path=tuple(path),
            article=applied_article,
            after_exam=rulebook.articles.get(AFTER_EXAM_ARTICLE)
            if f.discovered_after_exam
            else None,
            violation=violation,
            pending=tuple(dict.fromkeys(pending)),
            measures=tuple(measures),
            ban_until=handling.ban_until,
            ban_years=handling.ban_years,
            decision_date=f.decision_date,
            invalidate=handling.invalidate,
            unmet=tuple(unmet),
            notes_zh=tuple(notes_zh),
            notes_en=tuple(notes_en),
            party=party,
        )
    )
    outcome = Outcome(
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
        ban_years=handling.ban_years,
        referral=handling.referral,
        invalidate_certificate=handling.invalidate,
        subject=f.subject,
        # Only a decision date given: on site there is none yet (Art. 17 notice comes first).
        decision_date=f.decision_date,
    )
    # A fact given that the clause does not use is accepted and said so, never silently used.
    return note_unused_facts(rulebook, f, outcome)


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
            # Minor or serious, the article bars for at least its shortest period: say that
            # much rather than nothing (a combination must never come out lighter).
            h.ban_years = min(article.ban_years.values(), default=None)
        else:
            years = article.ban_years.get(f.severity.value)
            if years is None:
                raise RulebookError(
                    f"rulebook {rulebook.id}: article {article.number} has no ban years for "
                    f"severity {f.severity.value}"
                )
            h.ban_years = years
            # The period runs from the decision (Civil Code Art. 201): no date before there is one.
            if f.decision_date is not None:
                try:
                    h.ban_until = ban_end(f.decision_date, years)
                except (ValueError, OverflowError):  # past the calendar's last year, 9999
                    raise FactsError(
                        "decision_date",
                        f"{f.decision_date.isoformat()}: a {years}-year ban from it would end "
                        "after the year 9999; give the date of the decision",
                    ) from None
            h.referral = f.severity.value in article.referral_severities
    return h
