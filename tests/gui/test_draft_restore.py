"""A draft survives the process being killed: a child process runs the incident window, types,
and is killed with SIGKILL once the window says the draft is saved; reopening shows it all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.support.incident import OFFSCREEN_NOISE, Site, build_site, new_window, open_site

pytestmark = [OFFSCREEN_NOISE, pytest.mark.skipif(os.name != "posix", reason="uses SIGKILL")]

CHILD = r"""
import json, sys
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

app = QApplication([])
from app.core.records.service import Workspace
from app.ui.incident.window import IncidentWindow

def type_text(widget, text):
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )

ws = Workspace.open(sys.argv[1])
session_id = ws.list_sessions()[0]["id"]
window = IncidentWindow(ws, session_id)
window.show()
ui = window.ui
type_text(ui.personEdit, "李四")
type_text(ui.searchEdit, "手机")
ui.usedButton.click()
ui.descriptionEdit.setFocus()
ui.descriptionEdit.moveCursor(ui.descriptionEdit.textCursor().MoveOperation.End)
type_text(ui.descriptionEdit, "另：手机藏在袖口。")
type_text(ui.statementEdit, "我只是看时间。")
ui.addSeizedButton.click()
ui.seizedTable.item(0, 0).setText("手机一部")
ui.seizedTable.item(0, 1).setText("SZ-0099")
ui.cameraEdit.setText("C-07")
ui.addVideoButton.click()

def report():
    if window.autosaver.pending or not ui.saveState.text().startswith("已保存"):
        return
    timer.stop()
    print(json.dumps({
        "id": window.incident_id,
        "description": ui.descriptionEdit.toPlainText(),
        "statement": ui.statementEdit.toPlainText(),
        "time": ui.timeEdit.dateTime().toString("yyyy-MM-dd HH:mm"),
    }, ensure_ascii=False), flush=True)

timer = QTimer()
timer.timeout.connect(report)
timer.start(20)
app.exec()
"""


@pytest.fixture
def site_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    build_site(folder)
    return folder


@pytest.fixture
def reopened(site_folder: Path, tmp_path: Path) -> Iterator[tuple[Site, dict[str, str]]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(site_folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
        encoding="utf-8",
    )
    with child:
        try:
            assert child.stdout is not None
            line = child.stdout.readline()  # blocks until the window says "saved"
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert line, "the child process ended before its draft was saved"
    shown = json.loads(line)
    site = open_site(site_folder, tmp_path / "copy")  # a copy, as left on disk by the kill
    yield site, shown
    site.workspace.close()


def test_killed_window_reopens_the_draft_exactly(
    qtbot: QtBot, reopened: tuple[Site, dict[str, str]], cjk_family: str | None
) -> None:
    from app.ui.incident.drafts import unfinished_drafts

    site, shown = reopened
    assert unfinished_drafts(site.workspace, site.session_id) == [shown["id"]]
    window = new_window(qtbot, site, shown["id"])
    ui = window.ui
    assert ui.descriptionEdit.toPlainText() == shown["description"]
    assert shown["description"].endswith("另：手机藏在袖口。")
    assert ui.statementEdit.toPlainText() == shown["statement"] == "我只是看时间。"
    assert ui.timeEdit.dateTime().toString("yyyy-MM-dd HH:mm") == shown["time"]
    assert window.picker.current is not None and window.picker.current.name == "李四"
    assert ui.personEdit.text() == "李四"
    assert window.behaviour.clause is not None and window.behaviour.clause.id == "6.1"
    assert (ui.seizedTable.item(0, 0).text(), ui.seizedTable.item(0, 1).text()) == (
        "手机一部",
        "SZ-0099",
    )
    assert ui.videoList.count() == 1 and "C-07" in ui.videoList.item(0).text()
    assert ui.roomCombo.currentData() == "第1考场" and ui.seatSpin.value() == 7
    assert "取消当次全部科目评价成绩" in ui.outcomeSummary.text()
    # Reopening is not a change: nothing is saved again and no signature state moves.
    assert not window.autosaver.pending
