"""Worker results are dropped when the object that asked for them is gone."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from app.ui.workers import run_in_worker, running_workers


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []

    def take(self, result: object) -> None:
        self.results.append(result)


def test_result_reaches_a_living_owner(qtbot: QtBot) -> None:
    receiver = Receiver()
    run_in_worker(lambda: 42, receiver.take)
    qtbot.waitUntil(lambda: receiver.results == [42])


def test_result_for_a_deleted_owner_is_dropped(qtbot: QtBot) -> None:
    gate = threading.Event()
    owner = QObject()
    calls: list[object] = []

    def slow() -> int:
        gate.wait(5)
        return 7

    run_in_worker(slow, calls.append, owner=owner)
    shiboken6.delete(owner)  # the window closed while its worker ran
    gate.set()
    qtbot.waitUntil(lambda: running_workers() == 0)
    assert calls == []


def test_bound_method_owner_is_found_without_being_named(qtbot: QtBot) -> None:
    gate = threading.Event()
    receiver = Receiver()

    def slow() -> int:
        gate.wait(5)
        return 1

    run_in_worker(slow, receiver.take)
    shiboken6.delete(receiver)  # the Python side lives on; the Qt object is gone
    gate.set()
    qtbot.waitUntil(lambda: running_workers() == 0)
    assert receiver.results == []


def test_a_task_outliving_its_signals_finishes_quietly(qtbot: QtBot) -> None:
    """At shutdown the signals object may be deleted while the task runs: the task ends
    without raising in its thread (which printed a traceback on stderr)."""
    from app.ui.workers import Worker

    worker = Worker(lambda report: report(50, "half") or 7, wants_progress=True)
    shiboken6.delete(worker.signals)
    worker.run()  # neither the progress nor the result has anywhere to go
    failing = Worker(lambda: 1 / 0, wants_progress=False)
    shiboken6.delete(failing.signals)
    failing.run()
