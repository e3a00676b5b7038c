"""The self-test's step for the window: what ``proctor-desk --self-test`` adds to the core's.

The main window is built and painted offscreen with the CJK font registered, and the English
translation is loaded. Qt is imported inside the step, so a broken Qt installation is this
step's failure, named in its line, rather than a traceback before any step has run.
"""

from __future__ import annotations

import sys

from app.core.selftest import CheckFailed, SelfTestRun, Step

WINDOW_SIZE = (1366, 768)
# A string of the main window whose English the translation must give (its Help menu).
PROBE_CONTEXT, PROBE_TEXT = "MainWindow", "帮助(&H)"


def window_step() -> Step:
    return Step(
        "window",
        "界面 (the main window, painted offscreen, Chinese font, English translation)",
        check_window,
    )


def check_window(run: SelfTestRun) -> str:
    from PySide6.QtCore import QTranslator
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    from app.core.records.app_state import AppSettings
    from app.ui.fonts import register_cjk_font
    from app.ui.i18n import qm_path

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    family = register_cjk_font(app)
    if family is None:
        raise CheckFailed("no Chinese font could be registered with Qt (see the first step)")
    if not QFontMetrics(app.font()).inFont("考"):
        raise CheckFailed(f"the application font ({family}) does not draw Chinese characters")
    translator = QTranslator()
    path = qm_path("en")
    if not translator.load(str(path)):
        raise CheckFailed(f"the English translation {path} could not be loaded")
    english = translator.translate(PROBE_CONTEXT, PROBE_TEXT)
    if not english:
        raise CheckFailed(f"the English translation {path.name} lacks the main window's texts")

    from app.ui.main_window import MainWindow

    window = MainWindow(run.root / "window", AppSettings())
    try:
        window.resize(*WINDOW_SIZE)
        image = window.grab().toImage()
        if image.isNull() or image.width() < WINDOW_SIZE[0] // 2:
            raise CheckFailed("the main window could not be painted")
        menus = [action.text() for action in window.menuBar().actions()]
        if PROBE_TEXT not in menus:
            raise CheckFailed(f"the main window has no Help menu (its menus: {menus})")
    finally:
        window.close()
        window.deleteLater()
    return (
        f"main window built and painted offscreen ({image.width()}×{image.height()}, "
        f"platform {app.platformName()}); font {family} draws Chinese; English translation "
        f"loads ({PROBE_TEXT} → {english})"
    )
