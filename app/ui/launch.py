"""Starts the GUI: ``launch_gui(args)`` is what ``proctor-desk`` with no subcommand runs.

Qt and the windows are imported here, inside the function, so the CLI never pays for them.
The window shows before the records open (they open in a worker), so start-up stays close to
a bare Qt window; ``benchmarks/startup.py`` measures it.

``--demo``: where no session is current yet, open the demo session (seeding it when this
data folder has none). ``--screenshot PNG``: with ``--demo``, the demo session's dashboard
(the demo's synthetic people only — the lock is passed for them and nobody else); without it,
the first window as a user sees it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from app.core.records.service import Workspace
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

APP_NAME = "Proctor Desk"
ORG_NAME = "Proctor Desk"
LANG_ENV = "PROCTOR_DESK_LANG"  # e.g. "en"; overrides the language saved in the settings
DEFAULT_LOCALE = "zh_CN"
SCREENSHOT_SIZE = (1366, 768)
# Set by benchmarks/startup.py: print "shown" once the first window has painted, then quit.
STARTUP_PROBE_ENV = "PROCTOR_DESK_STARTUP_PROBE"


def install_translators(app: QApplication, locale_name: str) -> list[str]:
    """Install the translators for ``locale_name``; the names loaded (none on failure).

    Kept for callers of the earlier launcher; ``app.ui.i18n`` does the work.
    """
    from app.core.errors import UserError
    from app.ui.i18n import install_translators as install

    try:
        return [t.objectName().split(":", 1)[-1] for t in install(app, locale_name)]
    except UserError:
        return []


# Qt's offscreen platform (screenshots, CI) warns each time a shown window's size constraints
# change; it has no window manager to tell, so the message is noise there and only there.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


def _silence_offscreen_noise() -> None:
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if message == OFFSCREEN_NOISE:
            return
        if kind != QtMsgType.QtDebugMsg:
            sys.stderr.write(f"{message}\n")

    qInstallMessageHandler(handler)


def create_app(
    argv: list[str] | None = None, language: str | None = None, *, with_version: bool = True
) -> QApplication:
    """The QApplication with names, font and translators set (reused if one exists).

    ``with_version=False`` leaves the version for ``set_app_version`` after the first paint:
    reading it goes through ``importlib.metadata``, which alone costs a sixth of a bare start.
    """
    from PySide6.QtWidgets import QApplication

    from app.core.errors import UserError
    from app.ui.fonts import register_cjk_font
    from app.ui.i18n import switch_language

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    if with_version:
        set_app_version(app)
    register_cjk_font(app)
    wanted = os.environ.get(LANG_ENV) or language or DEFAULT_LOCALE
    try:
        switch_language(app, wanted)
    except UserError as exc:
        log.warning("interface language %s not available (%s); using Chinese", wanted, exc)
        switch_language(app, DEFAULT_LOCALE)
    return app


def set_app_version(app: QApplication) -> None:
    from app.version import version

    app.setApplicationVersion(version())


def save_screenshot(window: QWidget, path: str) -> bool:
    """Show ``window`` at 1366×768, wait until it is exposed and painted, save it as PNG."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window.resize(*SCREENSHOT_SIZE)
    window.show()
    if not QTest.qWaitForWindowExposed(window, 5000):
        log.warning("the window was not exposed within 5 s; saving what there is")
    # Let queued layout and paint events run so the grab shows the finished window.
    for _ in range(5):
        QApplication.processEvents()
        QTest.qWait(20)
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.error("cannot create the folder for %s: %s", path, exc.strerror or exc)
        return False
    return window.grab().save(path, "PNG")


def open_demo_dashboard(window: MainWindow, workspace: Workspace) -> None:
    """Show the demo session's dashboard as its site head (screenshots and tools only).

    The demo holds synthetic people only; no real session is ever opened this way.
    """
    from app.core.demo.seed import DEMO_FILING_CODE
    from app.ui.start.screen import ensure_demo_session

    if not window.settings.set_up:
        window._save_settings(window.settings.with_changes(device_name="Demo"))
    window.set_workspace(workspace)
    session_id = ensure_demo_session(workspace)
    detail = workspace.session(session_id)
    if detail["institution"]["filing_code"] != DEMO_FILING_CODE:
        raise RuntimeError("not the demo session")
    window.start_screen.refresh()
    window.open_session(session_id)
    head = next(s for s in workspace.staff(session_id) if s.role == "site_head")
    window.operator = head
    window.show_dashboard()


def _probe_first_paint(window: QWidget) -> None:
    """For the start-up benchmark: report the first paint of ``window`` and quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class Probe(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                sys.stdout.write("shown\n")
                sys.stdout.flush()
                QTimer.singleShot(0, QApplication.quit)
            return False

    probe = Probe(window)
    window.installEventFilter(probe)


def launch_gui(args: argparse.Namespace) -> int:
    """Open the main window; with ``args.screenshot`` save a PNG of it and return at once."""
    from app.core.paths import PRIVATE_UMASK
    from app.core.paths import data_dir as resolve_data_dir
    from app.core.records.app_state import load_settings

    os.umask(PRIVATE_UMASK)  # the records are the user's alone on a shared laptop
    data_dir = resolve_data_dir(
        getattr(args, "data_dir", None), demo=bool(getattr(args, "demo", False))
    )
    settings = load_settings(data_dir)
    app = create_app(language=settings.language, with_version=False)
    if app.platformName() == "offscreen":
        _silence_offscreen_noise()
    from app.ui.main_window import MainWindow

    window = MainWindow(data_dir, settings)
    screenshot = getattr(args, "screenshot", None)
    if screenshot:
        _finish_start(app, data_dir)
    else:  # what the first paint does not need waits until after it (benchmarks/startup.py)
        window.when_painted(lambda: _finish_start(app, data_dir))
    demo = bool(getattr(args, "demo", False))
    if screenshot:
        from app.core.records.service import Workspace

        workspace = Workspace.open(data_dir, defer_device=True)
        if demo:
            open_demo_dashboard(window, workspace)
        else:
            window.set_workspace(workspace)
        if not save_screenshot(window, screenshot):
            sys.stderr.write(f"proctor-desk: error: could not write the screenshot {screenshot}\n")
            return 1
        window.close()
        workspace.close()
        return 0
    probing = bool(os.environ.get(STARTUP_PROBE_ENV))
    if probing:
        _probe_first_paint(window)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    if demo and not settings.current_session:
        window.workspaceReady.connect(lambda: _open_demo(window))
    if not probing:  # the probe quits at the first paint, before the records would open
        window.open_workspace_when_painted()
    return int(app.exec())


def _finish_start(app: QApplication, data_dir: Path) -> None:
    """Log file, exception hook and version: set once, after the first paint."""
    from app.ui.errors import install_excepthook, setup_logging

    setup_logging(data_dir)
    install_excepthook()
    set_app_version(app)


def _open_demo(window: MainWindow) -> None:
    """Once the records are open: the demo session (seeded in a worker if missing).

    On a first run the device set-up comes first; the demo opens when it is done.
    """
    if not window.settings.set_up:
        window.lock_screen.setupSubmitted.connect(lambda *_: _open_demo_once_set_up(window))
        return
    if window.session_id is None:
        window.start_screen.open_demo()


def _open_demo_once_set_up(window: MainWindow) -> None:
    if window.settings.set_up and window.session_id is None and not window.start_screen.is_busy():
        window.start_screen.open_demo()
