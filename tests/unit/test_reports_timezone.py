"""Reports print every time in the session's zone and name a zone other than Beijing time once:
a sitting planned in Asia/Urumqi (UTC+6) reads 09:40 where the incident happened at 09:40."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft
from app.core.records.service import Workspace
from app.core.records.sessions import SubjectSpec
from app.core.records.tables import from_utc_text
from app.core.reports.blank_form import build_blank_form_pdf
from app.core.reports.from_records import blank_form_view, incident_view, session_summary_view
from app.core.reports.incident import build_incident_pdf
from app.core.reports.session_summary import build_session_summary_pdf
from app.core.rosters.idcard import make_id_number
from app.core.rosters.rows import CandidateRow, StaffRow
from tests.support.incident import PIN_OF, STAFF, _spec

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
URUMQI = ZoneInfo("Asia/Urumqi")
INK = synthetic_strokes("签名")


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "data") as workspace:
        yield workspace


def _urumqi_session(ws: Workspace) -> str:
    day = dt.date(2026, 6, 12)

    def at(hour: int, minute: int) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=URUMQI)

    spec = dataclasses.replace(
        _spec(),
        site_name="乌鲁木齐考点",
        subjects=(
            SubjectSpec("理论知识", at(9, 0), at(10, 30)),
            SubjectSpec("操作技能", at(13, 30), at(16, 0)),
        ),
        timezone="Asia/Urumqi",
    )
    session_id = ws.create_session(spec)
    ws.import_staff(session_id, [StaffRow(*row) for row in STAFF])
    ws.import_candidates(
        session_id,
        [
            CandidateRow(
                name="阿依古丽",
                id_type="resident_id",
                id_number=make_id_number("650102", dt.date(2000, 1, 1), 101),
                ticket_number="26061201",
                room="第1考场",
                seat=3,
                photo=None,
            )
        ],
    )
    return session_id


def _text(pdf: bytes, folder: Path, name: str) -> str:
    path = folder / name
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    )
    return re.sub(r"[ \t]+", " ", out.stdout)


def test_an_urumqi_sitting_is_printed_in_urumqi_time(ws: Workspace, tmp_path: Path) -> None:
    session_id = _urumqi_session(ws)
    staff = {s.name: s for s in ws.staff(session_id)}
    [candidate] = ws.candidates(session_id)
    draft = IncidentDraft(
        party="candidate",
        occurred_at=dt.datetime(2026, 6, 12, 9, 40, tzinfo=URUMQI),
        subject="理论知识",
        person_id=candidate.id,
        clause="6.1",
        description="使用手机",
    )
    incident = ws.create_incident(session_id, draft).id
    ws.sign(incident, staff["李明"].id, INK, PIN_OF["李明"])
    ws.sign(incident, staff["王芳"].id, INK, PIN_OF["王芳"])
    ws.acknowledge(incident, INK)
    ws.confirm(incident, staff["陈静"].id, INK, "1357")

    text = _text(build_incident_pdf(incident_view(ws, incident)), tmp_path, "incident.pdf")
    assert "2026-06-12 09:40" in text  # the incident, as it was on the site's clocks
    assert "2026-06-12 09:00–10:30" in text  # the subject
    assert "Asia/Urumqi 时间（UTC+6）" in text
    assert "北京时间" not in text
    signed = [from_utc_text(s["signed_at"]) for s in ws.incident(incident)["signatures"]]
    for at in signed:
        assert at.astimezone(URUMQI).strftime("%Y-%m-%d %H:%M:%S") in text

    summary = build_session_summary_pdf(session_summary_view(ws, session_id))
    text = _text(summary, tmp_path, "summary.pdf")
    assert "09:40" in text and "2026-06-12 09:00–16:00" in text
    assert "Asia/Urumqi 时间，UTC+6" in text
    assert "北京时间" not in text

    text = _text(build_blank_form_pdf(blank_form_view(ws, session_id)), tmp_path, "blank.pdf")
    assert "2026-06-12 09:00–16:00" in text
    assert "（Asia/Urumqi 时间，UTC+6）" in text  # the hours written by hand are local too


def test_a_beijing_sitting_still_says_beijing_time(ws: Workspace, tmp_path: Path) -> None:
    session_id = ws.create_session(_spec())
    pdf = build_session_summary_pdf(session_summary_view(ws, session_id))
    assert "（北京时间）" in _text(pdf, tmp_path, "summary.pdf")
