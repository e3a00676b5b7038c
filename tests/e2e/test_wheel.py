"""The wheel is a working app: installed into a new environment away from this checkout.

``pip wheel`` runs the project's build hook (tools/build_hooks.py), which compiles the forms and
translations into the wheel and adds the rulebooks. The wheel is then installed, without its
dependencies, into a fresh virtual environment in a temporary folder; the dependencies (the
locked versions) are borrowed from this environment by a path file, not by the editable
install, so ``import app`` can only find the installed wheel. Commands run from another folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    (built,) = out.glob("proctor_desk-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)],
        check=True, timeout=120,
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--no-deps", "--disable-pip-version-check", "-q", str(wheel)],
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = subprocess.run(
        [str(venv / "bin" / "python"), "-c", purelib],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    # The dependencies at their locked versions; a plain path line runs no .pth of that folder,
    # so this checkout's editable install stays out of the new environment.
    (Path(site) / "locked_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return venv


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    skip = {"PYTHONPATH", "PROCTOR_DESK_HOME"}
    env = {key: value for key, value in os.environ.items() if key not in skip}
    env.update(QT_QPA_PLATFORM="offscreen", PROCTOR_DESK_HOME=str(cwd / "data"))
    return subprocess.run(
        [str(venv / "bin" / "proctor-desk"), *args],
        capture_output=True, text=True, timeout=180, cwd=cwd, env=env,
    )  # fmt: skip


def test_the_wheel_carries_forms_translations_and_rulebooks(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "app/resources/rulebooks/cn-national-2021.toml" in names
    assert "app/resources/translations/proctor_desk_en.qm" in names
    assert "app/ui/generated/ui_incident_window.py" in names
    assert "app/core/records/migrations/env.py" in names
    # Developers' layout check and the translation sources stay out.
    assert not any(name.endswith((".ts", "_pseudo.qm")) for name in names)


def test_the_installed_app_lists_rules_from_another_folder(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import app; print(app.__file__)"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(installed), where.stdout + where.stderr
    result = _run(installed, tmp_path, "rules", "list")
    assert result.returncode == 0, result.stderr
    assert "5.1" in result.stdout and "携带禁携物品经提醒拒不改正" in result.stdout


def test_the_installed_app_starts_its_window_in_english_too(
    installed: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "start.png"
    result = _run(installed, tmp_path, "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for y in range(0, 768, 6) for x in range(0, 1366, 6)}
    assert len(colours) > 20
    # The compiled English translation is found as package data.
    check = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "from app.ui.i18n import available_languages; print(available_languages())"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert "en" in check.stdout, check.stdout + check.stderr


def test_the_installed_app_passes_its_self_test(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, tmp_path, "--self-test", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert [step["name"] for step in report["steps"] if not step["ok"]] == []
    assert {"resources", "report", "import", "window"} <= {step["name"] for step in report["steps"]}
