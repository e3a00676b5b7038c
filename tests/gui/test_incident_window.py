"""The incident window: the 5.1 reminder note, the voided-signatures banner, evidence files and
their sizes, video references, defaults, a warning beside an unlikely time, the live outcome
panel, and the footer of a sealed or voided record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from tests.support.incident import (
    OFFSCREEN_NOISE,
    SITE_HEAD_PIN,
    ZONE,
    Site,
    new_window,
    record_phone_use,
    sign_dialog,
    sign_staff_pair,
    type_text,
)
from tests.support.review_shots import snapshot

pytestmark = OFFSCREEN_NOISE


def test_new_window_preselects_the_subject_in_progress_and_the_time_now(
    qtbot: QtBot, site: Site
) -> None:
    window = new_window(qtbot, site)
    ui = window.ui
    assert ui.subjectCombo.currentData() == "理论知识"
    assert ui.partyCombo.currentData() == "candidate"
    assert window.focusWidget() is ui.personEdit
    assert ui.outcomeHeading.text() == "依据条款可能适用的处理（待评价机构认定）"
    assert window.incident_id is None  # nothing is numbered until something is entered


def test_seat_and_id_tail_find_the_candidate_and_prefill_the_place(
    qtbot: QtBot, site: Site
) -> None:
    window = new_window(qtbot, site)
    ui = window.ui
    type_text(ui.personEdit, "1-7")  # room 1, seat 7
    assert window.picker.current is not None and window.picker.current.name == "李四"
    assert ui.roomCombo.currentData() == "第1考场"
    assert ui.seatSpin.value() == 7
    assert window.focusWidget() is ui.searchEdit


def test_reminded_candidate_who_corrected_gets_no_penalty_and_a_reminder_note(
    qtbot: QtBot, site: Site
) -> None:
    window = new_window(qtbot, site)
    ui = window.ui
    type_text(ui.personEdit, "王五")
    type_text(ui.searchEdit, "携带手机")
    assert not ui.questionFrame.isVisible()  # 携带 decides it: no question
    qtbot.keyClick(ui.searchEdit, Qt.Key.Key_Return)  # Enter takes the top hit
    assert window.behaviour.clause.id == "5.1"
    assert ui.warnedCombo.isVisible() and ui.refusedCombo.isVisible()
    assert not ui.severityCombo.isVisible()  # 5.1 needs no severity
    assert window.focusWidget() is ui.warnedCombo
    assert "尚不能认定" in ui.outcomeSummary.text()
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    # Nobody signs before it is known whether there was a violation at all.
    assert window.signing.dialog is None
    assert "需查明的事实（是否经提醒" in window.signing.ui.messageLabel.text()

    ui.warnedCombo.setCurrentIndex(1)  # 是
    ui.refusedCombo.setCurrentIndex(2)  # 否: corrected after the reminder
    summary = ui.outcomeSummary.text()
    assert "经提醒已改正" in summary and "提醒记录" in summary
    assert "按所填事实不构成违纪违规" in summary
    assert "取消" not in summary
    assert "按所填事实不构成违纪违规" in ui.outcomeView.toPlainText()
    description = ui.descriptionEdit.toPlainText()
    # Drafted from 5.1's own text, not the search words; the reminder's result from the facts.
    assert "参评人员王五携带禁携物品" in description and "（第五条第（一）项）。" in description
    assert description.endswith("经提醒，已改正。")
    assert "拒不改正" not in description

    with qtbot.waitSignal(window.saved, timeout=3000):
        pass
    content = site.workspace.incident(window.incident_id)["content"]
    assert content["clause"] == "5.1"
    assert content["facts"]["warned"] is True and content["facts"]["refused"] is False
    assert content["outcome"]["violation"] is False
    assert content["outcome"]["scores_cancelled"] == "none"

    # The note is signed and sealed like any record.
    sign_staff_pair(qtbot, window)
    acknowledge = sign_dialog(qtbot, window)
    qtbot.waitUntil(lambda: not acknowledge.isVisible())
    with qtbot.waitSignal(window.signing.sealed, timeout=5000):
        qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
        sign_dialog(qtbot, window, pin=SITE_HEAD_PIN)
    assert site.workspace.incident(window.incident_id)["status"] == "confirmed"


def test_change_after_signing_voids_the_signatures_and_shows_the_banner(
    qtbot: QtBot, site: Site
) -> None:
    window = new_window(qtbot, site)
    ui = window.ui
    record_phone_use(qtbot, window)
    sign_staff_pair(qtbot, window)
    ack = window.signing.dialog
    qtbot.waitUntil(lambda: window.signing.dialog is not None)
    window.signing.dialog.reject()  # the candidate steps away for a moment
    assert not ui.bannerLabel.isVisible()
    assert site.workspace.incident(window.incident_id)["status"] == "signed"
    del ack

    ui.descriptionEdit.setFocus()
    type_text(ui.descriptionEdit, "另：桌面有草稿纸。")
    with qtbot.waitSignal(window.saved, timeout=3000):
        pass
    assert ui.bannerLabel.isVisible()
    assert "2 个签名已作废" in ui.bannerLabel.text()
    assert ui.bannerLabel.height() < 80  # a plain line above the form, not half the window
    detail = site.workspace.incident(window.incident_id)
    assert detail["status"] == "draft"
    assert all(s["voided"] for s in detail["signatures"])
    assert window.signing.state.next_step() == "staff"
    assert "还需 2 人" in window.signing.ui.missingLabel.text()


def test_evidence_files_show_thumbnails_and_a_too_large_file_is_refused_in_place(
    qtbot: QtBot, site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.incident import dialogs

    photo = tmp_path / "desk.png"
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("#3070c0"))
    assert image.save(str(photo))
    clip = tmp_path / "camera.mp4"
    clip.write_bytes(b"\0" * 50_000)
    site.workspace.evidence_limit = 40_000
    monkeypatch.setattr(dialogs, "ask_evidence_files", lambda _parent: [str(photo), str(clip)])

    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    qtbot.mouseClick(window.ui.addEvidenceButton, Qt.MouseButton.LeftButton)

    assert window.ui.evidenceList.count() == 1
    item = window.ui.evidenceList.item(0)
    assert item.text().startswith("desk.png")
    assert not item.icon().isNull()
    pixmap = item.icon().pixmap(96, 72)
    assert QColor(pixmap.toImage().pixel(pixmap.width() // 2, pixmap.height() // 2)) == QColor(
        "#3070c0"
    )  # a thumbnail of the picture, not a generic icon
    message = window.ui.evidenceMessage.text()
    assert "camera.mp4" in message and "超过" in message
    evidence = site.workspace.incident(window.incident_id)["content"]["evidence"]
    assert [e["name"] for e in evidence] == ["desk.png"]


def test_video_reference_and_seized_item_are_saved_with_the_draft(qtbot: QtBot, site: Site) -> None:
    from PySide6.QtCore import QTime

    window = new_window(qtbot, site)
    ui = window.ui
    record_phone_use(qtbot, window)
    ui.cameraEdit.setText("C-03")
    ui.videoFromEdit.setTime(QTime(9, 40, 0))
    ui.videoToEdit.setTime(QTime(9, 38, 0))
    qtbot.mouseClick(ui.addVideoButton, Qt.MouseButton.LeftButton)
    assert "晚于" in ui.saveState.text()  # end before start: said in place, nothing added
    ui.videoToEdit.setTime(QTime(9, 45, 0))
    qtbot.mouseClick(ui.addVideoButton, Qt.MouseButton.LeftButton)
    assert ui.videoList.count() == 1 and "C-03" in ui.videoList.item(0).text()

    qtbot.mouseClick(ui.addSeizedButton, Qt.MouseButton.LeftButton)
    ui.seizedTable.item(0, 0).setText("手机一部")
    ui.seizedTable.item(0, 1).setText("SZ-0042")
    assert window.ensure_saved() == window.incident_id
    content = site.workspace.incident(window.incident_id)["content"]
    assert content["seized_items"] == [{"description": "手机一部", "receipt_number": "SZ-0042"}]
    assert [v["camera"] for v in content["videos"]] == ["C-03"]
    assert content["videos"][0]["start"].endswith("01:40:00.000000Z")  # 09:40 in Shanghai


def test_switching_to_english_retranslates_the_open_window(qtbot: QtBot, site: Site) -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.i18n import available_languages, switch_language

    if "en" not in available_languages():
        pytest.skip("the English translation is not built (tools/translations.py build)")
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        switch_language(app, "en")
        qtbot.waitUntil(lambda: window.ui.partyLabel.text() != "当事方(&P)：")
        assert window.ui.outcomeHeading.text().startswith("Handling the clause")
        assert window.behaviour.clause is not None and window.behaviour.clause.id == "6.1"
        assert not window.autosaver.pending or window.ensure_saved()  # nothing lost on switch
    finally:
        switch_language(app, "zh_CN")
    qtbot.waitUntil(lambda: window.ui.partyLabel.text() == "当事方(&P)：")
    assert window.ui.outcomeHeading.text() == "依据条款可能适用的处理（待评价机构认定）"


def test_a_disk_failure_while_saving_is_reported_politely_and_kept_pending(
    qtbot: QtBot, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui import errors

    window = new_window(qtbot, site)
    record_phone_use(qtbot, window)
    assert window.ensure_saved() is not None
    shown: list[str] = []
    monkeypatch.setattr(errors, "ask_show_unexpected", lambda _parent, text: shown.append(text))

    def broken(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(site.workspace, "update_draft", broken)
    window.ui.statementEdit.setPlainText("我没有使用。")
    assert window.ensure_saved() is None
    assert "意外问题" in window.ui.saveState.text()
    assert shown and "意外问题" in shown[0]
    assert window.autosaver.pending  # tried again on the next change or on close
    monkeypatch.undo()
    assert window.ensure_saved() == window.incident_id
    assert site.workspace.incident(window.incident_id)["content"]["statement"] == "我没有使用。"


def test_the_outcome_heading_names_who_determines_for_the_party(qtbot: QtBot, site: Site) -> None:
    """Art. 16: the institution for a candidate, the institution or its regulator for staff,
    the regulator for the institution itself."""
    window = new_window(qtbot, site)
    combo = window.ui.partyCombo
    for party, heading in (
        ("staff", "依据条款可能适用的处理（待评价机构、评价机构监管部门处理）"),
        ("institution", "依据条款可能适用的处理（待评价机构监管部门认定）"),
        ("candidate", "依据条款可能适用的处理（待评价机构认定）"),
    ):
        combo.setCurrentIndex(combo.findData(party))
        assert window.ui.outcomeHeading.text() == heading


def test_footer_says_sealed_once_confirmed_and_void_once_voided(qtbot: QtBot, site: Site) -> None:
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


def test_a_future_or_out_of_session_time_is_warned_beside_the_field(
    qtbot: QtBot, site: Site
) -> None:
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


def test_the_window_opens_within_the_screen_leaving_room_for_a_title_bar(
    qtbot: QtBot, site: Site
) -> None:
    # On a 1366×768 laptop the taskbar and the title bar take about 70 px: a 720 px tall window
    # put its footer below the screen. The test's screen is smaller still (offscreen 800×800).
    from PySide6.QtGui import QGuiApplication

    from app.ui.incident.window import FRAME_ALLOWANCE, open_incident_window

    window = open_incident_window(site.workspace, site.session_id, operator_id=site.staff["李明"])
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    free = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    assert window.height() + FRAME_ALLOWANCE <= free.height()
    assert window.width() <= free.width()
    # The signing button, the footer's last control, is drawn inside the window.
    button = window.signing.ui.signButton
    assert button.isVisible()
    bottom = button.mapTo(window, button.rect().bottomLeft()).y()
    assert 0 < bottom <= window.height()
