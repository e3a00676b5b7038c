"""The proctor's inputs, counted, from Ctrl+N to sealed with everyone signing with their own PIN.

One input is one key chord, one click, one item chosen, or one field typed into and left (a
name, a search, a PIN with its Enter); signature strokes are not counted. Targets (issue 16):
at most 10 for a 6.1 incident with the real second proctor of the room, at most 14 when the
candidate refuses and two staff witness it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.support.incident import (
    OFFSCREEN_NOISE,
    PIN_OF,
    SITE_HEAD_PIN,
    Inputs,
    Site,
    draw_signature,
)

MAX_INPUTS = 10
MAX_INPUTS_REFUSED = 14
pytestmark = OFFSCREEN_NOISE


def open_dialog(qtbot: QtBot, window: Any) -> Any:
    panel = window.signing
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible())
    return panel.dialog


def sign_with_pin(qtbot: QtBot, inputs: Inputs, window: Any, name: str) -> None:
    """Strokes, then the signer's PIN with Enter: one input when ``name`` is preselected."""
    dialog = open_dialog(qtbot, window)
    if dialog.signer() is None or dialog.signer().name != name:
        inputs.choose(dialog.signer_combo, name)
    assert dialog.signer().name == name
    draw_signature(qtbot, dialog.pad)
    inputs.enter(dialog.pin_edit, PIN_OF[name])
    qtbot.waitUntil(lambda: not dialog.isVisible())


def record_zhang_san(qtbot: QtBot, site: Site, inputs: Inputs) -> Any:
    """Ctrl+N (counted), 张三 chosen from 张三/张三丰, 手机 → used: 6.1."""
    from app.ui.incident.window import open_incident_window

    inputs._note("open the window (Ctrl+N)")
    window = open_incident_window(site.workspace, site.session_id, operator_id=site.staff["李明"])
    qtbot.addWidget(window)
    window.resize(1366, 740)
    qtbot.waitExposed(window)
    ui = window.ui
    assert window.focusWidget() is ui.personEdit
    inputs.enter(ui.personEdit, "张三")  # the list opens, best match first; Enter takes it
    assert window.picker.current is not None and window.picker.current.name == "张三"
    inputs.type(ui.searchEdit, "手机")
    assert ui.questionFrame.isVisible()  # 5.1 or 6.1: asks whether it was used
    inputs.click(ui.usedButton)
    assert window.behaviour.clause is not None and window.behaviour.clause.id == "6.1"
    return window


def on_duty_with_li_ming(site: Site) -> None:
    """王芳 is on duty with 李明 for 理论知识 (set by the first pair who signed this subject)."""
    from app.core.records.on_duty import set_on_duty

    set_on_duty(
        site.workspace,
        site.session_id,
        "理论知识",
        [site.staff["李明"], site.staff["王芳"]],
        actor_id=site.staff["李明"],
    )


def confirm(qtbot: QtBot, inputs: Inputs, window: Any) -> None:
    signing = window.signing
    qtbot.waitUntil(lambda: signing.state.next_step() == "confirm")
    with qtbot.waitSignal(signing.sealed, timeout=5000):
        inputs.click(signing.ui.signButton)
        dialog = open_dialog(qtbot, window)
        assert dialog.signer().name == "陈静"
        draw_signature(qtbot, dialog.pad)
        inputs.enter(dialog.pin_edit, SITE_HEAD_PIN)


def test_phone_used_with_the_colleague_on_duty_within_ten_inputs(
    qtbot: QtBot, site: Site, cjk_family: str | None
) -> None:
    on_duty_with_li_ming(site)
    inputs = Inputs(qtbot)
    window = record_zhang_san(qtbot, site, inputs)
    inputs.click(window.signing.ui.signButton)
    sign_with_pin(qtbot, inputs, window, "李明")  # the operator, preselected
    sign_with_pin(qtbot, inputs, window, "王芳")  # on duty with him: preselected, not chosen
    ack = open_dialog(qtbot, window)  # the candidate's acknowledgement follows
    draw_signature(qtbot, ack.pad)
    inputs.click(ack.ok_button)
    confirm(qtbot, inputs, window)

    detail = site.workspace.incident(window.incident_id or "")
    assert detail["status"] == "confirmed" and detail["seal"] is not None
    signers = [s["signer_name"] for s in detail["signatures"] if s["kind"] == "staff"]
    assert signers == ["李明", "王芳"]
    assert inputs.count <= MAX_INPUTS, inputs.log
    window.close()


def test_refusal_witnessed_by_the_room_within_fourteen_inputs(
    qtbot: QtBot, site: Site, cjk_family: str | None
) -> None:
    on_duty_with_li_ming(site)
    inputs = Inputs(qtbot)
    window = record_zhang_san(qtbot, site, inputs)
    inputs.click(window.signing.ui.signButton)
    sign_with_pin(qtbot, inputs, window, "李明")
    sign_with_pin(qtbot, inputs, window, "王芳")
    ack = open_dialog(qtbot, window)
    inputs.click(ack.refuse_button)
    sign_with_pin(qtbot, inputs, window, "李明")  # witness 1/2: the operator, preselected
    sign_with_pin(qtbot, inputs, window, "王芳")  # witness 2/2: the colleague, preselected
    qtbot.waitUntil(lambda: window.signing.state.refused)
    confirm(qtbot, inputs, window)

    detail = site.workspace.incident(window.incident_id or "")
    assert detail["status"] == "confirmed"
    witnesses = [s["signer_name"] for s in detail["signatures"] if s["kind"] == "refusal_witness"]
    assert sorted(witnesses) == ["李明", "王芳"]
    assert inputs.count <= MAX_INPUTS_REFUSED, inputs.log
    window.close()


def test_first_pair_of_a_subject_sets_who_is_on_duty(
    qtbot: QtBot, site: Site, cjk_family: str | None
) -> None:
    """Nobody is guessed for the second signature until a pair has signed in this subject;
    then the same colleague is preselected (signing and witnessing)."""
    from app.core.records.on_duty import on_duty

    inputs = Inputs(qtbot)
    window = record_zhang_san(qtbot, site, inputs)
    inputs.click(window.signing.ui.signButton)
    sign_with_pin(qtbot, inputs, window, "李明")
    second = open_dialog(qtbot, window)
    assert second.signer() is None  # not the roster's first
    assert second.signer_combo.currentIndex() == -1
    sign_with_pin(qtbot, inputs, window, "赵强")  # chosen: one more input
    qtbot.waitUntil(lambda: len(set(window.signing.state.staff_signers)) == 2)
    assert on_duty(site.workspace, site.session_id, "理论知识") == [
        site.staff["李明"],
        site.staff["赵强"],
    ]
    ack = open_dialog(qtbot, window)
    qtbot.mouseClick(ack.refuse_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    first = open_dialog(qtbot, window)
    assert first.signer().name == "李明"
    sign_with_pin(qtbot, inputs, window, "李明")
    witness = open_dialog(qtbot, window)
    assert witness.signer().name == "赵强"
    witness.reject()
    window.close()


def test_before_any_pair_the_rooms_proctors_from_the_plan_are_preselected(
    qtbot: QtBot, site: Site, cjk_family: str | None
) -> None:
    """The session plan names 王芳 for 第1考场: she is the second signer from the first record
    of the subject on (10 inputs), with nobody on duty set yet."""
    from sqlmodel import Session, col, select

    from app.core.records.on_duty import on_duty
    from app.core.records.tables import Room

    with Session(site.workspace.engine) as db:  # as a session plan with room assignments
        room = db.exec(
            select(Room).where(col(Room.session_id) == site.session_id, Room.name == "第1考场")
        ).one()
        room.responsible = "王芳"
        db.add(room)
        db.commit()
    assert on_duty(site.workspace, site.session_id, "理论知识") == []
    inputs = Inputs(qtbot)
    window = record_zhang_san(qtbot, site, inputs)
    inputs.click(window.signing.ui.signButton)
    sign_with_pin(qtbot, inputs, window, "李明")
    second = open_dialog(qtbot, window)
    assert second.signer().name == "王芳"
    sign_with_pin(qtbot, inputs, window, "王芳")
    ack = open_dialog(qtbot, window)
    draw_signature(qtbot, ack.pad)
    inputs.click(ack.ok_button)
    confirm(qtbot, inputs, window)
    assert inputs.count <= MAX_INPUTS, inputs.log
    window.close()
