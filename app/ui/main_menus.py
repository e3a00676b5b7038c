"""The main window's menus and their actions: built once, translated on a language change,
enabled by what the window shows (``update``). What each action does is the window's."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:

    class MenuHandlers(Protocol):
        """The window's slots the actions trigger (a protocol: nothing to build at start-up)."""

        def open_incident(self, incident_id: str | None = None) -> object: ...
        def show_transcription(self) -> object: ...
        def show_staff_pins(self) -> object: ...
        def lock(self, show: bool = True) -> None: ...
        def show_start(self) -> None: ...
        def show_settings(self) -> None: ...
        def close(self) -> bool: ...
        def show_session_summary(self) -> object: ...
        def show_blank_form(self) -> object: ...
        def export_bundle(self) -> object: ...
        def import_bundles(self) -> object: ...
        def show_self_test(self) -> object: ...
        def show_about(self) -> object: ...


class MainMenus(QObject):
    """File, Report, Sync and Help on ``window``'s menu bar."""

    def __init__(self, window: QMainWindow, on: MenuHandlers) -> None:
        super().__init__(window)
        bar = window.menuBar()
        # Plain classes rather than dataclasses here: building them would cost start-up time.

        def action(slot: Callable[[], object], shortcut: QKeySequence | None = None) -> QAction:
            made = QAction(window)
            if shortcut is not None:
                made.setShortcut(shortcut)
            made.triggered.connect(lambda _checked=False: slot())  # never slot(checked)
            return made

        self.file_menu = bar.addMenu("")
        self.new_action = action(
            lambda: on.open_incident(None), QKeySequence(QKeySequence.StandardKey.New)
        )
        # Ctrl+N and Ctrl+L from anywhere in the app, the incident windows included.
        self.new_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.transcribe_action = action(on.show_transcription)
        self.staff_pin_action = action(on.show_staff_pins)
        self.lock_action = action(lambda: on.lock(), QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.switch_action = action(on.show_start)
        self.settings_action = action(on.show_settings)
        self.quit_action = action(on.close, QKeySequence(QKeySequence.StandardKey.Quit))
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
        self.summary_action = action(on.show_session_summary)
        self.blank_form_action = action(on.show_blank_form)
        self.report_menu.addAction(self.summary_action)
        self.report_menu.addAction(self.blank_form_action)

        self.sync_menu = bar.addMenu("")
        self.export_bundle_action = action(on.export_bundle)
        self.import_bundles_action = action(on.import_bundles)
        self.sync_menu.addAction(self.export_bundle_action)
        self.sync_menu.addAction(self.import_bundles_action)

        self.help_menu = bar.addMenu("")
        self.self_test_action = action(on.show_self_test)
        self.about_action = action(on.show_about)
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

    def update(
        self,
        *,
        unlocked: bool,
        has_dashboard: bool,
        reviewing: bool,
        has_workspace: bool,
        may_configure: bool,
        may_import: bool,
    ) -> None:
        """Enable what the window's state allows: ``unlocked`` (a staff member, or the
        institution reviewing, opened the session), ``reviewing`` (read-only) …"""
        self.new_action.setEnabled(unlocked and has_dashboard and not reviewing)
        self.lock_action.setEnabled(unlocked)
        self.switch_action.setEnabled(has_workspace)
        self.settings_action.setEnabled(has_workspace and may_configure)
        # A session's reports and bundle only for a staff member who has unlocked it.
        in_session = unlocked and has_workspace
        self.summary_action.setEnabled(in_session)
        self.blank_form_action.setEnabled(in_session)
        # The paper record of a failed laptop is entered by the site head (their PIN), whoever
        # unlocked; never while reviewing as the institution.
        self.transcribe_action.setEnabled(in_session and not reviewing)
        self.staff_pin_action.setEnabled(in_session and not reviewing)
        self.export_bundle_action.setEnabled(in_session and not reviewing)
        self.import_bundles_action.setEnabled(may_import)
