"""The settings page: device identity and key, data folder, idle lock, and live language (Back
undoes a language chosen there, Save keeps it)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.records.app_state import AppSettings, load_settings, save_settings
from app.core.records.service import Workspace
from app.ui.main_window import MainWindow
from tests.support.main_window import (
    PINS,
    build_translations,
    make_session,
    restore_chinese,
    wait_for_workers,
)
from tests.support.review_shots import snapshot


@pytest.fixture(scope="module")
def translations() -> None:
    build_translations()


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace, qapp: QApplication) -> Iterator[MainWindow]:
    settings = AppSettings("Laptop 1")
    save_settings(workspace.data_dir, settings)
    win = MainWindow(workspace.data_dir, settings, workspace=workspace)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    restore_chinese(qapp)


def test_settings_show_the_device_and_save_changes(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    qtbot.mouseClick(window.start_screen.ui.settingsButton, Qt.MouseButton.LeftButton)
    page = window.settings_page
    assert page is not None and window.current_page() is page
    ui = page.ui
    assert ui.deviceIdValue.text() == workspace.device.device_id
    assert ui.fingerprintValue.text() == workspace.device.fingerprint
    assert len(ui.fingerprintValue.text().split()) == 16
    assert ui.dataFolderValue.text() == str(workspace.data_dir)
    assert ui.deviceNameEdit.text() == "Laptop 1"
    assert ui.idleSpin.value() == 5
    assert ui.examIdleSpin.value() == 30  # while a subject is sat

    ui.deviceCodeEdit.clear()
    qtbot.keyClicks(ui.deviceCodeEdit, "Q")  # Q is refused: misread as O on paper
    qtbot.mouseClick(ui.saveButton, Qt.MouseButton.LeftButton)
    assert "本机代码" in page.message()
    assert load_settings(workspace.data_dir).idle_lock_minutes == 5

    ui.deviceCodeEdit.clear()
    qtbot.keyClicks(ui.deviceCodeEdit, "b2")
    ui.idleSpin.setValue(12)
    ui.examIdleSpin.setValue(40)
    ui.deviceNameEdit.clear()
    qtbot.keyClicks(ui.deviceNameEdit, "Laptop 2")
    qtbot.mouseClick(ui.saveButton, Qt.MouseButton.LeftButton)
    assert page.message() == "设置已保存"
    saved = load_settings(workspace.data_dir)
    assert (saved.device_name, saved.idle_lock_minutes) == ("Laptop 2", 12)
    assert saved.exam_idle_lock_minutes == 40
    assert workspace.device.code == "B2"
    assert window.idle.interval_ms() == 12 * 60_000
    qtbot.mouseClick(ui.backButton, Qt.MouseButton.LeftButton)
    assert window.current_page() is window.start_screen


def test_settings_are_closed_to_a_locked_session(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    session_id, staff = make_session(workspace)
    window.start_screen.refresh()
    window.open_session(session_id)
    assert not window.menus.settings_action.isEnabled()
    window.show_settings()
    assert window.current_page() is window.lock_screen
    window.lock_screen.select_staff(staff["admin"])
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, PINS["admin"])
    qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    assert window.menus.settings_action.isEnabled()


def test_switching_to_english_changes_the_visible_texts_live(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, translations: None
) -> None:
    session_id, staff = make_session(workspace)
    window.start_screen.refresh()
    assert window.start_screen.ui.titleLabel.text() == "选择考试场次"
    window.show_settings()
    page = window.settings_page
    assert page is not None
    assert [page.ui.languageCombo.itemData(i) for i in range(page.ui.languageCombo.count())] == [
        "zh_CN",
        "en",
    ]
    page.choose_language("en")
    # Every screen already built retranslates at once, without a restart.
    assert page.ui.titleLabel.text() == "Settings"
    assert page.ui.saveButton.text() != "保存(&S)"
    assert window.menus.file_menu.title() == "&File"
    assert window.start_screen.ui.titleLabel.text() != "选择考试场次"
    assert window.lock_screen.ui.unlockButton.text() != "解锁(&U)"
    assert window.windowTitle() == "Proctor Desk: exam site violation records"
    assert load_settings(workspace.data_dir).language == "en"
    # Screens built later come up in English too.
    window.open_session(session_id)
    window.lock_screen.select_staff(staff["admin"])
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, "0000")
    qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    message = window.lock_screen.message()
    assert message and not any("\u4e00" <= ch <= "\u9fff" for ch in message)
    window.lock_screen.ui.pinEdit.clear()
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, PINS["admin"])
    qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    clock = window.clock_page
    assert clock is not None and clock.title.text() != "核对本机时间"


def test_back_on_settings_undoes_a_language_chosen_there_and_save_keeps_it(
    qtbot: QtBot, tmp_path: Path, qapp: QApplication
) -> None:
    build_translations()
    workspace = Workspace.open(tmp_path / "data")
    try:
        settings = AppSettings("Laptop 1")
        save_settings(workspace.data_dir, settings)
        window = MainWindow(workspace.data_dir, settings, workspace=workspace)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        qtbot.mouseClick(window.start_screen.ui.settingsButton, Qt.MouseButton.LeftButton)
        page = window.settings_page
        assert page is not None
        ui = page.ui
        ui.languageCombo.setFocus()
        qtbot.keyClick(ui.languageCombo, Qt.Key.Key_Down)  # 简体中文 → English
        assert ui.languageCombo.currentData() == "en"
        assert window.menus.file_menu.title() == "&File"  # applied at once, to read the page in
        # Retranslating keeps the device's values on the page.
        assert ui.deviceIdValue.text() == workspace.device.device_id
        assert ui.fingerprintValue.text() == workspace.device.fingerprint
        assert ui.dataFolderValue.text() == str(workspace.data_dir)
        assert page.message()  # says that it applies now and Back undoes it
        ui.deviceNameEdit.clear()
        qtbot.keyClicks(ui.deviceNameEdit, "Laptop 9")
        snapshot(window, "settings-language-chosen")

        qtbot.mouseClick(ui.backButton, Qt.MouseButton.LeftButton)
        assert window.current_page() is window.start_screen
        assert window.menus.file_menu.title() == "文件(&F)"
        assert window.start_screen.ui.titleLabel.text() == "选择考试场次"
        saved = load_settings(workspace.data_dir)
        assert (saved.language, saved.device_name) == ("zh_CN", "Laptop 1")

        # Reopened, the page shows what is saved; Save keeps a new language, Back then keeps it.
        qtbot.mouseClick(window.start_screen.ui.settingsButton, Qt.MouseButton.LeftButton)
        assert ui.languageCombo.currentData() == "zh_CN"
        assert ui.deviceNameEdit.text() == "Laptop 1"
        ui.languageCombo.setFocus()
        qtbot.keyClick(ui.languageCombo, Qt.Key.Key_Down)
        qtbot.mouseClick(ui.saveButton, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(ui.backButton, Qt.MouseButton.LeftButton)
        assert window.menus.file_menu.title() == "&File"
        assert load_settings(workspace.data_dir).language == "en"
        window.close()
    finally:
        restore_chinese(qapp)
        workspace.close()


def test_the_english_explanation_is_shown_in_chinese_only_when_the_setting_asks(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    from app.core.rulebook import DEFAULT_RULEBOOK_ID
    from app.core.rulebook.engine import classify
    from app.core.rulebook.loader import load_rulebook
    from app.ui.outcome_view import outcome_html

    rulebook = load_rulebook(DEFAULT_RULEBOOK_ID)
    outcome = classify(rulebook, {"party": "candidate", "clause": "6.1", "date": "2026-06-12"})
    data = outcome.to_dict()
    english = html.escape(str(data["explanation_en"]))
    assert english and english not in outcome_html(rulebook, data)  # off by default

    qtbot.mouseClick(window.start_screen.ui.settingsButton, Qt.MouseButton.LeftButton)
    page = window.settings_page
    assert page is not None
    assert not page.ui.englishExplanationCheck.isChecked()
    page.ui.englishExplanationCheck.setChecked(True)
    qtbot.mouseClick(page.ui.saveButton, Qt.MouseButton.LeftButton)
    assert load_settings(workspace.data_dir).english_explanation is True
    assert english in outcome_html(rulebook, data)
    page.ui.englishExplanationCheck.setChecked(False)
    qtbot.mouseClick(page.ui.saveButton, Qt.MouseButton.LeftButton)
    assert load_settings(workspace.data_dir).english_explanation is False
    assert english not in outcome_html(rulebook, data)
    assert english in outcome_html(rulebook, data, english=True)


def test_exam_idle_lock_and_last_operator_survive_a_bad_file(tmp_path: Path) -> None:
    """Out-of-range or mistyped values fall back (the app must open on exam day)."""
    import json

    from app.core.records.app_state import SettingsError, settings_path

    path = settings_path(tmp_path)
    path.write_text(
        json.dumps({"device_name": "Laptop", "exam_idle_lock_minutes": 999, "last_operator": 7}),
        encoding="utf-8",
    )
    loaded = load_settings(tmp_path)
    assert loaded.exam_idle_lock_minutes == 30 and loaded.last_operator is None
    path.write_text(
        json.dumps({"device_name": "Laptop", "exam_idle_lock_minutes": 45, "last_operator": "s1"}),
        encoding="utf-8",
    )
    loaded = load_settings(tmp_path)
    assert (loaded.exam_idle_lock_minutes, loaded.last_operator) == (45, "s1")
    with pytest.raises(SettingsError):
        loaded.with_changes(exam_idle_lock_minutes=0)
