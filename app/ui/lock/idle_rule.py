"""How long the app waits before it locks itself: the setting, longer while a subject of the
open session is being sat (``app_state.idle_minutes_at``), checked each minute."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.records.app_state import AppSettings, idle_minutes_at
from app.ui.lock.idle import IdleWatcher


class IdleLock(QObject):
    """The idle watcher and the rule that sets its length; ``idle`` when it is time to lock."""

    idle = Signal()

    def __init__(self, settings: AppSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.subjects: list[dict[str, Any]] = []  # the open session's
        self.watcher = IdleWatcher(settings.idle_lock_minutes, self)
        self.watcher.idle.connect(self.idle)
        # A subject starting or ending changes the length: checked each minute, the countdown
        # left alone unless the length changes.
        self._rule_timer = QTimer(self)
        self._rule_timer.setInterval(60_000)
        self._rule_timer.timeout.connect(self.apply_rule)

    def apply_rule(self) -> None:
        minutes = idle_minutes_at(self.settings, self.subjects, dt.datetime.now(dt.UTC))
        if self.watcher.interval_ms() != minutes * 60_000:
            self.watcher.set_minutes(minutes)

    def start(self) -> None:
        """Someone unlocked: count from now, with the length the rule gives."""
        self.apply_rule()
        self.watcher.start()
        self._rule_timer.start()

    def start_plain(self) -> None:
        """The institution reviewing: the setting's length, no subject rule."""
        self.watcher.set_minutes(self.settings.idle_lock_minutes)
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()
        self._rule_timer.stop()

    def detach(self) -> None:
        self.watcher.detach()
