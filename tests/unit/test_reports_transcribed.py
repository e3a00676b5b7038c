"""The report of a record transcribed from the paper form says 依纸质记录誊录 with the form's
number, lists who signed on paper and the site head's confirmation by PIN, and draws no
handwriting that does not exist."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core.demo.seed import DemoSession
from app.core.records.service import Workspace
from app.core.records.transcription import parse_spec, transcribe_paper
from app.core.reports.from_records import incident_view
from app.core.reports.incident import build_incident_pdf
from app.core.reports.views import Copy
from tests.support.pdf import flat_pdf_text
from tests.support.transcription import HEAD_PIN, give_head_pin, paper_record, write_scan

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _pdf_text(ws: Workspace, incident_id: str, folder: Path, copy: Copy) -> str:
    path = folder / f"{incident_id}-{copy.value}.pdf"
    path.write_bytes(build_incident_pdf(incident_view(ws, incident_id), copy))
    return flat_pdf_text(path)


@pytest.mark.parametrize("copy", [Copy.INSTITUTION, Copy.CANDIDATE])
def test_the_report_says_it_was_transcribed_from_paper_form_n(
    ws: Workspace, demo: DemoSession, tmp_path: Path, copy: Copy
) -> None:
    head = give_head_pin(ws, demo)
    spec = parse_spec(paper_record(demo))
    incident_id = transcribe_paper(ws, spec, write_scan(tmp_path), head, HEAD_PIN).id
    text = _pdf_text(ws, incident_id, tmp_path, copy)
    admins = demo.staff["exam_admin"]
    assert "依纸质记录誊录" in text
    assert "本记录依纸质备用表（表号P-0007）誊录" in text
    for name in (admins[0].name, admins[1].name):
        assert f"{name}考务管理人员在纸质记录上签名" in text
    assert "当事人已在纸质记录上签字（见扫描件）" in text
    assert f"考场负责人确认誊录：{head}·考场负责人" in text
    assert "以本人PIN确认，本机无手写签名" in text
    assert "纸质记录表扫描件·form-P-0007.pdf" in text
    # Nothing says a signature is still to come.
    assert "尚无工作人员签名" not in text
    assert "尚未确认" not in text


def test_a_witnessed_refusal_on_paper_names_the_witnesses(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    head = give_head_pin(ws, demo)
    admins = demo.staff["exam_admin"]
    refused = {"kind": "refused", "witnesses": [admins[0].name, admins[2].name]}
    spec = parse_spec(paper_record(demo, acknowledgement=refused))
    incident_id = transcribe_paper(ws, spec, write_scan(tmp_path), head, HEAD_PIN).id
    text = _pdf_text(ws, incident_id, tmp_path, Copy.INSTITUTION)
    assert "当事人拒绝签字，以下工作人员在纸质记录上见证" in text
    assert f"{admins[2].name}考务管理人员在纸质记录上见证" in text


def test_a_record_made_in_the_app_has_no_paper_mark(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    from tests.support.records import confirmed

    incident_id = confirmed(ws, demo)
    assert incident_view(ws, incident_id).paper is None
    assert "依纸质记录誊录" not in _pdf_text(ws, incident_id, tmp_path, Copy.INSTITUTION)


def test_the_session_summary_says_it_was_signed_on_paper(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    from app.core.reports.from_records import session_summary_view

    head = give_head_pin(ws, demo)
    spec = parse_spec(paper_record(demo))
    transcribe_paper(ws, spec, write_scan(tmp_path), head, HEAD_PIN)
    (line,) = session_summary_view(ws, demo.session_id).incidents
    assert line.signature_status == "纸质签名：工作人员 2 人 · 当事人已签 · 已确认誊录"
    assert line.complete
