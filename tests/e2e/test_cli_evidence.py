"""``proctor-desk evidence``: a scanned paper form attached to a draft incident of the demo
session shows up in ``evidence list`` and, with its SHA-256, in the incident report PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.records.content import IncidentDraft
from app.core.records.evidence import evidence_path
from app.core.records.service import Workspace
from tests.support.cli import run

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _draft(folder: Path, demo: DemoSession) -> dict[str, object]:
    """A new draft incident about a demo candidate (what is entered from a paper form)."""
    candidate = demo.candidates[3]
    with Workspace.open(folder) as ws:
        # During the sitting: a few minutes after one of the demo's incidents.
        seen = ws.incident(demo.incident_ids[0])["content"]["occurred_at"]
        at = dt.datetime.fromisoformat(seen.replace("Z", "+00:00")) + dt.timedelta(minutes=3)
        draft = IncidentDraft(
            party="candidate",
            occurred_at=at,
            person_id=candidate.id,
            description="笔记本电脑故障，按纸质备用表当场记录；现据纸质表录入。",
        )
        incident = ws.create_incident(demo.session_id, draft)
        return ws.incident(incident.id)


def _scan(path: Path) -> Path:
    """A grey 'scan' of a filled-in paper form: ruled lines and some handwriting-like ink."""
    image = Image.new("L", (1240, 1754), 250)  # A4 at 150 dpi
    pen = ImageDraw.Draw(image)
    for y in range(200, 1650, 60):
        pen.line([(100, y), (1140, y)], fill=120, width=2)
    for i in range(12):
        pen.arc([200 + 70 * i, 380, 260 + 70 * i, 430], 0, 300, fill=20, width=4)
    image.save(path, "JPEG", quality=80)
    return path


def _pdf_text(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    )
    return "".join(out.stdout.split())


def test_scanned_form_attached_to_a_draft_appears_in_the_report(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = demo
    detail = _draft(folder, session)
    scan = _scan(tmp_path / "paper-form-scan.jpg")
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()

    note = "第2考场纸质记录表，两名监考员签字"
    assert run(folder, "evidence", "attach", str(detail["number"]), str(scan),
               "--kind", "paper-form", "--note", note) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert f"SHA-256 {sha}" in out
    assert "纸质记录表扫描件 · paper-form-scan.jpg · " + note in out
    stored = evidence_path(folder, sha)
    assert stored.read_bytes() == scan.read_bytes()

    assert run(folder, "evidence", "list", str(detail["id"]), "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["incident"] == detail["id"] and listed["status"] == "draft"
    [entry] = listed["evidence"]
    assert entry["sha256"] == sha
    assert entry["size"] == scan.stat().st_size
    assert entry["media_type"] == "image/jpeg"

    assert run(folder, "evidence", "list", str(detail["number"])) == 0
    assert sha in capsys.readouterr().out

    report = tmp_path / "incident.pdf"
    assert run(folder, "report", "incident", str(detail["id"]), "--out", str(report)) == 0
    text = _pdf_text(report)
    assert sha in text
    assert "纸质记录表扫描件" in text


def test_the_same_file_twice_is_refused(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = demo
    detail = _draft(folder, session)
    scan = _scan(tmp_path / "scan.jpg")
    assert run(folder, "evidence", "attach", str(detail["id"]), str(scan)) == 0
    capsys.readouterr()
    assert run(folder, "evidence", "attach", str(detail["id"]), str(scan)) == 2
    assert "already attached" in capsys.readouterr().err


def test_a_confirmed_record_says_to_amend(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = demo
    confirmed = session.incident_ids[0]
    with Workspace.open(folder) as ws:
        assert ws.incident(confirmed)["status"] == "confirmed"
        evidence_before = ws.incident(confirmed)["content"]["evidence"]
    scan = _scan(tmp_path / "scan.jpg")
    assert run(folder, "evidence", "attach", confirmed, str(scan)) == 2
    err = capsys.readouterr().err
    assert "confirmed" in err and "Amend" in err
    with Workspace.open(folder) as ws:
        assert ws.incident(confirmed)["content"]["evidence"] == evidence_before


def test_missing_file_and_unknown_incident(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = demo
    detail = _draft(folder, session)
    assert run(folder, "evidence", "attach", str(detail["id"]), str(tmp_path / "none.jpg")) == 2
    assert "none.jpg: no such file" in capsys.readouterr().err
    scan = _scan(tmp_path / "scan.jpg")
    assert run(folder, "evidence", "attach", "ZZ-999", str(scan)) == 2
    assert "no incident 'ZZ-999'" in capsys.readouterr().err
    assert run(folder, "evidence", "list", "ZZ-999") == 2


def test_too_large_a_file_is_refused_with_the_limit(
    demo: tuple[Path, DemoSession],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, session = demo
    detail = _draft(folder, session)
    monkeypatch.setattr("app.core.records.service.MAX_EVIDENCE_BYTES", 10 * 1024)
    scan = _scan(tmp_path / "big.jpg")
    assert scan.stat().st_size > 10 * 1024
    assert run(folder, "evidence", "attach", str(detail["id"]), str(scan)) == 2
    err = capsys.readouterr().err
    assert "big.jpg is" in err and "the limit is 10.0 KB" in err
    with Workspace.open(folder) as ws:
        assert ws.incident(str(detail["id"]))["content"]["evidence"] == []


def test_attaching_to_a_record_with_signatures_voids_them(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.core.demo.strokes import synthetic_strokes

    folder, session = demo
    admin = session.staff["exam_admin"][0]
    with Workspace.open(folder) as ws:
        # A complete draft (clause and facts, as the demo's), so that it can be signed.
        template = ws.draft_of(session.incident_ids[1])
        later = template.occurred_at + dt.timedelta(minutes=2)
        incident = ws.create_incident(session.session_id, replace(template, occurred_at=later))
        ws.sign(incident.id, admin.id, synthetic_strokes(admin.name), DEMO_PIN)
        detail = ws.incident(incident.id)
        assert [s["voided"] for s in detail["signatures"]] == [False]
    scan = _scan(tmp_path / "scan.jpg")
    assert run(folder, "evidence", "attach", str(detail["id"]), str(scan), "--kind", "photo") == 0
    assert "1 signature(s) were voided" in capsys.readouterr().out
    with Workspace.open(folder) as ws:
        after = ws.incident(str(detail["id"]))
    assert all(s["voided"] for s in after["signatures"])
    assert after["content"]["evidence"][0]["name"] == "照片 · scan.jpg"
