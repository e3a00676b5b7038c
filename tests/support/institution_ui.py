"""The institution's app signed in, for the GUI tests of its windows (no tests here)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.records.service import Workspace
from app.ui.main_window import MainWindow


def signed_in(qtbot: QtBot, ws: Workspace, name: str, password: str) -> MainWindow:
    """The main window on ``ws``, the account ``name`` signed in through the sign-in page (its
    登录 clicked): the institution's home shows."""
    window = MainWindow(ws.data_dir, workspace=ws)
    qtbot.addWidget(window)
    window.show()
    login = window.institution_login
    assert login is not None
    login.name_edit.setText(name)
    login.password_edit.setText(password)
    qtbot.mouseClick(login.submit_button, Qt.MouseButton.LeftButton)
    assert window.account is not None and window.account.name == name
    assert window.current_page() is window.institution_home
    return window
