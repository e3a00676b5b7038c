"""The site kit of a session, written at the institution (机构 → 导出考点包): the session plan,
its rosters with the proctors' PIN hashes, the rulebook's id and a site certificate, signed by
the institution and encrypted under a site passphrase the site head is told apart. The same
service as ``proctor-desk kit export``; audited under the signed-in account."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.core.institution.filing import kit_scope
from app.ui.errors import show_in_place
from app.ui.institution.filing_dialog import ask_acknowledge_scope, scope_text

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.records.service import Workspace


def ask_kit_path(parent: QWidget, suggested: str) -> str | None:
    """Where to write the kit (tests replace this function); None when cancelled."""
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("KitExportDialog", "保存考点包"),
        suggested,
        "Proctor Desk (*.pdkit)",
    )
    return path or None


class KitExportDialog(QDialog):
    """The institution passphrase, the site passphrase twice, and where to write the kit."""

    def __init__(
        self,
        workspace: Workspace,
        account: Account,
        session_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace, self.account, self.session_id = workspace, account, session_id
        self.written: Path | None = None
        detail = workspace.session(session_id)
        self.setWindowTitle(self.tr("导出考点包"))
        self.intro = QLabel(
            self.tr(
                "考点包含本场次计划、名单（含监考人员 PIN 的哈希值，不含 PIN）和考点证书，"
                "由评价机构签名，并以考点口令加密。请将考点口令另行告知考场负责人，"
                "不要与考点包一同发送。"
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.session_label = QLabel(f"{detail['site']['name']} · {detail['occupation']}", self)
        # A plan outside the filing (Art. 14(2)) is said before the kit is written; the admin
        # decides whether to go ahead.
        self.scope = kit_scope(workspace, session_id)
        self.scope_label = QLabel(self)
        self.scope_label.setWordWrap(True)
        if self.scope is not None:
            show_in_place(self.scope_label, scope_text(self.scope))
        self.scope_label.setVisible(self.scope is not None)
        self.passphrase_edit = QLineEdit(self)
        self.site_edit = QLineEdit(self)
        self.repeat_edit = QLineEdit(self)
        for edit in (self.passphrase_edit, self.site_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.returnPressed.connect(self.site_edit.setFocus)
        self.site_edit.returnPressed.connect(self.repeat_edit.setFocus)
        self.repeat_edit.returnPressed.connect(self.export)
        form = QFormLayout()
        form.addRow(self.tr("场次："), self.session_label)
        form.addRow(self.tr("机构密钥口令(&K)："), self.passphrase_edit)
        form.addRow(self.tr("考点口令(&S)："), self.site_edit)
        form.addRow(self.tr("再次输入考点口令(&R)："), self.repeat_edit)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.export_button = QPushButton(self.tr("导出(&E)…"), self)
        self.export_button.setAutoDefault(False)  # Enter in the last field exports, once
        self.export_button.clicked.connect(self.export)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        column = QVBoxLayout(self)
        column.addWidget(self.intro)
        column.addWidget(self.scope_label)
        column.addLayout(form)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.resize(640, 320)

    @Slot()
    def export(self) -> None:
        from app.core.accounts.service import record_action
        from app.core.kits.kit_export import MIN_SITE_PASSPHRASE, export_kit
        from app.core.trust.institution import load_identity

        if self.account.role != "admin":
            return
        site = self.site_edit.text()
        if len(site) < MIN_SITE_PASSPHRASE:
            show_in_place(self.message, self.tr("考点口令至少 8 个字符。"), focus=self.site_edit)
            return
        if self.repeat_edit.text() != site:
            self.repeat_edit.clear()
            show_in_place(
                self.message, self.tr("两次输入的考点口令不一致。"), focus=self.repeat_edit
            )
            return
        try:
            identity = load_identity(self.workspace.data_dir, self.passphrase_edit.text())
        except UserError:
            self.passphrase_edit.clear()
            show_in_place(
                self.message,
                self.tr("机构密钥口令不正确，请重新输入。"),
                focus=self.passphrase_edit,
            )
            return
        if self.scope is not None and not ask_acknowledge_scope(self, self.scope):
            show_in_place(self.message, self.tr("未导出考点包：场次超出备案范围，未确认继续。"))
            return
        path = ask_kit_path(self, f"{self.session_id[:8]}.pdkit")
        if path is None:
            return
        try:
            result = export_kit(self.workspace, identity, self.session_id, Path(path), site)
        except UserError as exc:
            show_in_place(self.message, self.tr("未能导出考点包：%1").replace("%1", str(exc)))
            return
        record_action(
            self.workspace,
            self.account,
            "export_kit",
            {
                "file": Path(path).name,
                "sha256": result.receipt.sha256,
                "filing_code": result.filing_code,
                **(
                    {"outside_filed_scope": list(result.scope.reasons_en)}
                    if result.scope is not None
                    else {}
                ),
            },
            session_id=result.session_id,
        )
        self.written = Path(path)
        for edit in (self.passphrase_edit, self.site_edit, self.repeat_edit):
            edit.clear()
        done = (
            self.tr("已导出考点包：%1\nSHA-256：%2\n备案码：%3\n请将考点口令另行告知考场负责人。")
            .replace("%1", str(path))
            .replace("%2", result.receipt.sha256)
            .replace("%3", result.filing_code)
        )
        show_in_place(self.message, done, ok=True)
