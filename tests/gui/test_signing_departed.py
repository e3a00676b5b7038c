"""The candidate had left the site before they could sign: a third choice beside signing and
refusing, witnessed by two staff, after which the site head may confirm."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.support.incident import (
    OFFSCREEN_NOISE,
    SITE_HEAD_PIN,
    Site,
    new_window,
    record_phone_use,
    sign_dialog,
    sign_staff_pair,
    wait_dialog,
)

pytestmark = OFFSCREEN_NOISE


def test_two_staff_witness_that_the_candidate_had_left(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site)
    panel = window.signing
    record_phone_use(qtbot, window)
    sign_staff_pair(qtbot, window)
    ack = wait_dialog(qtbot, window)  # the acknowledgement follows; the candidate is gone
    ack.reject()
    qtbot.waitUntil(lambda: panel.dialog is None)
    assert panel.state.next_step() == "person"
    assert panel.ui.departedButton.isVisible() and panel.ui.refuseButton.isVisible()
    qtbot.mouseClick(panel.ui.departedButton, Qt.MouseButton.LeftButton)

    first = wait_dialog(qtbot, window)
    assert "已离场" in first.windowTitle() and "见证人 1/2" in first.windowTitle()
    sign_dialog(qtbot, window)  # the operator, 李明
    qtbot.waitUntil(lambda: not first.isVisible())
    second = wait_dialog(qtbot, window)
    assert "见证人 2/2" in second.windowTitle()
    sign_dialog(qtbot, window, signer="王芳")
    qtbot.waitUntil(lambda: panel.state.departed)

    assert panel.state.next_step() == "confirm"
    assert not panel.ui.departedButton.isVisible()
    lines = [panel.ui.signaturesList.item(i).text() for i in range(panel.ui.signaturesList.count())]
    assert sum(1 for line in lines if line.startswith("离场见证")) == 2

    with qtbot.waitSignal(panel.sealed, timeout=5000):
        qtbot.mouseClick(panel.ui.signButton, Qt.MouseButton.LeftButton)
        sign_dialog(qtbot, window, pin=SITE_HEAD_PIN)
    detail = site.workspace.incident(window.incident_id)
    kinds = sorted(s["kind"] for s in detail["signatures"])
    assert kinds == ["confirm", "departure_witness", "departure_witness", "staff", "staff"]
    assert "departure" in [e["action"] for e in detail["audit"]]


def test_the_acknowledgement_dialog_offers_that_the_candidate_had_left(
    qtbot: QtBot, site: Site
) -> None:
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    sign_staff_pair(qtbot, window)
    ack = wait_dialog(qtbot, window)
    qtbot.mouseClick(ack.departed_button, Qt.MouseButton.LeftButton)
    first = wait_dialog(qtbot, window)
    assert first is not ack and "已离场" in first.windowTitle()
