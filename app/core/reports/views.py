"""Plain data the report builders draw from, independent of the database.

``from_records.py`` fills these from the records service; tests build them by hand. Strings are
already in the form to print (Chinese labels included); dates are aware datetimes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from app.core.records.status import SEALED

# The candidate's copy masks ID numbers exactly as the rest of the app does.
from app.core.rosters.idcard import mask_id_number as mask_id_number

if TYPE_CHECKING:
    from app.core.reports.transcribed import PaperRecordView

# One sampled point of a handwritten stroke: x, y (pad pixels, y down), t (ms), pressure (0..1).
StrokePoint = tuple[float, float, float, float]
Stroke = Sequence[StrokePoint]


class Copy(StrEnum):
    """Whose copy of an incident record: the candidate's has the ID number masked."""

    CANDIDATE = "candidate"
    INSTITUTION = "institution"


@dataclass(frozen=True)
class SessionHeaderView:
    """The sitting a report belongs to."""

    institution_name: str
    filing_code: str  # 备案码
    site_name: str
    session_code: str
    session_name: str
    evaluation_type: str  # e.g. 职业技能等级认定
    occupation: str
    level: str  # e.g. 四级/中级工
    subject: str  # e.g. 理论知识
    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str = "Asia/Shanghai"  # the session's zone: every time on the report is in it
    site_address: str = ""  # 考点地址, as the session plan gives it
    institution_contact: str = ""  # 评价机构联系方式, as the session plan gives it


@dataclass(frozen=True)
class PersonView:
    """The person an incident concerns."""

    name: str
    party_label: str  # 参评人员 / 考务管理人员 / …
    id_number: str = ""  # full; masked on the candidate's copy
    candidate_number: str = ""  # 准考证号
    seat: str = ""
    organisation: str = ""  # 工作单位, where the data names one
    id_type_label: str = ""  # the document the number is of: 居民身份证, 护照, …
    staff_number: str = ""  # 工号 of a staff member
    filing_code: str = ""  # 备案码, when the party is the institution


@dataclass(frozen=True)
class SignatureView:
    """A handwritten signature: who, in which role, when, and the pen strokes."""

    name: str
    role: str  # printed as is, e.g. 考务管理人员
    signed_at: dt.datetime
    strokes: Sequence[Stroke]


@dataclass(frozen=True)
class ClauseView:
    """The clause applied, with the verbatim article text from the rulebook."""

    clause_id: str
    article_number: int
    article_head_zh: str  # verbatim head of the article
    clause_text_zh: str  # verbatim item text
    title_zh: str = ""
    citation_zh: str = ""  # 第七条第（四）项, as the rest of the report cites it


@dataclass(frozen=True)
class HandlingView:
    """What the clause provides for; the institution decides (Art. 16–17)."""

    measures_zh: Sequence[str]
    ban_last_day: dt.date | None = None
    # Art. 7 before a decision: the years from it, and whether only a minimum (severity open).
    ban_years: int | None = None
    ban_at_least: bool = False
    notes_zh: Sequence[str] = ()
    # The ban among the measures (its end date is printed on it, so the ban is stated once),
    # and where that date is the rulebook's reading (Art. 6: 当年) rather than the text's.
    ban_index: int | None = None
    ban_reading_zh: str = ""
    # The engine's one sentence (also in ``notes_zh``): it restates the measures listed, so
    # the report prints the list only.
    sentence_zh: str = ""


@dataclass(frozen=True)
class SeizedItemView:
    """An item taken and its receipt; the record holds no count (a receipt per item)."""

    description: str
    receipt_number: str


@dataclass(frozen=True)
class EvidenceFileView:
    file_name: str
    sha256: str
    size_bytes: int
    description: str = ""


@dataclass(frozen=True)
class AcknowledgementView:
    """The person's signature, or a refusal witnessed by staff, or staff witnessing that the
    person had left the site before they could sign (``departed``)."""

    refused: bool
    signature: SignatureView | None = None  # the person's own, when not refused
    witnesses: Sequence[SignatureView] = ()  # who saw the refusal, or that the person had left
    note: str = ""
    departed: bool = False


@dataclass(frozen=True)
class SiteHeadConfirmationView:
    signature: SignatureView
    remarks: str = ""


@dataclass(frozen=True)
class IncidentReportView:
    """Everything printed on an incident record (考场违纪违规行为记录)."""

    record_id: str
    record_number: str
    version: int
    rulebook_label: str  # id@version
    content_hash: str  # hex SHA-256 of the sealed content
    session: SessionHeaderView
    person: PersonView
    occurred_at: dt.datetime
    place: str
    facts: str
    statement: str
    clause: ClauseView | None
    handling: HandlingView | None
    staff_signatures: Sequence[SignatureView] = ()
    acknowledgement: AcknowledgementView | None = None
    site_head: SiteHeadConfirmationView | None = None
    seized_items: Sequence[SeizedItemView] = ()
    evidence: Sequence[EvidenceFileView] = ()
    supersedes_version: int | None = None  # set on an amended record
    amendment_reason: str = ""
    recorded_by: str = ""
    # The record's state when it is not the version in force (void, a draft, replaced), with
    # who and when: printed at the top of every page.
    notice: str = ""
    status: str = "confirmed"  # the stored status (``RecordStatus`` value)
    superseded_by_version: int | None = None  # set when a later version replaced this one
    party: str = "candidate"  # who the record is about: decides who determines (Art. 16)
    # Who confirms it (signing.py): the site head, or a quality supervisor for an institution's
    # record and for one about the site head.
    confirmer_role: str = "考场负责人"
    # What follows the record, for the person's copy: (citation, verbatim text) of Art. 17 ¶1,
    # ¶2 and Art. 19, and the title of the rulebook they are quoted from.
    procedure: Sequence[tuple[str, str]] = ()
    procedure_source: str = ""
    # The elements the clause turns on (5.1–5.3: reminded and refused to correct; Art. 7 and
    # 12: severity; Art. 11: adverse effect; Art. 13: a prior warning) as (label, what was
    # recorded on site, or 待认定).
    elements: Sequence[tuple[str, str]] = ()
    # The recorder confirmed a time outside every subject's exam time (sealed in the content).
    time_outside_subjects_confirmed: bool = False
    # Transcribed from the paper form (依纸质记录誊录): who signed it there.
    paper: PaperRecordView | None = None

    @property
    def confirmed(self) -> bool:
        """Confirmed by the site head and sealed (a draft, an unconfirmed or a void record is
        not; a replaced version still is, and says so)."""
        return self.status in SEALED


@dataclass(frozen=True)
class RoomView:
    name: str
    candidates: int
    present: int | None = None


@dataclass(frozen=True)
class StaffOnDutyView:
    name: str
    role: str
    room: str = ""


@dataclass(frozen=True)
class IncidentLineView:
    """One incident as listed in a session summary."""

    record_number: str
    record_id: str
    version: int
    person_name: str
    party_label: str
    room: str
    occurred_at: dt.datetime
    clause_id: str
    clause_title_zh: str
    article_number: int | None
    handling_zh: str
    signature_status: str  # e.g. 已签 2/2，已确认
    complete: bool
    # The stored status (``RecordStatus`` value): the summary counts only confirmed records.
    status: str = "confirmed"


@dataclass(frozen=True)
class SessionSummaryView:
    session: SessionHeaderView
    staff: Sequence[StaffOnDutyView]
    rooms: Sequence[RoomView]
    incidents: Sequence[IncidentLineView]
    rulebook_label: str
    generated_at: dt.datetime

    def counts_by_article(self) -> list[tuple[int | None, int]]:
        """(article number, incidents) in article order; None for unclassified ones last."""
        counts: dict[int | None, int] = {}
        for line in self.incidents:
            counts[line.article_number] = counts.get(line.article_number, 0) + 1
        numbered = sorted((k, v) for k, v in counts.items() if k is not None)
        rest = [(None, counts[None])] if None in counts else []
        return [*numbered, *rest]


@dataclass(frozen=True)
class BlankFormView:
    """A paper incident form pre-filled with the sitting, for when a laptop fails."""

    session: SessionHeaderView
    rooms: Sequence[str] = ()
    form_number: str = ""
    rulebook_label: str = ""
    staff_lines: int = 2  # Art. 16: two or more staff sign
    # (id, short title) of the clauses for candidates, staff and the institution.
    clause_hints: Sequence[tuple[str, str]] = field(default_factory=tuple)
    staff_clause_hints: Sequence[tuple[str, str]] = field(default_factory=tuple)
    institution_clause_hints: Sequence[tuple[str, str]] = field(default_factory=tuple)
    subjects: Sequence[str] = ()  # the sitting's subjects, to tick one on paper
