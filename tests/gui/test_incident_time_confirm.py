"""A time outside every subject's exam time: the proctor ticks a confirmation under the time
before anyone signs; it is saved with the record and shown again when the record is opened."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.support.incident import (
    OFFSCREEN_NOISE,
    ZONE,
    Site,
    new_window,
    record_phone_use,
    wait_dialog,
)

pytestmark = OFFSCREEN_NOISE


def test_a_time_outside_the_subjects_is_signed_only_once_ticked(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site)
    ui = window.ui
    record_phone_use(qtbot, window)
    tick = window.time_confirm
    assert not tick.isVisible()  # now, during 理论知识

    before = dt.datetime.now(ZoneInfo(ZONE)).replace(second=0, microsecond=0)
    ui.timeEdit.setFocus()
    qtbot.keyClick(ui.timeEdit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(ui.timeEdit, (before - dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"))
    assert tick.isVisible() and not tick.isChecked()

    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    assert window.signing.dialog is None  # nothing to sign yet: the confirmation is missing
    assert "不在任何科目考试时间内" in window.signing.ui.messageLabel.text()
    assert site.workspace.incident(window.incident_id)["signatures"] == []

    tick.setChecked(True)
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, window)  # the first staff signature
    dialog.reject()
    content = site.workspace.incident(window.incident_id)["content"]
    assert content["time_outside_subjects_confirmed"] is True

    again = new_window(qtbot, site, window.incident_id)
    assert again.time_confirm.isVisible() and again.time_confirm.isChecked()

    # Another time is confirmed afresh: the tick was for the time shown then.
    again.ui.timeEdit.setFocus()
    qtbot.keyClick(again.ui.timeEdit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(again.ui.timeEdit, (before - dt.timedelta(hours=4)).strftime("%Y-%m-%d %H:%M"))
    assert again.time_confirm.isVisible() and not again.time_confirm.isChecked()
