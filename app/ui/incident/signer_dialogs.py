"""Signature dialogs that submit: the signer chosen from staff on duty, their PIN, the strokes.

Built on the shared ``SignatureDialog`` (which refuses an empty or trivial scribble). OK hands
the signature to the records service; a wrong PIN or a rule the core enforces (the site head
does not sign, nobody signs about themselves) is shown in the dialog, which stays open, and
nothing is signed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.core.records.tables import Staff
from app.ui.errors import user_message
from app.ui.incident.people import role_label_safe
from app.ui.labels import labelled, with_note
from app.ui.signature_pad import SignatureDialog, Strokes, is_acceptable

translate = QCoreApplication.translate

StaffSubmit = Callable[[Staff, str | None, Strokes], None]
PersonSubmit = Callable[[Strokes], None]
# ``done()`` codes of the acknowledgement dialog: the person refuses to sign; the person had
# left the site before they could sign.
REFUSED = 2
DEPARTED = 3


def insert_above_pad(dialog: SignatureDialog, rows: QLayout) -> None:
    """Put ``rows`` between the dialog's prompt and its pad."""
    layout = dialog.layout()
    assert isinstance(layout, QVBoxLayout)  # SignatureDialog's own layout
    layout.insertLayout(1, rows)


class SubmittingDialog(SignatureDialog):
    """A signature dialog whose OK submits; errors stay in the dialog."""

    #: What the PIN is asked for (``app.ui.errors.PIN_ACTIONS``): the verb of a PIN message.
    pin_action = "sign"

    def _submit(self, strokes: Strokes) -> None:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        strokes = self.pad.strokes()
        ok, message = is_acceptable(strokes)
        if not ok:
            self.show_error(message)
            return
        try:
            self._submit(strokes)
        except UserError as exc:
            self.show_error(user_message(exc, self.pin_action))
            return
        except Exception as exc:  # logged and excused; nothing was signed
            from app.ui.errors import report_unexpected

            self.show_error(
                translate("SubmittingDialog", "出现意外问题，未能签名；详情已写入日志。")
            )
            report_unexpected(exc, self)
            return
        QDialog.accept(self)


class StaffSignDialog(SubmittingDialog):
    """One staff member signs: chosen from ``signers``, PIN where set, then strokes."""

    def __init__(
        self,
        title: str,
        signers: Sequence[Staff],
        preselect: str | None,
        submit: StaffSubmit,
        parent: QWidget | None = None,
        *,
        pin_action: str = "sign",
    ) -> None:
        first = next((s for s in signers if s.id == preselect), signers[0])
        super().__init__(first.name, role_label_safe(first.role), parent)
        self.pin_action = pin_action
        self._title = title
        self._signers = list(signers)
        self._submit_staff = submit
        self.signer_combo = QComboBox(self)
        for staff in self._signers:
            self.signer_combo.addItem(with_note(staff.name, role_label_safe(staff.role)), staff.id)
        self.signer_combo.setCurrentIndex(self._signers.index(first))
        self.pin_edit = QLineEdit(self)
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.returnPressed.connect(self.pad.setFocus)
        form = QFormLayout()
        form.addRow(translate("StaffSignDialog", "签名人(&S)："), self.signer_combo)
        form.addRow(translate("StaffSignDialog", "PIN(&N)："), self.pin_edit)
        insert_above_pad(self, form)
        self.signer_combo.currentIndexChanged.connect(self._on_signer)
        self.setTabOrder(self.signer_combo, self.pin_edit)
        self._on_signer()

    def signer(self) -> Staff:
        return self._signers[max(self.signer_combo.currentIndex(), 0)]

    def _on_signer(self) -> None:
        staff = self.signer()
        self._name, self._role = staff.name, role_label_safe(staff.role)
        self.retranslate()
        needs_pin = staff.pin_hash is not None
        self.pin_edit.setEnabled(needs_pin)
        self.pin_edit.clear()
        self.pin_edit.setPlaceholderText(
            translate("StaffSignDialog", "请输入本人 PIN")
            if needs_pin
            else translate("StaffSignDialog", "未设置 PIN，无需输入")
        )
        self.error_label.hide()
        if needs_pin:
            self.pin_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        super().retranslate()
        title = getattr(self, "_title", "")
        if title:
            self.setWindowTitle(labelled(title, self._name))

    def _submit(self, strokes: Strokes) -> None:
        pin = self.pin_edit.text() or None
        try:
            self._submit_staff(self.signer(), pin, strokes)
        except UserError:
            self.pin_edit.selectAll()
            raise


class AcknowledgeDialog(SubmittingDialog):
    """The person concerned signs; or the proctor records that they refused to sign, or that
    they had left the site."""

    def __init__(
        self, name: str, role: str, submit: PersonSubmit, parent: QWidget | None = None
    ) -> None:
        super().__init__(name, role, parent)
        self._submit_person = submit
        self.refuse_button = QPushButton(translate("AcknowledgeDialog", "拒绝签名(&R)…"), self)
        self.refuse_button.setAutoDefault(False)
        self.refuse_button.clicked.connect(lambda: self.done(REFUSED))
        self.buttons.addButton(self.refuse_button, self.buttons.ButtonRole.ActionRole)
        self.departed_button = QPushButton(translate("AcknowledgeDialog", "已离场(&L)…"), self)
        self.departed_button.setToolTip(
            translate("AcknowledgeDialog", "当事人已离场、未能签名：由两名工作人员见证")
        )
        self.departed_button.setAutoDefault(False)
        self.departed_button.clicked.connect(lambda: self.done(DEPARTED))
        self.buttons.addButton(self.departed_button, self.buttons.ButtonRole.ActionRole)

    def _submit(self, strokes: Strokes) -> None:
        self._submit_person(strokes)
