"""Staff and institution incidents in the window, the search question's rule and the clause it
chooses, the person matching rules and the place each person brings, and a change typed just
before closing being saved on close."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.rulebook.model import Rulebook
from app.ui.rulebook_browser import RulebookBrowser
from tests.support.incident import (
    OFFSCREEN_NOISE,
    Site,
    new_window,
    type_text,
    wait_dialog,
)
from tests.support.review_shots import snapshot

pytestmark = OFFSCREEN_NOISE


@pytest.mark.parametrize(
    ("hits", "expected"),
    [
        ([("6.1", 13.5), ("5.1", 7.8)], ("6.1", "5.1")),  # 手机: close, so ask
        ([("5.1", 9.0), ("6.1", 8.0)], ("6.1", "5.1")),  # either order
        ([("6.1", 57.9), ("5.1", 7.8)], None),  # 使用手机: decided
        ([("5.1", 29.0), ("6.1", 13.5)], None),  # 携带手机: decided
        ([("5.3", 10.0), ("5.2", 9.0)], None),  # close, but not a carried/used pair
        ([("6.1", 10.0)], None),
    ],
)
def test_carried_or_used_question_only_for_a_close_carried_used_pair(
    national: Rulebook, hits: list[tuple[str, float]], expected: tuple[str, str] | None
) -> None:
    from app.ui.incident.behaviour import carry_or_use

    pair = carry_or_use(national, hits)
    assert (None if pair is None else (pair.used, pair.carried)) == expected


def test_person_matching_by_name_ticket_seat_and_id_tail(site: Site) -> None:
    from app.ui.incident.people import candidate_person, matches

    candidates = site.workspace.candidates(site.session_id)
    people = [candidate_person(c) for c in candidates]
    ids = {c.id: c.id_number for c in candidates}

    def names(text: str) -> list[str]:
        return [p.name for p in matches(people, text, ids)]

    assert names("张三") == ["张三", "张三丰"]  # the exact name first
    assert names("24060108") == ["王五"]
    assert names("1-6") == ["张三丰"]
    wang = next(c for c in candidates if c.name == "王五")
    assert names(wang.id_number[-4:]) == ["王五"]
    assert names("") == [] and names("赵") == []


def test_staff_incident_takes_the_role_from_the_staff_list(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site)
    ui = window.ui
    ui.partyCombo.setCurrentIndex(ui.partyCombo.findData("staff"))
    type_text(ui.personEdit, "赵强")
    assert window.picker.current is not None and window.picker.current.role == "assessor"
    type_text(ui.searchEdit, "打分不公")
    qtbot.keyClick(ui.searchEdit, Qt.Key.Key_Return)
    assert window.behaviour.clause.id == "10.1"
    assert ui.roleValue.isVisible() and ui.roleValue.text() == "考评人员"
    assert "第十条" in ui.outcomeSummary.text()
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    dialog = wait_dialog(qtbot, window)
    signers = [dialog.signer_combo.itemText(i) for i in range(dialog.signer_combo.count())]
    assert not any(s.startswith("赵强") for s in signers)  # nobody signs about themselves
    dialog.reject()
    content = site.workspace.incident(window.incident_id)["content"]
    assert content["person"]["kind"] == "staff" and content["facts"]["role"] == "assessor"


def test_institution_incident_needs_the_quality_supervisor_who_noted_it(
    qtbot: QtBot, site: Site
) -> None:
    window = new_window(qtbot, site)
    ui = window.ui
    ui.partyCombo.setCurrentIndex(ui.partyCombo.findData("institution"))
    assert not ui.personEdit.isVisible() and ui.notedByCombo.isVisible()
    type_text(ui.searchEdit, "未按规定组织")
    qtbot.keyClick(ui.searchEdit, Qt.Key.Key_Return)
    assert window.behaviour.clause.id == "13.2"
    ui.descriptionEdit.setPlainText("考点未按规定组织考务培训。")
    qtbot.mouseClick(window.signing.ui.signButton, Qt.MouseButton.LeftButton)
    assert "记录人（质量督导员）" in window.signing.ui.messageLabel.text()
    ui.notedByCombo.setCurrentIndex(ui.notedByCombo.findText("周敏"))
    assert window.ensure_saved() is not None
    content = site.workspace.incident(window.incident_id)["content"]
    assert content["noted_by"] == site.staff["周敏"] and content["regulator_flag"] is True


def test_text_typed_just_before_closing_is_saved_on_close(qtbot: QtBot, site: Site) -> None:
    window = new_window(qtbot, site)
    type_text(window.ui.personEdit, "李四")
    type_text(window.ui.statementEdit, "我没有使用。")
    assert window.autosaver.pending  # still inside the debounce
    window.close()
    from app.core.records.incidents import IncidentFilters

    listed = site.workspace.list_incidents(IncidentFilters(session_id=site.session_id))
    (incident_id,) = [s.id for s in listed]
    assert site.workspace.incident(incident_id)["content"]["statement"] == "我没有使用。"


def test_focus_leaving_the_window_saves_at_once(qtbot: QtBot, site: Site) -> None:
    from PySide6.QtWidgets import QApplication, QLineEdit

    window = new_window(qtbot, site)
    type_text(window.ui.personEdit, "李四")
    type_text(window.ui.statementEdit, "我在看时间。")
    assert window.autosaver.pending
    elsewhere = QLineEdit()
    qtbot.addWidget(elsewhere)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.focusChanged.emit(window.ui.statementEdit, elsewhere)  # as Qt does on a window switch
    assert not window.autosaver.pending
    statement = site.workspace.incident(window.incident_id)["content"]["statement"]
    assert statement == "我在看时间。"


def test_switching_to_a_staff_incident_drops_the_candidates_room_and_seat(
    qtbot: QtBot, site: Site
) -> None:
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


def test_the_chosen_clause_is_the_one_highlighted_among_the_hits(qtbot: QtBot, site: Site) -> None:
    """手机 lists 6.1 first; answering 'only carried' chooses 5.1, which the list then
    highlights (it kept 6.1 highlighted while 已选条款 said 5.1)."""
    window = new_window(qtbot, site)
    type_text(window.ui.searchEdit, "手机")
    hits = window.behaviour.hits
    assert hits.currentItem().data(Qt.ItemDataRole.UserRole) == "6.1"
    qtbot.mouseClick(window.ui.carriedButton, Qt.MouseButton.LeftButton)
    assert window.behaviour.clause.id == "5.1"
    assert hits.currentItem() is not None
    assert hits.currentItem().data(Qt.ItemDataRole.UserRole) == "5.1"


def test_a_staff_data_leak_is_recorded_under_15_2(qtbot: QtBot, site: Site) -> None:
    # Art. 15 ¶2 reaches "造成上述问题的相关机构、人员": the rulebook lets 15.2 apply to staff.
    window = new_window(qtbot, site)
    ui = window.ui
    ui.partyCombo.setCurrentIndex(ui.partyCombo.findData("staff"))
    type_text(ui.personEdit, "赵强")
    type_text(ui.searchEdit, "把考生身份证号卖给培训机构")
    QTest.keyClick(ui.searchEdit, Qt.Key.Key_Return)
    assert window.behaviour.clause is not None and window.behaviour.clause.id == "15.2"
    assert ui.roleValue.isVisible() and ui.roleValue.text() == "考评人员"
    assert "第十五条" in ui.outcomeSummary.text()
    window.autosaver.flush()
    content = site.workspace.incident(window.incident_id)["content"]
    assert content["clause"] == "15.2" and content["person"]["kind"] == "staff"
    assert content["outcome"]["party"] == "staff"
    assert "read_rights_revoked" in [m["code"] for m in content["outcome"]["measures"]]
    # The clause stays when the party goes from staff to institution: it reaches both.
    ui.partyCombo.setCurrentIndex(ui.partyCombo.findData("institution"))
    assert window.behaviour.clause is not None and window.behaviour.clause.id == "15.2"
    assert not ui.roleValue.isVisible()
    # Not to a candidate.
    ui.partyCombo.setCurrentIndex(ui.partyCombo.findData("candidate"))
    assert window.behaviour.clause is None


def test_the_rulebook_view_names_both_parties_of_15_2(national: Rulebook) -> None:
    from app.core.rulebook.model import Party
    from app.ui.clause_detail import clause_html
    from app.ui.labels import party_label

    shown = clause_html(national, national.clause("15.2"))
    assert party_label(Party.INSTITUTION) in shown and party_label(Party.STAFF) in shown
    assert party_label(Party.STAFF) not in clause_html(national, national.clause("15.1"))


def test_the_classifier_tries_15_2_for_either_party(browser: RulebookBrowser) -> None:
    panel = browser.classifier
    browser.select_clause("15.2")
    choice = panel.partyChoice
    assert choice.isVisible() and not panel.ui.partyValue.isVisible()
    assert [choice.itemData(i) for i in range(choice.count())] == ["institution", "staff"]
    assert panel.facts()["party"] == "institution" and not panel.ui.roleCombo.isVisible()
    choice.setCurrentIndex(choice.findData("staff"))
    assert panel.facts()["party"] == "staff" and panel.ui.roleCombo.isVisible()
    assert "报备" in panel.outcome_text()  # Art. 16 ¶2: the staff member's case is handled
    # A clause of one party shows it as text, as before.
    browser.select_clause("15.1")
    assert not choice.isVisible() and panel.ui.partyValue.isVisible()
    assert panel.facts()["party"] == "institution"
