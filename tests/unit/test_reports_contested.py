"""What a record's PDF says where the candidate may contest it: who witnessed that the
candidate had left the site, read back from a real workspace with poppler."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft
from app.core.records.service import Workspace
from app.core.reports.from_records import incident_view, session_summary_view
from app.core.reports.incident import build_incident_pdf
from app.core.reports.session_summary import build_session_summary_pdf
from tests.unit.test_records_signing import WHEN

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
INK = synthetic_strokes("签名")


def text_of(pdf: bytes, folder: Path, name: str) -> str:
    """The PDF's text with white space removed (poppler's line breaks fall anywhere)."""
    path = folder / name
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    )
    return re.sub(r"\s+", "", out.stdout)


def departed_record(ws: Workspace, demo: DemoSession) -> str:
    draft = IncidentDraft(
        party="candidate",
        occurred_at=WHEN,
        subject="理论知识",
        person_id=demo.candidates[0].id,
        clause="6.1",
        description="携带手机并使用，记录时考生已离场",
    )
    incident = ws.create_incident(demo.session_id, draft).id
    a, b = demo.staff["exam_admin"][0], demo.staff["exam_admin"][1]
    ws.sign(incident, a.id, INK, DEMO_PIN)
    ws.sign(incident, b.id, INK, DEMO_PIN)
    ws.record_departure(incident, [(a.id, INK, DEMO_PIN), (b.id, INK, DEMO_PIN)])
    ws.confirm(incident, demo.staff["site_head"][0].id, INK, DEMO_PIN)
    return incident


def test_the_record_says_the_candidate_had_left_and_who_witnessed_it(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    incident = departed_record(ws, demo)
    text = text_of(build_incident_pdf(incident_view(ws, incident)), tmp_path, "departed.pdf")
    assert "当事人已离场，未能确认" in text
    for witness in demo.staff["exam_admin"][:2]:
        assert witness.name in text
    assert "尚未确认" not in text
    assert "当事人拒绝签字" not in text


def test_the_session_summary_says_the_departure_was_witnessed(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    departed_record(ws, demo)
    pdf = build_session_summary_pdf(session_summary_view(ws, demo.session_id))
    assert "离场已见证" in text_of(pdf, tmp_path, "summary.pdf")


def test_a_time_outside_every_subject_is_printed_as_confirmed_by_the_recorder(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    import dataclasses
    import datetime as dt

    between = dt.datetime(2024, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    draft = IncidentDraft(
        party="candidate",
        occurred_at=between,
        person_id=demo.candidates[0].id,
        clause="6.1",
        description="午休时在考场内使用手机",
        time_outside_subjects_confirmed=True,
    )
    incident = ws.create_incident(demo.session_id, draft).id
    text = text_of(build_incident_pdf(incident_view(ws, incident)), tmp_path, "outside.pdf")
    assert "发生时间不在任何科目考试时间内，经记录人确认" in text
    inside = ws.create_incident(
        demo.session_id, dataclasses.replace(draft, occurred_at=WHEN, subject="理论知识")
    ).id
    text = text_of(build_incident_pdf(incident_view(ws, inside)), tmp_path, "inside.pdf")
    assert "不在任何科目考试时间内" not in text
