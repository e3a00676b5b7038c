"""The whole app, as on exam day: a session created from roster files, unlocked, the clock
checked, Ctrl+N opening the incident window from anywhere, locking hiding it, and unfinished
drafts reopened after a restart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.records.app_state import AppSettings, save_settings
from app.core.records.content import IncidentDraft
from app.core.records.service import Workspace
from app.ui.main_window import MainWindow
from tests.support.main_window import (
    ROSTERS,
    ZONE,
    fill_form,
    make_session,
    pick_files,
    wait_for_workers,
)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


def start_window(qtbot: QtBot, workspace: Workspace, settings: AppSettings) -> MainWindow:
    save_settings(workspace.data_dir, settings)
    window = MainWindow(workspace.data_dir, settings, workspace=workspace)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def unlock(qtbot: QtBot, window: MainWindow, staff_id: str, pin: str) -> None:
    window.lock_screen.select_staff(staff_id)
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, pin)
    qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)


def press_ctrl_n(qtbot: QtBot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())
    qtbot.keyClick(widget, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)


def close_windows(window: MainWindow) -> None:
    for incident_window in window.open_windows():
        incident_window.close()


def test_create_unlock_confirm_clock_and_ctrl_n(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = start_window(qtbot, workspace, AppSettings("Laptop"))
    qtbot.mouseClick(window.start_screen.ui.newButton, Qt.MouseButton.LeftButton)
    form = window.session_form
    assert form is not None
    fill_form(qtbot, form)
    pick_files(monkeypatch, ROSTERS / "candidates.csv", ROSTERS / "staff.csv")
    qtbot.mouseClick(form.ui.candidatesBrowseButton, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.ui.staffBrowseButton, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.ui.createButton, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    session_id = window.session_id
    assert session_id is not None and window.current_page() is window.lock_screen

    # Ctrl+N while locked shows no record to whoever is at the laptop: it asks for the PIN,
    # and the new record opens once that unlocks (after the clock check, still due here).
    assert not window.menus.new_action.isEnabled()
    press_ctrl_n(qtbot, window)
    assert window.open_windows() == []
    assert "PIN" in window.lock_screen.message()

    head = next(s for s in workspace.staff(session_id) if s.role == "site_head")
    unlock(qtbot, window, head.id, "13579")
    page = window.clock_page
    assert page is not None and window.current_page() is page
    assert window.open_windows() == []
    qtbot.keyClicks(page.pin_edit, "13579")
    qtbot.keyClick(page.pin_edit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    dashboard = window.dashboard
    assert dashboard is not None and window.current_page() is dashboard
    assert dashboard.shown_candidates() == ["陈一", "林二", "何三"]
    opened = window.open_windows()
    assert len(opened) == 1 and opened[0].isVisible()  # the record asked for on the lock
    assert type(opened[0]).__name__ == "IncidentWindow"
    assert opened[0].operator_id == head.id  # type: ignore[attr-defined]

    press_ctrl_n(qtbot, dashboard.ui.rosterSearch)
    assert len(window.open_windows()) == 2
    # From inside the incident window too: the shortcut is application-wide.
    press_ctrl_n(qtbot, opened[0])
    assert len(window.open_windows()) == 3

    # Locking hides the records; unlocking shows them again.
    window.lock()
    assert window.current_page() is window.lock_screen
    assert not any(w.isVisible() for w in window.open_windows())
    unlock(qtbot, window, head.id, "13579")
    assert window.current_page() is dashboard  # the clock was checked already
    assert all(w.isVisible() for w in window.open_windows())
    close_windows(window)
    qtbot.waitUntil(lambda: window.open_windows() == [])


def test_double_click_opens_a_record_once_and_drafts_reopen_after_a_restart(
    qtbot: QtBot, workspace: Workspace
) -> None:
    session_id, staff = make_session(workspace)
    person = workspace.candidates(session_id)[0]
    draft = IncidentDraft(
        party="candidate",
        occurred_at=dt.datetime(2026, 1, 10, 9, 20, tzinfo=ZONE),
        subject="理论知识",
        room=person.room,
        seat=person.seat,
        person_id=person.id,
        clause="6.1",
        description="考生使用手机。",
    )
    incident_id = workspace.create_incident(session_id, draft).id
    settings = AppSettings("Laptop", current_session=session_id)

    # As after a crash: the app starts, someone unlocks, the unfinished record reopens.
    window = start_window(qtbot, workspace, settings)
    unlock(qtbot, window, staff["admin"], "1357")
    page = window.clock_page
    assert page is not None
    page.head_combo.setCurrentIndex(page.head_combo.findData(staff["head"]))
    qtbot.keyClicks(page.pin_edit, "2468")
    qtbot.keyClick(page.pin_edit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    assert list(window.incident_windows) == [incident_id]
    reopened = window.incident_windows[incident_id]
    assert reopened.isVisible() and reopened.incident_id == incident_id  # type: ignore[attr-defined]

    dashboard = window.dashboard
    assert dashboard is not None
    wait_for_workers(qtbot)
    index = dashboard.incidents.index(0, 0)
    dashboard.ui.incidentView.doubleClicked.emit(index)
    assert window.open_windows() == [reopened]  # the same window, not a second one
    close_windows(window)
    qtbot.waitUntil(lambda: window.open_windows() == [])
