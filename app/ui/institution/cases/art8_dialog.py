"""A violation found after the evaluation (Art. 8), confirmed, opened as a case without a site
record: who, which clause, when the evaluation was and when it was found, whether a
certificate was issued, what was found, and who confirmed it (two staff and the responsible
person, as Art. 16 ¶1 asks). The core checks it all again and names the field at fault."""

from __future__ import annotations

import datetime as dt
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
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui.errors import show_in_place
from app.ui.institution.cases.labels import id_type_label
from app.ui.labels import clause_title

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.records.service import Workspace

_ID_TYPES = ("resident_id", "hk_macao_permit", "taiwan_permit", "passport",
             "foreign_permanent_resident")  # fmt: skip


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
            return
        self.case_id = str(case["id"])
        self.accept()
