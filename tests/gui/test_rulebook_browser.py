"""The rulebook browser pane driven as a user would: tree, detail, search, classifier."""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from app.core.rulebook.model import Party, Rulebook
from app.ui.rulebook_browser import RulebookBrowser

NATIONAL = "cn-national-2021"
EXTENSION = "example-gd-2024"


def type_text(widget: QWidget, text: str) -> None:
    """Type text, Chinese included, one key event per character (keyClicks aborts on CJK)."""
    for char in text:
        event = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char
        )
        QApplication.sendEvent(widget, event)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered by {combo.objectName()}"
    combo.setCurrentIndex(index)


def pick_clause(browser: RulebookBrowser, clause_id: str) -> None:
    """Choose the clause in the classifier's own clause box, as a user would."""
    combo = browser.classifier.ui.clauseCombo
    index = combo.findData(clause_id)
    assert index >= 0
    combo.setCurrentIndex(index)


def outcome_line(browser: RulebookBrowser, label: str) -> str:
    """The value shown beside ``label`` in the outcome panel (a table: one cell a line)."""
    lines = [ln.strip() for ln in browser.classifier.outcome_text().splitlines()]
    assert label in lines, f"no {label!r} row in:\n{browser.classifier.outcome_text()}"
    return lines[lines.index(label) + 1]


def visible_inputs(browser: RulebookBrowser) -> set[str]:
    ui = browser.classifier.ui
    names = [
        "warnedCombo",
        "refusedCombo",
        "severityCombo",
        "adverseCombo",
        "priorWarningCombo",
        "roleCombo",
        "discoveredCheck",
        "certificateCombo",
        "decisionDateEdit",
    ]
    return {n for n in names if getattr(ui, n).isVisibleTo(browser)}


def test_tree_lists_every_clause_grouped_by_party(
    browser: RulebookBrowser, national: Rulebook
) -> None:
    listed = browser.clause_ids_listed()
    assert listed == list(national.clauses)
    tree = browser.ui.clauseTree
    tops = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert tops == ["参评人员", "工作人员", "评价机构"]
    candidates = tree.topLevelItem(0)
    assert candidates.child(0).text(0).startswith("第五条")
    assert candidates.child(0).child(0).text(0).startswith("5.1")


def test_clicking_6_1_shows_its_verbatim_chinese_text(
    browser: RulebookBrowser, national: Rulebook, qtbot: QtBot
) -> None:
    tree = browser.ui.clauseTree
    item = next(
        tree.topLevelItem(0).child(1).child(i)
        for i in range(tree.topLevelItem(0).child(1).childCount())
        if tree.topLevelItem(0).child(1).child(i).text(0).startswith("6.1")
    )
    tree.scrollToItem(item)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )
    assert browser.current_clause_id() == "6.1"
    clause = national.clause("6.1")
    text = browser.detail_text()
    assert national.articles[6].head_zh in text
    assert clause.text_zh in text
    assert clause.text_en in text
    for measure in national.articles[6].measures:
        assert measure.zh in text
    # The classifier follows the tree.
    assert browser.classifier.clause_id() == "6.1"
    assert browser.classifier.ui.partyValue.text() == "参评人员"


def test_detail_shows_notes_and_needed_facts(browser: RulebookBrowser, national: Rulebook) -> None:
    browser.select_clause("5.1")
    text = browser.detail_text()
    assert "认定所需事实" in text and "是否经提醒" in text
    notes = [*national.clause("5.1").notes_zh, *national.articles[5].notes_zh]
    assert notes, "the national rulebook records its readings for 5.1"
    for note in notes:
        assert note in text


def test_chinese_search_ranks_6_1_first(browser: RulebookBrowser, national: Rulebook) -> None:
    type_text(browser.ui.searchEdit, "使用手机")
    assert browser.ui.searchEdit.text() == "使用手机"
    listed = browser.clause_ids_listed()
    assert listed[0] == "6.1"
    assert len(listed) < len(national.clauses)
    assert browser.current_clause_id() == "6.1"


def test_search_by_english_word_and_clearing_restores_the_tree(
    browser: RulebookBrowser, national: Rulebook, qtbot: QtBot
) -> None:
    qtbot.keyClicks(browser.ui.searchEdit, "phone")
    listed = browser.clause_ids_listed()
    assert "6.1" in listed and len(listed) < len(national.clauses)
    browser.ui.searchEdit.clear()
    assert browser.clause_ids_listed() == list(national.clauses)
    assert browser.ui.clauseTree.topLevelItem(0).text(0) == "参评人员"


def test_search_by_clause_id_puts_that_clause_first(browser: RulebookBrowser) -> None:
    browser.ui.searchEdit.setText("13.1")
    assert browser.clause_ids_listed()[0] == "13.1"
    browser.ui.searchEdit.setText("zzqqxx")
    assert browser.clause_ids_listed() == []
    assert "没有找到" in browser.ui.statusLabel.text()


def activate(browser: RulebookBrowser, qtbot: QtBot) -> None:
    """Keyboard focus needs an active window (under Xvfb nothing activates it by itself)."""
    browser.activateWindow()
    qtbot.waitUntil(browser.isActiveWindow)


def test_ctrl_f_focuses_search(browser: RulebookBrowser, qtbot: QtBot) -> None:
    activate(browser, qtbot)
    browser.ui.clauseTree.setFocus()
    qtbot.waitUntil(lambda: browser.ui.clauseTree.hasFocus())
    qtbot.keyClick(browser.ui.clauseTree, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: browser.ui.searchEdit.hasFocus())


def test_tab_walks_chooser_search_list_detail_then_classifier(
    browser: RulebookBrowser, qtbot: QtBot
) -> None:
    activate(browser, qtbot)
    ui = browser.ui
    order = [ui.rulebookCombo, ui.searchEdit, ui.clauseTree, ui.detailView]
    order.append(browser.classifier.ui.clauseCombo)
    order.append(browser.classifier.ui.dateEdit)
    ui.rulebookCombo.setFocus()
    qtbot.waitUntil(ui.rulebookCombo.hasFocus)
    for widget in order[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        qtbot.waitUntil(widget.hasFocus)


def test_article_row_shows_the_article_and_escalations_are_explained(
    browser: RulebookBrowser, national: Rulebook
) -> None:
    tree = browser.ui.clauseTree
    institution = tree.topLevelItem(2)
    tree.setCurrentItem(institution.child(0))  # 第十二条
    assert national.articles[12].head_zh in browser.detail_text()
    browser.select_clause("12.1")
    assert "情节严重时，按 13.1 处理" in browser.detail_text()


def test_classifier_7_4_serious_gives_five_year_ban_and_referral(
    browser: RulebookBrowser,
) -> None:
    pick_clause(browser, "7.4")
    assert browser.current_clause_id() == "7.4"  # the tree follows the classifier
    ui = browser.classifier.ui
    assert visible_inputs(browser) == {"severityCombo", "discoveredCheck"}
    ui.dateEdit.setDate(QDate(2026, 6, 12))
    choose(ui.severityCombo, "情节严重")
    assert browser.classifier.outcome_text().splitlines()[0] == "可能构成违纪违规（待评价机构认定）"
    # No decision yet (Art. 17 notice first): the period, not a date.
    assert outcome_line(browser, "不得参加评价") == "5 年（期间起算以处理决定为准）"
    assert "不得参加评价至（含）" not in browser.classifier.outcome_text()
    assert outcome_line(browser, "移送有关部门") == "是"
    assert "第七条第（四）项（7.4）" in outcome_line(browser, "适用条款")
    assert "取消当次全部科目评价成绩" in outcome_line(browser, "成绩处理")
    choose(ui.severityCombo, "情节轻微")
    assert outcome_line(browser, "不得参加评价") == "2 年（期间起算以处理决定为准）"
    assert outcome_line(browser, "移送有关部门") == "否"
    # Decided later (found after the exam): the ban is dated from the decision.
    ui.discoveredCheck.setChecked(True)
    ui.decisionDateEdit.setDate(QDate(2026, 7, 3))
    assert "2028-07-03" in outcome_line(browser, "不得参加评价至（含）")


def test_classifier_severity_unknown_lists_it_as_pending(browser: RulebookBrowser) -> None:
    pick_clause(browser, "7.1")
    assert "情节轻微或严重" in outcome_line(browser, "待查明事实")
    assert "不得参加评价至" not in browser.classifier.outcome_text()
    # Minor or serious, at least two years: said, not dropped.
    assert outcome_line(browser, "不得参加评价").startswith("不少于 2 年（情节轻重待认定")


def test_classifier_5_1_warned_and_corrected_is_no_violation(browser: RulebookBrowser) -> None:
    pick_clause(browser, "5.1")
    ui = browser.classifier.ui
    assert visible_inputs(browser) == {"warnedCombo", "refusedCombo", "discoveredCheck"}
    choose(ui.warnedCombo, "是")
    choose(ui.refusedCombo, "否")
    assert browser.classifier.outcome_text().splitlines()[0] == "按所填事实不构成违纪违规"
    choose(ui.refusedCombo, "是")
    assert browser.classifier.outcome_text().splitlines()[0] == "可能构成违纪违规（待评价机构认定）"
    assert "取消当次该科目评价成绩" in outcome_line(browser, "成绩处理")


def test_classifier_staff_clause_with_wrong_role_shows_the_error_in_place(
    browser: RulebookBrowser,
) -> None:
    pick_clause(browser, "10.1")
    ui = browser.classifier.ui
    assert browser.classifier.ui.partyValue.text() == "工作人员"
    assert visible_inputs(browser) == {"roleCombo"}
    assert ui.roleCombo.currentText() == "考评人员"  # the article's role is offered first
    assert (
        browser.classifier.outcome_text().splitlines()[0]
        == "可能构成违纪违规（待评价机构、评价机构监管部门处理）"
    )
    choose(ui.roleCombo, "考务管理人员")
    text = browser.classifier.outcome_text()
    assert text.splitlines()[0] == "无法判断"
    assert text.splitlines()[1] == "请检查：工作人员角色"
    assert "10.1" in text and "assessor" in text
    assert "Traceback" not in text


def test_classifier_institution_escalation_is_shown(browser: RulebookBrowser) -> None:
    pick_clause(browser, "12.1")
    ui = browser.classifier.ui
    assert visible_inputs(browser) == {"severityCombo", "priorWarningCombo"}
    choose(ui.severityCombo, "情节严重")
    assert "13.1" in outcome_line(browser, "适用条款")
    assert "由 12.1 升格适用" in outcome_line(browser, "升格")
    choose(ui.priorWarningCombo, "是")
    assert "14.6" in outcome_line(browser, "适用条款")
    assert "12.1 → 13.1 → 14.6" in outcome_line(browser, "升格")


def test_classifier_discovered_after_exam_invalidates_the_certificate(
    browser: RulebookBrowser,
) -> None:
    pick_clause(browser, "6.2")
    ui = browser.classifier.ui
    ui.dateEdit.setDate(QDate(2026, 6, 12))
    ui.discoveredCheck.setChecked(True)
    assert {"certificateCombo", "decisionDateEdit"} <= visible_inputs(browser)
    assert "是否已颁发证书" in outcome_line(browser, "待查明事实")
    choose(ui.certificateCombo, "是")
    assert outcome_line(browser, "证书") == (
        "宣布评价成绩无效，并对已发放证书、已上网证书数据及时作出相应处理"
    )
    ui.decisionDateEdit.setDate(QDate(2027, 1, 5))
    # Art. 6's ban runs to the end of the year of the incident, not of the decision.
    assert "2026-12-31" in outcome_line(browser, "不得参加评价至（含）")


def test_switching_to_the_extension_shows_its_local_clause(
    browser: RulebookBrowser, national: Rulebook, extension: Rulebook
) -> None:
    local = [c for c in extension.clauses.values() if c.local]
    assert local
    assert local[0].id not in browser.clause_ids_listed()
    choose_data = browser.ui.rulebookCombo.findData(EXTENSION)
    assert choose_data >= 0
    browser.ui.rulebookCombo.setCurrentIndex(choose_data)
    assert browser.rulebook is not None and browser.rulebook.id == EXTENSION
    listed = browser.clause_ids_listed()
    assert local[0].id in listed
    assert set(national.clauses) <= set(listed)
    browser.select_clause(local[0].id)
    assert local[0].text_zh in browser.detail_text()
    assert "本地条款" in browser.detail_text()
    # The engine handles the local clause like the national ones of its article.
    assert browser.classifier.clause_id() == local[0].id
    assert browser.classifier.outcome_text().strip()
    browser.ui.rulebookCombo.setCurrentIndex(browser.ui.rulebookCombo.findData(NATIONAL))
    assert local[0].id not in browser.clause_ids_listed()


def test_rulebook_chooser_offers_national_and_extension(browser: RulebookBrowser) -> None:
    combo = browser.ui.rulebookCombo
    offered = {combo.itemData(i) for i in range(combo.count())}
    assert {NATIONAL, EXTENSION} <= offered
    assert combo.currentData() == NATIONAL


def test_every_clause_of_the_tree_can_be_tried(
    browser: RulebookBrowser, national: Rulebook
) -> None:
    for clause_id in national.clauses:
        browser.select_clause(clause_id)
        text = browser.classifier.outcome_text()
        party = national.article_of(national.clauses[clause_id]).party
        assert text.strip(), clause_id
        assert "Traceback" not in text
        if party is not Party.STAFF:
            assert text.splitlines()[0] != "无法判断", (clause_id, text)


def test_app_font_is_the_cjk_family_and_covers_chinese(
    qapp: QApplication, cjk_family: str | None
) -> None:
    assert cjk_family is not None, "a CJK font is installed here (fonts-wqy-microhei)"
    assert cjk_family in QFontDatabase.families()
    assert qapp.font().families()[0] == cjk_family
    metrics = QFontMetrics(QFont(cjk_family))
    for char in "考场违纪违规记录":
        assert metrics.inFontUcs4(ord(char)), char


def test_found_after_the_exam_dates_no_ban_until_a_decision_date_is_entered(
    browser: RulebookBrowser,
) -> None:
    # Ticking "found after the exam" used to send today as the decision date, and the panel
    # showed a dated ban before any decision had been made.
    pick_clause(browser, "7.4")
    ui = browser.classifier.ui
    ui.dateEdit.setDate(QDate(2026, 6, 12))
    choose(ui.severityCombo, "情节轻微")
    ui.discoveredCheck.setChecked(True)
    assert "decision_date" not in browser.classifier.facts()
    assert ui.decisionDateEdit.text() == "尚未作出处理决定"
    assert "不得参加评价至" not in browser.classifier.outcome_text()
    assert outcome_line(browser, "不得参加评价") == "2 年（期间起算以处理决定为准）"
    # Moving the incident date keeps it undecided; entering a date dates the ban from it.
    ui.dateEdit.setDate(QDate(2026, 5, 20))
    assert browser.classifier.decision_date() is None
    ui.decisionDateEdit.setDate(QDate(2026, 7, 3))
    assert browser.classifier.facts()["decision_date"] == "2026-07-03"
    assert "2028-07-03" in outcome_line(browser, "不得参加评价至（含）")
