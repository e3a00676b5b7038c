"""A violation found after the evaluation (Art. 8), confirmed, opened as a case without a site
record: who, which clause, when the evaluation was and when it was found, whether a
certificate was issued and which (number, occupation, level, issue date, whether its data is
online), what was found, and who confirmed it (two staff and the responsible person, as Art. 16
¶1 asks). The core checks it all again and names the field at fault."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.errors import show_in_place
from app.ui.institution.cases.labels import id_type_label
from app.ui.labels import clause_title, level_label

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.records.service import Workspace

_ID_TYPES = ("resident_id", "hk_macao_permit", "taiwan_permit", "passport",
             "foreign_permanent_resident")  # fmt: skip
# The certificates table: its columns, and the row a refusal names (certificates[N]).
NUMBER, OCCUPATION, LEVEL, ISSUED, ONLINE = range(5)
_ENTRY = re.compile(r"certificates\[(\d+)\]")


def _date_edit(day: dt.date, parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _iso(edit: QDateEdit) -> str:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day()).isoformat()


class Art8Dialog(QDialog):
    """The finding and its confirmation; on OK the case is opened (``case_id``)."""

    def __init__(
        self, workspace: Workspace, account: Account, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from app.core.rulebook.loader import DEFAULT_RULEBOOK_ID, load_rulebook
        from app.core.rulebook.model import Party

        self.workspace, self.account = workspace, account
        self.case_id: str | None = None
        self.setWindowTitle(self.tr("评价活动结束后发现的违纪违规（第八条）"))
        form = QFormLayout()
        self.name = QLineEdit(self)
        form.addRow(self.tr("姓名(&N)："), self.name)
        self.id_type = QComboBox(self)
        for value in _ID_TYPES:
            self.id_type.addItem(id_type_label(value), value)
        form.addRow(self.tr("证件类型(&T)："), self.id_type)
        self.id_number = QLineEdit(self)
        form.addRow(self.tr("证件号码(&I)："), self.id_number)
        self.clause = QComboBox(self)
        rulebook = load_rulebook(DEFAULT_RULEBOOK_ID)
        for clause in rulebook.clauses.values():
            if rulebook.articles[clause.article].party is Party.CANDIDATE:
                self.clause.addItem(f"{clause.id} {clause_title(clause)}", clause.id)
        form.addRow(self.tr("条款(&C)："), self.clause)
        self.severity = QComboBox(self)
        self.severity.addItem(self.tr("不适用或待认定"), None)
        self.severity.addItem(self.tr("情节轻微"), "minor")
        self.severity.addItem(self.tr("情节严重"), "serious")
        form.addRow(self.tr("情节（第七条）(&S)："), self.severity)
        self.exam_date = _date_edit(today, self)
        form.addRow(self.tr("评价日期(&E)："), self.exam_date)
        self.found_on = _date_edit(today, self)
        form.addRow(self.tr("发现日期(&F)："), self.found_on)
        self.certificate = QCheckBox(self.tr("已颁发证书或已上网证书数据"), self)
        form.addRow(self.certificate)
        self.certificates = QTableWidget(0, 5, self)
        self.certificates.setHorizontalHeaderLabels(
            [
                self.tr("证书编号"),
                self.tr("职业（工种）"),
                self.tr("等级"),
                self.tr("发证日期"),
                self.tr("证书数据已上网"),
            ]
        )
        self.certificates.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.certificates.verticalHeader().hide()
        self.certificates.setFixedHeight(110)
        self.certificates.setToolTip(
            self.tr("已颁发的证书，每行一本：证书编号必填；发证日期写作 yyyy-mm-dd，可不填。")
        )
        self.add_certificate_button = QPushButton(self.tr("添加证书(&A)"), self)
        self.add_certificate_button.clicked.connect(self.add_certificate)
        self.remove_certificate_button = QPushButton(self.tr("删除所选证书(&R)"), self)
        self.remove_certificate_button.clicked.connect(self.remove_certificates)
        certificate_buttons = QHBoxLayout()
        certificate_buttons.addWidget(self.add_certificate_button)
        certificate_buttons.addWidget(self.remove_certificate_button)
        certificate_buttons.addStretch(1)
        form.addRow(self.tr("已颁发的证书："), self.certificates)
        form.addRow("", certificate_buttons)
        self.certificate.toggled.connect(self._certificates_enabled)
        self._certificates_enabled(False)
        self.description = QPlainTextEdit(self)
        self.description.setFixedHeight(80)
        form.addRow(self.tr("查实的情况(&D)："), self.description)
        confirmers = QGridLayout()
        self.confirmers: list[tuple[QLineEdit, QLineEdit]] = []
        for row, label in enumerate(
            (self.tr("工作人员一："), self.tr("工作人员二："), self.tr("负责人："))
        ):
            name, role = QLineEdit(self), QLineEdit(self)
            name.setPlaceholderText(self.tr("姓名"))
            role.setPlaceholderText(self.tr("职务或角色"))
            confirmers.addWidget(QLabel(label, self), row, 0)
            confirmers.addWidget(name, row, 1)
            confirmers.addWidget(role, row, 2)
            self.confirmers.append((name, role))
        note = QLabel(
            self.tr("经确认（第八条）：由两名以上工作人员和负责人确认（参照第十六条第一款）。"),
            self,
        )
        note.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(note)
        column.addLayout(confirmers)
        column.addWidget(self.message)
        column.addWidget(buttons)
        self.resize(720, self.sizeHint().height())

    @Slot(bool)
    def _certificates_enabled(self, issued: bool) -> None:
        for widget in (
            self.certificates,
            self.add_certificate_button,
            self.remove_certificate_button,
        ):
            widget.setEnabled(issued)

    @Slot()
    def add_certificate(self) -> int:
        """A new, empty certificate row (its number to type); the row's index."""
        from app.core.records.sessions import LEVELS

        table = self.certificates
        row = table.rowCount()
        table.insertRow(row)
        for column in (NUMBER, OCCUPATION, ISSUED):
            table.setItem(row, column, QTableWidgetItem(""))
        level = QComboBox(table)
        level.addItem(self.tr("无等级或不详"), "")
        for value in LEVELS:
            level.addItem(level_label(value), value)
        table.setCellWidget(row, LEVEL, level)
        online = QComboBox(table)
        online.addItem(self.tr("不详"), None)
        online.addItem(self.tr("是"), True)
        online.addItem(self.tr("否"), False)
        table.setCellWidget(row, ONLINE, online)
        table.setCurrentCell(row, NUMBER)
        return row

    @Slot()
    def remove_certificates(self) -> None:
        """Remove the selected certificate rows (or the current one)."""
        table = self.certificates
        rows = {i.row() for i in table.selectedIndexes()} or {table.currentRow()}
        for row in sorted(rows, reverse=True):
            if row >= 0:
                table.removeRow(row)

    def _cell(self, row: int, column: int) -> str:
        item = self.certificates.item(row, column)
        return item.text().strip() if item is not None else ""

    def _combo(self, row: int, column: int) -> Any:
        widget = self.certificates.cellWidget(row, column)
        return widget.currentData() if isinstance(widget, QComboBox) else None

    def _certificate_rows(self) -> list[int]:
        """The table rows that say something (an empty row is left out), in order."""
        return [
            row
            for row in range(self.certificates.rowCount())
            if any(self._cell(row, c) for c in (NUMBER, OCCUPATION, ISSUED))
            or self._combo(row, LEVEL)
            or self._combo(row, ONLINE) is not None
        ]

    def certificate_entries(self) -> list[dict[str, Any]]:
        """The certificates as ``case open --without-record`` reads them."""
        entries = []
        for row in self._certificate_rows():
            entry: dict[str, Any] = {
                "number": self._cell(row, NUMBER),
                "occupation": self._cell(row, OCCUPATION),
                "level": self._combo(row, LEVEL),
                "online": self._combo(row, ONLINE),
            }
            if self._cell(row, ISSUED):
                entry["issued_on"] = self._cell(row, ISSUED)
            entries.append(entry)
        return entries

    def finding(self) -> dict[str, Any]:
        """The finding as ``case open --without-record`` reads it."""
        staff = [
            {"name": name.text().strip(), "role": role.text().strip()}
            for name, role in self.confirmers[:2]
        ]
        head_name, head_role = self.confirmers[2]
        document: dict[str, Any] = {
            "person": {
                "name": self.name.text().strip(),
                "id_type": self.id_type.currentData(),
                "id_number": self.id_number.text().strip(),
            },
            "clause": self.clause.currentData(),
            "date": _iso(self.exam_date),
            "discovered_on": _iso(self.found_on),
            "certificate_issued": self.certificate.isChecked(),
            "description": self.description.toPlainText().strip(),
            "confirmed_by": {
                "staff": staff,
                "responsible": {
                    "name": head_name.text().strip(),
                    "role": head_role.text().strip(),
                },
            },
        }
        if self.severity.currentData() is not None:
            document["severity"] = self.severity.currentData()
        if self.certificate.isChecked():
            document["certificates"] = self.certificate_entries()
        return document

    @Slot()
    def submit(self) -> None:
        """Open the case; a field the core refuses is named in place and nothing is made."""
        from app.core.casework.service import CaseDesk
        from app.core.errors import UserError

        try:
            case = CaseDesk(self.workspace).open_without_record(self.account, self.finding())
        except UserError as exc:
            show_in_place(self.message, self.tr("没有立案：%1").replace("%1", str(exc)))
            self.message.show()
            self._point_at_certificate(str(exc))
            return
        self.case_id = str(case["id"])
        self.accept()

    def _point_at_certificate(self, problem: str) -> None:
        """Select the certificate row a refusal names (``certificates[N]``), if any."""
        found = _ENTRY.search(problem)
        rows = self._certificate_rows()
        if found is None or int(found.group(1)) >= len(rows):
            return
        row = rows[int(found.group(1))]
        column = ISSUED if ".issued_on" in problem else NUMBER
        self.certificates.setCurrentCell(row, column)
        self.certificates.setFocus()
