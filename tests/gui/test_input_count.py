"""The 6.1 phone incident from opening the window to sealed, in at most 12 counted inputs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.support.incident import (
    OFFSCREEN_NOISE,
    SITE_HEAD_PIN,
    Inputs,
    Site,
    draw_signature,
)

MAX_INPUTS = 12
pytestmark = OFFSCREEN_NOISE


def sign_in_dialog(qtbot: QtBot, inputs: Inputs, window: object, pin: str | None = None) -> None:
    """Strokes on the open signature dialog, the PIN if asked, then OK (counted)."""
    panel = window.signing  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible())
    dialog = panel.dialog
    if pin is not None:
        inputs.type(dialog.pin_edit, pin)
    draw_signature(qtbot, dialog.pad)
    inputs.click(dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_phone_used_from_open_to_sealed_within_twelve_inputs(
    qtbot: QtBot, site: Site, cjk_family: str | None
) -> None:
    from app.ui.incident.window import open_incident_window

    inputs = Inputs(qtbot)
    inputs._note("open the window (Ctrl+N)")
    window = open_incident_window(site.workspace, site.session_id, operator_id=site.staff["李明"])
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    ui = window.ui
    assert window.focusWidget() is ui.personEdit

    inputs.type(ui.personEdit, "张三")  # 张三 and 张三丰: the list opens, best match first
    inputs.key(ui.personEdit, Qt.Key.Key_Return)
    assert window.picker.current is not None and window.picker.current.name == "张三"
    assert ui.seatSpin.value() == 5
    assert window.focusWidget() is ui.searchEdit

    inputs.type(ui.searchEdit, "手机")
    assert ui.questionFrame.isVisible()  # 5.1 or 6.1: asks whether it was used
    inputs.click(ui.usedButton)
    assert window.behaviour.clause is not None and window.behaviour.clause.id == "6.1"
    assert "取消当次全部科目评价成绩" in ui.outcomeSummary.text()
    assert "不得参加评价至" in ui.outcomeSummary.text()
    assert ui.descriptionEdit.toPlainText()  # drafted from the choices

    inputs.click(window.signing.ui.signButton)
    sign_in_dialog(qtbot, inputs, window)  # 李明, the operator, preselected
    sign_in_dialog(qtbot, inputs, window)  # the next staff member follows at once
    sign_in_dialog(qtbot, inputs, window)  # then the candidate's acknowledgement
    qtbot.waitUntil(lambda: window.signing.state.next_step() == "confirm")
    with qtbot.waitSignal(window.signing.sealed, timeout=5000):
        inputs.click(window.signing.ui.signButton)
        sign_in_dialog(qtbot, inputs, window, pin=SITE_HEAD_PIN)

    detail = site.workspace.incident(window.incident_id or "")
    assert detail["status"] == "confirmed"
    assert detail["seal"] is not None
    assert detail["content"]["clause"] == "6.1"
    assert window.signing.ui.statusLabel.text() == "已确认并封存"
    assert window.read_only and not window.ui.whoGroup.isEnabled()  # sealed: no more edits
    assert inputs.count <= MAX_INPUTS, inputs.log
    window.close()
