"""Importing rosters into an existing session: all rows of all files, or none at all."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import QWidget

from app.ui.errors import handle_error, show_in_place
from app.ui.generated.ui_start_import import Ui_RosterImport
from app.ui.start.problems import show_problems
from app.ui.start.session_form import ask_open_roster

if TYPE_CHECKING:
    from app.core.records.service import Workspace


def _read_and_import(
    workspace: Workspace, session_id: str, candidates: Path | None, staff: Path | None
) -> tuple[int, int]:
    from app.ui.start.rosters import import_rows, read_rosters

    candidate_rows, staff_rows = read_rosters(candidates, staff, workspace.rooms(session_id))
    return import_rows(
        workspace,
        session_id,
        candidate_rows,
        staff_rows,
        (candidates.name if candidates else "", staff.name if staff else ""),
    )


class RosterImportPage(QWidget):
    """Emits ``imported(candidates, staff)`` with the counts once the rosters are in."""

    imported = Signal(int, int)
    back = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_RosterImport()
        self.ui.setupUi(self)
        self.workspace = workspace
        self.session_id: str | None = None
        self._busy = False
        self.ui.problemsTable.hide()
        show_in_place(self.ui.messageLabel, "")
        self.ui.candidatesBrowseButton.clicked.connect(
            lambda: self._browse(self.ui.candidatesFileEdit, self.tr("选择考生名单"))
        )
        self.ui.staffBrowseButton.clicked.connect(
            lambda: self._browse(self.ui.staffFileEdit, self.tr("选择工作人员名单"))
        )
        self.ui.importButton.clicked.connect(self.submit)
        self.ui.backButton.clicked.connect(self.back)

    def set_session(self, session_id: str, description: str) -> None:
        self.session_id = session_id
        self.ui.sessionLabel.setText(description)
        self.ui.candidatesFileEdit.clear()
        self.ui.staffFileEdit.clear()
        show_problems(self.ui.problemsTable, [])
        show_in_place(self.ui.messageLabel, "")

    def _browse(self, edit: Any, title: str) -> None:
        path = ask_open_roster(self, title)
        if path:
            edit.setText(path)

    def _path(self, edit: Any) -> Path | None:
        text = edit.text().strip()
        return Path(text) if text else None

    @Slot()
    def submit(self) -> None:
        if self._busy or self.session_id is None:
            return
        candidates, staff = (
            self._path(self.ui.candidatesFileEdit),
            self._path(self.ui.staffFileEdit),
        )
        if candidates is None and staff is None:
            show_in_place(self.ui.messageLabel, self.tr("请选择至少一个名单文件"))
            return
        for path, edit in (
            (candidates, self.ui.candidatesFileEdit),
            (staff, self.ui.staffFileEdit),
        ):
            if path is not None and not path.is_file():
                show_in_place(
                    self.ui.messageLabel, self.tr("找不到文件：%1").replace("%1", str(path))
                )
                edit.setFocus()
                return
        from app.ui.workers import run_in_worker

        workspace, session_id = self.workspace, self.session_id
        self._busy = True
        self.ui.importButton.setEnabled(False)
        show_problems(self.ui.problemsTable, [])
        run_in_worker(
            lambda: _read_and_import(workspace, session_id, candidates, staff),
            self._on_done,
            self._on_failed,
        )

    def _on_done(self, counts: object) -> None:
        self._busy = False
        self.ui.importButton.setEnabled(True)
        assert isinstance(counts, tuple)
        n_candidates, n_staff = counts
        show_in_place(
            self.ui.messageLabel,
            self.tr("已导入 %1、%2")
            .replace("%1", self.tr("%n 名考生", "", n_candidates))
            .replace("%2", self.tr("%n 名工作人员", "", n_staff)),
            ok=True,
        )
        self.imported.emit(n_candidates, n_staff)

    def _on_failed(self, exc: BaseException) -> None:
        from app.ui.start.rosters import RosterFilesRefused

        self._busy = False
        self.ui.importButton.setEnabled(True)
        if isinstance(exc, RosterFilesRefused):
            show_problems(self.ui.problemsTable, exc.problems)
            show_in_place(
                self.ui.messageLabel,
                self.tr("名单有 %1 处问题，未导入任何人员。请修改名单后重新导入。").replace(
                    "%1", str(len(exc.problems))
                ),
            )
            return
        handle_error(exc, self.ui.messageLabel, self)

    def message(self) -> str:
        return self.ui.messageLabel.text()

    def is_busy(self) -> bool:
        return self._busy

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
        super().changeEvent(event)
