"""Signed reports for the app: read the records, then build and sign anywhere.

A ``ReportJob`` holds everything read from the database (the report's view, where the signing
identity lives, the session it belongs to), so the slow part, laying out the PDF and signing
it (pyHanko's first import alone takes most of a second), can run off the thread that owns the
database connection: ``job_for_…(workspace, …)`` on that thread, ``job.run()`` in a worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import UserError
from app.core.reports.views import BlankFormView, Copy, IncidentReportView, SessionSummaryView

if TYPE_CHECKING:
    from app.core.records.service import Workspace


class RecordNotIntactError(UserError):
    """The record fails verification: no signed report is made of it."""

    def __init__(self, number: str, version: int, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"记录 {number} 第 {version} 版未通过完整性校验，不出具签名报告"
            f"（运行 proctor-desk verify 查看全部问题）。\n"
            f"record {number} v{version} fails verification, so no signed report is made of "
            f"it: {'; '.join(problems)}"
        )


class CandidateCopyRefusedError(UserError):
    """A draft, unconfirmed or void record: no signed copy is handed to the person it concerns."""

    def __init__(self, number: str, version: int, status: str) -> None:
        self.status = status
        why = {
            "void": ("已作废", "is void"),
            "draft": ("为草稿，尚未签名确认", "is a draft, not yet signed and confirmed"),
            "signed": ("尚待考场负责人确认", "is not yet confirmed by the site head"),
        }.get(status, (f"状态为 {status}", f"is {status}"))
        super().__init__(
            f"记录 {number} 第 {version} 版{why[0]}，不出具签名的当事人联"
            "（可出具评价机构留存联，每页标明其状态）。\n"
            f"record {number} v{version} {why[1]}: no signed copy is made for the person it "
            "concerns (the institution's copy can be printed; every page states the status)."
        )


@dataclass(frozen=True)
class SignedReport:
    """A signed PDF and what to call it."""

    pdf: bytes
    title: str  # for a window title or a print job
    file_name: str  # a suggestion for "save as"
    signer: str  # the certificate's name, as the PDF's signature gives it


@dataclass(frozen=True)
class ReportJob:
    """One report, read from the database and ready to be built and signed on any thread."""

    view: IncidentReportView | SessionSummaryView | BlankFormView
    data_dir: Path
    device_code: str
    session_id: str
    title: str
    file_name: str
    copy: Copy = Copy.INSTITUTION

    def build(self) -> bytes:
        """The unsigned PDF."""
        if isinstance(self.view, IncidentReportView):
            from app.core.reports.incident import build_incident_pdf

            return build_incident_pdf(self.view, self.copy)
        if isinstance(self.view, SessionSummaryView):
            from app.core.reports.session_summary import build_session_summary_pdf

            return build_session_summary_pdf(self.view)
        from app.core.reports.blank_form import build_blank_form_pdf

        return build_blank_form_pdf(self.view)

    def run(self) -> SignedReport:
        """Build the PDF and sign it with the site certificate (when a kit certified this
        laptop for the session) or the device's own."""
        from app.core.reports.pdf_signing import PdfSigner
        from app.core.trust.pdf_identity import report_identity

        identity = report_identity(self.data_dir, self.device_code, self.session_id)
        pdf = PdfSigner(identity).sign(self.build(), reason=self.title)
        return SignedReport(pdf, self.title, self.file_name, identity.signer_name)


def incident_job(workspace: Workspace, ref: str, copy: Copy = Copy.INSTITUTION) -> ReportJob:
    """The incident record ``ref`` (id, unique start of one, or record number)."""
    from app.core.reports.from_records import incident_view
    from app.core.reports.incident import COPY_LABELS, TITLE

    view = incident_view(workspace, ref)
    if copy is Copy.CANDIDATE and not view.confirmed:
        # Handed to the person, a signed copy would read as the record against them; a draft
        # may still change and a void record is none.
        raise CandidateCopyRefusedError(view.record_number, view.version, view.status)
    # A signed report vouches for the record: never sign one that fails verification (a
    # record edited in the database file would otherwise be printed as if intact).
    problems = workspace.record_problems(view.record_id)
    if problems:
        raise RecordNotIntactError(view.record_number, view.version, problems)
    session_id = str(workspace.incident(view.record_id)["session_id"])
    return ReportJob(
        view=view,
        data_dir=workspace.data_dir,
        device_code=workspace.device.code,
        session_id=session_id,
        title=f"{TITLE} {view.record_number} 第 {view.version} 版 · {COPY_LABELS[copy]}",
        file_name=_file_name(f"incident-{view.record_number}-v{view.version}-{copy.value}"),
        copy=copy,
    )


def session_summary_job(workspace: Workspace, session_ref: str) -> ReportJob:
    from app.core.reports.from_records import session_summary_view
    from app.core.reports.session_summary import TITLE

    session_id = workspace.resolve_session_id(session_ref)
    workspace.refuse_if_purged(session_id)  # its summary would show no records
    view = session_summary_view(workspace, session_id)
    return ReportJob(
        view=view,
        data_dir=workspace.data_dir,
        device_code=workspace.device.code,
        session_id=session_id,
        title=f"{TITLE} {view.session.session_code}",
        file_name=_file_name(f"session-{view.session.session_code}"),
    )


def blank_form_job(workspace: Workspace, session_ref: str) -> ReportJob:
    from app.core.reports.from_records import blank_form_view
    from app.core.reports.incident import TITLE

    session_id = workspace.resolve_session_id(session_ref)
    view = blank_form_view(workspace, session_id)
    return ReportJob(
        view=view,
        data_dir=workspace.data_dir,
        device_code=workspace.device.code,
        session_id=session_id,
        title=f"{TITLE}（纸质备用表）{view.session.session_code}",
        file_name=_file_name(f"paper-form-{view.session.session_code}"),
    )


def _file_name(stem: str) -> str:
    # Record numbers and session codes are letters, digits and dashes; anything else a file
    # system may refuse (on Windows too) becomes a dash.
    return re.sub(r"[^0-9A-Za-z._-]+", "-", stem).strip("-.") + ".pdf"
