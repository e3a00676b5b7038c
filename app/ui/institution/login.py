"""Signing in at the institution, or creating its first account (an admin, authorised by the
institution's passphrase). Wrong passwords count and lock the account as on the command line
(``app.core.accounts``); the messages say what to do, in the interface's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.ui.errors import show_in_place

if TYPE_CHECKING:
    from app.core.records.service import Workspace


class InstitutionLogin(QWidget):
    """The institution's sign-in page; ``signedIn(account)`` once the password is right."""

    signedIn = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.first_account = False
        self.title = QLabel(self)
        self.title.setObjectName("titleLabel")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.title.setFont(font)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.name_edit = QLineEdit(self)
        self.password_edit = QLineEdit(self)
        self.repeat_edit = QLineEdit(self)
        self.passphrase_edit = QLineEdit(self)
        for edit in (self.password_edit, self.repeat_edit, self.passphrase_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.name_edit.returnPressed.connect(self.password_edit.setFocus)
        self.password_edit.returnPressed.connect(self._password_entered)
        self.repeat_edit.returnPressed.connect(self.passphrase_edit.setFocus)
        self.passphrase_edit.returnPressed.connect(self.submit)
        self.submit_button = QPushButton(self)
        self.submit_button.clicked.connect(self.submit)
        self.message = QLabel(self)
        self.message.setObjectName("messageLabel")
        self.message.setWordWrap(True)

        self.form = QFormLayout()
        self.name_label, self.password_label = QLabel(self), QLabel(self)
        self.repeat_label, self.passphrase_label = QLabel(self), QLabel(self)
        self.form.addRow(self.name_label, self.name_edit)
        self.form.addRow(self.password_label, self.password_edit)
        self.form.addRow(self.repeat_label, self.repeat_edit)
        self.form.addRow(self.passphrase_label, self.passphrase_edit)
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.addWidget(self.title)
        column.addWidget(self.intro)
        column.addLayout(self.form)
        column.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignRight)
        column.addWidget(self.message)
        box.setMaximumWidth(560)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.name_label.setText(self.tr("账户(&A)："))
        self.name_label.setBuddy(self.name_edit)
        self.password_label.setText(self.tr("密码(&P)："))
        self.password_label.setBuddy(self.password_edit)
        self.repeat_label.setText(self.tr("再次输入密码(&R)："))
        self.repeat_label.setBuddy(self.repeat_edit)
        self.passphrase_label.setText(self.tr("机构密钥口令(&K)："))
        self.passphrase_label.setBuddy(self.passphrase_edit)
        if self.first_account:
            self.title.setText(self.tr("评价机构：创建第一个管理员账户"))
            self.intro.setText(
                self.tr(
                    "本机保存评价机构的身份，尚无账户。第一个账户为管理员，需输入机构密钥口令确认；"
                    "之后的账户只能由管理员添加。密码至少 10 个字符。"
                )
            )
            self.submit_button.setText(self.tr("创建并登录(&C)"))
        else:
            self.title.setText(self.tr("评价机构登录"))
            self.intro.setText(self.tr("请以本人账户登录。连续 5 次密码错误，账户将锁定 15 分钟。"))
            self.submit_button.setText(self.tr("登录(&L)"))

    def set_workspace(self, workspace: Workspace) -> None:
        """Show the sign-in, or the first account's form where the institution has none."""
        from app.core.accounts.service import has_accounts

        self.workspace = workspace
        self.first_account = not has_accounts(workspace)
        for widget in (self.repeat_edit, self.passphrase_edit):
            widget.setVisible(self.first_account)
        for label in (self.repeat_label, self.passphrase_label):
            label.setVisible(self.first_account)
        self.password_edit.clear()
        self.repeat_edit.clear()
        self.passphrase_edit.clear()
        show_in_place(self.message, "")
        self.retranslate()
        self.name_edit.setFocus()

    @Slot()
    def _password_entered(self) -> None:
        if self.first_account:
            self.repeat_edit.setFocus()
        else:
            self.submit()

    @Slot()
    def submit(self) -> None:
        if self.workspace is None:
            return
        name = self.name_edit.text().strip()
        password = self.password_edit.text()
        if not name or not password:
            focus = self.name_edit if not name else None
            show_in_place(self.message, self.tr("请输入账户和密码。"), focus=focus)
            return
        if self.first_account:
            self._create_first(name, password)
        else:
            self._sign_in(name, password)

    def _sign_in(self, name: str, password: str) -> None:
        from app.core.accounts.service import authenticate

        assert self.workspace is not None
        try:
            account = authenticate(self.workspace, name, password)
        except UserError:
            self.password_edit.clear()
            show_in_place(self.message, self._refusal(name), focus=self.password_edit)
            return
        self.password_edit.clear()
        show_in_place(self.message, "")
        self.signedIn.emit(account)

    def _refusal(self, name: str) -> str:
        """Why a sign-in was refused: the account locked (until when), else a wrong name or
        password (which of the two is not said)."""
        from app.core.accounts.service import list_accounts

        assert self.workspace is not None
        for account in list_accounts(self.workspace):
            if account.name == name and account.locked() and account.locked_until is not None:
                until = account.locked_until.astimezone().strftime("%H:%M")
                return self.tr("账户已锁定（密码错误次数过多），请于 %1 后再试。").replace(
                    "%1", until
                )
        return self.tr("账户或密码不正确，请重新输入。")

    def _create_first(self, name: str, password: str) -> None:
        from app.core.accounts.service import ADMIN, MIN_PASSWORD, add_account
        from app.core.trust.institution import load_identity

        assert self.workspace is not None
        if len(password) < MIN_PASSWORD:
            show_in_place(self.message, self.tr("密码至少 10 个字符。"), focus=self.password_edit)
            return
        if self.repeat_edit.text() != password:
            self.repeat_edit.clear()
            show_in_place(self.message, self.tr("两次输入的密码不一致。"), focus=self.repeat_edit)
            return
        passphrase = self.passphrase_edit.text()
        try:
            load_identity(self.workspace.data_dir, passphrase)
        except UserError:
            self.passphrase_edit.clear()
            show_in_place(
                self.message,
                self.tr("机构密钥口令不正确，请重新输入。"),
                focus=self.passphrase_edit,
            )
            return
        try:
            account = add_account(
                self.workspace, name, ADMIN, password, institution_passphrase=passphrase
            )
        except UserError as exc:
            show_in_place(
                self.message,
                self.tr("无法创建账户：%1").replace("%1", str(exc)),
                focus=self.name_edit,
            )
            return
        for edit in (self.password_edit, self.repeat_edit, self.passphrase_edit):
            edit.clear()
        self.first_account = False
        self.signedIn.emit(account)
