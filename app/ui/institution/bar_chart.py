"""A horizontal bar chart drawn with QPainter: one labelled bar per key, its count at its end.

The statistics need bars and nothing more, so no charting library is added (QtCharts is not
part of the PySide6 the app ships, and its add-on package is large)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#2f6f9f")
GRID = QColor("#d0d0d0")
ROW_HEIGHT = 24
MARGIN = 8


class BarChart(QWidget):
    """Bars for ``(label, count)`` rows, longest count spanning the width left after labels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(ROW_HEIGHT * 2)

    def set_rows(self, rows: Sequence[tuple[str, int]]) -> None:
        self.rows = list(rows)
        self.setMinimumHeight(max(2, len(self.rows)) * ROW_HEIGHT + 2 * MARGIN)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, max(2, len(self.rows)) * ROW_HEIGHT + 2 * MARGIN)

    def bar_widths(self) -> list[float]:
        """Each bar's drawn length in pixels (for tests: proportional to its count)."""
        _, bar_space = self._columns()
        most = max((count for _, count in self.rows), default=0)
        return [bar_space * count / most if most else 0.0 for _, count in self.rows]

    def _columns(self) -> tuple[int, float]:
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(label) for label, _ in self.rows), default=0)
        label_width = min(widest + 4, self.width() // 3)  # a little room: never elided if it fits
        count_width = metrics.horizontalAdvance("0000000")
        bar_space = max(0.0, float(self.width() - label_width - count_width - 4 * MARGIN))
        return label_width, bar_space

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        label_width, _ = self._columns()
        left = MARGIN + label_width + MARGIN
        painter.setPen(GRID)
        painter.drawLine(left, MARGIN, left, MARGIN + len(self.rows) * ROW_HEIGHT)
        for row, ((label, count), width) in enumerate(
            zip(self.rows, self.bar_widths(), strict=True)
        ):
            top = MARGIN + row * ROW_HEIGHT
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width)
            painter.setPen(self.palette().windowText().color())
            painter.drawText(
                QRectF(MARGIN, top, label_width, ROW_HEIGHT),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            painter.fillRect(QRectF(left, top + 4, width, ROW_HEIGHT - 8), BAR)
            painter.drawText(
                QRectF(left + width + MARGIN, top, 10 * MARGIN, ROW_HEIGHT),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                str(count),
            )
        painter.end()
