"""The incident windows the main window opened: one per record, plus new records not saved
yet. Locking hides them all, unlocking shows them again, leaving a session closes them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def bring_forward(window: QWidget) -> None:
    """Show ``window`` in front of the others (one already open comes to the front)."""
    window.show()
    if QGuiApplication.platformName() != "offscreen":  # offscreen warns that it cannot raise
        window.raise_()
    window.activateWindow()


class IncidentWindows(QObject):
    """Open incident windows by record id; ``changed`` when one is saved, opened or closed."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.by_record: dict[str, QWidget] = {}
        self._new: list[QWidget] = []

    def get(self, incident_id: str | None) -> QWidget | None:
        return None if incident_id is None else self.by_record.get(incident_id)

    def add(self, window: QWidget, incident_id: str | None) -> None:
        """Keep ``window`` (a record's, or a new record's when ``incident_id`` is None)."""
        if incident_id is None:
            self._new.append(window)
        else:
            self.by_record[incident_id] = window

    def saved(self, window: QObject | None, incident_id: str) -> None:
        """A window saved ``incident_id``: a new record's window is that record's from now."""
        for new in list(self._new):
            if new is window or getattr(new, "incident_id", None) == incident_id:
                self._new.remove(new)
                self.by_record[incident_id] = new
        self.changed.emit()

    def forget(self, window: QWidget) -> None:
        if window in self._new:
            self._new.remove(window)
        for key, value in list(self.by_record.items()):
            if value is window:
                del self.by_record[key]
        self.changed.emit()

    def all(self) -> list[QWidget]:
        return [*self.by_record.values(), *self._new]

    def hide_all(self) -> None:
        for window in self.all():
            window.hide()

    def show_all(self) -> None:
        for window in self.all():
            window.show()

    def close_all(self) -> None:
        for window in self.all():
            window.close()
        self.by_record.clear()
        self._new.clear()
