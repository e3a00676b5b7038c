"""Export a session's sync bundle from the laptop: choose the file, full or only what changed
since the last bundle, write it in a worker with progress, then show the receipt text for the
paper log, in the interface language, with a button that copies it.

The file is chosen through ``ask_bundle_path`` (tests replace it). The records are not marked
``exported`` here: each such mark is an audit entry after the bundle, which would make
``bundle purge`` refuse until one more bundle had been receipted; the core export is the place.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.errors import handle_error, show_in_place
from app.ui.workers import run_in_worker

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from app.core.records.service import Workspace
    from app.core.sync.export import ExportResult

BUNDLE_SUFFIX = ".pdbundle"


def ask_bundle_path(parent: QWidget | None, suggested: str) -> str:
    """Where to write the bundle (empty when cancelled)."""
    path, _ = QFileDialog.getSaveFileName(
        parent,
        QApplication.translate("ExportBundle", "保存同步包"),
        suggested,
        QApplication.translate("ExportBundle", "同步包 (*.pdbundle)"),
    )
    return path


def ask_printer(parent: QWidget | None) -> QPrinter | None:
    """Qt's print dialog; the chosen printer, or None when cancelled (tests replace this)."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def print_plain_text(printer: QPrinter, text: str) -> None:
    """Print ``text`` line for line in the application's font (the CJK one)."""
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setDefaultFont(QApplication.font())
    document.setPlainText(text)
    document.print_(printer)


class ExportBundleDialog(QDialog):
    """One export of ``session_id``; ``result`` holds the export once it is written."""

    def __init__(self, workspace: Workspace, session_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.session_id = session_id
        self.result_: ExportResult | None = None
        self._busy = False
        self._written = ""  # the file the last export wrote (not to be chosen again)
        self.setMinimumWidth(560)

        self.fileLabel = QLabel(self)
        self.pathEdit = QLineEdit(self)
        self.chooseButton = QPushButton(self)
        self.chooseButton.clicked.connect(self.choose_file)
        self.fileLabel.setBuddy(self.pathEdit)
        self.pathEdit.textChanged.connect(lambda _text: self._enable())
        file_row = QHBoxLayout()
        file_row.addWidget(self.pathEdit, 1)
        file_row.addWidget(self.chooseButton)
        self.sinceLastCheck = QCheckBox(self)
        self.progressBar = QProgressBar(self)
        self.progressBar.setRange(0, 100)
        self.progressBar.hide()
        self.messageLabel = QLabel(self)
        self.messageLabel.setWordWrap(True)
        show_in_place(self.messageLabel, "")
        self.receiptLabel = QLabel(self)
        self.receiptView = QPlainTextEdit(self)
        self.receiptView.setReadOnly(True)
        self.receiptView.setMinimumHeight(130)
        self.copyButton = QPushButton(self)
        self.copyButton.clicked.connect(self.copy_receipt)
        self.printButton = QPushButton(self)
        self.printButton.clicked.connect(self.print_receipt)
        for widget in self._receipt_widgets():
            widget.hide()
        self.buttons = QDialogButtonBox(self)
        self.exportButton = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.closeButton = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.exportButton.setDefault(True)
        self.exportButton.clicked.connect(self.export)
        self.closeButton.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.fileLabel)
        layout.addLayout(file_row)
        layout.addWidget(self.sinceLastCheck)
        layout.addWidget(self.progressBar)
        layout.addWidget(self.messageLabel)
        layout.addWidget(self.receiptLabel)
        layout.addWidget(self.receiptView)
        copy_row = QHBoxLayout()
        copy_row.addStretch(1)
        copy_row.addWidget(self.printButton)
        copy_row.addWidget(self.copyButton)
        layout.addLayout(copy_row)
        layout.addWidget(self.buttons)
        self._retranslate()
        self._enable()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("导出同步包"))
        self.fileLabel.setText(self.tr("同步包文件(&F)："))
        self.chooseButton.setText(self.tr("选择(&B)…"))
        self.sinceLastCheck.setText(self.tr("仅导出上次之后的记录(&L)"))
        self.receiptLabel.setText(self.tr("回执（请抄入纸质交接记录）："))
        self.copyButton.setText(self.tr("复制回执(&C)"))
        self.printButton.setText(self.tr("打印回执(&P)…"))
        self.exportButton.setText(self.tr("导出(&E)"))
        self.closeButton.setText(self.tr("关闭"))

    def _enable(self) -> None:
        for widget in (self.pathEdit, self.chooseButton, self.sinceLastCheck):
            widget.setEnabled(not self._busy)
        text = self.pathEdit.text().strip()
        self.exportButton.setEnabled(not self._busy and bool(text) and text != self._written)
        self.closeButton.setEnabled(not self._busy)

    @Slot()
    def choose_file(self) -> None:
        suggested = f"{self.workspace.device.code}-{self.session_id[:8]}{BUNDLE_SUFFIX}"
        path = ask_bundle_path(self, suggested)
        if path:
            if not Path(path).suffix:
                path += BUNDLE_SUFFIX
            self.pathEdit.setText(path)
        self._enable()

    @Slot()
    def export(self) -> None:
        """Write the bundle in a worker; the receipt shows when it is done."""
        from app.core.sync.export import export_bundle

        text = self.pathEdit.text().strip()
        if self._busy or not text:
            return
        if Path(text).exists():
            # Said before anything starts, so the receipt on screen stays to be copied.
            show_in_place(self.messageLabel, self.tr("该文件已存在，请另选文件名。"))
            return
        workspace, session_id = self.workspace, self.session_id
        out, since_last = Path(text), self.sinceLastCheck.isChecked()

        def work(report: object) -> ExportResult:
            def progress(done: int, total: int) -> None:
                report(done * 100 // max(total, 1), "")  # type: ignore[operator]

            return export_bundle(
                workspace, session_id, out, since_last=since_last, progress=progress
            )

        self._busy = True
        self.result_ = None
        # A receipt on screen is always the last bundle written: the old one goes now.
        self.receiptView.clear()
        for widget in self._receipt_widgets():
            widget.hide()
        self.progressBar.setValue(0)
        self.progressBar.show()
        show_in_place(self.messageLabel, self.tr("正在导出…"), ok=True)
        self._enable()
        run_in_worker(work, self._done, self._failed, self._progress)

    def _progress(self, percent: int, _text: str) -> None:
        self.progressBar.setValue(percent)

    def _done(self, result: object) -> None:
        from app.core.sync.export import ExportResult

        assert isinstance(result, ExportResult)
        self._busy = False
        self.result_ = result
        self._written = self.pathEdit.text().strip()
        self.progressBar.setValue(100)
        self.progressBar.hide()
        show_in_place(self.messageLabel, self.tr("同步包已导出，请交评价机构导入。"), ok=True)
        self.receiptView.setPlainText(self.receipt_for(result))
        for widget in self._receipt_widgets():
            widget.show()
        self._enable()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.progressBar.hide()
        self._enable()
        handle_error(exc, self.messageLabel, self)

    def _receipt_widgets(self) -> tuple[QWidget, ...]:
        return (self.receiptLabel, self.receiptView, self.copyButton, self.printButton)

    def _zone(self, result: ExportResult) -> str:
        return str(self.workspace.session(result.session_id).get("timezone") or "Asia/Shanghai")

    def receipt_for(self, result: ExportResult) -> str:
        """The receipt for the paper log: what identifies the file, who signed it, and
        what it holds; short enough to copy by hand (the printed receipt has the full codes)."""
        receipt = result.receipt
        sealed = self.tr("已加密给评价机构") if receipt.encrypted else self.tr("已签名，未加密")
        kind = self.tr("增量（上次之后）") if result.mode == "incremental" else self.tr("完整")
        created = receipt.local_time(self._zone(result))
        lines = [
            self.tr("同步包编号：%1").replace("%1", receipt.bundle_id),
            self.tr("生成时间：%1（%2）").replace("%1", created).replace("%2", sealed),
            self.tr("校验码（SHA-256 前16位）：%1").replace("%1", receipt.short_hash),
            self.tr("设备指纹（前16位）：%1").replace("%1", receipt.short_fingerprint),
            self.tr("场次：%1，%2").replace("%1", result.session_id).replace("%2", kind),
            self.tr("记录版本 %1 条，审计记录 %2 条，证据文件 %3 个，已签名PDF %4 份")
            .replace("%1", str(result.incidents))
            .replace("%2", str(result.audit_entries))
            .replace("%3", str(result.evidence_files))
            .replace("%4", str(result.reports)),
        ]
        return "\n".join(lines)

    def printable_receipt(self, result: ExportResult) -> str:
        """The printed receipt: the lines above, the full codes, and room to sign the handover."""
        receipt = result.receipt
        return "\n".join(
            [
                self.tr("同步包交接回执"),
                "",
                self.receipt_for(result),
                self.tr("完整 SHA-256：%1").replace("%1", receipt.sha256),
                self.tr("完整设备指纹：%1").replace("%1", receipt.signer_fingerprint),
                "",
                self.tr("交出人签名：____________    接收人签名：____________    日期：__________"),
            ]
        )

    @Slot()
    def print_receipt(self) -> None:
        if self.result_ is None:
            return
        printer = ask_printer(self)
        if printer is None:
            return
        print_plain_text(printer, self.printable_receipt(self.result_))
        show_in_place(self.messageLabel, self.tr("回执已发送到打印机。"), ok=True)

    def receipt_text(self) -> str:
        return self.receiptView.toPlainText() if self.result_ is not None else ""

    @Slot()
    def copy_receipt(self) -> None:
        if not self.receipt_text():
            return
        QApplication.clipboard().setText(self.receipt_text())
        show_in_place(self.messageLabel, self.tr("回执已复制。"), ok=True)

    def reject(self) -> None:
        if not self._busy:  # the bundle being written must finish before the dialog goes
            super().reject()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def open_bundle_export(
    parent: QWidget | None, workspace: Workspace, session_id: str
) -> ExportBundleDialog:
    """What the main window's "export bundle" action calls: the dialog, window-modal."""
    dialog = ExportBundleDialog(workspace, session_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog
