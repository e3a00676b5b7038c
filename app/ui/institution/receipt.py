"""The institution's signed import receipt for a bundle, from its session view: the site keeps
it as proof that the institution holds every record of the session up to that bundle, and may
then remove the session's personal data (``bundle purge``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from app.ui.errors import show_in_place

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.records.service import Workspace


_CTX = "ImportReceipt"  # the translation context (tools/translations.py reads it)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def ask_receipt_path(parent: QWidget, suggested: str) -> Path | None:
    """Where to write the receipt (tests replace this function); None when cancelled."""
    name, _ = QFileDialog.getSaveFileName(
        parent, _tr("保存导入回执"), suggested, _tr("导入回执 (*.pdreceipt)")
    )
    return Path(name) if name else None


def issue_receipt_here(
    parent: QWidget,
    workspace: Workspace,
    account: Account,
    bundle_id: str,
    say: QLabel,
) -> Path | None:
    """Sign the receipt with the institution's keys (its passphrase asked), write it to a new
    file and audit it under ``account``; every outcome said in ``say``."""
    from app.core.accounts.service import record_action
    from app.core.durable import create_durably
    from app.core.errors import UserError
    from app.core.sync.receipts import issue_receipt
    from app.core.trust.institution import load_identity
    from app.ui.sync.import_dialog import ask_institution_passphrase, institution_error_text

    passphrase = ask_institution_passphrase(parent, _tr("签发导入回执"))
    if passphrase is None:
        return None
    try:
        identity = load_identity(workspace.data_dir, passphrase)
    except UserError as exc:
        show_in_place(say, institution_error_text(exc))
        return None
    try:
        data = issue_receipt(workspace, identity, bundle_id)
    except UserError as exc:
        show_in_place(say, _tr("没有签发回执：%1").replace("%1", str(exc)))
        return None
    path = ask_receipt_path(parent, f"receipt-{bundle_id[:8]}.pdreceipt")
    if path is None:
        return None
    try:
        create_durably(path, data, mode=0o644)
    except FileExistsError:
        show_in_place(say, _tr("%1 已存在：请换一个文件名。").replace("%1", path.name))
        return None
    except OSError as exc:
        show_in_place(
            say, _tr("无法写入 %1：%2").replace("%1", str(path)).replace("%2", exc.strerror or "")
        )
        return None
    record_action(workspace, account, "issue_receipt", {"bundle_id": bundle_id, "file": path.name})
    show_in_place(say, _tr("已签发导入回执：%1").replace("%1", str(path)), ok=True)
    return path
