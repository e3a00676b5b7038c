"""The PIN lockout is the core's, so it holds when the app starts again: five wrong PINs given
before a restart still pause the lock screen afterwards, for the right PIN too."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.records.app_state import AppSettings, UnlockError
from app.core.records.app_state import unlock as core_unlock
from app.core.records.service import Workspace
from tests.gui.test_lock import open_window, unlock
from tests.support.main_window import PINS, make_session


def test_a_lockout_survives_the_app_starting_again(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with Workspace.open(folder) as ws:  # the app before the restart
        session_id, staff = make_session(ws)
        for _ in range(5):
            with pytest.raises(UnlockError):
                core_unlock(ws, session_id, staff["admin"], "9999")
    workspace = Workspace.open(folder)
    try:
        window = open_window(qtbot, workspace, AppSettings("Laptop", current_session=session_id))
        unlock(qtbot, window, staff["admin"], PINS["admin"])
        assert "30 秒" in window.lock_screen.message()
        assert not window.is_unlocked()
        assert not window.lock_screen.ui.unlockButton.isEnabled()
        window.close()
    finally:
        workspace.close()
