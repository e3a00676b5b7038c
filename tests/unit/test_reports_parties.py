"""Labels by party: a staff or institution record asks nothing of a candidate (no
"当事人确认（尚未确认）", no statement they never gave), and the confirming signature is
labelled with the role of the one who confirmed."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.records.content import IncidentDraft, IncidentError
from app.core.records.service import Workspace
from app.core.reports.from_records import incident_view
from app.core.reports.incident import build_incident_pdf
from tests.support.pdf import flat_pdf_text
from tests.support.records import INK, WHEN, confirmed

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def text_of(pdf: bytes, folder: Path, name: str) -> str:
    path = folder / name
    path.write_bytes(pdf)
    return flat_pdf_text(path)


def staff_record(ws: Workspace, demo: DemoSession, person_role: str) -> str:
    """A staff record about the first staff member of ``person_role``, signed by two exam
    administrators."""
    draft = IncidentDraft(
        party="staff",
        occurred_at=WHEN,
        subject="理论知识",
        person_id=demo.staff[person_role][0].id,
        clause="9.2",
        description="未按规定按时分发试卷",
    )
    record = ws.create_incident(demo.session_id, draft).id
    ws.sign(record, demo.staff["exam_admin"][0].id, INK, DEMO_PIN)
    ws.sign(record, demo.staff["exam_admin"][1].id, INK, DEMO_PIN)
    return record


def test_a_staff_record_has_no_candidate_confirmation_or_statement(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    record = staff_record(ws, demo, "site_head")
    supervisor = demo.staff["supervisor"][0]
    ws.confirm(record, supervisor.id, INK, DEMO_PIN)
    text = text_of(build_incident_pdf(incident_view(ws, record)), tmp_path, "staff.pdf")
    assert "当事人确认" not in text
    assert "尚未确认" not in text
    assert "当事人陈述" not in text
    assert "第十六条：2名（含）以上" not in text  # Art. 16 ¶1 is the candidate's procedure
    assert "工作人员签名（2名（含）以上，不含当事人）" in text
    # A quality supervisor confirmed (the record is about the site head): labelled so.
    assert "质量督导员确认：" in text
    assert "考场负责人确认" not in text


def test_an_unconfirmed_record_names_who_is_to_confirm_it(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    about_head = staff_record(ws, demo, "site_head")
    text = text_of(build_incident_pdf(incident_view(ws, about_head)), tmp_path, "head.pdf")
    assert "质量督导员确认：（尚未确认）" in text
    assert "当事人确认" not in text
    draft = IncidentDraft(
        party="institution",
        occurred_at=WHEN,
        clause="13.1",
        description="未按规定开展质量督导",
        noted_by=demo.staff["supervisor"][0].id,
    )
    institution = ws.create_incident(demo.session_id, draft).id
    text = text_of(build_incident_pdf(incident_view(ws, institution)), tmp_path, "inst.pdf")
    assert "质量督导员确认：（尚未确认）" in text
    assert "当事人确认" not in text and "当事人陈述" not in text
    assert "质量督导员及工作人员签名" in text


def test_a_statement_staff_gave_is_printed(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    draft = IncidentDraft(
        party="staff",
        occurred_at=WHEN,
        person_id=demo.staff["exam_admin"][2].id,
        clause="9.2",
        description="未按规定按时分发试卷",
        statement="因打印机故障延误",
    )
    record = ws.create_incident(demo.session_id, draft).id
    text = text_of(build_incident_pdf(incident_view(ws, record)), tmp_path, "said.pdf")
    assert "当事人陈述" in text and "因打印机故障延误" in text
    assert "考场负责人确认：（尚未确认）" in text


def test_a_candidate_record_keeps_its_confirmation_line(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    record = confirmed(ws, demo)
    text = text_of(build_incident_pdf(incident_view(ws, record)), tmp_path, "cand.pdf")
    assert "当事人确认签字" in text and "五、当事人陈述" in text
    assert "工作人员签名（第十六条：2名（含）以上）" in text
    assert "考场负责人确认：" in text


def test_a_supervisor_who_signed_a_staff_record_cannot_also_confirm_it(
    ws: Workspace, demo: DemoSession
) -> None:
    draft = IncidentDraft(
        party="staff",
        occurred_at=WHEN - dt.timedelta(minutes=5),
        person_id=demo.staff["site_head"][0].id,
        clause="9.2",
        description="未按规定按时分发试卷",
    )
    record = ws.create_incident(demo.session_id, draft).id
    supervisor = demo.staff["supervisor"][0]
    ws.sign(record, supervisor.id, INK, DEMO_PIN)
    ws.sign(record, demo.staff["exam_admin"][0].id, INK, DEMO_PIN)
    with pytest.raises(IncidentError, match="cannot also confirm"):
        ws.confirm(record, supervisor.id, INK, DEMO_PIN)
