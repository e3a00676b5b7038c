"""The lock screen through the real main window: first-run set-up, unlocking by PIN (right,
wrong, vouched for by the site head, the site head setting a PIN first) and the idle lock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlmodel import Session, col, select

from app.core.records.app_state import AppSettings, load_settings, save_settings
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry
from app.ui.main_window import MainWindow
from tests.support.main_window import PINS, make_session, wait_for_workers


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


def open_window(qtbot: QtBot, workspace: Workspace, settings: AppSettings) -> MainWindow:
    save_settings(workspace.data_dir, settings)
    window = MainWindow(workspace.data_dir, settings, workspace=workspace)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def unlock(qtbot: QtBot, window: MainWindow, staff_id: str, pin: str) -> None:
    lock = window.lock_screen
    lock.select_staff(staff_id)
    lock.ui.pinEdit.clear()
    qtbot.keyClicks(lock.ui.pinEdit, pin)
    qtbot.mouseClick(lock.ui.unlockButton, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)


def audit_actions(workspace: Workspace, action: str) -> list[AuditEntry]:
    with Session(workspace.engine) as db:
        return list(db.exec(select(AuditEntry).where(col(AuditEntry.action) == action)).all())


def test_first_run_sets_device_code_and_name(qtbot: QtBot, workspace: Workspace) -> None:
    window = open_window(qtbot, workspace, AppSettings())
    lock = window.lock_screen
    assert window.current_page() is lock and lock.is_setup_page()
    lock.ui.deviceCodeEdit.clear()
    qtbot.keyClicks(lock.ui.deviceCodeEdit, "io")  # I and O are refused: misread on paper
    qtbot.keyClicks(lock.ui.deviceNameEdit, "Laptop 3")
    qtbot.mouseClick(lock.ui.setupButton, Qt.MouseButton.LeftButton)
    assert lock.is_setup_page()
    assert "本机代码" in lock.message()
    lock.ui.deviceCodeEdit.clear()
    qtbot.keyClicks(lock.ui.deviceCodeEdit, "k")
    qtbot.mouseClick(lock.ui.setupButton, Qt.MouseButton.LeftButton)
    assert workspace.device.code == "K"
    assert load_settings(workspace.data_dir).device_name == "Laptop 3"
    # No session yet: the start page, where one is created or the demo opened.
    assert window.current_page() is window.start_screen


def test_right_pin_unlocks_and_is_audited(qtbot: QtBot, workspace: Workspace) -> None:
    session_id, staff = make_session(workspace)
    window = open_window(qtbot, workspace, AppSettings("Laptop", current_session=session_id))
    assert window.current_page() is window.lock_screen
    assert not window.is_unlocked()
    assert not window.menus.new_action.isEnabled()
    unlock(qtbot, window, staff["admin"], PINS["admin"])
    assert window.is_unlocked()
    assert window.operator is not None and window.operator.id == staff["admin"]
    # First unlock of the session on this laptop: the clock check comes next.
    assert window.current_page() is window.clock_page
    entries = audit_actions(workspace, "unlock")
    assert [e.actor_id for e in entries] == [staff["admin"]]
    assert json.loads(entries[0].details_json) == {"device_name": "Laptop", "vouched_by": None}


def test_wrong_pin_is_refused_in_place(qtbot: QtBot, workspace: Workspace) -> None:
    session_id, staff = make_session(workspace)
    window = open_window(qtbot, workspace, AppSettings("Laptop", current_session=session_id))
    unlock(qtbot, window, staff["admin"], "0000")
    assert not window.is_unlocked()
    assert window.current_page() is window.lock_screen
    assert window.lock_screen.message() == "PIN 不正确，请重新输入"
    assert window.lock_screen.ui.unlockMessage.isVisible()
    assert window.lock_screen.ui.pinEdit.text() == ""
    assert audit_actions(workspace, "unlock") == []


def test_five_wrong_pins_pause_the_unlock(qtbot: QtBot, workspace: Workspace) -> None:
    session_id, staff = make_session(workspace)
    window = open_window(qtbot, workspace, AppSettings("Laptop", current_session=session_id))
    for _ in range(5):
        unlock(qtbot, window, staff["admin"], "9999")
    assert "30 秒" in window.lock_screen.message()
    assert not window.lock_screen.ui.unlockButton.isEnabled()
    assert not window.lock_screen.ui.pinEdit.isEnabled()


def test_staff_without_pin_need_the_site_heads_pin(qtbot: QtBot, workspace: Workspace) -> None:
    session_id, staff = make_session(workspace)
    window = open_window(qtbot, workspace, AppSettings("Laptop", current_session=session_id))
    window.lock_screen.select_staff(staff["admin2"])
    assert "考场负责人" in window.lock_screen.ui.pinHint.text()
    unlock(qtbot, window, staff["admin2"], PINS["admin"])  # someone else's PIN: refused
    assert not window.is_unlocked()
    assert "考场负责人的 PIN" in window.lock_screen.message()
    unlock(qtbot, window, staff["admin2"], PINS["head"])
    assert window.is_unlocked() and window.operator is not None
    assert window.operator.id == staff["admin2"]
    details = json.loads(audit_actions(workspace, "unlock")[0].details_json)
    assert details["vouched_by"] == staff["head"]


def test_site_head_sets_a_pin_when_none_has_one(qtbot: QtBot, workspace: Workspace) -> None:
    session_id, staff = make_session(workspace, head_pin=False)
    window = open_window(qtbot, workspace, AppSettings("Laptop", current_session=session_id))
    lock = window.lock_screen
    assert lock.ui.headPinGroup.isVisible()
    qtbot.keyClicks(lock.ui.newPinEdit, "8642")
    qtbot.keyClicks(lock.ui.repeatPinEdit, "8641")
    qtbot.mouseClick(lock.ui.setHeadPinButton, Qt.MouseButton.LeftButton)
    assert lock.message() == "两次输入的 PIN 不一致"
    lock.ui.repeatPinEdit.clear()
    qtbot.keyClicks(lock.ui.repeatPinEdit, "8642")
    qtbot.mouseClick(lock.ui.setHeadPinButton, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    assert not lock.ui.headPinGroup.isVisible()
    assert len(audit_actions(workspace, "pin_set")) == 1
    unlock(qtbot, window, staff["supervisor"], "8642")
    assert window.is_unlocked()


def test_idle_time_locks_and_input_postpones_it(qtbot: QtBot, workspace: Workspace) -> None:
    session_id, staff = make_session(workspace)
    window = open_window(qtbot, workspace, AppSettings("Laptop", current_session=session_id))
    unlock(qtbot, window, staff["admin"], PINS["admin"])
    assert window.is_unlocked() and window.idle.is_running()
    assert window.idle.interval_ms() == 5 * 60_000  # the default setting
    window.idle.set_interval_ms(60_000)
    window.idle._timer.start(60_000)
    qtbot.waitUntil(lambda: window.idle._timer.remainingTime() < 59_700, timeout=3000)
    # Any input anywhere in the app restarts the countdown.
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(5, 5),
        QPointF(5, 5),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window.clock_page, move)
    assert window.idle._timer.remainingTime() > 59_800
    window.idle.set_interval_ms(30)
    qtbot.waitUntil(lambda: not window.is_unlocked(), timeout=3000)
    assert window.current_page() is window.lock_screen
    assert not window.idle.is_running()
    assert not window.menus.new_action.isEnabled()
