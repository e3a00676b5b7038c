"""``proctor-desk report``: PDFs from the demo session, signed, and checked by ``report verify``."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from app.core.demo.seed import DEMO_PIN, DemoSession, seed_demo
from app.core.records.service import Workspace
from app.core.reports.pdf_verification import check_pdf, load_certificates
from app.core.rulebook.loader import load_rulebook
from tests.support.cli import run
from tests.support.pdf import flat_pdf_text


def _candidate_incident(folder: Path, demo: DemoSession) -> dict[str, Any]:
    with Workspace.open(folder) as workspace:
        for incident_id in demo.incident_ids:
            detail = workspace.incident(incident_id)
            if detail["party"] == "candidate":
                return detail
    raise AssertionError("the demo has no candidate incident")


def test_incident_report_is_signed_and_names_the_article(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = demo
    detail = _candidate_incident(folder, session)
    out = tmp_path / "incident.pdf"
    assert run(folder, "report", "incident", detail["id"], "--out", str(out)) == 0
    assert "signed by Proctor Desk device" in capsys.readouterr().out
    text = flat_pdf_text(out)
    content = detail["content"]
    rulebook = load_rulebook(content["rulebook"]["id"])
    clause = rulebook.clause(content["clause"])
    assert "".join(rulebook.article_of(clause).head_zh.split()) in text
    assert "".join(clause.text_zh.split()) in text
    assert content["person"]["name"] in text
    assert content["person"]["id_number"] in text  # the institution's copy
    assert detail["content_hash"] in text
    result = check_pdf(out.read_bytes())
    assert result.intact
    assert result.reference is not None
    assert result.reference.record_id == detail["id"]
    assert result.reference.content_hash == detail["content_hash"]


def test_candidate_copy_masks_the_id_number(demo: tuple[Path, DemoSession], tmp_path: Path) -> None:
    folder, session = demo
    detail = _candidate_incident(folder, session)
    out = tmp_path / "candidate.pdf"
    assert (
        run(
            folder, "report", "incident", detail["number"], "--copy", "candidate", "--out", str(out)
        )
        == 0
    )
    id_number = detail["content"]["person"]["id_number"]
    text = flat_pdf_text(out)
    assert id_number not in text
    assert id_number[:6] in text and id_number[-4:] in text


def test_session_summary_and_blank_form(demo: tuple[Path, DemoSession], tmp_path: Path) -> None:
    folder, session = demo
    summary, blank = tmp_path / "session.pdf", tmp_path / "blank.pdf"
    assert run(folder, "report", "session", session.session_id[:8], "--out", str(summary)) == 0
    assert (
        run(folder, "report", "blank-form", "--session", session.session_id, "--out", str(blank))
        == 0
    )
    with Workspace.open(folder) as workspace:
        numbers = [workspace.incident(i)["number"] for i in session.incident_ids]
        detail = workspace.session(session.session_id)
    text = flat_pdf_text(summary)
    for number in numbers:
        assert number in text
    # The demo confirms every record: all are in force, none listed apart.
    assert f"违纪违规记录（已确认{len(numbers)}条）" in text
    assert "未计入统计的记录（0条" in text
    for person in detail["staff"]:
        assert person["name"] in text
    blank_text = flat_pdf_text(blank)
    assert detail["site"]["name"] in blank_text
    assert detail["institution"]["filing_code"] in blank_text
    for subject in detail["subjects"]:
        assert subject["name"] in blank_text
    assert "见证人（一）签名" in blank_text and "见证人（二）签名" in blank_text
    assert check_pdf(summary.read_bytes()).intact
    assert check_pdf(blank.read_bytes()).intact


def test_verify_trusts_the_device_certificate_and_matches_the_database(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = demo
    pdf, cert = tmp_path / "r.pdf", tmp_path / "device.pem"
    assert run(folder, "report", "incident", session.incident_ids[0], "--out", str(pdf)) == 0
    assert run(folder, "report", "certificate", "--out", str(cert)) == 0
    assert load_certificates(cert.read_bytes())
    capsys.readouterr()
    assert run(folder, "report", "verify", str(pdf), "--trust", str(cert)) == 0
    out = capsys.readouterr().out
    assert "intact: yes" in out
    assert "trusted: yes" in out
    assert "content hash matches" in out
    assert "signed by:" in out and "Proctor Desk device" in out
    assert "result: intact" in out


def test_verify_without_a_local_record_still_checks_the_signature(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = demo
    pdf = tmp_path / "r.pdf"
    assert run(folder, "report", "incident", session.incident_ids[1], "--out", str(pdf)) == 0
    elsewhere = tmp_path / "empty-data"
    capsys.readouterr()
    # Intact, but with nothing to check the signer against: said, and not a pass.
    assert run(elsewhere, "report", "verify", str(pdf)) == 1
    out = capsys.readouterr().out
    assert "record not found" in out
    assert "trusted: not checked (no certificate to check against" in out
    assert "result: intact, but the signer is NOT verified" in out
    assert not elsewhere.exists()  # verifying does not create a data folder
    cert = tmp_path / "device.pem"
    assert run(folder, "report", "certificate", "--out", str(cert)) == 0
    assert run(elsewhere, "report", "verify", str(pdf), "--trust", str(cert)) == 0
    assert not elsewhere.exists()


def test_verify_fails_on_one_changed_byte(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = demo
    pdf = tmp_path / "r.pdf"
    assert run(folder, "report", "incident", session.incident_ids[0], "--out", str(pdf)) == 0
    data = pdf.read_bytes()
    at = data.index(b"ReportLab PDF Library")
    pdf.write_bytes(data[:at] + b"r" + data[at + 1 :])
    capsys.readouterr()
    assert run(folder, "report", "verify", str(pdf)) == 1
    out = capsys.readouterr().out
    assert "intact: NO" in out
    assert "NOT intact" in out


def test_verify_fails_with_another_trusted_certificate(
    demo: tuple[Path, DemoSession], tmp_path: Path
) -> None:
    folder, session = demo
    pdf, other = tmp_path / "r.pdf", tmp_path / "other.pem"
    assert run(folder, "report", "incident", session.incident_ids[0], "--out", str(pdf)) == 0
    assert run(tmp_path / "other-data", "report", "certificate", "--out", str(other)) == 0
    assert run(folder, "report", "verify", str(pdf), "--trust", str(other)) == 1


def test_verify_reports_a_content_hash_that_no_longer_matches(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = demo
    with Workspace.open(folder) as workspace:
        source = workspace.incident(session.incident_ids[0])
        draft = replace(workspace.draft_of(source["id"]), description="初稿")
        incident = workspace.create_incident(session.session_id, draft)
    pdf = tmp_path / "draft.pdf"
    assert run(folder, "report", "incident", incident.id, "--out", str(pdf)) == 0
    assert "草稿" in flat_pdf_text(pdf)
    with Workspace.open(folder) as workspace:
        workspace.update_draft(incident.id, replace(draft, description="改过的描述"))
    capsys.readouterr()
    assert run(folder, "report", "verify", str(pdf)) == 1
    assert "content hash DIFFERS" in capsys.readouterr().out


def test_bad_input_exits_2(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = demo
    not_pdf = tmp_path / "note.txt"
    not_pdf.write_text("hello", encoding="utf-8")
    assert run(folder, "report", "verify", str(not_pdf)) == 2
    assert run(folder, "report", "verify", str(tmp_path / "missing.pdf")) == 2
    assert (
        run(folder, "report", "incident", "no-such-record", "--out", str(tmp_path / "x.pdf")) == 2
    )
    assert run(folder, "report", "session", "zzzz", "--out", str(tmp_path / "s.pdf")) == 2
    err = capsys.readouterr().err
    assert "not a PDF file" in err
    assert "no incident 'no-such-record'" in err
    assert not (tmp_path / "x.pdf").exists()


def test_out_folder_must_exist(demo: tuple[Path, DemoSession], tmp_path: Path) -> None:
    folder, session = demo
    out = tmp_path / "nowhere" / "x.pdf"
    assert run(folder, "report", "session", session.session_id, "--out", str(out)) == 2


def test_untrusted_verdict_is_one_line_without_a_traceback(
    demo: tuple[Path, DemoSession], tmp_path: Path
) -> None:
    # A separate process, as a user runs it: pyHanko's own logging must not reach the terminal.
    folder, session = demo
    pdf, other = tmp_path / "r.pdf", tmp_path / "other.pem"
    assert run(folder, "report", "incident", session.incident_ids[0], "--out", str(pdf)) == 0
    assert run(tmp_path / "other-data", "report", "certificate", "--out", str(other)) == 0
    script = "import sys; from app.cli import main; sys.exit(main.run(sys.argv[1:]))"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "--data-dir",
            str(folder),
            "report",
            "verify",
            str(pdf),
            "--trust",
            str(other),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "trusted: NO" in result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr == ""


def test_verify_with_something_that_is_no_certificate_says_what_to_give(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = demo
    pdf = tmp_path / "r.pdf"
    assert run(folder, "report", "incident", session.incident_ids[0], "--out", str(pdf)) == 0
    capsys.readouterr()
    assert run(folder, "report", "verify", str(pdf), "--trust", str(pdf)) == 2
    err = capsys.readouterr().err
    assert "not a certificate" in err and "root-cert" in err and "ASN" not in err


def _fresh(tmp_path: Path) -> tuple[Path, DemoSession]:
    folder = tmp_path / "fresh"
    with Workspace.open(folder) as workspace:
        return folder, seed_demo(workspace, candidates=8, incidents=3)


def test_verify_trusts_this_folders_own_certificate_and_no_other_signer(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anyone can sign a PDF: without --trust, the signer must be one this data folder
    vouches for, so a report re-signed by another key is not passed as intact."""
    from app.core.reports.pdf_signing import PdfSigner
    from app.core.reports.signed import incident_job
    from app.core.trust.pdf_identity import device_identity

    folder, session = demo
    genuine = tmp_path / "genuine.pdf"
    assert run(folder, "report", "incident", session.incident_ids[0], "--out", str(genuine)) == 0
    capsys.readouterr()
    assert run(folder, "report", "verify", str(genuine)) == 0
    assert "trusted: yes (against this data folder's certificates)" in capsys.readouterr().out
    with Workspace.open(folder) as workspace:
        unsigned = incident_job(workspace, session.incident_ids[0]).build()
    forged = tmp_path / "forged.pdf"
    other = device_identity(tmp_path / "elsewhere", "KB")  # same name, another key
    forged.write_bytes(PdfSigner(other).sign(unsigned))
    assert run(folder, "report", "verify", str(forged)) == 1
    out = capsys.readouterr().out
    assert "trusted: NO (against this data folder's certificates)" in out
    assert "NOT intact or not trusted" in out


def test_a_record_edited_in_the_file_gets_no_signed_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from app.core.records.db import DB_FILE

    folder, session = _fresh(tmp_path)
    target = session.incident_ids[0]
    con = sqlite3.connect(folder / DB_FILE)
    with con:
        con.execute(
            "UPDATE incident_content SET content_json = "
            'replace(content_json, \'"description":"\', \'"description":"并未\') '
            "WHERE incident_id = ?",
            (target,),
        )
        con.execute(
            "UPDATE incident SET status = 'void', void_reason = '误记' WHERE id = ?",
            (session.incident_ids[1],),
        )
    con.close()
    out = tmp_path / "r.pdf"
    capsys.readouterr()
    assert run(folder, "report", "incident", target, "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert "未通过完整性校验，不出具签名报告" in err
    assert "content does not match its content hash" in err
    assert not out.exists()
    assert run(folder, "report", "incident", session.incident_ids[1], "--out", str(out)) == 2
    assert "it is void, but the audit log records no voiding" in capsys.readouterr().err
    assert not out.exists()
    assert run(folder, "report", "incident", session.incident_ids[2], "--out", str(out)) == 0
    assert run(folder, "incident", "show", target) == 0
    shown = capsys.readouterr().out
    assert "FAILS VERIFICATION" in shown and "content does not match" in shown


def test_verify_notes_a_version_since_voided_or_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = _fresh(tmp_path)
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert run(folder, "report", "incident", session.incident_ids[0], "--out", str(first)) == 0
    assert run(folder, "report", "incident", session.incident_ids[1], "--out", str(second)) == 0
    with Workspace.open(folder) as workspace:
        head = next(s for s in workspace.staff(session.session_id) if s.role == "site_head")
        workspace.void(session.incident_ids[0], head.id, "重复记录", DEMO_PIN)
        old = session.incident_ids[1]
        workspace.amend(old, workspace.draft_of(old), reason="补充说明")
    capsys.readouterr()
    assert run(folder, "report", "verify", str(first)) == 0
    assert "this version is void since: 重复记录" in capsys.readouterr().out
    assert run(folder, "report", "verify", str(second)) == 0
    assert "this version was replaced by version 2" in capsys.readouterr().out


def test_report_session_counts_only_the_records_in_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command's line says what the summary counts: a void record and a draft are listed
    apart, not counted."""
    from tests.support.records import draft

    folder, session = _fresh(tmp_path)  # three confirmed records
    with Workspace.open(folder) as workspace:
        head = session.staff["site_head"][0].id
        workspace.void(session.incident_ids[0], head, "重复录入", DEMO_PIN)
        workspace.create_incident(session.session_id, draft(session))
    out = tmp_path / "session.pdf"
    capsys.readouterr()
    assert run(folder, "report", "session", session.session_id, "--out", str(out)) == 0
    printed = capsys.readouterr().out
    assert "已确认 2 条记录（另列 2 条未计入）" in printed
    assert "2 incidents in force, 2 listed apart" in printed
    assert "违纪违规记录（已确认2条）" in flat_pdf_text(out)
