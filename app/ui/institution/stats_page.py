"""The institution's statistics: the records in force by article, clause, party, site,
occupation and level, evaluation type and month (by incident date), or the decided cases by
decision date; each breakdown as a bar chart and a table; the whole as an Excel workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.errors import show_in_place
from app.ui.institution.bar_chart import BarChart
from app.ui.labels import article_label, evaluation_type_label, party_label

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.records.service import Workspace
    from app.core.stats.counts import Stats


def ask_xlsx_path(parent: QWidget) -> Path | None:
    """Where to write the workbook (tests replace this function); None when cancelled."""
    name, _ = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("StatsPage", "导出统计"),
        "statistics.xlsx",
        "Excel (*.xlsx)",
    )
    return Path(name) if name else None


class StatsPage(QWidget):
    backRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.account: Account | None = None
        self.stats: Stats | None = None
        self.title = QLabel(self)
        self.by_combo = QComboBox(self)
        self.range_check = QCheckBox(self)
        today = dt.date.today()
        self.from_edit = QDateEdit(QDate(today.year, 1, 1), self)
        self.to_edit = QDateEdit(QDate(today.year, 12, 31), self)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.range_check.toggled.connect(self.from_edit.setEnabled)
        self.range_check.toggled.connect(self.to_edit.setEnabled)
        self.breakdown_combo = QComboBox(self)
        self.count_button = QPushButton(self)
        self.count_button.clicked.connect(self.count)
        self.export_button = QPushButton(self)
        self.export_button.clicked.connect(self.export)
        self.back_button = QPushButton(self)
        self.back_button.clicked.connect(self.backRequested)
        self.total_label = QLabel(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()
        self.chart = BarChart(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        self.table = QTableWidget(0, 2, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(scroll)
        splitter.addWidget(self.table)
        splitter.setSizes([900, 400])
        self.breakdown_combo.currentIndexChanged.connect(self._show_breakdown)

        controls = QHBoxLayout()
        for widget in (
            self.by_combo, self.range_check, self.from_edit, self.to_edit, self.count_button,
            self.breakdown_combo,
        ):  # fmt: skip
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.total_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addLayout(controls)
        column.addWidget(self.message)
        column.addWidget(splitter, 1)
        column.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("统计（有效的违纪违规记录，或已作出处理决定的案件）"))
        by = self.by_combo.currentData()
        self.by_combo.clear()
        self.by_combo.addItem(self.tr("按事发日期统计记录"), "incident")
        self.by_combo.addItem(self.tr("按处理决定日期统计案件"), "decision")
        self.by_combo.setCurrentIndex(max(0, self.by_combo.findData(by)))
        self.range_check.setText(self.tr("日期范围(&R)："))
        self.count_button.setText(self.tr("统计(&T)"))
        self.export_button.setText(self.tr("导出 Excel(&X)…"))
        self.back_button.setText(self.tr("返回机构主页(&B)"))
        self.table.setHorizontalHeaderLabels([self.tr("分类"), self.tr("数量")])
        chosen = self.breakdown_combo.currentData()
        self.breakdown_combo.blockSignals(True)
        self.breakdown_combo.clear()
        for name, text in self._breakdowns():
            self.breakdown_combo.addItem(text, name)
        self.breakdown_combo.setCurrentIndex(max(0, self.breakdown_combo.findData(chosen)))
        self.breakdown_combo.blockSignals(False)
        self._show_breakdown()

    def _breakdowns(self) -> list[tuple[str, str]]:
        return [
            ("article", self.tr("按条")),
            ("clause", self.tr("按款项")),
            ("party", self.tr("按当事方")),
            ("site", self.tr("按考点")),
            ("occupation_level", self.tr("按职业（工种）及等级")),
            ("evaluation_type", self.tr("按评价类型")),
            ("month", self.tr("按月份")),
            ("filed_occupation", self.tr("按备案职业（工种）")),
        ]

    def show_account(self, workspace: Workspace, account: Account) -> None:
        self.workspace, self.account = workspace, account
        self.count()

    def _range(self) -> tuple[dt.date | None, dt.date | None]:
        if not self.range_check.isChecked():
            return None, None
        first, last = self.from_edit.date(), self.to_edit.date()
        return (
            dt.date(first.year(), first.month(), first.day()),
            dt.date(last.year(), last.month(), last.day()),
        )

    @Slot()
    def count(self) -> None:
        """Count again with the choices as they are set."""
        from app.core.errors import UserError
        from app.core.stats.service import statistics

        if self.workspace is None:
            return
        self.message.hide()
        first, last = self._range()
        try:
            self.stats = statistics(self.workspace, str(self.by_combo.currentData()), first, last)
        except UserError as exc:
            show_in_place(self.message, str(exc))
            self.message.show()
            return
        self.total_label.setText(self.tr("合计：%1").replace("%1", str(self.stats.total)))
        self._show_breakdown()

    @Slot()
    def _show_breakdown(self) -> None:
        rows = self.shown_rows()
        self.chart.set_rows(rows)
        self.table.setRowCount(len(rows))
        for row, (key, count) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(key))
            item = QTableWidgetItem(str(count))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, item)

    def shown_rows(self) -> list[tuple[str, int]]:
        """The chosen breakdown as shown: (label, count) rows."""
        if self.stats is None:
            return []
        name = str(self.breakdown_combo.currentData())
        return [(self._label(name, key), n) for key, n in self.stats.breakdowns.get(name, [])]

    def _label(self, breakdown: str, key: str) -> str:
        if key == "-":
            if breakdown == "filed_occupation":
                return self.tr("未备案或超出备案范围")
            return self.tr("（无）")
        if breakdown == "article" and key.isdigit():
            return article_label(int(key))
        if breakdown == "party":
            return party_label(key)  # type: ignore[arg-type]
        if breakdown == "evaluation_type":
            return evaluation_type_label(key)
        return key

    @Slot()
    def export(self) -> Path | None:
        """The statistics and the register of records in force, as a new workbook."""
        from app.core.errors import UserError
        from app.core.stats.service import export_workbook

        if self.workspace is None:
            return None
        path = ask_xlsx_path(self)
        if path is None:
            return None
        first, last = self._range()
        try:
            export_workbook(self.workspace, path, str(self.by_combo.currentData()), first, last)
        except UserError as exc:
            show_in_place(self.message, str(exc))
            self.message.show()
            return None
        show_in_place(self.message, self.tr("已导出：%1").replace("%1", str(path)), ok=True)
        self.message.show()
        return path
