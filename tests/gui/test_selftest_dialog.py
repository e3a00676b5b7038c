"""Help → Self-test: the core's steps run in a worker while the window stays usable, and the
dialog lists one line per step in the interface language; the window's own step passes in
the test's application too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.records.service import Workspace
from app.core.selftest import CORE_STEPS, ENGLISH_QM, StepResult, run_self_test
from app.ui.i18n import qm_path, switch_language
from app.ui.selftest import window_step
from app.ui.selftest_dialog import SelfTestDialog, result_line
from tests.support.incident import OFFSCREEN_NOISE
from tests.support.main_window import build_translations, show_main_window, wait_for_workers

pytestmark = OFFSCREEN_NOISE


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


def test_help_self_test_lists_every_step_passing(
    qtbot: QtBot, workspace: Workspace, cjk_family: str | None
) -> None:
    window, _, _ = show_main_window(qtbot, workspace)
    help_texts = [a.text() for a in window.menus.help_menu.actions() if not a.isSeparator()]
    assert "自检(&T)…" in help_texts
    window.menus.self_test_action.trigger()
    dialog = window.findChild(SelfTestDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.statusLabel.text().startswith("正在自检")
    assert window.isEnabled()  # the steps run in a worker: the window keeps painting
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60_000)
    wait_for_workers(qtbot)
    assert dialog.results() == [step.name for step in CORE_STEPS]
    lines = [dialog.resultsList.item(i).text() for i in range(dialog.resultsList.count())]
    assert all(line.startswith("✓") and line.endswith("：通过") for line in lines), lines
    assert lines[0] == "✓  程序资源：规则库、中文字体和界面翻译：通过"
    assert "cn-national-2021" in dialog.resultsList.item(0).toolTip()  # what the core checked
    assert dialog.statusLabel.text().startswith("自检通过：9 项全部通过")
    assert dialog.copyButton.isEnabled()
    dialog.copy_results()
    assert QApplication.clipboard().text().splitlines()[0] == lines[0]
    dialog.closeButton.click()
    qtbot.waitUntil(lambda: window.findChild(SelfTestDialog) is None)


def test_lines_follow_the_interface_language(qapp: QApplication, qtbot: QtBot) -> None:
    build_translations()
    failed = StepResult("report", "签名报告 (signed PDF)", False, "no Chinese font found", 0.2)
    skipped = StepResult("export", "导出同步包", False, "not run", 0.0, skipped=True)
    assert (
        result_line(failed) == "✗  签名报告：生成 PDF 并核验其签名：未通过。no Chinese font found"
    )
    switch_language(qapp, "en")
    try:
        assert result_line(failed) == (
            "✗  Signed report: the PDF written and its signature verified: FAILED. "
            "no Chinese font found"
        )
        assert result_line(skipped) == (
            "–  Bundle export: encrypted to the institution: not run (a step it needs did not pass)"
        )
        dialog = SelfTestDialog()
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "Self-test"
        assert dialog.statusLabel.text() == "Checking (step 1 of 9)…"
    finally:
        switch_language(qapp, "zh_CN")


def test_the_window_step_passes_here(qapp: QApplication, cjk_family: str | None) -> None:
    assert qm_path("en").name == ENGLISH_QM  # the core checks for the file the app loads
    report = run_self_test([window_step()])
    assert report.ok, report.results[0].detail
    assert "draws Chinese" in report.results[0].detail
