"""Starts the GUI: ``launch_gui(args)`` is what ``proctor-desk`` with no subcommand runs.

Qt and the windows are imported here, inside the function, so the CLI never pays for them.
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

log = logging.getLogger(__name__)

APP_NAME = "Proctor Desk"
ORG_NAME = "Proctor Desk"
LANG_ENV = "PROCTOR_DESK_LANG"  # e.g. "en"; the UI's source language is zh_CN
DEFAULT_LOCALE = "zh_CN"
SCREENSHOT_SIZE = (1366, 768)


def install_translators(app: QApplication, locale_name: str) -> list[str]:
    """Load Qt's own and the app's ``.qm`` files for ``locale_name``; return what was loaded.

    The app's strings are written in Chinese, so zh_CN needs no app file; Qt's own dialogs
    (buttons, the calendar) still want ``qtbase_zh_CN.qm`` from the Qt installation.
    """
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from app.core.resources import resource_path

    QLocale.setDefault(QLocale(locale_name))
    loaded: list[str] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [
        (f"qtbase_{locale_name}", qt_dir),
        (f"proctor_desk_{locale_name}", str(resource_path("translations"))),
    ]
    for name, folder in candidates:
        if not Path(folder, f"{name}.qm").is_file():
            continue
        translator = QTranslator(app)  # parented: lives as long as the app
        if translator.load(name, folder):
            app.installTranslator(translator)
            loaded.append(name)
    return loaded


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


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with names, font and translators set (reused if one exists)."""
    from PySide6.QtWidgets import QApplication

    from app.ui.fonts import register_cjk_font
    from app.version import version

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(version())
    register_cjk_font(app)
    install_translators(app, os.environ.get(LANG_ENV) or DEFAULT_LOCALE)
    return app


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


def launch_gui(args: argparse.Namespace) -> int:
    """Open the main window; with ``args.screenshot`` save a PNG of it and return at once."""
    from app.ui.main_window import MainWindow

    app = create_app()
    if app.platformName() == "offscreen":
        _silence_offscreen_noise()
    window = MainWindow()
    screenshot = getattr(args, "screenshot", None)
    if screenshot:
        if not save_screenshot(window, screenshot):
            sys.stderr.write(f"proctor-desk: error: could not write the screenshot {screenshot}\n")
            return 1
        window.close()
        return 0
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    return int(app.exec())
