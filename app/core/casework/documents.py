"""The casework documents (Art. 16–20) made, signed and kept: the one API the command line and
the windows share (docs/case-documents.md).

Each document is built from the case's own data (``CaseDesk.notice_data`` and the like),
rendered by ``reports.decisions``, signed in the institution's name (``document_identity``: a
fresh key certified by the institution's root for this run) and kept in the file store by its
SHA-256; the step that records it (notice, decide, review, report) is taken in the same
transaction as the store, so a step refused or in conflict keeps nothing. ``read_document``
reads a kept document back, checked against its hash; ``export_cases`` writes every case with
its documents to a new folder (Art. 20).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.core.accounts import ADMIN, REVIEWER, Account, require_role
from app.core.casework import cases, steps
from app.core.casework.errors import CaseInputError, StepRefused
from app.core.casework.service import CaseDesk
from app.core.casework.states import Step, check_step
from app.core.casework.tables import CaseRow
from app.core.errors import UserError
from app.core.records.file_store import evidence_problem, read_evidence, store_evidence
from app.core.records.service import Workspace
from app.core.records.tables import Staff
from app.core.reports.decisions import model as m
from app.core.reports.decisions.certificates import build_certificate_list_xlsx
from app.core.reports.decisions.decision import build_decision_pdf
from app.core.reports.decisions.notice import build_notice_pdf
from app.core.reports.decisions.regulator_report import (
    build_regulator_report_pdf,
    build_regulator_report_xlsx,
)
from app.core.reports.decisions.review import build_review_pdf
from app.core.reports.decisions.sheets import Column, Kind, workbook
from app.core.reports.decisions.signing import sign_document
from app.core.rosters.idtypes import ID_TYPE_LABELS, IdType
from app.core.rulebook.explain import without_pending
from app.core.rulebook.model import ROLE_LABELS_ZH, Rulebook, StaffRole
from app.core.trust.institution import InstitutionIdentity
from app.core.trust.pdf_identity import document_identity

NOTICE, DECISION, REVIEW, REGULATOR_REPORT = "notice", "decision", "review", "regulator-report"
TITLES = {
    NOTICE: "违纪违规行为处理告知书",
    DECISION: "违纪违规行为处理决定书",
    REVIEW: "违纪违规行为处理复核决定书",
    REGULATOR_REPORT: "工作人员违纪违规行为处理情况报备表",
}
# Each document's number: its prefix and the case's first eight characters (one of each kind
# per case), so a later document can name the one before it.
PREFIXES = {NOTICE: "GZ", DECISION: "JD", REVIEW: "FH", REGULATOR_REPORT: "BB"}
DELIVERIES = tuple(d.value for d in m.Delivery)
STAFF_ID_TYPE = "staff_number"


class DocumentError(UserError):
    """A document cannot be made, read or exported as asked."""


class CaseDocument(NamedTuple):
    """A document made by a step: its kind, the SHA-256 the step keeps (of the PDF), the PDF,
    the XLSX (the report to the regulator) and the case as it is after the step."""

    kind: str
    sha256: str
    pdf: bytes | None
    xlsx: bytes | None
    case: dict[str, Any]


# -- the steps that make documents -------------------------------------------------------------


def notice(
    workspace: Workspace,
    account: Account,
    identity: InstitutionIdentity,
    ref: str,
    seen: int,
    *,
    respond_by: dt.date | None = None,
) -> CaseDocument:
    """告知书 (Art. 17 ¶1), signed and kept; the ``notice`` step records it. ``respond_by``:
    the date to answer by (the institution's practice; default its response period)."""
    case_id = _preflight(workspace, account, ref, seen, Step.NOTICE)
    desk = CaseDesk(workspace)
    data = desk.notice_data(account, case_id)
    if not data["intended"].get("violation"):
        raise StepRefused(
            f"case {case_id[:8]}: no violation is established: no decision to intend (close "
            "it); nothing was changed"
        )
    today = cases.today()
    if respond_by is not None and respond_by < today:
        raise CaseInputError(f"respond by: {respond_by} is before today; nothing was changed")
    rulebook = _rulebook(workspace, case_id)
    institution = _institution(identity, data)
    by = respond_by or today + dt.timedelta(days=int(data["response_days"]))
    document = m.Notice(
        number=number_of(NOTICE, case_id),
        case_ref=case_id,
        person=_person(workspace, data),
        sitting=_sitting(data),
        facts=_facts(data),
        reasons=without_pending(str(data.get("reasons") or "")),
        clauses=_clauses(rulebook, data, data["intended"]),
        intended=_handling(data["intended"], None),
        basis=m.provision(rulebook, 17, 1),
        issued_on=today,
        signatory=m.Signatory(institution, account.name, account.name),
        respond=m.Deadline(by, "向本机构提出陈述、申辩意见", "逾期未提出的，视为放弃"),
    )
    pdf = _sign(build_notice_pdf(document), identity, account, NOTICE, document.number)
    return _kept(workspace, account, NOTICE, pdf, None, steps.notice, case_id, seen)


def decide(
    workspace: Workspace,
    account: Account,
    identity: InstitutionIdentity,
    ref: str,
    seen: int,
    *,
    decision_date: dt.date,
    delivery: str = "served",
) -> CaseDocument:
    """处理决定书 (Art. 17 ¶2) with the Art. 19 route to object, its ban counted from
    ``decision_date``; ``delivery``: served on the person, or announced (ID number masked)."""
    if delivery not in DELIVERIES:
        raise CaseInputError(f"delivery: '{delivery}'; use {', '.join(DELIVERIES)}")
    case_id = _preflight(workspace, account, ref, seen, Step.DECIDE)
    desk = CaseDesk(workspace)
    data = desk.decision_data(account, case_id, decision_date)
    shown = desk.show(account, case_id)
    rulebook = _rulebook(workspace, case_id)
    institution = _institution(identity, data)
    notices = [s for s in shown["steps"] if s["kind"] == Step.NOTICE.value]
    responses = [s for s in shown["steps"] if s["kind"] == Step.RESPOND.value]
    objection_by = decision_date + dt.timedelta(days=int(data["objection_days"]))
    document = m.Decision(
        number=number_of(DECISION, case_id),
        case_ref=case_id,
        person=_person(workspace, data),
        sitting=_sitting(data),
        facts=_facts(data),
        reasons=without_pending(str(data.get("reasons") or "")),
        clauses=_clauses(rulebook, data, data["decision"]),
        handling=_handling(data["decision"], data.get("ban")),
        objection_route=m.provision(rulebook, 19),
        issued_on=decision_date,
        signatory=m.Signatory(institution, account.name, account.name),
        notice=m.DocumentRef(number_of(NOTICE, case_id), TITLES[NOTICE], _step_day(notices[-1]))
        if notices
        else None,
        response="\n".join(str(s["details"].get("text", "")) for s in responses),
        objection_deadline=m.Deadline(objection_by, "提出陈述和申辩"),
        delivery=m.Delivery(delivery),
    )
    pdf = _sign(build_decision_pdf(document), identity, account, DECISION, document.number)
    return _kept(
        workspace,
        account,
        DECISION,
        pdf,
        None,
        steps.decide,
        case_id,
        seen,
        decision_date=decision_date,
    )


def review(
    workspace: Workspace,
    account: Account,
    identity: InstitutionIdentity,
    ref: str,
    seen: int,
    *,
    outcome: str,
    **facts: Any,
) -> CaseDocument:
    """复核决定书 (Art. 19) by an admin who took no part in the decision: ``outcome`` upheld,
    changed (with the fact the review determines: ``severity`` or ``adverse_effect``) or
    annulled; ``reasons`` (optional) are the review's own words, else the handling's."""
    reasons_given = facts.pop("reasons", None)
    case_id = _preflight(workspace, account, ref, seen, Step.REVIEW)
    desk = CaseDesk(workspace)
    data = desk.review_data(account, case_id, outcome, **facts)
    rulebook = _rulebook(workspace, case_id)
    institution = _institution(identity, data)
    first = data["first_decision"]
    decided_on = dt.date.fromisoformat(first["decision_date"])
    result = data["review"]
    objections = data["objections"]
    last = objections[-1] if objections else {}
    received = last.get("received_on")
    changed = _handling(result["handling"], result.get("ban")) if outcome == "changed" else None
    reasons = str(reasons_given or "").strip() or _review_reasons(outcome, data)
    document = m.Review(
        number=number_of(REVIEW, case_id),
        case_ref=case_id,
        person=_person(workspace, data),
        decision=m.DocumentRef(number_of(DECISION, case_id), TITLES[DECISION], decided_on),
        decided_handling=_handling(first["handling"], first.get("ban")),
        objection_received_on=dt.date.fromisoformat(received) if received else cases.today(),
        objection=str(last.get("text", "")),
        outcome=m.ReviewOutcome(outcome),
        reasons=reasons,
        basis=m.provision(rulebook, 19),
        issued_on=dt.date.fromisoformat(result["review_date"]),
        reviewer=m.Signatory(institution, account.name, account.name),
        changed_handling=changed,
    )
    pdf = _sign(build_review_pdf(document), identity, account, REVIEW, document.number)
    return _kept(
        workspace, account, REVIEW, pdf, None, steps.review, case_id, seen, outcome=outcome, **facts
    )


def report_to_regulator(
    workspace: Workspace,
    account: Account,
    identity: InstitutionIdentity,
    ref: str,
    seen: int,
    *,
    to: str,
    date: dt.date,
) -> CaseDocument:
    """报备表 (Art. 16 ¶2) of a decided staff case to the regulator ``to``: the PDF (signed,
    kept, its SHA-256 recorded by the ``report`` step) and the XLSX, one row per measure."""
    case_id = _preflight(workspace, account, ref, seen, Step.REPORT)
    desk = CaseDesk(workspace)
    shown = desk.show(account, case_id)
    if shown["party"] != m.Party.STAFF.value:
        raise StepRefused(
            f"case {case_id[:8]}: only a staff case is reported to the regulator (Art. 16 ¶2); "
            "nothing was changed"
        )
    decided = shown["decision"]
    if not decided:
        raise StepRefused(f"case {case_id[:8]}: it is not decided yet; nothing was changed")
    data = desk.notice_data(account, case_id)
    rulebook = _rulebook(workspace, case_id)
    institution = _institution(identity, data)
    decided_on = dt.date.fromisoformat(decided["decision_date"])
    handling = decided["handling"]
    standing = shown["review"] or {}
    if standing.get("handling"):
        handling = standing["handling"]
    ban = _ban(standing.get("ban") or decided.get("ban"))
    clauses = _clauses(rulebook, data, handling)
    citations = ", ".join(c.citation for c in clauses)
    measures = tuple(
        m.MeasureTaken(
            measure,
            citations,
            decided_on,
            ban.first_day if ban else None,
            ban.last_day if ban else None,
        )
        for measure in _measures(handling)
    )
    report = m.RegulatorReport(
        number=number_of(REGULATOR_REPORT, case_id),
        case_ref=case_id,
        regulator=to.strip(),
        person=_person(workspace, data),
        sitting=_sitting(data),
        facts=_facts(data),
        clauses=clauses,
        measures=measures,
        decision=m.DocumentRef(number_of(DECISION, case_id), TITLES[DECISION], decided_on),
        basis=m.provision(rulebook, 16, 2),
        reported_on=date,
        signatory=m.Signatory(institution, account.name, account.name),
    )
    pdf = _sign(
        build_regulator_report_pdf(report), identity, account, REGULATOR_REPORT, report.number
    )
    xlsx = build_regulator_report_xlsx(report)
    return _kept(
        workspace, account, REGULATOR_REPORT, pdf, xlsx, steps.report, case_id, seen, to=to,
        date=date,
    )  # fmt: skip


# The Art. 8 list's notes: a person listed without a certificate number, and whether the
# certificate's data is online (已上网证书数据), as the finding gives it.
NO_CERTIFICATE_NUMBER = "未填写证书编号"
ONLINE = {True: "证书数据已上网", False: "证书数据未上网", None: "证书数据是否上网：未填写"}


def certificate_list(workspace: Workspace, account: Account, ref: str) -> bytes:
    """The Art. 8 list (XLSX) of a decided case found after the evaluation whose certificate
    was issued: one row per certificate the finding lists (its number, occupation, level, issue
    date, whether its data is online), or one row saying no number was given. No step."""
    require_role(account, ADMIN)
    desk = CaseDesk(workspace)
    shown = desk.show(account, ref)
    case_id = str(shown["id"])
    base = shown["without_record"] or {}
    outcome = shown["outcome"] or {}
    combined = outcome.get("combined") or {}
    if not (base.get("certificate_issued") or combined.get("invalidate_certificate")):
        raise DocumentError(
            f"case {case_id[:8]}: no certificate was issued on the evaluation it concerns: "
            "there is nothing to list under Art. 8"
        )
    decided = shown["decision"]
    if not decided:
        raise DocumentError(f"case {case_id[:8]}: decide it first (the list names the decision)")
    data = desk.notice_data(account, case_id)
    rulebook = _rulebook(workspace, case_id)
    sitting = _sitting(data)
    person = _person(workspace, data)
    citations = ", ".join(c.citation for c in _clauses(rulebook, data, decided["handling"]))
    art8 = m.cite_article(rulebook, 8)
    row = m.CertificateEntry(
        name=person.name,
        id_type=person.id_type,
        id_number=person.id_number,
        certificate_number="",
        occupation=sitting.occupation if sitting else "",
        level=sitting.level if sitting else "",
        issued_on=None,
        action=art8.consequence or art8.article_text,
        decision_number=number_of(DECISION, case_id),
        decided_on=dt.date.fromisoformat(decided["decision_date"]),
        clause=f"{citations}; {art8.citation}" if citations else art8.citation,
        note=f"{NO_CERTIFICATE_NUMBER}；证书编号、发证日期以证书核发记录为准",
    )
    given = base.get("certificates") or []
    entries = tuple(_certificate_entry(row, c) for c in given) or (row,)
    listing = m.CertificateList(
        _institution(None, data), m.provision(rulebook, 8), cases.today(), entries
    )
    return build_certificate_list_xlsx(listing)


def _certificate_entry(row: m.CertificateEntry, given: Mapping[str, Any]) -> m.CertificateEntry:
    """The person's row for one certificate of the Art. 8 finding; what the finding leaves
    out (occupation, level) taken from the sitting when the case has one."""
    occupation = str(given.get("occupation") or "")
    work_type = str(given.get("work_type") or "")
    if occupation and work_type:
        occupation = f"{occupation}（{work_type}）"
    issued = given.get("issued_on")
    return dataclasses.replace(
        row,
        certificate_number=str(given["number"]),
        occupation=occupation or work_type or row.occupation,
        level=str(given.get("level") or "") or row.level,
        issued_on=dt.date.fromisoformat(issued) if issued else None,
        note=ONLINE[given.get("online")] + ("" if issued else "；发证日期以证书核发记录为准"),
    )


# -- reading and exporting --------------------------------------------------------------------


def read_document(workspace: Workspace, sha256: str) -> bytes:
    """The kept document ``sha256``, checked against its hash."""
    sha = sha256.strip().lower()
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise DocumentError(f"document '{sha256}': give its SHA-256 (64 hex digits)")
    with workspace.reading() as db:
        try:
            content = read_evidence(db, workspace.data_dir, sha)
        except UserError as exc:
            raise DocumentError(f"document {sha[:12]}…: {exc}") from None
    if hashlib.sha256(content).hexdigest() != sha:  # read_evidence checks; kept as a guard
        raise DocumentError(f"document {sha[:12]}… has changed (its SHA-256 differs)")
    return content


EXPORT_COLUMNS = (
    Column("案件编号", 38, Kind.CODE),
    Column("当事人", 14),
    Column("类别", 10),
    Column("状态", 12),
    Column("条款", 14),
    Column("步骤序号", 8, Kind.CODE),
    Column("步骤", 16),
    Column("账户", 14),
    Column("时间（UTC）", 22),
    Column("案件版本", 8, Kind.CODE),
    Column("文件 SHA-256", 66, Kind.CODE),
    Column("文件名", 36),
    Column("详情", 60),
)
EXPORT_XLSX = "cases.xlsx"
NOT_KEPT = "（未在本系统保存 not kept here）"


def export_cases(workspace: Workspace, account: Account, folder: Path) -> list[Path]:
    """Every case with its documents (Art. 20) into ``folder`` (new, or an empty one): an XLSX
    of the cases and their steps, and every kept PDF named by case and kind. Nothing is
    deleted anywhere; the paths written are returned, the XLSX first."""
    require_role(account, REVIEWER)
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DocumentError(f"{folder}: exists and is not an empty folder; choose a new folder")
    desk = CaseDesk(workspace)
    shown = [desk.show(account, str(row["id"])) for row in desk.list(account)]
    files: list[tuple[str, bytes]] = []
    rows: list[list[str | dt.date | None]] = []
    for case in shown:
        names: dict[str, str] = {}
        for doc in case["documents"]:
            if doc["kind"] not in (NOTICE, DECISION, REVIEW, "report"):
                continue  # a response, objection or conclusion is text kept in the step
            if _missing(workspace, doc["sha256"]):
                names[doc["sha256"]] = NOT_KEPT  # a hash recorded for a file kept elsewhere
                continue
            content = read_document(workspace, doc["sha256"])
            if not content.startswith(b"%PDF"):
                continue
            kind = REGULATOR_REPORT if doc["kind"] == "report" else doc["kind"]
            name = f"{case['id'][:8]}-{kind}-{doc['step']}.pdf"
            names[doc["sha256"]] = name
            files.append((name, content))
        for step in case["steps"]:
            rows.append(
                [
                    case["id"],
                    case["person"]["name"],
                    case["party"],
                    case["status"],
                    ", ".join(case["clauses"]),
                    str(step["seq"]),
                    step["kind"],
                    step["account"] or "",
                    step["at"],
                    str(step["case_version"]),
                    step["document_sha256"] or "",
                    names.get(step["document_sha256"] or "", ""),
                    json.dumps(step["details"], ensure_ascii=False, sort_keys=True),
                ]
            )
    about: list[tuple[str, str | dt.date | None]] = [
        ("表名", "评价机构违纪违规行为处理案件及步骤"),
        ("导出账户", account.name),
        ("导出日期", cases.today()),
        ("案件数", str(len(shown))),
        ("文件数", str(len(files))),
        ("依据", "《技能人才评价违纪违规行为处理工作指引（试行）》第二十条：存档备查"),
    ]
    sheet = workbook("案件及步骤", EXPORT_COLUMNS, rows, "说明", about)
    folder.mkdir(parents=True, exist_ok=True)
    written = [_write_new(folder / EXPORT_XLSX, sheet)]
    for name, content in files:
        written.append(_write_new(folder / name, content))
    return written


def _missing(workspace: Workspace, sha256: str) -> bool:
    """Whether no file is kept under ``sha256`` (a step recorded the hash of a file made
    elsewhere); a kept file that has changed is not missing: reading it fails."""
    with workspace.reading() as db:
        return "missing" in evidence_problem(db, workspace.data_dir, sha256)


def number_of(kind: str, case_id: str) -> str:
    """The document number of ``kind`` for case ``case_id``."""
    return f"{PREFIXES[kind]}-{case_id[:8].upper()}"


# -- the parts --------------------------------------------------------------------------------


def _preflight(workspace: Workspace, account: Account, ref: str, seen: int, step: Step) -> str:
    """The step's own first checks (role, version, order) before any document is made; the
    step checks them again when it is taken."""
    require_role(account, ADMIN)
    with workspace.reading() as db:
        case = cases.resolve(db, ref)
        cases.check_version(db, case, seen)
        check_step(case.id[:8], case.status, case.party, step)
        return case.id


def _rulebook(workspace: Workspace, case_id: str) -> Rulebook:
    with workspace.reading() as db:
        return cases.rulebook_of(cases.resolve(db, case_id))


def _sign(
    pdf: bytes, identity: InstitutionIdentity, account: Account, kind: str, number: str
) -> bytes:
    signer = document_identity(identity, account.name)
    return sign_document(pdf, signer, reason=f"{TITLES[kind]} {number}")


def _kept(
    workspace: Workspace,
    account: Account,
    kind: str,
    pdf: bytes,
    xlsx: bytes | None,
    step: Callable[..., CaseRow],
    case_id: str,
    seen: int,
    **kwargs: Any,
) -> CaseDocument:
    """The step taken with the PDF's SHA-256 and the PDF kept, in one transaction: a step
    refused or in conflict raises before anything is kept."""
    sha = hashlib.sha256(pdf).hexdigest()
    with workspace.transaction() as db:
        step(db, workspace.device, case_id, seen, account, document_sha256=sha, **kwargs)
        _store(db, workspace.data_dir, pdf, sha)
    return CaseDocument(kind, sha, pdf, xlsx, CaseDesk(workspace).show(account, case_id))


def _store(db: Session, data_dir: Path, content: bytes, sha: str) -> None:
    with tempfile.TemporaryDirectory(prefix="case-document-") as tmp:
        source = Path(tmp) / sha
        source.write_bytes(content)
        stored, _size = store_evidence(db, data_dir, source, media_type="application/pdf")
    if stored != sha:
        raise DocumentError(f"document {sha[:12]}…: stored as {stored[:12]}…; nothing was kept")


def _write_new(path: Path, content: bytes) -> Path:
    with open(path, "xb") as out:  # never over a file that is there
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    return path


def _institution(identity: InstitutionIdentity | None, data: Mapping[str, Any]) -> m.Institution:
    """The institution as its documents name it: its own identity's name; its filing code as
    the sitting's session gives it."""
    session = _session(data) or {}
    given = session.get("institution") or {}
    name = identity.public.name if identity is not None else str(given.get("name") or "")
    return m.Institution(name or "评价机构", str(given.get("filing_code") or ""))


def _session(data: Mapping[str, Any]) -> dict[str, Any] | None:
    for fact in data.get("facts", []):
        if isinstance(fact.get("session"), dict):
            session: dict[str, Any] = fact["session"]
            return session
    return None


def _person(workspace: Workspace, data: Mapping[str, Any]) -> m.Person:
    person = data["person"]
    party = m.Party(data["party"])
    id_type = str(person.get("id_type") or "")
    role = ""
    if party is m.Party.STAFF:
        role = _staff_role(workspace, str(data["case_id"]))
    label = (
        "工作人员编号"
        if id_type == STAFF_ID_TYPE
        else ID_TYPE_LABELS.get(IdType(id_type), id_type)
        if id_type in IdType._value2member_map_
        else id_type
    )
    return m.Person(
        name=str(person["name"]),
        party=party,
        id_type=label,
        id_number=str(person.get("id_number") or ""),
        role=role,
    )


def _staff_role(workspace: Workspace, case_id: str) -> str:
    with workspace.reading() as db:
        case = cases.resolve(db, case_id)
        key = getattr(case, "person_key", None)
        if key is None:
            return ""
        staff = db.exec(select(Staff).where(col(Staff.id) == key)).first()
    if staff is None:
        return ""
    try:
        return ROLE_LABELS_ZH[StaffRole(staff.role)]
    except (ValueError, KeyError):
        return str(staff.role)


def _sitting(data: Mapping[str, Any]) -> m.Sitting | None:
    session = _session(data)
    if session is None:
        return None
    site = session.get("site") or {}
    day = min(dt.date.fromisoformat(str(f["date"])) for f in data["facts"] if f.get("date"))
    return m.Sitting(
        session_code=str(session.get("id") or data.get("session_id") or ""),
        session_name=str(session.get("evaluation_type") or ""),
        site=str(site.get("name") or ""),
        occupation=str(session.get("occupation") or ""),
        level=str(session.get("level") or ""),
        date=day,
    )


def _facts(data: Mapping[str, Any]) -> tuple[m.FactRecord, ...]:
    out = []
    for fact in data["facts"]:
        if fact.get("incident_id") is None:  # an Art. 8 finding
            confirmed = fact.get("confirmed_by") or {}
            staff = tuple(str(s.get("name", "")) for s in confirmed.get("staff", []))
            responsible = confirmed.get("responsible") or {}
            out.append(
                m.FactRecord(
                    number=f"事后核查（{fact.get('discovered_on', '')}）",
                    occurred_at=None,
                    place="—",
                    description=str(fact.get("description") or ""),
                    signed_by=staff,
                    confirmed_by=str(responsible.get("name") or ""),
                )
            )
            continue
        session = fact.get("session") or {}
        zone = str(session.get("timezone") or m.SHANGHAI)
        when = dt.datetime.fromisoformat(str(fact["occurred_at"]).replace("Z", "+00:00"))
        place = " ".join(p for p in (str(fact.get("room") or ""), _seat(fact.get("seat"))) if p)
        site = _site_record(fact)
        out.append(
            m.FactRecord(
                number=str(fact.get("number") or ""),
                occurred_at=when.astimezone(ZoneInfo(zone)),
                place=place or "—",
                description=str(fact.get("description") or ""),
                signed_by=tuple(s.name for s in site.staff),
                confirmed_by=site.confirmed.name if site.confirmed is not None else "",
                zone=zone,
                site=site,
            )
        )
    return tuple(out)


_PAPER_WORD = {a.value: a for a in m.Acknowledgement}
_WORD_OF_KIND = {
    "acknowledge": m.Acknowledgement.SIGNED,
    "refusal_witness": m.Acknowledgement.REFUSED,
    "departure_witness": m.Acknowledgement.DEPARTED,
}


def _role_zh(role: str) -> str:
    try:
        return ROLE_LABELS_ZH[StaffRole(role)]
    except ValueError:
        return ""  # not a staff role (the candidate's own signature): no role printed


def _site_signer(raw: Mapping[str, Any]) -> m.SiteSigner:
    at = raw.get("signed_at")
    return m.SiteSigner(
        name=str(raw.get("name") or ""),
        role=_role_zh(str(raw.get("role") or "")),
        signed_at=dt.datetime.fromisoformat(str(at).replace("Z", "+00:00")) if at else None,
    )


def _site_record(fact: Mapping[str, Any]) -> m.SiteRecord:
    """How the record version was signed (Art. 16), from the signatures that attest it; a
    record transcribed from paper: who signed the paper as its sealed content names them,
    and the site head's confirmation of the transcription."""
    by_kind: dict[str, list[Mapping[str, Any]]] = {}
    for raw in fact.get("signatures") or []:
        by_kind.setdefault(str(raw.get("kind")), []).append(raw)
    confirms = by_kind.get("confirm") or []
    confirmed = _site_signer(confirms[0]) if confirms else None
    paper = fact.get("paper")
    if isinstance(paper, Mapping):
        word = paper.get("acknowledgement") or {}
        return m.SiteRecord(
            staff=tuple(_site_signer(s) for s in paper.get("staff_signed_on_paper") or []),
            confirmed=confirmed,
            acknowledgement=_PAPER_WORD.get(str(word.get("kind") or "")),
            witnesses=tuple(_site_signer(w) for w in word.get("witnesses") or []),
            paper_form=str(paper.get("paper_form_number") or "") or "—",
        )
    acknowledgement: m.Acknowledgement | None = None
    acknowledged_at: dt.datetime | None = None
    witnesses: tuple[m.SiteSigner, ...] = ()
    for kind, word in _WORD_OF_KIND.items():  # one of them; their own signature first
        if by_kind.get(kind):
            acknowledgement = word
            if word is m.Acknowledgement.SIGNED:
                acknowledged_at = _site_signer(by_kind[kind][0]).signed_at
            else:
                witnesses = tuple(_site_signer(w) for w in by_kind[kind])
            break
    return m.SiteRecord(
        staff=tuple(_site_signer(s) for s in by_kind.get("staff") or []),
        confirmed=confirmed,
        acknowledgement=acknowledgement,
        acknowledged_at=acknowledged_at,
        witnesses=witnesses,
    )


def _seat(seat: Any) -> str:
    return "" if seat in (None, "") else f"{seat}号座位"


def _clauses(
    rulebook: Rulebook, data: Mapping[str, Any], result: Mapping[str, Any]
) -> tuple[m.CitedClause, ...]:
    """Each clause applied, verbatim, with the measures the engine found for it."""
    codes: dict[str, list[str]] = {}
    for record in result.get("records", []):
        outcome = record.get("outcome") or {}
        clause = outcome.get("clause")
        if clause:
            codes.setdefault(str(clause), []).extend(
                str(x["code"]) for x in outcome.get("measures", []) if "code" in x
            )
    cited = []
    applied: Sequence[str] = result.get("applied_clauses") or [
        b["clause"] for b in data.get("basis", [])
    ]
    for clause_id in applied:
        try:
            cited.append(m.cite(rulebook, clause_id, codes.get(clause_id, [])))
        except ValueError:  # a measure of another article: the clause's own measures
            cited.append(m.cite(rulebook, clause_id))
    if data.get("facts") and data["facts"][0].get("incident_id") is None:
        cited.append(m.cite_article(rulebook, 8))
    return tuple(cited)


def _measures(result: Mapping[str, Any]) -> list[str]:
    combined = result.get("combined")
    if combined:
        return [str(x["zh"]) for x in combined.get("measures", [])]
    seen: list[str] = []
    for record in result.get("records", []):
        for measure in (record.get("outcome") or {}).get("measures", []):
            if measure.get("zh") and measure["zh"] not in seen:
                seen.append(str(measure["zh"]))
    return seen


def _ban(ban: Mapping[str, Any] | None) -> m.Ban | None:
    if not ban or ban.get("elapsed"):  # an Art. 6 ban decided after its year has ended
        return None
    return m.Ban(dt.date.fromisoformat(ban["first_day"]), dt.date.fromisoformat(ban["last_day"]))


def _handling(result: Mapping[str, Any], ban: Mapping[str, Any] | None) -> m.Handling:
    combined = result.get("combined") or {}
    referral = "依法移送有关部门处理" if combined.get("referral") else ""
    return m.Handling(tuple(_measures(result)), _ban(ban), referral)


def _review_reasons(outcome: str, data: Mapping[str, Any]) -> str:
    review = data["review"]
    if outcome == "changed":
        explanation = str((review.get("handling") or {}).get("explanation") or "")
        return f"经复核，认定的事实有变更：{without_pending(explanation)}".strip("：")
    if outcome == "annulled":
        return "经复核，原处理决定予以撤销。"
    reasons = without_pending(str(data.get("reasons", "")))
    return f"经复核，原处理决定认定的事实和适用的依据无误：{reasons}".strip("：")


def _step_day(step: Mapping[str, Any]) -> dt.date:
    at = dt.datetime.fromisoformat(str(step["at"]).replace("Z", "+00:00"))
    return cases.local_day(at)
