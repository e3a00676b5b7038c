"""Starting the app: the screenshot mode as ``make run`` uses it, and the main window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.ui.launch import install_translators


def distinct_colours(image: QImage, step: int = 4) -> int:
    colours = {
        image.pixel(x, y)
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    }
    return len(colours)


def test_screenshot_writes_a_real_png(tmp_path: Path) -> None:
    out = tmp_path / "shots" / "out.png"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PROCTOR_DESK_HOME": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "app", "--screenshot", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    assert out.stat().st_size > 10_000
    image = QImage(str(out))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1366, 768)
    # Text, lines and widgets in several colours: not a blank or single-colour window.
    assert distinct_colours(image) > 20
    assert "Traceback" not in result.stderr


def test_screenshot_to_an_unwritable_place_fails_with_a_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PROCTOR_DESK_HOME": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "app", "--screenshot", str(blocker / "x" / "out.png")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode != 0
    assert "screenshot" in result.stderr
    assert "Traceback" not in result.stderr


def test_translators_for_the_source_language_need_no_app_file(qapp: QApplication) -> None:
    loaded = install_translators(qapp, "zh_CN")
    assert "proctor_desk_zh_CN" not in loaded
    assert install_translators(qapp, "xx_XX") == []


def test_without_a_cjk_font_the_app_still_starts_and_warns(tmp_path: Path) -> None:
    out = tmp_path / "out.png"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PROCTOR_DESK_HOME": str(tmp_path / "data"),
        "PROCTOR_DESK_FONT": str(tmp_path / "missing.ttf"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "app", "--screenshot", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    assert "Chinese text may not render" in result.stderr
    assert "missing.ttf" in result.stderr


def test_the_demo_never_writes_into_the_real_data_folder(tmp_path: Path) -> None:
    # make run and `proctor-desk --demo` seed a synthetic session: it goes beside the real
    # folder ($PROCTOR_DESK_HOME here), never into it.
    real = tmp_path / "data"
    out = tmp_path / "demo.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PROCTOR_DESK_HOME": str(real)}
    result = subprocess.run(
        [sys.executable, "-m", "app", "--demo", "--screenshot", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    assert not real.exists() or not any(real.iterdir())
    demo = tmp_path / "data-demo"
    assert any(demo.glob("*.db*")) or any(demo.rglob("*.sqlite*")), sorted(demo.rglob("*"))
