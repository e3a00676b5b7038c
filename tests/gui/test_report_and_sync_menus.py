"""Reached from the main window: the 报告 menu (session summary, blank paper form), the 同步 menu
(export a bundle on the laptop, import bundles at the institution), and the incident window's
打印/导出记录 (institution's and candidate's copy)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.demo.seed import DemoSession, seed_demo
from app.core.records.app_state import AppSettings, save_settings
from app.core.records.service import Workspace
from app.ui.main_window import MainWindow
from app.ui.reports.actions import ReportTask
from tests.support.main_window import PINS, show_main_window, wait_for_workers


def pdf_text(path: Path) -> str:
    import subprocess
    import unicodedata

    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return unicodedata.normalize("NFKC", text)  # the printed font joins "ff" into one glyph


LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


@pytest.fixture
def shown(qtbot: QtBot, workspace: Workspace) -> tuple[MainWindow, str, dict[str, str]]:
    return show_main_window(qtbot, workspace)


def unlock(qtbot: QtBot, window: MainWindow, staff_id: str, pin: str) -> None:
    window.lock_screen.select_staff(staff_id)
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, pin)
    qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    assert window.is_unlocked()


def wait_report(qtbot: QtBot, task: ReportTask | None) -> ReportTask:
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=60_000)
    assert task.error is None, task.error
    assert task.dialog is not None  # deletes itself on close (the tests close it)
    return task


def test_report_and_sync_menus_only_for_an_unlocked_session(
    qtbot: QtBot, shown: tuple[MainWindow, str, dict[str, str]]
) -> None:
    window, _, staff = shown
    titles = [a.text() for a in window.menus.report_menu.actions()]
    assert titles == ["场次汇总(&S)…", "纸质备用表(&B)…"]
    menus = window.menus
    assert [a.text() for a in menus.sync_menu.actions()] == ["导出同步包(&E)…", "导入同步包(&I)…"]
    locked = (menus.summary_action, menus.blank_form_action, menus.export_bundle_action)
    assert not any(a.isEnabled() for a in locked)
    assert not window.menus.import_bundles_action.isEnabled()  # a locked session is showing
    assert window.show_session_summary() is None  # nothing opens behind the lock
    unlock(qtbot, window, staff["admin"], PINS["admin"])
    assert all(a.isEnabled() for a in locked)
    assert window.menus.import_bundles_action.isEnabled()
    window.menus.lock_action.trigger()
    assert not any(a.isEnabled() for a in locked)


def test_session_summary_and_blank_form_open_in_the_preview(
    qtbot: QtBot, shown: tuple[MainWindow, str, dict[str, str]]
) -> None:
    window, _, staff = shown
    unlock(qtbot, window, staff["head"], PINS["head"])
    summary = wait_report(qtbot, window.show_session_summary())
    assert summary.dialog is not None and summary.dialog.isVisible()
    assert summary.dialog.pdf_bytes.startswith(b"%PDF-")
    summary.dialog.close()
    blank = wait_report(qtbot, window.show_blank_form())
    assert blank.dialog is not None and blank.title != summary.title
    blank.dialog.close()


def test_export_bundle_from_the_sync_menu(
    qtbot: QtBot,
    shown: tuple[MainWindow, str, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.ui.sync import export_dialog

    window, session_id, staff = shown
    unlock(qtbot, window, staff["admin"], PINS["admin"])
    window.menus.export_bundle_action.trigger()
    dialog = window.findChild(export_dialog.ExportBundleDialog)
    assert dialog is not None and dialog.isVisible()
    assert not dialog.exportButton.isEnabled()  # no file chosen yet
    target = tmp_path / "out" / "first"
    target.parent.mkdir()
    monkeypatch.setattr(export_dialog, "ask_bundle_path", lambda parent, suggested: str(target))
    qtbot.mouseClick(dialog.chooseButton, LEFT)
    assert dialog.pathEdit.text() == str(target) + ".pdbundle"

    # Only what changed since the last bundle: there is none yet, said in place.
    dialog.sinceLastCheck.setChecked(True)
    qtbot.mouseClick(dialog.exportButton, LEFT)
    wait_for_workers(qtbot)
    assert "no earlier bundle" in dialog.messageLabel.text()
    assert dialog.result_ is None and not dialog.copyButton.isVisible()

    dialog.sinceLastCheck.setChecked(False)
    progress: list[int] = []
    dialog.progressBar.valueChanged.connect(progress.append)
    qtbot.mouseClick(dialog.exportButton, LEFT)
    wait_for_workers(qtbot)
    assert dialog.result_ is not None and dialog.result_.mode == "full"
    assert Path(dialog.pathEdit.text()).is_file()
    assert progress and progress[-1] == 100
    text = dialog.receiptView.toPlainText()
    receipt = dialog.result_.receipt
    # In the interface language, for the paper log: id, short hash, the device's fingerprint.
    assert text.startswith(f"同步包编号：{receipt.bundle_id}")
    assert f"校验码（SHA-256 前16位）：{receipt.short_hash}" in text
    # Short codes to copy by hand, the time local to the session (UTC+08:00 for the demo);
    # the two 64-digit codes are on the printed receipt only.
    assert f"设备指纹（前16位）：{receipt.short_fingerprint}" in text
    assert len(receipt.short_fingerprint.replace(" ", "")) == 16
    assert receipt.sha256 not in text and receipt.signer_fingerprint not in text
    assert "UTC+08:00" in text and receipt.created_at not in text
    assert session_id in text and dialog.copyButton.isVisible()
    qtbot.mouseClick(dialog.copyButton, LEFT)
    assert QApplication.clipboard().text() == text
    # Printed: a PDF printer stands in for the print dialog's choice.
    from PySide6.QtPrintSupport import QPrinter

    printed = tmp_path / "receipt.pdf"

    def pdf_printer(parent: object) -> QPrinter:
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    monkeypatch.setattr(export_dialog, "ask_printer", pdf_printer)
    assert dialog.printButton.isVisible()
    qtbot.mouseClick(dialog.printButton, LEFT)
    words = pdf_text(printed)
    assert "同步包交接回执" in words and receipt.sha256 in words.replace("\n", "")
    assert receipt.bundle_id in words and "接收人签名" in words
    # The file just written cannot be chosen again; an existing file is refused in place
    # before anything starts, and the receipt stays to be copied.
    assert not dialog.exportButton.isEnabled()
    dialog.pathEdit.setText(str(target.parent / "taken.pdbundle"))
    (target.parent / "taken.pdbundle").write_bytes(b"x")
    qtbot.mouseClick(dialog.exportButton, LEFT)
    assert dialog.messageLabel.text() == "该文件已存在，请另选文件名。"
    assert dialog.receiptView.isVisible() and dialog.receiptView.toPlainText() == text

    # A failed export leaves no receipt on screen, and nothing to copy.
    dialog.pathEdit.setText(str(tmp_path / "missing-folder" / "x.pdbundle"))
    dialog.sinceLastCheck.setChecked(True)
    qtbot.mouseClick(dialog.exportButton, LEFT)
    wait_for_workers(qtbot)
    assert dialog.result_ is None and dialog.messageLabel.text()
    assert not dialog.receiptView.isVisible() and not dialog.copyButton.isVisible()
    QApplication.clipboard().setText("before")
    dialog.copy_receipt()
    assert QApplication.clipboard().text() == "before"

    # And now the incremental one after it.
    dialog.pathEdit.setText(str(tmp_path / "out" / "second.pdbundle"))
    dialog.sinceLastCheck.setChecked(True)
    first_id = receipt.bundle_id
    qtbot.mouseClick(dialog.exportButton, LEFT)
    wait_for_workers(qtbot)
    assert dialog.result_ is not None and dialog.result_.mode == "incremental"
    assert dialog.receiptView.isVisible()
    assert dialog.result_.previous_bundle_id == first_id
    dialog.close()


def test_import_bundles_from_the_sync_menu(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.accounts.service import ADMIN, add_account
    from app.core.trust.institution import init_institution
    from app.ui import errors
    from app.ui.sync import import_dialog

    init_institution(workspace.data_dir, "示范鉴定中心", "admin-pass-1")
    add_account(
        workspace, "wang.admin", ADMIN, "admin password 1", institution_passphrase="admin-pass-1"
    )
    save_settings(workspace.data_dir, AppSettings("Institution"))
    window = MainWindow(workspace.data_dir, workspace=workspace)
    qtbot.addWidget(window)
    window.show()
    # The institution's computer opens on its sign-in: nothing is offered before it.
    assert window.current_page() is window.institution_login
    assert not window.menus.import_bundles_action.isEnabled()
    window.menus.switch_action.trigger()  # no way round the sign-in
    assert window.current_page() is window.institution_login
    login = window.institution_login
    assert login is not None
    login.name_edit.setText("wang.admin")
    login.password_edit.setText("admin password 1")
    login.submit()
    assert window.current_page() is window.institution_home
    assert window.menus.import_bundles_action.isEnabled()
    assert not window.menus.export_bundle_action.isEnabled()  # no session open
    shown_errors: list[str] = []
    monkeypatch.setattr(errors, "ask_show_user_error", lambda _p, text: shown_errors.append(text))
    monkeypatch.setattr(import_dialog, "ask_institution_passphrase", lambda _p: "wrong-pass")
    assert window.import_bundles() is None
    assert shown_errors == ["机构密钥口令不正确，请重新输入。"]
    monkeypatch.setattr(import_dialog, "ask_institution_passphrase", lambda _p: "admin-pass-1")
    window.menus.import_bundles_action.trigger()
    dialog = window.findChild(import_dialog.BundleImportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSession]:
    folder = tmp_path_factory.mktemp("demo")
    with Workspace.open(folder) as ws:
        session = seed_demo(ws, candidates=8, incidents=2)
    return folder, session


def test_incident_window_prints_both_copies_once_saved(
    qtbot: QtBot, demo: tuple[Path, DemoSession]
) -> None:
    from app.ui.incident.window import IncidentWindow

    folder, session = demo
    with Workspace.open(folder) as ws:
        head = next(s for s in ws.staff(session.session_id) if s.role == "site_head")
        fresh = IncidentWindow(ws, session.session_id, operator_id=head.id)
        qtbot.addWidget(fresh)
        fresh.show()
        assert not fresh.ui.printButton.isVisible()  # nothing saved, nothing to print
        assert fresh.print_report("institution") is None
        fresh.close()

        window = IncidentWindow(
            ws, session.session_id, incident_id=session.incident_ids[0], operator_id=head.id
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert window.ui.printButton.isVisible() and window.ui.printButton.isEnabled()
        menu = window.ui.printButton.menu()
        assert [a.text() for a in menu.actions()] == ["评价机构留存联(&I)…", "当事人联(&C)…"]
        titles = []
        for action in menu.actions():
            action.trigger()
            task = wait_report(qtbot, window.report_task)
            assert task.dialog is not None
            titles.append(task.dialog.suggested_name)
            task.dialog.close()
        institution_copy, candidate_copy = titles
        assert institution_copy.endswith("institution.pdf")
        assert candidate_copy.endswith("candidate.pdf")
        window.close()
