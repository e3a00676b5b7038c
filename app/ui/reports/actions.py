"""Open a signed report in the preview: what the main window and the incident window call.

The record is read on the GUI thread (the workspace's database connection lives there; reading
one record takes milliseconds); laying out the PDF and signing it, the slow part (pyHanko's
first import alone takes most of a second), runs in a worker while a small busy dialog says
so. When the PDF is ready the preview opens, window-modal over ``parent``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.core.reports.views import Copy
from app.ui.errors import handle_error
from app.ui.reports.preview import ReportPreviewDialog
from app.ui.workers import run_in_worker

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.core.reports.signed import ReportJob, SignedReport

_CTX = "ReportActions"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


@dataclass
class ReportTask:
    """A report being built; ``dialog`` is set once the preview is open, ``error`` if it
    failed. ``done`` is True either way (tests wait for it)."""

    title: str
    dialog: ReportPreviewDialog | None = None
    error: BaseException | None = None
    done: bool = False
    progress: QProgressDialog | None = field(default=None, repr=False)


def window_title(job: ReportJob) -> str:
    """The preview's title in the interface language (the PDF itself stays in Chinese)."""
    from app.core.reports.views import IncidentReportView, SessionSummaryView

    view = job.view
    if isinstance(view, IncidentReportView):
        copy = {
            Copy.INSTITUTION: _tr("评价机构留存联"),
            Copy.CANDIDATE: _tr("当事人联"),
        }.get(job.copy, job.copy.value)
        return (
            _tr("考场违纪违规行为记录 %1 第 %2 版 · %3")
            .replace("%1", view.record_number)
            .replace("%2", str(view.version))
            .replace("%3", copy)
        )
    if isinstance(view, SessionSummaryView):
        return _tr("考场违纪违规情况汇总 %1").replace("%1", view.session.session_code)
    return _tr("考场违纪违规行为记录（纸质备用表）%1").replace("%1", view.session.session_code)


def preview_incident_report(
    parent: QWidget | None, workspace: Workspace, incident_id: str, copy: Copy | str
) -> ReportTask | None:
    """The incident record's PDF (the institution's or the candidate's copy), signed, in the
    preview. None when the record cannot be read (the reason is shown)."""
    from app.core.reports.signed import incident_job

    return _start(parent, lambda: incident_job(workspace, incident_id, Copy(copy)))


def preview_session_summary(
    parent: QWidget | None, workspace: Workspace, session_id: str
) -> ReportTask | None:
    """The session summary's PDF, signed, in the preview."""
    from app.core.reports.signed import session_summary_job

    return _start(parent, lambda: session_summary_job(workspace, session_id))


def preview_blank_form(
    parent: QWidget | None, workspace: Workspace, session_id: str
) -> ReportTask | None:
    """The blank paper incident form of the session, signed, in the preview (to print)."""
    from app.core.reports.signed import blank_form_job

    return _start(parent, lambda: blank_form_job(workspace, session_id))


def _start(parent: QWidget | None, read: Callable[[], ReportJob]) -> ReportTask | None:
    try:
        job = read()
    except Exception as exc:  # a UserError is said to the person; anything else logged
        handle_error(exc, parent=parent)
        return None
    title = window_title(job)
    task = ReportTask(title)
    busy = QProgressDialog(_tr("正在生成并签名报告…"), "", 0, 0, parent)
    busy.setWindowTitle(_tr("报告"))
    busy.setCancelButton(None)  # the build takes a second or so and cannot be interrupted
    busy.setWindowModality(Qt.WindowModality.WindowModal)
    busy.setMinimumDuration(300)  # quick builds show no flash of a dialog
    busy.setValue(0)
    task.progress = busy

    def finished() -> None:
        busy.reset()
        busy.deleteLater()
        task.progress = None
        task.done = True

    def done(result: object) -> None:
        finished()
        signed: SignedReport = result  # type: ignore[assignment]
        try:
            dialog = ReportPreviewDialog(signed.pdf, title, signed.file_name, parent)
        except Exception as exc:
            task.error = exc
            handle_error(exc, parent=parent)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        task.dialog = dialog
        dialog.open()

    def failed(exc: BaseException) -> None:
        finished()
        task.error = exc
        handle_error(exc, parent=parent)

    run_in_worker(job.run, done, failed)
    return task
