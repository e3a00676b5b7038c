"""The casework documents as the case makes them, on both engines: a case from an imported
bundle walked through determine → notice → decide → deliver → object → review (by a second
admin who took no part) → close, each document read back with pdftotext, its signature checked
against the institution's root, the kept copy read back; a refused or conflicting step keeps
nothing; a staff case's report to the regulator; an Art. 8 certificate list; the export."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from app.core.casework import cases, documents
from app.core.casework.errors import CaseInputError, EditConflict, StepRefused
from app.core.casework.service import CaseDesk
from app.core.records.file_store import evidence_path
from app.core.records.tables import Signature
from app.core.records.transcription import parse_spec, transcribe_paper
from app.core.reports.formatting import when
from app.core.reports.pdf_verification import check_pdf
from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import StaffRole
from app.core.trust.pdf_identity import document_identity
from tests.support.case_documents import day, flat, flip, pdf_text
from tests.support.casework import ANNA, BO, FAKE_SHA, READER, record, send
from tests.support.sync import Institution, make_institution, make_laptop
from tests.support.transcription import HEAD_PIN, write_scan

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
RULEBOOK = load_rulebook("cn-national-2021")


def imported(tmp_path: Path, inst: Institution, *parties: str) -> CaseDesk:
    """The institution after importing a bundle: a candidate's 7.4 record (Art. 7: its ban is
    counted from the decision date) and, when asked, a staff member's 10.1."""
    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    record(laptop, inst.session_id, index=0, clause="7.4")
    if "staff" in parties:
        record(laptop, inst.session_id, party="staff", role=StaffRole.ASSESSOR, clause="10.1")
    folder = tmp_path / "bundles"
    folder.mkdir()
    send(inst, laptop, folder, "one")
    laptop.close()
    return CaseDesk(inst.ws)


def site_lines(inst: Institution, ref: str) -> list[str]:
    """The 现场记录 line each record of case ``ref`` should print, from the signatures the
    import brought (names as the session's staff rows give them, Beijing times): the two
    exam admins who signed, the candidate's own signature and the site head's confirmation."""
    staff = {s.id: s for s in inst.ws.staff(inst.session_id)}
    with inst.ws.reading() as db:
        held = cases.held_ids(db, ref)
        rows = db.exec(
            select(Signature)
            .where(col(Signature.incident_id).in_(held))
            .order_by(col(Signature.signed_at), col(Signature.id))
        ).all()
    lines = []
    for incident_id in held:
        mine = [r for r in rows if r.incident_id == incident_id]
        signed = {k: [r for r in mine if r.kind == k] for k in ("staff", "acknowledge", "confirm")}
        a, b = (staff[str(r.staff_id)] for r in signed["staff"])
        head = staff[str(signed["confirm"][0].staff_id)]
        assert {a.role, b.role, head.role} == {"exam_admin", "site_head"}
        at = [when(r.signed_at) for r in [*signed["staff"], *signed["acknowledge"]]]
        confirmed = when(signed["confirm"][0].signed_at)
        lines.append(
            f"考务管理人员{a.name}（{at[0]}）、{b.name}（{at[1]}）签名"
            + (f"；当事人签名（{at[2]}）" if signed["acknowledge"] else "")
            + f"；考场负责人{head.name}（{confirmed}）确认"
        )
    return [flat(line) for line in lines]


def case_of(desk: CaseDesk, party: str) -> str:
    return next(str(r["id"]) for r in desk.list(READER) if r["party"] == party)


def trusted(pdf: bytes, inst: Institution) -> bool:
    result = check_pdf(pdf, [inst.identity.public.root_certificate])
    return result.intact and result.trusted


def stored_count(inst: Institution) -> int:
    """Documents kept so far: files in the data folder's store, or rows in the database."""
    from sqlalchemy import text

    if inst.ws.engine.dialect.name == "sqlite":
        return sum(1 for p in (inst.ws.data_dir / "evidence").rglob("*") if p.is_file())
    with inst.ws.reading() as db:
        return int(db.execute(text("select count(*) from stored_file")).scalar_one())


def test_a_case_walked_through_its_documents(
    tmp_path: Path, inst: Institution, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = imported(tmp_path, inst)
    ref = case_of(desk, "candidate")
    desk.determine(ANNA, ref, 1, severity="serious")
    today = cases.today()
    name = desk.show(ANNA, ref)["person"]["name"]
    institution = inst.identity.public.name

    made = documents.notice(inst.ws, ANNA, inst.identity, ref, 2)
    assert made.kind == "notice" and made.case["status"] == "noticed" and made.pdf is not None
    text = pdf_text(made.pdf, tmp_path)
    clause = RULEBOOK.clause("7.4")
    assert "违纪违规行为处理告知书" in text and name in text and institution in text
    # Made after the determination: no "pending the institution's determination" left in it.
    assert "待评价机构" not in text
    assert "".join(clause.text_zh.split()) in text
    assert "".join(RULEBOOK.articles[17].head_zh.split("\n")[0].split()) in text
    # Art. 16: who signed the record on site and who confirmed it, with the times.
    signed = site_lines(inst, ref)
    assert signed and all(f"现场记录{line}" in text for line in signed), (signed, text)
    assert trusted(made.pdf, inst)
    assert not check_pdf(flip(made.pdf), [inst.identity.public.root_certificate]).intact
    assert documents.read_document(inst.ws, made.sha256) == made.pdf
    assert [d["sha256"] for d in made.case["documents"]] == [made.sha256]

    decided = documents.decide(inst.ws, ANNA, inst.identity, ref, 3, decision_date=today)
    assert decided.pdf is not None and decided.case["status"] == "decided"
    text = pdf_text(decided.pdf, tmp_path)
    ban = decided.case["decision"]["ban"]
    first, last = (dt.date.fromisoformat(ban[k]) for k in ("first_day", "last_day"))
    assert first == today + dt.timedelta(days=1) and last.year == today.year + 5
    assert "违纪违规行为处理决定书" in text and name in text and "待评价机构" not in text
    assert f"自{day(first)}起至{day(last)}止" in text
    assert "".join(RULEBOOK.articles[19].head_zh.split()) in text  # Art. 19 verbatim
    assert f"向作出本处理决定的{institution}进行陈述和申辩" in text
    assert documents.number_of("notice", ref) in text  # the notice before it
    assert all(f"现场记录{line}" in text for line in signed)
    assert trusted(decided.pdf, inst)
    assert documents.read_document(inst.ws, decided.sha256) == decided.pdf

    desk.deliver(ANNA, ref, 4, document="decision", method="post", date=today)
    desk.object_to(ANNA, ref, 5, text="本人对处理决定不服，申请复核。")
    # The reviewer rule: anna took part; nothing is kept for her refused review.
    before = stored_count(inst)
    with pytest.raises(StepRefused, match="took part"):
        documents.review(inst.ws, ANNA, inst.identity, ref, 6, outcome="upheld")
    assert stored_count(inst) == before
    reviewed = documents.review(inst.ws, BO, inst.identity, ref, 6, outcome="upheld")
    assert reviewed.pdf is not None and reviewed.case["status"] == "reviewed"
    text = pdf_text(reviewed.pdf, tmp_path)
    assert "违纪违规行为处理复核决定书" in text and "维持原处理决定" in text
    assert "待评价机构" not in text
    assert "本人对处理决定不服，申请复核。" in text and "bo" in text
    assert documents.number_of("decision", ref) in text
    assert trusted(reviewed.pdf, inst)
    signer = check_pdf(reviewed.pdf, [inst.identity.public.root_certificate]).signatures[0]
    assert "bo" in signer.signer and institution in signer.signer

    desk.deliver(ANNA, ref, 7, document="review", method="in_person", date=today)
    desk.refer(ANNA, ref, 8, to="公安机关", date=today)  # Art. 7, serious: 移送
    closed = desk.close(ANNA, ref, 9)
    assert closed["status"] == "closed"
    assert [d["kind"] for d in closed["documents"]] == ["notice", "decision", "objection", "review"]


def test_a_refused_or_conflicting_step_keeps_nothing(tmp_path: Path, inst: Institution) -> None:
    desk = imported(tmp_path, inst)
    ref = case_of(desk, "candidate")
    before = stored_count(inst)
    with pytest.raises(StepRefused, match="notice cannot come now"):
        documents.notice(inst.ws, ANNA, inst.identity, ref, 1)  # still open
    desk.determine(ANNA, ref, 1, severity="minor")
    with pytest.raises(EditConflict):
        documents.notice(inst.ws, ANNA, inst.identity, ref, 1)  # version 2 now
    assert stored_count(inst) == before
    assert desk.show(ANNA, ref)["documents"] == []

    # A conflict that comes between the document's making and its step: rolled back whole.
    made = []
    real = documents._sign

    def sign_then_someone_acts(*args: object) -> bytes:
        pdf = real(*args)  # type: ignore[arg-type]
        made.append(pdf)
        desk.determine(BO, ref, 2, severity="serious")
        return pdf

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents, "_sign", sign_then_someone_acts)
        with pytest.raises(EditConflict):
            documents.notice(inst.ws, ANNA, inst.identity, ref, 2)
    assert made and stored_count(inst) == before
    with pytest.raises(documents.DocumentError, match="missing"):
        documents.read_document(inst.ws, hashlib.sha256(made[0]).hexdigest())


def test_a_record_transcribed_from_paper_names_its_paper_signers(tmp_path: Path) -> None:
    """A record entered from the paper form after a laptop failed: the notice names the staff
    who signed the paper, the candidate's refusal and its witnesses, and the site head who
    confirmed the transcription (the only signature the app holds). SQLite only: the engines
    are compared by the test above."""
    inst = make_institution(tmp_path, None)
    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    staff = laptop.staff(inst.session_id)
    head = next(s for s in staff if s.role == StaffRole.SITE_HEAD)
    a, b = [s for s in staff if s.role == StaffRole.EXAM_ADMIN][:2]
    spec = parse_spec(
        {
            "session": inst.session_id,
            "paper_form_number": "P-0002",
            "person": {"ticket_number": laptop.candidates(inst.session_id)[0].ticket_number},
            "clause": "7.4",
            "occurred_at": "2024-06-15T09:40",
            "subject": "理论知识",
            "description": "考生由他人替考。",
            "signed_on_paper": {"staff": [a.staff_number, b.staff_number]},
            "acknowledgement": {"kind": "refused", "witnesses": [a.staff_number, b.staff_number]},
        }
    )
    transcribe_paper(laptop, spec, write_scan(tmp_path), head.name, HEAD_PIN)
    folder = tmp_path / "bundles"
    folder.mkdir()
    send(inst, laptop, folder, "one")
    laptop.close()
    desk = CaseDesk(inst.ws)
    ref = case_of(desk, "candidate")
    desk.determine(ANNA, ref, 1, severity="minor")
    with inst.ws.reading() as db:
        (confirmed,) = db.exec(
            select(Signature.signed_at).where(
                col(Signature.incident_id).in_(cases.held_ids(db, ref))
            )
        ).all()
    made = documents.notice(inst.ws, ANNA, inst.identity, ref, 2)
    text = pdf_text(made.pdf or b"", tmp_path)
    line = (
        f"现场记录依纸质记录（表号 P-0002）誊录：考务管理人员 {a.name}、{b.name}"
        f"在纸质记录上签名；当事人拒绝签名，考务管理人员 {a.name}、{b.name}见证；"
        f"考场负责人 {head.name}（{when(confirmed)}）确认誊录"
    )
    assert flat(line) in text, text


def test_an_altered_kept_document_is_refused(tmp_path: Path, inst: Institution) -> None:
    desk = imported(tmp_path, inst)
    ref = case_of(desk, "candidate")
    desk.determine(ANNA, ref, 1, severity="minor")
    made = documents.notice(inst.ws, ANNA, inst.identity, ref, 2)
    if inst.ws.engine.dialect.name == "sqlite":
        path = evidence_path(inst.ws.data_dir, made.sha256)
        path.chmod(0o644)
        path.write_bytes(flip(path.read_bytes()))
    else:
        from sqlalchemy import text

        with inst.ws.transaction() as db:
            db.execute(
                text("update stored_file set content = :c where name = :n"),
                {"c": flip(made.pdf or b""), "n": made.sha256},
            )
    with pytest.raises(documents.DocumentError, match="changed"):
        documents.read_document(inst.ws, made.sha256)


def test_a_staff_case_reported_to_the_regulator(tmp_path: Path, inst: Institution) -> None:
    desk = imported(tmp_path, inst, "staff")
    ref = case_of(desk, "staff")
    today = cases.today()
    desk.determine(ANNA, ref, 1)
    documents.notice(inst.ws, ANNA, inst.identity, ref, 2)
    documents.decide(inst.ws, ANNA, inst.identity, ref, 3, decision_date=today)
    desk.deliver(ANNA, ref, 4, document="decision", method="post", date=today)
    report = documents.report_to_regulator(
        inst.ws, ANNA, inst.identity, ref, 5, to="广东省人力资源和社会保障厅", date=today
    )
    assert report.pdf is not None and report.xlsx is not None
    text = pdf_text(report.pdf, tmp_path)
    assert "工作人员违纪违规行为处理情况报备表" in text and "广东省人力资源和社会保障厅" in text
    assert "考评人员" in text and "第十六条第二款" in text
    assert all(f"现场记录{line}" in text for line in site_lines(inst, ref))
    assert "".join(RULEBOOK.clause("10.1").text_zh.split()) in text
    assert trusted(report.pdf, inst)
    assert report.case["steps"][-1]["kind"] == "report"
    assert report.case["steps"][-1]["document_sha256"] == report.sha256
    sheet = load_workbook(io.BytesIO(report.xlsx)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["报备编号", "案件编号", "姓名"]
    assert sheet.max_row >= 2 and sheet.cell(2, 2).value == ref
    # A candidate's case is never reported (Art. 16 ¶2): refused before anything is made.
    other = case_of(desk, "candidate")
    with pytest.raises(StepRefused):
        documents.report_to_regulator(inst.ws, ANNA, inst.identity, other, 1, to="x", date=today)


def test_an_art8_certificate_list_and_the_export(tmp_path: Path, inst: Institution) -> None:
    desk = imported(tmp_path, inst)
    finding = {
        "person": {"name": "王小明", "id_type": "resident_id", "id_number": "440106199001011234"},
        "clause": "7.4",
        "severity": "serious",
        "date": "2024-06-15",
        "discovered_on": "2024-07-20",
        "certificate_issued": True,
        "description": "事后核查发现系他人替考。",
        "confirmed_by": {
            "staff": [
                {"name": "刘一", "role": "考务管理人员"},
                {"name": "陈二", "role": "考评人员"},
            ],
            "responsible": {"name": "赵主任", "role": "考场负责人"},
        },
        "certificates": [
            {
                "number": "0012024000123",
                "occupation": "电工",
                "work_type": "维修电工",
                "level": "四级/中级工",
                "issued_on": "2024-08-01",
                "online": True,
            },
            {"number": "=1+1", "level": "三级/高级工"},
        ],
    }
    # A bad certificate entry: refused naming it, nothing made.
    before = desk.list(ANNA)
    bad = {**finding, "certificates": [{"number": "0012024000123"}, {"number": " "}]}
    with pytest.raises(CaseInputError, match=r"certificates\[1\].number: empty; give the number"):
        desk.open_without_record(ANNA, bad)
    assert desk.list(ANNA) == before
    case = desk.open_without_record(ANNA, finding)
    ref = str(case["id"])
    with pytest.raises(documents.DocumentError, match="decide it first"):
        documents.certificate_list(inst.ws, ANNA, ref)
    today = cases.today()
    desk.determine(ANNA, ref, case["version"])
    documents.notice(inst.ws, ANNA, inst.identity, ref, case["version"] + 1)
    announced = documents.decide(
        inst.ws, ANNA, inst.identity, ref, case["version"] + 2, decision_date=today,
        delivery="announced",
    )  # fmt: skip
    text = pdf_text(announced.pdf or b"", tmp_path)
    assert "（公告）" in text and "440106********1234" in text
    assert "440106199001011234" not in text  # announced: the ID number masked
    assert "".join(RULEBOOK.articles[8].head_zh.split()) in text
    assert "刘一、陈二" in text and "赵主任" in text  # who confirmed the finding
    listing = load_workbook(io.BytesIO(documents.certificate_list(inst.ws, ANNA, ref)))
    sheet, about = listing.worksheets
    header = [c.value for c in sheet[1]]
    col = {name: i + 1 for i, name in enumerate(header)}
    assert sheet.max_row == 3  # one row per certificate
    for row in (2, 3):
        assert sheet.cell(row, col["姓名"]).value == "王小明"
        assert sheet.cell(row, col["证件号码"]).value == "440106199001011234"
        assert sheet.cell(row, col["处理决定书编号"]).value == documents.number_of("decision", ref)
    number = sheet.cell(2, col["证书编号"])
    assert number.value == "0012024000123"  # its leading zeros kept
    assert number.data_type == "s" and number.number_format == "@"
    assert sheet.cell(2, col["职业（工种）"]).value == "电工（维修电工）"
    assert sheet.cell(2, col["等级"]).value == "四级/中级工"
    issued = sheet.cell(2, col["发证日期"])
    assert issued.is_date and issued.value == dt.datetime(2024, 8, 1)
    assert sheet.cell(2, col["备注"]).value == "证书数据已上网"
    formula = sheet.cell(3, col["证书编号"])
    assert formula.value == "=1+1" and formula.data_type == "s" and formula.quotePrefix
    assert sheet.cell(3, col["等级"]).value == "三级/高级工"
    assert sheet.cell(3, col["发证日期"]).value is None
    assert "未填写" in str(sheet.cell(3, col["备注"]).value)
    assert any(RULEBOOK.articles[8].head_zh in str(c.value) for c in about["B"])
    counts = {a.value: b.value for a, b in about.iter_rows(max_col=2)}
    assert counts["条目数"] == "2" and counts["证书数（有编号）"] == "2"
    with pytest.raises(documents.DocumentError, match="no certificate"):
        documents.certificate_list(inst.ws, ANNA, case_of(desk, "candidate"))

    # A step that recorded the hash of a file made elsewhere: listed, not exported.
    other = case_of(desk, "candidate")
    desk.determine(ANNA, other, 1, severity="minor")
    desk.notice(ANNA, other, 2, document_sha256=FAKE_SHA)
    out = tmp_path / "export"
    written = documents.export_cases(inst.ws, READER, out)
    names = sorted(p.name for p in out.iterdir())
    assert sorted(p.name for p in written) == names
    assert "cases.xlsx" in names
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert sorted(n.split("-")[1] for n in pdfs) == ["decision", "notice"]
    assert all(n.startswith(ref[:8]) for n in pdfs)
    for pdf in pdfs:
        assert trusted((out / pdf).read_bytes(), inst)
    steps = load_workbook(out / "cases.xlsx").worksheets[0]
    kept_as = {str(r[10].value): str(r[11].value or "") for r in steps.iter_rows(min_row=2)}
    assert kept_as[FAKE_SHA] == documents.NOT_KEPT
    assert steps.max_row - 1 == sum(
        len(desk.show(READER, str(r["id"]))["steps"]) for r in desk.list(READER)
    )
    with pytest.raises(documents.DocumentError, match="not an empty folder"):
        documents.export_cases(inst.ws, READER, out)
    assert sorted(p.name for p in out.iterdir()) == names  # nothing deleted


def test_the_signing_certificate_is_the_institutions(inst: Institution) -> None:
    from cryptography import x509

    signer = document_identity(inst.identity, "anna")
    cert = signer.certificate
    assert signer.chain == (inst.identity.public.root_certificate,)
    assert cert.issuer == inst.identity.public.root_certificate.subject
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36") in eku
    assert "anna" in signer.signer_name and inst.identity.public.name in signer.signer_name
    assert document_identity(inst.identity, "anna").key != signer.key  # a fresh key each run
