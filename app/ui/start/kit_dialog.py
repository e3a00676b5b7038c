"""Create a session from a site kit (考点包): pick the kit file, enter the kit passphrase the
site head received separately, import it in a worker, then open the new session.

Refusals (a kit altered on the way, one from another institution, a wrong passphrase) are said
in place in the dialog, so the person can pick another file or retype the passphrase. The file is
chosen through ``ask_kit_file`` (tests replace it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.errors import handle_error, show_in_place
from app.ui.labels import in_chinese
from app.ui.workers import run_in_worker

if TYPE_CHECKING:
    from app.core.kits.kit_import import KitImport
    from app.core.records.service import Workspace

_CTX = "KitImport"


def ask_kit_file(parent: QWidget | None) -> str:
    """The kit file to import (empty when cancelled)."""
    path, _ = QFileDialog.getOpenFileName(
        parent,
        QApplication.translate(_CTX, "选择考点包"),
        "",
        QApplication.translate(_CTX, "考点包 (*.kit *.pdkit);;所有文件 (*)"),
    )
    return path


def refusal_text(message: str) -> str:
    """The core's reason for refusing a kit, led by a plain sentence in the interface language.

    The core speaks English (its messages are also the command line's). In English its words
    follow the lead as they are; in Chinese only what they name (institutions, fingerprints,
    rulebook versions) is kept, in a Chinese sentence, so no English line shows there.
    """
    translate = QCoreApplication.translate
    known = (
        ("damaged or altered", translate("KitImport", "考点包已损坏或被改动，不能导入。")),
        (
            "not signed by the institution",
            translate("KitImport", "考点包不是其所称评价机构签发的，不能导入。"),
        ),
        (
            "another institution",
            translate("KitImport", "考点包来自另一评价机构，本机已属于其他评价机构。"),
        ),
        (
            "not by the expected",
            translate("KitImport", "考点包不是预期的评价机构签发的，不能导入。"),
        ),
        (
            "passphrase is wrong",
            translate("KitImport", "考点包口令不正确（或考点证书已损坏），请重新输入。"),
        ),
        (
            "encrypted under the site passphrase",
            translate("KitImport", "请输入考点包口令后再导入。"),
        ),
        (
            "it is a sync bundle",
            translate("KitImport", "所选文件是同步包，不是考点包：同步包由评价机构导入。"),
        ),
        ("not a site kit", translate("KitImport", "所选文件不是考点包。")),
        (
            "was purged here",
            translate("KitImport", "本机已清除该场次的个人信息，不能再导入其考点包。"),
        ),
        (
            "disagrees with the session already on this laptop",
            translate("KitImport", "考点包与本机已有的同一场次不一致，不能导入。"),
        ),
        ("rulebook", translate("KitImport", "考点包所用规则与本机的不同，不能导入。")),
        ("site certificate", translate("KitImport", "考点包中的考点证书无效，不能导入。")),
        ("site key", translate("KitImport", "考点包中的考点证书无效，不能导入。")),
        ("cannot be opened", translate("KitImport", "无法打开所选文件（可能已被移走或改名）。")),
        ("cannot be read", translate("KitImport", "无法读取所选文件。")),
    )
    lead = next(
        (text for marker, text in known if marker in message),
        translate("KitImport", "考点包内容不完整或格式不对，不能导入。"),
    )
    if not in_chinese():
        return f"{lead}\n{message}"
    detail = _named_in(message)
    return f"{lead}\n{detail}" if detail else lead


# What a refusal names, read from the core's message (its wording is kept stable for this).
_ANOTHER = re.compile(
    r"another institution \((?:(?P<name>[^()]+?), )?(?P<fp>[0-9a-f ]+)\); "
    r"this laptop belongs to (?P<mine>.+) \((?P<mine_fp>[0-9a-f ]+)\)"
)
_EXPECTED = re.compile(
    r"signed by institution (?P<fp>[0-9a-f ]+), not by the expected (?P<want>.+)"
)
_VERSION = re.compile(
    r"rulebook (?P<id>\S+) version (?P<kit>\S+); this laptop has version (?P<mine>\S+)"
)


def _named_in(message: str) -> str:
    """The institutions, fingerprints or versions ``message`` names, said in Chinese."""
    translate = QCoreApplication.translate
    if found := _ANOTHER.search(message):
        fingerprint = translate("KitImport", "指纹 %1")
        kit = fingerprint.replace("%1", found["fp"])
        if found["name"]:
            kit = f"{found['name']}（{kit}）"
        mine = f"{found['mine']}（{fingerprint.replace('%1', found['mine_fp'])}）"
        return (
            translate("KitImport", "考点包的签发机构：%1；本机所属评价机构：%2")
            .replace("%1", kit)
            .replace("%2", mine)
        )
    if found := _EXPECTED.search(message):
        return (
            translate("KitImport", "考点包签发机构的指纹：%1；应为：%2")
            .replace("%1", found["fp"])
            .replace("%2", found["want"])
        )
    if found := _VERSION.search(message):
        return (
            translate(
                "KitImport", "考点包使用规则 %1 的 %2 版，本机为 %3 版：请先更新本软件再导入。"
            )
            .replace("%1", found["id"])
            .replace("%2", found["kit"])
            .replace("%3", found["mine"])
        )
    return ""


class KitImportDialog(QDialog):
    """Emits ``created(session_id)`` once the kit's session is on this laptop."""

    created = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.result_: KitImport | None = None
        self._busy = False
        self.setMinimumWidth(560)
        self.hintLabel = QLabel(self)
        self.hintLabel.setWordWrap(True)
        self.fileLabel = QLabel(self)
        self.pathEdit = QLineEdit(self)
        self.chooseButton = QPushButton(self)
        self.chooseButton.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.pathEdit, 1)
        file_row.addWidget(self.chooseButton)
        self.passLabel = QLabel(self)
        self.passphraseEdit = QLineEdit(self)
        self.passphraseEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.fileLabel.setBuddy(self.pathEdit)
        self.passLabel.setBuddy(self.passphraseEdit)
        for edit in (self.pathEdit, self.passphraseEdit):
            edit.textChanged.connect(lambda _text: self._enable())
        form = QFormLayout()
        form.addRow(self.fileLabel, file_row)
        form.addRow(self.passLabel, self.passphraseEdit)
        self.progressBar = QProgressBar(self)
        self.progressBar.setRange(0, 0)  # the import reports no steps
        self.progressBar.hide()
        self.messageLabel = QLabel(self)
        self.messageLabel.setWordWrap(True)
        show_in_place(self.messageLabel, "")
        self.buttons = QDialogButtonBox(self)
        self.importButton = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.importButton.setDefault(True)
        self.importButton.clicked.connect(self.start_import)
        self.cancelButton = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancelButton.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hintLabel)
        layout.addLayout(form)
        layout.addWidget(self.progressBar)
        layout.addWidget(self.messageLabel)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._retranslate()
        self._enable()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("从考点包创建场次"))
        self.hintLabel.setText(
            self.tr(
                "选择评价机构发来的考点包，输入另行收到的考点包口令。"
                "导入后本机即可记录该场次，并以考点证书签名。"
            )
        )
        self.fileLabel.setText(self.tr("考点包文件(&F)："))
        self.chooseButton.setText(self.tr("选择(&B)…"))
        self.passLabel.setText(self.tr("考点包口令(&P)："))
        self.importButton.setText(self.tr("导入并打开(&I)"))
        self.cancelButton.setText(self.tr("取消"))

    def _enable(self) -> None:
        ready = not self._busy
        for widget in (self.pathEdit, self.chooseButton, self.passphraseEdit):
            widget.setEnabled(ready)
        self.importButton.setEnabled(
            ready and bool(self.pathEdit.text().strip()) and bool(self.passphraseEdit.text())
        )
        self.cancelButton.setEnabled(ready)

    @Slot()
    def choose_file(self) -> None:
        path = ask_kit_file(self)
        if path:
            self.pathEdit.setText(path)
            self.passphraseEdit.setFocus()

    @Slot()
    def start_import(self) -> None:
        from app.core.kits.kit_import import import_kit

        path, passphrase = self.pathEdit.text().strip(), self.passphraseEdit.text()
        if self._busy or not path or not passphrase:
            return
        workspace = self.workspace
        self._busy = True
        self.progressBar.show()
        show_in_place(self.messageLabel, self.tr("正在核验并导入考点包…"), ok=True)
        self._enable()
        run_in_worker(
            lambda: import_kit(workspace, Path(path), passphrase), self._done, self._failed
        )

    def _done(self, result: object) -> None:
        from app.core.kits.kit_import import KitImport

        assert isinstance(result, KitImport)
        self._busy = False
        self.progressBar.hide()
        self.result_ = result
        self._enable()
        self.created.emit(result.session_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from app.core.errors import UserError

        self._busy = False
        self.progressBar.hide()
        self._enable()
        if isinstance(exc, UserError):
            show_in_place(self.messageLabel, refusal_text(str(exc)))
            if "passphrase" in str(exc):
                self.passphraseEdit.selectAll()
                self.passphraseEdit.setFocus()
            return
        handle_error(exc, self.messageLabel, self)

    def message(self) -> str:
        return self.messageLabel.text()

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
