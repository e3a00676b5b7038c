"""The institution's home, once an account signed in: its sessions (planned here or sent by
the sites, with their record counts), opened read-only; for an admin, a new session plan with
its rosters, a session's site kit, bundle import and the devices; signing out. A reviewer may
look at everything and change nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.labels import level_label

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.records.service import Workspace

SESSION_ID_ROLE = Qt.ItemDataRole.UserRole
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class InstitutionHome(QWidget):
    """Imported sessions and what the signed-in account may do with them."""

    openRequested = Signal(str)  # a session id, to view read-only
    planRequested = Signal()  # a new session plan, its rosters next
    kitRequested = Signal(str)  # the site kit of a session
    importRequested = Signal()
    devicesRequested = Signal()
    casesRequested = Signal()  # the list of cases (Art. 16–20)
    art8Requested = Signal()  # a case found after the evaluation (Art. 8)
    filingRequested = Signal()  # the institution's filing (备案信息)
    searchRequested = Signal(str)  # what to look for across every session
    statsRequested = Signal()
    signOutRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.account: Account | None = None
        self.header = QLabel(self)
        self.header.setObjectName("headerLabel")
        self.header.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.open_selected())
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.open_button = QPushButton(self)
        self.open_button.clicked.connect(self.open_selected)
        self.plan_button = QPushButton(self)
        self.plan_button.clicked.connect(self.planRequested)
        self.kit_button = QPushButton(self)
        self.kit_button.clicked.connect(self._kit_for_selected)
        self.import_button = QPushButton(self)
        self.import_button.clicked.connect(self.importRequested)
        self.devices_button = QPushButton(self)
        self.devices_button.clicked.connect(self.devicesRequested)
        self.cases_button = QPushButton(self)
        self.cases_button.clicked.connect(self.casesRequested)
        self.art8_button = QPushButton(self)
        self.art8_button.clicked.connect(self.art8Requested)
        self.filing_button = QPushButton(self)
        self.filing_button.clicked.connect(self.filingRequested)
        self.sign_out_button = QPushButton(self)
        self.sign_out_button.clicked.connect(self.signOutRequested)
        # Beside the header: one search box across every session, and the statistics.
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(self._search)
        self.search_button = QPushButton(self)
        self.search_button.clicked.connect(self._search)
        self.stats_button = QPushButton(self)
        self.stats_button.clicked.connect(self.statsRequested)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.search_button)
        top.addWidget(self.stats_button)
        buttons = QHBoxLayout()
        for button in (
            self.open_button, self.cases_button, self.art8_button, self.plan_button,
            self.kit_button, self.import_button, self.devices_button, self.filing_button,
        ):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_out_button)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.table, 1)
        column.addWidget(self.empty)
        column.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [self.tr("考试日期"), self.tr("考点"), self.tr("职业（工种）及等级"),
             self.tr("记录数"), self.tr("状态")]
        )  # fmt: skip
        self.empty.setText(
            self.tr("尚无场次。请新建场次计划并导出考点包，或导入考点发来的同步包。")
        )
        self.open_button.setText(self.tr("查看场次(&O)"))
        self.plan_button.setText(self.tr("新建场次计划(&N)…"))
        self.kit_button.setText(self.tr("导出考点包(&K)…"))
        self.import_button.setText(self.tr("导入同步包(&I)…"))
        self.devices_button.setText(self.tr("设备(&D)…"))
        self.filing_button.setText(self.tr("备案信息(&B)…"))
        self.search_edit.setPlaceholderText(self.tr("查找姓名、证件号码、准考证号、记录或案件…"))
        self.search_button.setText(self.tr("查找(&S)"))
        self.stats_button.setText(self.tr("统计(&T)"))
        self.cases_button.setText(self.tr("案件(&C)"))
        self.art8_button.setText(self.tr("事后发现（第八条）(&A)…"))
        self.art8_button.setToolTip(
            self.tr("评价活动结束后发现并经确认的违纪违规：没有考点记录，在此立案")
        )
        self.sign_out_button.setText(self.tr("退出登录(&Q)"))
        self._fill_header()
        if self.workspace is not None:
            self.refresh()

    def show_account(self, workspace: Workspace, account: Account) -> None:
        self.workspace, self.account = workspace, account
        self._fill_header()
        admin = account.role == "admin"
        # A reviewer looks; plans, kits, imports and devices' acceptance are an admin's acts.
        self.import_button.setEnabled(admin)
        self.plan_button.setEnabled(admin)
        self.art8_button.setEnabled(admin)
        self.devices_button.setEnabled(True)
        self.refresh()

    def _fill_header(self) -> None:
        if self.workspace is None or self.account is None:
            self.header.clear()
            return
        from app.core.trust.institution import load_public

        try:
            name = load_public(self.workspace.data_dir).name
        except Exception:  # shown as the folder's, never a reason not to show the page
            name = str(self.workspace.data_dir)
        role = self.tr("管理员") if self.account.role == "admin" else self.tr("审阅人")
        self.header.setText(
            self.tr("评价机构：%1　·　已登录：%2（%3）")
            .replace("%1", name)
            .replace("%2", self.account.name)
            .replace("%3", role)
        )

    def refresh(self) -> None:
        """The sessions as the database holds them now."""
        if self.workspace is None:
            return
        chosen = self.selected_session()
        sessions = self.workspace.list_sessions()
        self.table.setRowCount(len(sessions))
        for row, session in enumerate(sessions):
            status = self.tr("已清理") if session["purged"] else self.tr("待评价机构认定")
            values = [
                session["exam_date"] or "",
                session["site_name"],
                f"{session['occupation']} {level_label(session['level'])}",
                str(session["incidents"]),
                status,
            ]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(SESSION_ID_ROLE, session["id"])
                if column == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
            if session["id"] == chosen:
                self.table.selectRow(row)
        self.empty.setVisible(not sessions)
        self.table.setVisible(bool(sessions))
        self._update_buttons()

    def select_session(self, session_id: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(SESSION_ID_ROLE) == session_id:
                self.table.selectRow(row)

    def selected_session(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(SESSION_ID_ROLE)) if items else None

    @Slot()
    def open_selected(self) -> None:
        session_id = self.selected_session()
        if session_id is not None:
            self.openRequested.emit(session_id)

    @Slot()
    def _kit_for_selected(self) -> None:
        session_id = self.selected_session()
        if session_id is not None:
            self.kitRequested.emit(session_id)

    @Slot()
    def _search(self) -> None:
        self.searchRequested.emit(self.search_edit.text().strip())

    @Slot()
    def _update_buttons(self) -> None:
        chosen = self.selected_session() is not None
        self.open_button.setEnabled(chosen)
        admin = self.account is not None and self.account.role == "admin"
        self.kit_button.setEnabled(chosen and admin)
