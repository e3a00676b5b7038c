"""Signature dialogs that submit: the signer chosen from staff on duty, their PIN, the strokes.

Built on the shared ``SignatureDialog`` (which refuses an empty or trivial scribble). OK hands
the signature to the records service; a wrong PIN or a rule the core enforces (the site head
does not sign, nobody signs about themselves) is shown in the dialog, which stays open, and
nothing is signed.

Nobody's name goes under a signature without their own PIN: a staff member without one cannot
sign here until the site head, with the site head's PIN, lets them choose one (in the same
dialog, so the incident at the desk is not left). Enter in the PIN field signs once the strokes
are drawn, so a signature is one input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.core.records.tables import Staff
from app.ui.errors import show_in_place, user_message
from app.ui.incident.people import role_label_safe
from app.ui.labels import labelled, with_note
from app.ui.signature_pad import SignatureDialog, Strokes, is_acceptable

translate = QCoreApplication.translate

StaffSubmit = Callable[[Staff, str | None, Strokes], None]
# (site head, site head's PIN, staff member, their new PIN) -> the staff member's new row.
GivePin = Callable[[Staff, str, Staff, str], Staff]
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
    """One staff member signs: chosen from ``signers``, their own PIN, then strokes."""

    def __init__(
        self,
        title: str,
        signers: Sequence[Staff],
        preselect: str | None,
        submit: StaffSubmit,
        parent: QWidget | None = None,
        *,
        pin_action: str = "sign",
        heads: Sequence[Staff] = (),
        give_pin: GivePin | None = None,
    ) -> None:
        # No guess: with several signers and none preselected, the proctor chooses (a roster's
        # order says nothing about who is in the room).
        first = next((s for s in signers if s.id == preselect), None)
        if first is None and len(signers) == 1:
            first = signers[0]
        super().__init__(
            first.name if first else "", role_label_safe(first.role) if first else "", parent
        )
        self.pin_action = pin_action
        self._title = title
        self._signers = list(signers)
        self._submit_staff = submit
        self._heads = [h for h in heads if h.id not in {s.id for s in self._signers}]
        self._give_pin = give_pin
        self.signer_combo = QComboBox(self)
        for staff in self._signers:
            self.signer_combo.addItem(with_note(staff.name, role_label_safe(staff.role)), staff.id)
        self.signer_combo.setPlaceholderText(translate("StaffSignDialog", "请选择签名人"))
        self.signer_combo.setCurrentIndex(self._signers.index(first) if first else -1)
        self.pin_edit = QLineEdit(self)
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.returnPressed.connect(self._on_pin_entered)
        self.signer_label = QLabel(translate("StaffSignDialog", "签名人(&S)："), self)
        self.signer_label.setBuddy(self.signer_combo)
        self.pin_label = QLabel(translate("StaffSignDialog", "PIN(&N)："), self)
        self.pin_label.setBuddy(self.pin_edit)
        form = QFormLayout()
        form.addRow(self.signer_label, self.signer_combo)
        form.addRow(self.pin_label, self.pin_edit)
        self.pin_group = self._build_pin_group()
        form.addRow(self.pin_group)
        insert_above_pad(self, form)
        self.signer_combo.currentIndexChanged.connect(self._on_signer)
        self.setTabOrder(self.signer_combo, self.pin_edit)
        self._on_signer()

    def _build_pin_group(self) -> QGroupBox:
        """The site head gives the chosen signer their first PIN (shown only for them)."""
        group = QGroupBox(translate("StaffSignDialog", "由考场负责人为其设置 PIN"), self)
        self.head_combo = QComboBox(group)
        for head in self._heads:
            self.head_combo.addItem(head.name, head.id)
        self.head_pin_edit = QLineEdit(group)
        self.new_pin_edit = QLineEdit(group)
        self.repeat_pin_edit = QLineEdit(group)
        for edit in (self.head_pin_edit, self.new_pin_edit, self.repeat_pin_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.head_pin_edit.returnPressed.connect(self.new_pin_edit.setFocus)
        self.new_pin_edit.returnPressed.connect(self.repeat_pin_edit.setFocus)
        self.repeat_pin_edit.returnPressed.connect(self.give_pin)
        self.give_pin_button = QPushButton(translate("StaffSignDialog", "设置 PIN(&P)"), group)
        self.give_pin_button.setAutoDefault(False)
        self.give_pin_button.clicked.connect(self.give_pin)
        self.pin_message = QLabel(group)
        self.pin_message.setWordWrap(True)
        form = QFormLayout(group)
        form.addRow(translate("StaffSignDialog", "考场负责人："), self.head_combo)
        form.addRow(translate("StaffSignDialog", "考场负责人 PIN："), self.head_pin_edit)
        form.addRow(translate("StaffSignDialog", "本人新 PIN（4–8 位数字）："), self.new_pin_edit)
        form.addRow(translate("StaffSignDialog", "再次输入新 PIN："), self.repeat_pin_edit)
        row = QHBoxLayout()
        row.addWidget(self.pin_message, 1)
        row.addWidget(self.give_pin_button)
        form.addRow(row)
        return group

    def signer(self) -> Staff | None:
        index = self.signer_combo.currentIndex()
        return self._signers[index] if 0 <= index < len(self._signers) else None

    def _on_signer(self) -> None:
        staff = self.signer()
        if staff is None:  # nobody chosen yet: the combo first
            self.pin_edit.setEnabled(False)
            self.pin_group.hide()
            self.signer_combo.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._name, self._role = staff.name, role_label_safe(staff.role)
        self.retranslate()
        has_pin = staff.pin_hash is not None
        self.pin_edit.setEnabled(has_pin)
        self.pin_edit.clear()
        self.pin_edit.setPlaceholderText(
            translate("StaffSignDialog", "请输入本人 PIN，回车即签名")
            if has_pin
            else translate("StaffSignDialog", "尚未设置 PIN，不能签名")
        )
        self.error_label.hide()
        self.pin_group.setVisible(not has_pin)
        for edit in (self.head_pin_edit, self.new_pin_edit, self.repeat_pin_edit):
            edit.clear()
        show_in_place(self.pin_message, "")
        if not has_pin:
            usable = self._give_pin is not None and bool(self._heads)
            for widget in (self.head_combo, self.head_pin_edit, self.new_pin_edit):
                widget.setEnabled(usable)
            self.repeat_pin_edit.setEnabled(usable)
            self.give_pin_button.setEnabled(usable)
            if not usable:
                show_in_place(
                    self.pin_message,
                    translate("StaffSignDialog", "本场次没有可设置 PIN 的考场负责人。"),
                )
            elif self.isVisible():
                self.head_pin_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.pin_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Straight to the PIN: the signer is preselected, the strokes come after it or before.
        if self.signer() is None:
            self.signer_combo.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        target = self.pin_edit if self.pin_edit.isEnabled() else self.head_pin_edit
        if target.isEnabled():
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_pin_entered(self) -> None:
        """Enter in the PIN field signs when the strokes are there, else goes to the pad."""
        if self.pad.strokes():
            self.accept()
        else:
            self.pad.setFocus()

    def give_pin(self) -> None:
        """The site head's PIN, then the signer's new PIN twice: the signer may sign."""
        staff = self.signer()
        if self._give_pin is None or staff is None or staff.pin_hash is not None:
            return
        first, second = self.new_pin_edit.text(), self.repeat_pin_edit.text()
        if first != second:
            show_in_place(self.pin_message, translate("StaffSignDialog", "两次输入的 PIN 不一致"))
            self.repeat_pin_edit.clear()
            self.repeat_pin_edit.setFocus()
            return
        head = self._heads[max(self.head_combo.currentIndex(), 0)]
        try:
            updated = self._give_pin(head, self.head_pin_edit.text(), staff, first)
        except UserError as exc:
            show_in_place(self.pin_message, give_pin_error_text(exc))
            self.head_pin_edit.selectAll()
            self.head_pin_edit.setFocus()
            return
        index = self._signers.index(staff)
        self._signers[index] = updated
        self._on_signer()
        show_in_place(
            self.pin_message,
            translate("StaffSignDialog", "%1 的 PIN 已设置").replace("%1", updated.name),
            ok=True,
        )

    def retranslate(self) -> None:
        super().retranslate()
        title = getattr(self, "_title", "")
        if not self._name:  # nobody chosen yet
            self.prompt.setText(
                translate("StaffSignDialog", "请先选择签名人（与您同场监考的工作人员）。")
            )
            if title:
                self.setWindowTitle(title)
        elif title:
            self.setWindowTitle(labelled(title, self._name))

    def accept(self) -> None:
        staff = self.signer()
        if staff is None:
            self.show_error(translate("StaffSignDialog", "请先选择签名人"))
            self.signer_combo.setFocus()
            return
        if staff.pin_hash is None:
            self.show_error(
                translate(
                    "StaffSignDialog", "%1 尚未设置 PIN，不能签名：请考场负责人先为其设置 PIN。"
                ).replace("%1", staff.name)
            )
            return
        super().accept()

    def _submit(self, strokes: Strokes) -> None:
        pin = self.pin_edit.text() or None
        staff = self.signer()
        assert staff is not None  # accept() refuses before
        try:
            self._submit_staff(staff, pin, strokes)
        except UserError:
            self.pin_edit.selectAll()
            self.pin_edit.setFocus()
            raise


def give_pin_error_text(exc: UserError) -> str:
    """A refused PIN setting in the interface language (``UnlockError.code``)."""
    texts = {
        "wrong_head_pin": translate("StaffSignDialog", "考场负责人的 PIN 不正确"),
        "no_head_pin": translate(
            "StaffSignDialog", "考场负责人尚未设置本人的 PIN：请先在锁定界面设置"
        ),
        "pin_format": translate("StaffSignDialog", "PIN 须为 4–8 位数字"),
        "pin_exists": translate("StaffSignDialog", "此人已设置 PIN"),
        "not_site_head": translate("StaffSignDialog", "只有考场负责人可以设置 PIN"),
    }
    code = getattr(exc, "code", "")
    return texts.get(code, str(exc))


class AcknowledgeDialog(SubmittingDialog):
    """The person concerned signs, seeing the record they sign in large print (the candidate
    screen); or the proctor records that they refused to sign, or that they had left the site.

    The proctor's two buttons sit in their own row above the pad, away from OK and Cancel, so a
    person signing cannot press "refuse" by reaching for OK.
    """

    # How much larger than the dialog's font the record is printed (read by the person).
    RECORD_SCALE = 1.35

    def __init__(
        self,
        name: str,
        role: str,
        submit: PersonSubmit,
        parent: QWidget | None = None,
        *,
        record_html: str = "",
    ) -> None:
        super().__init__(name, role, parent)
        self._submit_person = submit
        self.record_view = QTextBrowser(self)
        self.record_view.setObjectName("candidateRecord")
        font = self.record_view.font()
        font.setPointSizeF(font.pointSizeF() * self.RECORD_SCALE)
        self.record_view.setFont(font)
        self.record_view.setHtml(record_html)
        self.record_view.setVisible(bool(record_html))
        # Always in sight, not at the end of a scrolled record.
        self.note_label = QLabel(self)
        self.note_label.setObjectName("acknowledgementNote")
        self.note_label.setWordWrap(True)
        note_font = self.note_label.font()
        note_font.setPointSizeF(note_font.pointSizeF() * self.RECORD_SCALE)
        note_font.setBold(True)
        self.note_label.setFont(note_font)
        self.note_label.setVisible(bool(record_html))
        self.refuse_button = QPushButton(self)
        self.refuse_button.setAutoDefault(False)
        self.refuse_button.clicked.connect(lambda: self.done(REFUSED))
        self.departed_button = QPushButton(self)
        self.departed_button.setAutoDefault(False)
        self.departed_button.clicked.connect(lambda: self.done(DEPARTED))
        self.proctor_label = QLabel(self)
        proctor_row = QHBoxLayout()
        proctor_row.addWidget(self.proctor_label)
        proctor_row.addWidget(self.refuse_button)
        proctor_row.addWidget(self.departed_button)
        proctor_row.addStretch(1)
        rows = QVBoxLayout()
        rows.addWidget(self.record_view, 1)
        rows.addWidget(self.note_label)
        rows.addLayout(proctor_row)
        insert_above_pad(self, rows)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        if record_html:  # the record takes more room than the pad
            layout.setStretch(1, 3)
            layout.setStretch(2, 2)
        self._retranslate_proctor_row()
        if record_html:
            self.resize(1000, 690)  # the record readable at 1366×768, the pad still wide

    def _retranslate_proctor_row(self) -> None:
        from app.ui.incident.candidate_screen import acknowledgement_note

        self.note_label.setText(acknowledgement_note())
        self.proctor_label.setText(
            translate("AcknowledgeDialog", "当事人不签名时（监考人员操作）：")
        )
        self.refuse_button.setText(translate("AcknowledgeDialog", "拒绝签名(&R)…"))
        self.departed_button.setText(translate("AcknowledgeDialog", "已离场(&L)…"))
        self.departed_button.setToolTip(
            translate("AcknowledgeDialog", "当事人已离场、未能签名：由两名工作人员见证")
        )

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "proctor_label"):
            self._retranslate_proctor_row()

    def _submit(self, strokes: Strokes) -> None:
        self._submit_person(strokes)
