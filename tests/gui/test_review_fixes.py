"""Fixes from the GUI review, each through the real widgets: PIN refusals in the interface
language, the exam date on the start list, the footer of a sealed record, the place of a
changed party, Back on the settings page, and the warning beside an unlikely incident time."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.support.incident import (
    OFFSCREEN_NOISE,
    SITE_HEAD_PIN,
    Site,
    confirmed_record,
    new_window,
    record_phone_use,
    sign_dialog,
)

pytestmark = OFFSCREEN_NOISE


def snapshot(widget: QWidget, name: str) -> None:
    """Save what the widget shows when REVIEW_SHOTS names a folder (for a person to look at)."""
    folder = os.environ.get("REVIEW_SHOTS")
    if folder:
        QApplication.processEvents()  # pending layout requests first
        widget.grab().save(str(Path(folder) / f"{name}.png"))


# -- 1. PIN refusals in the interface language -------------------------------------------------


def test_missing_and_wrong_signing_pins_are_said_in_chinese(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    dialog = sign_dialog(qtbot, window, signer="赵强")  # PIN left empty
    assert dialog.isVisible()
    assert dialog.error_label.text() == "请输入赵强的PIN码后签名"
    snapshot(dialog, "pin-sign-missing")

    dialog.pin_edit.setText("0000")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "赵强的PIN码不正确，请重试"
    assert site.workspace.incident(window.incident_id)["signatures"] == []


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


# -- 2. the exam date on the start list ------------------------------------------------------


def test_start_list_shows_the_exam_date_not_the_creation_date(
    qtbot: QtBot, tmp_path: Path, qapp: QApplication
) -> None:
    import datetime as dt

    from app.core.records.app_state import AppSettings, save_settings
    from app.core.records.service import Workspace
    from app.ui.main_window import MainWindow
    from tests.support.main_window import DAY, make_session

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


# -- 3. the footer of a sealed record ----------------------------------------------------------


def test_footer_says_sealed_once_confirmed_and_void_once_voided(qtbot: QtBot, site: Site) -> None:
    from tests.support.incident import sign_staff_pair

    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    sign_staff_pair(qtbot, window)
    ack = sign_dialog(qtbot, window)  # the person's acknowledgement follows
    qtbot.waitUntil(lambda: not ack.isVisible())
    assert window.ui.saveState.text().startswith("已保存草稿")
    with qtbot.waitSignal(window.signing.sealed, timeout=5000):
        qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
        sign_dialog(qtbot, window, pin=SITE_HEAD_PIN)
    qtbot.waitUntil(lambda: window.read_only)
    footer = window.ui.saveState.text()
    number = window.detail["number"]
    assert footer.startswith("已确认并封存 ") and footer.endswith(f"（{number}）"), footer
    assert "草稿" not in footer
    snapshot(window, "footer-sealed")

    # Reopened later, the sealed record says the same.
    again = new_window(qtbot, site, window.incident_id)
    assert again.ui.saveState.text() == footer

    qtbot.mouseClick(window.ui.voidButton, Qt.MouseButton.LeftButton)
    dialog = window.lifecycle_dialog
    dialog.ui.reasonEdit.setPlainText("录入错误")
    dialog.ui.pinEdit.setText(SITE_HEAD_PIN)
    qtbot.mouseClick(
        dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: window.ui.saveState.text() == f"已作废（{number}）")


def test_voiding_an_amendment_says_only_the_amendment_goes(qtbot: QtBot, site: Site) -> None:
    """Voiding version 2 discards the amendment; the dialog and the footer say that version
    1 stands (a proctor read "已作废（SX-001）" as the whole record void)."""
    from tests.support.incident import confirmed_record

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


# -- 4. the place of a changed party or person ------------------------------------------------


def test_switching_to_a_staff_incident_drops_the_candidates_room_and_seat(
    qtbot: QtBot, site: Site
) -> None:
    from tests.support.incident import type_text

    window = new_window(qtbot, site)
    ui = window.ui
    type_text(ui.personEdit, "王五")
    assert (ui.roomCombo.currentData(), ui.seatSpin.value()) == ("第1考场", 8)

    ui.partyCombo.setFocus()
    qtbot.keyClick(ui.partyCombo, Qt.Key.Key_Down)  # 参评人员 → 工作人员
    assert ui.partyCombo.currentData() == "staff"
    type_text(ui.personEdit, "赵强")
    assert window.picker.current is not None and window.picker.current.name == "赵强"
    assert ui.roomCombo.currentData() is None and ui.seatSpin.value() == 0
    assert ui.seatSpin.text() == "—"
    snapshot(window, "staff-place-cleared")
    assert window.ensure_saved() is not None
    content = site.workspace.incident(window.incident_id)["content"]
    assert (content["room"], content["seat"]) == (None, None)


def test_another_candidate_brings_their_own_place_and_a_hand_set_place_stays(
    qtbot: QtBot, site: Site
) -> None:
    from tests.support.incident import type_text

    window = new_window(qtbot, site)
    ui = window.ui
    type_text(ui.personEdit, "王五")
    assert ui.seatSpin.value() == 8
    ui.personEdit.selectAll()
    type_text(ui.personEdit, "李四")
    assert window.picker.current is not None and window.picker.current.name == "李四"
    assert (ui.roomCombo.currentData(), ui.seatSpin.value()) == ("第1考场", 7)

    ui.seatSpin.setFocus()
    qtbot.keyClick(ui.seatSpin, Qt.Key.Key_Up)  # the proctor corrects the seat by hand
    assert ui.seatSpin.value() == 8
    ui.partyCombo.setFocus()
    qtbot.keyClick(ui.partyCombo, Qt.Key.Key_Down)
    assert (ui.roomCombo.currentData(), ui.seatSpin.value()) == ("第1考场", 8)


# -- 5. Back on the settings page --------------------------------------------------------------


def test_back_on_settings_undoes_a_language_chosen_there_and_save_keeps_it(
    qtbot: QtBot, tmp_path: Path, qapp: QApplication
) -> None:
    from app.core.records.app_state import AppSettings, load_settings, save_settings
    from app.core.records.service import Workspace
    from app.ui.main_window import MainWindow
    from tests.support.main_window import build_translations, restore_chinese

    build_translations()
    workspace = Workspace.open(tmp_path / "data")
    try:
        settings = AppSettings("Laptop 1")
        save_settings(workspace.data_dir, settings)
        window = MainWindow(workspace.data_dir, settings, workspace=workspace)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        qtbot.mouseClick(window.start_screen.ui.settingsButton, Qt.MouseButton.LeftButton)
        page = window.settings_page
        assert page is not None
        ui = page.ui
        ui.languageCombo.setFocus()
        qtbot.keyClick(ui.languageCombo, Qt.Key.Key_Down)  # 简体中文 → English
        assert ui.languageCombo.currentData() == "en"
        assert window.file_menu.title() == "&File"  # applied at once, to read the page in
        # Retranslating keeps the device's values on the page.
        assert ui.deviceIdValue.text() == workspace.device.device_id
        assert ui.fingerprintValue.text() == workspace.device.fingerprint
        assert ui.dataFolderValue.text() == str(workspace.data_dir)
        assert page.message()  # says that it applies now and Back undoes it
        ui.deviceNameEdit.clear()
        qtbot.keyClicks(ui.deviceNameEdit, "Laptop 9")
        snapshot(window, "settings-language-chosen")

        qtbot.mouseClick(ui.backButton, Qt.MouseButton.LeftButton)
        assert window.current_page() is window.start_screen
        assert window.file_menu.title() == "文件(&F)"
        assert window.start_screen.ui.titleLabel.text() == "选择考试场次"
        saved = load_settings(workspace.data_dir)
        assert (saved.language, saved.device_name) == ("zh_CN", "Laptop 1")

        # Reopened, the page shows what is saved; Save keeps a new language, Back then keeps it.
        qtbot.mouseClick(window.start_screen.ui.settingsButton, Qt.MouseButton.LeftButton)
        assert ui.languageCombo.currentData() == "zh_CN"
        assert ui.deviceNameEdit.text() == "Laptop 1"
        ui.languageCombo.setFocus()
        qtbot.keyClick(ui.languageCombo, Qt.Key.Key_Down)
        qtbot.mouseClick(ui.saveButton, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(ui.backButton, Qt.MouseButton.LeftButton)
        assert window.file_menu.title() == "&File"
        assert load_settings(workspace.data_dir).language == "en"
        window.close()
    finally:
        restore_chinese(qapp)
        workspace.close()


# -- 6. a warning beside an unlikely incident time --------------------------------------------


def test_a_future_or_out_of_session_time_is_warned_beside_the_field(
    qtbot: QtBot, site: Site
) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from tests.support.incident import ZONE

    window = new_window(qtbot, site)
    ui = window.ui
    record_phone_use(qtbot, window)
    warning = window.time_warning
    assert not warning.isVisible()  # now, during 理论知识

    def type_time(when: dt.datetime) -> None:
        ui.timeEdit.setFocus()
        qtbot.keyClick(ui.timeEdit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(ui.timeEdit, when.strftime("%Y-%m-%d %H:%M"))
        assert window.occurred_at().replace(second=0) == when

    now = dt.datetime.now(ZoneInfo(ZONE)).replace(second=0, microsecond=0)
    type_time(now + dt.timedelta(days=3))
    assert warning.isVisible()
    assert warning.text() == "发生时间晚于当前时间，请核对。"
    snapshot(window, "time-future")
    # A warning, not a refusal: the draft is still saved.
    assert window.ensure_saved() is not None
    assert ui.saveState.text().startswith("已保存草稿")

    type_time(now - dt.timedelta(hours=3))  # before the first subject began
    assert warning.isVisible()
    assert warning.text() == "发生时间不在本场次任何科目的考试时间内，请核对。"

    type_time(now)
    assert not warning.isVisible()
    ui.subjectCombo.setFocus()
    qtbot.keyClick(ui.subjectCombo, Qt.Key.Key_Down)  # 操作技能, which has not begun
    assert ui.subjectCombo.currentData() == "操作技能"
    assert warning.isVisible()
    assert warning.text() == "发生时间在“理论知识”的考试时间内，与所选科目不符，请核对。"


def test_sizes_that_round_alike_are_given_in_bytes() -> None:
    from app.ui.incident.attachments import sizes_apart

    limit = 100 * 1024 * 1024
    assert sizes_apart(limit + 10, limit) == ("104,857,610 B", "104,857,600 B")
    assert sizes_apart(2 * limit, limit) == ("200.0 MB", "100.0 MB")


def test_the_chosen_clause_is_the_one_highlighted_among_the_hits(
    qtbot: QtBot, site: Site
) -> None:
    """手机 lists 6.1 first; answering 'only carried' chooses 5.1, which the list then
    highlights (it kept 6.1 highlighted while 已选条款 said 5.1)."""
    from tests.support.incident import type_text

    window = new_window(qtbot, site)
    type_text(window.ui.searchEdit, "手机")
    hits = window.behaviour.hits
    assert hits.currentItem().data(Qt.ItemDataRole.UserRole) == "6.1"
    qtbot.mouseClick(window.ui.carriedButton, Qt.MouseButton.LeftButton)
    assert window.behaviour.clause.id == "5.1"
    assert hits.currentItem() is not None
    assert hits.currentItem().data(Qt.ItemDataRole.UserRole) == "5.1"
