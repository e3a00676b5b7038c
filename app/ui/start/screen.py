"""The start screen: the sessions on this laptop, and ways to create, fill or demo one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import QListWidgetItem, QWidget

from app.ui.errors import handle_error, show_in_place
from app.ui.generated.ui_start_screen import Ui_StartScreen

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.ui.start.kit_dialog import KitImportDialog

SESSION_ROLE = Qt.ItemDataRole.UserRole
PURGED_ROLE = Qt.ItemDataRole.UserRole + 1


def session_line(summary: dict[str, Any]) -> str:
    """One session as the list shows it: institution · site · occupation level · exam date
    (its first subject's local date; a session without subjects shows the day it was
    created)."""
    from app.ui.labels import level_label

    shown = summary.get("exam_date") or str(summary.get("created_at", ""))[:10]
    return (
        f"{summary['institution']} · {summary['site_name']} · "
        f"{summary['occupation']} {level_label(summary['level'])} · {shown}"
    )


def ensure_demo_session(workspace: Workspace) -> str:
    """The demo session's id, seeding it first when this data folder has none (dated now, so
    an incident recorded in it falls inside a subject's exam time)."""
    import datetime as dt

    from app.core.demo.seed import find_demo_session, give_demo_pins, seed_demo

    session_id = find_demo_session(workspace)
    if session_id is None:
        session_id = seed_demo(workspace, now=dt.datetime.now(dt.UTC)).session_id
    # The demo's staff sign with the PIN the lock screen tells (also in a demo seeded earlier).
    give_demo_pins(workspace, session_id)
    return session_id


class StartScreen(QWidget):
    """Emits what the person chose; the main window does it."""

    openRequested = Signal(str)
    newRequested = Signal()
    importRequested = Signal(str, str)  # session id, its description
    settingsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_StartScreen()
        self.ui.setupUi(self)
        font = self.ui.titleLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.ui.titleLabel.setFont(font)
        self.workspace: Workspace | None = None
        self._busy = False
        self.kit_dialog: KitImportDialog | None = None
        self.ui.progressBar.hide()
        show_in_place(self.ui.messageLabel, "")
        self.ui.openButton.clicked.connect(self.open_selected)
        self.ui.sessionList.itemActivated.connect(lambda _item: self.open_selected())
        self.ui.newButton.clicked.connect(self.newRequested)
        self.ui.kitButton.clicked.connect(self.create_from_kit)
        self.ui.importButton.clicked.connect(self._import_selected)
        self.ui.sessionList.currentItemChanged.connect(lambda *_: self._enable())
        self.ui.demoButton.clicked.connect(self.open_demo)
        self.ui.settingsButton.clicked.connect(self.settingsRequested)
        self._enable()

    def set_workspace(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.refresh()

    def refresh(self) -> None:
        if self.workspace is None:
            return
        current = self.selected_session()
        self.ui.sessionList.clear()
        for summary in self.workspace.list_sessions():
            line = session_line(summary)
            if summary.get("purged"):
                line += self.tr("（个人信息已清除）")
            item = QListWidgetItem(line)
            item.setData(SESSION_ROLE, summary["id"])
            item.setData(PURGED_ROLE, bool(summary.get("purged")))
            item.setToolTip(summary["id"])
            self.ui.sessionList.addItem(item)
            if summary["id"] == current:
                self.ui.sessionList.setCurrentItem(item)
        if self.ui.sessionList.currentItem() is None and self.ui.sessionList.count():
            self.ui.sessionList.setCurrentRow(0)
        self._enable()

    def session_ids(self) -> list[str]:
        return [
            str(self.ui.sessionList.item(i).data(SESSION_ROLE))
            for i in range(self.ui.sessionList.count())
        ]

    def selected_session(self) -> str | None:
        item = self.ui.sessionList.currentItem()
        return None if item is None else str(item.data(SESSION_ROLE))

    def select_session(self, session_id: str) -> None:
        for i in range(self.ui.sessionList.count()):
            if self.ui.sessionList.item(i).data(SESSION_ROLE) == session_id:
                self.ui.sessionList.setCurrentRow(i)

    def _enable(self) -> None:
        ready = self.workspace is not None and not self._busy
        has = self.ui.sessionList.count() > 0
        self.ui.openButton.setEnabled(ready and has)
        current = self.ui.sessionList.currentItem()
        purged = current is not None and bool(current.data(PURGED_ROLE))
        self.ui.importButton.setEnabled(ready and has and not purged)  # rosters stay purged
        self.ui.newButton.setEnabled(ready)
        self.ui.kitButton.setEnabled(ready)
        self.ui.demoButton.setEnabled(ready)

    @Slot()
    def open_selected(self) -> None:
        session_id = self.selected_session()
        if session_id is None:
            show_in_place(self.ui.messageLabel, self.tr("请先选择一个场次"))
            return
        self.openRequested.emit(session_id)

    @Slot()
    def _import_selected(self) -> None:
        item = self.ui.sessionList.currentItem()
        if item is None:
            show_in_place(self.ui.messageLabel, self.tr("请先选择一个场次"))
            return
        self.importRequested.emit(str(item.data(SESSION_ROLE)), item.text())

    @Slot()
    def create_from_kit(self) -> KitImportDialog | None:
        """The kit dialog; once its session is imported, it is listed, selected and opened."""
        from app.ui.start.kit_dialog import KitImportDialog

        if self.workspace is None or self._busy:
            return None
        dialog = KitImportDialog(self.workspace, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.created.connect(self._on_kit_session)
        dialog.show()
        self.kit_dialog = dialog
        return dialog

    def _on_kit_session(self, session_id: str) -> None:
        self.refresh()
        self.select_session(session_id)
        self.openRequested.emit(session_id)

    @Slot()
    def open_demo(self) -> None:
        """Open the demo session, seeding it in a worker first if there is none."""
        if self.workspace is None or self._busy:
            return
        from app.ui.workers import run_in_worker

        workspace = self.workspace
        self._busy = True
        self._enable()
        self.ui.progressBar.setRange(0, 0)  # busy indicator: seeding reports no steps
        self.ui.progressBar.show()
        show_in_place(self.ui.messageLabel, self.tr("正在准备演示场次…"), ok=True)
        run_in_worker(lambda: ensure_demo_session(workspace), self._on_demo, self._on_failed)

    def _on_demo(self, session_id: object) -> None:
        self._busy = False
        self.ui.progressBar.hide()
        show_in_place(self.ui.messageLabel, "")
        self.refresh()
        self.openRequested.emit(str(session_id))

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ui.progressBar.hide()
        self._enable()
        handle_error(exc, self.ui.messageLabel, self)

    def is_busy(self) -> bool:
        return self._busy

    def message(self) -> str:
        return self.ui.messageLabel.text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
        super().changeEvent(event)
