"""Nobody's name goes under a signature without their own PIN: a staff member without one cannot
sign (the dialog says so and records nothing) until the site head, with the site head's PIN,
lets them choose one in the same dialog; Enter in the PIN field then signs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.rosters.rows import StaffRow
from tests.support.incident import (
    OFFSCREEN_NOISE,
    SITE_HEAD_PIN,
    Site,
    draw_signature,
    new_window,
    record_phone_use,
    type_text,
    wait_dialog,
)
from tests.support.review_shots import snapshot

pytestmark = OFFSCREEN_NOISE


def test_staff_without_pin_cannot_sign_until_the_site_head_gives_one(
    qtbot: QtBot, site: Site
) -> None:
    ws = site.workspace
    ws.import_staff(site.session_id, [StaffRow("吴刚", "exam_admin", "GZ0006", None)])
    wu = next(s for s in ws.staff(site.session_id) if s.name == "吴刚")
    window = new_window(qtbot, site)
    window.signing.reload_staff()
    record_phone_use(qtbot, window)
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, window)
    combo = dialog.signer_combo
    combo.setCurrentIndex(combo.findData(wu.id))
    assert not dialog.pin_edit.isEnabled()
    assert dialog.pin_edit.placeholderText() == "尚未设置 PIN，不能签名"
    assert dialog.pin_group.isVisible()
    draw_signature(qtbot, dialog.pad)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "吴刚 尚未设置 PIN，不能签名：请考场负责人先为其设置 PIN。"
    assert ws.incident(window.incident_id)["signatures"] == []
    snapshot(dialog, "signer-without-pin")

    # A wrong site-head PIN: said in place, nothing set.
    type_text(dialog.head_pin_edit, "0000")
    type_text(dialog.new_pin_edit, "4321")
    type_text(dialog.repeat_pin_edit, "4321")
    qtbot.mouseClick(dialog.give_pin_button, Qt.MouseButton.LeftButton)
    assert dialog.pin_message.text() == "考场负责人的 PIN 不正确"
    assert not dialog.pin_edit.isEnabled()

    dialog.head_pin_edit.setText(SITE_HEAD_PIN)
    dialog.new_pin_edit.setText("4321")
    dialog.repeat_pin_edit.setText("4321")
    qtbot.keyClick(dialog.repeat_pin_edit, Qt.Key.Key_Return)
    assert dialog.pin_edit.isEnabled() and not dialog.pin_group.isVisible()
    assert dialog.signer().pin_hash is not None
    assert window.signing.staff and any(s.id == wu.id and s.pin_hash for s in window.signing.staff)

    # The strokes are there: the new PIN with Enter signs.
    type_text(dialog.pin_edit, "4321")
    qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    signatures = ws.incident(window.incident_id)["signatures"]
    assert [s["signer_name"] for s in signatures] == ["吴刚"]
    assert ws.verify().ok
    second = wait_dialog(qtbot, window)
    second.reject()
    window.close()


def test_enter_in_the_pin_field_goes_to_the_pad_until_there_are_strokes(
    qtbot: QtBot, site: Site
) -> None:
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, window)
    assert dialog.signer().name == "李明"
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.pin_edit)  # straight to the PIN
    type_text(dialog.pin_edit, "1111")
    qtbot.keyClick(dialog.pin_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.focusWidget() is dialog.pad
    assert site.workspace.incident(window.incident_id)["signatures"] == []
    dialog.reject()
    window.close()


def test_site_head_gives_pins_ahead_from_the_file_menu(qtbot: QtBot, site: Site) -> None:
    """文件 → 工作人员 PIN…: the staff without a PIN are listed; the site head's PIN and the
    new PIN twice give one; a wrong site-head PIN or a mismatch is said in place."""
    from app.ui.lock.staff_pins import StaffPinDialog

    ws = site.workspace
    ws.import_staff(
        site.session_id,
        [
            StaffRow("吴刚", "exam_admin", "GZ0006", None),
            StaffRow("郑红", "assessor", "GZ0007", None),
        ],
    )
    dialog = StaffPinDialog(ws, site.session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    snapshot(dialog, "staff-pins")
    names = [dialog.staff_combo.itemText(i) for i in range(dialog.staff_combo.count())]
    assert [n.split("（")[0] for n in names] == ["吴刚", "郑红"]  # only those without a PIN
    assert dialog.head_combo.currentText() == "陈静"

    type_text(dialog.head_pin_edit, SITE_HEAD_PIN)
    type_text(dialog.new_pin_edit, "5678")
    type_text(dialog.repeat_pin_edit, "5679")
    qtbot.keyClick(dialog.repeat_pin_edit, Qt.Key.Key_Return)
    assert dialog.message.text() == "两次输入的 PIN 不一致"
    dialog.head_pin_edit.setText("0000")
    dialog.repeat_pin_edit.setText("5678")
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "考场负责人的 PIN 不正确"

    dialog.head_pin_edit.setText(SITE_HEAD_PIN)
    dialog.new_pin_edit.setText("5678")
    dialog.repeat_pin_edit.setText("5678")
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "吴刚 的 PIN 已设置"
    assert dialog.staff_combo.count() == 1
    assert next(s for s in ws.staff(site.session_id) if s.name == "吴刚").pin_hash is not None

    dialog.head_pin_edit.setText(SITE_HEAD_PIN)
    dialog.new_pin_edit.setText("8765")
    dialog.repeat_pin_edit.setText("8765")
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "本场次所有工作人员均已设置 PIN。"
    assert not dialog.set_button.isEnabled()
    assert ws.verify().ok
    dialog.reject()


def test_a_return_is_not_recorded_under_a_name_without_its_pin(qtbot: QtBot, site: Site) -> None:
    from tests.support.incident import confirmed_record

    ws = site.workspace
    incident_id = confirmed_record(site, seized=True)
    ws.import_staff(site.session_id, [StaffRow("吴刚", "exam_admin", "GZ0006", None)])
    wu = next(s for s in ws.staff(site.session_id) if s.name == "吴刚")
    window = new_window(qtbot, site, incident_id)
    qtbot.mouseClick(window.ui.returnButton, Qt.MouseButton.LeftButton)
    dialog = window.lifecycle_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.recorder_combo.setCurrentIndex(dialog.recorder_combo.findData(wu.id))
    draw_signature(qtbot, dialog.pad)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.text() == "吴刚 尚未设置 PIN，不能经办：请考场负责人先为其设置 PIN。"
    assert ws.incident(incident_id)["returns"] == []
    dialog.reject()
    window.close()


def test_a_site_head_without_pin_cannot_approve_voiding(qtbot: QtBot, site: Site) -> None:
    from tests.support.incident import confirmed_record

    ws = site.workspace
    incident_id = confirmed_record(site)
    ws.import_staff(site.session_id, [StaffRow("黄伟", "site_head", "GZ0008", None)])
    huang = next(s for s in ws.staff(site.session_id) if s.name == "黄伟")
    window = new_window(qtbot, site, incident_id)
    qtbot.mouseClick(window.ui.voidButton, Qt.MouseButton.LeftButton)
    dialog = window.lifecycle_dialog
    qtbot.waitExposed(dialog)
    dialog.ui.reasonEdit.setPlainText("录入错误")
    dialog.ui.staffCombo.setCurrentIndex(dialog.ui.staffCombo.findData(huang.id))
    ok = dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.ui.errorLabel.text() == "黄伟 尚未设置 PIN，不能批准：请先为其设置 PIN。"
    assert ws.incident(incident_id)["status"] == "confirmed"
    dialog.reject()
    window.close()
