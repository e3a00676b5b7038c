"""The main window shell: menus and shortcuts, polite handling of unexpected errors, workers,
and ``proctor-desk --demo --screenshot`` showing the demo session's dashboard."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.core.errors import UserError
from app.core.records.app_state import AppSettings, load_settings, save_settings
from app.core.records.service import Workspace
from app.ui import errors
from app.ui.main_window import MainWindow
from app.ui.workers import run_in_worker
from app.version import version
from tests.support.main_window import PINS, show_main_window, wait_for_workers


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


@pytest.fixture
def shown(qtbot: QtBot, workspace: Workspace) -> tuple[MainWindow, str, dict[str, str]]:
    return show_main_window(qtbot, workspace)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = errors.setup_logging(tmp_path / "logs-home")
    yield path
    for handler in list(errors.log.handlers):
        errors.log.removeHandler(handler)
        handler.close()


def test_menus_and_about(shown: tuple[MainWindow, str, dict[str, str]]) -> None:
    window, _, _ = shown
    assert [a.text() for a in window.menuBar().actions()] == [
        "文件(&F)",
        "报告(&R)",
        "同步(&Y)",
        "帮助(&H)",
    ]
    texts = [a.text() for a in window.menus.file_menu.actions() if not a.isSeparator()]
    assert texts == [
        "新建记录(&N)",
        "誊录纸质记录(&P)…",
        "工作人员 PIN(&I)…",
        "锁定(&L)",
        "切换场次(&W)",
        "设置(&S)…",
        "退出(&Q)",
    ]
    assert window.menus.new_action.shortcut().toString() == "Ctrl+N"
    assert window.menus.new_action.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut
    assert version() in window.about_text()
    assert "待评价机构" not in window.about_text() and "评价机构按程序认定" in window.about_text()


def test_ctrl_l_locks_and_switching_session_closes_it(
    qtbot: QtBot, shown: tuple[MainWindow, str, dict[str, str]]
) -> None:
    window, _, staff = shown
    window.lock_screen.select_staff(staff["admin"])
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, PINS["admin"])
    qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    assert window.is_unlocked() and window.menus.lock_action.isEnabled()
    # The site head gives staff their first PIN from the File menu (only while unlocked).
    assert window.menus.staff_pin_action.isEnabled()
    window.menus.staff_pin_action.trigger()
    from app.ui.lock.staff_pins import StaffPinDialog

    dialogs = window.findChildren(StaffPinDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].reject()
    window.menus.lock_action.trigger()
    assert not window.is_unlocked() and window.current_page() is window.lock_screen
    assert not window.menus.staff_pin_action.isEnabled()
    window.menus.switch_action.trigger()
    assert window.current_page() is window.start_screen and window.session_id is None
    assert window.dashboard is None


def test_unexpected_errors_are_logged_and_excused(
    qtbot: QtBot, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown_messages: list[str] = []
    monkeypatch.setattr(errors, "ask_show_unexpected", lambda _p, text: shown_messages.append(text))

    def broken() -> None:
        raise RuntimeError("disk on fire")

    run_in_worker(broken, lambda _result: None)
    wait_for_workers(qtbot)
    assert len(shown_messages) == 1
    assert "意外问题" in shown_messages[0] and str(log_file) in shown_messages[0]
    assert "Traceback" not in shown_messages[0] and "disk on fire" not in shown_messages[0]
    logged = log_file.read_text(encoding="utf-8")
    assert "RuntimeError: disk on fire" in logged and "Traceback" in logged


def test_user_errors_are_shown_in_place_not_logged_as_failures(
    qtbot: QtBot, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(errors, "ask_show_unexpected", lambda *_: pytest.fail("no dialog"))
    label = QLabel()
    qtbot.addWidget(label)
    errors.handle_error(UserError("PIN: use 4 to 8 digits"), label)
    assert label.text() == "PIN: use 4 to 8 digits"
    assert "Traceback" not in log_file.read_text(encoding="utf-8")


def test_worker_progress_and_result_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    seen: list[tuple[int, str]] = []
    results: list[object] = []

    def work(report: object) -> int:
        report(50, "half")  # type: ignore[operator]
        return 42

    run_in_worker(work, results.append, progress=lambda pct, text: seen.append((pct, text)))
    wait_for_workers(qtbot)
    assert results == [42] and seen == [(50, "half")]


def test_settings_file_survives_garbage(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    assert load_settings(tmp_path) == AppSettings()
    (tmp_path / "settings.json").write_text('{"idle_lock_minutes": 0, "language": "xx"}', "utf-8")
    assert load_settings(tmp_path) == AppSettings()


def test_demo_screenshot_shows_the_demo_dashboard(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "app", "--data-dir", str(tmp_path / "d"), "--demo"]
    result = subprocess.run(
        [*command, "--screenshot", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)
    settings = load_settings(tmp_path / "d")
    assert settings.current_session is not None  # the demo session, now current
    with Workspace.open(tmp_path / "d") as ws:
        assert ws.session(settings.current_session)["institution"]["filing_code"].startswith(
            "S0000440"
        )
    log_dir = tmp_path / "d" / "logs"
    assert (log_dir / "proctor-desk.log").exists()
    logging.getLogger("proctor_desk").handlers.clear()


def test_records_open_in_a_worker_and_demo_opens_when_ready(qtbot: QtBot, tmp_path: Path) -> None:
    from app.ui.launch import _open_demo

    data_dir = tmp_path / "fresh"
    settings = AppSettings("Laptop")
    save_settings(data_dir, settings)
    window = MainWindow(data_dir, settings)  # no workspace yet: the window shows at once
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.workspace is None and window.current_page() is window.start_screen
    assert not window.start_screen.ui.demoButton.isEnabled()
    window.workspaceReady.connect(lambda: _open_demo(window))  # as `proctor-desk --demo` does
    with qtbot.waitSignal(window.workspaceReady, timeout=30_000):
        window.open_workspace_async()
    wait_for_workers(qtbot, timeout=60_000)
    assert window.workspace is not None
    assert window.session_id is not None and window.current_page() is window.lock_screen
    assert window.workspace.session(window.session_id)["site"]["name"] == "天河职业技能评价考点"
    # The demo's staff have the PIN the lock screen tells, so the demo can be tried at once.
    assert "工作人员 PIN 均为 1234" in window.lock_screen.ui.sessionLabel.text()
    head = next(s for s in window.workspace.staff(window.session_id) if s.role == "site_head")
    window.lock_screen.select_staff(head.id)
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, "1234")
    qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    assert window.current_page() is not window.lock_screen
    window.workspace.close()


def test_demo_on_a_first_run_opens_after_the_device_set_up(qtbot: QtBot, tmp_path: Path) -> None:
    from app.ui.launch import _open_demo

    window = MainWindow(tmp_path / "first", AppSettings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.workspaceReady.connect(lambda: _open_demo(window))
    with qtbot.waitSignal(window.workspaceReady, timeout=30_000):
        window.open_workspace_async()
    assert window.lock_screen.is_setup_page() and window.session_id is None
    qtbot.keyClicks(window.lock_screen.ui.deviceNameEdit, "Laptop")
    qtbot.keyClick(window.lock_screen.ui.deviceNameEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot, timeout=60_000)
    assert window.session_id is not None and window.current_page() is window.lock_screen
    assert window.workspace is not None
    window.workspace.close()


def test_dashboard_names_staff_without_a_pin_and_the_site_head_gives_one(
    qtbot: QtBot, shown: tuple[MainWindow, str, dict[str, str]], workspace: Workspace
) -> None:
    window, session_id, staff = shown
    window.lock_screen.select_staff(staff["head"])
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, PINS["head"])
    qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    if window.clock_page is not None and window.current_page() is window.clock_page:
        qtbot.keyClicks(window.clock_page.pin_edit, PINS["head"])
        qtbot.keyClick(window.clock_page.pin_edit, Qt.Key.Key_Return)
        wait_for_workers(qtbot)
    dashboard = window.dashboard
    assert dashboard is not None and window.current_page() is dashboard
    ui = dashboard.ui
    assert ui.pinNotice.isVisible() and ui.staffPinButton.isVisible()
    assert ui.pinNotice.text() == "尚未设置本人 PIN、还不能签名：钱老师、孙督导"

    qtbot.mouseClick(ui.staffPinButton, Qt.MouseButton.LeftButton)
    from app.ui.lock.staff_pins import StaffPinDialog

    dialog = window.findChildren(StaffPinDialog)[0]
    for other in ("钱老师", "孙督导"):
        dialog.staff_combo.setCurrentIndex(
            next(
                i
                for i in range(dialog.staff_combo.count())
                if dialog.staff_combo.itemText(i).startswith(other)
            )
        )
        dialog.head_pin_edit.setText(PINS["head"])
        dialog.new_pin_edit.setText("4242")
        dialog.repeat_pin_edit.setText("4242")
        qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    assert all(s.pin_hash for s in workspace.staff(session_id))
    dialog.reject()
    qtbot.waitUntil(lambda: not ui.pinNotice.isVisible())
    assert not ui.staffPinButton.isVisible()
