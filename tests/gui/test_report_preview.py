"""The report preview: a signed incident report of the demo session opens, saves byte for byte
(and still verifies), prints through a replaced print dialog, and is built off the GUI thread."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.demo.seed import DemoSession, seed_demo
from app.core.records.service import Workspace
from app.core.reports.pdf_verification import check_pdf
from app.core.reports.signed import incident_job
from app.core.reports.views import Copy, mask_id_number
from app.ui.reports import actions, preview
from app.ui.reports.preview import PdfOpenError, ReportPreviewDialog, print_pdf
from app.ui.workers import running_workers

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler-utils")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSession]:
    folder = tmp_path_factory.mktemp("data")
    with Workspace.open(folder) as workspace:
        session = seed_demo(workspace, candidates=30)
    return folder, session


@pytest.fixture
def workspace(demo: tuple[Path, DemoSession]) -> Iterator[Workspace]:
    with Workspace.open(demo[0]) as ws:
        yield ws


@pytest.fixture(scope="module")
def signed_report(demo: tuple[Path, DemoSession]) -> tuple[bytes, str]:
    """A signed incident report (institution's copy) of the first demo incident, and its id."""
    folder, session = demo
    with Workspace.open(folder) as ws:
        job = incident_job(ws, session.incident_ids[0], Copy.INSTITUTION)
    return job.run().pdf, session.incident_ids[0]


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def dialog(qtbot: QtBot, signed_report: tuple[bytes, str]) -> ReportPreviewDialog:
    pdf, _ = signed_report
    widget = ReportPreviewDialog(pdf, "考场违纪违规行为记录", "incident.pdf")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_preview_shows_the_signed_report_and_its_page_count(
    dialog: ReportPreviewDialog, signed_report: tuple[bytes, str], tmp_path: Path
) -> None:
    pdf, _ = signed_report
    (tmp_path / "built.pdf").write_bytes(pdf)
    pages = _pages(tmp_path / "built.pdf")
    assert pages >= 1
    assert dialog.page_count() == pages
    assert dialog.page_label.text() == f"第 1 / {pages} 页"
    assert not dialog.previous_button.isEnabled()
    assert dialog.next_button.isEnabled() == (pages > 1)
    assert dialog.view.document() is dialog.document


def test_page_navigation_and_zoom(dialog: ReportPreviewDialog) -> None:
    if dialog.page_count() < 2:
        pytest.skip("the report has one page")
    dialog.next_button.click()
    assert dialog.current_page() == 1
    assert dialog.page_label.text().startswith("第 2 / ")
    dialog.previous_button.click()
    assert dialog.current_page() == 0
    dialog.zoom_in_button.click()
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.Custom
    dialog.fit_button.click()
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.FitToWidth


def test_save_writes_the_signed_bytes_unchanged_and_they_verify(
    dialog: ReportPreviewDialog,
    signed_report: tuple[bytes, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pdf, record_id = signed_report
    target = tmp_path / "saved"  # no suffix: the dialog adds .pdf
    asked: list[str] = []

    def fake_ask(parent: QWidget | None, suggested: str) -> Path:
        asked.append(suggested)
        return target

    monkeypatch.setattr(preview, "ask_save_path", fake_ask)
    dialog.save_button.click()
    saved = tmp_path / "saved.pdf"
    assert asked == ["incident.pdf"]
    assert dialog.saved_path == saved
    assert saved.read_bytes() == pdf
    check = check_pdf(saved.read_bytes())
    assert check.intact
    assert check.reference is not None and check.reference.record_id == record_id
    assert str(saved) in dialog.status_label.text()


def test_save_cancelled_writes_nothing(
    dialog: ReportPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview, "ask_save_path", lambda parent, suggested: None)
    assert dialog.save_as() is None
    assert dialog.saved_path is None
    assert list(tmp_path.iterdir()) == []


def test_save_into_a_missing_folder_says_so(
    dialog: ReportPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview, "ask_save_path", lambda p, s: tmp_path / "nowhere" / "r.pdf")
    assert dialog.save_as() is None
    assert "无法保存" in dialog.status_label.text()


def test_print_renders_every_page_into_the_printer(
    dialog: ReportPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "printed.pdf"
    seen: list[QPrinter] = []

    def fake_print_dialog(printer: QPrinter, parent: QWidget | None) -> bool:
        seen.append(printer)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    monkeypatch.setattr(preview, "ask_print_dialog", fake_print_dialog)
    printed = dialog.print_report()
    assert len(seen) == 1
    assert printed == dialog.page_count()
    assert _pages(out) == dialog.page_count()
    assert f"{printed}" in dialog.status_label.text()


def test_print_cancelled_prints_nothing(
    dialog: ReportPreviewDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview, "ask_print_dialog", lambda printer, parent: False)
    assert dialog.print_report() == 0


def test_print_honours_a_page_range(dialog: ReportPreviewDialog, tmp_path: Path) -> None:
    if dialog.page_count() < 2:
        pytest.skip("the report has one page")
    out = tmp_path / "page2.pdf"
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    assert print_pdf(dialog.document, printer) == 1
    assert _pages(out) == 1


def test_a_damaged_file_is_refused_with_a_message(qtbot: QtBot) -> None:
    with pytest.raises(PdfOpenError, match="无法打开"):
        ReportPreviewDialog(b"%PDF-1.7 this is not really a pdf")


def test_opens_from_a_file(qtbot: QtBot, signed_report: tuple[bytes, str], tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(signed_report[0])
    widget = ReportPreviewDialog(path)
    qtbot.addWidget(widget)
    assert widget.pdf_bytes == signed_report[0]
    assert widget.page_count() >= 1


def _wait_for(qtbot: QtBot, task: actions.ReportTask | None) -> actions.ReportTask:
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=30_000)
    qtbot.waitUntil(lambda: running_workers() == 0, timeout=5_000)
    return task


def test_incident_action_builds_in_a_worker_and_opens_the_preview(
    qtbot: QtBot, workspace: Workspace, demo: tuple[Path, DemoSession]
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    incident_id = next(
        i for i in demo[1].incident_ids if workspace.incident(i)["party"] == "candidate"
    )
    task = actions.preview_incident_report(parent, workspace, incident_id, "candidate")
    assert task is not None
    assert not task.done  # returned at once: the build runs in the worker
    task = _wait_for(qtbot, task)
    assert task.error is None and task.dialog is not None
    dialog = task.dialog
    assert dialog.isVisible() and dialog.parent() is parent
    assert "当事人联" in dialog.windowTitle()
    assert dialog.suggested_name.endswith("-candidate.pdf")
    check = check_pdf(dialog.pdf_bytes)
    assert check.intact and check.reference is not None
    assert check.reference.record_id == incident_id
    person = workspace.incident(incident_id)["content"]["person"]
    shown = "".join(dialog.document.getAllText(0).text().split())
    assert person["name"] in shown
    assert person["id_number"] not in shown  # the candidate's copy masks the ID number
    assert mask_id_number(person["id_number"]) in shown
    dialog.close_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_session_summary_and_blank_form_actions(
    qtbot: QtBot, workspace: Workspace, demo: tuple[Path, DemoSession]
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    for start in (actions.preview_session_summary, actions.preview_blank_form):
        task = _wait_for(qtbot, start(parent, workspace, demo[1].session_id))
        assert task.error is None and task.dialog is not None
        assert task.dialog.page_count() >= 1
        assert check_pdf(task.dialog.pdf_bytes).intact
        task.dialog.close()


def test_unknown_incident_is_said_not_raised(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("app.ui.errors.ask_show_user_error", lambda p, m: shown.append(m))
    assert actions.preview_incident_report(None, workspace, "no-such-record", "institution") is None
    assert len(shown) == 1 and "no-such-record" in shown[0]
