"""Tree rows whose text wraps onto more lines instead of being cut off with "…".

``QTreeView.setWordWrap`` wraps the painted text but sizes each row for one line, since the
default delegate does not know how wide the column is; this delegate measures the text at the
width the row really gets, and the tree lays its rows out again whenever that width changes.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

_TALL = 100_000  # no limit on the height a wrapped title may take


class WrappedTitles(QStyledItemDelegate):
    """Sizes each row of ``tree`` for its whole text, wrapped at the column's width."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self._tree = tree
        tree.setWordWrap(True)
        tree.setUniformRowHeights(False)
        tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        tree.setItemDelegate(self)
        # The header stretches its one column over the viewport: a narrower pane (the splitter,
        # the window) resizes the column, and the rows are measured again.
        tree.header().setStretchLastSection(True)
        tree.header().sectionResized.connect(self._relayout)

    def _relayout(self, *_args: object) -> None:
        self._tree.doItemsLayout()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        width = self._text_width(index)
        if width <= 0:
            return hint
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        needed = view_option.fontMetrics.boundingRect(
            QRect(0, 0, width, _TALL), Qt.TextFlag.TextWordWrap, view_option.text
        )
        padding = max(0, hint.height() - view_option.fontMetrics.height())
        return QSize(min(hint.width(), width), max(hint.height(), needed.height() + padding))

    def _text_width(self, index: QModelIndex | QPersistentModelIndex) -> int:
        """The width left for the text in the row of ``index``: the column, less the branch
        indentation of its depth and the style's text margins."""
        tree = self._tree
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        levels = depth + (1 if tree.rootIsDecorated() else 0)
        margin = tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
        column = tree.header().sectionSize(index.column()) or tree.viewport().width()
        return column - levels * tree.indentation() - 2 * margin
