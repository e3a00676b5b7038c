"""A record that is not in force says so on every page of its PDF (void, draft, replaced), with
who and when; no signed candidate copy is made of a draft or void record; ``report verify``
says when the PDF shows a draft."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.records.service import Workspace
from app.core.reports.from_records import incident_view
from app.core.reports.incident import build_incident_pdf
from app.core.reports.signed import CandidateCopyRefusedError, incident_job
from app.core.reports.views import Copy
from tests.support.cli import run
from tests.support.records import confirmed, draft

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def page_texts(pdf: bytes, folder: Path, name: str) -> list[str]:
    """Each page's text without white space."""
    path = folder / name
    path.write_bytes(pdf)
    pages = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout.split("\f")
    return ["".join(page.split()) for page in pages if page.strip()]


def test_a_void_record_says_so_on_every_page_with_who_and_when(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    record = confirmed(ws, demo)
    head = demo.staff["site_head"][0]
    ws.void(record, head.id, "重复录入", DEMO_PIN)
    pages = page_texts(build_incident_pdf(incident_view(ws, record)), tmp_path, "void.pdf")
    assert len(pages) >= 2
    for page in pages:
        assert "已作废" in page
        assert f"由{head.name}（考场负责人）作废" in page
        assert "作废原因：重复录入" in page


def test_a_replaced_version_names_its_replacement_on_every_page(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    first = confirmed(ws, demo)
    head = demo.staff["site_head"][0]
    amended = ws.amend(first, ws.draft_of(first), actor_id=head.id, reason="补充事实").id
    pages = page_texts(build_incident_pdf(incident_view(ws, first)), tmp_path, "old.pdf")
    for page in pages:
        assert "本版本已被更正版本替代：第2版" in page
        assert amended[:8] in page
        assert f"由{head.name}（考场负责人）更正" in page
        assert "该版本尚未确认" in page  # the amendment is still a draft
    amendment = page_texts(build_incident_pdf(incident_view(ws, amended)), tmp_path, "new.pdf")
    for page in amendment:
        assert "草稿" in page
        assert f"由{head.name}（考场负责人）更正创建" in page


def test_a_draft_says_so_on_every_page(ws: Workspace, demo: DemoSession, tmp_path: Path) -> None:
    record = ws.create_incident(demo.session_id, draft(demo)).id
    pages = page_texts(build_incident_pdf(incident_view(ws, record)), tmp_path, "draft.pdf")
    assert len(pages) >= 2
    assert all("草稿：本记录为草稿，尚未签名确认" in page for page in pages)
    assert all("创建" in page for page in pages)  # when it was made


def test_a_confirmed_record_has_no_banner(ws: Workspace, demo: DemoSession, tmp_path: Path) -> None:
    record = confirmed(ws, demo)
    text = "".join(page_texts(build_incident_pdf(incident_view(ws, record)), tmp_path, "ok.pdf"))
    for word in ("草稿", "已作废", "未确认：", "已被更正版本替代"):
        assert word not in text


def test_no_signed_candidate_copy_of_a_draft_or_void_record(
    ws: Workspace, demo: DemoSession
) -> None:
    unsigned = ws.create_incident(demo.session_id, draft(demo)).id
    with pytest.raises(CandidateCopyRefusedError, match="草稿"):
        incident_job(ws, unsigned, Copy.CANDIDATE)
    incident_job(ws, unsigned, Copy.INSTITUTION)  # the institution's copy, marked a draft
    voided = confirmed(ws, demo)
    ws.void(voided, demo.staff["site_head"][0].id, "录入错误", DEMO_PIN)
    with pytest.raises(CandidateCopyRefusedError, match="已作废"):
        incident_job(ws, voided, Copy.CANDIDATE)
    in_force = confirmed(ws, demo)
    assert incident_job(ws, in_force, Copy.CANDIDATE).copy is Copy.CANDIDATE


def test_report_verify_says_the_pdf_shows_a_draft(
    ws: Workspace,
    demo: DemoSession,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    record = ws.create_incident(demo.session_id, dataclasses.replace(draft(demo))).id
    signed = incident_job(ws, record, Copy.INSTITUTION).run()
    pdf = tmp_path / "draft.pdf"
    pdf.write_bytes(signed.pdf)
    folder = ws.data_dir
    ws.close()  # the command opens the folder itself
    capsys.readouterr()
    assert run(folder, "report", "verify", str(pdf)) == 0
    out = capsys.readouterr().out
    assert "the PDF shows a DRAFT" in out
    assert "结论：完好，但本记录为草稿" in out


def test_report_verify_says_the_pdf_shows_a_void_record(
    ws: Workspace,
    demo: DemoSession,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    record = confirmed(ws, demo)
    ws.void(record, demo.staff["site_head"][0].id, "重复录入", DEMO_PIN)
    pdf = tmp_path / "void.pdf"
    pdf.write_bytes(incident_job(ws, record, Copy.INSTITUTION).run().pdf)
    folder = ws.data_dir
    ws.close()
    capsys.readouterr()
    assert run(folder, "report", "verify", str(pdf)) == 0
    out = capsys.readouterr().out
    assert "注意 note: 本记录已作废 (the PDF shows a VOID record)" in out
    assert "结论：完好，但本记录已作废" in out
