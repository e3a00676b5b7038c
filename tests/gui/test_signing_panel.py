"""The signing panel: refusal to sign with two witnesses, missing and wrong PINs said in place
(in the interface language), what is still missing, and the site head kept out of the staff
signers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.support.incident import (
    ASSESSOR_PIN,
    OFFSCREEN_NOISE,
    SITE_HEAD_PIN,
    Site,
    new_window,
    record_phone_use,
    sign_dialog,
    sign_staff_pair,
    wait_dialog,
)
from tests.support.review_shots import snapshot

pytestmark = OFFSCREEN_NOISE


def test_candidate_refuses_to_sign_and_two_staff_witness_it(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    sign_staff_pair(qtbot, window)
    ack = wait_dialog(qtbot, window)  # the acknowledgement follows the staff signatures
    assert "李四" in ack.windowTitle()
    qtbot.mouseClick(ack.refuse_button, Qt.MouseButton.LeftButton)

    first = wait_dialog(qtbot, window)
    assert first is not ack and "见证人 1/2" in first.windowTitle()
    sign_dialog(qtbot, window)  # the operator, 李明
    qtbot.waitUntil(lambda: not first.isVisible())
    second = wait_dialog(qtbot, window)
    assert "见证人 2/2" in second.windowTitle()
    names = [second.signer_combo.itemText(i) for i in range(second.signer_combo.count())]
    assert not any(n.startswith("李明") for n in names)  # a second, different witness
    sign_dialog(qtbot, window, signer="王芳")
    qtbot.waitUntil(lambda: window.signing.state.refused)

    assert window.signing.state.next_step() == "confirm"
    assert "当事人" not in window.signing.ui.missingLabel.text()
    lines = [
        window.signing.ui.signaturesList.item(i).text()
        for i in range(window.signing.ui.signaturesList.count())
    ]
    assert sum(1 for line in lines if line.startswith("拒签见证")) == 2

    with qtbot.waitSignal(window.signing.sealed, timeout=5000):
        qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
        sign_dialog(qtbot, window, pin=SITE_HEAD_PIN)
    detail = site.workspace.incident(window.incident_id)
    kinds = sorted(s["kind"] for s in detail["signatures"])
    assert kinds == ["confirm", "refusal_witness", "refusal_witness", "staff", "staff"]
    assert detail["status"] == "confirmed"


def test_wrong_pin_is_said_in_the_dialog_and_nothing_is_signed(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    dialog = sign_dialog(qtbot, window, signer="赵强", pin="0000")
    assert dialog.isVisible()  # stays open
    assert dialog.error_label.isVisible()
    assert "PIN" in dialog.error_label.text() and "赵强" in dialog.error_label.text()
    assert site.workspace.incident(window.incident_id)["signatures"] == []
    assert window.signing.state.staff_signers == []

    dialog.pin_edit.setText(ASSESSOR_PIN)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    signatures = site.workspace.incident(window.incident_id)["signatures"]
    assert [s["signer_name"] for s in signatures] == ["赵强"]


def test_wrong_site_head_pin_leaves_the_record_unconfirmed(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    sign_staff_pair(qtbot, window)
    ack = sign_dialog(qtbot, window)
    qtbot.waitUntil(lambda: not ack.isVisible())
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, window)
    assert dialog.signer().name == "陈静"  # only the site head confirms
    assert dialog.signer_combo.count() == 1
    sign_dialog(qtbot, window, pin="9999")
    assert dialog.isVisible() and "PIN" in dialog.error_label.text()
    detail = site.workspace.incident(window.incident_id)
    assert detail["status"] == "signed" and detail["seal"] is None
    assert "考场负责人确认" in window.signing.ui.missingLabel.text()


def test_a_dot_is_refused_by_the_pad_before_anything_is_submitted(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, window)
    qtbot.mouseClick(dialog.pad, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert site.workspace.incident(window.incident_id)["signatures"] == []


def test_site_head_is_not_offered_as_a_staff_signer_and_missing_fields_are_named(
    qtbot: QtBot, site: Site
) -> None:
    window = new_window(qtbot, site)
    ui = window.ui
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    assert "请先填写" in window.signing.ui.messageLabel.text()
    assert window.signing.dialog is None
    record_phone_use(qtbot, window)
    ui.descriptionEdit.clear()
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    assert "监考人员描述" in window.signing.ui.messageLabel.text()
    ui.descriptionEdit.setPlainText("李四在座位上使用手机。")
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, window)
    names = [dialog.signer_combo.itemText(i) for i in range(dialog.signer_combo.count())]
    assert names and not any(n.startswith("陈静") for n in names)
    assert dialog.signer().name == "李明"  # the operator first
    dialog.reject()


def test_missing_and_wrong_signing_pins_are_said_in_chinese(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    dialog = sign_dialog(qtbot, window, signer="赵强", own_pin=False)  # PIN left empty
    assert dialog.isVisible()
    assert dialog.error_label.text() == "请输入赵强的PIN码后签名"
    snapshot(dialog, "pin-sign-missing")

    dialog.pin_edit.setText("0000")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "赵强的PIN码不正确，请重试"
    assert site.workspace.incident(window.incident_id)["signatures"] == []
