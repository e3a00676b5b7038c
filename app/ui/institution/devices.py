"""The institution's devices (机构 → 设备): every laptop whose bundles it has seen, accepted or
revoked, by fingerprint. An admin accepts a laptop that came without a kit (after comparing
its whole fingerprint with the site) or revokes a lost one, with a reason; a reviewer only
looks. The same service as ``proctor-desk institution devices/accept/revoke``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.ui.errors import show_in_place

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.institution.devices import DeviceRow
    from app.core.records.service import Workspace


def ask_reason(parent: QWidget, title: str, label: str) -> str | None:
    """The revocation's reason (tests replace this function); None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None


class DevicesDialog(QDialog):
    """The device list with accept and revoke for an admin."""

    def __init__(self, workspace: Workspace, account: Account, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.account = workspace, account
        self.rows: list[DeviceRow] = []
        self.setWindowTitle(self.tr("设备"))
        self.intro = QLabel(
            self.tr(
                "经考点包认证的设备自动接受。没有考点包的设备，须与考点核对完整指纹后接受；"
                "丢失的设备请吊销，吊销后其同步包一律拒绝。"
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("指纹"), self.tr("设备代码"), self.tr("状态")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.accept_button = QPushButton(self.tr("接受(&A)"), self)
        self.accept_button.setAutoDefault(False)  # Enter never accepts or revokes a device
        self.accept_button.clicked.connect(self.accept_selected)
        self.revoke_button = QPushButton(self.tr("吊销(&R)…"), self)
        self.revoke_button.setAutoDefault(False)
        self.revoke_button.clicked.connect(self.revoke_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(self.accept_button)
        actions.addWidget(self.revoke_button)
        actions.addStretch(1)
        actions.addWidget(close)
        column = QVBoxLayout(self)
        column.addWidget(self.intro)
        column.addWidget(self.table, 1)
        column.addWidget(self.message)
        column.addLayout(actions)
        self.resize(900, 420)
        self.refresh()

    def refresh(self) -> None:
        from app.core.institution.devices import devices

        self.rows = devices(self.workspace.data_dir)
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            for column, text in enumerate((row.fingerprint, row.code or "?", self._status(row))):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self._update_buttons()

    def _status(self, row: DeviceRow) -> str:
        if row.status == "revoked":
            day = row.changed_on.isoformat() if row.changed_on is not None else ""
            return self.tr("已吊销 %1：%2").replace("%1", day).replace("%2", row.note)
        if row.status == "trusted":
            return self.tr("已由管理员接受")
        return self.tr("经考点包认证或已导入")

    def selected(self) -> DeviceRow | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        return self.rows[rows.pop()] if len(rows) == 1 else None

    @Slot()
    def _update_buttons(self) -> None:
        row = self.selected()
        admin = self.account.role == "admin"
        self.accept_button.setEnabled(
            admin and row is not None and row.status not in ("trusted", "revoked")
        )
        self.revoke_button.setEnabled(admin and row is not None and row.status != "revoked")

    @Slot()
    def accept_selected(self) -> None:
        from app.core.institution.devices import accept

        row = self.selected()
        if row is None or self.account.role != "admin":
            return
        try:
            accept(self.workspace.data_dir, row.fingerprint, account=self.account.name)
        except UserError as exc:
            show_in_place(self.message, str(exc))
            return
        show_in_place(
            self.message, self.tr("已接受设备 %1").replace("%1", row.fingerprint), ok=True
        )
        self.refresh()

    @Slot()
    def revoke_selected(self) -> None:
        from app.core.institution.devices import revoke

        row = self.selected()
        if row is None or self.account.role != "admin":
            return
        reason = ask_reason(self, self.tr("吊销设备"), self.tr("吊销原因（将随记录保存）："))
        if reason is None:
            return
        if not reason.strip():
            show_in_place(self.message, self.tr("请说明吊销原因。"))
            return
        try:
            revoke(self.workspace.data_dir, row.fingerprint, reason, account=self.account.name)
        except UserError as exc:
            show_in_place(self.message, str(exc))
            return
        show_in_place(
            self.message, self.tr("已吊销设备 %1").replace("%1", row.fingerprint), ok=True
        )
        self.refresh()
