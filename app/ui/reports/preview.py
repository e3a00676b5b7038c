"""A signed report on screen: pages, zoom, print (Qt's print dialog) and save as.

The dialog keeps the signed bytes it was given and saves exactly those: re-writing a signed PDF
(as a print-to-file would) breaks its signature. Printing renders each page with QtPdf into
the printer, at most ``PRINT_DPI`` dots per inch (a page at a printer's 1200 dpi would be a
half-gigabyte image, and no report needs more than 300 to print sharp).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSize,
)
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError

PRINT_DPI = 300
ZOOM_STEP = 1.25

_CTX = "ReportPreviewDialog"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


class PdfOpenError(UserError):
    """The bytes or file given are not a PDF QtPdf can open."""


def ask_print_dialog(printer: QPrinter, parent: QWidget | None) -> bool:
    """Qt's print dialog for ``printer``; True when the person chose to print (tests replace
    this function)."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_tr("打印报告"))
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_save_path(parent: QWidget | None, suggested: str) -> Path | None:
    """Where to save the PDF, or None when cancelled (tests replace this function)."""
    name, _ = QFileDialog.getSaveFileName(parent, _tr("另存为"), suggested, _tr("PDF 文件 (*.pdf)"))
    return Path(name) if name else None


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Render the pages of ``document`` (the printer's page range, or all) into ``printer``,
    each scaled to the paper with its aspect kept; the number of pages printed."""
    count = document.pageCount()
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), min(printer.toPage() or count, count)
    if count == 0 or first > last:
        return 0
    dpi = min(printer.resolution(), PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError(_tr("打印机无法开始打印，请检查打印机后重试。"))
    printed = 0
    try:
        for index in range(first - 1, last):
            if printed:
                printer.newPage()
            points = document.pagePointSize(index)
            image = document.render(
                index, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            )
            area = QRectF(painter.viewport())
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            target.moveCenter(area.center())
            painter.drawImage(target, image)
            printed += 1
    finally:
        painter.end()
    return printed


class ReportPreviewDialog(QDialog):
    """Shows a PDF (bytes or a file) with page navigation and fit-width zoom; prints it and
    saves its bytes unchanged."""

    def __init__(
        self,
        pdf: bytes | Path,
        title: str = "",
        suggested_name: str = "report.pdf",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.pdf_bytes = pdf.read_bytes() if isinstance(pdf, Path) else bytes(pdf)
        self.title = title
        self.suggested_name = suggested_name
        self.saved_path: Path | None = None
        self.document = QPdfDocument(self)
        # QPdfDocument reads from the device while pages are shown: it lives as long as we do.
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(self.pdf_bytes))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            raise PdfOpenError(_tr("无法打开该 PDF 文件（文件损坏或不是 PDF）。"))

        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.navigator = self.view.pageNavigator()

        self.previous_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.page_label = QLabel(self)
        self.fit_button = QPushButton(self)
        self.zoom_out_button = QPushButton(self)
        self.zoom_in_button = QPushButton(self)
        self.status_label = QLabel(self)
        self.status_label.setVisible(False)  # shown with a message after printing or saving
        bar = QHBoxLayout()
        for widget in (self.previous_button, self.page_label, self.next_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.zoom_out_button, self.fit_button, self.zoom_in_button):
            bar.addWidget(widget)

        self.buttons = QDialogButtonBox(self)
        self.print_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)

        self.previous_button.clicked.connect(lambda: self.go_to_page(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page() + 1))
        self.fit_button.clicked.connect(self.fit_width)
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.print_button.clicked.connect(self.print_report)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        self.navigator.currentPageChanged.connect(self._update_page)
        self.resize(820, 960)
        self.retranslate()

    # -- texts --------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.title or self.tr("报告预览"))
        self.previous_button.setText(self.tr("上一页"))
        self.next_button.setText(self.tr("下一页"))
        self.fit_button.setText(self.tr("适合宽度"))
        self.zoom_in_button.setText(self.tr("放大"))
        self.zoom_out_button.setText(self.tr("缩小"))
        self.print_button.setText(self.tr("打印…"))
        self.save_button.setText(self.tr("另存为…"))
        self.close_button.setText(self.tr("关闭"))
        self._update_page()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- pages and zoom -----------------------------------------------------------------------

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """The page shown, from 0."""
        return self.navigator.currentPage()

    def go_to_page(self, index: int) -> None:
        if 0 <= index < self.page_count():
            self.navigator.jump(index, QPointF(), self.navigator.currentZoom())
            self._update_page()

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def zoom_by(self, factor: float) -> None:
        zoom = self.view.zoomFactor() * factor
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(zoom, 6.0)))

    def _update_page(self, *_args: object) -> None:
        page, count = self.current_page(), self.page_count()
        self.page_label.setText(
            self.tr("第 %1 / %2 页").replace("%1", str(page + 1)).replace("%2", str(count))
        )
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < count - 1)

    # -- print and save -----------------------------------------------------------------------

    def print_report(self) -> int:
        """Ask for a printer and print; the number of pages printed (0 when cancelled)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title or self.suggested_name)
        printer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
        printer.setFullPage(True)  # the PDF has its own margins
        printer.setFromTo(1, self.page_count())
        if not ask_print_dialog(printer, self):
            return 0
        try:
            printed = print_pdf(self.document, printer)
        except UserError as exc:
            self._show(str(exc), ok=False)
            return 0
        self._show(self.tr("已发送 %n 页到打印机。", "", printed), ok=True)
        return printed

    def save_as(self) -> Path | None:
        """Ask where, and write the signed bytes there unchanged."""
        path = ask_save_path(self, self.suggested_name)
        if path is None:
            return None
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            path.write_bytes(self.pdf_bytes)
        except OSError as exc:
            self._show(
                self.tr("无法保存到 %1：%2")
                .replace("%1", str(path))
                .replace("%2", exc.strerror or str(exc)),
                ok=False,
            )
            return None
        self.saved_path = path
        self._show(self.tr("已保存到 %1").replace("%1", str(path)), ok=True)
        return path

    def _show(self, message: str, *, ok: bool) -> None:
        from app.ui.errors import show_in_place

        show_in_place(self.status_label, message, ok=ok)
