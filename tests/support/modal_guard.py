"""A pytest plugin: a modal dialog that a test did not expect fails that test at once.

A modal dialog (a message box, a file dialog, the app's "unexpected error" box) runs its own
event loop and waits for a person; offscreen nobody comes, and the run would wait for ever. While
a Qt test runs, a timer looks for an application-modal widget every few milliseconds. One the test
announced with the ``expect_modal`` fixture is handed to the test's answer; any other that holds
its caller in its own event loop is closed (rejected, as Escape would) and the test fails with the
dialog's title and text.

A test may show a modal dialog without blocking (``show()``) and drive it; the timer then fires
while the test waits in pytest-qt or ``processEvents``, and the dialog is left alone. Which case it
is shows in the Python frame below the timer: a dialog's own loop runs under the code that
called ``exec()`` or ``QMessageBox.warning``, never under a waiting helper.
"""

from __future__ import annotations

import linecache
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

POLL_MS = 20
# A line that waits for events on purpose (the test is not blocked by a dialog's loop).
WAITING = re.compile(r"processEvents|qWait|\.wait\w*\(")

Answer = Callable[[object], None]


@dataclass
class ModalGuard:
    """What the running test expects, and what it met."""

    answers: list[Answer] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    answered: int = 0

    def expect(self, answer: Answer) -> None:
        """The next modal dialog is handed to ``answer``, which must close it."""
        self.answers.append(answer)


def describe(widget: object) -> str:
    """The dialog's class, title and text, as a person would read them."""
    from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

    assert isinstance(widget, QWidget)
    parts = [type(widget).__name__, repr(widget.windowTitle())]
    if isinstance(widget, QMessageBox):
        parts.append(repr(widget.text()))
        if widget.informativeText():
            parts.append(repr(widget.informativeText()))
    else:
        texts = [label.text() for label in widget.findChildren(QLabel) if label.text()]
        parts.extend(repr(text) for text in texts[:5])
    return " ".join(parts)


def _close(widget: object) -> None:
    from PySide6.QtWidgets import QDialog, QWidget

    if isinstance(widget, QDialog):
        widget.reject()
    elif isinstance(widget, QWidget):
        widget.close()


def _blocking() -> bool:
    """Whether the event loop running this timer belongs to a dialog some code is waiting on."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    if frame is None:
        return True
    if str(frame.f_globals.get("__name__", "")).startswith("pytestqt"):
        return False
    return not WAITING.search(linecache.getline(frame.f_code.co_filename, frame.f_lineno))


def _check(guard: ModalGuard) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    widget = QApplication.activeModalWidget()
    # Application-modal is what exec() and the static QMessageBox/QFileDialog/QInputDialog
    # functions make; a window-modal dialog from open() does not block, and the test drives it.
    if (
        widget is None
        or not widget.isVisible()
        or widget.windowModality() != Qt.WindowModality.ApplicationModal
    ):
        return
    if guard.answers:
        answer = guard.answers.pop(0)
        guard.answered += 1
        answer(widget)
        return
    if not _blocking():
        return
    guard.unexpected.append(describe(widget))
    _close(widget)


@pytest.fixture
def expect_modal(_modal_guard: ModalGuard | None) -> Callable[[Answer], None]:
    """Announce a modal dialog the test means to open: ``expect_modal(lambda box: ...)``."""
    if _modal_guard is None:
        pytest.fail("expect_modal needs a Qt test (qtbot or qapp)")
    return _modal_guard.expect


GUARD = pytest.StashKey[ModalGuard]()


@pytest.fixture(autouse=True)
def _modal_guard(request: pytest.FixtureRequest) -> Iterator[ModalGuard | None]:
    if not {"qapp", "qtbot"} & set(request.fixturenames):
        yield None  # no Qt application in this test: nothing can open a dialog
        return
    request.getfixturevalue("qapp")
    from PySide6.QtCore import QTimer

    guard = ModalGuard()
    request.node.stash[GUARD] = guard
    timer = QTimer()
    timer.setInterval(POLL_MS)
    timer.timeout.connect(lambda: _check(guard))
    timer.start()
    try:
        yield guard
    finally:
        timer.stop()
        timer.deleteLater()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """The test's own outcome, unless it met a dialog it did not expect (or missed one)."""
    try:
        return (yield)
    finally:
        guard = item.stash.get(GUARD, None)
        if guard is not None and guard.unexpected:
            pytest.fail(
                "a modal dialog opened that the test did not expect (closed by the guard): "
                + "; ".join(guard.unexpected),
                pytrace=False,
            )
        if guard is not None and guard.answers:
            missing = len(guard.answers)
            pytest.fail(f"{missing} expected modal dialog(s) never opened", pytrace=False)
