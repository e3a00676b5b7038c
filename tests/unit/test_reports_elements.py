"""The elements of the offence the clause turns on, as recorded on site or 待认定: 5.1–5.3 the
reminder and the refusal to correct, Art. 7 the severity, Art. 11 the adverse effect. A measure
conditioned on them (情节轻微的，2年内不得参加评价) must not read as decided."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core.demo.seed import DemoSession
from app.core.records.content import IncidentDraft
from app.core.records.service import Workspace
from app.core.reports.from_records import incident_view
from app.core.reports.incident import build_incident_pdf
from tests.support.pdf import flat_pdf_text
from tests.support.records import WHEN, draft

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def text_of(ws: Workspace, record: str, folder: Path) -> str:
    path = folder / f"{record}.pdf"
    path.write_bytes(build_incident_pdf(incident_view(ws, record)))
    return flat_pdf_text(path)


def test_a_refused_reminder_is_printed_as_recorded(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    record = ws.create_incident(demo.session_id, draft(demo)).id  # warned and refused
    text = text_of(ws, record, tmp_path)
    assert "本项构成要件及现场记录" in text
    assert "经工作人员提醒是（现场记录）" in text
    assert "经提醒拒不改正是（现场记录）" in text


def test_a_reminder_not_yet_recorded_is_undetermined(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    record = ws.create_incident(demo.session_id, draft(demo, clause="5.2", facts={})).id
    text = text_of(ws, record, tmp_path)
    assert "经工作人员提醒待认定" in text and "经提醒拒不改正待认定" in text


def test_art_7_prints_the_severity_judged_on_site_or_undetermined(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    minor = ws.create_incident(
        demo.session_id, draft(demo, clause="7.4", facts={"severity": "minor"}, seized_items=())
    ).id
    text = text_of(ws, minor, tmp_path)
    assert "情节轻重情节轻微（现场判断）" in text
    open_ = ws.create_incident(
        demo.session_id, draft(demo, clause="7.4", facts={}, seized_items=())
    ).id
    text = text_of(ws, open_, tmp_path)
    assert "情节轻重待认定" in text


def test_art_11_prints_the_adverse_effect(ws: Workspace, demo: DemoSession, tmp_path: Path) -> None:
    supervisor = demo.staff["supervisor"][0]
    staff_draft = IncidentDraft(
        party="staff",
        occurred_at=WHEN,
        person_id=supervisor.id,
        clause="11",
        description="督导期间擅自离岗",
    )
    record = ws.create_incident(demo.session_id, staff_draft).id
    assert "造成不良影响待认定" in text_of(ws, record, tmp_path)
    recorded = ws.create_incident(
        demo.session_id,
        IncidentDraft(
            party="staff",
            occurred_at=WHEN,
            person_id=supervisor.id,
            clause="11",
            facts={"adverse_effect": True},
            description="督导期间擅自离岗，考场秩序混乱",
        ),
    ).id
    assert "造成不良影响是（现场记录）" in text_of(ws, recorded, tmp_path)


def test_a_clause_without_elements_prints_none(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    record = ws.create_incident(demo.session_id, draft(demo, clause="6.1", facts={})).id
    assert "构成要件" not in text_of(ws, record, tmp_path)
