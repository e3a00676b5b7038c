"""Through the real main window: unlock, Ctrl+N opens the incident window for the operator, the
6.1 phone incident is sealed within 10 counted inputs (everyone signing with their own PIN, the
colleague on duty preselected), and an unfinished draft reopens after the next unlock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.support.incident import (
    OFFSCREEN_NOISE,
    PIN_OF,
    SITE_HEAD_PIN,
    ZONE,
    Inputs,
    Site,
    build_site,
    draw_signature,
    open_site,
    wait_dialog,
)
from tests.support.main_window import wait_for_workers

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def site(tmp_path: Path, cjk_family: str | None) -> Iterator[Site]:
    build_site(tmp_path / "template")
    s = open_site(tmp_path / "template", tmp_path / "data")
    from app.core.records.app_state import record_clock_check

    # The clock was confirmed at the start of the session: unlocking leads to the dashboard.
    record_clock_check(
        s.workspace,
        s.session_id,
        s.staff["陈静"],
        SITE_HEAD_PIN,
        dt.datetime.now(ZoneInfo(ZONE)),
    )
    yield s
    s.workspace.close()


def main_window(qtbot: QtBot, site: Site) -> object:
    from app.core.records.app_state import AppSettings, save_settings
    from app.ui.main_window import MainWindow

    settings = AppSettings("Laptop", current_session=site.session_id)
    save_settings(site.workspace.data_dir, settings)
    window = MainWindow(site.workspace.data_dir, settings, workspace=site.workspace)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def unlock_as_li_ming(qtbot: QtBot, window: object, site: Site) -> None:
    """李明 unlocks with his own PIN."""
    lock = window.lock_screen  # type: ignore[attr-defined]
    lock.select_staff(site.staff["李明"])
    lock.ui.pinEdit.clear()
    qtbot.keyClicks(lock.ui.pinEdit, PIN_OF["李明"])
    qtbot.mouseClick(lock.ui.unlockButton, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    qtbot.waitUntil(lambda: window.is_unlocked() and window.dashboard is not None)  # type: ignore[attr-defined]


def settle(qtbot: QtBot, window: object) -> None:
    """Let the dashboard's delayed refresh and its count worker finish before the window goes
    (a count delivered after its dashboard is deleted raises in the shell's model)."""
    qtbot.waitUntil(lambda: not window._refresh_timer.isActive())  # type: ignore[attr-defined]
    wait_for_workers(qtbot)


def sign(qtbot: QtBot, inputs: Inputs, incident: object, pin: str | None = None) -> None:
    """Strokes, then the PIN with its Enter (one input); OK when no PIN is asked (one input)."""
    dialog = wait_dialog(qtbot, incident)
    draw_signature(qtbot, dialog.pad)
    if pin is not None:
        inputs.enter(dialog.pin_edit, pin)
    else:
        inputs.click(dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_ctrl_n_to_sealed_through_the_main_window(qtbot: QtBot, site: Site) -> None:
    from app.core.records.on_duty import set_on_duty

    staff = site.staff
    set_on_duty(
        site.workspace, site.session_id, "理论知识", [staff["李明"], staff["王芳"]], actor_id=None
    )
    window = main_window(qtbot, site)
    unlock_as_li_ming(qtbot, window, site)
    inputs = Inputs(qtbot)
    inputs.shortcut(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.open_windows()) == 1)
    incident = window.open_windows()[0]
    qtbot.waitExposed(incident)
    assert incident.operator_id == site.staff["李明"]
    ui = incident.ui

    inputs.enter(ui.personEdit, "张三")
    inputs.type(ui.searchEdit, "手机")
    inputs.click(ui.usedButton)
    inputs.click(incident.signing.ui.signButton)
    sign(qtbot, inputs, incident, PIN_OF["李明"])
    sign(qtbot, inputs, incident, PIN_OF["王芳"])  # on duty with him: preselected
    sign(qtbot, inputs, incident)  # the candidate
    qtbot.waitUntil(lambda: incident.signing.state.next_step() == "confirm")
    with qtbot.waitSignal(incident.signing.sealed, timeout=5000):
        inputs.click(incident.signing.ui.signButton)
        sign(qtbot, inputs, incident, pin=SITE_HEAD_PIN)

    assert inputs.count <= 10, inputs.log
    detail = site.workspace.incident(incident.incident_id)
    assert detail["status"] == "confirmed" and detail["content"]["clause"] == "6.1"
    assert detail["audit"][0]["actor_id"] == site.staff["李明"]  # created by the operator
    # The main window heard about it (the dashboard's list refreshes from the saved signal).
    assert window.incident_windows.get(incident.incident_id) is incident
    settle(qtbot, window)
    window.close()
    settle(qtbot, window)  # closing the incident window asks the dashboard to refresh once more


def test_unfinished_draft_reopens_after_unlock(qtbot: QtBot, site: Site) -> None:
    from tests.support.incident import type_text

    window = main_window(qtbot, site)
    unlock_as_li_ming(qtbot, window, site)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.open_windows()) == 1)
    incident = window.open_windows()[0]
    type_text(incident.ui.personEdit, "李四")
    type_text(incident.ui.searchEdit, "手机")
    qtbot.mouseClick(incident.ui.usedButton, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(incident.saved, timeout=3000):
        pass
    incident_id = incident.incident_id

    # As after a crash: a new main window on the same data folder, unlocked again.
    settle(qtbot, window)
    window.close()
    settle(qtbot, window)  # closing the incident window asks the dashboard to refresh once more
    again = main_window(qtbot, site)
    unlock_as_li_ming(qtbot, again, site)
    qtbot.waitUntil(lambda: incident_id in again.incident_windows)
    reopened = again.incident_windows[incident_id]
    assert reopened.behaviour.clause.id == "6.1"
    assert reopened.picker.current.name == "李四"
    settle(qtbot, again)
    again.close()
    settle(qtbot, again)


def test_ctrl_n_on_the_lock_screen_unlocks_with_the_pin_and_opens_the_record(
    qtbot: QtBot, site: Site
) -> None:
    """The last operator is preselected on the lock screen; Ctrl+N there, then their PIN with
    Enter: unlocked and the new record open (2 inputs), sealed within 11 from the lock screen.
    A subject is being sat: the idle lock is the longer one."""
    from PySide6.QtWidgets import QApplication

    from app.core.records.app_state import AppSettings, load_settings, save_settings
    from app.core.records.on_duty import set_on_duty
    from app.ui.main_window import MainWindow

    staff = site.staff
    set_on_duty(
        site.workspace, site.session_id, "理论知识", [staff["李明"], staff["王芳"]], actor_id=None
    )
    settings = AppSettings("Laptop", current_session=site.session_id, last_operator=staff["李明"])
    save_settings(site.workspace.data_dir, settings)
    window = MainWindow(site.workspace.data_dir, settings, workspace=site.workspace)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    lock = window.lock_screen
    qtbot.waitUntil(lambda: window.current_page() is lock and lock.may_unlock())
    assert lock.ui.staffCombo.currentData() == staff["李明"]  # the last operator
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert lock.focusWidget() is lock.ui.pinEdit
    assert not window.menus.new_action.isEnabled()  # the menu's action shows nothing while locked

    inputs = Inputs(qtbot)
    inputs.shortcut(lock.ui.pinEdit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.open_windows() == [] and not window.is_unlocked()
    inputs.enter(lock.ui.pinEdit, PIN_OF["李明"])
    wait_for_workers(qtbot)
    qtbot.waitUntil(lambda: len(window.open_windows()) == 1)
    assert window.idle.interval_ms() == settings.exam_idle_lock_minutes * 60_000
    incident = window.open_windows()[0]
    qtbot.waitExposed(incident)
    assert incident.operator_id == staff["李明"]

    ui = incident.ui
    inputs.enter(ui.personEdit, "张三")
    inputs.type(ui.searchEdit, "手机")
    inputs.click(ui.usedButton)
    inputs.click(incident.signing.ui.signButton)
    sign(qtbot, inputs, incident, PIN_OF["李明"])
    sign(qtbot, inputs, incident, PIN_OF["王芳"])
    sign(qtbot, inputs, incident)
    qtbot.waitUntil(lambda: incident.signing.state.next_step() == "confirm")
    with qtbot.waitSignal(incident.signing.sealed, timeout=5000):
        inputs.click(incident.signing.ui.signButton)
        sign(qtbot, inputs, incident, pin=SITE_HEAD_PIN)
    assert inputs.count <= 11, inputs.log
    assert load_settings(site.workspace.data_dir).last_operator == staff["李明"]
    settle(qtbot, window)
    window.close()
    settle(qtbot, window)


def test_idle_lock_is_the_usual_one_outside_the_subjects() -> None:
    import datetime as dt

    from app.core.records.app_state import AppSettings, idle_minutes_at

    settings = AppSettings("Laptop", idle_lock_minutes=5, exam_idle_lock_minutes=45)
    subjects = [
        {
            "name": "理论知识",
            "starts_at": "2026-01-10T01:00:00.000000Z",
            "ends_at": "2026-01-10T02:30:00.000000Z",
        }
    ]
    at = dt.datetime(2026, 1, 10, 1, 30, tzinfo=dt.UTC)
    assert idle_minutes_at(settings, subjects, at) == 45
    assert idle_minutes_at(settings, subjects, at + dt.timedelta(hours=2)) == 5
    # Never shorter than the usual lock.
    shorter = settings.with_changes(exam_idle_lock_minutes=2)
    assert idle_minutes_at(shorter, subjects, at) == 5
