"""After confirmation: amending through the core's amendment path with a reason, voiding with
the site head's PIN (a missing or wrong one named in place; voiding an amendment leaves the
version before it standing), and recording the return of a seized item."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.support.incident import (
    OFFSCREEN_NOISE,
    PIN_OF,
    SITE_HEAD_PIN,
    Site,
    confirmed_record,
    draw_signature,
    new_window,
    type_text,
)
from tests.support.review_shots import snapshot

pytestmark = OFFSCREEN_NOISE


def test_confirmed_record_opens_read_only_with_amend_and_void(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site, confirmed_record(site))
    ui = window.ui
    assert window.read_only
    assert not ui.whoGroup.isEnabled() and ui.descriptionEdit.isReadOnly()
    assert ui.amendButton.isVisible() and ui.voidButton.isVisible()
    assert not window.signing.ui.signButton.isVisible()
    assert window.signing.ui.statusLabel.text() == "已确认并封存"
    assert ui.descriptionEdit.toPlainText() == "监考人员发现王五在评价过程中使用手机。"


def test_amendment_opens_a_new_version_with_its_reason(qtbot: QtBot, site: Site) -> None:
    from app.core.records.amendment_reason import amendment_reason

    old_id = confirmed_record(site)
    window = new_window(qtbot, site, old_id)
    qtbot.mouseClick(window.ui.amendButton, Qt.MouseButton.LeftButton)
    dialog = window.lifecycle_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(
        dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible() and "原因" in dialog.ui.errorLabel.text()  # a reason is required
    assert not dialog.ui.staffCombo.isVisible()  # amending needs no approver here
    type_text(dialog.ui.reasonEdit, "时间记录有误")
    with qtbot.waitSignal(window.saved, timeout=3000) as saved:
        qtbot.mouseClick(
            dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    new_id = saved.args[0]
    assert new_id != old_id and window.incident_id == new_id
    assert amendment_reason(site.workspace, new_id) == "时间记录有误"
    old = site.workspace.incident(old_id)
    new = site.workspace.incident(new_id)
    assert old["superseded_by"] == new_id and old["status"] == "confirmed"
    assert new["version"] == 2 and new["number"] == old["number"] and new["status"] == "draft"
    assert not window.read_only and window.ui.descriptionEdit.isReadOnly() is False
    assert "/2" in window.windowTitle()
    assert window.signing.state.next_step() == "staff"  # the new version is signed afresh

    window.ui.descriptionEdit.setPlainText("监考人员发现王五在评价过程中使用手机（10:05）。")
    with qtbot.waitSignal(window.saved, timeout=3000):
        pass
    assert site.workspace.incident(new_id)["content"]["description"].endswith("（10:05）。")
    assert site.workspace.incident(old_id)["content"]["description"].endswith("使用手机。")


def test_void_needs_a_reason_and_the_site_heads_pin(qtbot: QtBot, site: Site) -> None:
    incident_id = confirmed_record(site)
    window = new_window(qtbot, site, incident_id)
    qtbot.mouseClick(window.ui.voidButton, Qt.MouseButton.LeftButton)
    dialog = window.lifecycle_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.ui.staffCombo.currentText().startswith("陈静")
    type_text(dialog.ui.reasonEdit, "重复记录")
    dialog.ui.pinEdit.setText("0000")
    ok = dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "PIN" in dialog.ui.errorLabel.text()
    assert site.workspace.incident(incident_id)["status"] == "confirmed"

    dialog.ui.pinEdit.setText(SITE_HEAD_PIN)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    detail = site.workspace.incident(incident_id)
    assert detail["status"] == "void" and detail["void_reason"] == "重复记录"
    assert window.signing.ui.statusLabel.text() == "已作废：重复记录"
    assert not window.ui.voidButton.isVisible() and not window.ui.amendButton.isVisible()


def test_return_of_a_seized_item_is_signed_by_the_receiver(qtbot: QtBot, site: Site) -> None:
    incident_id = confirmed_record(site, seized=True)
    window = new_window(qtbot, site, incident_id)
    ui = window.ui
    assert ui.returnButton.isVisible()
    qtbot.mouseClick(ui.returnButton, Qt.MouseButton.LeftButton)
    dialog = window.lifecycle_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.receiver_edit.text() == "王五"
    dialog.pin_edit.setText(PIN_OF["李明"])  # the operator records the return with his PIN
    draw_signature(qtbot, dialog.pad)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    returns = site.workspace.incident(incident_id)["returns"]
    assert [(r["receipt_number"], r["returned_to"]) for r in returns] == [("SZ-0001", "王五")]
    assert ui.seizedTable.item(0, 2).text() == "已归还 王五"


def test_voiding_without_or_with_a_wrong_pin_names_voiding(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site, confirmed_record(site))
    qtbot.mouseClick(window.ui.voidButton, Qt.MouseButton.LeftButton)
    dialog = window.lifecycle_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.ui.reasonEdit.setPlainText("录入错误")
    ok = dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.ui.errorLabel.text() == "请输入陈静的PIN码后作废记录"
    snapshot(dialog, "pin-void-missing")

    dialog.ui.pinEdit.setText("0000")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.ui.errorLabel.text() == "陈静的PIN码不正确，请重试"
    assert site.workspace.incident(window.incident_id)["status"] == "confirmed"

    dialog.ui.pinEdit.setText(SITE_HEAD_PIN)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: site.workspace.incident(window.incident_id)["status"] == "void")


def test_voiding_an_amendment_says_only_the_amendment_goes(qtbot: QtBot, site: Site) -> None:
    """Voiding version 2 discards the amendment; the dialog and the footer say that version
    1 stands (a proctor read "已作废（SX-001）" as the whole record void)."""
    first = confirmed_record(site)  # signed and sealed through the core; amended here
    window = new_window(qtbot, site, first)
    number = window.detail["number"]

    qtbot.mouseClick(window.ui.amendButton, Qt.MouseButton.LeftButton)
    dialog = window.lifecycle_dialog
    dialog.ui.reasonEdit.setPlainText("补充描述")
    qtbot.mouseClick(
        dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: window.incident_id != first)
    assert window.detail["version"] == 2

    qtbot.mouseClick(window.ui.voidButton, Qt.MouseButton.LeftButton)
    dialog = window.lifecycle_dialog
    assert dialog.windowTitle() == "作废本次修订（第2版）"
    assert "第1版重新成为有效版本" in dialog.ui.introLabel.text()
    dialog.ui.reasonEdit.setPlainText("修订有误")
    dialog.ui.pinEdit.setText(SITE_HEAD_PIN)
    qtbot.mouseClick(
        dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: window.ui.saveState.text() == f"已作废（{number}/2）；第1版仍有效")
    assert site.workspace.incident(first)["status"] == "confirmed"
