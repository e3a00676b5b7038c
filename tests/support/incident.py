"""Shared set-up for the incident window tests (no tests here): a session with staff and a
roster, typing Chinese through key events, drawing a signature with the mouse, and a counter
of user inputs wrapped around those helpers."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.records.service import Workspace
from app.core.records.sessions import InstitutionSpec, RoomSpec, SessionSpec, SubjectSpec
from app.core.rosters.idcard import make_id_number
from app.core.rosters.rows import CandidateRow, StaffRow

ZONE = "Asia/Shanghai"
# The offscreen platform cannot grab the keyboard for the completer's popup, raise a window
# or take size hints; these messages say nothing about our code. Every other Qt warning still
# fails a test.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(
    r"^This plugin does not support propagateSizeHints\(\)$",
    r"^This plugin does not support grabbing the keyboard$",
    r"^This plugin does not support raise\(\)$",
)
SITE_HEAD_PIN = "1357"
ASSESSOR_PIN = "2468"
# Everyone signs with their own PIN (nobody's name goes under a signature without it).
STAFF = (
    ("李明", "exam_admin", "GZ0001", "1111"),
    ("王芳", "exam_admin", "GZ0002", "2222"),
    ("赵强", "assessor", "GZ0003", ASSESSOR_PIN),
    ("周敏", "supervisor", "GZ0004", "4444"),
    ("陈静", "site_head", "GZ0005", SITE_HEAD_PIN),
)
PIN_OF = {name: pin for name, _role, _number, pin in STAFF}
CANDIDATES = (
    ("张三", 5, "24060105"),
    ("张三丰", 6, "24060106"),
    ("李四", 7, "24060107"),
    ("王五", 8, "24060108"),
)


@dataclass
class Site:
    workspace: Workspace
    session_id: str
    staff: dict[str, str] = field(default_factory=dict)  # name -> id
    candidates: dict[str, str] = field(default_factory=dict)  # name -> id


def _spec() -> SessionSpec:
    from zoneinfo import ZoneInfo

    now = dt.datetime.now(ZoneInfo(ZONE)).replace(second=0, microsecond=0)
    return SessionSpec(
        institution=InstitutionSpec(
            name="广州南粤职业技能评价中心",
            kind="social_training_org",
            filing_code="S000044010620240137",
        ),
        evaluation_type="职业技能等级认定",
        occupation="电工",
        level="四级/中级工",
        site_name="天河职业技能评价考点",
        site_address="广州市天河区",
        rooms=(RoomSpec("第1考场", 30), RoomSpec("第2考场", 30)),
        subjects=(
            SubjectSpec("理论知识", now - dt.timedelta(minutes=30), now + dt.timedelta(hours=1)),
            SubjectSpec("操作技能", now + dt.timedelta(hours=3), now + dt.timedelta(hours=5)),
        ),
        timezone=ZONE,
    )


def build_site(folder: Path) -> None:
    """A data folder with one session: staff in every role (two with PINs) and a roster."""
    with Workspace.open(folder) as ws:
        session_id = ws.create_session(_spec())
        ws.import_staff(session_id, [StaffRow(*row) for row in STAFF])
        ws.import_candidates(
            session_id,
            [
                CandidateRow(
                    name=name,
                    id_type="resident_id",
                    id_number=make_id_number("440106", dt.date(1990, 1, 1 + i), 100 + i),
                    ticket_number=ticket,
                    room="第1考场",
                    seat=seat,
                    photo=None,
                )
                for i, (name, seat, ticket) in enumerate(CANDIDATES)
            ],
        )


def open_site(template: Path, folder: Path) -> Site:
    """A fresh copy of the template data folder, opened."""
    shutil.copytree(template, folder)
    ws = Workspace.open(folder)
    session_id = ws.list_sessions()[0]["id"]
    return Site(
        ws,
        session_id,
        {s.name: s.id for s in ws.staff(session_id)},
        {c.name: c.id for c in ws.candidates(session_id)},
    )


# -- input helpers ---------------------------------------------------------------------------


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` as key events carrying the text (works for Chinese)."""
    for char in text:
        press = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char
        )
        QApplication.sendEvent(widget, press)
        release = QKeyEvent(
            QEvent.Type.KeyRelease, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char
        )
        QApplication.sendEvent(widget, release)


def draw_signature(qtbot: QtBot, pad: QWidget) -> None:
    """Two wavy strokes drawn with mouse events (strokes are not counted as inputs)."""
    for row in (70, 130):
        points = [QPoint(40 + i * 12, row + round(25 * math.sin(i * 0.7))) for i in range(26)]
        qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=points[0])
        for p in points[1:]:
            qtbot.mouseMove(pad, p)
        qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=points[-1])


class Inputs:
    """The user's inputs, counted: each call is one input (typing a text counts as one)."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0
        self.log: list[str] = []

    def _note(self, what: str) -> None:
        self.count += 1
        self.log.append(what)

    def type(self, widget: QWidget, text: str) -> None:
        self._note(f"type {text!r}")
        widget.setFocus()
        type_text(widget, text)

    def enter(self, widget: QWidget, text: str) -> None:
        """A field typed into and left with Enter: one input (a name, a search, a PIN)."""
        self._note(f"enter {text!r}")
        widget.setFocus()
        type_text(widget, text)
        self.qtbot.keyClick(widget, Qt.Key.Key_Return)

    def choose(self, combo: Any, text: str) -> None:
        """An item chosen in a combo box by its text's start: one input (a click on the item)."""
        self._note(f"choose {text!r}")
        index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(text))
        combo.setCurrentIndex(index)

    def click(self, widget: QWidget) -> None:
        self._note(f"click {widget.objectName() or type(widget).__name__}")
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def key(self, widget: QWidget, key: Qt.Key) -> None:
        self._note(f"key {key}")
        self.qtbot.keyClick(widget, key)

    def shortcut(self, widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier) -> None:
        self._note(f"shortcut {modifier}+{key}")
        self.qtbot.keyClick(widget, key, modifier)


# -- driving the window ----------------------------------------------------------------------


def wait_dialog(qtbot: QtBot, window: Any) -> Any:
    """The signature dialog the signing panel has open."""
    panel = window.signing
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible())
    return panel.dialog


def sign_dialog(
    qtbot: QtBot,
    window: Any,
    *,
    pin: str | None = None,
    signer: str | None = None,
    own_pin: bool = True,
) -> Any:
    """Choose the signer (by name), enter the PIN (the signer's own unless ``pin`` is given or
    ``own_pin`` is False), draw, press OK; returns the dialog."""
    dialog = wait_dialog(qtbot, window)
    if signer is not None:
        combo = dialog.signer_combo
        index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(signer))
        combo.setCurrentIndex(index)
    if pin is None and own_pin and hasattr(dialog, "signer"):
        pin = PIN_OF.get(dialog.signer().name)
    if pin is not None:
        dialog.pin_edit.setText(pin)
    draw_signature(qtbot, dialog.pad)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return dialog


def new_window(qtbot: QtBot, site: Site, incident_id: str | None = None) -> Any:
    from app.ui.incident.window import IncidentWindow

    window = IncidentWindow(
        site.workspace, site.session_id, incident_id=incident_id, operator_id=site.staff["李明"]
    )
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    return window


def record_phone_use(qtbot: QtBot, window: Any, name: str = "李四") -> None:
    """Person, then 手机 → used → 6.1."""
    ui = window.ui
    type_text(ui.personEdit, name)
    if window.picker.current is None:
        qtbot.keyClick(ui.personEdit, Qt.Key.Key_Return)
    type_text(ui.searchEdit, "手机")
    qtbot.mouseClick(ui.usedButton, Qt.MouseButton.LeftButton)
    assert window.behaviour.clause.id == "6.1"


def sign_staff_pair(qtbot: QtBot, window: Any, second_signer: str = "王芳") -> None:
    """The sign button, then the two staff signatures (the operator's first, then
    ``second_signer``, chosen unless the colleague on duty is preselected)."""
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    first = sign_dialog(qtbot, window)
    qtbot.waitUntil(lambda: not first.isVisible())
    second = sign_dialog(qtbot, window, signer=second_signer)
    qtbot.waitUntil(lambda: not second.isVisible())
    qtbot.waitUntil(lambda: len(set(window.signing.state.staff_signers)) == 2)


def confirmed_record(site: Site, *, seized: bool = False) -> str:
    """A record signed, acknowledged and confirmed through the core (for amend/void tests)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from app.core.demo.strokes import synthetic_strokes
    from app.core.records.content import IncidentDraft, SeizedItem

    ws = site.workspace
    draft = IncidentDraft(
        party="candidate",
        occurred_at=dt.datetime.now(ZoneInfo(ZONE)).replace(microsecond=0),
        subject="理论知识",
        person_id=site.candidates["王五"],
        clause="6.1",
        description="监考人员发现王五在评价过程中使用手机。",
        seized_items=(SeizedItem("手机一部", "SZ-0001"),) if seized else (),
    )
    incident = ws.create_incident(site.session_id, draft, actor_id=site.staff["李明"])
    for name in ("李明", "王芳"):
        ws.sign(incident.id, site.staff[name], synthetic_strokes(name), PIN_OF[name])
    ws.acknowledge(incident.id, synthetic_strokes("王五"))
    ws.confirm(incident.id, site.staff["陈静"], synthetic_strokes("陈静"), SITE_HEAD_PIN)
    return incident.id
