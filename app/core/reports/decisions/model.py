"""The plain data the casework documents (Art. 16–20) are rendered from.

Everything a document prints is here, already decided by the caller: the renderers compute
nothing about the case (no ban dates, no choice of clause), so a document says exactly what the
case says. Text from the guideline (clause items, article heads, measures, Art. 16/17/19) is
carried verbatim from the rulebook (``cite``, ``provision``), never retyped; what the
institution adds by its own practice (a date to respond by) carries ``practice=True`` and is
printed under ``PRACTICE_LABEL``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.core.rulebook.explain import chinese_number, citation_zh, defining_rulebook
from app.core.rulebook.model import Article, Rulebook

# Printed beside every line the guideline does not provide for, so no reader takes the
# institution's own practice for law.
PRACTICE_LABEL = "本机构工作规范（非《指引》规定）"
SHANGHAI = "Asia/Shanghai"


class Party(StrEnum):
    CANDIDATE = "candidate"
    STAFF = "staff"
    INSTITUTION = "institution"


PARTY_LABELS: dict[Party, str] = {
    Party.CANDIDATE: "参评人员",
    Party.STAFF: "工作人员",
    Party.INSTITUTION: "评价机构",
}


class Delivery(StrEnum):
    """How a decision reaches its addressee (Art. 17 ¶2): served in writing on the person, or
    announced. An announced copy is read by anyone, so it shows the ID number masked."""

    SERVED = "served"
    ANNOUNCED = "announced"


class ReviewOutcome(StrEnum):
    UPHELD = "upheld"
    CHANGED = "changed"
    ANNULLED = "annulled"


OUTCOME_LABELS: dict[ReviewOutcome, str] = {
    ReviewOutcome.UPHELD: "维持原处理决定",
    ReviewOutcome.CHANGED: "变更原处理决定",
    ReviewOutcome.ANNULLED: "撤销原处理决定",
}


@dataclass(frozen=True)
class Institution:
    """An evaluation institution as its documents name it."""

    name: str
    filing_code: str  # 备案码


@dataclass(frozen=True)
class Person:
    """Whom the case concerns. ``id_number`` is the full number: each document decides whether
    it prints it whole (served on the person, sent to the regulator) or masked (announced)."""

    name: str
    party: Party
    id_type: str  # as printed: 居民身份证, 护照…; for an institution: 备案码
    id_number: str
    role: str = ""  # staff: 考务管理人员 / 考评人员 / 质量督导员; candidate: ""
    candidate_number: str = ""  # 准考证号, when there is one
    organisation: str = ""  # staff: employer or unit, when known


@dataclass(frozen=True)
class Sitting:
    """The evaluation the facts belong to. An Art. 8 case found after the event may have none."""

    session_code: str
    session_name: str
    site: str
    occupation: str
    level: str
    date: dt.date


class Acknowledgement(StrEnum):
    """The person's word on a record: signed it, refused to sign (witnessed by two staff), or
    had left the site before they could sign (witnessed by two staff)."""

    SIGNED = "signed"
    REFUSED = "refused"
    DEPARTED = "departed"


@dataclass(frozen=True)
class SiteSigner:
    """Someone who signed an incident record on site, as the signature names them."""

    name: str
    role: str  # as printed: 考务管理人员, 考场负责人, 质量督导员…; "" when none is printed
    signed_at: dt.datetime | None = None  # aware; None when signed on paper (no time kept)


@dataclass(frozen=True)
class SiteRecord:
    """How an incident record version was signed on site (Art. 16: two or more staff sign,
    the site head confirms), from its signatures that attest that version's content."""

    staff: tuple[SiteSigner, ...]  # the staff who signed, in the order they signed
    confirmed: SiteSigner | None  # the site head (or quality supervisor) who confirmed
    acknowledgement: Acknowledgement | None = None  # None: the record holds no word of theirs
    acknowledged_at: dt.datetime | None = None  # when they signed it themselves
    witnesses: tuple[SiteSigner, ...] = ()  # of a refusal or a departure
    paper_form: str = ""  # the paper form's number, when transcribed from paper


@dataclass(frozen=True)
class FactRecord:
    """One incident record the facts rest on (or, for Art. 8, the finding that confirmed it)."""

    number: str  # record number, or the finding's reference
    occurred_at: dt.datetime | None  # aware; None when the time is not known (Art. 8)
    place: str
    description: str
    signed_by: tuple[str, ...] = ()  # staff who signed (Art. 16: two or more)
    confirmed_by: str = ""  # the site head who confirmed, or who confirmed an Art. 8 finding
    zone: str = SHANGHAI  # the time zone the time is printed in
    # A record's signing on site with roles and times (printed as its 现场记录 line instead
    # of ``signed_by`` and ``confirmed_by``); None for an Art. 8 finding.
    site: SiteRecord | None = None


@dataclass(frozen=True)
class Provision:
    """A provision of the guideline, verbatim: ``第十九条`` and its text, and the title of the
    rulebook it is from."""

    citation: str
    text: str
    source: str = "《技能人才评价违纪违规行为处理工作指引（试行）》"


@dataclass(frozen=True)
class CitedClause:
    """A clause the decision rests on: its article's head and its item, verbatim, and the
    consequence the article provides for it (the rulebook's verbatim measures)."""

    citation: str  # 第六条第（一）项
    article_text: str
    item_text: str  # "" for an article without items
    consequence: str
    # The rules it is from: the national guideline, or a province's rules for a local clause.
    source: str = "《技能人才评价违纪违规行为处理工作指引（试行）》"


@dataclass(frozen=True)
class Ban:
    """A ban from evaluations, both days included, as the caller computed them."""

    first_day: dt.date
    last_day: dt.date


@dataclass(frozen=True)
class Handling:
    """The combined handling of a case: the measures in the order they are printed."""

    measures: tuple[str, ...]
    ban: Ban | None = None
    referral: str = ""  # e.g. 移送有关部门 (Art. 7 serious), as decided


@dataclass(frozen=True)
class Signatory:
    """Who acts for the institution: the account that took the step and the person's name."""

    institution: Institution
    account: str
    name: str


@dataclass(frozen=True)
class Deadline:
    """A date to act by, with what to do and where. The guideline sets no such dates: one the
    institution sets is its practice (``practice``) and is printed as such."""

    by: dt.date
    what: str
    where: str = ""
    practice: bool = True


@dataclass(frozen=True)
class DocumentRef:
    """An earlier document of the same case (the decision a review answers)."""

    number: str
    title: str
    issued_on: dt.date


@dataclass(frozen=True)
class Notice:
    """告知书 (Art. 17 ¶1): the intended decision, its facts, reasons and basis."""

    number: str  # the document's own number
    case_ref: str
    person: Person
    sitting: Sitting | None
    facts: tuple[FactRecord, ...]
    reasons: str
    clauses: tuple[CitedClause, ...]
    intended: Handling
    basis: Provision  # Art. 17 ¶1, verbatim
    issued_on: dt.date
    signatory: Signatory
    respond: Deadline | None = None


@dataclass(frozen=True)
class Decision:
    """处理决定书 (Art. 17 ¶2) with the Art. 19 route to object."""

    number: str
    case_ref: str
    person: Person
    sitting: Sitting | None
    facts: tuple[FactRecord, ...]
    reasons: str
    clauses: tuple[CitedClause, ...]
    handling: Handling
    objection_route: Provision  # Art. 19, verbatim
    issued_on: dt.date
    signatory: Signatory
    notice: DocumentRef | None = None  # the notice given before (Art. 17 ¶1)
    response: str = ""  # what the person said in answer to the notice, as summarised
    objection_deadline: Deadline | None = None
    delivery: Delivery = Delivery.SERVED


@dataclass(frozen=True)
class Review:
    """复核决定书 (Art. 19): the objection, the outcome, the decision it answers."""

    number: str
    case_ref: str
    person: Person
    decision: DocumentRef
    decided_handling: Handling  # as the first decision decided it
    objection_received_on: dt.date
    objection: str
    outcome: ReviewOutcome
    reasons: str
    basis: Provision  # Art. 19, verbatim
    issued_on: dt.date
    reviewer: Signatory
    changed_handling: Handling | None = None  # required when the outcome is "changed"


@dataclass(frozen=True)
class MeasureTaken:
    """One measure of a staff case, as reported to the regulator (one XLSX row each)."""

    measure: str
    clause: str  # the citation it rests on
    decided_on: dt.date
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class RegulatorReport:
    """报备 of a staff case (Art. 16 ¶2) to the regulator."""

    number: str
    case_ref: str
    regulator: str  # the regulator's name, as addressed
    person: Person
    sitting: Sitting | None
    facts: tuple[FactRecord, ...]
    clauses: tuple[CitedClause, ...]
    measures: tuple[MeasureTaken, ...]
    decision: DocumentRef | None
    basis: Provision  # Art. 16 ¶2, verbatim
    reported_on: dt.date
    signatory: Signatory


@dataclass(frozen=True)
class CertificateEntry:
    """A certificate, or its data, to be declared invalid under Art. 8."""

    name: str
    id_type: str
    id_number: str
    certificate_number: str
    occupation: str
    level: str
    issued_on: dt.date | None
    action: str  # 宣布评价成绩无效、证书作废 / 更正证书数据 …
    decision_number: str
    decided_on: dt.date
    clause: str  # the citation of the clause the case was handled under
    note: str = ""


@dataclass(frozen=True)
class CertificateList:
    """The Art. 8 list of certificates and certificate data to invalidate or correct."""

    institution: Institution
    basis: Provision  # Art. 8, verbatim
    listed_on: dt.date
    entries: tuple[CertificateEntry, ...]


def cite(rulebook: Rulebook, clause_id: str, measure_codes: Sequence[str] = ()) -> CitedClause:
    """The clause ``clause_id`` verbatim from ``rulebook``, with the measures its article
    provides (only ``measure_codes`` when given, e.g. the ban of the severity found)."""
    clause = rulebook.clause(clause_id)
    article = rulebook.article_of(clause)
    return CitedClause(
        citation=citation_zh(clause),
        article_text=article.head_zh,
        item_text=clause.text_zh if clause.item is not None else "",
        consequence=_consequence(article, measure_codes, clause_id),
        source=_title(defining_rulebook(rulebook, clause.source)),
    )


def cite_article(
    rulebook: Rulebook, article: int, measure_codes: Sequence[str] = ()
) -> CitedClause:
    """A whole article cited as the basis, verbatim: Art. 8 (a violation found after the
    evaluation) has no items, only its text and its measures on certificates."""
    found = rulebook.articles[article]
    return CitedClause(
        citation=f"第{chinese_number(article)}条",
        article_text=found.head_zh,
        item_text="",
        consequence=_consequence(found, measure_codes, None),
        source=_title(defining_rulebook(rulebook, found.source)),
    )


def _consequence(article: Article, codes: Sequence[str], clause_id: str | None) -> str:
    unknown = sorted(set(codes) - {m.code for m in article.measures})
    if unknown:
        raise ValueError(f"article {article.number} has no measure {', '.join(unknown)}")
    wanted = set(codes)
    return "；".join(
        m.zh
        for m in article.measures
        if (not wanted or m.code in wanted)
        and (not m.clauses or clause_id is None or clause_id in m.clauses)
    )


def provision(rulebook: Rulebook, article: int, paragraph: int | None = None) -> Provision:
    """Article ``article`` (or its ``paragraph``, counted from 1) verbatim from ``rulebook``."""
    found = rulebook.articles[article]
    source = _title(defining_rulebook(rulebook, found.source))
    citation = f"第{chinese_number(article)}条"
    if paragraph is None:
        return Provision(citation, found.head_zh, source)
    paragraphs = found.head_zh.split("\n")
    if not 1 <= paragraph <= len(paragraphs):
        raise ValueError(f"article {article} has {len(paragraphs)} paragraphs, not {paragraph}")
    text = paragraphs[paragraph - 1]
    return Provision(f"{citation}第{chinese_number(paragraph)}款", text, source)


def _title(rulebook: Rulebook) -> str:
    title = rulebook.title_zh.strip()
    return title if title.startswith("《") else f"《{title}》"
