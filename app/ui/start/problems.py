"""The table of roster problems: file, row, column and reason, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app.ui.start.rosters import FileProblem


def show_problems(table: QTableWidget, problems: Sequence[FileProblem]) -> None:
    """Fill ``table`` (columns: file, row, column, reason) and show it; hide it when empty."""
    chinese = QLocale().language() == QLocale.Language.Chinese
    table.setRowCount(len(problems))
    for row, problem in enumerate(problems):
        values = (
            problem.path,
            "" if problem.row is None else str(problem.row),
            problem.column or "",
            problem.reason_zh if chinese else problem.reason_en,
        )
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            table.setItem(row, column, item)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    for column in range(3):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    table.setVisible(bool(problems))


def problem_rows(table: QTableWidget) -> list[tuple[str, str, str, str]]:
    """What the table shows, row by row (for tests and copying)."""
    rows = []
    for row in range(table.rowCount()):
        cells = [table.item(row, c) for c in range(4)]
        rows.append(tuple(c.text() if c is not None else "" for c in cells))
    return rows  # type: ignore[return-value]
