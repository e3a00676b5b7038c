"""File → 誊录纸质记录: the window enters a paper record with its scan, confirmed and sealed
under the site head's PIN, as ``incident transcribe`` does; problems are said in place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.records.incidents import IncidentFilters
from app.core.records.service import Workspace
from app.ui import transcription_dialog
from app.ui.main_window import MainWindow
from app.ui.transcription_dialog import TranscriptionDialog
from tests.support.main_window import PINS, show_main_window, wait_for_workers
from tests.support.transcription import write_record, write_scan

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


@pytest.fixture
def unlocked(qtbot: QtBot, workspace: Workspace) -> tuple[MainWindow, str]:
    window, session_id, staff = show_main_window(qtbot, workspace)
    window.lock_screen.select_staff(staff["admin"])
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, PINS["admin"])
    qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    assert window.is_unlocked()
    return window, session_id


def paper(session_id: str, **changes: Any) -> dict[str, Any]:
    """The paper form of the small session: 陈一 (ticket 26010101) with a phone."""
    record: dict[str, Any] = {
        "session": session_id,
        "paper_form_number": "P-0012",
        "person": {"ticket_number": "26010101"},
        "clause": "5.1",
        "facts": {"warned": True, "refused": True},
        "occurred_at": "2026-01-10T09:40",
        "subject": "理论知识",
        "description": "考生在座位上使用手机，经提醒拒不交出。",
        "signed_on_paper": {"staff": ["赵老师", "钱老师"]},
        "acknowledgement": {"kind": "refused", "witnesses": ["赵老师", "孙督导"]},
    }
    record.update(changes)
    return record


def _records(workspace: Workspace, session_id: str) -> list[Any]:
    return workspace.list_incidents(IncidentFilters(session_id=session_id))


def _open(qtbot: QtBot, window: MainWindow) -> TranscriptionDialog:
    assert window.menus.transcribe_action.isEnabled()
    window.menus.transcribe_action.trigger()
    dialogs = window.findChildren(TranscriptionDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitExposed(dialog)
    return dialog


def test_the_window_transcribes_a_paper_record(
    qtbot: QtBot,
    unlocked: tuple[MainWindow, str],
    workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, session_id = unlocked
    record = write_record(tmp_path, paper(session_id))
    scan = write_scan(tmp_path, "form-P-0012.pdf")
    dialog = _open(qtbot, window)
    chosen = {"选择誊录文件": str(record), "选择纸质记录表扫描件": str(scan)}
    monkeypatch.setattr(transcription_dialog, "ask_open_file", lambda _p, title, _f: chosen[title])
    qtbot.mouseClick(dialog.fileButton, LEFT)
    qtbot.mouseClick(dialog.scanButton, LEFT)
    summary = dialog.summaryView.toPlainText()
    assert "纸质记录表表号：P-0012" in summary
    assert "考生：陈一（准考证号或证件号码 26010101）" in summary
    assert "发生时间：2026-01-10 09:40" in summary
    assert "纸质签名的工作人员：赵老师、钱老师" in summary
    assert "考生拒绝签字，工作人员见证：赵老师、孙督导" in summary
    assert dialog.headCombo.currentText() == "周主任"
    qtbot.keyClicks(dialog.pinEdit, PINS["head"])
    if shots := _shot_folder():
        dialog.grab().save(str(shots / "transcription-dialog.png"))
    with qtbot.waitSignal(dialog.transcribed, timeout=10_000) as emitted:
        qtbot.mouseClick(dialog.transcribeButton, LEFT)
    (incident_id,) = emitted.args
    detail = workspace.incident(incident_id)
    assert detail["status"] == "confirmed"
    marking = detail["content"]["transcription"]
    assert marking["paper_form_number"] == "P-0012"
    assert marking["acknowledgement"]["kind"] == "refused"
    assert marking["transcribed_by"]["name"] == "周主任"
    assert workspace.record_problems(incident_id) == []
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_problems_are_said_in_place_and_nothing_is_saved(
    qtbot: QtBot, unlocked: tuple[MainWindow, str], workspace: Workspace, tmp_path: Path
) -> None:
    window, session_id = unlocked
    dialog = _open(qtbot, window)
    bad = tmp_path / "bad.json"
    bad.write_text('{"session": ', encoding="utf-8")
    dialog.fileEdit.setText(str(bad))
    qtbot.mouseClick(dialog.transcribeButton, LEFT)
    assert "not valid JSON (line 1" in dialog.errorLabel.text()
    assert dialog.summaryView.toPlainText() == ""

    stranger = paper(session_id, person={"ticket_number": "99999999"})
    dialog.fileEdit.setText(str(write_record(tmp_path, stranger, "stranger.json")))
    dialog.scanEdit.setText(str(write_scan(tmp_path)))
    qtbot.keyClicks(dialog.pinEdit, PINS["head"])
    qtbot.mouseClick(dialog.transcribeButton, LEFT)
    assert "person.ticket_number: no candidate with ticket number 99999999" in (
        dialog.errorLabel.text()
    )

    dialog.fileEdit.setText(str(write_record(tmp_path, paper(session_id), "good.json")))
    qtbot.keyClicks(dialog.pinEdit, "0000")
    qtbot.mouseClick(dialog.transcribeButton, LEFT)
    assert dialog.errorLabel.text() == "周主任的PIN码不正确，请重试"
    assert dialog.pinEdit.text() == ""  # a wrong PIN is not kept for another try
    assert "\n" not in dialog.errorLabel.text()
    assert dialog.isVisible()
    assert _records(workspace, session_id) == []
    dialog.reject()


def _shot_folder() -> Path | None:
    """Where to save the dialog's picture for a person to look at ($PROCTOR_DESK_SHOTS)."""
    import os

    folder = os.environ.get("PROCTOR_DESK_SHOTS")
    return Path(folder) if folder else None


def test_the_incident_window_lists_the_paper_signatures(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    from app.core.demo.seed import seed_demo
    from app.core.records.transcription import parse_spec, transcribe_paper
    from app.ui.incident.window import IncidentWindow
    from tests.support.transcription import HEAD_PIN, give_head_pin, paper_record

    demo = seed_demo(workspace, candidates=4, incidents=0)
    head = give_head_pin(workspace, demo)
    spec = parse_spec(paper_record(demo))
    incident = transcribe_paper(workspace, spec, write_scan(tmp_path), head, HEAD_PIN)
    admins = demo.staff["exam_admin"]
    window = IncidentWindow(
        workspace, demo.session_id, incident_id=incident.id, operator_id=admins[0].id
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    listed = window.signing.ui.signaturesList
    lines = [listed.item(i).text() for i in range(listed.count())]
    assert lines[:3] == [
        "依纸质记录誊录（纸质记录表 P-0007）",
        f"工作人员纸质签名：{admins[0].name}、{admins[1].name}",
        "当事人已在纸质记录上签字",
    ]
    assert lines[3].startswith(f"确认：{head}")
    window.close()


@pytest.mark.parametrize("language", ["zh_CN", "en", "pseudo"])
def test_the_dialog_fits_its_text(
    qtbot: QtBot,
    qapp: Any,
    workspace: Workspace,
    tmp_path: Path,
    cjk_family: str | None,
    language: str,
) -> None:
    from app.ui.i18n import switch_language
    from tests.support.layout_check import find_clipped_widgets
    from tests.support.main_window import build_translations, make_session, restore_chinese

    build_translations()
    session_id, _staff = make_session(workspace)
    switch_language(qapp, language)
    try:
        dialog = TranscriptionDialog(workspace, session_id)
        qtbot.addWidget(dialog)
        dialog.fileEdit.setText(str(write_record(tmp_path, paper(session_id))))
        dialog.load_file()
        dialog.show()
        qtbot.waitExposed(dialog)
        if shots := _shot_folder():
            dialog.grab().save(str(shots / f"transcription-dialog-{language}.png"))
        assert find_clipped_widgets(dialog) == []
        if language == "pseudo":  # the translated strings are really in use
            untranslated = ("誊录并确认(&T)", "&Transcribe and confirm")
            assert dialog.transcribeButton.text() not in untranslated
    finally:
        restore_chinese(qapp)
