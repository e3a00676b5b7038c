"""The main window: lock screen, start, clock check, session dashboard and settings as pages.

The window shows before the database is open (the lock or start page says it is opening), so
the app appears about as fast as a bare window; the records open in a worker meanwhile.
Nothing of a session shows until a staff member of that session has unlocked: the start page
lists sessions by institution and site only, and opening one goes through the lock screen.
On the institution's computer the app opens on its accounts' sign-in instead, and a session
opens read-only for the signed-in account (``review_session``): the records and their PDF
reports, no editing, no signing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.core.records.app_state import AppSettings, load_settings, save_settings
from app.ui import preferences
from app.ui.errors import handle_error, report_unexpected
from app.ui.incident_windows import IncidentWindows
from app.ui.lock.idle_rule import IdleLock
from app.ui.lock.screen import LockScreen
from app.ui.main_menus import MainMenus

if TYPE_CHECKING:
    from app.core.accounts.service import Account
    from app.core.records.service import Workspace
    from app.core.records.tables import Staff
    from app.ui.dashboard.view import Dashboard
    from app.ui.institution.cases.case_window import CaseWindow
    from app.ui.institution.cases.list_page import CaseListPage
    from app.ui.institution.devices import DevicesDialog
    from app.ui.institution.home import InstitutionHome
    from app.ui.institution.kit_dialog import KitExportDialog
    from app.ui.institution.login import InstitutionLogin
    from app.ui.institution.search_page import SearchPage
    from app.ui.institution.stats_page import StatsPage
    from app.ui.reports.actions import ReportTask
    from app.ui.selftest_dialog import SelfTestDialog
    from app.ui.settings.page import SettingsPage
    from app.ui.start.clock import ClockPage
    from app.ui.start.roster_import import RosterImportPage
    from app.ui.start.screen import StartScreen
    from app.ui.start.session_form import SessionForm
    from app.ui.sync.export_dialog import ExportBundleDialog
    from app.ui.sync.import_dialog import BundleImportDialog
    from app.ui.transcription_dialog import TranscriptionDialog

MAX_REOPEN = 5  # unfinished drafts reopened after a restart (the newest ones)
REFRESH_DELAY_MS = 400  # autosaves come in bursts while typing; refresh the lists once after


class MainWindow(QMainWindow):
    """Top-level window; ``stack`` holds the pages, ``workspace`` the records once open.

    Its jobs are split: the menus (``MainMenus``), the incident windows (``IncidentWindows``),
    the idle lock (``IdleLock``); what stays here is which page shows, and locking."""

    #: The records are open (``workspace`` is set) and the first page chosen.
    workspaceReady = Signal()

    def __init__(
        self,
        data_dir: Path | None = None,
        settings: AppSettings | None = None,
        *,
        workspace: Workspace | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from app.core.paths import data_dir as default_data_dir

        self.data_dir = data_dir if data_dir is not None else default_data_dir()
        self.settings = settings if settings is not None else load_settings(self.data_dir)
        preferences.apply(self.settings)
        self.workspace: Workspace | None = None
        self.session_id: str | None = None
        self.operator: Staff | None = None
        self.reviewing = False  # the institution's admin views the session, read-only
        self.account: Account | None = None  # signed in at the institution (its own mode)
        self.institution_login: InstitutionLogin | None = None
        self.institution_home: InstitutionHome | None = None
        self.cases_page: CaseListPage | None = None
        self.search_page: SearchPage | None = None
        self.stats_page: StatsPage | None = None
        self.case_windows: dict[str, CaseWindow] = {}  # by case id
        self.dashboard: Dashboard | None = None
        self.session_form: SessionForm | None = None
        self.import_page: RosterImportPage | None = None
        self.clock_page: ClockPage | None = None
        self.settings_page: SettingsPage | None = None
        self.windows = IncidentWindows(self)
        self.incident_windows = self.windows.by_record  # open windows by record id
        self._return_page: QWidget | None = None
        self._painted = False
        self._first_paint: QObject | None = None
        self._after_paint: list[Callable[[], object]] = []

        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.lock_screen = LockScreen(self.stack)
        self.stack.addWidget(self.lock_screen)
        self._start_screen: StartScreen | None = None  # built when first needed

        self.idle_lock = IdleLock(self.settings, self)
        self.idle_lock.idle.connect(self.lock)
        self.idle = self.idle_lock.watcher
        # Ctrl+N pressed on the lock screen: the new record opens once the PIN unlocks.
        self._incident_after_unlock = False
        self._new_code: str | None = None  # the first-run page's code on a new computer
        # What changed (a record saved, bundles imported) reaches the lists through one timer:
        # autosaves come in bursts, the lists refresh once after.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh_dashboard)
        self.windows.changed.connect(self._refresh_timer.start)

        self.menus = MainMenus(self, self)
        self._update_actions()
        self._connect_pages()
        self._retranslate()
        self.lock_screen.show_loading()
        if self.settings.set_up and not self.settings.current_session:
            self.stack.setCurrentWidget(self.start_screen)
        if workspace is not None:
            self.set_workspace(workspace)

    # -- menus ---------------------------------------------------------------------------------

    def _retranslate(self) -> None:
        self.menus.retranslate()
        self._update_title()

    def _update_title(self) -> None:
        title = self.tr("Proctor Desk 考场违纪违规记录")
        if self.dashboard is not None and self.is_unlocked():
            title += f" — {self.dashboard.detail['site']['name']}"
        self.setWindowTitle(title)

    def _update_actions(self) -> None:
        self.menus.update(
            unlocked=self.is_unlocked(),
            has_dashboard=self.dashboard is not None,
            reviewing=self.reviewing,
            has_workspace=self.workspace is not None,
            may_configure=self._may_configure(),
            may_import=self._may_import(),
        )

    def _may_import(self) -> bool:
        # On the institution's computer only a signed-in admin imports (the import asks the
        # institution's passphrase too); nothing is offered before someone signs in.
        if self.workspace is None:
            return False
        from app.core.trust.presence import institution_here

        if institution_here(self.workspace.data_dir):
            return self.account is not None and self.account.role == "admin"
        return self._may_configure()

    def _may_configure(self) -> bool:
        # Settings open from the start page (no session shown) or once someone has unlocked.
        return self.operator is not None or self.reviewing or self.session_id is None

    def about_text(self) -> str:
        from app.version import version  # importlib.metadata: not worth its time at start-up

        return (
            self.tr(
                "Proctor Desk 考场违纪违规记录\n版本 %1\n\n"
                "依据《技能人才评价违纪违规行为处理工作指引（试行）》"
                "（人社职司便函〔2021〕57号）记录考场违纪违规行为。"
                "所示处理为依据条款可能适用的处理，以评价机构按程序认定为准"
                "（工作人员的行为由评价机构或其监管部门认定，评价机构的行为由其监管部门认定）。"
            ).replace("%1", version())
            + "\n\n"
            + self.support_text()
        )

    def support_text(self) -> str:
        """For a support person: where the log files are, and the versions running here."""
        import PySide6
        from PySide6.QtCore import qVersion

        from app.core.logs import log_folder
        from app.core.versions import versions

        found = versions()
        found[2:2] = [("Qt", qVersion()), ("PySide6", PySide6.__version__)]
        return (
            self.tr("日志文件夹：")
            + f"\n{log_folder(self.data_dir)}\n\n"
            + self.tr("版本：")
            + "\n"
            + "\n".join(f"{name} {number}" for name, number in found)
        )

    @Slot()
    def show_about(self) -> QMessageBox:
        """Help → About, window-modal; its text can be selected and copied."""
        box = QMessageBox(
            QMessageBox.Icon.Information, self.tr("关于 Proctor Desk"), "", parent=self
        )
        box.setText(self.about_text())
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    @Slot()
    def show_self_test(self) -> SelfTestDialog:
        """Help → Self-test: the installation checked in a temporary folder, window-modal."""
        from app.ui.selftest_dialog import open_self_test

        return open_self_test(self)

    # -- reports and bundles -------------------------------------------------------------------

    @Slot()
    def show_session_summary(self) -> ReportTask | None:
        """The open session's signed summary in the preview."""
        from app.ui.reports.actions import preview_session_summary

        if not self.is_unlocked() or self.workspace is None or self.session_id is None:
            return None
        return preview_session_summary(self, self.workspace, self.session_id)

    @Slot()
    def show_blank_form(self) -> ReportTask | None:
        """The open session's blank paper form in the preview, to print for a failed laptop."""
        from app.ui.reports.actions import preview_blank_form

        if not self.is_unlocked() or self.workspace is None or self.session_id is None:
            return None
        return preview_blank_form(self, self.workspace, self.session_id)

    @Slot()
    def export_bundle(self) -> ExportBundleDialog | None:
        """On a site laptop: the open session's sync bundle for the institution."""
        from app.ui.sync.export_dialog import open_bundle_export

        if not self.is_unlocked() or self.workspace is None or self.session_id is None:
            return None
        return open_bundle_export(self, self.workspace, self.session_id)

    @Slot()
    def import_bundles(self) -> BundleImportDialog | None:
        """At the institution: import the bundles the sites sent."""
        from app.ui.sync.import_dialog import open_bundle_import

        if self.workspace is None or not self._may_import():
            return None
        dialog = open_bundle_import(self, self.workspace)
        if dialog is not None:
            dialog.imported.connect(self._after_import)
        return dialog

    @Slot()
    def show_transcription(self) -> TranscriptionDialog | None:
        """A record written on the paper form, entered with its scan (the site head's PIN)."""
        from app.ui.transcription_dialog import open_transcription

        if not self.menus.transcribe_action.isEnabled() or self.workspace is None:
            return None
        if self.session_id is None:
            return None
        dialog = open_transcription(self, self.workspace, self.session_id)
        dialog.transcribed.connect(self._after_import)
        return dialog

    @Slot()
    def show_staff_pins(self) -> QWidget | None:
        """The site head gives staff members their first PIN (nobody signs without one)."""
        from app.ui.lock.staff_pins import StaffPinDialog

        if not self.is_unlocked() or self.reviewing or self.workspace is None:
            return None
        assert self.session_id is not None
        dialog = StaffPinDialog(self.workspace, self.session_id, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(self._refresh_pin_notice)
        dialog.open()
        return dialog

    def _refresh_pin_notice(self) -> None:
        if self.dashboard is not None:
            self.dashboard.refresh_pin_notice()

    def _after_import(self) -> None:
        """New records came in: the lists showing sessions and records catch up."""
        if self._start_screen is not None:
            self._start_screen.refresh()
        if self.institution_home is not None and self.account is not None:
            self.institution_home.refresh()
        self._refresh_timer.start()

    # -- pages -----------------------------------------------------------------------------------

    def _connect_pages(self) -> None:
        self.lock_screen.setupSubmitted.connect(self._on_setup)
        self.lock_screen.institutionSetupRequested.connect(self.show_institution_setup)
        self.lock_screen.unlocked.connect(self._on_unlocked)
        self.lock_screen.incidentRequested.connect(self.incident_from_lock_screen)
        self.lock_screen.otherSessionRequested.connect(self.show_start)

    @property
    def start_screen(self) -> StartScreen:
        """The start page (built on first use: the lock screen is what shows at start-up)."""
        if self._start_screen is None:
            from app.ui.start.screen import StartScreen

            screen = StartScreen(self.stack)
            self.stack.addWidget(screen)
            screen.openRequested.connect(self.open_session)
            screen.newRequested.connect(self.show_session_form)
            screen.importRequested.connect(self.show_import)
            screen.settingsRequested.connect(self.show_settings)
            if self.workspace is not None:
                screen.set_workspace(self.workspace)
            self._start_screen = screen
        return self._start_screen

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _show_page(self, page: QWidget) -> None:
        if self.stack.indexOf(page) < 0:
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self._update_actions()
        self._update_title()

    def when_painted(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once, just after the window's first paint (at once if it has
        painted already): start-up work the first window does not need waits for it."""
        if self._painted:
            QTimer.singleShot(0, callback)
            return
        self._after_paint.append(callback)
        if self._first_paint is not None:
            return
        window = self

        class FirstPaint(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    watched.removeEventFilter(self)
                    window._painted = True
                    for waiting in window._after_paint:
                        QTimer.singleShot(0, waiting)
                    window._after_paint.clear()
                return False

        self._first_paint = FirstPaint(self)
        self.installEventFilter(self._first_paint)

    def open_workspace_when_painted(self) -> None:
        """Open the records once the window has painted: the worker's imports would otherwise
        compete with the first paint for the interpreter."""
        self.when_painted(self.open_workspace_async)

    def open_workspace_async(self) -> None:
        """Open the records in a worker; the pages fill in when it is ready."""
        from app.ui.workers import run_in_worker

        data_dir = self.data_dir

        def open_it() -> Workspace:
            from app.core.records.service import Workspace

            return Workspace.open(data_dir, defer_device=True)

        run_in_worker(open_it, self.set_workspace, self._on_workspace_failed)

    def _on_workspace_failed(self, exc: BaseException) -> None:
        self.stack.setCurrentWidget(self.start_screen)
        handle_error(exc, self.start_screen.ui.messageLabel, self)

    def set_workspace(self, workspace: object) -> None:
        from app.core.records.service import Workspace

        assert isinstance(workspace, Workspace)
        from app.core.records.service import has_device
        from app.core.trust.presence import institution_here
        from app.ui.lock.key_dialog import open_keys

        # The institution has no device key to open: its accounts sign with their own keys,
        # opened by their passwords at sign-in. A new computer opens on its first-run page
        # with none either: it may become the institution's there; a laptop's keys are made
        # when it is set up as one (``_on_setup``).
        laptop = not institution_here(workspace.data_dir)
        new = not self.settings.set_up and not has_device(workspace.data_dir)
        if (
            laptop
            and not new
            and not open_keys(workspace.data_dir, workspace.device.device_id, self)
        ):
            workspace.close()  # the site head chose to quit rather than open the keys
            self.close()
            return
        self.workspace = workspace
        if self._start_screen is not None:
            self._start_screen.set_workspace(workspace)
        self.route()
        self.workspaceReady.emit()

    def route(self) -> None:
        """Where the app starts: the institution's sign-in on its computer; on a laptop its
        device set-up, the current session's lock, or the start page."""
        if self.workspace is None:
            return
        from app.core.trust.presence import institution_here

        if institution_here(self.workspace.data_dir):
            self.show_institution_login()
            return
        if not self.settings.set_up:
            self.lock_screen.show_setup(self._proposed_code(), self.settings.device_name)
            self._show_page(self.lock_screen)
            return
        current = self.settings.current_session
        if current and current in self.start_screen.session_ids():
            self.open_session(current)
        else:
            self.show_start()

    @Slot(str, str)
    def _on_setup(self, code: str, name: str) -> None:
        from app.core.errors import UserError

        if self.workspace is None:
            return
        from app.core.records.service import has_device
        from app.ui.lock.key_dialog import open_keys

        data_dir = self.workspace.data_dir
        # Set up as a laptop: its device identity and keys now (the passphrase chosen here).
        if not has_device(data_dir) and not open_keys(
            data_dir, self.workspace.device.device_id, self
        ):
            return  # no passphrase chosen: still on the first-run page
        try:
            if code != self.workspace.device.code:
                self.workspace.set_device_code(code)
            self._save_settings(self.settings.with_changes(device_name=name))
        except UserError as exc:
            if "device code" in str(exc):
                self.lock_screen.setup_failed(
                    self.tr("本机代码须为 1–3 个字母（不含 I、O、Q）或数字")
                )
            else:
                self.lock_screen.setup_failed(str(exc))
            return
        self.route()

    def _proposed_code(self) -> str:
        """The first-run page's device code: the device's own, or on a new computer (no
        device identity yet) one drawn once for it, which makes nothing until it is set up."""
        from app.core.records.service import has_device
        from app.core.seal.device_keys import default_code

        assert self.workspace is not None
        if has_device(self.workspace.data_dir):
            return self.workspace.device.code
        if self._new_code is None:
            self._new_code = default_code(uuid.uuid4().bytes)
        return self._new_code

    def _save_settings(self, settings: AppSettings) -> None:
        save_settings(self.data_dir, settings)
        self.settings = settings

    # -- the institution's mode ------------------------------------------------------------------

    def show_institution_login(self) -> None:
        """The institution's sign-in (or its first account): nothing shows before it."""
        from app.ui.institution.login import InstitutionLogin

        if self.workspace is None:
            return
        from app.core.seal import account_keys

        self._close_session()
        self.account = None
        account_keys.forget(self.workspace.data_dir)  # its key signs nothing more here
        for window in list(self.case_windows.values()):  # they act for the account gone
            window.close()
        self.case_windows.clear()
        if self.institution_login is None:
            self.institution_login = InstitutionLogin(self.stack)
            self.institution_login.signedIn.connect(self._on_signed_in)
        self.institution_login.set_workspace(self.workspace)
        self._show_page(self.institution_login)

    @Slot()
    def show_institution_setup(self) -> QWidget | None:
        """From the first-run page: this computer becomes the institution's (its identity),
        then its sign-in asks for the first admin."""
        from app.ui.institution.setup_dialog import InstitutionSetupDialog

        if self.workspace is None:
            return None
        dialog = InstitutionSetupDialog(self.workspace.data_dir, self)
        dialog.accepted.connect(self.route)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot(object)
    def _on_signed_in(self, account: object) -> None:
        from app.core.accounts.service import Account

        assert isinstance(account, Account)
        self.account = account
        self.show_institution_home()

    def show_institution_home(self) -> None:
        from app.ui.institution.filing_dialog import open_filing
        from app.ui.institution.home import InstitutionHome

        if self.workspace is None or self.account is None:
            return
        self._close_session(keep_account=True)
        if self.institution_home is None:
            self.institution_home = InstitutionHome(self.stack)
            self.institution_home.openRequested.connect(self.review_session)
            self.institution_home.planRequested.connect(self.show_session_form)
            self.institution_home.kitRequested.connect(self.show_kit_export)
            self.institution_home.importRequested.connect(self.import_bundles)
            self.institution_home.devicesRequested.connect(self.show_devices)
            self.institution_home.casesRequested.connect(self.show_cases)
            self.institution_home.art8Requested.connect(self.open_art8_case)
            self.institution_home.searchRequested.connect(self.show_search)
            self.institution_home.statsRequested.connect(self.show_stats)
            self.institution_home.filingRequested.connect(
                lambda: open_filing(self, self.workspace, self.account)
            )
            self.institution_home.signOutRequested.connect(self.show_institution_login)
        self.institution_home.show_account(self.workspace, self.account)
        self._show_page(self.institution_home)

    @Slot()
    def show_cases(self) -> None:
        """The institution's cases, for the signed-in account."""
        from app.ui.institution.cases.list_page import CaseListPage

        if self.workspace is None or self.account is None:
            return
        if self.cases_page is None:
            self.cases_page = CaseListPage(self.stack)
            self.cases_page.caseRequested.connect(self.open_case)
            self.cases_page.backRequested.connect(self.show_institution_home)
        self.cases_page.show_account(self.workspace, self.account)
        self._show_page(self.cases_page)

    @Slot(str)
    def open_case(self, case_id: str) -> CaseWindow | None:
        """The case's window (one per case; opened again, it comes to the front)."""
        from app.ui.incident_windows import bring_forward
        from app.ui.institution.cases.case_window import CaseWindow

        if self.workspace is None or self.account is None:
            return None
        window = self.case_windows.get(case_id)
        if window is None:
            window = CaseWindow(self.workspace, self.account, case_id, self)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda *_: self.case_windows.pop(case_id, None))
            window.changed.connect(self._after_case_step)
            self.case_windows[case_id] = window
        bring_forward(window)
        return window

    @Slot()
    @Slot(str)
    def show_search(self, text: str = "") -> None:
        """One search box across every imported session (searching ``text`` at once)."""
        from app.ui.institution.search_page import SearchPage

        if self.workspace is None or self.account is None:
            return
        if self.search_page is None:
            self.search_page = SearchPage(self.stack)
            self.search_page.caseRequested.connect(self.open_case)
            self.search_page.recordRequested.connect(self._show_found_record)
            self.search_page.sessionRequested.connect(self.review_session)
            self.search_page.backRequested.connect(self.show_institution_home)
        self.search_page.show_account(self.workspace, self.account)
        self._show_page(self.search_page)
        if text:
            self.search_page.edit.setText(text)
            self.search_page.search()

    @Slot(str, str)
    def _show_found_record(self, session_id: str, incident_id: str) -> None:
        """A record found: its session read-only, the record as its PDF report."""
        self.review_session(session_id)
        self.open_incident(incident_id)

    @Slot()
    def show_stats(self) -> None:
        """The statistics of the records in force, or of the decided cases."""
        from app.ui.institution.stats_page import StatsPage

        if self.workspace is None or self.account is None:
            return
        if self.stats_page is None:
            self.stats_page = StatsPage(self.stack)
            self.stats_page.backRequested.connect(self.show_institution_home)
        self.stats_page.show_account(self.workspace, self.account)
        self._show_page(self.stats_page)

    @Slot()
    def open_art8_case(self) -> QDialog | None:
        """A violation found after the evaluation (Art. 8): its finding and confirmation, then
        its case, in the list and in its own window."""
        from app.core.casework.cases import today
        from app.ui.institution.cases.art8_dialog import Art8Dialog

        if self.workspace is None or self.account is None or self.account.role != "admin":
            return None
        dialog = Art8Dialog(self.workspace, self.account, today(), self)
        dialog.accepted.connect(lambda: self._art8_opened(dialog.case_id))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _art8_opened(self, case_id: str | None) -> None:
        if case_id is None:
            return
        self.show_cases()
        self.open_case(case_id)

    @Slot(str)
    def issue_receipt(self, bundle_id: str) -> Path | None:
        """The signed import receipt of a bundle the session view lists (an admin's act)."""
        from app.ui.institution.receipt import issue_receipt_here

        if (
            self.workspace is None
            or self.account is None
            or self.account.role != "admin"
            or self.dashboard is None
        ):
            return None
        say = self.dashboard.ui.pendingSummary
        return issue_receipt_here(self, self.workspace, self.account, bundle_id, say)

    @Slot(str)
    def _after_case_step(self, _case_id: str) -> None:
        if self.cases_page is not None:
            self.cases_page.refresh()

    @Slot(str)
    def review_session(self, session_id: str) -> None:
        """A session its site sent, read-only for the signed-in account: its records and their
        PDF reports; the idle lock signs the account out."""
        if self.workspace is None or self.account is None:
            return
        self.session_id = session_id
        self.operator, self.reviewing = None, True
        self.idle_lock.start_plain()
        self.show_dashboard()

    @Slot(str)
    def show_kit_export(self, session_id: str) -> KitExportDialog | None:
        """The site kit of ``session_id``, written by an admin."""
        from app.ui.institution.kit_dialog import KitExportDialog

        if self.workspace is None or self.account is None or self.account.role != "admin":
            return None
        dialog = KitExportDialog(self.workspace, self.account, session_id, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot()
    def show_devices(self) -> DevicesDialog | None:
        from app.ui.institution.devices import DevicesDialog

        if self.workspace is None or self.account is None:
            return None
        dialog = DevicesDialog(self.workspace, self.account, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot()
    def show_start(self) -> None:
        """Back to the start page: the session is closed and its windows hidden (at the
        institution, its home)."""
        from app.core.trust.presence import institution_here

        if self.account is not None:
            self.show_institution_home()
            return
        if self.workspace is not None and institution_here(self.workspace.data_dir):
            self.show_institution_login()  # nothing of the institution before a sign-in
            return
        self._close_session()
        self.start_screen.refresh()
        self._show_page(self.start_screen)

    @Slot(str)
    def open_session(self, session_id: str) -> None:
        """Make ``session_id`` current; its lock screen asks who is operating. At the
        institution a session is only ever viewed read-only by a signed-in account."""
        if self.workspace is None:
            return
        from app.core.trust.presence import institution_here

        if institution_here(self.workspace.data_dir):
            if self.account is None:
                self.show_institution_login()
            else:
                self.review_session(session_id)
            return
        try:
            detail = self.workspace.session(session_id)
        except Exception as exc:
            handle_error(exc, self.start_screen.ui.messageLabel, self)
            return
        if self.session_id != session_id:
            self._close_session()
        self.session_id = session_id
        if self.settings.current_session != session_id:
            self._save_settings(self.settings.with_changes(current_session=session_id))
        self.lock()
        from app.ui.labels import level_label

        text = "\n".join(
            (
                detail["institution"]["name"],
                f"{detail['site']['name']} · {detail['occupation']} {level_label(detail['level'])}",
            )
        )
        from app.core.demo.seed import DEMO_FILING_CODE, DEMO_PIN

        if detail["institution"]["filing_code"] == DEMO_FILING_CODE:
            text += "\n" + self.tr("演示场次（虚构数据）：工作人员 PIN 均为 %1").replace(
                "%1", DEMO_PIN
            )
        self.idle_lock.subjects = list(detail.get("subjects", []))
        self.lock_screen.show_unlock(
            self.workspace,
            session_id,
            text,
            device_name=self.settings.device_name,
            preselect=self.settings.last_operator,
        )
        self._update_actions()

    def _close_session(self, keep_account: bool = False) -> None:
        if not keep_account:
            self.account = None
        if self.session_id is not None and self.workspace is not None:
            self._backup_at_session_end(self.workspace.data_dir)
        self.lock(show=False)
        self.windows.close_all()
        if self.dashboard is not None:
            self.stack.removeWidget(self.dashboard)
            self.dashboard.deleteLater()
            self.dashboard = None
        self.session_id = None
        self.operator = None
        self.reviewing = False
        self._incident_after_unlock = False
        self.idle_lock.subjects = []
        self._update_actions()

    # -- locking ---------------------------------------------------------------------------------

    def is_unlocked(self) -> bool:
        return (self.operator is not None or self.reviewing) and self.session_id is not None

    @Slot()
    def lock(self, show: bool = True) -> None:
        """Lock: hide every record until a staff member unlocks again (at the institution, the
        account is signed out)."""
        if show and self.account is not None:
            self.show_institution_login()
            return
        was_unlocked = self.is_unlocked()
        self.operator = None
        self.reviewing = False
        self.idle_lock.stop()
        self.windows.hide_all()
        if show and self.session_id is not None and self.workspace is not None:
            if was_unlocked:
                self.lock_screen.show_unlock(
                    self.workspace,
                    self.session_id,
                    self.lock_screen.ui.sessionLabel.text(),
                    device_name=self.settings.device_name,
                    preselect=self.settings.last_operator,
                )
            self._show_page(self.lock_screen)
        self._update_actions()
        self._update_title()

    @Slot(object)
    def _on_unlocked(self, staff: object) -> None:
        from app.core.records.app_state import latest_clock_check

        if self.workspace is None or self.session_id is None:
            return
        self.operator = staff  # type: ignore[assignment]
        operator_id = getattr(staff, "id", None)
        if isinstance(operator_id, str) and operator_id != self.settings.last_operator:
            self._save_settings(self.settings.with_changes(last_operator=operator_id))
        self.idle_lock.start()
        self.windows.show_all()
        check = latest_clock_check(self.workspace, self.session_id)
        if check is None:
            self._show_clock_check()
            return
        self.show_dashboard(check.offset_seconds)

    def _on_session_lock_screen(self) -> bool:
        """The lock screen of a session a staff member may unlock (Ctrl+N starts there)."""
        return (
            self.session_id is not None
            and not self.is_unlocked()
            and self.current_page() is self.lock_screen
            and self.lock_screen.may_unlock()
        )

    @Slot()
    def incident_from_lock_screen(self) -> None:
        """Ctrl+N on the lock screen: nothing of the session shows yet; the PIN of the chosen
        staff member unlocks, and the new record opens straight after (the clock check first
        where it is still due)."""
        if self._on_session_lock_screen():
            self._incident_after_unlock = True
            self.lock_screen.ask_pin_for_incident()

    def _show_clock_check(self) -> None:
        from app.ui.start.clock import ClockPage

        assert self.workspace is not None and self.session_id is not None
        if self.clock_page is None:
            self.clock_page = ClockPage(self.stack)
            self.clock_page.confirmed.connect(
                lambda check: self.show_dashboard(check.offset_seconds)
            )
        timezone = self.workspace.session(self.session_id)["timezone"]
        self.clock_page.start(self.workspace, self.session_id, timezone)
        self._show_page(self.clock_page)

    def show_dashboard(self, clock_offset: int = 0) -> None:
        from app.ui.dashboard.view import Dashboard

        if self.workspace is None or self.session_id is None or not self.is_unlocked():
            return
        if self.dashboard is None or self.dashboard.session_id != self.session_id:
            self.dashboard = Dashboard(
                self.workspace,
                self.session_id,
                self.operator,
                self.stack,
                read_only=self.reviewing,
            )
            self.dashboard.newIncidentRequested.connect(lambda: self.open_incident(None))
            self.dashboard.incidentActivated.connect(self.open_incident)
            self.dashboard.lockRequested.connect(self.lock)
            self.dashboard.staffPinsRequested.connect(self.show_staff_pins)
            self.dashboard.receiptRequested.connect(self.issue_receipt)
            first = True
        else:
            self.dashboard.operator = self.operator
            self.dashboard.set_read_only(self.reviewing)  # fills the header again
            self.dashboard.refresh()
            first = False
        self.dashboard.set_clock_offset(clock_offset)
        self._show_page(self.dashboard)
        if first and not self.reviewing:
            self.reopen_drafts()
        if self._incident_after_unlock and not self.reviewing:
            self._incident_after_unlock = False
            self.open_incident(None)

    # -- incidents -------------------------------------------------------------------------------

    def reopen_drafts(self) -> list[str]:
        """Reopen the drafts a crash or power cut left unfinished (B's ``unfinished_drafts``)."""
        if self.workspace is None or self.session_id is None:
            return []
        try:
            from app.ui.incident.drafts import unfinished_drafts
        except ImportError:
            return []
        try:
            ids = unfinished_drafts(self.workspace, self.session_id)
        except Exception as exc:
            report_unexpected(exc, self)
            return []
        # A crash leaves at most a few records open; the rest wait in the pending panel.
        ids = ids[-MAX_REOPEN:]
        for incident_id in ids:
            self.open_incident(incident_id)
        return ids

    @Slot()
    def open_incident(self, incident_id: str | None = None) -> QWidget | None:
        """The incident window for ``incident_id`` (a new record when None); Ctrl+N."""
        if not self.is_unlocked() or self.workspace is None or self.dashboard is None:
            return None
        if self.reviewing:
            # Read-only: the record as its PDF report (the institution's copy), never a form.
            if incident_id is not None:
                from app.ui.reports.actions import preview_incident_report

                preview_incident_report(self, self.workspace, incident_id, "institution")
            return None
        try:
            from app.ui.incident.window import open_incident_window
        except ImportError:
            self.statusBar().showMessage(self.tr("记录窗口尚不可用"), 5000)
            return None
        assert self.session_id is not None and self.operator is not None
        known = self.windows.get(incident_id)
        try:
            # Raises the window already open for this record rather than opening a second.
            window = open_incident_window(
                self.workspace,
                self.session_id,
                incident_id=incident_id,
                operator_id=self.operator.id,
            )
        except Exception as exc:
            handle_error(exc, None, self)
            return None
        if window is known:
            return window
        window.saved.connect(lambda saved_id, w=window: self.windows.saved(w, saved_id))
        window.closed.connect(lambda w=window: self.windows.forget(w))
        self.windows.add(window, incident_id)
        return window

    def open_windows(self) -> list[QWidget]:
        return self.windows.all()

    @Slot()
    def _refresh_dashboard(self) -> None:
        if self.dashboard is not None:
            try:
                self.dashboard.refresh()
            except Exception as exc:
                report_unexpected(exc, self)

    # -- session creation, import, settings ------------------------------------------------------

    @Slot()
    def show_session_form(self) -> None:
        from app.ui.start.session_form import SessionForm

        if self.workspace is None:
            return
        if self.session_form is None:
            self.session_form = SessionForm(self.workspace, self.stack)
            self.session_form.created.connect(self._on_session_created)
            self.session_form.cancelled.connect(self.show_start)
        self._show_page(self.session_form)

    @Slot(str)
    def _on_session_created(self, session_id: str) -> None:
        if self.account is not None:  # at the institution: the plan's rosters come next
            self._on_plan_created(session_id)
            return
        self.start_screen.refresh()
        self.start_screen.select_session(session_id)
        self.open_session(session_id)
        self._drop_session_form()

    def _on_plan_created(self, session_id: str) -> None:
        """A plan made at the institution (its rosters came with the form): audited under the
        account, then the home with the plan chosen, its site kit next."""
        from app.core.accounts.service import record_action

        assert self.workspace is not None and self.account is not None
        # A plan outside the filing, acknowledged in the form: said in the audit entry, as the
        # command line says it.
        scope = self.session_form.scope if self.session_form is not None else None
        details = {"outside_filed_scope": list(scope.reasons_en)} if scope is not None else None
        record_action(
            self.workspace, self.account, "create_session", details, session_id=session_id
        )
        self._drop_session_form()
        self.show_institution_home()
        if self.institution_home is not None:
            self.institution_home.select_session(session_id)

    def _drop_session_form(self) -> None:
        """The form that made a session goes; the next session gets a fresh one."""
        if self.session_form is not None:
            self.stack.removeWidget(self.session_form)
            self.session_form.deleteLater()
            self.session_form = None

    @Slot(int, int)
    def _on_rosters_imported(self, candidates: int, staff: int) -> None:
        """At the institution, the plan's rosters are audited under the signed-in account."""
        from app.core.accounts.service import record_action

        page = self.import_page
        if self.workspace is None or self.account is None or page is None:
            return
        details = {"candidates": candidates, "staff": staff}
        record_action(
            self.workspace, self.account, "import_roster", details, session_id=page.session_id
        )

    @Slot(str, str)
    def show_import(self, session_id: str, description: str) -> None:
        from app.ui.start.roster_import import RosterImportPage

        if self.workspace is None:
            return
        if self.import_page is None:
            self.import_page = RosterImportPage(self.workspace, self.stack)
            self.import_page.back.connect(self.show_start)
            self.import_page.imported.connect(self._on_rosters_imported)
        self.import_page.set_session(session_id, description)
        self._show_page(self.import_page)

    @Slot()
    def show_settings(self) -> None:
        from app.ui.settings.page import SettingsPage

        if self.workspace is None or not self._may_configure():
            return
        if self.settings_page is None:
            self.settings_page = SettingsPage(self.stack)
            self.settings_page.saved.connect(self._on_settings_saved)
            self.settings_page.languageChosen.connect(self.set_language)
            self.settings_page.back.connect(self._leave_settings)
        current = self.stack.currentWidget()
        if current is not self.settings_page:
            self._return_page = current
        self.settings_page.load(self.workspace, self.settings, self.data_dir)
        self._show_page(self.settings_page)

    @Slot()
    def _leave_settings(self) -> None:
        page = self._return_page or self.start_screen
        if page is self.dashboard and not self.is_unlocked():
            page = self.lock_screen
        self._show_page(page)

    @Slot(object)
    def _on_settings_saved(self, settings: object) -> None:
        assert isinstance(settings, AppSettings)
        self.settings = settings
        preferences.apply(settings)
        self.idle_lock.settings = settings
        self.idle_lock.apply_rule()

    @Slot(str)
    def set_language(self, language: str) -> None:
        """Switch the interface language live and remember it."""
        from app.core.errors import UserError
        from app.ui.i18n import switch_language

        app = QApplication.instance()
        if app is None:
            return
        try:
            switch_language(app, language)
            self._save_settings(self.settings.with_changes(language=language))
        except UserError as exc:
            label = self.settings_page.ui.messageLabel if self.settings_page else None
            handle_error(exc, label, self)
            return
        if self.settings_page is not None:
            self.settings_page.settings = self.settings

    @staticmethod
    def _backup_at_session_end(data_dir: Path) -> None:
        """A rolling copy of the database (``records.backups``): quick, and a failure is only
        logged, since the work it follows is already saved."""
        from app.core.records.backups import rolling_backup_quietly

        rolling_backup_quietly(data_dir, "session-end")

    # -- Qt events -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        for window in self.open_windows():
            window.close()
        if self.workspace is not None:
            self._backup_at_session_end(self.workspace.data_dir)
        self.idle_lock.detach()
        super().closeEvent(event)

    def page_named(self, name: str) -> Any:
        """The page called ``name`` (lock, start, form, import, clock, dashboard, settings,
        institution_login, institution_home)."""
        return {
            "lock": self.lock_screen,
            "start": self.start_screen,
            "form": self.session_form,
            "import": self.import_page,
            "clock": self.clock_page,
            "dashboard": self.dashboard,
            "settings": self.settings_page,
            "institution_login": self.institution_login,
            "institution_home": self.institution_home,
        }[name]
