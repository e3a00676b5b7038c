"""File → 誊录纸质记录: a record written on the paper form, entered afterwards with its scan.

The window does what ``proctor-desk incident transcribe`` does, through the same core
(``app.core.records.transcription``): the transcription file (JSON, ``docs/transcription.md``)
and the scan of the signed form are chosen, what the file says is shown for the site head to
check against the paper, and the site head's PIN confirms it. The record is then confirmed and
sealed at once; problems are said in place, one line, naming the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.ui.errors import handle_error, show_in_place

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.core.records.transcription import TranscriptionSpec

_CTX = "Transcription"  # the translation context (tools/translations.py reads it)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def _acknowledgement_text(kind: str, witnesses: str) -> str:
    texts = {
        "signed": _tr("考生已在纸质记录上签字"),
        "refused": _tr("考生拒绝签字，工作人员见证：%1"),
        "departed": _tr("考生已离场，工作人员见证：%1"),
    }
    return texts.get(kind, kind).replace("%1", witnesses)


def summary_text(spec: TranscriptionSpec, name: str = "") -> str:
    """What the file says, line by line, to hold against the paper form (``name``: the
    candidate's, as the roster has them; empty when the roster has nobody of that number)."""
    person = spec.person.ticket_number or spec.person.id_number or ""
    lines = [
        _tr("纸质记录表表号：%1").replace("%1", spec.paper_form_number),
        _tr("考生：%1（准考证号或证件号码 %2）")
        .replace("%1", name or _tr("名单中没有此人"))
        .replace("%2", person),
        _tr("条款：%1").replace("%1", spec.clause),
        _tr("发生时间：%1").replace("%1", spec.occurred_at.replace("T", " ")),
        _tr("事实：%1").replace("%1", spec.description),
        _tr("纸质签名的工作人员：%1").replace("%1", "、".join(spec.staff_signers)),
        _acknowledgement_text(spec.acknowledgement, "、".join(spec.witnesses)),
    ]
    return "\n".join(lines)


def ask_open_file(parent: QWidget, title: str, filters: str) -> str:
    """A file chosen in the system's dialog, or "" (tests replace this function)."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return path


class TranscriptionDialog(QDialog):
    """Choose the file and the scan, check, and confirm with the site head's PIN."""

    #: The record was created, confirmed and sealed: its id.
    transcribed = Signal(str)

    def __init__(self, workspace: Workspace, session_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.session_id = session_id
        self.spec: TranscriptionSpec | None = None
        self.incident_id: str | None = None
        self.setMinimumWidth(620)
        self.introLabel = QLabel(self)
        self.introLabel.setWordWrap(True)
        self.fileEdit = QLineEdit(self)
        self.fileEdit.setObjectName("fileEdit")
        self.fileEdit.editingFinished.connect(self.load_file)
        self.fileButton = QPushButton(self)
        self.fileButton.clicked.connect(self.choose_file)
        self.scanEdit = QLineEdit(self)
        self.scanEdit.setObjectName("scanEdit")
        self.scanButton = QPushButton(self)
        self.scanButton.clicked.connect(self.choose_scan)
        self.summaryView = QPlainTextEdit(self)
        self.summaryView.setReadOnly(True)
        self.summaryView.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.summaryView.setMinimumHeight(150)
        self.headCombo = QComboBox(self)
        self.headCombo.setObjectName("headCombo")
        self.pinEdit = QLineEdit(self)
        self.pinEdit.setObjectName("pinEdit")
        self.pinEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pinEdit.setMaxLength(8)
        self.errorLabel = QLabel(self)
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setVisible(False)
        self.buttons = QDialogButtonBox(self)
        self.transcribeButton = QPushButton(self)
        self.transcribeButton.setObjectName("transcribeButton")
        self.transcribeButton.setDefault(True)
        self.transcribeButton.clicked.connect(self.transcribe)
        self.buttons.addButton(self.transcribeButton, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancelButton = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancelButton.clicked.connect(self.reject)

        self.form = QFormLayout()
        self.fileLabel, self.scanLabel = QLabel(self), QLabel(self)
        self.headLabel, self.pinLabel = QLabel(self), QLabel(self)
        self.summaryLabel = QLabel(self)
        self.form.addRow(self.fileLabel, self._row(self.fileEdit, self.fileButton))
        self.form.addRow(self.scanLabel, self._row(self.scanEdit, self.scanButton))
        self.form.addRow(self.summaryLabel, self.summaryView)
        self.form.addRow(self.headLabel, self.headCombo)
        self.form.addRow(self.pinLabel, self.pinEdit)
        for label, buddy in (
            (self.fileLabel, self.fileEdit),
            (self.scanLabel, self.scanEdit),
            (self.headLabel, self.headCombo),
            (self.pinLabel, self.pinEdit),
        ):
            label.setBuddy(buddy)
        layout = QVBoxLayout(self)
        layout.addWidget(self.introLabel)
        layout.addLayout(self.form)
        layout.addWidget(self.errorLabel)
        layout.addWidget(self.buttons)
        self._fill_heads()
        self._retranslate()

    def _row(self, edit: QLineEdit, button: QPushButton) -> QWidget:
        row = QWidget(self)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(edit, 1)
        box.addWidget(button)
        return row

    def _fill_heads(self) -> None:
        """The session's site heads: only they transcribe (their PIN authorises it)."""
        from app.core.rulebook.model import StaffRole

        for person in self.workspace.staff(self.session_id):
            if person.role == StaffRole.SITE_HEAD:
                self.headCombo.addItem(person.name, person.staff_number)

    def _retranslate(self) -> None:
        self.setWindowTitle(_tr("誊录纸质记录"))
        self.introLabel.setText(
            _tr(
                "笔记本电脑故障时在纸质备用表上填写并签字的记录，在此誊录进本机：选择誊录文件"
                "（JSON，格式见 docs/transcription.md）和签字后的纸质记录表扫描件，"
                "核对下方内容与纸质记录一致后，由考场负责人输入 PIN 确认。"
                "誊录的记录立即确认并封存，扫描件作为证据保存。"
            )
        )
        self.fileLabel.setText(_tr("誊录文件(&F)："))
        self.scanLabel.setText(_tr("扫描件(&S)："))
        self.summaryLabel.setText(_tr("纸质记录内容："))
        self.headLabel.setText(_tr("考场负责人(&H)："))
        self.pinLabel.setText(_tr("考场负责人 PIN(&P)："))
        self.fileButton.setText(_tr("选择文件(&O)…"))
        self.scanButton.setText(_tr("选择扫描件(&C)…"))
        self.transcribeButton.setText(_tr("誊录并确认(&T)"))
        self.cancelButton.setText(_tr("取消"))
        self.summaryView.setPlaceholderText(
            _tr("选择誊录文件后，这里显示其内容，请与纸质记录核对。")
        )
        if self.spec is not None:
            self.summaryView.setPlainText(summary_text(self.spec, self._candidate_name(self.spec)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    @Slot()
    def choose_file(self) -> None:
        path = ask_open_file(self, _tr("选择誊录文件"), _tr("誊录文件 (*.json)"))
        if path:
            self.fileEdit.setText(path)
            self.load_file()

    @Slot()
    def choose_scan(self) -> None:
        path = ask_open_file(
            self,
            _tr("选择纸质记录表扫描件"),
            _tr("扫描件 (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"),
        )
        if path:
            self.scanEdit.setText(path)

    @Slot()
    def load_file(self) -> bool:
        """Read and check the file; its content shown, or the problem in one line."""
        from app.core.records.transcription import read_spec

        self.spec = None
        self.summaryView.clear()
        text = self.fileEdit.text().strip()
        if not text:
            show_in_place(self.errorLabel, "")
            return False
        try:
            spec = read_spec(Path(text))
            if self.workspace.resolve_session_id(spec.session) != self.session_id:
                show_in_place(
                    self.errorLabel,
                    _tr("誊录文件中的场次（session）不是当前打开的场次，请先打开该场次。"),
                )
                return False
        except UserError as exc:
            handle_error(exc, self.errorLabel)
            return False
        self.spec = spec
        self.summaryView.setPlainText(summary_text(spec, self._candidate_name(spec)))
        show_in_place(self.errorLabel, "")
        return True

    def _candidate_name(self, spec: TranscriptionSpec) -> str:
        ticket, id_number = spec.person.ticket_number, (spec.person.id_number or "").upper()
        for candidate in self.workspace.candidates(self.session_id):
            if candidate.ticket_number == ticket or candidate.id_number.upper() == id_number:
                return candidate.name
        return ""

    @Slot()
    def transcribe(self) -> None:
        """Create the record, confirmed and sealed; the dialog closes when it is done."""
        from app.core.records.transcription import transcribe_paper

        if not self.load_file():
            if not self.fileEdit.text().strip():
                show_in_place(self.errorLabel, _tr("请选择誊录文件。"))
            return
        if not self.scanEdit.text().strip():
            show_in_place(self.errorLabel, _tr("请选择纸质记录表扫描件。"))
            return
        if self.headCombo.currentIndex() < 0:
            show_in_place(self.errorLabel, _tr("本场次没有考场负责人，无法誊录。"))
            return
        assert self.spec is not None
        head = str(self.headCombo.currentData())
        try:
            incident = transcribe_paper(
                self.workspace,
                self.spec,
                Path(self.scanEdit.text().strip()),
                head,
                self.pinEdit.text(),
            )
        except Exception as exc:
            self.pinEdit.clear()
            handle_error(exc, self.errorLabel, self)
            return
        self.incident_id = incident.id
        self.transcribed.emit(incident.id)
        self.accept()


def open_transcription(
    parent: QWidget, workspace: Workspace, session_id: str
) -> TranscriptionDialog:
    """What File → 誊录纸质记录 calls: the dialog, window-modal (``open``, no loop of its own)."""
    from PySide6.QtCore import Qt

    dialog = TranscriptionDialog(workspace, session_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
