"""What the incident window does besides editing: evidence files and video references, and
after confirmation amending (a new version with a reason), voiding and returning seized items.

A mixin of ``IncidentWindow`` (it uses the window's workspace, form and record detail).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from app.core.errors import UserError
from app.core.rulebook.model import StaffRole
from app.ui.incident import dialogs
from app.ui.incident.attachments import sizes_apart
from app.ui.incident.lifecycle_dialogs import ReasonDialog, ReturnDialog

if TYPE_CHECKING:
    import datetime as dt

    from PySide6.QtCore import SignalInstance

    from app.core.records.service import Workspace
    from app.core.records.tables import Staff
    from app.ui.generated.ui_incident_window import Ui_IncidentWindow
    from app.ui.incident.attachments import EvidenceList, SeizedTable, VideoList

translate = QCoreApplication.translate


class RecordActions:
    """Evidence, video, amend, void and return handlers of the incident window."""

    if TYPE_CHECKING:
        workspace: Workspace
        ui: Ui_IncidentWindow
        detail: dict[str, Any] | None
        incident_id: str | None
        operator_id: str | None
        staff: list[Staff]
        evidence: EvidenceList
        videos: VideoList
        seized: SeizedTable
        saved: SignalInstance
        lifecycle_dialog: QWidget | None

        def ensure_saved(self) -> str | None: ...
        def occurred_at(self) -> dt.datetime: ...
        def load(self, incident_id: str) -> None: ...
        def _reload_detail(self) -> None: ...

    # -- evidence and video ------------------------------------------------------------------------

    def add_evidence(self) -> None:
        files = dialogs.ask_evidence_files(self._widget())
        if not files:
            return
        limit = self.workspace.evidence_limit
        messages = []
        for name in files:
            path = Path(name)
            size = path.stat().st_size if path.is_file() else 0
            if size > limit:
                shown, allowed = sizes_apart(size, limit)
                messages.append(
                    translate(
                        "IncidentWindow",
                        "%1 有 %2，超过 %3 的上限，未添加：请附较短的片段，"
                        "或在描述中注明原文件的保存位置。",
                    )
                    .replace("%1", path.name)
                    .replace("%2", shown)
                    .replace("%3", allowed)
                )
                continue
            incident_id = self.ensure_saved()
            if incident_id is None:
                return
            try:
                self.workspace.attach_evidence(incident_id, path)
            except UserError as exc:
                messages.append(str(exc))
        self.ui.evidenceMessage.setText("\n".join(messages))
        self.ui.evidenceMessage.setStyleSheet("color: #b00020;" if messages else "")
        self._reload_detail()
        if self.detail is not None:
            self.evidence.set_entries(self.detail["content"]["evidence"])

    def add_video(self) -> None:
        if not self.videos.add(self.occurred_at().date()):
            self.ui.saveState.setStyleSheet("color: #b00020;")
            self.ui.saveState.setText(self.videos.message)

    # -- after confirmation ------------------------------------------------------------------------

    def _widget(self) -> QWidget:
        assert isinstance(self, QWidget)  # mixed into the window
        return self

    def _open_dialog(self, dialog: QWidget) -> None:
        self.lifecycle_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # type: ignore[attr-defined]

    def amend(self) -> None:
        """A new version of the confirmed record, with a reason; it opens here for editing."""
        old_id = self.incident_id
        if old_id is None:
            return

        def submit(reason: str, _staff: object, _pin: str | None) -> None:
            new = self.workspace.amend(
                old_id, self.workspace.draft_of(old_id), self.operator_id, reason=reason
            )
            self.load(new.id)
            self.saved.emit(new.id)

        self._open_dialog(
            ReasonDialog(
                translate("IncidentWindow", "修订记录"),
                translate(
                    "IncidentWindow",
                    "修订会生成新版本，原版本保留；新版本须重新签名并由考场负责人确认。请写明修订原因。",
                ),
                submit,
                None,
                self._widget(),
            )
        )

    def void(self) -> None:
        incident_id = self.ensure_saved()
        if incident_id is None or self.detail is None:
            return
        person = self.detail["content"]["person"]
        role = StaffRole.SITE_HEAD
        if person is not None and person.get("role") == StaffRole.SITE_HEAD:
            role = StaffRole.SUPERVISOR
        approvers = [s for s in self.staff if s.role == role]

        def submit(reason: str, staff: Any, pin: str | None) -> None:
            if staff is None:
                raise UserError(translate("IncidentWindow", "请选择考场负责人。"))
            self.workspace.void(incident_id, staff.id, reason, pin)
            self._reload_detail()
            self.saved.emit(incident_id)

        version = int(self.detail["version"])
        title = translate("IncidentWindow", "作废记录")
        text = translate("IncidentWindow", "作废须写明原因，并由考场负责人输入 PIN 批准。")
        if version > 1:
            # Voiding an amendment discards the amendment only: the version before stands.
            title = translate("IncidentWindow", "作废本次修订（第%1版）").replace(
                "%1", str(version)
            )
            text = translate(
                "IncidentWindow",
                "只作废本次修订：第%1版重新成为有效版本。须写明原因，并由考场负责人输入 PIN 批准。",
            ).replace("%1", str(version - 1))
        self._open_dialog(
            ReasonDialog(
                title,
                text,
                submit,
                approvers,
                self._widget(),
            )
        )

    def _open_receipts(self) -> list[str]:
        """Receipt numbers of seized items not yet handed back."""
        if self.detail is None:
            return []
        returned = {r["receipt_number"] for r in self.detail["returns"]}
        return [
            s["receipt_number"]
            for s in self.detail["content"]["seized_items"]
            if s["receipt_number"] not in returned
        ]

    def record_return(self) -> None:
        """The current row's item (else the first one still held) is handed back."""
        open_receipts = self._open_receipts()
        if self.detail is None or self.incident_id is None or not open_receipts:
            return
        receipt = self.seized.current_receipt()
        if receipt not in open_receipts:
            receipt = open_receipts[0]
        person = self.detail["content"]["person"]
        incident_id = self.incident_id

        def submit(returned_to: str, staff: Any, pin: str | None, strokes: Any) -> None:
            self.workspace.record_return(incident_id, receipt, returned_to, staff.id, strokes, pin)
            self.load(incident_id)

        self._open_dialog(
            ReturnDialog(
                receipt,
                person["name"] if person else "",
                self.staff,
                self.operator_id,
                submit,
                self._widget(),
            )
        )
