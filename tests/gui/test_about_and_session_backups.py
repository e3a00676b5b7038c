"""Help → About tells a support person where the logs are and which versions run; closing a
session or the app leaves a rolling backup of the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.core.records import backups
from app.core.records.service import Workspace
from app.ui.main_window import MainWindow
from app.version import version
from tests.support.main_window import show_main_window


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace) -> MainWindow:
    return show_main_window(qtbot, workspace)[0]


def test_about_shows_the_log_folder_and_the_versions(qtbot: QtBot, window: MainWindow) -> None:
    box = window.show_about()
    assert isinstance(box, QMessageBox)
    assert box.isVisible()
    assert box.windowModality() == Qt.WindowModality.WindowModal  # never holds the whole app
    text = box.text()
    assert str(window.data_dir / "logs") in text
    for expected in (version(), f"Qt {qVersion()}", "PySide6 ", "Python ", "cryptography "):
        assert expected in text
    assert box.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    box.close()


def test_leaving_a_session_and_closing_the_app_leave_a_backup(
    window: MainWindow, workspace: Workspace
) -> None:
    assert window.session_id is not None
    window.show_start()  # the session ends
    [first] = backups.rolling_backups(workspace.data_dir)
    assert first.name.endswith("-session-end.sqlite3")
    window.close()
    assert len(backups.rolling_backups(workspace.data_dir)) == 2
