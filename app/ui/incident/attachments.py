"""Seized items (with receipt numbers), evidence files (thumbnails), video references."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, QTime, Signal
from PySide6.QtGui import QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QFileIconProvider,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.errors import UserError
from app.core.records.content import SeizedItem, VideoRef
from app.core.records.file_store import evidence_local_path, evidence_path

translate = QCoreApplication.translate
THUMB = QSize(96, 72)
VIDEO_ROLE = Qt.ItemDataRole.UserRole


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size // 1024, 1)} KB"


def sizes_apart(size: int, limit: int) -> tuple[str, str]:
    """Both sizes as text that shows they differ: rounded alike, "100.0 MB over 100.0 MB"
    reads as no excess, so then both are given in bytes."""
    shown = size_text(size), size_text(limit)
    if shown[0] == shown[1]:
        return f"{size:,} B", f"{limit:,} B"
    return shown


class SeizedTable(QObject):
    """The seized-items table: description and receipt number per row, returns shown."""

    changed = Signal()

    def __init__(self, table: QTableWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table = table
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        table.setColumnWidth(0, 200)
        table.setColumnWidth(1, 130)
        table.verticalHeader().hide()
        table.itemChanged.connect(self._on_item_changed)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() < 2:
            self.changed.emit()

    def add_row(self, description: str = "", receipt: str = "") -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(description))
        self.table.setItem(row, 1, QTableWidgetItem(receipt))
        returned = QTableWidgetItem("")
        returned.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.table.setItem(row, 2, returned)
        self.table.blockSignals(False)
        self.table.setCurrentCell(row, 0 if not description else 1)
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def items(self) -> tuple[SeizedItem, ...]:
        result = []
        for row in range(self.table.rowCount()):
            desc = self._text(row, 0)
            receipt = self._text(row, 1)
            if desc or receipt:
                result.append(SeizedItem(desc, receipt))
        return tuple(result)

    def current_receipt(self) -> str | None:
        row = self.table.currentRow()
        return self._text(row, 1) or None if row >= 0 else None

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def set_items(self, items: Sequence[SeizedItem], returns: Sequence[Mapping[str, Any]]) -> None:
        returned = {r["receipt_number"]: r for r in returns}
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for item in items:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, QTableWidgetItem(item.description))
            self.table.setItem(row, 1, QTableWidgetItem(item.receipt_number))
            done = returned.get(item.receipt_number)
            text = (
                translate("SeizedTable", "已归还 %1").replace("%1", done["returned_to"])
                if done
                else ""
            )
            cell = QTableWidgetItem(text)
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(row, 2, cell)
        self.table.blockSignals(False)


class EvidenceList:
    """Evidence files as thumbnails (images) or file icons, with name and size."""

    def __init__(self, view: QListWidget, data_dir: Path, engine: Engine | None = None) -> None:
        self.view = view
        self.data_dir = data_dir
        self.engine = engine  # a shared database keeps the files: read through it
        self._icons = QFileIconProvider()

    def set_entries(self, entries: Sequence[Mapping[str, Any]]) -> None:
        self.view.clear()
        for entry in entries:
            text = f"{entry['name']}\n{size_text(entry['size'])}"
            item = QListWidgetItem(self._icon(entry), text)
            item.setToolTip(f"{entry['name']} · {entry['media_type']} · sha256 {entry['sha256']}")
            item.setData(Qt.ItemDataRole.UserRole, entry["sha256"])
            self.view.addItem(item)

    def local_path(self, sha256: str) -> Path | None:
        """A path to the evidence file's bytes (a checked copy when a shared database keeps
        them), or None when it is missing or changed."""
        if self.engine is None:
            path = evidence_path(self.data_dir, sha256)
            return path if path.is_file() else None
        try:
            with Session(self.engine) as db:
                return evidence_local_path(db, self.data_dir, sha256)
        except UserError:
            return None

    def _icon(self, entry: Mapping[str, Any]) -> QIcon:
        path = None
        if str(entry.get("media_type", "")).startswith("image/"):
            path = self.local_path(str(entry["sha256"]))
        if path is not None:
            reader = QImageReader(str(path))
            reader.setAutoTransform(True)
            size = reader.size()
            if size.isValid():
                reader.setScaledSize(size.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio))
            image = reader.read()
            if not image.isNull():
                return QIcon(QPixmap.fromImage(image))
        return self._icons.icon(QFileIconProvider.IconType.File)


class VideoList(QObject):
    """Video references: camera and from–to times on the incident's day."""

    changed = Signal()

    def __init__(
        self,
        camera: QLineEdit,
        start: QTimeEdit,
        end: QTimeEdit,
        view: QListWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.camera, self.start, self.end, self.view = camera, start, end, view
        self.videos: list[VideoRef] = []
        self.message = ""
        self.zone: dt.tzinfo = dt.UTC  # the session's zone, set by the window

    def add(self, day: dt.date) -> bool:
        """Add the reference typed in; False (with ``message``) when it is incomplete."""
        camera = self.camera.text().strip()
        if not camera:
            self.message = translate("VideoList", "请填写摄像头编号。")
            return False
        a, b = self.start.time(), self.end.time()
        if b <= a:
            self.message = translate("VideoList", "录像的结束时间须晚于开始时间。")
            return False
        self.videos.append(VideoRef(camera, _at(day, a, self.zone), _at(day, b, self.zone)))
        self.message = ""
        self.camera.clear()
        self._show()
        self.changed.emit()
        return True

    def remove_current(self) -> None:
        row = self.view.currentRow()
        if 0 <= row < len(self.videos):
            del self.videos[row]
            self._show()
            self.changed.emit()

    def set_videos(self, videos: Sequence[VideoRef]) -> None:
        self.videos = list(videos)
        self._show()

    def _show(self) -> None:
        self.view.clear()
        for video in self.videos:
            start, end = video.start.astimezone(self.zone), video.end.astimezone(self.zone)
            self.view.addItem(
                translate("VideoList", "摄像头 %1：%2–%3")
                .replace("%1", video.camera)
                .replace("%2", start.strftime("%H:%M:%S"))
                .replace("%3", end.strftime("%H:%M:%S"))
            )


def _at(day: dt.date, time: QTime, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime(
        day.year, day.month, day.day, time.hour(), time.minute(), time.second(), tzinfo=zone
    )
