"""Pictures of what a test's widgets show, for a person to look at: set ``REVIEW_SHOTS`` to a
folder and the tests that call :func:`snapshot` save PNGs there (nothing is saved otherwise)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget


def snapshot(widget: QWidget, name: str) -> None:
    """Save what the widget shows when REVIEW_SHOTS names a folder (for a person to look at)."""
    folder = os.environ.get("REVIEW_SHOTS")
    if folder:
        QApplication.processEvents()  # pending layout requests first
        widget.grab().save(str(Path(folder) / f"{name}.png"))
