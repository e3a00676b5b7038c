"""After confirmation: amend (a new version, with a reason), void (reason and site head), and
recording the return of a seized item (signed by the person receiving it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from app.core.errors import UserError
from app.core.records.tables import Staff
from app.ui.errors import user_message
from app.ui.generated.ui_amend_dialog import Ui_AmendDialog
from app.ui.incident.people import role_label_safe
from app.ui.incident.signer_dialogs import SubmittingDialog, insert_above_pad
from app.ui.labels import with_note
from app.ui.signature_pad import Strokes

translate = QCoreApplication.translate

# (reason, staff or None, PIN or None) -> None; raises UserError to keep the dialog open.
ReasonSubmit = Callable[[str, Staff | None, str | None], None]


class ReasonDialog(QDialog):
    """A reason, and for voiding the site head with their PIN; errors shown in place."""

    def __init__(
        self,
        title: str,
        intro: str,
        submit: ReasonSubmit,
        approvers: Sequence[Staff] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_AmendDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(title)
        self.ui.introLabel.setText(intro)
        self._submit = submit
        self._approvers = list(approvers or [])
        for staff in self._approvers:
            self.ui.staffCombo.addItem(with_note(staff.name, role_label_safe(staff.role)), staff.id)
        needs_approver = approvers is not None
        self.ui.fieldsForm.setRowVisible(self.ui.staffCombo, needs_approver)
        self.ui.fieldsForm.setRowVisible(self.ui.pinEdit, needs_approver)
        self.ui.errorLabel.hide()
        self.ui.buttons.accepted.connect(self.accept)
        self.ui.buttons.rejected.connect(self.reject)
        self.ui.reasonEdit.setFocus()

    def approver(self) -> Staff | None:
        index = self.ui.staffCombo.currentIndex()
        return self._approvers[index] if 0 <= index < len(self._approvers) else None

    def accept(self) -> None:
        reason = self.ui.reasonEdit.toPlainText().strip()
        if not reason:
            self._error(translate("ReasonDialog", "请填写原因。"))
            return
        if self._approvers == [] and self.ui.staffCombo.isVisibleTo(self):
            self._error(translate("ReasonDialog", "本场次没有可批准的人员。"))
            return
        approver = self.approver()
        if approver is not None and approver.pin_hash is None:
            # Nobody's name is recorded as approving without their own PIN.
            self._error(
                translate("ReasonDialog", "%1 尚未设置 PIN，不能批准：请先为其设置 PIN。").replace(
                    "%1", approver.name
                )
            )
            return
        try:
            self._submit(reason, self.approver(), self.ui.pinEdit.text() or None)
        except UserError as exc:
            # Only voiding asks for a PIN here (amending asks for none).
            self._error(user_message(exc, "void"))
            return
        super().accept()

    def _error(self, text: str) -> None:
        self.ui.errorLabel.setText(text)
        self.ui.errorLabel.show()


class ReturnDialog(SubmittingDialog):
    """The person receiving a seized item signs; a staff member records it with their PIN."""

    pin_action = "return"

    def __init__(
        self,
        receipt: str,
        returned_to: str,
        recorders: Sequence[Staff],
        preselect: str | None,
        submit: Callable[[str, Staff, str | None, Strokes], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(returned_to, translate("ReturnDialog", "领回人"), parent)
        self._submit_return = submit
        self._recorders = list(recorders)
        from PySide6.QtWidgets import QComboBox

        self.receiver_edit = QLineEdit(returned_to, self)
        self.recorder_combo = QComboBox(self)
        for staff in self._recorders:
            self.recorder_combo.addItem(
                with_note(staff.name, role_label_safe(staff.role)), staff.id
            )
        ids = [s.id for s in self._recorders]
        if preselect in ids:
            self.recorder_combo.setCurrentIndex(ids.index(preselect))
        self.pin_edit = QLineEdit(self)
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        receipt_edit = QLineEdit(receipt, self)
        receipt_edit.setReadOnly(True)
        form.addRow(translate("ReturnDialog", "收据编号："), receipt_edit)
        form.addRow(translate("ReturnDialog", "领回人(&R)："), self.receiver_edit)
        form.addRow(translate("ReturnDialog", "经办工作人员(&S)："), self.recorder_combo)
        form.addRow(translate("ReturnDialog", "经办人 PIN(&N)："), self.pin_edit)
        insert_above_pad(self, form)
        self.setWindowTitle(translate("ReturnDialog", "记录归还：%1").replace("%1", receipt))

    def _submit(self, strokes: Strokes) -> None:
        index = self.recorder_combo.currentIndex()
        if not 0 <= index < len(self._recorders):
            raise UserError(translate("ReturnDialog", "请选择经办工作人员。"))
        recorder = self._recorders[index]
        if recorder.pin_hash is None:  # nobody's name is recorded without their own PIN
            raise UserError(
                translate(
                    "ReturnDialog",
                    "%1 尚未设置 PIN，不能经办：请考场负责人先为其设置 PIN。",
                ).replace("%1", recorder.name)
            )
        self._submit_return(
            self.receiver_edit.text(), self._recorders[index], self.pin_edit.text() or None, strokes
        )
