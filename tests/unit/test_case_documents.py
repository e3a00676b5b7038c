"""The casework documents (Art. 16–20) built from sample data and read back with real tools:
pdftotext for what they say, pdffonts for embedded fonts, the app's own verifier for the
signature, openpyxl for the XLSX lists."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.core.fonts import find_fallback_fonts
from app.core.reports.decisions.certificates import build_certificate_list_xlsx
from app.core.reports.decisions.decision import build_decision_pdf
from app.core.reports.decisions.model import (
    PRACTICE_LABEL,
    Acknowledgement,
    Ban,
    CertificateEntry,
    CertificateList,
    Deadline,
    Decision,
    Delivery,
    DocumentRef,
    FactRecord,
    Handling,
    Institution,
    MeasureTaken,
    Notice,
    Party,
    Person,
    RegulatorReport,
    Review,
    ReviewOutcome,
    Signatory,
    SiteRecord,
    SiteSigner,
    Sitting,
    cite,
    cite_article,
    provision,
)
from app.core.reports.decisions.notice import build_notice_pdf
from app.core.reports.decisions.parts import site_line
from app.core.reports.decisions.regulator_report import (
    build_regulator_report_pdf,
    build_regulator_report_xlsx,
)
from app.core.reports.decisions.review import ReviewDataError, build_review_pdf
from app.core.reports.decisions.signing import sign_document
from app.core.reports.pdf_verification import check_pdf
from app.core.rulebook.loader import load_rulebook
from app.core.trust.certificates import issue_site, make_root
from app.core.trust.pdf_identity import SigningIdentity, report_identity

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
needs_fallback = pytest.mark.skipif(
    not find_fallback_fonts(), reason="needs the fallback fonts (fonts-hanazono)"
)

RULEBOOK = load_rulebook("cn-national-2021")
SHANGHAI = ZoneInfo("Asia/Shanghai")
INSTITUTION = Institution("华夏职业技能等级评价中心", "BA-2022-0137")
SIGNATORY = Signatory(INSTITUTION, "admin-li", "李主任")
NAME = "欧阳𠮷䶮"  # 𠮷 (Ext. B) and 䶮 (Ext. A): only the fallback font has them
ID_NUMBER = "11010519900307002X"
CANDIDATE = Person(NAME, Party.CANDIDATE, "居民身份证", ID_NUMBER, candidate_number="2027011301")
STAFF = Person(
    "张卫国",
    Party.STAFF,
    "居民身份证",
    "320102198001011234",
    "考务管理人员",
    organisation="第一考点",
)
SITTING = Sitting(
    "S-2027-0113", "电工四级第一场", "北郊第一考点", "电工", "四级/中级工", dt.date(2027, 1, 13)
)
FACT = FactRecord(
    "R-0113-007",
    dt.datetime(2027, 1, 13, 9, 42, tzinfo=SHANGHAI),
    "第3考场",
    "考生在理论知识考试中使用手机查阅答案，监考人员当场制止并暂扣手机。",
    ("王明", "赵丽"),
    "陈考场负责人",
)
BAN = Ban(dt.date(2027, 2, 1), dt.date(2027, 12, 31))
HANDLING = Handling(("取消其当次全部科目评价成绩",), BAN)
RESPOND = Deadline(dt.date(2027, 1, 27), "向本机构提出陈述、申辩意见", "逾期视为放弃")


def notice() -> Notice:
    return Notice(
        number="GZ-2027-003",
        case_ref="C-2027-0001",
        person=CANDIDATE,
        sitting=SITTING,
        facts=(FACT,),
        reasons="当事人在评价过程中使用手机，有两名工作人员签字及考场负责人确认的记录为证。",
        clauses=(cite(RULEBOOK, "6.1"),),
        intended=HANDLING,
        basis=provision(RULEBOOK, 17, 1),
        issued_on=dt.date(2027, 1, 20),
        signatory=SIGNATORY,
        respond=RESPOND,
    )


def decision(delivery: Delivery = Delivery.SERVED) -> Decision:
    return Decision(
        number="JD-2027-003",
        case_ref="C-2027-0001",
        person=CANDIDATE,
        sitting=SITTING,
        facts=(FACT,),
        reasons="当事人的陈述不能推翻经签字确认的记录。",
        clauses=(cite(RULEBOOK, "6.1"),),
        handling=HANDLING,
        objection_route=provision(RULEBOOK, 19),
        issued_on=dt.date(2027, 1, 30),
        signatory=SIGNATORY,
        notice=DocumentRef("GZ-2027-003", "违纪违规行为处理告知书", dt.date(2027, 1, 20)),
        response="当事人称手机仅用于看时间。",
        delivery=delivery,
    )


def review(outcome: ReviewOutcome = ReviewOutcome.CHANGED) -> Review:
    changed = Handling(
        ("取消其当次全部科目评价成绩",), Ban(dt.date(2027, 2, 1), dt.date(2027, 6, 30))
    )
    return Review(
        number="FH-2027-001",
        case_ref="C-2027-0001",
        person=CANDIDATE,
        decision=DocumentRef("JD-2027-003", "违纪违规行为处理决定书", dt.date(2027, 1, 30)),
        decided_handling=HANDLING,
        objection_received_on=dt.date(2027, 2, 3),
        objection="当事人提出手机处于关机状态，请求复核。",
        outcome=outcome,
        reasons="经调取监控，手机确已开机使用。",
        basis=provision(RULEBOOK, 19),
        issued_on=dt.date(2027, 2, 10),
        reviewer=Signatory(INSTITUTION, "admin-wang", "王复核"),
        changed_handling=changed if outcome is ReviewOutcome.CHANGED else None,
    )


def regulator_report() -> RegulatorReport:
    return RegulatorReport(
        number="BB-2027-001",
        case_ref="C-2027-0002",
        regulator="某市人力资源和社会保障局",
        person=STAFF,
        sitting=SITTING,
        facts=(dataclasses.replace(FACT, description="监考人员发现考生作弊未制止也未上报。"),),
        clauses=(cite(RULEBOOK, "9.3"),),
        measures=(
            MeasureTaken(
                "取消其当年参加评价工作的资格",
                "第九条第（三）项",
                dt.date(2027, 1, 30),
                dt.date(2027, 1, 30),
                dt.date(2027, 12, 31),
            ),
            MeasureTaken("=1+1", "第九条第（三）项", dt.date(2027, 1, 30), note="+通报批评"),
        ),
        decision=DocumentRef("JD-2027-004", "违纪违规行为处理决定书", dt.date(2027, 1, 30)),
        basis=provision(RULEBOOK, 16, 2),
        reported_on=dt.date(2027, 2, 2),
        signatory=SIGNATORY,
    )


def certificate_list() -> CertificateList:
    entry = CertificateEntry(
        name=NAME,
        id_type="居民身份证",
        id_number=ID_NUMBER,
        certificate_number="0012027000123",
        occupation="电工",
        level="四级/中级工",
        issued_on=dt.date(2026, 7, 1),
        action="宣布评价成绩无效，证书作废",
        decision_number="JD-2027-009",
        decided_on=dt.date(2027, 3, 1),
        clause="第七条第（四）项",
    )
    other = dataclasses.replace(
        entry,
        name="=1+1",
        id_type="护照",
        id_number="000123456",
        certificate_number="-5",
        action="更正已上网证书数据",
        note="@SUM(A1)",
    )
    return CertificateList(INSTITUTION, provision(RULEBOOK, 8), dt.date(2027, 3, 2), (entry, other))


# --- tools -------------------------------------------------------------------------------


# The body of an A4 page in points, below the header and above the footer: a passage that
# runs on to the next page reads as one without the page furniture in between.
BODY = ["-x", "0", "-y", "51", "-W", "595", "-H", "749"]


def _text(pdf: bytes, tmp_path: Path, name: str = "doc.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *BODY, str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return out.stdout


def _flat(text: str) -> str:
    return "".join(text.split())


def _fonts(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


def _flip(data: bytes, marker: bytes) -> bytes:
    at = data.index(marker)
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> SigningIdentity:
    # As at the institution's computer: no site kit, so the computer's own identity.
    return report_identity(tmp_path_factory.mktemp("institution"), "INST-01")


def _day(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


# --- the notice ----------------------------------------------------------------------------


def test_notice_states_facts_reasons_basis_and_intended_decision(tmp_path: Path) -> None:
    data = notice()
    flat = _flat(_text(build_notice_pdf(data), tmp_path))
    clause = data.clauses[0]
    assert "违纪违规行为处理告知书" in flat
    assert ID_NUMBER in flat  # served on the person: named in full
    assert _flat(FACT.description) in flat
    assert _flat(data.reasons) in flat
    assert _flat(clause.item_text) in flat and _flat(clause.article_text) in flat
    assert _flat(data.basis.text) in flat  # Art. 17 ¶1, verbatim
    assert "第十七条第一款" in flat
    assert "拟作出的处理决定" in flat
    assert _day(BAN.first_day) in flat and _day(BAN.last_day) in flat
    assert "王明、赵丽" in flat and "陈考场负责人" in flat


def test_notice_labels_its_deadline_as_practice_and_only_it(tmp_path: Path) -> None:
    data = notice()
    flat = _flat(_text(build_notice_pdf(data), tmp_path))
    label = _flat(f"【{PRACTICE_LABEL}】")
    assert flat.count(label) == 1
    after = flat[flat.index(label) + len(label) :]
    assert after.startswith(_flat(f"请于 {_day(RESPOND.by)}（含）前{RESPOND.what}"))
    # No line of the guideline carries the label.
    for law in (data.basis.text, data.clauses[0].item_text, data.clauses[0].article_text):
        at = flat.index(_flat(law))
        assert label not in flat[max(0, at - len(label) - 30) : at + len(_flat(law))]

    without = _flat(_text(build_notice_pdf(dataclasses.replace(data, respond=None)), tmp_path))
    assert label not in without and "请于" not in without


def test_a_deadline_the_guideline_sets_is_not_labelled(tmp_path: Path) -> None:
    law = dataclasses.replace(RESPOND, practice=False)
    flat = _flat(_text(build_notice_pdf(dataclasses.replace(notice(), respond=law)), tmp_path))
    assert PRACTICE_LABEL not in flat and "请于" in flat


def _at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2027, 1, 13, hour, minute, tzinfo=SHANGHAI).astimezone(dt.UTC)


REFUSED = SiteRecord(
    staff=(
        SiteSigner("王明", "考务管理人员", _at(9, 50)),
        SiteSigner("赵丽", "考务管理人员", _at(9, 51)),
    ),
    confirmed=SiteSigner("陈晓", "考场负责人", _at(10, 32)),
    acknowledgement=Acknowledgement.REFUSED,
    witnesses=(
        SiteSigner("王明", "考务管理人员", _at(9, 55)),
        SiteSigner("孙强", "考评人员", _at(9, 56)),
    ),
)


def test_each_fact_names_who_signed_it_on_site_and_when(tmp_path: Path) -> None:
    """Art. 16: the staff who signed the record, the candidate's refusal and its witnesses,
    the site head who confirmed it, each with the time in the record's zone."""
    fact = dataclasses.replace(FACT, site=REFUSED)
    line = (
        "现场记录考务管理人员王明（2027-01-1309:50）、赵丽（2027-01-1309:51）签名；"
        "当事人拒绝签名，考务管理人员王明（2027-01-1309:55）、考评人员孙强（2027-01-1309:56）"
        "见证；考场负责人陈晓（2027-01-1310:32）确认"
    )
    for pdf in (
        build_notice_pdf(dataclasses.replace(notice(), facts=(fact,))),
        build_decision_pdf(dataclasses.replace(decision(), facts=(fact,))),
    ):
        flat = _flat(_text(pdf, tmp_path))
        assert line in flat, flat
        assert "签字工作人员" not in flat  # the line takes the place of the names alone

    signed = dataclasses.replace(
        REFUSED, acknowledgement=Acknowledgement.SIGNED, acknowledged_at=_at(9, 52), witnesses=()
    )
    departed = dataclasses.replace(REFUSED, acknowledgement=Acknowledgement.DEPARTED)
    unconfirmed = dataclasses.replace(REFUSED, confirmed=None, acknowledgement=None)
    paper = SiteRecord(
        staff=(SiteSigner("王明", "考务管理人员"), SiteSigner("赵丽", "考评人员")),
        confirmed=SiteSigner("陈晓", "考场负责人", _at(15, 0)),
        acknowledgement=Acknowledgement.SIGNED,
        paper_form="P-0113-02",
    )
    assert "；当事人签名（2027-01-1309:52）；" in _flat(site_line(signed, FACT.zone))
    assert "当事人已离场未签名，考务管理人员王明" in _flat(site_line(departed, FACT.zone))
    assert _flat(site_line(unconfirmed, FACT.zone)).endswith("签名；未经确认")
    assert _flat(site_line(paper, FACT.zone)) == (
        "依纸质记录（表号P-0113-02）誊录：考务管理人员王明、考评人员赵丽在纸质记录上签名；"
        "当事人在纸质记录上签名；考场负责人陈晓（2027-01-1315:00）确认誊录"
    )


# --- the decision --------------------------------------------------------------------------


def test_decision_has_the_ban_days_the_basis_and_the_art19_route(tmp_path: Path) -> None:
    data = decision()
    flat = _flat(_text(build_decision_pdf(data), tmp_path))
    assert "违纪违规行为处理决定书" in flat
    assert ID_NUMBER in flat
    assert _flat(f"自 {_day(BAN.first_day)} 起至 {_day(BAN.last_day)} 止") in flat
    assert _flat(data.clauses[0].item_text) in flat
    assert _flat(data.objection_route.text) in flat  # Art. 19 verbatim
    assert f"向作出本处理决定的{INSTITUTION.name}进行陈述和申辩" in flat
    assert "GZ-2027-003" in flat and _flat(data.response) in flat  # the notice before it
    assert _day(data.issued_on) in flat and SIGNATORY.name in flat and SIGNATORY.account in flat
    assert PRACTICE_LABEL not in flat


def test_an_objection_deadline_is_practice(tmp_path: Path) -> None:
    by = Deadline(dt.date(2027, 2, 15), "提出陈述和申辩", practice=True)
    data = dataclasses.replace(decision(), objection_deadline=by)
    flat = _flat(_text(build_decision_pdf(data), tmp_path))
    assert _flat(f"【{PRACTICE_LABEL}】请于 {_day(by.by)}") in flat


def test_an_announced_decision_masks_the_id_number(tmp_path: Path) -> None:
    flat = _flat(_text(build_decision_pdf(decision(Delivery.ANNOUNCED)), tmp_path))
    assert ID_NUMBER not in flat
    assert "110105********002X" in flat
    assert "（公告）" in flat
    assert "第1页/共" not in flat  # the page furniture is left out of the text read back
    assert _flat(decision().response) not in flat  # the person's answer stays between them
    assert _flat(decision().objection_route.text) in flat


def test_a_case_without_a_sitting_says_so(tmp_path: Path) -> None:
    art8 = dataclasses.replace(
        decision(),
        sitting=None,
        facts=(FactRecord("核查-2027-01", None, "—", "证书核查中发现替考。", (), "李主任"),),
        clauses=(
            cite(RULEBOOK, "7.4", ["all_scores_cancelled", "barred_5_years"]),
            cite_article(RULEBOOK, 8),
        ),
    )
    flat = _flat(_text(build_decision_pdf(art8), tmp_path))
    assert "评价场次无" in flat and "发生时间不详" in flat
    assert _flat(RULEBOOK.articles[8].head_zh) in flat
    assert _flat(RULEBOOK.clause("7.4").text_zh) in flat


# --- the review ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "label"),
    [
        (ReviewOutcome.UPHELD, "维持原处理决定"),
        (ReviewOutcome.CHANGED, "变更原处理决定"),
        (ReviewOutcome.ANNULLED, "撤销原处理决定"),
    ],
)
def test_review_states_objection_outcome_and_first_decision(
    outcome: ReviewOutcome, label: str, tmp_path: Path
) -> None:
    data = review(outcome)
    flat = _flat(_text(build_review_pdf(data), tmp_path))
    assert "违纪违规行为处理复核决定书" in flat
    assert _flat(f"经复核，{label}（JD-2027-003）") in flat
    assert "JD-2027-003" in flat and _day(data.decision.issued_on) in flat
    assert _flat(data.objection) in flat and _day(data.objection_received_on) in flat
    assert _flat(data.basis.text) in flat
    assert "王复核" in flat and "admin-wang" in flat
    if outcome is ReviewOutcome.CHANGED:
        assert _day(dt.date(2027, 6, 30)) in flat


def test_review_outcome_and_handling_must_agree() -> None:
    with pytest.raises(ReviewDataError):
        build_review_pdf(dataclasses.replace(review(), changed_handling=None))
    with pytest.raises(ReviewDataError):
        build_review_pdf(
            dataclasses.replace(review(ReviewOutcome.UPHELD), changed_handling=HANDLING)
        )


# --- the report to the regulator -----------------------------------------------------------


def test_regulator_report_pdf(tmp_path: Path) -> None:
    data = regulator_report()
    flat = _flat(_text(build_regulator_report_pdf(data), tmp_path))
    assert "工作人员违纪违规行为处理情况报备表" in flat
    assert data.regulator in flat and STAFF.id_number in flat and "考务管理人员" in flat
    assert _flat(data.basis.text) in flat and "第十六条第二款" in flat
    assert _flat(data.clauses[0].item_text) in flat
    assert "取消其当年参加评价工作的资格" in flat
    assert _flat("2027年1月30日 至 2027年12月31日") in flat


def _sheet(data: bytes) -> tuple[Worksheet, Worksheet]:
    book = load_workbook(io.BytesIO(data))
    first, about = book.worksheets
    return first, about


def test_regulator_report_xlsx_one_row_per_measure() -> None:
    sheet, about = _sheet(build_regulator_report_xlsx(regulator_report()))
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["报备编号", "案件编号", "姓名", "证件类型", "证件号码"]
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 3  # header and two measures
    col = {name: i + 1 for i, name in enumerate(header)}
    first_day = sheet.cell(2, col["开始日期"])
    assert first_day.is_date and first_day.value == dt.datetime(2027, 1, 30)
    assert sheet.cell(3, col["开始日期"]).value is None
    id_cell = sheet.cell(2, col["证件号码"])
    assert id_cell.data_type == "s" and id_cell.value == "320102198001011234"
    formula = sheet.cell(3, col["处理措施"])
    assert formula.value == "=1+1" and formula.data_type == "s" and formula.quotePrefix
    assert sheet.cell(3, col["备注"]).value == "+通报批评"
    assert sheet.column_dimensions["E"].width >= 20
    assert any(c.value == "报备依据" for c in about["A"])


# --- the Art. 8 certificate list -----------------------------------------------------------


def test_certificate_list_xlsx() -> None:
    sheet, about = _sheet(build_certificate_list_xlsx(certificate_list()))
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["序号", "姓名", "证件类型", "证件号码", "证书编号"]
    assert sheet.freeze_panes == "A2"
    col = {name: i + 1 for i, name in enumerate(header)}
    assert sheet.cell(2, col["姓名"]).value == NAME
    assert sheet.cell(2, col["证件号码"]).value == ID_NUMBER  # its X kept
    zeros = sheet.cell(3, col["证件号码"])
    assert zeros.value == "000123456" and zeros.data_type == "s" and zeros.number_format == "@"
    assert sheet.cell(3, col["证书编号"]).value == "-5"
    name = sheet.cell(3, col["姓名"])
    assert name.value == "=1+1" and name.data_type == "s" and name.quotePrefix
    assert sheet.cell(3, col["备注"]).data_type == "s"
    issued = sheet.cell(2, col["发证日期"])
    assert issued.is_date and issued.value == dt.datetime(2026, 7, 1)
    assert sheet.column_dimensions["D"].width >= 20
    texts = [str(c.value) for c in about["B"]]
    assert any(RULEBOOK.articles[8].head_zh in t for t in texts)


# --- every PDF: fonts, rare characters, signature -------------------------------------------

BUILDERS = {
    "notice": lambda: build_notice_pdf(notice()),
    "decision": lambda: build_decision_pdf(decision()),
    "review": lambda: build_review_pdf(review()),
    "regulator-report": lambda: build_regulator_report_pdf(regulator_report()),
}
KINDS = {
    "notice": "case-notice",
    "decision": "case-decision",
    "review": "case-review",
    "regulator-report": "case-regulator-report",
}


@pytest.mark.parametrize("which", sorted(BUILDERS))
def test_fonts_are_embedded(which: str, tmp_path: Path) -> None:
    fonts = _fonts(BUILDERS[which](), tmp_path)
    assert fonts
    for row in fonts:
        assert row[-5] == "yes", row  # the "emb" column


@needs_fallback
@pytest.mark.parametrize("which", ["notice", "decision", "review"])
def test_rare_characters_of_the_name_are_drawn(which: str, tmp_path: Path) -> None:
    assert NAME in _flat(_text(BUILDERS[which](), tmp_path))


@pytest.mark.parametrize("which", sorted(BUILDERS))
def test_signed_document_validates_and_a_changed_byte_breaks_it(
    which: str, identity: SigningIdentity
) -> None:
    signed = sign_document(BUILDERS[which](), identity, reason=which)
    result = check_pdf(signed, [identity.certificate])
    assert result.intact and result.trusted
    assert result.reference is not None and result.reference.kind == KINDS[which]
    if which != "review":  # a review names the decision, not the sitting
        assert result.reference.session == SITTING.session_code
    damaged = _flip(signed, b"ReportLab PDF Library")
    assert not check_pdf(damaged, [identity.certificate]).intact


# --- the data helpers ----------------------------------------------------------------------


def test_cite_takes_the_rulebook_text_and_chosen_measures() -> None:
    serious = cite(RULEBOOK, "7.4", ["all_scores_cancelled", "barred_5_years"])
    assert serious.citation == "第七条第（四）项"
    assert serious.item_text == RULEBOOK.clause("7.4").text_zh
    assert serious.consequence == "取消其当次全部科目评价成绩；情节严重的，5年内不得参加评价"
    with pytest.raises(ValueError, match="no measure"):
        cite(RULEBOOK, "7.4", ["barred_forever"])


def test_provision_paragraphs() -> None:
    assert provision(RULEBOOK, 16, 2).citation == "第十六条第二款"
    assert provision(RULEBOOK, 16, 2).text.startswith("相关工作人员")
    with pytest.raises(ValueError):
        provision(RULEBOOK, 19, 2)


def test_cite_article_for_an_article_without_items() -> None:
    art8 = cite_article(RULEBOOK, 8, ["certificate_invalidated"])
    assert art8.citation == "第八条" and art8.item_text == ""
    assert art8.article_text == RULEBOOK.articles[8].head_zh
    assert art8.consequence == RULEBOOK.articles[8].measures[0].zh


def test_a_certificate_from_the_institution_root_signs_them_too() -> None:
    # Any identity PdfSigner takes will do: one chained to the institution's root validates
    # against that root alone.
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = make_root(root_key, INSTITUTION.name)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = issue_site(root_key, root, key, INSTITUTION.name, "0" * 32)
    signed = sign_document(
        build_decision_pdf(decision()), SigningIdentity(key, cert, (root,)), reason="决定书"
    )
    assert check_pdf(signed, [root]).trusted


def test_a_staff_ban_keeps_them_from_evaluation_work(tmp_path: Path) -> None:
    staff = dataclasses.replace(
        decision(),
        person=STAFF,
        clauses=(cite(RULEBOOK, "9.3"),),
        handling=Handling((), Ban(dt.date(2027, 1, 30), dt.date(2027, 12, 31))),
    )
    flat = _flat(_text(build_decision_pdf(staff), tmp_path))
    assert _flat("不得参加评价工作，自 2027年1月30日 起至 2027年12月31日 止") in flat
    assert STAFF.id_number in flat and "工作人员（考务管理人员）" in flat
