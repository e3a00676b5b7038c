"""The institution's bundle import dialog: pick many bundle files at once, import them in a
worker thread with progress, and see per file whether it was imported, already there, or
rejected and why.

The dialog is given one callable that does the import (``make_importer`` builds it from the
institution's workspace and identity), so it knows nothing of databases or keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.workers import run_in_worker

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.core.sync.importing import Outcome
    from app.core.trust.institution import InstitutionIdentity

translate = QCoreApplication.translate
# (paths, progress(done, total, file name)) -> one outcome per path, in order
Importer = Callable[[Sequence[Path], Callable[[int, int, str], None]], "list[Outcome]"]

FILE_COLUMN, STATUS_COLUMN, DETAIL_COLUMN = 0, 1, 2


def ask_bundle_files(parent: QWidget | None) -> list[str]:
    """Bundle files to import (empty when cancelled)."""
    files, _ = QFileDialog.getOpenFileNames(
        parent,
        translate("BundleImport", "选择数据包"),
        "",
        translate("BundleImport", "数据包 (*.pdbundle *.bundle);;所有文件 (*)"),
    )
    return list(files)


def make_importer(
    workspace: Workspace, identity: InstitutionIdentity, trust: Sequence[str] = ()
) -> Importer:
    """The import the dialog runs: into ``workspace``, decrypting with ``identity``."""
    from app.core.sync.importing import import_bundles

    def run(paths: Sequence[Path], progress: Callable[[int, int, str], None]) -> list[Outcome]:
        return import_bundles(workspace, identity, list(paths), trust=trust, progress=progress)

    return run


def status_text(status: str) -> str:
    return {
        "imported": translate("BundleImport", "已导入"),
        "already imported": translate("BundleImport", "已导入过（未改动）"),
        "rejected": translate("BundleImport", "已拒绝"),
    }.get(status, status)


class BundleImportDialog(QDialog):
    """Pick bundle files, import them, show a status per file."""

    def __init__(self, importer: Importer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._importer = importer
        self._paths: list[Path] = []  # queued, not yet imported
        self._rows: list[int] = []  # the table row of each queued path
        self._batch_rows: list[int] = []
        self.outcomes: list[Outcome] = []
        self.setWindowTitle(translate("BundleImport", "导入数据包"))
        self.resize(760, 420)

        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(
            [
                translate("BundleImport", "文件"),
                translate("BundleImport", "结果"),
                translate("BundleImport", "说明"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FILE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAIL_COLUMN, QHeaderView.ResizeMode.Stretch)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.summary = QLabel(translate("BundleImport", "请选择要导入的数据包。"), self)
        self.summary.setWordWrap(True)

        self.add_button = QPushButton(translate("BundleImport", "添加文件…"), self)
        self.import_button = QPushButton(translate("BundleImport", "导入"), self)
        self.import_button.setEnabled(False)
        self.close_button = QPushButton(translate("BundleImport", "关闭"), self)
        self.add_button.clicked.connect(self._ask_files)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.accept)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

    # Files -------------------------------------------------------------------------------

    def _ask_files(self) -> None:
        self.add_files([Path(f) for f in ask_bundle_files(self)])

    def add_files(self, paths: Sequence[Path]) -> None:
        """Queue files for import (a file already queued is not added twice)."""
        for path in paths:
            if path in self._paths:
                continue
            row = self.table.rowCount()
            self._paths.append(path)
            self._rows.append(row)
            self.table.insertRow(row)
            self.table.setItem(row, FILE_COLUMN, QTableWidgetItem(path.name))
            self.table.setItem(
                row, STATUS_COLUMN, QTableWidgetItem(translate("BundleImport", "待导入"))
            )
            self.table.setItem(row, DETAIL_COLUMN, QTableWidgetItem(str(path)))
        self.import_button.setEnabled(bool(self._paths))

    # Import ------------------------------------------------------------------------------

    def start_import(self) -> None:
        if not self._paths:
            return
        paths = list(self._paths)
        self._batch_rows = list(self._rows)
        self._set_busy(True)
        self.progress.setValue(0)
        self.summary.setText(translate("BundleImport", "正在检查并导入…"))

        def work(report: Callable[[int, str], None]) -> list[Outcome]:
            def progress(done: int, total: int, name: str) -> None:
                report(int(100 * done / total) if total else 100, name)

            return self._importer(paths, progress)

        run_in_worker(work, self._done, self._failed, self._progress)

    def _progress(self, percent: int, name: str) -> None:
        self.progress.setValue(percent)
        if name:
            self.summary.setText(translate("BundleImport", "正在处理 {name}…").format(name=name))

    def _done(self, result: object) -> None:
        outcomes = cast("list[Outcome]", result)
        self.outcomes = outcomes
        for row, outcome in zip(self._batch_rows, outcomes, strict=True):
            status = QTableWidgetItem(status_text(outcome.status))
            if outcome.status == "rejected":
                status.setForeground(Qt.GlobalColor.darkRed)
            self.table.setItem(row, STATUS_COLUMN, status)
            self.table.setItem(row, DETAIL_COLUMN, QTableWidgetItem(self._detail(outcome)))
        self.progress.setValue(100)
        counts = {
            s: sum(1 for o in outcomes if o.status == s)
            for s in ("imported", "already imported", "rejected")
        }
        self.summary.setText(
            translate("BundleImport", "已导入 {a} 个，已导入过 {b} 个，拒绝 {c} 个。").format(
                a=counts["imported"], b=counts["already imported"], c=counts["rejected"]
            )
        )
        self._paths.clear()
        self._rows.clear()
        self._set_busy(False)
        self.import_button.setEnabled(False)

    def _detail(self, outcome: Outcome) -> str:
        if outcome.status == "imported":
            added = outcome.counts.get("incidents_added", 0)
            text = translate("BundleImport", "新增 %n 条记录版本", None, added)
            if outcome.gap:
                text += translate("BundleImport", "；注意：该设备更早的数据包尚未导入")
            return text
        return outcome.message

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(translate("BundleImport", "导入未完成：{error}").format(error=exc))
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.add_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy and bool(self._paths))
        self.close_button.setEnabled(not busy)


def ask_institution_passphrase(parent: QWidget | None) -> str | None:
    """The institution passphrase (None when cancelled)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    text, ok = QInputDialog.getText(
        parent,
        translate("BundleImport", "导入数据包"),
        translate("BundleImport", "机构密钥口令："),
        QLineEdit.EchoMode.Password,
    )
    return text if ok else None


def open_bundle_import(parent: QWidget | None, workspace: Workspace) -> BundleImportDialog | None:
    """What the main window's "import bundles" action calls: asks the institution passphrase,
    opens the identity and shows the dialog; a missing identity or wrong passphrase is shown
    as one message and nothing opens."""
    from app.core.errors import UserError
    from app.core.trust.institution import load_identity
    from app.ui.errors import ask_show_user_error

    passphrase = ask_institution_passphrase(parent)
    if passphrase is None:
        return None
    try:
        identity = load_identity(workspace.data_dir, passphrase)
    except UserError as exc:
        ask_show_user_error(parent, str(exc))
        return None
    dialog = BundleImportDialog(make_importer(workspace, identity), parent)
    dialog.show()
    return dialog
