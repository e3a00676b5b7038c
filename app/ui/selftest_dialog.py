"""Help → Self-test: the core's self-test in a worker, its results one line per step.

The steps (``app.core.selftest``) run in a temporary data folder, never in the open one, so
the dialog can run at any time, locked or not. Each line says in the interface language what
was checked and whether it passed; a failure adds the step's one-line reason, and the core's
own wording of what it checked is the line's tooltip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.workers import run_in_worker

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.core.selftest import SelfTestReport, StepResult

_CTX = "SelfTest"  # the translation context (tools/translations.py reads it)
FAILED_COLOUR = QColor("#b3261e")


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def step_title(name: str, fallback: str) -> str:
    """What the step ``name`` checks, in the interface language (``fallback``: the core's)."""
    titles = {
        "resources": _tr("程序资源：规则库、中文字体和界面翻译"),
        "classify": _tr("违纪认定：规则引擎认定一条违纪行为"),
        "institution": _tr("机构身份：创建密钥、根证书和考点包"),
        "kit": _tr("导入考点包：核验签名，为本机签发证书"),
        "record": _tr("记录与封存：两名工作人员签名、考场负责人确认并封存"),
        "report": _tr("签名报告：生成 PDF 并核验其签名"),
        "export": _tr("导出同步包：加密给评价机构"),
        "verify": _tr("核验同步包：评价机构用其密钥核验"),
        "import": _tr("导入同步包：评价机构导入并核验记录"),
        "window": _tr("界面：主窗口、中文字体和英文翻译"),
    }
    return titles.get(name, fallback)


def result_line(result: StepResult) -> str:
    """One step's line: mark, what was checked, and the outcome (with the reason if failed)."""
    title = step_title(result.name, result.title)
    if result.skipped:
        return "–  " + _tr("%1：未运行（所需的步骤未通过）").replace("%1", title)
    if result.ok:
        return "✓  " + _tr("%1：通过").replace("%1", title)
    return "✗  " + _tr("%1：未通过。%2").replace("%1", title).replace("%2", result.detail)


class SelfTestDialog(QDialog):
    """Runs the self-test when shown (``start``); ``report`` holds the results once done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.core.selftest import CORE_STEPS

        self.steps = CORE_STEPS
        self.report: SelfTestReport | None = None
        self.setMinimumSize(640, 380)
        self.introLabel = QLabel(self)
        self.introLabel.setWordWrap(True)
        self.resultsList = QListWidget(self)
        self.resultsList.setWordWrap(True)
        self.progressBar = QProgressBar(self)
        self.progressBar.setRange(0, len(self.steps))
        self.progressBar.setValue(0)
        self.statusLabel = QLabel(self)
        self.statusLabel.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.copyButton = QPushButton(self)
        self.copyButton.setEnabled(False)
        self.copyButton.clicked.connect(self.copy_results)
        self.buttons.addButton(self.copyButton, QDialogButtonBox.ButtonRole.ActionRole)
        self.closeButton = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.closeButton.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.introLabel)
        layout.addWidget(self.resultsList, 1)
        layout.addWidget(self.progressBar)
        layout.addWidget(self.statusLabel)
        layout.addWidget(self.buttons)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(_tr("自检"))
        self.introLabel.setText(
            _tr(
                "在临时数据文件夹中检查本机能否完成考场上的全部工作：规则库与字体、"
                "记录与封存、签名报告、同步包的导出、核验与导入。本机的记录不受影响。"
            )
        )
        self.copyButton.setText(_tr("复制结果(&C)"))
        self.closeButton.setText(_tr("关闭"))
        self._show_status()
        if self.report is not None:
            self._show_results(self.report)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def start(self) -> None:
        """Run the steps in a worker; the list fills in when they are done."""
        from app.core.selftest import run_self_test

        steps = self.steps

        def work(report: Callable[[int, str], None]) -> SelfTestReport:
            done: list[str] = []

            def heard(result: StepResult) -> None:
                done.append(result.name)
                report(len(done), result.name)

            return run_self_test(steps, on_result=heard)

        self.progressBar.setValue(0)
        self._show_status()
        run_in_worker(work, self._finished, self._failed, self._progress, owner=self)

    @Slot(int, str)
    def _progress(self, done: int, _name: str) -> None:
        self.progressBar.setValue(done)
        self._show_status()

    def _finished(self, report: SelfTestReport) -> None:
        self.report = report
        self.progressBar.setValue(len(self.steps))
        self._show_results(report)
        self._show_status()
        self.copyButton.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        from app.core.selftest import summary

        self.statusLabel.setText(_tr("自检无法运行：%1").replace("%1", summary(exc)))

    def _show_results(self, report: SelfTestReport) -> None:
        self.resultsList.clear()
        for result in report.results:
            item = QListWidgetItem(result_line(result))
            item.setData(Qt.ItemDataRole.UserRole, result.name)
            item.setToolTip(result.detail)
            if not result.ok:
                item.setForeground(QBrush(FAILED_COLOUR))
            self.resultsList.addItem(item)

    def _show_status(self) -> None:
        report = self.report
        if report is None:
            text = _tr("正在自检（第 %1 项，共 %2 项）…")
            step = min(self.progressBar.value() + 1, len(self.steps))
            self.statusLabel.setText(
                text.replace("%1", str(step)).replace("%2", str(len(self.steps)))
            )
        elif report.ok:
            text = _tr("自检通过：%1 项全部通过，用时 %2 秒。")
            seconds = f"{report.seconds:.1f}"
            self.statusLabel.setText(
                text.replace("%1", str(len(report.results))).replace("%2", seconds)
            )
        else:
            failed = "、".join(step_title(n, n) for n in report.failed)
            self.statusLabel.setText(_tr("自检未通过：%1").replace("%1", failed))

    @Slot()
    def copy_results(self) -> None:
        """The lines and the status, as text (for a report to the institution's support)."""
        lines = [self.resultsList.item(i).text() for i in range(self.resultsList.count())]
        QApplication.clipboard().setText("\n".join([*lines, self.statusLabel.text()]))

    def results(self) -> list[str]:
        """The step names listed, in order (for tests and the copy)."""
        return [
            str(self.resultsList.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.resultsList.count())
        ]


def open_self_test(parent: QWidget | None) -> SelfTestDialog:
    """What Help → Self-test calls: the dialog, window-modal, already running."""
    dialog = SelfTestDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    dialog.start()
    return dialog
