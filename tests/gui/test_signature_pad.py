"""The signature pad and dialog, driven through real mouse, tablet and touch events."""

from __future__ import annotations

import itertools
import math

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QInputDevice,
    QPointingDevice,
    QPointingDeviceUniqueId,
    QTabletEvent,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.ui.signature_pad import (
    INK,
    SignatureDialog,
    SignaturePad,
    SignaturePoint,
    is_acceptable,
)

LEFT = Qt.MouseButton.LeftButton


def wave(x0: int, y0: int, n: int = 20, dx: int = 9, amp: int = 30) -> list[QPoint]:
    """A hand-like wavy line: ``n`` points going right while swinging up and down."""
    return [QPoint(x0 + i * dx, y0 + round(amp * math.sin(i * 0.8))) for i in range(n)]


def draw(qtbot: QtBot, pad: SignaturePad, points: list[QPoint], delay: int = -1) -> None:
    qtbot.mousePress(pad, LEFT, pos=points[0])
    for p in points[1:]:
        qtbot.mouseMove(pad, p, delay=delay)
    qtbot.mouseRelease(pad, LEFT, pos=points[-1])


@pytest.fixture
def pad(qtbot: QtBot, cjk_family: str | None) -> SignaturePad:
    widget = SignaturePad()
    qtbot.addWidget(widget)
    widget.resize(640, 220)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def dialog(qtbot: QtBot, cjk_family: str | None) -> SignatureDialog:
    widget = SignatureDialog("张三", "考评人员")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def ink_pixels(pad: SignaturePad) -> int:
    image = pad.grab().toImage()
    ink = INK.rgb() & 0xFFFFFF
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if image.pixel(x, y) & 0xFFFFFF == ink:
                count += 1
    return count


def test_mouse_drag_records_one_stroke_in_order_with_rising_times(
    qtbot: QtBot, pad: SignaturePad
) -> None:
    points = wave(40, 100, n=8)
    with qtbot.waitSignal(pad.changed, timeout=1000):
        draw(qtbot, pad, points, delay=15)
    strokes = pad.strokes()
    assert len(strokes) == 1
    stroke = strokes[0]
    assert [(round(x), round(y)) for x, y, _t, _p in stroke] == [(p.x(), p.y()) for p in points]
    times = [t for _x, _y, t, _p in stroke]
    assert all(isinstance(t, int) for t in times)
    # The moves were sent 15 ms apart by their event timestamps: the pad keeps that pace.
    assert all(b - a >= 15 for a, b in itertools.pairwise(times))
    assert all(p is None for _x, _y, _t, p in stroke)  # a mouse has no pressure


def test_moves_without_the_button_draw_nothing(qtbot: QtBot, pad: SignaturePad) -> None:
    for p in wave(40, 100, n=5):
        qtbot.mouseMove(pad, p)
    assert pad.strokes() == []


def test_undo_and_clear_emit_changed(qtbot: QtBot, pad: SignaturePad) -> None:
    draw(qtbot, pad, wave(40, 100))
    draw(qtbot, pad, wave(60, 140))
    assert len(pad.strokes()) == 2
    first = pad.strokes()[0]
    with qtbot.waitSignal(pad.changed, timeout=1000):
        pad.undo()
    assert pad.strokes() == [first]
    with qtbot.waitSignal(pad.changed, timeout=1000):
        pad.clear()
    assert pad.strokes() == []
    with qtbot.assertNotEmitted(pad.changed):
        pad.undo()
        pad.clear()


def test_strokes_are_a_copy(qtbot: QtBot, pad: SignaturePad) -> None:
    draw(qtbot, pad, wave(40, 100))
    pad.strokes()[0].clear()
    assert len(pad.strokes()[0]) == 20


def test_drawing_leaves_ink_on_the_rendered_pad(qtbot: QtBot, pad: SignaturePad) -> None:
    blank = ink_pixels(pad)
    draw(qtbot, pad, wave(40, 100))
    qtbot.waitUntil(lambda: ink_pixels(pad) > blank + 40, timeout=2000)


def test_empty_pad_shows_hint_and_baseline(qtbot: QtBot, pad: SignaturePad) -> None:
    image = pad.grab().toImage()
    base = pad.palette().base().color().rgb()
    colours = {image.pixel(x, y) for y in range(0, image.height(), 2) for x in range(0, 640, 2)}
    assert len(colours - {base}) > 3  # the hint's glyphs and the dashed baseline


def tablet_event(
    kind: QEvent.Type, device: QPointingDevice, pos: QPointF, pressure: float
) -> QTabletEvent:
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else LEFT
    return QTabletEvent(
        kind, device, pos, pos, pressure, 0.0, 0.0, 0.0, 0.0, 0.0,
        Qt.KeyboardModifier.NoModifier, LEFT, buttons,
    )  # fmt: skip


def test_tablet_pen_records_pressure(qtbot: QtBot, pad: SignaturePad) -> None:
    caps = (
        QInputDevice.Capability.Position
        | QInputDevice.Capability.Pressure
        | QInputDevice.Capability.XTilt
        | QInputDevice.Capability.YTilt
    )
    pen = QPointingDevice(
        "test pen", 4242, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
        caps, 1, 3, "", QPointingDeviceUniqueId.fromNumericId(4242), pad,
    )  # fmt: skip
    samples = [(QPointF(50 + 12 * i, 90 + 20 * math.sin(i)), 0.2 + 0.05 * i) for i in range(12)]
    kinds = (
        [QEvent.Type.TabletPress]
        + [QEvent.Type.TabletMove] * (len(samples) - 2)
        + [QEvent.Type.TabletRelease]
    )
    accepted = []
    with qtbot.waitSignal(pad.changed, timeout=1000):
        for kind, (pos, pressure) in zip(kinds, samples, strict=True):
            event = tablet_event(kind, pen, pos, pressure)
            QApplication.sendEvent(pad, event)
            accepted.append(event.isAccepted())
    assert all(accepted)  # accepted, so Qt makes no mouse copy of the pen
    [stroke] = pad.strokes()
    assert len(stroke) == len(samples)
    for (x, y, _t, p), (pos, pressure) in zip(stroke, samples, strict=True):
        assert (x, y) == pytest.approx((pos.x(), pos.y()))
        assert p == pytest.approx(pressure)
    assert ink_pixels(pad) > 20


def test_touch_draws_one_stroke_with_the_first_finger(qtbot: QtBot, pad: SignaturePad) -> None:
    screen = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    points = wave(40, 100, n=10)
    QTest.touchEvent(pad, screen).press(0, points[0], pad).commit()
    for p in points[1:5]:
        QTest.touchEvent(pad, screen).move(0, p, pad).commit()
    # A second finger lands and moves: it must not add ink of its own.
    QTest.touchEvent(pad, screen).stationary(0).press(1, QPoint(500, 50), pad).commit()
    QTest.touchEvent(pad, screen).stationary(0).move(1, QPoint(520, 60), pad).commit()
    QTest.touchEvent(pad, screen).stationary(0).release(1, QPoint(520, 60), pad).commit()
    for p in points[5:]:
        QTest.touchEvent(pad, screen).move(0, p, pad).commit()
    with qtbot.waitSignal(pad.changed, timeout=1000):
        QTest.touchEvent(pad, screen).release(0, points[-1], pad).commit()
    [stroke] = pad.strokes()
    assert [(round(x), round(y)) for x, y, _t, _p in stroke] == [(p.x(), p.y()) for p in points]


# -- the acceptance check ----------------------------------------------------------------------


def pts(coords: list[tuple[float, float]]) -> list[SignaturePoint]:
    return [(x, y, 10 * i, None) for i, (x, y) in enumerate(coords)]


def test_empty_is_refused() -> None:
    assert is_acceptable([]) == (False, is_acceptable([[]])[1])
    ok, message = is_acceptable([])
    # In the interface language only (Chinese here): no English line inside the Chinese UI.
    assert not ok and message == "请先在签名框内签名。"


def test_dot_is_refused() -> None:
    ok, message = is_acceptable([pts([(100, 100)])])
    assert not ok
    assert message.startswith("签名过短") and "sign" not in message


def test_tiny_scribble_is_refused() -> None:
    # Plenty of points and ink, but all inside a 12-pixel square.
    scribble = pts([(100 + 12 * (i % 2), 100 + (i * 7) % 12) for i in range(40)])
    ok, message = is_acceptable([scribble])
    assert not ok and message.startswith("签名太小")


def test_a_straight_line_is_refused() -> None:
    ok, message = is_acceptable([pts([(40 + 10 * i, 100) for i in range(30)])])
    assert not ok and message.startswith("签名只是一条直线")


def test_the_refusals_follow_the_interface_language(qapp: QApplication) -> None:
    from app.ui.i18n import switch_language

    switch_language(qapp, "en")
    try:
        assert is_acceptable([])[1] == "Please sign in the box first."
        scribble = pts([(100 + 12 * (i % 2), 100 + (i * 7) % 12) for i in range(40)])
        assert "too small" in is_acceptable([scribble])[1]
        line = pts([(40 + 10 * i, 100) for i in range(30)])
        assert "straight line" in is_acceptable([line])[1]
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in is_acceptable([line])[1])
    finally:
        switch_language(qapp, "zh_CN")


def test_a_real_signature_is_acceptable() -> None:
    strokes = [
        pts([(p.x(), p.y()) for p in wave(40, 100)]),
        pts([(p.x(), p.y()) for p in wave(230, 90, n=15, amp=20)]),
    ]
    assert is_acceptable(strokes) == (True, "")


# -- the dialog --------------------------------------------------------------------------------


def test_dialog_names_the_signer(dialog: SignatureDialog) -> None:
    assert "张三" in dialog.windowTitle() and "考评人员" in dialog.windowTitle()
    assert "张三" in dialog.prompt.text()
    assert dialog.cancel_button.text() == "取消"


def test_ok_on_a_dot_keeps_the_dialog_open_with_the_reason(
    qtbot: QtBot, dialog: SignatureDialog
) -> None:
    pad = dialog.pad
    qtbot.mouseClick(pad, LEFT, pos=QPoint(100, 100))
    assert len(pad.strokes()) == 1
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text().startswith("签名过短")
    # Writing again clears the complaint.
    draw(qtbot, pad, wave(40, 100))
    assert not dialog.error_label.isVisible()


def test_ok_on_empty_pad_is_refused_in_place(qtbot: QtBot, dialog: SignatureDialog) -> None:
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "请先在签名框内签名。"


def test_tiny_scribble_in_the_dialog_is_refused(qtbot: QtBot, dialog: SignatureDialog) -> None:
    draw(qtbot, dialog.pad, [QPoint(100 + 10 * (i % 2), 100 + (i * 5) % 10) for i in range(30)])
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible()
    assert dialog.error_label.text().startswith("签名太小")


def test_a_real_signature_is_accepted(qtbot: QtBot, dialog: SignatureDialog) -> None:
    draw(qtbot, dialog.pad, wave(40, 100))
    draw(qtbot, dialog.pad, wave(230, 90, n=15, amp=20))
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    assert [len(s) for s in dialog.strokes()] == [20, 15]


def test_undo_shortcut_and_buttons(qtbot: QtBot, dialog: SignatureDialog) -> None:
    assert not dialog.undo_button.isEnabled()  # nothing to undo yet
    draw(qtbot, dialog.pad, wave(40, 100))
    draw(qtbot, dialog.pad, wave(230, 90, n=15))
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [len(s) for s in dialog.strokes()] == [20]
    qtbot.mouseClick(dialog.clear_button, LEFT)
    assert dialog.strokes() == []
    assert not dialog.clear_button.isEnabled()


def test_cancel_rejects(qtbot: QtBot, dialog: SignatureDialog) -> None:
    draw(qtbot, dialog.pad, wave(40, 100))
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_buttons_are_reachable_with_tab(qtbot: QtBot, dialog: SignatureDialog) -> None:
    draw(qtbot, dialog.pad, wave(40, 100))
    dialog.activateWindow()
    dialog.clear_button.setFocus()
    seen = []
    for _ in range(4):
        seen.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert seen == [
        dialog.clear_button,
        dialog.undo_button,
        dialog.ok_button,
        dialog.cancel_button,
    ]


def test_set_strokes_shows_a_stored_signature(qtbot: QtBot, pad: SignaturePad) -> None:
    stored = [
        [(40.0 + 9 * i, 100.0 + 25 * math.sin(i), 12 * i, 0.5) for i in range(20)],
        [],  # an empty stroke carries nothing and is dropped
    ]
    with qtbot.waitSignal(pad.changed, timeout=1000):
        pad.set_strokes(stored)
    assert pad.strokes() == stored[:1]
    qtbot.waitUntil(lambda: ink_pixels(pad) > 20, timeout=2000)
    draw(qtbot, pad, wave(300, 100))
    assert len(pad.strokes()) == 2
