"""Locks the app after a stretch without input: an application-wide event filter and a timer.

The filter is installed only while the countdown runs (someone has unlocked): every event of
the app passes through it, and at start-up, behind the lock screen, it would only cost time
(each kind of event first seen in Python has its wrapper type built then).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

# Events that mean a person is at the laptop (mouse, keyboard, touch screen or pen).
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
    }
)


class IdleWatcher(QObject):
    """Emits ``idle`` once no input has arrived for the set time while it is running."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # Precise: a coarse timer may be re-aligned by up to 5 %, i.e. seconds early or late.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.idle)
        self._filtering = False
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self.set_interval_ms(max(1, minutes) * 60_000)

    def set_interval_ms(self, ms: int) -> None:
        self._timer.setInterval(ms)
        if self._timer.isActive():
            self._timer.start()

    def interval_ms(self) -> int:
        return self._timer.interval()

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._filtering:
            app.installEventFilter(self)
            self._filtering = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._remove_filter()

    def _remove_filter(self) -> None:
        app = QApplication.instance()
        if app is not None and self._filtering:
            app.removeEventFilter(self)
        self._filtering = False

    def is_running(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self._timer.isActive():
            self._timer.start()  # restart the countdown
        return False

    def detach(self) -> None:
        self._timer.stop()
        self._remove_filter()
