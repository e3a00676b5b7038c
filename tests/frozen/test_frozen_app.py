"""The frozen app works as a whole: every command group, the window, a signed report, and the
self-test a site runs on each laptop, which names the step that fails in a damaged copy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.cli.main import COMMAND_MODULES
from tests.frozen.conftest import run_frozen


def test_version(frozen: Path, tmp_path: Path) -> None:
    result = run_frozen(frozen, tmp_path / "data", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split()[-1][0].isdigit()


@pytest.mark.parametrize("command", sorted(COMMAND_MODULES))
def test_every_command_group_loads(frozen: Path, tmp_path: Path, command: str) -> None:
    result = run_frozen(frozen, tmp_path / "data", command, "--help")
    assert result.returncode == 0, result.stderr
    assert "ModuleNotFoundError" not in result.stderr
    assert f"proctor-desk {command}" in result.stdout


def test_the_self_test_passes_every_step(frozen: Path, tmp_path: Path) -> None:
    result = run_frozen(frozen, tmp_path / "data", "--self-test", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert len(report["steps"]) >= 6
    assert all(step["ok"] for step in report["steps"]), report["steps"]


def test_a_copy_without_its_rulebooks_fails_the_self_test_naming_the_step(
    frozen: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "proctor-desk"
    shutil.copytree(frozen, broken, symlinks=True)
    rulebooks = next(broken.rglob("resources/rulebooks"))
    shutil.rmtree(rulebooks)
    result = run_frozen(broken, tmp_path / "data", "--self-test", "--json")
    assert result.returncode != 0
    report = json.loads(result.stdout)
    failed = [step for step in report["steps"] if not step["ok"]]
    assert failed, report
    assert "rulebook" in (failed[0]["name"] + failed[0]["detail"]).lower(), failed[0]
    plain = run_frozen(broken, tmp_path / "data2", "--self-test")
    assert plain.returncode != 0
    assert failed[0]["name"] in plain.stdout
    assert "Traceback" not in plain.stdout + plain.stderr


def test_the_window_opens(frozen: Path, tmp_path: Path) -> None:
    shot = tmp_path / "start.png"
    result = run_frozen(frozen, tmp_path / "data", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for y in range(0, 768, 6) for x in range(0, 1366, 6)}
    assert len(colours) > 20


def test_a_demo_session_gets_a_signed_report_that_verifies(frozen: Path, tmp_path: Path) -> None:
    home = tmp_path / "data"
    seeded = run_frozen(frozen, home, "demo", "seed", "--candidates", "4", "--incidents", "2")
    assert seeded.returncode == 0, seeded.stderr
    sessions = json.loads(run_frozen(frozen, home, "session", "list", "--json").stdout)
    pdf = tmp_path / "summary.pdf"
    report = run_frozen(frozen, home, "report", "session", sessions[0]["id"], "--out", str(pdf))
    assert report.returncode == 0, report.stderr
    verify = run_frozen(frozen, home, "report", "verify", str(pdf))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "完好" in verify.stdout


def test_the_records_can_live_in_a_shared_postgresql(
    frozen: Path, tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCTOR_DESK_DATABASE_URL", pg_url)
    home = tmp_path / "data"
    seeded = run_frozen(frozen, home, "demo", "seed", "--candidates", "4", "--incidents", "2")
    assert seeded.returncode == 0, seeded.stderr
    assert not (home / "proctor-desk.sqlite3").exists()
    verify = run_frozen(frozen, home, "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
