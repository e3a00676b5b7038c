"""The start screen through the real main window: the sessions listed by their exam date, a
session created by hand from roster files, roster problems shown row by row with nothing
saved, importing into a session, the demo, and the clock check that follows the first unlock."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlmodel import Session, col, select

from app.core.records.app_state import AppSettings, latest_clock_check, save_settings
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry
from app.ui import start
from app.ui.main_window import MainWindow
from app.ui.start import clock as clock_module
from app.ui.start.problems import problem_rows
from tests.support.main_window import (
    DAY,
    ROSTERS,
    fill_form,
    make_session,
    pick_files,
    wait_for_workers,
)
from tests.support.review_shots import snapshot

LAPTOP_NOW = dt.datetime(2026, 1, 10, 1, 15, tzinfo=dt.UTC)  # 09:15 in Shanghai


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "data")
    yield ws
    ws.close()


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setattr(clock_module, "laptop_now", lambda: LAPTOP_NOW)
    settings = AppSettings("Laptop")
    save_settings(workspace.data_dir, settings)
    win = MainWindow(workspace.data_dir, settings, workspace=workspace)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_create_a_session_from_roster_files_then_unlock_and_check_the_clock(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.current_page() is window.start_screen
    qtbot.mouseClick(window.start_screen.ui.newButton, Qt.MouseButton.LeftButton)
    form = window.session_form
    assert form is not None and window.current_page() is form
    fill_form(qtbot, form)
    qtbot.keyClicks(form.ui.contactEdit, "0574-8700 0000")
    pick_files(monkeypatch, ROSTERS / "candidates.csv", ROSTERS / "staff.csv")
    qtbot.mouseClick(form.ui.candidatesBrowseButton, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.ui.staffBrowseButton, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.ui.createButton, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)

    sessions = workspace.list_sessions()
    assert len(sessions) == 1
    session_id = sessions[0]["id"]
    detail = workspace.session(session_id)
    assert detail["institution"]["name"] == "宁波甬江职业技能评价中心"
    assert detail["contact"] == "0574-8700 0000"  # printed on the person's copy
    assert [r["name"] for r in detail["rooms"]] == ["第1考场", "第2考场"]
    assert [s["name"] for s in detail["subjects"]] == ["理论知识", "操作技能"]
    assert detail["subjects"][0]["starts_at"] == "2026-01-10T01:00:00.000000Z"
    assert detail["candidates"] == 3 and len(detail["staff"]) == 4
    # The new session is current and locked until one of its staff unlocks.
    assert window.current_page() is window.lock_screen
    assert window.settings.current_session == session_id
    head = next(s for s in workspace.staff(session_id) if s.role == "site_head")
    window.lock_screen.select_staff(head.id)
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, "13579")
    qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)

    page = window.clock_page
    assert page is not None and window.current_page() is page
    assert page.clock_text() == "2026-01-10 09:15:00"
    qtbot.keyClicks(page.pin_edit, "1111")
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    assert page.message.text() == "PIN 不正确，请重新输入"
    assert window.current_page() is page
    qtbot.keyClicks(page.pin_edit, "13579")
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    assert window.current_page() is window.dashboard
    check = latest_clock_check(workspace, session_id)
    assert check is not None and check.offset_seconds == 0 and check.staff_id == head.id


def test_a_corrected_clock_is_recorded_with_its_offset(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    session_id, staff = make_session(workspace)
    window.start_screen.refresh()
    window.open_session(session_id)
    window.lock_screen.select_staff(staff["head"])
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, "2468")
    qtbot.mouseClick(window.lock_screen.ui.unlockButton, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    page = window.clock_page
    assert page is not None and window.current_page() is page
    page.wrong_button.setChecked(True)
    assert page.correct_edit.isEnabled()
    real = LAPTOP_NOW + dt.timedelta(minutes=7, seconds=30)
    page.correct_edit.setDateTime(
        QDateTime.fromSecsSinceEpoch(int(real.timestamp()), QTimeZone(b"UTC"))
    )
    qtbot.keyClicks(page.pin_edit, "2468")
    qtbot.keyClick(page.pin_edit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    assert window.current_page() is window.dashboard
    with Session(workspace.engine) as db:
        entry = db.exec(select(AuditEntry).where(col(AuditEntry.action) == "clock_check")).one()
    details = json.loads(entry.details_json)
    assert entry.actor_id == staff["head"]
    assert details["corrected"] is True and details["offset_seconds"] == 450
    assert details["laptop_time"].startswith("2026-01-10T01:15:00")
    # Unlocking again later goes straight to the dashboard: the check is done for this laptop.
    window.lock()
    window.lock_screen.select_staff(staff["admin"])
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, "1357")
    qtbot.mouseClick(window.lock_screen.ui.unlockButton, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    assert window.current_page() is window.dashboard


def test_roster_problems_are_listed_and_nothing_is_created(
    qtbot: QtBot,
    window: MainWindow,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "姓名,证件类型,证件号码,准考证号,考场,座位号\n"
        "陈一,居民身份证,31010419880520233X,20260101,第1考场,1\n"
        "林二,居民身份证,310104198805202331,20260102,第9考场,2\n",
        encoding="utf-8",
    )
    qtbot.mouseClick(window.start_screen.ui.newButton, Qt.MouseButton.LeftButton)
    form = window.session_form
    assert form is not None
    fill_form(qtbot, form)
    pick_files(monkeypatch, bad, ROSTERS / "staff.csv")
    qtbot.mouseClick(form.ui.candidatesBrowseButton, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.ui.staffBrowseButton, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.ui.createButton, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    rows = problem_rows(form.ui.problemsTable)
    assert form.ui.problemsTable.isVisible()
    assert {(r[0], r[1], r[2]) for r in rows} >= {
        ("bad.csv", "3", "证件号码"),
        ("bad.csv", "3", "考场"),
    }
    assert all(r[3] for r in rows)
    assert "未创建场次" in form.message()
    assert workspace.list_sessions() == []
    assert window.current_page() is form


def test_missing_fields_are_named_in_place(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(window.start_screen.ui.newButton, Qt.MouseButton.LeftButton)
    form = window.session_form
    assert form is not None
    qtbot.mouseClick(form.ui.createButton, Qt.MouseButton.LeftButton)
    assert form.message() == "请填写评价机构名称"
    assert form.ui.institutionEdit.hasFocus()
    fill_form(qtbot, form)
    qtbot.mouseClick(form.ui.createButton, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    assert "考场负责人" in form.message()  # no head in the form and no staff roster


def test_import_rosters_into_a_session_all_or_nothing(
    qtbot: QtBot,
    window: MainWindow,
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    staff_file = tmp_path / "more-staff.csv"
    staff_file.write_text(
        "姓名,角色,工号/证书编号,PIN\n李老师,考务管理人员,KW09,\n王老师,考评人员,KP09,\n",
        encoding="utf-8",
    )
    session_id, _staff = make_session(workspace)
    window.start_screen.refresh()
    window.start_screen.select_session(session_id)
    qtbot.mouseClick(window.start_screen.ui.importButton, Qt.MouseButton.LeftButton)
    page = window.import_page
    assert page is not None and window.current_page() is page
    monkeypatch.setattr(start.roster_import, "ask_open_roster", lambda *_: str(staff_file))
    qtbot.mouseClick(page.ui.staffBrowseButton, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.ui.importButton, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    assert page.message() == "已导入 0 名考生、2 名工作人员"
    # The same staff again: every repeat listed, nothing added.
    qtbot.mouseClick(page.ui.importButton, Qt.MouseButton.LeftButton)
    wait_for_workers(qtbot)
    rows = problem_rows(page.ui.problemsTable)
    assert len(rows) == 2 and all(
        r[0] == "more-staff.csv" and "KW09" in rows[0][3] for r in rows[:1]
    )
    assert "未导入任何人员" in page.message()
    assert len(workspace.staff(session_id)) == 6


def test_demo_button_seeds_and_opens_the_demo_session(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    qtbot.mouseClick(window.start_screen.ui.demoButton, Qt.MouseButton.LeftButton)
    assert window.start_screen.ui.progressBar.isVisible()
    wait_for_workers(qtbot, timeout=60_000)
    sessions = workspace.list_sessions()
    assert len(sessions) == 1 and sessions[0]["incidents"] > 10
    assert window.current_page() is window.lock_screen
    assert window.session_id == sessions[0]["id"]
    # The demo's staff have the demo PIN, which its lock screen tells: no PIN to set first.
    assert not window.lock_screen.ui.headPinGroup.isVisible()
    assert "工作人员 PIN 均为 1234" in window.lock_screen.ui.sessionLabel.text()
    head = next(s for s in workspace.staff(sessions[0]["id"]) if s.role == "site_head")
    window.lock_screen.select_staff(head.id)
    qtbot.keyClicks(window.lock_screen.ui.pinEdit, "1234")
    qtbot.keyClick(window.lock_screen.ui.pinEdit, Qt.Key.Key_Return)
    wait_for_workers(qtbot)
    assert window.current_page() is not window.lock_screen


def test_start_list_shows_the_exam_date_not_the_creation_date(
    qtbot: QtBot, tmp_path: Path, qapp: QApplication
) -> None:
    workspace = Workspace.open(tmp_path / "data")
    try:
        make_session(workspace)  # subjects on DAY, created today
        settings = AppSettings("Laptop 1")
        save_settings(workspace.data_dir, settings)
        window = MainWindow(workspace.data_dir, settings, workspace=workspace)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        assert window.current_page() is window.start_screen
        line = window.start_screen.ui.sessionList.item(0).text()
        assert dt.date.today() != DAY  # else the test could not tell the two dates apart
        assert line.endswith(f"· {DAY.isoformat()}")
        assert dt.date.today().isoformat() not in line
        snapshot(window, "start-exam-date")
        window.close()
    finally:
        workspace.close()
