"""``proctor-desk case notice|decide|review|report-regulator|certificates|export`` at the
institution, on SQLite and PostgreSQL: a case walked through its documents from the command
line (the review by a second admin who took no part), each PDF read with pdftotext and checked
against the institution's root, a staff case's report to the regulator (PDF and XLSX), the Art.
8 list, the export folder; an existing output refused, a refused step in one line, exit 2."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.core.casework import cases
from app.core.reports.pdf_verification import check_pdf
from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import StaffRole
from app.core.trust.institution import load_public
from tests.support.accounts import ADMIN, ADMIN_PASSWORD, act_as, first_admin
from tests.support.case_documents import day, flip, pdf_text
from tests.support.casework import record, send
from tests.support.cli import Run, one_line_error
from tests.support.sync import ADMIN_PASS, make_institution, make_laptop

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
URL_ENV = "PROCTOR_DESK_DATABASE_URL"
RULEBOOK = load_rulebook("cn-national-2021")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "institution"


@pytest.fixture
def institution(
    tmp_path: Path,
    institution_db: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> str | None:
    """An institution that imported a candidate's 7.4 record and an assessor's 10.1; its first
    admin acts, with the institution's passphrase in the environment."""
    inst = make_institution(tmp_path, institution_db)
    laptop = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    record(laptop, inst.session_id, index=0, clause="7.4")
    record(laptop, inst.session_id, party="staff", role=StaffRole.ASSESSOR, clause="10.1")
    folder = tmp_path / "bundles"
    folder.mkdir()
    send(inst, laptop, folder, "one")
    laptop.close()
    inst.ws.close()
    if institution_db is not None:
        monkeypatch.setenv(URL_ENV, institution_db)
    first_admin(inst.ws.data_dir, monkeypatch, passphrase=ADMIN_PASS)
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", ADMIN_PASS)
    capsys.readouterr()
    return institution_db


def case_of(cli: Run, party: str) -> str:
    status, out, err = cli("case", "list", "--json")
    assert status == 0, err
    return next(str(r["id"]) for r in json.loads(out) if r["party"] == party)


def shown(cli: Run, ref: str) -> dict[str, object]:
    status, out, err = cli("case", "show", ref, "--json")
    assert status == 0, err
    case: dict[str, object] = json.loads(out)
    return case


def ok(cli: Run, *argv: str) -> str:
    status, out, err = cli(*argv)
    assert status == 0, err
    return out


def trusted(path: Path, data_dir: Path) -> bool:
    root = load_public(data_dir).root_certificate
    result = check_pdf(path.read_bytes(), [root])
    return result.intact and result.trusted


def test_a_case_through_its_documents_from_the_command_line(
    cli: Run,
    institution: str | None,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PROCTOR_DESK_NEW_PASSWORD", "second-password-1")
    ok(cli, "user", "add", "bo", "--role", "admin")
    ref = case_of(cli, "candidate")
    short = ref[:8]
    today = cases.today()
    out = tmp_path / "out"
    out.mkdir()
    notice = out / "notice.pdf"
    # Refused while the case is open: one line, exit 2, no file.
    status, _out, err = cli("case", "notice", ref, "--out", str(notice))
    assert status == 2 and "notice cannot come now" in one_line_error(err)
    assert not notice.exists()
    ok(cli, "case", "determine", ref, "--severity", "serious")
    status, _out, err = cli("case", "notice", ref, "--seen-version", "1", "--out", str(notice))
    assert status == 2 and "changed since it was read" in one_line_error(err)
    assert shown(cli, ref)["documents"] == []

    said = ok(cli, "case", "notice", ref, "--seen-version", "2", "--out", str(notice))
    assert "noticed (version 3)" in said
    text = pdf_text(notice.read_bytes(), tmp_path)
    person = shown(cli, ref)["person"]
    assert isinstance(person, dict)
    assert "违纪违规行为处理告知书" in text and person["name"] in text
    assert "".join(RULEBOOK.clause("7.4").text_zh.split()) in text
    assert trusted(notice, data_dir)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(flip(notice.read_bytes()))
    assert not trusted(damaged, data_dir)

    decision = out / "decision.pdf"
    decision.write_bytes(b"mine")
    status, _out, err = cli(
        "case", "decide", ref, "--decision-date", today.isoformat(), "--out", str(decision)
    )
    assert status == 2 and "already exists" in one_line_error(err)
    assert decision.read_bytes() == b"mine" and shown(cli, ref)["status"] == "noticed"
    decision.unlink()
    ok(cli, "case", "decide", ref, "--decision-date", today.isoformat(), "--out", str(decision))
    text = pdf_text(decision.read_bytes(), tmp_path)
    first, last = today + dt.timedelta(days=1), today.replace(year=today.year + 5)
    assert f"自{day(first)}起至" in text and str(last.year) in text
    assert "".join(RULEBOOK.articles[19].head_zh.split()) in text
    assert trusted(decision, data_dir)

    ok(cli, "case", "deliver", ref, "--document", "decision", "--method", "post",
       "--date", today.isoformat())  # fmt: skip
    objection = tmp_path / "objection.txt"
    objection.write_text("本人对处理决定不服，申请复核。", encoding="utf-8")
    ok(cli, "case", "object", ref, "--text", str(objection))
    review = out / "review.pdf"
    status, _out, err = cli("case", "review", ref, "--outcome", "upheld", "--out", str(review))
    assert status == 2 and "took part" in one_line_error(err) and not review.exists()
    act_as(monkeypatch, "bo", "second-password-1")
    ok(cli, "case", "review", ref, "--outcome", "upheld", "--out", str(review))
    text = pdf_text(review.read_bytes(), tmp_path)
    assert "维持原处理决定" in text and "本人对处理决定不服，申请复核。" in text
    assert trusted(review, data_dir)
    act_as(monkeypatch, ADMIN, ADMIN_PASSWORD)
    ok(cli, "case", "deliver", ref, "--document", "review", "--method", "post",
       "--date", today.isoformat())  # fmt: skip
    ok(cli, "case", "refer", ref, "--to", "公安机关", "--date", today.isoformat())
    ok(cli, "case", "close", ref)
    case = shown(cli, ref)
    assert case["status"] == "closed"
    documents = case["documents"]
    assert isinstance(documents, list)
    kept = {d["kind"]: d["sha256"] for d in documents}
    for kind, path in (("notice", notice), ("decision", decision), ("review", review)):
        assert kept[kind] == hashlib.sha256(path.read_bytes()).hexdigest()

    # The staff case: decided, then reported to the regulator (PDF and XLSX).
    staff = case_of(cli, "staff")
    ok(cli, "case", "determine", staff)
    ok(cli, "case", "notice", staff, "--out", str(out / "staff-notice.pdf"))
    ok(cli, "case", "decide", staff, "--decision-date", today.isoformat(),
       "--out", str(out / "staff-decision.pdf"))  # fmt: skip
    report, sheet = out / "report.pdf", out / "report.xlsx"
    ok(cli, "case", "report-regulator", staff, "--to", "广东省人力资源和社会保障厅",
       "--date", today.isoformat(), "--out", str(report), "--xlsx", str(sheet))  # fmt: skip
    text = pdf_text(report.read_bytes(), tmp_path)
    assert "工作人员违纪违规行为处理情况报备表" in text and "考评人员" in text
    assert trusted(report, data_dir)
    rows = load_workbook(sheet).worksheets[0]
    assert rows.cell(1, 1).value == "报备编号" and rows.cell(2, 2).value == staff
    status, _out, err = cli("case", "certificates", staff, "--xlsx", str(out / "certificates.xlsx"))
    assert status == 2 and "nothing to list under Art. 8" in one_line_error(err)

    # The export: every case's steps, every kept PDF; a reviewer may; never over a folder.
    monkeypatch.setenv("PROCTOR_DESK_NEW_PASSWORD", "reader-password-1")
    ok(cli, "user", "add", "rita", "--role", "reviewer")
    act_as(monkeypatch, "rita", "reader-password-1")
    status, _out, err = cli("case", "notice", staff, "--out", str(out / "x.pdf"))
    assert status == 2 and "needs an admin" in one_line_error(err)
    folder = tmp_path / "export"
    ok(cli, "case", "export", "--out", str(folder))
    names = sorted(p.name for p in folder.iterdir())
    assert "cases.xlsx" in names
    assert sorted(n for n in names if n.startswith(short)) == sorted(
        f"{short}-{kind}-{d['step']}.pdf"
        for d in documents
        if (kind := d["kind"]) in ("notice", "decision", "review")
    )
    assert any(n.startswith(staff[:8]) and "regulator-report" in n for n in names)
    step = next(d["step"] for d in documents if d["kind"] == "notice")
    assert (folder / f"{short}-notice-{step}.pdf").read_bytes() == notice.read_bytes()
    status, _out, err = cli("case", "export", "--out", str(folder))
    assert status == 2 and "not an empty folder" in one_line_error(err)
    assert sorted(p.name for p in folder.iterdir()) == names


def test_an_art8_certificate_list_from_the_command_line(
    cli: Run, institution: str | None, data_dir: Path, tmp_path: Path
) -> None:
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
    }
    file = tmp_path / "finding.json"
    file.write_text(json.dumps(finding, ensure_ascii=False), encoding="utf-8")
    ok(cli, "case", "open", "--without-record", str(file))
    status, out, _err = cli("case", "list", "--json")
    ref = next(str(r["id"]) for r in json.loads(out) if r["session_id"] is None)
    today = cases.today().isoformat()
    listing = tmp_path / "certificates.xlsx"
    status, _out, err = cli("case", "certificates", ref, "--xlsx", str(listing))
    assert status == 2 and "decide it first" in one_line_error(err) and not listing.exists()
    ok(cli, "case", "determine", ref)
    ok(cli, "case", "notice", ref, "--out", str(tmp_path / "n.pdf"))
    ok(cli, "case", "decide", ref, "--decision-date", today, "--out", str(tmp_path / "d.pdf"))
    ok(cli, "case", "certificates", ref, "--xlsx", str(listing))
    sheet, about = load_workbook(listing).worksheets
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("姓名") + 1).value == "王小明"
    assert sheet.cell(2, header.index("证件号码") + 1).value == "440106199001011234"
    # The finding gave no certificate: the person still has a row, which says so.
    assert sheet.max_row == 2 and sheet.cell(2, header.index("证书编号") + 1).value is None
    assert "未填写证书编号" in str(sheet.cell(2, header.index("备注") + 1).value)
    assert any(RULEBOOK.articles[8].head_zh in str(c.value) for c in about["B"])
    status, _out, err = cli("case", "certificates", ref, "--xlsx", str(listing))
    assert status == 2 and "already exists" in one_line_error(err)
    text = pdf_text((tmp_path / "d.pdf").read_bytes(), tmp_path)
    assert "".join(RULEBOOK.articles[8].head_zh.split()) in text
