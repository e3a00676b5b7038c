"""The candidate's moment: the acknowledgement dialog shows the record in large print with
"签名仅表示已知悉记录内容", the proctor's refuse and departed buttons stand apart from OK and
Cancel, and seizing a phone is one click taking the next receipt number."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.records.receipt_numbers import FIRST, next_receipt
from tests.support.incident import (
    OFFSCREEN_NOISE,
    Site,
    confirmed_record,
    new_window,
    record_phone_use,
    sign_staff_pair,
    wait_dialog,
)
from tests.support.review_shots import snapshot

pytestmark = OFFSCREEN_NOISE


def _top_left(widget: QWidget, dialog: QWidget) -> QPoint:
    return widget.mapTo(dialog, QPoint(0, 0))


def test_the_person_sees_what_they_sign_in_large_print(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    qtbot.mouseClick(window.ui.seizePhoneButton, Qt.MouseButton.LeftButton)
    sign_staff_pair(qtbot, window)
    ack = wait_dialog(qtbot, window)
    snapshot(ack, "candidate-screen")
    view = ack.record_view
    assert view.isVisible()
    text = view.toPlainText()
    for shown in ("李四", "24060107", "第1考场", "7号座位", "6.1", "使用规定以外的电子设备"):
        assert shown in text, shown
    assert "手机一部" in text and "SZ-0001" in text  # what was seized, with its receipt
    assert window.ui.descriptionEdit.toPlainText() in text
    assert "取消当次全部科目评价成绩" in text  # the possible outcome, pending the institution
    assert ack.note_label.isVisible()
    assert ack.note_label.text() == "签名仅表示已知悉记录内容。"
    assert view.font().pointSizeF() > ack.prompt.font().pointSizeF() * 1.3

    # Refusing is the proctor's, apart: not in the OK/Cancel box, and above the pad.
    assert ack.buttons.buttons() and ack.refuse_button not in ack.buttons.buttons()
    assert ack.departed_button not in ack.buttons.buttons()
    refuse_y = _top_left(ack.refuse_button, ack).y()
    assert refuse_y < _top_left(ack.pad, ack).y() < _top_left(ack.ok_button, ack).y()
    ack.reject()
    window.close()


def test_seizing_a_phone_is_one_click_with_the_next_receipt(qtbot: QtBot, site: Site) -> None:
    confirmed_record(site, seized=True)  # SZ-0001 is taken by an earlier record
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    qtbot.mouseClick(window.ui.seizePhoneButton, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.ui.seizePhoneButton, Qt.MouseButton.LeftButton)
    items = window.seized.items()
    assert [(i.description, i.receipt_number) for i in items] == [
        ("手机一部", "SZ-0002"),
        ("手机一部", "SZ-0003"),
    ]
    qtbot.mouseClick(window.ui.addSeizedButton, Qt.MouseButton.LeftButton)
    assert window.seized.items()[-1].receipt_number == "SZ-0004"  # typed item, next receipt
    window.close()


def test_next_receipt_keeps_prefix_and_width() -> None:
    assert next_receipt([]) == FIRST == "SZ-0001"
    assert next_receipt(["SZ-0009", "SZ-0010", "paper"]) == "SZ-0011"
    assert next_receipt(["A12", "B7"]) == "A13"
    assert next_receipt(["0099"]) == "0100"


def test_the_new_dialogs_fit_in_english_and_the_pseudo_translation(
    qtbot: QtBot, site: Site, qapp: object
) -> None:
    """The candidate screen, a signer without a PIN (the site head's group shown) and the
    staff-PIN dialog: no label, button or group title clipped in English or 40 % longer."""
    from PySide6.QtWidgets import QApplication

    from app.core.rosters.rows import StaffRow
    from app.ui.i18n import switch_language
    from app.ui.lock.staff_pins import StaffPinDialog
    from tests.support.incident import sign_dialog
    from tests.support.layout_check import find_clipped_widgets
    from tests.support.main_window import build_translations, restore_chinese

    build_translations()
    ws = site.workspace
    ws.import_staff(site.session_id, [StaffRow("吴刚", "exam_admin", "GZ0006", None)])
    wu = next(s for s in ws.staff(site.session_id) if s.name == "吴刚")
    problems: dict[str, list[str]] = {}
    try:
        for language in ("en", "pseudo"):
            switch_language(qapp, language)  # type: ignore[arg-type]
            window = new_window(qtbot, site)
            window.signing.reload_staff()
            record_phone_use(qtbot, window)
            qtbot.mouseClick(window.ui.seizePhoneButton, Qt.MouseButton.LeftButton)
            qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
            first = wait_dialog(qtbot, window)
            first.signer_combo.setCurrentIndex(first.signer_combo.findData(wu.id))
            QApplication.processEvents()
            problems[f"{language} signer without PIN"] = find_clipped_widgets(first)
            first.signer_combo.setCurrentIndex(first.signer_combo.findData(site.staff["李明"]))
            sign_dialog(qtbot, window)
            qtbot.waitUntil(lambda d=first: not d.isVisible())  # type: ignore[misc]
            second = wait_dialog(qtbot, window)
            problems[f"{language} second signer"] = find_clipped_widgets(second)
            # By id: the pseudo-translation decorates the combo's texts.
            second.signer_combo.setCurrentIndex(second.signer_combo.findData(site.staff["王芳"]))
            sign_dialog(qtbot, window)
            qtbot.waitUntil(lambda d=second: not d.isVisible())  # type: ignore[misc]
            ack = wait_dialog(qtbot, window)
            QApplication.processEvents()
            problems[f"{language} candidate screen"] = find_clipped_widgets(ack)
            ack.reject()
            pins = StaffPinDialog(ws, site.session_id)
            qtbot.addWidget(pins)
            pins.show()
            QApplication.processEvents()
            problems[f"{language} staff PINs"] = find_clipped_widgets(pins)
            pins.reject()
            window.close()
    finally:
        restore_chinese(qapp)  # type: ignore[arg-type]
    assert {k: v for k, v in problems.items() if v} == {}
