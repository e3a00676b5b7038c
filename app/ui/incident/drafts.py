"""Drafts: which incidents to reopen after a crash, and the debounced autosave behind the window.

Every change is saved through ``Workspace.update_draft`` a moment after the last keystroke;
``flush()`` saves at once (on close, focus leaving the window, or before signing), so the UI
never shows "saved" for a change that has not reached the disk.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.records.incidents import IncidentFilters
from app.core.records.service import Workspace
from app.core.records.status import EDITABLE

# Short enough that a kill right after typing loses at most this much; long enough that a
# burst of keystrokes is one write, not one per character.
DEBOUNCE_MS = 250


def unfinished_drafts(workspace: Workspace, session_id: str) -> list[str]:
    """Ids of the session's records still being written or signed (oldest first)."""
    found = []
    for status in EDITABLE:
        filters = IncidentFilters(session_id=session_id, status=status)
        offset = 0
        while page := workspace.list_incidents(filters, offset=offset, limit=500):
            found.extend(page)
            offset += len(page)
    found.sort(key=lambda s: (s.occurred_at, s.number))
    return [s.id for s in found]


class Autosaver(QObject):
    """Calls ``save`` a moment after the last ``touch()``; ``flush()`` saves now if pending.

    ``save`` returns True when the change reached the disk; on False (a user error shown in
    place) the change stays pending and is tried again on the next touch or flush.
    """

    pendingChanged = Signal(bool)

    def __init__(self, save: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._pending = False
        self._saving = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)

    @property
    def pending(self) -> bool:
        return self._pending

    def touch(self) -> None:
        if not self._pending:
            self._pending = True
            self.pendingChanged.emit(True)
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        if self._pending:
            self._pending = False
            self.pendingChanged.emit(False)

    def flush(self) -> bool:
        """Save now if a change is pending; True when nothing is left unsaved."""
        self._timer.stop()
        if not self._pending or self._saving:
            return not self._pending
        self._saving = True
        try:
            ok = self._save()
        finally:
            self._saving = False
        if ok:
            self._pending = False
            self.pendingChanged.emit(False)
        return ok
