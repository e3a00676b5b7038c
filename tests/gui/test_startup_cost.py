"""What keeps the first window quick (benchmarks/startup.py): the modules the lock screen
needs load nothing else, work the first paint does not need runs after it, and the idle
watcher filters the app's events only while someone has unlocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.records.app_state import AppSettings, save_settings
from app.core.records.service import Workspace
from app.ui.main_window import MainWindow
from tests.support.main_window import PINS, make_session, wait_for_workers

ROOT = Path(__file__).resolve().parents[2]


def test_start_up_modules_load_nothing_the_first_paint_does_not_need() -> None:
    code = (
        "import sys\n"
        "import app.ui.i18n\n"
        "print('PySide6.QtWidgets' in sys.modules)\n"
        "import app.ui.main_window, app.ui.launch\n"
        "print(sorted(m for m in ('app.version', 'importlib.metadata', 'logging.handlers',"
        " 'app.core.records.service', 'sqlmodel') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split("\n")
    assert out[0] == "False"  # the language module needs QtCore only
    assert out[1] == "[]"


def test_work_waits_for_the_first_paint(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(tmp_path, AppSettings("Laptop"))
    qtbot.addWidget(window)
    calls: list[str] = []
    window.when_painted(lambda: calls.append("first"))
    window.when_painted(lambda: calls.append("second"))
    assert calls == []
    window.show()
    qtbot.waitUntil(lambda: len(calls) == 2)
    assert calls == ["first", "second"]
    window.when_painted(lambda: calls.append("late"))  # already painted: runs soon after
    qtbot.waitUntil(lambda: len(calls) == 3)


def test_idle_filter_only_while_unlocked(qtbot: QtBot, tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "data") as workspace:
        session_id, staff = make_session(workspace)
        settings = AppSettings("Laptop", current_session=session_id)
        save_settings(workspace.data_dir, settings)
        window = MainWindow(workspace.data_dir, settings, workspace=workspace)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert not window.idle._filtering and not window.idle.is_running()
        window.lock_screen.select_staff(staff["admin"])
        qtbot.keyClicks(window.lock_screen.ui.pinEdit, PINS["admin"])
        qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
        wait_for_workers(qtbot)
        assert window.is_unlocked()
        assert window.idle._filtering and window.idle.is_running()
        # Input restarts the countdown.
        window.idle.set_interval_ms(60_000)
        before = window.idle._timer.remainingTime()
        qtbot.wait(30)
        qtbot.keyClick(window, Qt.Key.Key_Shift)
        assert window.idle._timer.remainingTime() >= before
        window.lock()
        assert not window.idle._filtering and not window.idle.is_running()
        window.close()
