"""The site head gives staff members their first PIN (文件 → 工作人员 PIN…), before the exam.

Nobody signs without their own PIN; this is where the site head lets each proctor choose one
ahead of time, so no incident waits for it (the signing dialog offers the same in place). The
site head's own PIN is checked; a PIN already set is never replaced (``give_staff_pin``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.ui.errors import show_in_place

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.core.records.tables import Staff


class StaffPinDialog(QDialog):
    """Choose a staff member without a PIN; the site head's PIN; their new PIN twice."""

    def __init__(self, workspace: Workspace, session_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace, self.session_id = workspace, session_id
        self.setWindowTitle(self.tr("工作人员 PIN"))
        self.intro = QLabel(
            self.tr(
                "工作人员须以本人 PIN 签名。请考场负责人输入本人 PIN，"
                "再由该工作人员输入新 PIN（4–8 位数字）两次。已设置的 PIN 不能在此更改。"
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.staff_combo = QComboBox(self)
        self.head_combo = QComboBox(self)
        self.head_pin_edit = QLineEdit(self)
        self.new_pin_edit = QLineEdit(self)
        self.repeat_pin_edit = QLineEdit(self)
        for edit in (self.head_pin_edit, self.new_pin_edit, self.repeat_pin_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.head_pin_edit.returnPressed.connect(self.new_pin_edit.setFocus)
        self.new_pin_edit.returnPressed.connect(self.repeat_pin_edit.setFocus)
        self.repeat_pin_edit.returnPressed.connect(self.give_pin)
        self.set_button = QPushButton(self.tr("设置 PIN(&P)"), self)
        self.set_button.setAutoDefault(False)
        self.set_button.clicked.connect(self.give_pin)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.close_button = buttons.addButton(
            self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("工作人员(&W)："), self.staff_combo)
        form.addRow(self.tr("考场负责人："), self.head_combo)
        form.addRow(self.tr("考场负责人 PIN："), self.head_pin_edit)
        form.addRow(self.tr("本人新 PIN（4–8 位数字）："), self.new_pin_edit)
        form.addRow(self.tr("再次输入新 PIN："), self.repeat_pin_edit)
        form.addRow("", self.set_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())
        self._load()

    def _staff(self) -> list[Staff]:
        return self.workspace.staff(self.session_id)

    def _load(self) -> None:
        from app.ui.incident.people import role_label_safe
        from app.ui.labels import with_note

        staff = self._staff()
        self.staff_combo.clear()
        for person in staff:
            if person.pin_hash is None:
                self.staff_combo.addItem(
                    with_note(person.name, role_label_safe(person.role)), person.id
                )
        self.head_combo.clear()
        for head in staff:
            if head.role == "site_head" and head.pin_hash is not None:
                self.head_combo.addItem(head.name, head.id)
        usable = self.staff_combo.count() > 0 and self.head_combo.count() > 0
        for widget in (
            self.staff_combo,
            self.head_combo,
            self.head_pin_edit,
            self.new_pin_edit,
            self.repeat_pin_edit,
            self.set_button,
        ):
            widget.setEnabled(usable)
        if not self.staff_combo.count():
            show_in_place(self.message, self.tr("本场次所有工作人员均已设置 PIN。"), ok=True)
        elif not self.head_combo.count():
            show_in_place(self.message, self.tr("考场负责人尚未设置本人的 PIN：请先在锁定界面设置"))
        else:
            self.head_pin_edit.setFocus()

    @Slot()
    def give_pin(self) -> None:
        from app.core.records.app_state import give_staff_pin
        from app.ui.incident.signer_dialogs import give_pin_error_text

        staff_id, head_id = self.staff_combo.currentData(), self.head_combo.currentData()
        if staff_id is None or head_id is None:
            return
        first, second = self.new_pin_edit.text(), self.repeat_pin_edit.text()
        if first != second:
            show_in_place(self.message, self.tr("两次输入的 PIN 不一致"))
            self.repeat_pin_edit.clear()
            self.repeat_pin_edit.setFocus()
            return
        try:
            person = give_staff_pin(
                self.workspace,
                self.session_id,
                str(head_id),
                self.head_pin_edit.text(),
                str(staff_id),
                first,
            )
        except UserError as exc:
            show_in_place(self.message, give_pin_error_text(exc))
            self.head_pin_edit.selectAll()
            self.head_pin_edit.setFocus()
            return
        for edit in (self.head_pin_edit, self.new_pin_edit, self.repeat_pin_edit):
            edit.clear()
        self._load()
        if self.staff_combo.count():
            show_in_place(
                self.message, self.tr("%1 的 PIN 已设置").replace("%1", person.name), ok=True
            )
