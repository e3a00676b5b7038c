"""Every main screen rendered with the pseudo-translation (each string 40 % longer than its
English): no label, button or group title may be clipped at 1366×768."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.records.app_state import AppSettings, save_settings
from app.core.records.service import Workspace
from app.ui.i18n import switch_language
from app.ui.main_window import MainWindow
from tests.support.layout_check import find_clipped_widgets
from tests.support.main_window import build_translations, make_session, restore_chinese


@pytest.fixture(scope="module")
def translations() -> None:
    build_translations()


@pytest.fixture
def pseudo_window(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, translations: None
) -> Iterator[tuple[MainWindow, Workspace, str, dict[str, str]]]:
    workspace = Workspace.open(tmp_path / "data")
    session_id, staff = make_session(workspace)
    switch_language(qapp, "pseudo")
    settings = AppSettings("Laptop", language="pseudo")
    save_settings(workspace.data_dir, settings)
    window = MainWindow(workspace.data_dir, settings, workspace=workspace)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window, workspace, session_id, staff
    restore_chinese(qapp)
    workspace.close()


def clipped(qtbot: QtBot, window: MainWindow, page: QWidget) -> list[str]:
    window.stack.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.isVisible())
    QApplication.processEvents()
    return find_clipped_widgets(window)


def test_main_screens_fit_the_pseudo_translation(
    qtbot: QtBot, pseudo_window: tuple[MainWindow, Workspace, str, dict[str, str]]
) -> None:
    window, workspace, session_id, staff = pseudo_window
    problems: dict[str, list[str]] = {}
    # The pseudo strings really are in use (else this test would prove nothing).
    assert window.start_screen.ui.titleLabel.text() not in (
        "选择考试场次",
        "Choose the exam session",
    )

    window.lock_screen.show_setup("A", "Laptop")
    problems["setup"] = clipped(qtbot, window, window.lock_screen)
    window.show_start()
    problems["start"] = clipped(qtbot, window, window.start_screen)
    window.show_session_form()
    assert window.session_form is not None
    problems["new session"] = clipped(qtbot, window, window.session_form)
    window.show_import(session_id, "session")
    assert window.import_page is not None
    problems["import"] = clipped(qtbot, window, window.import_page)
    window.show_settings()
    assert window.settings_page is not None
    problems["settings"] = clipped(qtbot, window, window.settings_page)

    workspace_staff = {s.id: s for s in workspace.staff(session_id)}
    window.open_session(session_id)
    problems["lock"] = clipped(qtbot, window, window.lock_screen)
    window.operator = workspace_staff[staff["admin"]]
    window._show_clock_check()
    assert window.clock_page is not None
    problems["clock"] = clipped(qtbot, window, window.clock_page)
    window.show_dashboard()
    dashboard = window.dashboard
    assert dashboard is not None
    for index in range(dashboard.ui.tabs.count()):
        dashboard.ui.tabs.setCurrentIndex(index)
        problems[f"dashboard tab {index}"] = clipped(qtbot, window, dashboard)
    assert {name: found for name, found in problems.items() if found} == {}
