"""The laptop's key passphrase, asked when the app opens its records.

Where the operating system has a key store the keys open by themselves; otherwise the site head
types the key passphrase once per start (``key_vault``). On a new laptop, or one an earlier
version set up with keys in the clear, the site head chooses it here first.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.seal import key_vault


class KeyPassphraseDialog(QDialog):
    """Unlock (one field) or choose (two fields) the key passphrase; the vault is opened or
    made before the dialog accepts, so a wrong passphrase keeps it open with a message."""

    def __init__(self, data_dir: Path, device_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyPassphraseDialog")
        self.vault = key_vault.vault_for(data_dir)
        self.device_id = device_id
        self.choosing = not self.vault.exists()
        self.setWindowTitle(self.tr("本机密钥口令"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "本机的签章密钥以口令加密保存。请考场负责人设置密钥口令（至少 {n} 个字符），"
                "每次启动时输入；口令不是个人 PIN，请另行妥善保管。"
            ).format(n=key_vault.MIN_PASSPHRASE)
            if self.choosing
            else self.tr("请考场负责人输入本机密钥口令以打开签章密钥。")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphraseEdit")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("密钥口令"), self.passphrase)
        self.again = QLineEdit()
        self.again.setObjectName("againEdit")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        if self.choosing:
            form.addRow(self.tr("再次输入"), self.again)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("messageLabel")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("确定"))
        ok.setObjectName("okButton")
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("退出"))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def _submit(self) -> None:
        text = self.passphrase.text()
        try:
            if self.choosing:
                if len(text) < key_vault.MIN_PASSPHRASE:
                    self._fail(self.tr("口令至少 {n} 个字符").format(n=key_vault.MIN_PASSPHRASE))
                    return
                if self.again.text() != text:
                    self._fail(self.tr("两次输入的口令不一致"))
                    return
                self.vault.create(self.device_id, text)
            else:
                self.vault.unlock_with(text)
        except key_vault.WrongPassphrase:
            self._fail(self.tr("口令不正确，请重试"))
            return
        except key_vault.KeyVaultError as exc:
            self._fail(str(exc))
            return
        self.accept()

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.passphrase.clear()
        self.again.clear()
        self.passphrase.setFocus()


def keys_ready(data_dir: Path, device_id: str) -> bool:
    """Whether the keys open without asking: already open, the key store, the environment."""
    vault = key_vault.vault_for(data_dir)
    if not vault.exists():
        return False
    try:
        return vault.open_without_asking()
    except key_vault.KeyVaultError:
        return False


def open_keys(data_dir: Path, device_id: str, parent: QWidget | None = None) -> bool:
    """Open this laptop's keys, asking for the passphrase where needed; ``False``: the person
    chose to quit."""
    if keys_ready(data_dir, device_id):
        return True
    vault = key_vault.vault_for(data_dir)
    passphrase = key_vault.env_source("new")
    if not vault.exists() and passphrase and not key_vault.passphrase_problem(passphrase):
        vault.create(device_id, passphrase)  # scripted set-up (kiosk images, tests)
        return True
    dialog = KeyPassphraseDialog(data_dir, device_id, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
