"""The institution's bundle import dialog: pick many bundle files at once, import them in a
worker thread with progress, and see per file whether it was imported, already there, or
rejected and why (said in the interface language; the program's own words in the tooltip).
A bundle from a laptop that never got a site kit is refused until the admin accepts the
device's fingerprint, checked with the site: "接受设备…" does that and imports the file again.

The dialog is given one callable that does the import (``make_importer`` builds it from the
institution's workspace and identity), so it knows nothing of databases or keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, Qt, Signal
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
# (paths, progress(done, total, file name), fingerprints to accept) -> one outcome per path
Importer = Callable[
    [Sequence[Path], Callable[[int, int, str], None], Sequence[str]], "list[Outcome]"
]
# checking.UNACCEPTED_DEVICE, without loading the import code with this module
UNACCEPTED_DEVICE = "unaccepted_device"

FILE_COLUMN, STATUS_COLUMN, DETAIL_COLUMN = 0, 1, 2


def ask_bundle_files(parent: QWidget | None) -> list[str]:
    """Bundle files to import (empty when cancelled)."""
    files, _ = QFileDialog.getOpenFileNames(
        parent,
        translate("BundleImport", "选择同步包"),
        "",
        translate("BundleImport", "同步包 (*.pdbundle *.bundle);;所有文件 (*)"),
    )
    return list(files)


def make_importer(
    workspace: Workspace, identity: InstitutionIdentity, trust: Sequence[str] = ()
) -> Importer:
    """The import the dialog runs: into ``workspace``, decrypting with ``identity``."""
    from app.core.sync.importing import import_bundles

    def run(
        paths: Sequence[Path], progress: Callable[[int, int, str], None], accept: Sequence[str]
    ) -> list[Outcome]:
        every = [*trust, *accept]
        return import_bundles(workspace, identity, list(paths), trust=every, progress=progress)

    return run


def reason_text(reason: str | None) -> str:
    """Why a bundle was refused, in the interface language (the program's own words, with
    the details, are the cell's tooltip)."""
    from app.core.sync import checking as c

    texts = {
        c.DAMAGED: translate("BundleImport", "同步包已损坏、不完整或被改动"),
        c.NOT_A_BUNDLE: translate("BundleImport", "不是本程序的同步包"),
        c.WRONG_KEY: translate("BundleImport", "同步包不是加密给本机构的"),
        c.UNREADABLE: translate("BundleImport", "无法读取该文件"),
        c.BAD_SIGNATURE: translate("BundleImport", "设备签名无法验证"),
        c.REVOKED_DEVICE: translate("BundleImport", "该设备已被吊销，其同步包一律拒绝"),
        c.UNACCEPTED_DEVICE: translate(
            "BundleImport", "设备尚未被接受（其场次不是由考点包创建的）；核对指纹后可点“接受设备…”"
        ),
        c.CONFLICT: translate("BundleImport", "与本机构已有的记录冲突"),
        c.WRONG_INSTITUTION: translate("BundleImport", "同步包是发给另一评价机构的"),
        c.BAD_CERTIFICATE: translate("BundleImport", "设备证书不是由本机构签发的，或与签名不符"),
        c.SITE_KIT: translate("BundleImport", "这是考点包，不是同步包：请在考点笔记本上导入"),
        c.MALFORMED: translate("BundleImport", "同步包中的记录不符合格式"),
        c.NOT_SAVED: translate("BundleImport", "数据库未能保存本次导入，未导入任何记录"),
    }
    return texts.get(reason or "", texts[c.MALFORMED])


def ask_accept_device(parent: QWidget | None, file_name: str, fingerprint: str) -> bool:
    """Whether the admin accepts the device after checking its fingerprint with the site
    (tests replace this function)."""
    from PySide6.QtWidgets import QMessageBox

    text = translate(
        "BundleImport",
        "{file} 由一台未使用考点包的设备签名。\n\n设备指纹：\n{fingerprint}\n\n"
        "请与考点逐组核对指纹（考场负责人手中该设备导出同步包时给出的回执上有）。"
        "接受后将导入该同步包，此设备今后的同步包也会被接受。指纹一致吗？",
    ).format(file=file_name, fingerprint=_grouped(fingerprint))
    answer = QMessageBox.question(
        parent,
        translate("BundleImport", "接受设备"),
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def _grouped(fingerprint: str) -> str:
    """Sixteen groups of four on two lines, to compare by eye."""
    groups = fingerprint.split()
    return " ".join(groups[:8]) + "\n" + " ".join(groups[8:])


def status_text(status: str) -> str:
    return {
        "imported": translate("BundleImport", "已导入"),
        "already imported": translate("BundleImport", "已导入过（未改动）"),
        "rejected": translate("BundleImport", "已拒绝"),
    }.get(status, status)


class BundleImportDialog(QDialog):
    """Pick bundle files, import them, show a status per file."""

    #: Records came in (at least one file imported): lists showing them are out of date.
    imported = Signal()

    def __init__(self, importer: Importer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._importer = importer
        self._paths: list[Path] = []  # queued, not yet imported
        self._rows: list[int] = []  # the table row of each queued path
        self._batch_rows: list[int] = []
        self._accepting: list[str] = []  # fingerprints accepted for the running batch
        self._row_outcomes: dict[int, Outcome] = {}  # the latest outcome of each table row
        self.outcomes: list[Outcome] = []
        self.setWindowTitle(translate("BundleImport", "导入同步包"))
        self.resize(900, 440)

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
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FILE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATUS_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAIL_COLUMN, QHeaderView.ResizeMode.Stretch)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.summary = QLabel(translate("BundleImport", "请选择要导入的同步包。"), self)
        self.summary.setWordWrap(True)

        self.add_button = QPushButton(translate("BundleImport", "添加文件…"), self)
        self.remove_button = QPushButton(translate("BundleImport", "移除"), self)
        self.remove_button.setToolTip(translate("BundleImport", "从列表中移除所选的待导入文件"))
        self.accept_button = QPushButton(translate("BundleImport", "接受设备…"), self)
        self.accept_button.setToolTip(
            translate("BundleImport", "核对所选同步包的设备指纹，接受该设备并重新导入")
        )
        self.import_button = QPushButton(translate("BundleImport", "导入"), self)
        self.close_button = QPushButton(translate("BundleImport", "关闭"), self)
        self.add_button.clicked.connect(self._ask_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self.accept_button.clicked.connect(self.accept_selected_device)
        self.import_button.clicked.connect(lambda: self.start_import())
        self.close_button.clicked.connect(self.accept)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.accept_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self._update_buttons()

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
        self._say_queued()
        self._update_buttons()

    def remove_selected(self) -> None:
        """Take the selected file off the list, if it is still waiting to be imported."""
        row = self._selected_row()
        if row is None or row not in self._rows:
            return
        index = self._rows.index(row)
        del self._paths[index], self._rows[index]
        self.table.removeRow(row)
        # Rows below move up one.
        self._rows = [r - 1 if r > row else r for r in self._rows]
        self._row_outcomes = {
            (r - 1 if r > row else r): o for r, o in self._row_outcomes.items() if r != row
        }
        self._say_queued()
        self._update_buttons()

    def _say_queued(self) -> None:
        if self._paths:
            waiting = len(self._paths)
            self.summary.setText(
                translate("BundleImport", "待导入 %n 个文件；点“导入”开始。", None, waiting)
            )
        else:
            self.summary.setText(translate("BundleImport", "请选择要导入的同步包。"))

    def _selected_row(self) -> int | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return rows.pop() if len(rows) == 1 else None

    def _update_buttons(self) -> None:
        busy = not self.close_button.isEnabled()
        row = self._selected_row()
        outcome = self._row_outcomes.get(row) if row is not None else None
        self.import_button.setEnabled(not busy and bool(self._paths))
        self.remove_button.setEnabled(not busy and row is not None and row in self._rows)
        self.accept_button.setEnabled(
            not busy
            and outcome is not None
            and outcome.reason == UNACCEPTED_DEVICE
            and bool(outcome.device_fingerprint)
        )

    def accept_selected_device(self) -> None:
        """After the admin confirms the fingerprint, import the selected file again with its
        device accepted (for good: its later bundles need no acceptance)."""
        row = self._selected_row()
        outcome = self._row_outcomes.get(row) if row is not None else None
        if row is None or outcome is None or outcome.reason != UNACCEPTED_DEVICE:
            return
        fingerprint = outcome.device_fingerprint or ""
        if not ask_accept_device(self, outcome.path.name, fingerprint):
            return
        if row not in self._rows:
            self._paths.append(outcome.path)
            self._rows.append(row)
        self.table.setItem(
            row, STATUS_COLUMN, QTableWidgetItem(translate("BundleImport", "待导入"))
        )
        self.start_import(accept=[fingerprint])

    # Import ------------------------------------------------------------------------------

    def start_import(self, accept: Sequence[str] = ()) -> None:
        """Import every queued file; ``accept``: device fingerprints the admin accepted."""
        if not self._paths:
            return
        paths = list(self._paths)
        self._batch_rows = list(self._rows)
        accepting = list(accept)
        self._set_busy(True)
        self.progress.setValue(0)
        self.summary.setText(translate("BundleImport", "正在检查并导入…"))

        def work(report: Callable[[int, str], None]) -> list[Outcome]:
            def progress(done: int, total: int, name: str) -> None:
                report(int(100 * done / total) if total else 100, name)

            return self._importer(paths, progress, accepting)

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
            detail = QTableWidgetItem(self._detail(outcome))
            # The program's own words, in full: the cell may cut a long reason short. (For a
            # device to accept, they advise the command line; the cell says what to do here.)
            own_words = outcome.reason != UNACCEPTED_DEVICE and outcome.message
            if own_words and outcome.advice:  # what to do about it, after what was found
                own_words = f"{own_words}\n{outcome.advice}"
            detail.setToolTip(own_words or detail.text())
            self.table.setItem(row, DETAIL_COLUMN, detail)
            self._row_outcomes[row] = outcome
        self.table.resizeRowsToContents()
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
        if counts["rejected"] and any(o.reason == UNACCEPTED_DEVICE for o in outcomes):
            self.summary.setText(
                self.summary.text()
                + translate("BundleImport", "选中未被接受设备的同步包，核对指纹后可点“接受设备…”。")
            )
        self._paths.clear()
        self._rows.clear()
        self._set_busy(False)
        if counts["imported"]:
            self.imported.emit()

    def _detail(self, outcome: Outcome) -> str:
        if outcome.status == "imported":
            added = outcome.counts.get("incidents_added", 0)
            text = translate("BundleImport", "新增 %n 条记录版本", None, added)
            if outcome.gap:
                text += translate("BundleImport", "；注意：该设备更早的同步包尚未导入")
            if outcome.barred_on_site:
                text += translate("BundleImport", "；注意：现场新增的考生在禁考名单中：%1").replace(
                    "%1", "、".join(outcome.barred_on_site)
                )
            return text
        if outcome.status == "already imported":
            return translate("BundleImport", "此前已导入，本次未作改动")
        detail = reason_text(outcome.reason)
        if outcome.reason == UNACCEPTED_DEVICE and outcome.device_fingerprint:
            return detail + translate("BundleImport", "\n设备指纹：{fingerprint}").format(
                fingerprint=outcome.device_fingerprint
            )
        return detail

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(translate("BundleImport", "导入未完成：{error}").format(error=exc))
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.add_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)
        self._update_buttons()


def ask_institution_passphrase(parent: QWidget | None, title: str = "") -> str | None:
    """The institution passphrase (None when cancelled)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    text, ok = QInputDialog.getText(
        parent,
        title or translate("BundleImport", "导入同步包"),
        translate("BundleImport", "机构密钥口令："),
        QLineEdit.EchoMode.Password,
    )
    return text if ok else None


def institution_error_text(exc: Exception) -> str:
    """What to say when the institution's keys cannot be opened, in the interface language
    when it is the usual case (a mistyped passphrase)."""
    from app.core.trust.institution import WrongPassphraseError

    if isinstance(exc, WrongPassphraseError):
        return translate("BundleImport", "机构密钥口令不正确，请重新输入。")
    return str(exc)


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
        ask_show_user_error(parent, institution_error_text(exc))
        return None
    dialog = BundleImportDialog(make_importer(workspace, identity), parent)
    dialog.show()
    return dialog
