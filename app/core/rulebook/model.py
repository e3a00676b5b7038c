"""The rulebook as typed, immutable data.

A rulebook file (TOML, under ``resources/rulebooks/``) is parsed into these classes by
``loader.py``; the engine (``engine.py``) and the search (``search.py``) only read them.
The Chinese text of the regulation lives in the file, never in code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.errors import UserError


class Party(StrEnum):
    CANDIDATE = "candidate"
    STAFF = "staff"
    INSTITUTION = "institution"


class StaffRole(StrEnum):
    EXAM_ADMIN = "exam_admin"
    ASSESSOR = "assessor"
    SUPERVISOR = "supervisor"
    SITE_HEAD = "site_head"


# The roles as the guideline (Art. 9–11, 16) names them; rosters, the engine's messages and the
# reports all use this one table.
ROLE_LABELS_ZH: dict[StaffRole, str] = {
    StaffRole.EXAM_ADMIN: "考务管理人员",
    StaffRole.ASSESSOR: "考评人员",
    StaffRole.SUPERVISOR: "质量督导员",
    StaffRole.SITE_HEAD: "考场负责人",
}


class Effect(StrEnum):
    """What an article provides for; the engine maps each effect to its rule.

    Keeping the effect on the article (not on the clause id) lets a provincial rulebook add a
    local clause under an existing article and have it handled exactly like the national ones.
    """

    SUBJECT_CANCELLED = "subject_cancelled"  # Art. 5
    ALL_CANCELLED_YEAR_BAN = "all_cancelled_year_ban"  # Art. 6
    ALL_CANCELLED_MULTI_YEAR_BAN = "all_cancelled_multi_year_ban"  # Art. 7
    STAFF_MEASURES = "staff_measures"  # Art. 9, 10
    STAFF_ADVERSE_EFFECT = "staff_adverse_effect"  # Art. 11
    INSTITUTION_MEASURES = "institution_measures"  # Art. 12-15
    PROCEDURE = "procedure"  # Art. 8, 16-20: text only


class Fact(StrEnum):
    """Facts a clause may need before the engine can state its handling."""

    WARNED = "warned"
    REFUSED = "refused"
    SEVERITY = "severity"
    ADVERSE_EFFECT = "adverse_effect"
    PRIOR_WARNING = "prior_warning"


@dataclass(frozen=True)
class Measure:
    """One measure the guideline provides for, in both languages."""

    code: str
    zh: str  # verbatim fragment of the article
    en: str
    # Clause ids the measure is limited to (Art. 15 has one set per paragraph); empty: all.
    clauses: tuple[str, ...] = ()
    # Severity the measure is limited to (Art. 7 bans); empty: any.
    severity: str = ""
    # The article leaves it to the decision maker (视情况, 视情节).
    discretionary: bool = False


@dataclass(frozen=True)
class Escalation:
    """Handle a clause as another one when a fact has a given value (e.g. 12.x serious → 13.1)."""

    fact: Fact
    equals: str | bool
    to: str
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Article:
    number: int
    party: Party | None  # None for procedure articles
    effect: Effect
    head_zh: str  # verbatim
    head_en: str
    title_zh: str = ""
    title_en: str = ""
    roles: tuple[StaffRole, ...] = ()
    measures: tuple[Measure, ...] = ()
    # Art. 7 only: years of ban by severity.
    ban_years: dict[str, int] = field(default_factory=dict)
    # Art. 7 only: severities that refer the case to the authorities.
    referral_severities: tuple[str, ...] = ()
    notes_zh: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    source: str = ""  # id of the rulebook that defined it


@dataclass(frozen=True)
class Clause:
    id: str  # "5.1", "11", or a local id such as "GD-5.5"
    article: int
    item: int | None  # None for an article without items (Art. 11)
    text_zh: str  # verbatim item text
    text_en: str
    title_zh: str  # short label for lists
    title_en: str
    facts: tuple[Fact, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    keywords_zh: tuple[str, ...] = ()
    keywords_en: tuple[str, ...] = ()
    # Words that tell this clause apart from a close neighbour (using a phone → 6.1, carrying
    # it → 5.1); search weighs them only for clauses the description already matches.
    cues_zh: tuple[str, ...] = ()
    cues_en: tuple[str, ...] = ()
    # Clauses this one ranks above whenever its cues match: using a device (6.1) outranks
    # carrying it (5.1), even when the description also says it was brought in.
    outranks: tuple[str, ...] = ()
    notes_zh: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    # Parties besides its article's that the clause's text reaches (15.2: "造成上述问题的相关机构、
    # 人员" reaches staff too); the reading is given in the clause's notes.
    also_parties: tuple[Party, ...] = ()
    local: bool = False  # added by an extension rulebook
    source: str = ""  # id of the rulebook that defined it


@dataclass(frozen=True)
class Rulebook:
    id: str
    title_zh: str
    title_en: str
    document_number: str
    version: str
    effective_date: dt.date
    articles: dict[int, Article]
    clauses: dict[str, Clause]  # in reading order
    extends: tuple[str, ...] = ()  # chain of base rulebook ids, nearest first
    notes_zh: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    # Each layer's rulebook id → its effective date: a local clause applies only from the date
    # its own layer took effect, not from the national one.
    effective_dates: dict[str, dt.date] = field(default_factory=dict)

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id; raises ``UnknownClauseError`` naming it."""
        try:
            return self.clauses[clause_id]
        except KeyError:
            raise UnknownClauseError(clause_id, self.id) from None

    def article_of(self, clause: Clause) -> Article:
        return self.articles[clause.article]

    def parties_of(self, clause: Clause) -> tuple[Party, ...]:
        """Who the clause can be recorded against: its article's party first, then the others
        its text reaches; none for a procedural provision."""
        party = self.articles[clause.article].party
        return () if party is None else (party, *clause.also_parties)

    def clauses_for(self, party: Party) -> list[Clause]:
        return [c for c in self.clauses.values() if party in self.parties_of(c)]

    @property
    def label(self) -> str:
        """Id and version, as recorded with every outcome."""
        return f"{self.id}@{self.version}"


class RulebookError(UserError):
    """A rulebook problem fit to show a person."""


class UnknownClauseError(RulebookError):
    def __init__(self, clause_id: str, rulebook_id: str) -> None:
        super().__init__(f"clause: unknown clause '{clause_id}' in rulebook {rulebook_id}")
        self.clause_id = clause_id
