"""Run slow work (opening the database, importing rosters, hashing PINs) off the GUI thread.

``run_in_worker(fn, on_done, on_error, progress)`` runs ``fn`` on the global ``QThreadPool`` and
delivers its result or exception back on the GUI thread through queued signals, so the window
keeps painting and answering input meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Progress = Callable[[int, str], None]


class WorkerSignals(QObject):
    """Lives on the GUI thread; the worker thread only emits, Qt queues the delivery."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, str)


# Handles of running tasks: their signal objects must outlive the thread that emits on them.
_running: set[Worker] = set()


class Worker(QRunnable):
    def __init__(self, fn: Callable[..., Any], wants_progress: bool) -> None:
        super().__init__()
        self.setAutoDelete(False)  # kept in _running until its result has been delivered
        self.fn = fn
        self.wants_progress = wants_progress
        self.signals = WorkerSignals()
        self.finished = False

    def run(self) -> None:
        try:
            if self.wants_progress:
                result = self.fn(lambda pct, text: self._emit("progress", int(pct), text))
            else:
                result = self.fn()
        except Exception as exc:  # handed to on_error on the GUI thread, never lost
            self._emit("failed", exc)
            return
        self._emit("done", result)

    def _emit(self, name: str, *args: object) -> None:
        """Emit unless the signals object is gone: when the application shuts down while a
        task runs, there is nobody left to tell (and emitting would raise in this thread)."""
        if not shiboken6.isValid(self.signals):
            return
        try:
            getattr(self.signals, name).emit(*args)
        except RuntimeError:  # deleted between the check and the emit
            return


def run_in_worker(
    fn: Callable[..., Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    progress: Callable[[int, str], None] | None = None,
    owner: QObject | None = None,
) -> Worker:
    """Run ``fn`` in a pool thread; call ``on_done(result)`` or ``on_error(exc)`` on this thread.

    With ``progress``, ``fn`` is called with one argument, a ``report(percent, text)`` function
    it may call from the worker; each report reaches ``progress`` on the GUI thread.
    Without ``on_error``, a failure is shown by ``app.ui.errors.handle_error``.

    A result that arrives after its ``owner`` (by default the object ``on_done`` is a method
    of) has been deleted is dropped: a window closed while its worker ran must not be called.
    """
    worker = Worker(fn, progress is not None)
    if owner is None and isinstance(getattr(on_done, "__self__", None), QObject):
        owner = on_done.__self__  # type: ignore[attr-defined]

    def owner_gone() -> bool:
        return owner is not None and not shiboken6.isValid(owner)

    def finish() -> None:
        worker.finished = True
        _running.discard(worker)

    def delivered(result: object) -> None:
        finish()
        if not owner_gone():
            on_done(result)

    def failed(exc: object) -> None:
        finish()
        assert isinstance(exc, BaseException)
        if owner_gone():
            return
        if on_error is not None:
            on_error(exc)
        else:
            from app.ui.errors import handle_error

            handle_error(exc)

    worker.signals.done.connect(delivered)
    worker.signals.failed.connect(failed)
    if progress is not None:
        report = progress
        worker.signals.progress.connect(
            lambda pct, text: None if owner_gone() else report(pct, text)
        )
    _running.add(worker)
    QThreadPool.globalInstance().start(worker)
    return worker


def running_workers() -> int:
    """How many tasks have not delivered their result yet (tests wait for zero)."""
    return len(_running)
