"""Report views built from the records workspace (the database of one data folder)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.records.amendment_reason import amendment_reason
from app.core.records.incident_time import OUTSIDE_CONFIRMED
from app.core.records.incidents import IncidentFilters
from app.core.records.service import Workspace
from app.core.records.status import EDITABLE, SEALED, RecordStatus
from app.core.records.tables import from_utc_text
from app.core.reports.formatting import SHANGHAI, when, with_end_date
from app.core.reports.transcribed import paper_record_view, paper_status
from app.core.reports.views import (
    AcknowledgementView,
    BlankFormView,
    ClauseView,
    EvidenceFileView,
    HandlingView,
    IncidentLineView,
    IncidentReportView,
    PersonView,
    RoomView,
    SeizedItemView,
    SessionHeaderView,
    SessionSummaryView,
    SignatureView,
    SiteHeadConfirmationView,
    StaffOnDutyView,
    StrokePoint,
)
from app.core.rosters.idtypes import ID_TYPE_LABELS, IdType
from app.core.rulebook.explain import (
    FACT_LABEL_ZH,
    chinese_number,
    citation_zh,
    defining_rulebook,
    is_ban_code,
)
from app.core.rulebook.model import ROLE_LABELS_ZH, Party, Rulebook, StaffRole

ROLE_ZH = {
    **{role.value: label for role, label in ROLE_LABELS_ZH.items()},
    "candidate": "参评人员",
    "staff": "工作人员",
}
PARTY_ZH = {
    Party.CANDIDATE.value: "参评人员",
    Party.STAFF.value: "工作人员",
    Party.INSTITUTION.value: "评价机构",
}
STATUS_NOTICE: dict[str, str] = {
    RecordStatus.DRAFT: "草稿：本记录为草稿，尚未签名确认，不作为认定和处理的依据。",
    RecordStatus.SIGNED: "未确认：本记录已有工作人员签名，尚待考场负责人确认，内容仍可修改。",
    RecordStatus.VOID: "已作废：本记录已作废，不作为认定和处理的依据。",
}


def role_zh(role: str) -> str:
    return ROLE_ZH.get(role, role)


def session_header(session: Mapping[str, Any], subject: str | None = None) -> SessionHeaderView:
    """The sitting's details; ``subject`` narrows the times to that subject's."""
    subjects = list(session["subjects"])
    chosen = [s for s in subjects if s["name"] == subject] or subjects
    if chosen:
        starts = min(from_utc_text(s["starts_at"]) for s in chosen)
        ends = max(from_utc_text(s["ends_at"]) for s in chosen)
    else:
        starts = ends = from_utc_text(session["created_at"])
    occupation = session["occupation"]
    if session.get("work_type"):
        occupation += f"（{session['work_type']}）"
    return SessionHeaderView(
        institution_name=session["institution"]["name"],
        filing_code=session["institution"]["filing_code"],
        site_name=session["site"]["name"],
        session_code=str(session["id"])[:8],
        session_name=f"{session['evaluation_type']} {_local_day(starts, session)}",
        evaluation_type=session["evaluation_type"],
        occupation=occupation,
        level=session["level"],
        subject=subject or "、".join(s["name"] for s in subjects),
        starts_at=starts,
        ends_at=ends,
        timezone=str(session.get("timezone") or SHANGHAI),
        site_address=str(session["site"].get("address") or ""),
        institution_contact=str(session["institution"].get("contact") or ""),
    )


def _local_day(instant: dt.datetime, session: Mapping[str, Any]) -> str:
    from app.core.records.sessions import local_date

    return local_date(instant, session["timezone"])


def _strokes(raw: Sequence[Sequence[Sequence[int | None]]]) -> list[list[StrokePoint]]:
    # Stored as whole numbers [x, y, t_ms, pressure‰]; time and pressure may be null.
    return [
        [(float(p[0] or 0), float(p[1] or 0), float(p[2] or 0), (p[3] or 0) / 1000) for p in stroke]
        for stroke in raw
    ]


def _signature(raw: Mapping[str, Any]) -> SignatureView:
    return SignatureView(
        name=raw["signer_name"],
        role=role_zh(raw["role"]),
        signed_at=from_utc_text(raw["signed_at"]),
        strokes=_strokes(raw["strokes"]),
    )


def _person(content: Mapping[str, Any], session: Mapping[str, Any]) -> PersonView:
    person = content["person"]
    party = content["party"]
    if person is None:
        if party == Party.INSTITUTION:
            # As sealed with the record (records made before that: the session's tables).
            institution = {**session["institution"], **content["session"].get("institution", {})}
            return PersonView(
                institution["name"], PARTY_ZH[party], filing_code=institution["filing_code"]
            )
        return PersonView("（未选定）", PARTY_ZH.get(party, party))
    if person["kind"] == "candidate":
        seat = ""
        if content.get("room"):
            seat = f"{content['room']} {content['seat']}号" if content.get("seat") else ""
        return PersonView(
            name=person["name"],
            party_label=PARTY_ZH[Party.CANDIDATE.value],
            id_number=person.get("id_number", ""),
            candidate_number=person.get("ticket_number", ""),
            seat=seat,
            id_type_label=id_type_label(person.get("id_type")),
        )
    # The employer where the staff list names one; the staff number as what it is.
    return PersonView(
        name=person["name"],
        party_label=f"工作人员（{role_zh(person['role'])}）",
        staff_number=str(person.get("staff_number") or ""),
        organisation=str(person.get("employer") or ""),
    )


def id_type_label(id_type: object) -> str:
    """居民身份证, 护照, … for a stored document type; a type this app does not know is
    printed as stored, and none (records from before types were kept) as 证件."""
    if not id_type:
        return "证件"
    try:
        return ID_TYPE_LABELS[IdType(str(id_type))]
    except ValueError:
        return str(id_type)


def clause_view(workspace: Workspace, rulebook_id: str, clause_id: str) -> ClauseView:
    """The clause and its article's verbatim text, from the rulebook."""
    rulebook = workspace.rulebook(rulebook_id)
    clause = rulebook.clause(clause_id)
    article = rulebook.article_of(clause)
    return ClauseView(
        clause.id,
        article.number,
        article.head_zh,
        clause.text_zh,
        clause.title_zh,
        citation_zh=citation_zh(clause),
    )


PERIOD_START_ZH = "期间起算以处理决定为准"
_YEARS = re.compile(r"(\d+)年内不得参加评价")


@dataclass(frozen=True)
class _Ban:
    """What a stored outcome says of a ban, as the report prints it."""

    measures_zh: list[str]  # the ban measure carries when its period runs, if undated
    last_day: dt.date | None
    at_least_years: int | None  # severity open: no ban measure, the shortest period
    index: int | None = None  # which measure is the ban
    reading_zh: str = ""  # the dated end is the rulebook's reading of the text


# Art. 6 says 当年 only; the 31 December is this rulebook's reading of it (its note 解读).
CURRENT_YEAR_READING_ZH = "此日期为本规则库对“当年”的解读：评价所在的公历年度"


def _ban(outcome: Mapping[str, Any], facts: Mapping[str, Any]) -> _Ban:
    measures = list(outcome.get("measures", []))
    texts = [str(m["zh"]) for m in measures]
    last = outcome.get("ban_until")
    years = outcome.get("ban_years")
    if "ban_years" not in outcome and last and not facts.get("decision_date"):
        # Made before bans were left undated: its date was counted from the incident, as if
        # decided that day. Print the period instead of that guess.
        found = [_YEARS.search(t) for t in texts]
        years = next((int(m.group(1)) for m in found if m), None)
        if years is not None:
            last = None
    bans = [i for i, m in enumerate(measures) if is_ban_code(str(m["code"]))]
    if last:
        index = bans[0] if bans else None
        current_year = index is not None and measures[index]["code"] == "barred_current_year"
        reading = CURRENT_YEAR_READING_ZH if current_year else ""
        return _Ban(texts, dt.date.fromisoformat(str(last)), None, index, reading)
    if not isinstance(years, int):
        return _Ban(texts, None, None)
    if not bans:
        return _Ban(texts, None, years)
    texts[bans[0]] += f"（{PERIOD_START_ZH}）"
    return _Ban(texts, None, None, bans[0])


def _handling(outcome: Mapping[str, Any] | None, facts: Mapping[str, Any]) -> HandlingView | None:
    if not outcome:
        return None
    notes: list[str] = []
    # An older record's sentence read as a decision, dated a ban from the incident and named
    # the institution for every party: its measures and the heading say what applies.
    if outcome.get("explanation") and outcome.get("explanation_version"):
        notes.append(str(outcome["explanation"]))
    pending = [str(p) for p in outcome.get("pending", [])]
    if pending:
        notes.append("尚待确认的事实：" + "、".join(FACT_LABEL_ZH.get(p, p) for p in pending))
    ban = _ban(outcome, facts)
    return HandlingView(
        measures_zh=ban.measures_zh,
        ban_last_day=ban.last_day,
        ban_years=ban.at_least_years,
        ban_at_least=ban.at_least_years is not None,
        notes_zh=notes,
        ban_index=ban.index,
        ban_reading_zh=ban.reading_zh,
        sentence_zh=str(outcome["explanation"]) if outcome.get("explanation_version") else "",
    )


def incident_view(workspace: Workspace, ref: str) -> IncidentReportView:
    """The report view of one record version (by id, id prefix or number)."""
    detail = workspace.incident(ref)
    content = detail["content"]
    session = workspace.session(detail["session_id"])
    rulebook = content.get("rulebook")
    rulebook_id = rulebook["id"] if rulebook else session["rulebook_id"]
    clause = clause_view(workspace, rulebook_id, content["clause"]) if content["clause"] else None
    signatures = [
        s
        for s in detail["signatures"]
        if not s["voided"] and s["content_hash"] == detail["content_hash"]
    ]
    by_kind: dict[str, list[SignatureView]] = {}
    for raw in signatures:
        by_kind.setdefault(raw["kind"], []).append(_signature(raw))
    acknowledgement: AcknowledgementView | None = None
    if by_kind.get("acknowledge"):
        acknowledgement = AcknowledgementView(refused=False, signature=by_kind["acknowledge"][0])
    elif by_kind.get("refusal_witness"):
        acknowledgement = AcknowledgementView(refused=True, witnesses=by_kind["refusal_witness"])
    elif by_kind.get("departure_witness"):
        acknowledgement = AcknowledgementView(
            refused=False, departed=True, witnesses=by_kind["departure_witness"]
        )
    confirm = by_kind.get("confirm")
    supersedes_version, reason = None, None
    if detail["supersedes"]:
        supersedes_version = int(workspace.incident(detail["supersedes"])["version"])
        reason = amendment_reason(workspace, detail["id"])
    notice, superseded_by_version = _status_notice(workspace, detail, session)
    sealed_site = (content["session"].get("site") or {}).get("name")
    place = content.get("room") or sealed_site or session["site"]["name"]
    return IncidentReportView(
        record_id=detail["id"],
        record_number=detail["number"],
        version=int(detail["version"]),
        rulebook_label=f"{rulebook['id']}@{rulebook['version']}" if rulebook else rulebook_id,
        content_hash=detail["content_hash"],
        # The details sealed with the record (records made before they were sealed: the
        # session's tables).
        session=session_header({**session, **content["session"]}, content.get("subject")),
        person=_person(content, session),
        occurred_at=from_utc_text(content["occurred_at"]),
        place=place,
        facts=content["description"],
        statement=content.get("statement") or "",
        clause=clause,
        handling=_handling(content.get("outcome"), content.get("facts") or {}),
        staff_signatures=by_kind.get("staff", []),
        acknowledgement=acknowledgement,
        site_head=SiteHeadConfirmationView(confirm[0]) if confirm else None,
        seized_items=[
            SeizedItemView(s["description"], s["receipt_number"]) for s in content["seized_items"]
        ],
        evidence=[
            EvidenceFileView(e["name"], e["sha256"], int(e["size"]), e.get("media_type", ""))
            for e in content["evidence"]
        ],
        supersedes_version=supersedes_version,
        amendment_reason=reason or "",
        notice=notice,
        status=str(detail["status"]),
        superseded_by_version=superseded_by_version,
        party=str(content.get("party") or "candidate"),
        confirmer_role=role_zh(_confirmer_role(content)),
        procedure=procedure_zh(workspace.rulebook(rulebook_id)),
        elements=_elements(workspace, rulebook_id, content),
        procedure_source=_procedure_source(workspace.rulebook(rulebook_id)),
        time_outside_subjects_confirmed=bool(content.get(OUTSIDE_CONFIRMED, False)),
        paper=paper_record_view(content),
    )


# What the person is told follows the record: the notice before a decision and the written
# decision (Art. 17), and the statement, defence and review (Art. 19).
PROCEDURE_ARTICLES = (17, 19)


def procedure_zh(rulebook: Rulebook) -> list[tuple[str, str]]:
    """(``第十七条第一款``, verbatim paragraph) for each paragraph of Art. 17 and 19."""
    out: list[tuple[str, str]] = []
    for number in PROCEDURE_ARTICLES:
        article = rulebook.articles.get(number)
        if article is None:
            continue
        paragraphs = [p.strip() for p in article.head_zh.split("\n") if p.strip()]
        for index, paragraph in enumerate(paragraphs, start=1):
            cited = f"第{chinese_number(number)}条"
            if len(paragraphs) > 1:
                cited += f"第{chinese_number(index)}款"
            out.append((cited, paragraph))
    return out


# What each element the clauses turn on is called on the report, and how a recorded value reads.
ELEMENT_LABEL_ZH = {
    "warned": "经工作人员提醒",
    "refused": "经提醒拒不改正",
    "severity": "情节轻重",
    "adverse_effect": "造成不良影响",
    "prior_warning": "已被警告且整改后再次违反",
}
SEVERITY_ZH = {"minor": "情节轻微（现场判断）", "serious": "情节严重（现场判断）"}
UNDETERMINED_ZH = "待认定"


def _element_value(fact: str, value: object) -> str:
    if value is None:
        return UNDETERMINED_ZH
    if fact == "severity":
        return SEVERITY_ZH.get(str(value), str(value))
    if isinstance(value, bool):
        return "是（现场记录）" if value else "否（现场记录）"
    return str(value)


def _elements(
    workspace: Workspace, rulebook_id: str, content: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """The facts the applied clause turns on, as recorded, or 待认定 where nothing was."""
    if not content.get("clause"):
        return []
    clause = workspace.rulebook(rulebook_id).clause(content["clause"])
    facts = content.get("facts") or {}
    return [
        (
            ELEMENT_LABEL_ZH.get(f.value, FACT_LABEL_ZH.get(f.value, f.value)),
            _element_value(f.value, facts.get(f.value)),
        )
        for f in clause.facts
    ]


def _procedure_source(rulebook: Rulebook) -> str:
    """The title of the rulebook that defines Art. 17 (the national guideline, also under a
    provincial rulebook that extends it)."""
    article = rulebook.articles.get(PROCEDURE_ARTICLES[0])
    source = defining_rulebook(rulebook, article.source if article else "")
    title = source.title_zh.strip()
    return title if title.startswith("《") else f"《{title}》"


def _confirmer_role(content: Mapping[str, Any]) -> str:
    """Who confirms the record, as ``signing.confirm`` requires: a quality supervisor for an
    institution's record and for one about the site head, else the site head."""
    person = content.get("person") or {}
    if content["party"] == Party.INSTITUTION or (
        content["party"] == Party.STAFF and person.get("role") == StaffRole.SITE_HEAD
    ):
        return StaffRole.SUPERVISOR.value
    return StaffRole.SITE_HEAD.value


def _by_whom_when(entry: Mapping[str, Any] | None, session: Mapping[str, Any], verb: str) -> str:
    """``于 2024-06-15 10:20 由 陈静（考场负责人）作废``, from an audit entry (the actor left
    out when the entry names none, e.g. a change made through the bare API)."""
    if entry is None:
        return ""
    zone = str(session.get("timezone") or SHANGHAI)
    out = f"于 {when(from_utc_text(entry['at']), zone)}"
    staff = {p["id"]: p for p in session["staff"]}
    actor = staff.get(entry.get("actor_id"))
    if actor is not None:
        out += f" 由 {actor['name']}（{role_zh(actor['role'])}）"
    return out + verb


def _last_entry(detail: Mapping[str, Any], action: str) -> Mapping[str, Any] | None:
    found = [e for e in detail["audit"] if e["action"] == action]
    return found[-1] if found else None


def _status_notice(
    workspace: Workspace, detail: Mapping[str, Any], session: Mapping[str, Any]
) -> tuple[str, int | None]:
    """The banner printed on every page of a version that is not the record in force (void,
    a draft or unconfirmed, or replaced by a later version), with who and when; and the
    replacing version's number."""
    status = detail["status"]
    parts: list[str] = []
    if status in STATUS_NOTICE:
        parts.append(STATUS_NOTICE[status])
    if status == RecordStatus.VOID:
        done = _by_whom_when(_last_entry(detail, "void"), session, "作废")
        if done:
            parts.append(f"本记录{done}。")
        if detail.get("void_reason"):
            parts.append(f"作废原因：{detail['void_reason']}")
    elif status == RecordStatus.DRAFT:
        # A first version is created; an amendment is made by the ``amend`` entry.
        if detail.get("supersedes") is None:
            made = _by_whom_when(_last_entry(detail, "create"), session, "创建")
        else:
            made = _by_whom_when(_last_entry(detail, "amend"), session, "更正创建")
        if made:
            parts.append(f"本版本{made}。")
    replaced_by: int | None = None
    if detail.get("superseded_by"):
        newer = workspace.incident(str(detail["superseded_by"]))
        replaced_by = int(newer["version"])
        done = _by_whom_when(_last_entry(newer, "amend"), session, "更正")
        named = f"第 {replaced_by} 版（记录 ID {newer['id']}）"
        if newer["status"] in SEALED:
            parts.append(f"本版本已被更正版本替代：{named}{done}，以第 {replaced_by} 版为准。")
        else:  # the amendment is still being signed: nothing replaces this version yet
            parts.append(f"本版本已被更正版本替代：{named}{done}，该版本尚未确认。")
    return "".join(parts), replaced_by


def _signature_status(detail: Mapping[str, Any]) -> tuple[str, bool]:
    paper = paper_record_view(detail["content"])
    if paper is not None:  # signed on paper: the app holds no staff signature rows
        return paper_status(paper), detail["status"] in SEALED
    valid = [
        s
        for s in detail["signatures"]
        if not s["voided"] and s["content_hash"] == detail["content_hash"]
    ]
    kinds = Counter(s["kind"] for s in valid)
    parts = [f"工作人员 {kinds['staff']} 人"]
    if detail["content"]["person"] is not None:
        if kinds["acknowledge"]:
            parts.append("当事人已签")
        elif kinds["refusal_witness"]:
            parts.append("拒签已见证")
        elif kinds["departure_witness"]:
            parts.append("离场已见证")
        else:
            parts.append("当事人未签")
    parts.append("已确认" if kinds["confirm"] else "待确认")
    return " · ".join(parts), detail["status"] in SEALED  # exported is confirmed too


def _handling_line(outcome: Mapping[str, Any] | None, facts: Mapping[str, Any]) -> str:
    if not outcome:
        return ""
    ban = _ban(outcome, facts)
    line = "；".join(with_end_date(ban.measures_zh, ban.last_day, ban.index, ban.reading_zh))
    if ban.last_day is None and ban.at_least_years is not None:
        line += f"；不得参加评价的期限不少于{ban.at_least_years}年（{PERIOD_START_ZH}）"
    return line


def session_summary_view(
    workspace: Workspace, session_ref: str, now: dt.datetime | None = None
) -> SessionSummaryView:
    """Staff, rooms, and every current incident record of the session."""
    session = workspace.session(workspace.resolve_session_id(session_ref))
    session_id = session["id"]
    per_room = Counter(c.room for c in workspace.candidates(session_id))
    rooms = [RoomView(r["name"], per_room.get(r["name"], 0)) for r in session["rooms"]]
    room_of = {r["responsible"]: r["name"] for r in session["rooms"] if r.get("responsible")}
    staff = [
        StaffOnDutyView(p["name"], role_zh(p["role"]), room_of.get(p["name"], ""))
        for p in session["staff"]
    ]
    filters = IncidentFilters(session_id=session_id)
    total = workspace.count_incidents(filters)
    summaries = workspace.list_incidents(filters, 0, max(total, 1))
    lines: list[IncidentLineView] = []
    for summary in sorted(summaries, key=lambda s: (s.occurred_at, s.number)):
        detail = workspace.incident(summary.id)
        lines.append(_incident_line(workspace, session, detail))
        if detail["status"] in EDITABLE and detail["supersedes"]:
            # An amendment still being signed replaces nothing yet: the confirmed version it
            # amends stays the record in force (listed, though the default list hides it).
            older = workspace.incident(detail["supersedes"])
            lines.append(_incident_line(workspace, session, older))
    return SessionSummaryView(
        session=session_header(session),
        staff=staff,
        rooms=rooms,
        incidents=lines,
        rulebook_label=workspace.rulebook(session["rulebook_id"]).label,
        generated_at=now or dt.datetime.now(dt.UTC),
    )


def _incident_line(
    workspace: Workspace, session: Mapping[str, Any], detail: Mapping[str, Any]
) -> IncidentLineView:
    """One record version as the session summary lists it."""
    content = detail["content"]
    status, complete = _signature_status(detail)
    outcome = content.get("outcome")
    title = ""
    article: int | None = None
    if content["clause"]:
        rulebook_id = (content.get("rulebook") or {}).get("id", session["rulebook_id"])
        clause = clause_view(workspace, rulebook_id, content["clause"])
        title, article = clause.title_zh, clause.article_number
    if detail["status"] == RecordStatus.VOID:
        status = "已作废 · " + status
    return IncidentLineView(
        record_number=detail["number"],
        record_id=detail["id"],
        version=int(detail["version"]),
        person_name=(content["person"] or {}).get("name", session["institution"]["name"]),
        party_label=PARTY_ZH.get(content["party"], content["party"]),
        room=content.get("room") or "—",
        occurred_at=from_utc_text(content["occurred_at"]),
        clause_id=content["clause"] or "",
        clause_title_zh=title,
        article_number=article,
        handling_zh=_handling_line(outcome, content.get("facts") or {}),
        signature_status=status,
        complete=complete,
        status=str(detail["status"]),
    )


def blank_form_view(workspace: Workspace, session_ref: str) -> BlankFormView:
    """A paper form for this session: its subjects and rooms, and every party's clauses
    with their short titles."""
    session = workspace.session(workspace.resolve_session_id(session_ref))
    rulebook = workspace.rulebook(session["rulebook_id"])

    def hints(party: Party) -> tuple[tuple[str, str], ...]:
        return tuple((c.id, c.title_zh) for c in rulebook.clauses_for(party))

    return BlankFormView(
        session=session_header(session),
        rooms=tuple(r["name"] for r in session["rooms"]),
        rulebook_label=rulebook.label,
        clause_hints=hints(Party.CANDIDATE),
        staff_clause_hints=hints(Party.STAFF),
        institution_clause_hints=hints(Party.INSTITUTION),
        subjects=tuple(s["name"] for s in session["subjects"]),
    )


def stored_record_state(workspace: Workspace, record_id: str) -> dict[str, object] | None:
    """A record version's content hash, status, void reason and the version that replaced
    it, as the database holds them; None if it is unknown."""
    from app.core.records.content import IncidentError

    try:
        detail = workspace.incident(record_id)
        replaced = detail.get("superseded_by")
        version = workspace.incident(str(replaced))["version"] if replaced else None
    except IncidentError:
        return None
    return {
        "content_hash": str(detail["content_hash"]),
        "status": detail["status"],
        "void_reason": detail.get("void_reason"),
        "superseded_by_version": version,
    }


def stored_content_hash(workspace: Workspace, record_id: str) -> str | None:
    """The content hash the database holds for a record version, or None if it is unknown."""
    from app.core.records.content import IncidentError

    try:
        return str(workspace.incident(record_id)["content_hash"])
    except IncidentError:
        return None
