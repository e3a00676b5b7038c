"""Making this computer the institution's (on the first-run page): its name and the key
passphrase twice; the identity (signing and encryption keys, root certificate) is created once
(``proctor-desk institution init``). Its first account is created at the sign-in next."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.ui.errors import show_in_place


class InstitutionSetupDialog(QDialog):
    """Accepted once the identity exists in ``data_dir``."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.setWindowTitle(self.tr("设置为评价机构的计算机"))
        self.intro = QLabel(
            self.tr(
                "将在本机创建评价机构的身份：签名和加密密钥、根证书，以机构密钥口令加密保存。"
                "考点包、同步包的验证和设备认证都依靠它。请牢记口令，并按说明做好密钥恢复备份。"
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(self.tr("如：广东省职业技能鉴定指导中心"))
        self.passphrase_edit = QLineEdit(self)
        self.repeat_edit = QLineEdit(self)
        for edit in (self.passphrase_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("机构名称(&N)："), self.name_edit)
        form.addRow(self.tr("机构密钥口令(&K)："), self.passphrase_edit)
        form.addRow(self.tr("再次输入口令(&R)："), self.repeat_edit)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("创建机构身份(&C)"))
        self.create_button = ok
        buttons.accepted.connect(self.create_identity)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.intro)
        column.addLayout(form)
        column.addWidget(self.message)
        column.addWidget(buttons)
        self.resize(620, 300)

    @Slot()
    def create_identity(self) -> None:
        from app.core.trust.institution import MIN_PASSPHRASE, init_institution

        name = self.name_edit.text().strip()
        passphrase = self.passphrase_edit.text()
        if not name:
            show_in_place(self.message, self.tr("请填写机构名称。"), focus=self.name_edit)
            return
        if len(passphrase) < MIN_PASSPHRASE:
            show_in_place(self.message, self.tr("口令至少 8 个字符。"), focus=self.passphrase_edit)
            return
        if self.repeat_edit.text() != passphrase:
            self.repeat_edit.clear()
            show_in_place(self.message, self.tr("两次输入的口令不一致。"), focus=self.repeat_edit)
            return
        try:
            init_institution(self.data_dir, name, passphrase)
        except UserError as exc:
            show_in_place(self.message, self.tr("未能创建机构身份：%1").replace("%1", str(exc)))
            return
        self.passphrase_edit.clear()
        self.repeat_edit.clear()
        self.accept()
