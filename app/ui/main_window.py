"""The main window: for now it hosts the rulebook browser, with File and Help menus."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from app.ui.rulebook_browser import RulebookBrowser
from app.version import version


class MainWindow(QMainWindow):
    """Top-level window; ``browser`` is its central pane."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Proctor Desk 考场违纪违规记录"))
        self.browser = RulebookBrowser(self)
        self.setCentralWidget(self.browser)

        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        quit_action = QAction(self.tr("退出(&Q)"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about_action = QAction(self.tr("关于(&A)"), self)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)

    def about_text(self) -> str:
        return self.tr(
            "Proctor Desk 考场违纪违规记录\n版本 %1\n\n"
            "依据《技能人才评价违纪违规行为处理工作指引（试行）》"
            "（人社职司便函〔2021〕57号）记录考场违纪违规行为。"
            "所示处理为依据条款可能适用的处理，以评价机构按程序认定为准。"
        ).replace("%1", version())

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("关于 Proctor Desk"), self.about_text())
