"""The main window's menus and their actions: built once, translated on a language change,
enabled by what the window shows (``MenuState``). What each action does is the window's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow


@dataclass(frozen=True)
class MenuState:
    """What the window shows, as far as the menus care."""

    unlocked: bool  # a staff member (or the institution, reviewing) opened the session
    has_dashboard: bool
    reviewing: bool  # the institution's admin, read-only
    has_workspace: bool
    may_configure: bool
    may_import: bool


@dataclass(frozen=True)
class MenuHandlers:
    """The window's slots the actions trigger."""

    new_incident: Callable[[], object]
    transcribe: Callable[[], object]
    staff_pins: Callable[[], object]
    lock: Callable[[], object]
    switch_session: Callable[[], object]
    settings: Callable[[], object]
    quit: Callable[[], object]
    session_summary: Callable[[], object]
    blank_form: Callable[[], object]
    export_bundle: Callable[[], object]
    import_bundles: Callable[[], object]
    self_test: Callable[[], object]
    about: Callable[[], object]


class MainMenus(QObject):
    """File, Report, Sync and Help on ``window``'s menu bar."""

    def __init__(self, window: QMainWindow, on: MenuHandlers) -> None:
        super().__init__(window)
        bar = window.menuBar()

        def action(slot: Callable[[], object], shortcut: QKeySequence | None = None) -> QAction:
            made = QAction(window)
            if shortcut is not None:
                made.setShortcut(shortcut)
            made.triggered.connect(lambda _checked=False: slot())  # never slot(checked)
            return made

        self.file_menu = bar.addMenu("")
        self.new_action = action(on.new_incident, QKeySequence(QKeySequence.StandardKey.New))
        # Ctrl+N and Ctrl+L from anywhere in the app, the incident windows included.
        self.new_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.transcribe_action = action(on.transcribe)
        self.staff_pin_action = action(on.staff_pins)
        self.lock_action = action(on.lock, QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.switch_action = action(on.switch_session)
        self.settings_action = action(on.settings)
        self.quit_action = action(on.quit, QKeySequence(QKeySequence.StandardKey.Quit))
        for item in (
            self.new_action,
            self.transcribe_action,
            self.staff_pin_action,
            self.lock_action,
            self.switch_action,
            self.settings_action,
        ):
            self.file_menu.addAction(item)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.report_menu = bar.addMenu("")
        self.summary_action = action(on.session_summary)
        self.blank_form_action = action(on.blank_form)
        self.report_menu.addAction(self.summary_action)
        self.report_menu.addAction(self.blank_form_action)

        self.sync_menu = bar.addMenu("")
        self.export_bundle_action = action(on.export_bundle)
        self.import_bundles_action = action(on.import_bundles)
        self.sync_menu.addAction(self.export_bundle_action)
        self.sync_menu.addAction(self.import_bundles_action)

        self.help_menu = bar.addMenu("")
        self.self_test_action = action(on.self_test)
        self.about_action = action(on.about)
        self.help_menu.addAction(self.self_test_action)
        self.help_menu.addAction(self.about_action)

    def retranslate(self) -> None:
        # The context stays the main window's, so its existing translations apply unchanged.
        self.file_menu.setTitle(QCoreApplication.translate("MainWindow", "文件(&F)"))
        self.new_action.setText(QCoreApplication.translate("MainWindow", "新建记录(&N)"))
        self.transcribe_action.setText(
            QCoreApplication.translate("MainWindow", "誊录纸质记录(&P)…")
        )
        self.staff_pin_action.setText(QCoreApplication.translate("MainWindow", "工作人员 PIN(&I)…"))
        self.lock_action.setText(QCoreApplication.translate("MainWindow", "锁定(&L)"))
        self.switch_action.setText(QCoreApplication.translate("MainWindow", "切换场次(&W)"))
        self.settings_action.setText(QCoreApplication.translate("MainWindow", "设置(&S)…"))
        self.quit_action.setText(QCoreApplication.translate("MainWindow", "退出(&Q)"))
        self.report_menu.setTitle(QCoreApplication.translate("MainWindow", "报告(&R)"))
        self.summary_action.setText(QCoreApplication.translate("MainWindow", "场次汇总(&S)…"))
        self.blank_form_action.setText(QCoreApplication.translate("MainWindow", "纸质备用表(&B)…"))
        self.sync_menu.setTitle(QCoreApplication.translate("MainWindow", "同步(&Y)"))
        self.export_bundle_action.setText(
            QCoreApplication.translate("MainWindow", "导出同步包(&E)…")
        )
        self.import_bundles_action.setText(
            QCoreApplication.translate("MainWindow", "导入同步包(&I)…")
        )
        self.help_menu.setTitle(QCoreApplication.translate("MainWindow", "帮助(&H)"))
        self.self_test_action.setText(QCoreApplication.translate("MainWindow", "自检(&T)…"))
        self.about_action.setText(QCoreApplication.translate("MainWindow", "关于(&A)"))

    def update(self, state: MenuState) -> None:
        """Enable what ``state`` allows."""
        self.new_action.setEnabled(state.unlocked and state.has_dashboard and not state.reviewing)
        self.lock_action.setEnabled(state.unlocked)
        self.switch_action.setEnabled(state.has_workspace)
        self.settings_action.setEnabled(state.has_workspace and state.may_configure)
        # A session's reports and bundle only for a staff member who has unlocked it.
        in_session = state.unlocked and state.has_workspace
        self.summary_action.setEnabled(in_session)
        self.blank_form_action.setEnabled(in_session)
        # The paper record of a failed laptop is entered by the site head (their PIN), whoever
        # unlocked; never while reviewing as the institution.
        self.transcribe_action.setEnabled(in_session and not state.reviewing)
        self.staff_pin_action.setEnabled(in_session and not state.reviewing)
        self.export_bundle_action.setEnabled(in_session and not state.reviewing)
        self.import_bundles_action.setEnabled(state.may_import)
