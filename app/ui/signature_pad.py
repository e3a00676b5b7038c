"""On-screen signature capture: a pad for mouse, pen and touch, the check, and the dialog.

A signature is kept as vector strokes, each a list of ``(x, y, t_ms, pressure)`` points in the
pad's logical pixels, ``t_ms`` counted from when the pad was created and ``pressure`` (0..1)
``None`` for devices that do not measure it. That is the shape ``app.core.records`` stores.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QEventPoint,
    QInputDevice,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPointerEvent,
    QShortcut,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

SignaturePoint = tuple[float, float, int, float | None]
Stroke = list[SignaturePoint]
Strokes = list[Stroke]

# Below these a signature is a dot or an accidental scribble, not a name (logical pixels).
MIN_POINTS = 12
MIN_INK_LENGTH = 80.0
MIN_EXTENT = 30.0
# Ink no longer than this many times the bounding-box diagonal is one straight line.
MIN_CURVINESS = 1.15

INK = QColor("#10204a")
PEN_WIDTH = 2.6  # at pressure 0.5, or throughout when the device has no pressure

# Mouse events Qt makes up from pen or touch input: those strokes arrive through their own
# events, so the mouse copy would draw them twice.
_NOT_MOUSE = frozenset(
    {
        QInputDevice.DeviceType.TouchScreen,
        QInputDevice.DeviceType.Stylus,
        QInputDevice.DeviceType.Airbrush,
        QInputDevice.DeviceType.Puck,
    }
)


def ink_length(strokes: Sequence[Sequence[SignaturePoint]]) -> float:
    """Total length of the drawn lines (pen-up moves between strokes do not count)."""
    total = 0.0
    for stroke in strokes:
        for a, b in itertools.pairwise(stroke):
            total += math.hypot(b[0] - a[0], b[1] - a[1])
    return total


def is_acceptable(strokes: Sequence[Sequence[SignaturePoint]]) -> tuple[bool, str]:
    """Whether ``strokes`` look like a signature; if not, what to do, in the interface language."""
    points = [p for stroke in strokes for p in stroke]
    if not points:
        return False, _pad_tr("请先在签名框内签名。")
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    length = ink_length(strokes)
    if len(points) < MIN_POINTS or length < MIN_INK_LENGTH:
        return False, _pad_tr("签名过短，像是一个点或误触。请清除后用正常大小完整签写姓名。")
    if width < MIN_EXTENT and height < MIN_EXTENT:
        return False, _pad_tr("签名太小。请清除后在签名框内用正常大小签写姓名。")
    if length < MIN_CURVINESS * math.hypot(width, height):
        return False, _pad_tr("签名只是一条直线。请清除后完整签写姓名。")
    return True, ""


_CONTEXT = "SignatureDialog"


def _pad_tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


class SignaturePad(QWidget):
    """Captures strokes from mouse, pen (with pressure) and touch, and draws them smoothly."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: Strokes = []
        self._drawing: str | None = None  # "mouse", "tablet" or "touch" while a stroke is open
        self._touch_id = -1  # the finger drawing the open touch stroke
        self._stroke_start = (0, 0)  # (pad clock, event timestamp) at the open stroke's first point
        self._clock = QElapsedTimer()
        self._clock.start()
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.CrossCursor)
        # Room for a Chinese name in handwriting; fits a dialog on a 1366×768 screen.
        self.setMinimumSize(420, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("签名框"))

    def sizeHint(self) -> QSize:
        return QSize(640, 220)

    # -- data ---------------------------------------------------------------------------------

    def strokes(self) -> Strokes:
        """A copy of the strokes drawn so far, oldest first."""
        return [list(stroke) for stroke in self._strokes]

    def set_strokes(self, strokes: Sequence[Sequence[SignaturePoint]]) -> None:
        """Show ``strokes`` (a stored signature, for review); later ink is added after them."""
        self._drawing = None
        self._strokes = [list(stroke) for stroke in strokes if stroke]
        self.update()
        self.changed.emit()

    def is_empty(self) -> bool:
        return not self._strokes

    @Slot()
    def clear(self) -> None:
        self._drawing = None
        if self._strokes:
            self._strokes.clear()
            self.update()
            self.changed.emit()

    @Slot()
    def undo(self) -> None:
        """Remove the last stroke (the one being drawn, if a pen is still down)."""
        self._drawing = None
        if self._strokes:
            self._strokes.pop()
            self.update()
            self.changed.emit()

    # -- capture ------------------------------------------------------------------------------

    def _point(self, pos: QPointF, t_ms: int, pressure: float | None) -> SignaturePoint:
        # Kept inside the pad: a pen dragged past the edge keeps the stroke on the pad's border
        # rather than storing ink nobody saw.
        x = min(max(pos.x(), 0.0), float(self.width()))
        y = min(max(pos.y(), 0.0), float(self.height()))
        return (x, y, t_ms, pressure)

    def _time(self, event: QPointerEvent, last: int) -> int:
        # Within a stroke the device's own timestamps give the pace of writing, unaffected by
        # how late the event loop got to each event; the pad's clock places the stroke.
        clock, stamp = self._stroke_start
        if stamp and event.timestamp() >= stamp:
            t = clock + (event.timestamp() - stamp)
        else:  # events without a timestamp (synthesised ones)
            t = int(self._clock.elapsed())
        return max(t, last)

    def _begin(
        self, source: str, event: QPointerEvent, pos: QPointF, pressure: float | None
    ) -> None:
        self._drawing = source
        self._stroke_start = (int(self._clock.elapsed()), event.timestamp())
        point = self._point(pos, self._time(event, 0), pressure)
        self._strokes.append([point])
        self._update_around([point])

    def _extend(
        self, source: str, event: QPointerEvent, pos: QPointF, pressure: float | None
    ) -> None:
        if self._drawing != source or not self._strokes:
            return
        stroke = self._strokes[-1]
        last = stroke[-1]
        point = self._point(pos, self._time(event, last[2]), pressure)
        if (point[0], point[1], point[3]) == (last[0], last[1], last[3]):
            return
        stroke.append(point)
        self._update_around(stroke[-3:])

    def _end(self, source: str, event: QPointerEvent, pos: QPointF, pressure: float | None) -> None:
        if self._drawing != source:
            return
        self._extend(source, event, pos, pressure)
        self._drawing = None
        self.changed.emit()

    def _update_around(self, points: Sequence[SignaturePoint]) -> None:
        # Repaint only around the newest points: a new point reshapes the curve back to the
        # midpoint before the previous one, so the last three points bound what changed.
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        pad = PEN_WIDTH * 3
        rect = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        self.update(rect.adjusted(-pad, -pad, pad, pad).toAlignedRect())

    @staticmethod
    def _pressure(event: QPointerEvent, value: float) -> float | None:
        caps = event.pointingDevice().capabilities()
        return value if caps & QInputDevice.Capability.Pressure else None

    def _from_mouse(self, event: QMouseEvent) -> bool:
        return event.device().type() not in _NOT_MOUSE

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._from_mouse(event):
            if self._drawing is None:
                self._begin("mouse", event, event.position(), None)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton and self._from_mouse(event):
            self._extend("mouse", event, event.position(), None)
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._from_mouse(event):
            self._end("mouse", event, event.position(), None)
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        # Accepted, so Qt does not also deliver the same motion as mouse events.
        pressure = self._pressure(event, event.pressure())
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            if self._drawing is None:
                self._begin("tablet", event, event.position(), pressure)
        elif kind == QEvent.Type.TabletMove:
            self._extend("tablet", event, event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._end("tablet", event, event.position(), pressure)
        event.accept()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            self._touch(event)
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            if self._drawing == "touch":
                self.undo()
            event.accept()
            return True
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        # The finger that started the stroke writes; other fingers resting on the screen (or a
        # palm) are ignored, whichever order the platform lists the points in.
        if event.type() == QEvent.Type.TouchBegin and self._drawing is None:
            first = event.points()[0] if event.points() else None
            if first is not None:
                self._touch_id = first.id()
                pressure = self._pressure(event, first.pressure())
                self._begin("touch", event, first.position(), pressure)
            return
        for point in event.points():
            if point.id() != self._touch_id:
                continue
            pressure = self._pressure(event, point.pressure())
            state = point.state()
            if state == QEventPoint.State.Released or event.type() == QEvent.Type.TouchEnd:
                self._end("touch", event, point.position(), pressure)
            elif state == QEventPoint.State.Updated:
                self._extend("touch", event, point.position(), pressure)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setAccessibleName(self.tr("签名框"))
            self.update()  # the hint is drawn in the current language
        super().changeEvent(event)

    # -- drawing ------------------------------------------------------------------------------

    def baseline_y(self) -> float:
        return self.height() * 0.72

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1.0))
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        self._paint_guides(painter)
        for stroke in self._strokes:
            _paint_stroke(painter, stroke)
        painter.end()

    def _paint_guides(self, painter: QPainter) -> None:
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        margin = 24.0
        y = self.baseline_y()
        painter.setPen(QPen(muted, 1.0, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(margin, y), QPointF(self.width() - margin, y))
        if self._strokes:
            return
        painter.setPen(muted)
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        painter.setFont(font)
        box = QRectF(margin, 0.0, self.width() - 2 * margin, y - 8.0)
        painter.drawText(
            box,
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
            self.tr("请在此处签名 / Sign here"),
        )


def _width(pressure: float | None) -> float:
    if pressure is None:
        return PEN_WIDTH
    return PEN_WIDTH * (0.35 + 1.3 * min(max(pressure, 0.0), 1.0))


def _paint_stroke(painter: QPainter, stroke: Sequence[SignaturePoint]) -> None:
    """Quadratic curves through the midpoints, so sampled mouse points read as a smooth line."""
    if not stroke:
        return
    pts = [QPointF(p[0], p[1]) for p in stroke]
    if len(pts) == 1:
        painter.setPen(_pen(_width(stroke[0][3]) * 1.2))
        painter.drawPoint(pts[0])
        return
    mids = [(a + b) / 2 for a, b in itertools.pairwise(pts)]
    if all(p[3] is None for p in stroke):
        path = QPainterPath(pts[0])
        path.lineTo(mids[0])
        for i in range(1, len(mids)):
            path.quadTo(pts[i], mids[i])
        path.lineTo(pts[-1])
        painter.strokePath(path, _pen(PEN_WIDTH))
        return
    # With pressure each piece gets its own width, so the line swells and thins as written.
    piece = QPainterPath(pts[0])
    piece.lineTo(mids[0])
    painter.strokePath(piece, _pen(_width(stroke[0][3])))
    for i in range(1, len(mids)):
        piece = QPainterPath(mids[i - 1])
        piece.quadTo(pts[i], mids[i])
        painter.strokePath(piece, _pen(_width(stroke[i][3])))
    piece = QPainterPath(mids[-1])
    piece.lineTo(pts[-1])
    painter.strokePath(piece, _pen(_width(stroke[-1][3])))


def _pen(width: float) -> QPen:
    return QPen(
        INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
    )


class SignatureDialog(QDialog):
    """Asks one named person to sign; ``exec()`` returns Accepted only with an acceptable signature.

    After acceptance ``strokes()`` holds the signature, ready for the records service.
    """

    def __init__(self, name: str, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._role = role
        self.setModal(True)

        self.prompt = QLabel(self)
        self.prompt.setWordWrap(True)
        self.pad = SignaturePad(self)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("signatureError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.clear_button = QPushButton(self)
        self.undo_button = QPushButton(self)
        self.buttons = QDialogButtonBox(self)
        # Our own buttons with roles, not standard ones: on a language change Qt resets a
        # standard button's text to its own wording, overwriting ours.
        self.ok_button = QPushButton(self)
        self.cancel_button = QPushButton(self)
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.clear_button, self.undo_button):
            button.setAutoDefault(False)
        self.ok_button.setDefault(True)

        self.undo_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        self.undo_shortcut.activated.connect(self.pad.undo)
        self.clear_button.clicked.connect(self.pad.clear)
        self.undo_button.clicked.connect(self.pad.undo)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.pad.changed.connect(self._on_pad_changed)

        row = QHBoxLayout()
        row.addWidget(self.clear_button)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(row)
        self.setTabOrder(self.clear_button, self.undo_button)
        self.setTabOrder(self.undo_button, self.ok_button)
        self.setTabOrder(self.ok_button, self.cancel_button)

        self._on_pad_changed()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(
            self.tr("签名：%1（%2）").replace("%1", self._name).replace("%2", self._role)
        )
        self.prompt.setText(
            self.tr("请 %1（%2）在下方框内签写本人姓名。")
            .replace("%1", self._name)
            .replace("%2", self._role)
        )
        self.clear_button.setText(self.tr("清除(&C)"))
        self.clear_button.setToolTip(self.tr("擦除全部笔画"))
        self.undo_button.setText(self.tr("撤销(&U)"))
        self.undo_button.setToolTip(self.tr("撤销上一笔 (Ctrl+Z)"))
        self.ok_button.setText(self.tr("确定"))
        self.cancel_button.setText(self.tr("取消"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def strokes(self) -> Strokes:
        return self.pad.strokes()

    @Slot()
    def _on_pad_changed(self) -> None:
        self.error_label.hide()
        self.error_label.clear()
        has_ink = not self.pad.is_empty()
        self.clear_button.setEnabled(has_ink)
        self.undo_button.setEnabled(has_ink)

    def show_error(self, message: str) -> None:
        """Show why OK was refused, under the pad; cleared when the signer writes again."""
        # In the dialog rather than a message box: the signer sees it beside the pad.
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        ok, message = is_acceptable(self.pad.strokes())
        if not ok:
            self.show_error(message)
            return
        super().accept()
