"""The suite can fail but never hang: a modal dialog nobody expected fails its test at once.

Each case runs a small test file in a separate pytest process with the guard plugin, as the
suite itself loads it, and reads the outcome. The subprocess has its own time limit, so a guard
that stopped working shows as a failure here, not as a hung run.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]

BROKEN = """
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

def test_error_box(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    QMessageBox.warning(parent, "出现意外错误", "很抱歉，程序遇到了意外问题")

def test_file_dialog(qtbot):
    QFileDialog.getOpenFileName(None, "选择名单文件", "", "*.xlsx")

def test_expected_box_is_answered(qtbot, expect_modal):
    seen = []
    expect_modal(lambda box: (seen.append(box.text()), box.accept()))
    QMessageBox.information(None, "无法完成", "名单第3行缺少身份证件号码")
    assert seen == ["名单第3行缺少身份证件号码"]

def test_expected_box_that_never_opens(qtbot, expect_modal):
    expect_modal(lambda box: box.accept())

def test_a_modal_dialog_shown_without_blocking_is_the_test_s_to_drive(qtbot):
    from PySide6.QtWidgets import QDialog
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(100)
    assert dialog.isVisible()
    dialog.accept()

def test_an_error_box_opened_while_the_test_waits_still_fails_it(qtbot):
    from PySide6.QtCore import QTimer
    QTimer.singleShot(0, lambda: QMessageBox.warning(None, "出现意外错误", "在等待时弹出"))
    qtbot.wait(300)
"""


@pytest.fixture
def run_inner(pytester: pytest.Pytester):  # type: ignore[no-untyped-def]
    pytester.makepyfile(test_inner=BROKEN)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}

    def run() -> tuple[pytest.RunResult, float]:
        started = time.monotonic()
        with pytest.MonkeyPatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            result = pytester.runpytest_subprocess(
                "-p", "tests.support.modal_guard", "-p", "no:cacheprovider",
                "-o", "qt_api=pyside6", "-W", "error", "--timeout", "60",
                timeout=90,
            )
        return result, time.monotonic() - started

    return run


def test_unexpected_dialogs_fail_in_seconds_with_their_text(run_inner) -> None:  # type: ignore[no-untyped-def]
    result, seconds = run_inner()
    result.assert_outcomes(passed=2, failed=4)
    out = result.stdout.str()
    unexpected = "a modal dialog opened that the test did not expect (closed by the guard): "
    assert f"{unexpected}QMessageBox '出现意外错误' '很抱歉，程序遇到了意外问题'" in out
    assert f"{unexpected}QFileDialog '选择名单文件'" in out
    assert "1 expected modal dialog(s) never opened" in out
    assert f"{unexpected}QMessageBox '出现意外错误' '在等待时弹出'" in out
    result.stdout.fnmatch_lines(
        ["FAILED test_inner.py::test_error_box*", "FAILED test_inner.py::test_file_dialog*"]
    )
    # Six Qt tests in a fresh process; a guard that waited on a dialog would hit --timeout (60 s).
    assert seconds < 45, f"took {seconds:.1f} s"


def test_every_test_has_a_time_limit(pytestconfig: pytest.Config) -> None:
    # pytest-timeout ends a test that waits on anything else (a lock, a socket, a thread).
    assert 0 < float(pytestconfig.getini("timeout")) <= 300
