"""Finding text that does not fit: labels, buttons and group-box titles narrower than their
text, or shown elided. The translation and layout tests use it (the app itself never
needs it, so it costs the app's start-up nothing).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt  # Qt.mightBeRichText lives in QtGui
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionGroupBox,
    QToolButton,
    QWidget,
)

_ACCEL = re.compile(r"&(&|(?=.))")


def display_text(text: str) -> str:
    """``text`` as drawn: accelerator markers removed, ``&&`` shown as ``&``."""
    return _ACCEL.sub(lambda m: "&" if m.group(1) == "&" else "", text)


def _text_width(widget: QWidget, text: str) -> int:
    metrics = widget.fontMetrics()
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _is_elided(text: str, tooltip: str) -> bool:
    # Elided text ends in "…" and the full text is kept for the tooltip.
    stem = text.rstrip("…")
    return text.endswith("…") and len(tooltip) > len(stem) and tooltip.startswith(stem)


def _label_need(label: QLabel) -> tuple[int, int] | None:
    """(needed, available) width for a plain, non-wrapping label; None when not measurable."""
    if label.wordWrap() or not label.pixmap().isNull():
        return None
    text = label.text()
    if not text:
        return None
    text_format = label.textFormat()
    if text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    ):
        return None
    shown = display_text(text) if label.buddy() is not None else text
    indent = label.indent()
    if indent < 0:  # Qt's default: half an "x" when the label has a frame
        indent = label.fontMetrics().horizontalAdvance("x") // 2 if label.frameWidth() > 0 else 0
    available = label.contentsRect().width() - 2 * label.margin() - indent
    return _text_width(label, shown), available


def _button_need(button: QAbstractButton) -> tuple[int, int] | None:
    text = display_text(button.text())
    if not text:
        return None
    if isinstance(button, (QCheckBox, QRadioButton)):
        # Their size hint is exactly indicator + spacing + text (+ icon), with no padding.
        return button.sizeHint().width(), button.width()
    style = button.style()
    need = _text_width(button, text)
    if not button.icon().isNull():
        need += button.iconSize().width() + 4
    if isinstance(button, (QPushButton, QToolButton)):
        # The padding Qt's own size hint adds around the text (before any minimum width).
        need += style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, button)
        need += 2 * style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, button)
    return need, button.width()


def _group_need(box: QGroupBox) -> tuple[int, int] | None:
    if not box.title():
        return None
    option = QStyleOptionGroupBox()
    box.initStyleOption(option)
    label = box.style().subControlRect(
        QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxLabel, box
    )
    return label.right() + 1, box.rect().right() + 1


def _describe(widget: QWidget, text: str) -> str:
    name = widget.objectName() or "(unnamed)"
    return f"{type(widget).__name__} {name} {text!r}"


def find_clipped_widgets(root: QWidget) -> list[str]:
    """Describe every visible label, button or group-box title under ``root`` whose text does
    not fit its width, or is shown elided. Show ``root`` and let its layout settle first.

    Word-wrapping and rich-text labels are skipped: they reflow instead of clipping.
    """
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        measured: tuple[int, int] | None
        if isinstance(widget, QLabel):
            text = widget.text()
            measured = _label_need(widget)
        elif isinstance(widget, QAbstractButton):
            text = widget.text()
            measured = _button_need(widget)
        elif isinstance(widget, QGroupBox):
            text = widget.title()
            measured = _group_need(widget)
        else:
            continue
        if _is_elided(text, widget.toolTip()):
            problems.append(f"{_describe(widget, text)} is elided")
        elif measured is not None and measured[0] > measured[1]:
            need, have = measured
            problems.append(f"{_describe(widget, text)} needs {need} px, has {have} px")
    return problems
