"""``proctor-desk report`` on the demo, whose names have characters from CJK Extensions A to F:
signed PDFs that show them, or, without the fallback fonts, one line naming the character and
the font to install, status 2 and no file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from app.core.demo.seed import ADMIN_NAME, CANDIDATE_NAMES, SITE_HEAD_NAME, DemoSession
from app.core.fonts import FALLBACK_ENV_VAR, find_fallback_fonts
from app.core.records.service import Workspace
from app.core.reports.pdf_verification import check_pdf
from tests.support.cli import one_line_error, run
from tests.support.pdf import flat_pdf_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _first_candidate_incident(folder: Path, demo: DemoSession) -> dict[str, Any]:
    with Workspace.open(folder) as workspace:
        for incident_id in demo.incident_ids:
            detail = workspace.incident(incident_id)
            if detail["content"]["person"]["name"] == CANDIDATE_NAMES[0]:
                return detail
    raise AssertionError(f"no demo incident about {CANDIDATE_NAMES[0]}")


@pytest.mark.skipif(not find_fallback_fonts(), reason="needs the fallback fonts (fonts-hanazono)")
def test_demo_reports_show_the_rare_names(
    demo: tuple[Path, DemoSession], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, session = demo
    detail = _first_candidate_incident(folder, session)
    out = tmp_path / "incident.pdf"
    assert run(folder, "report", "incident", detail["id"], "--out", str(out)) == 0
    text = flat_pdf_text(out)
    assert CANDIDATE_NAMES[0] in text  # 李𫖯, Extension C
    assert SITE_HEAD_NAME in text  # 欧阳𠮷, who confirms every incident
    assert check_pdf(out.read_bytes()).intact
    summary = tmp_path / "summary.pdf"
    assert run(folder, "report", "session", session.session_id, "--out", str(summary)) == 0
    text = flat_pdf_text(summary)
    for name in (SITE_HEAD_NAME, ADMIN_NAME):
        assert name in text, name
    capsys.readouterr()


def test_without_the_fallback_fonts_the_report_is_refused(
    demo: tuple[Path, DemoSession],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, session = demo
    monkeypatch.setenv(FALLBACK_ENV_VAR, "")
    detail = _first_candidate_incident(folder, session)
    out = tmp_path / "incident.pdf"
    assert run(folder, "report", "incident", detail["id"], "--out", str(out)) == 2
    line = one_line_error(capsys.readouterr().err)
    assert "U+2B5AF 𫖯" in line  # the candidate's name comes first on the page
    assert "fonts-hanazono" in line
    assert not out.exists()
