"""Shared set-up for the app-shell tests (lock, start, dashboard, settings, main window).

Not a test module itself: helpers the shell tests import. A small session with PINs where a
test needs them, typing Chinese by key events, and waiting for workers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.records.app_state import AppSettings, save_settings
from app.core.records.service import Workspace
from app.core.records.sessions import InstitutionSpec, RoomSpec, SessionSpec, SubjectSpec
from app.core.rosters.idcard import make_id_number
from app.core.rosters.rows import CandidateRow, StaffRow
from app.ui.main_window import MainWindow
from app.ui.start import session_form
from app.ui.start.session_form import SessionForm

ROOT = Path(__file__).resolve().parents[2]
ROSTERS = ROOT / "tests" / "data" / "rosters"
ZONE = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 1, 10)
PINS = {"head": "2468", "admin": "1357"}


def spec(rooms: int = 2) -> SessionSpec:
    def at(h: int, m: int) -> dt.datetime:
        return dt.datetime(DAY.year, DAY.month, DAY.day, h, m, tzinfo=ZONE)

    return SessionSpec(
        institution=InstitutionSpec(
            "杭州匠心职业技能评价中心", "social_training_org", "S33010620250001"
        ),
        evaluation_type="职业技能等级认定",
        occupation="电工",
        level="四级/中级工",
        site_name="西湖考点",
        site_address="浙江省杭州市西湖区文三路 1 号",
        rooms=tuple(RoomSpec(f"第{i}考场", 30, f"第{i}考场主监考") for i in range(1, rooms + 1)),
        subjects=(
            SubjectSpec("理论知识", at(9, 0), at(10, 30)),
            SubjectSpec("操作技能", at(13, 30), at(16, 0)),
        ),
    )


def make_session(workspace: Workspace, *, head_pin: bool = True) -> tuple[str, dict[str, str]]:
    """A session with four staff (head and one admin with PINs) and five candidates.

    Returns the session id and staff ids by key: head, admin, admin2 (no PIN), supervisor.
    """
    session_id = workspace.create_session(spec())
    workspace.import_staff(
        session_id,
        [
            StaffRow("周主任", "site_head", "FZ01", PINS["head"] if head_pin else None),
            StaffRow("赵老师", "exam_admin", "KW01", PINS["admin"]),
            StaffRow("钱老师", "exam_admin", "KW02", None),
            StaffRow("孙督导", "supervisor", "DD01", None),
        ],
    )
    names = ["陈一", "林二", "何三", "吴四", "郑五"]
    rows = [
        CandidateRow(
            name,
            "resident_id",
            make_id_number("330106", dt.date(1990 + i, 3, 4 + i), 100 + i),
            f"2601010{i + 1}",
            "第1考场" if i < 3 else "第2考场",
            i + 1 if i < 3 else i - 2,
            None,
        )
        for i, name in enumerate(names)
    ]
    workspace.import_candidates(session_id, rows)
    by_number = {s.staff_number: s.id for s in workspace.staff(session_id)}
    return session_id, {
        "head": by_number["FZ01"],
        "admin": by_number["KW01"],
        "admin2": by_number["KW02"],
        "supervisor": by_number["DD01"],
    }


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` as key events carrying the characters (safe for Chinese, unlike keyClicks)."""
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


def wait_for_workers(qtbot: QtBot, timeout: int = 20_000) -> None:
    from app.ui.workers import running_workers

    qtbot.waitUntil(lambda: running_workers() == 0, timeout=timeout)


def fill_form(qtbot: QtBot, form: SessionForm) -> None:
    ui = form.ui
    type_text(ui.institutionEdit, "宁波甬江职业技能评价中心")
    qtbot.keyClicks(ui.filingCodeEdit, "S33020020250007")
    type_text(ui.occupationEdit, "电工")
    type_text(ui.siteNameEdit, "江北考点")
    type_text(ui.siteAddressEdit, "浙江省宁波市江北区人民路 8 号")
    ui.dateEdit.setDate(ui.dateEdit.date().fromString("2026-01-10", "yyyy-MM-dd"))
    qtbot.mouseClick(ui.addRoomButton, Qt.MouseButton.LeftButton)  # 第2考场, 30 seats


def pick_files(monkeypatch: pytest.MonkeyPatch, candidates: Path, staff: Path) -> None:
    answers = {"选择考生名单": str(candidates), "选择工作人员名单": str(staff)}
    monkeypatch.setattr(session_form, "ask_open_roster", lambda _parent, title: answers[title])


def build_translations() -> None:
    """The English and pseudo ``.qm`` files, built the way the Makefile builds them."""
    import subprocess
    import sys

    for command in ("build", "pseudo"):
        result = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "translations.py"), command],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr


def restore_chinese(app: QApplication) -> None:
    """Back to the source language, so later tests see the app as it starts."""
    from app.ui.i18n import switch_language

    switch_language(app, "zh_CN")


def show_main_window(qtbot: QtBot, workspace: Workspace) -> tuple[MainWindow, str, dict[str, str]]:
    """A main window over a fresh session that is current on this laptop, shown at 1366×768."""
    session_id, staff = make_session(workspace)
    settings = AppSettings("Laptop", current_session=session_id)
    save_settings(workspace.data_dir, settings)
    window = MainWindow(workspace.data_dir, settings, workspace=workspace)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window, session_id, staff
