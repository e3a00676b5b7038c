"""Counts of the records in force, and of decided cases, broken down for the institution's
reports: by article and clause, party, site, occupation and level, evaluation type and month.

A record is in force when it is sealed (confirmed or exported), not voided and not replaced by
a newer version (as for cases, ``casework/intake.py``): an amended record counts once, as its
latest version; a voided one not at all. Its date is the incident's date in the session's time
zone (``incident.local_date``, written by the site).

Built for a year of 200,000 records: one grouped read of a covering index (migration 0010) by
day, session, party, rulebook and clause, in the index's own order, so the database sorts
nothing (a GROUP BY in another order sorted every record: the most of a second). A sitting's
records fall on its one or two days, so a year of 2,000 sittings is some 40,000 groups, and
every breakdown is summed from those groups here.

``by decision`` counts the cases with a decision (处理决定) by the decision's date, each case
once per breakdown value (a case holding records of two clauses counts under each clause, and
once in every other breakdown).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from app.core.errors import UserError
from app.core.records import dialect
from app.core.records.status import SEALED

BREAKDOWNS = (
    "article",
    "clause",
    "party",
    "site",
    "occupation_level",
    "evaluation_type",
    "month",
    "filed_occupation",
)
NONE = "-"  # a record without a clause, a case without a session
# (rulebook id, clause id) → the article number, or None when the rulebook does not know it.
ArticleOf = Callable[[str | None, str], int | None]


class StatsError(UserError):
    """Statistics that cannot be counted as asked; the message is fit to show."""


@dataclass
class Stats:
    by: str  # incident | decision
    date_from: dt.date | None
    date_to: dt.date | None
    total: int = 0
    breakdowns: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def count(self, breakdown: str, key: str) -> int:
        return dict(self.breakdowns[breakdown]).get(key, 0)

    def as_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "from": None if self.date_from is None else self.date_from.isoformat(),
            "to": None if self.date_to is None else self.date_to.isoformat(),
            "total": self.total,
            "breakdowns": {
                name: [{"key": key, "count": count} for key, count in rows]
                for name, rows in self.breakdowns.items()
            },
        }


@dataclass(frozen=True)
class _Site:
    site: str
    occupation_level: str
    evaluation_type: str


def check_range(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise StatsError(f"stats: --from {date_from} is after --to {date_to}")


def _sites(db: Session) -> dict[str, _Site]:
    sql = "SELECT id, site_name, occupation, work_type, level, evaluation_type FROM exam_session"
    sites = {}
    for sid, site, occupation, work_type, level, kind in db.connection().exec_driver_sql(sql):
        trade = f"{occupation}（{work_type}）" if work_type else occupation
        sites[sid] = _Site(site, f"{trade} {level}", kind)
    return sites


def _natural(key: str) -> tuple[Any, ...]:
    """Clause and article order: 5.2 before 5.10, 13 after 9, numbers before local ids."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", key))


def _ordered(name: str, counter: Counter[str]) -> list[tuple[str, int]]:
    if name in ("article", "clause", "month"):
        return sorted(counter.items(), key=lambda item: _natural(item[0]))
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def date_range_sql(
    db: Session, column: str, lo: dt.date | None, hi: dt.date | None
) -> tuple[str, list[str]]:
    m = dialect.mark(db)
    where, params = [], []
    if lo is not None:
        where.append(f"{column} >= {m}")
        params.append(lo.isoformat())
    if hi is not None:
        where.append(f"{column} <= {m}")
        params.append(hi.isoformat())
    return "".join(f" AND {w}" for w in where), params


def count_records(
    db: Session,
    article_of: ArticleOf,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Stats:
    """The records in force whose incident date is within ``date_from``–``date_to`` (each
    inclusive; None: open), counted by every breakdown."""
    check_range(date_from, date_to)
    sealed = ", ".join(f"'{s.value}'" for s in SEALED)  # our own constants
    dates, params = date_range_sql(db, "local_date", date_from, date_to)
    # "Not replaced" as no index on it is taken: the date range reads the covering index.
    latest = dialect.is_null_unindexed(db, "superseded_by_id")
    where = f"WHERE {latest} AND status IN ({sealed}){dates}"
    # Grouped in the covering index's own order (migration 0010), so no record is sorted.
    sql = (
        "SELECT local_date, session_id, party, rulebook_id, clause, count(*) "
        f"FROM incident {where} GROUP BY local_date, session_id, party, rulebook_id, clause"
    )
    groups = db.connection().exec_driver_sql(sql, tuple(params)).all()
    stats = Stats("incident", date_from, date_to)
    counters: dict[str, Counter[str]] = defaultdict(Counter)
    sites = _sites(db)
    unknown = _Site(NONE, NONE, NONE)
    # Tens of thousands of groups: summed into two small tables first, then each breakdown.
    by_clause: Counter[tuple[str | None, str | None, str]] = Counter()
    by_session: Counter[tuple[str, str]] = Counter()
    for day, session_id, party, rulebook_id, clause, count in groups:
        by_clause[(rulebook_id, clause, party)] += count
        by_session[(session_id, day[:7])] += count
    for (rulebook_id, clause, party), count in by_clause.items():
        article = None if clause is None else article_of(rulebook_id, clause)
        counters["clause"][clause or NONE] += count
        counters["article"][NONE if article is None else str(article)] += count
        counters["party"][party] += count
        stats.total += count
    filed = _filed(db, {session_id for session_id, _ in by_session})
    for (session_id, month), count in by_session.items():
        site = sites.get(session_id, unknown)
        counters["site"][site.site] += count
        counters["occupation_level"][site.occupation_level] += count
        counters["evaluation_type"][site.evaluation_type] += count
        counters["month"][month] += count
        counters["filed_occupation"][filed.get(session_id, NONE)] += count
    stats.breakdowns = {name: _ordered(name, counters[name]) for name in BREAKDOWNS}
    return stats


def _filed(db: Session, session_ids: set[str]) -> dict[str, str]:
    """Each session's occupation as the institution's filing names it (Attachment 1), or
    ``NONE`` when nothing is filed or the session lies outside the filing."""
    from app.core.institution.filing import filed_occupations

    out = {}
    for session_id, entry in filed_occupations(db, sorted(session_ids)).items():
        if entry is None:
            out[session_id] = NONE
        else:
            work = f"（{entry.work_type}）" if entry.work_type else ""
            out[session_id] = f"{entry.occupation}{work}"
    return out


def _add(
    counters: dict[str, Counter[str]],
    count: int,
    site: _Site,
    party: str,
    clauses: Iterable[str | None],
    articles: Iterable[int | None],
    month: str,
) -> None:
    for clause in set(clauses):
        counters["clause"][clause or NONE] += count
    for article in set(articles):
        counters["article"][NONE if article is None else str(article)] += count
    counters["party"][party] += count
    counters["site"][site.site] += count
    counters["occupation_level"][site.occupation_level] += count
    counters["evaluation_type"][site.evaluation_type] += count
    counters["month"][month] += count


def count_decisions(
    db: Session,
    article_of: ArticleOf,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Stats:
    """The cases decided (处理决定) within ``date_from``–``date_to`` by decision date."""
    check_range(date_from, date_to)
    decided = dialect.json_text(db, "c.decided_json", "decision_date")
    base_clause = dialect.json_text(db, "c.base_json", "facts", "clause")  # an Art. 8 case
    dates, params = date_range_sql(db, decided, date_from, date_to)
    sql = (
        f"SELECT c.id, c.session_id, c.party, {decided}, i.rulebook_id, i.clause, "
        f"c.rulebook_id, {base_clause} "
        "FROM casework_case c "
        "LEFT JOIN casework_case_record r ON r.case_id = c.id "
        "LEFT JOIN incident i ON i.id = r.incident_id "
        f"WHERE c.decided_json IS NOT NULL{dates}"
    )
    cases: dict[str, dict[str, Any]] = {}
    for cid, sid, party, day, rulebook_id, clause, case_rulebook, base in (
        db.connection().exec_driver_sql(sql, tuple(params)).all()
    ):
        case = cases.setdefault(cid, {"session": sid, "party": party, "day": day, "clauses": {}})
        if clause is not None:
            case["clauses"][clause] = rulebook_id
        elif base is not None:
            case["clauses"][base] = case_rulebook
    stats = Stats("decision", date_from, date_to)
    counters: dict[str, Counter[str]] = defaultdict(Counter)
    sites = _sites(db)
    unknown = _Site(NONE, NONE, NONE)
    filed = _filed(db, {c["session"] for c in cases.values() if c["session"]})
    for case in cases.values():
        site = sites.get(case["session"] or "", unknown)
        counters["filed_occupation"][filed.get(case["session"] or "", NONE)] += 1
        clauses = dict(case["clauses"]) or {None: None}
        articles = [None if c is None else article_of(r, c) for c, r in clauses.items()]
        _add(
            counters,
            1,
            site,
            case["party"],
            clauses,
            articles,
            str(case["day"])[:7] if case["day"] else NONE,
        )
        stats.total += 1
    stats.breakdowns = {name: _ordered(name, counters[name]) for name in BREAKDOWNS}
    return stats
