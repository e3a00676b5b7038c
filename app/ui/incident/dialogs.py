"""Small questions the incident window asks, behind functions tests can replace."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

translate = QCoreApplication.translate


def ask_evidence_files(parent: QWidget | None) -> list[str]:
    """Files to attach as evidence (empty when cancelled)."""
    files, _ = QFileDialog.getOpenFileNames(
        parent,
        translate("IncidentDialogs", "选择证据文件"),
        "",
        translate(
            "IncidentDialogs",
            "图片、录像与文档 (*.jpg *.jpeg *.png *.mp4 *.mov *.pdf);;所有文件 (*)",
        ),
    )
    return list(files)


def ask_returned_to(parent: QWidget | None, default: str) -> str | None:
    """Who the seized item was handed back to (None when cancelled)."""
    text, ok = QInputDialog.getText(
        parent,
        translate("IncidentDialogs", "归还暂扣物品"),
        translate("IncidentDialogs", "领回人姓名："),
        text=default,
    )
    return text if ok else None
