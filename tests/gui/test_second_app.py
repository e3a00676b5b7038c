"""A second app on a data folder another program is writing is told so in place, on the start
page (which program, by its PID), instead of racing it for the records."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core import folder_lock
from app.core.records.app_state import AppSettings, save_settings
from app.ui.main_window import MainWindow
from tests.e2e.test_cli_writer_lock import HOLD, ROOT
from tests.support.main_window import wait_for_workers


def test_a_second_app_is_told_which_program_holds_the_folder(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    save_settings(data_dir, AppSettings("Laptop"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "ready"
        monkeypatch.setattr(folder_lock, "WAIT_SECONDS", 0.3)
        window = MainWindow(data_dir, AppSettings("Laptop"))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.open_workspace_async()
        wait_for_workers(qtbot, timeout=30_000)
        assert window.workspace is None
        assert window.current_page() is window.start_screen
        message = window.start_screen.ui.messageLabel.text()
        assert "in use" in message and f"PID {holder.pid}" in message
    finally:
        holder.stdin.close()
        holder.wait(30)
        holder.stdout.close()
