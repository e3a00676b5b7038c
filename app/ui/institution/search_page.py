"""One search box across every imported session: people (name by its first characters, ID
number and ticket exactly), records and cases; a hit opens its case, its record as the PDF
report, or the person's session. A search for an ID number is audited with the account."""

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

from app.ui.errors import show_in_place

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.records.service import Workspace
    from app.core.search.query import Hit

HIT_ROLE = Qt.ItemDataRole.UserRole


class SearchPage(QWidget):
    caseRequested = Signal(str)  # a case id
    recordRequested = Signal(str, str)  # session id, record id: shown as its PDF report
    sessionRequested = Signal(str)  # a person's session, read-only
    backRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.account: Account | None = None
        self.hits: list[Hit] = []
        self.title = QLabel(self)
        self.edit = QLineEdit(self)
        self.edit.returnPressed.connect(self.search)
        self.search_button = QPushButton(self)
        self.search_button.clicked.connect(self.search)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemActivated.connect(lambda item: self.open_hit(item.row()))
        self.table.itemDoubleClicked.connect(lambda item: self.open_hit(item.row()))
        self.back_button = QPushButton(self)
        self.back_button.clicked.connect(self.backRequested)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.search_button)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.back_button)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addLayout(row)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)
        column.addLayout(bottom)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("查找（所有已导入的场次）"))
        self.edit.setPlaceholderText(
            self.tr("姓名（可只输前几个字）、证件号码、准考证号、工号、记录编号或案件编号")
        )
        self.search_button.setText(self.tr("查找(&F)"))
        self.back_button.setText(self.tr("返回机构主页(&B)"))
        self.table.setHorizontalHeaderLabels([self.tr("类别"), self.tr("内容"), self.tr("场次")])

    def show_account(self, workspace: Workspace, account: Account) -> None:
        self.workspace, self.account = workspace, account
        self.edit.setFocus()

    def _type_label(self, kind: str) -> str:
        return {
            "person": self.tr("人员"),
            "incident": self.tr("违纪违规记录"),
            "case": self.tr("案件"),
        }.get(kind, kind)

    @Slot()
    def search(self) -> list[Hit]:
        """What the text finds; an ID number searched for is written to the audit log."""
        from app.core.errors import UserError
        from app.core.search.service import search

        if self.workspace is None or self.account is None:
            return []
        text = self.edit.text().strip()
        if not text:
            show_in_place(self.message, self.tr("请输入要查找的内容。"), focus=self.edit)
            return []
        try:
            self.hits = search(self.workspace, self.account, text)
        except UserError as exc:
            show_in_place(self.message, str(exc), focus=self.edit)
            return []
        sessions = {s["id"]: f"{s['exam_date'] or ''} {s['site_name']}".strip()
                    for s in self.workspace.list_sessions()}  # fmt: skip
        self.table.setRowCount(len(self.hits))
        for row, hit in enumerate(self.hits):
            where = sessions.get(hit.session_id or "", "") if hit.session_id else "—"
            shown = (self._type_label(hit.type), _label(hit.label), where)
            for column, text in enumerate(shown):
                item = QTableWidgetItem(text)
                item.setData(HIT_ROLE, row)
                self.table.setItem(row, column, item)
        show_in_place(
            self.message,
            self.tr("找到 %1 项。双击打开。").replace("%1", str(len(self.hits)))
            if self.hits
            else self.tr("没有找到。"),
            ok=bool(self.hits),
        )
        return self.hits

    def open_hit(self, row: int) -> None:
        """A case opens in its window, a record as its PDF report, a person's session
        read-only."""
        if not 0 <= row < len(self.hits):
            return
        hit = self.hits[row]
        if hit.type == "case":
            self.caseRequested.emit(hit.id)
        elif hit.type == "incident" and hit.session_id:
            self.recordRequested.emit(hit.session_id, hit.id)
        elif hit.session_id:
            self.sessionRequested.emit(hit.session_id)


def _label(label: str) -> str:
    """The core's label with its words for parties and statuses in the interface's language
    (the label's parts are joined by " · ")."""
    from app.core.records.status import RecordStatus
    from app.ui.dashboard.incident_model import status_label as record_status
    from app.ui.institution.cases.labels import status_label as case_status
    from app.ui.institution.cases.labels import statuses
    from app.ui.labels import party_label

    parts = []
    for part in label.split(" · "):
        if part in ("candidate", "staff", "institution"):
            part = party_label(part)  # type: ignore[arg-type]
        elif part in statuses():
            part = case_status(part)
        elif part in RecordStatus._value2member_map_:
            part = record_status(part, at_institution=True)
        parts.append(part)
    return " · ".join(parts)
