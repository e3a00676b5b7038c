"""The handling a case's records call for, worked out by the rule engine.

A case holds one person's records in force; the engine classifies each with the facts the
site recorded and those the institution determined (``determine``: a severity or an adverse
effect the site left open), and a candidate's are taken together (``combine``: never lighter
than any part). At the decision the decision date is given too, so an Art. 7 ban is dated
from it (Civil Code Art. 201, ``rulebook.periods``); an Art. 6 ban runs to 31 December of the
sitting's year whatever the decision date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.rulebook.engine import classify, combine
from app.core.rulebook.model import Party, Rulebook

# Facts the institution may determine, and the party whose clauses use them.
DETERMINABLE: dict[str, Party] = {"severity": Party.CANDIDATE, "adverse_effect": Party.STAFF}


@dataclass(frozen=True)
class Part:
    """One record the case holds (or an Art. 8 finding): the facts as the engine takes them."""

    incident_id: str | None
    number: str | None
    facts: Mapping[str, Any]


def _natural(clause_id: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", clause_id)]


def sorted_clauses(clauses: Sequence[str]) -> list[str]:
    return sorted(set(clauses), key=_natural)


def part_facts(
    rulebook: Rulebook,
    part: Part,
    determined: Mapping[str, Any],
    decision_date: dt.date | None = None,
) -> dict[str, Any]:
    """The part's facts with the determined ones where the record left them open (or stated
    them: the institution's determination is the one that counts)."""
    facts = {k: v for k, v in part.facts.items() if k != "decision_date"}
    if determined:
        pending = set(classify(rulebook, facts).pending)
        for name, value in determined.items():
            if name in facts or name in pending:
                facts[name] = value
    if decision_date is not None:
        facts["decision_date"] = decision_date.isoformat()
    return facts


def handling(
    rulebook: Rulebook,
    party: str,
    parts: Sequence[Part],
    determined: Mapping[str, Any],
    decision_date: dt.date | None = None,
) -> dict[str, Any]:
    """What the guideline provides for the case as it stands (JSON-ready)."""
    outcomes = []
    records = []
    for part in parts:
        outcome = classify(rulebook, part_facts(rulebook, part, determined, decision_date))
        outcomes.append(outcome)
        records.append(
            {"incident_id": part.incident_id, "number": part.number, "outcome": outcome.to_dict()}
        )
    clauses = sorted_clauses([str(p.facts["clause"]) for p in parts])
    result: dict[str, Any] = {
        "party": party,
        "rulebook": rulebook.label,
        "clauses": clauses,
        "applied_clauses": sorted_clauses([o.clause for o in outcomes]),
        "violation": any(o.violation for o in outcomes),
        "pending": sorted({p for o in outcomes for p in o.pending}),
        "records": records,
        "combined": None,
        "decision_date": None if decision_date is None else decision_date.isoformat(),
    }
    if party == Party.CANDIDATE and outcomes:
        combined = combine(outcomes)
        result["combined"] = combined.to_dict()
        result["explanation"] = combined.explanation
        result["explanation_en"] = combined.explanation_en
    else:
        result["explanation"] = "\n".join(o.explanation for o in outcomes)
        result["explanation_en"] = "\n".join(o.explanation_en for o in outcomes)
    return result


def ban_of(result: Mapping[str, Any], decision_date: dt.date) -> dict[str, Any] | None:
    """The ban a decided candidate case imposes: its first day (the day after the decision,
    Civil Code Art. 201) and its last (Art. 6: 31 December of the sitting's year; Art. 7: the
    engine's end of 2 or 5 years from the decision date); ``elapsed`` when an Art. 6 ban
    decided after its year (Art. 8, found later) has already ended."""
    combined = result.get("combined")
    if not combined or not combined.get("ban_until"):
        return None
    last = dt.date.fromisoformat(combined["ban_until"])
    first = decision_date + dt.timedelta(days=1)
    return {
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "years": combined.get("ban_years"),
        "elapsed": last < first,
    }


def basis(rulebook: Rulebook, result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The basis of the handling, verbatim from the rulebook: each applied clause with its
    article's head (Chinese text as the guideline gives it; English as the rulebook's)."""
    out = []
    for clause_id in result.get("applied_clauses", []):
        clause = rulebook.clauses.get(clause_id)
        if clause is None:
            continue
        article = rulebook.article_of(clause)
        out.append(
            {
                "article": article.number,
                "clause": clause.id,
                "item": clause.item,
                "article_zh": article.head_zh,
                "article_en": article.head_en,
                "text_zh": clause.text_zh,
                "text_en": clause.text_en,
            }
        )
    return out
