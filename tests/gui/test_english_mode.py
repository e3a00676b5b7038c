"""The interface in English (and in Chinese): rulebook titles, list separators and brackets follow
the interface language; the kit is called 考点包 everywhere; the Rules tab fits at 1366×768;
the drafted description is the Chinese record text of the chosen clause."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.support.incident import OFFSCREEN_NOISE, Site, new_window, record_phone_use

pytestmark = OFFSCREEN_NOISE

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """The interface in English for one test, back in Chinese afterwards."""
    from app.ui.i18n import available_languages, switch_language

    if "en" not in available_languages():
        pytest.skip("the English translation is not built (tools/translations.py build)")
    switch_language(qapp, "en")
    try:
        yield
    finally:
        switch_language(qapp, "zh_CN")


# -- 2. one name for the kit -------------------------------------------------------------------


def test_the_gui_calls_the_kit_kaodianbao_like_the_command_line(
    qtbot: QtBot, cjk_family: str | None
) -> None:
    sources = [*ROOT.joinpath("app", "ui").rglob("*.py"), *ROOT.joinpath("forms").glob("*.ui")]
    offending = [
        str(path.relative_to(ROOT))
        for path in sources
        if "generated" not in path.parts and "工作包" in path.read_text(encoding="utf-8")
    ]
    assert offending == []

    from app.ui.start.kit_dialog import KitImportDialog
    from app.ui.start.screen import StartScreen

    dialog = KitImportDialog(None)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "从考点包创建场次"
    assert dialog.passLabel.text() == "考点包口令(&P)："

    screen = StartScreen()
    qtbot.addWidget(screen)
    assert screen.ui.kitButton.text() == "从考点包创建(&K)…"
    assert "考点包" in screen.ui.hintLabel.text()


# -- 3. the Rules tab fits at 1366×768 ---------------------------------------------------------


def _rules_fit(browser: object) -> list[str]:
    """What of the rulebook choice and the search placeholder does not fit in its widget."""
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    ui = browser.ui  # type: ignore[attr-defined]
    problems = []
    combo = ui.rulebookCombo
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    if combo.fontMetrics().horizontalAdvance(combo.currentText()) > field.width():
        problems.append(f"rulebook: {combo.currentText()!r} in {field.width()} px")
    edit = ui.searchEdit
    # The clear button takes about a square of the edit's height; 2 px margin each side.
    room = edit.contentsRect().width() - edit.height() - 4
    if edit.fontMetrics().horizontalAdvance(edit.placeholderText()) > room:
        problems.append(f"search: {edit.placeholderText()!r} in {room} px")
    return problems


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_rulebook_choice_and_search_placeholder_fit_at_1366(
    qtbot: QtBot, qapp: QApplication, language: str, request: pytest.FixtureRequest
) -> None:
    if language == "en":
        request.getfixturevalue("english")
    browser = request.getfixturevalue("browser")  # 1366 × 740, as on the Rules tab
    qtbot.wait(10)
    # The rulebook's title in the interface language (the file gives both).
    title = "Guidelines for Handling Violations" if language == "en" else "技能人才评价违纪违规行为"
    assert browser.ui.rulebookCombo.currentText().startswith(title)
    assert _rules_fit(browser) == []


# -- 4. the drafted description is the clause's Chinese text -----------------------------------


def _choose_staff_clause(qtbot: QtBot, window: object, name: str, words: str, clause: str) -> None:
    from tests.support.incident import type_text

    ui = window.ui  # type: ignore[attr-defined]
    ui.partyCombo.setCurrentIndex(ui.partyCombo.findData("staff"))
    type_text(ui.personEdit, name)
    if window.picker.current is None:  # type: ignore[attr-defined]
        qtbot.keyClick(ui.personEdit, Qt.Key.Key_Return)
    type_text(ui.searchEdit, words)
    qtbot.keyClick(ui.searchEdit, Qt.Key.Key_Return)
    assert window.behaviour.clause.id == clause  # type: ignore[attr-defined]


def test_description_is_drafted_from_the_clause_text_not_the_search_words(
    qtbot: QtBot, site: Site
) -> None:
    window = new_window(qtbot, site)
    record_phone_use(qtbot, window, "张三")  # searched for 手机, answered 使用了 → 6.1
    text = window.ui.descriptionEdit.toPlainText()
    at = window.occurred_at().strftime("%H:%M")
    assert text == (
        f"{at}，监考人员发现第1考场5号座位参评人员张三在评价过程中使用规定以外的带拍照、存储、"
        "传输或通讯功能的电子设备（如相机、手机、耳机、U盘、手提电脑、智能手表、智能手环等）"
        "或其他电子用品（第六条第（一）项）。"
    )
    assert "：手机" not in text
    # The draft follows a corrected time; once the proctor writes their own, it stays theirs.
    later = window.ui.timeEdit.dateTime().addSecs(3600)
    window.ui.timeEdit.setDateTime(later)
    moved = window.ui.descriptionEdit.toPlainText()
    assert moved.startswith(window.occurred_at().strftime("%H:%M") + "，") and moved != text
    window.ui.descriptionEdit.setPlainText("监考人员亲笔描述。")
    window.ui.timeEdit.setDateTime(later.addSecs(-7200))
    assert window.ui.descriptionEdit.toPlainText() == "监考人员亲笔描述。"


def test_description_stays_chinese_in_english_mode(
    qtbot: QtBot, site: Site, english: None
) -> None:
    window = new_window(qtbot, site)
    _choose_staff_clause(qtbot, window, "赵强", "leaked questions", "10.3")
    text = window.ui.descriptionEdit.toPlainText()
    at = window.occurred_at().strftime("%H:%M")
    assert text == (
        f"{at}，监考人员发现考评人员赵强有非法出售、提供试题、答案的行为（第十条第（三）项）。"
    )
    assert not re.search("[A-Za-z]", text)


def test_description_of_a_reminder_clause_states_the_reminder_from_the_facts(
    qtbot: QtBot, site: Site
) -> None:
    from tests.support.incident import type_text

    window = new_window(qtbot, site)
    ui = window.ui
    type_text(ui.personEdit, "李四")
    type_text(ui.searchEdit, "携带手机")
    qtbot.keyClick(ui.searchEdit, Qt.Key.Key_Return)
    assert window.behaviour.clause.id == "5.1"
    text = ui.descriptionEdit.toPlainText()
    # 5.1's condition "经提醒拒不改正" is not assumed: the facts say what happened.
    assert "拒不改正" not in text and text.endswith("（第五条第（一）项）。")
    ui.warnedCombo.setCurrentIndex(1)  # 是
    ui.refusedCombo.setCurrentIndex(1)  # 是
    assert ui.descriptionEdit.toPlainText().endswith("（第五条第（一）项）。经提醒，拒不改正。")


# -- 1. English mode shows English -------------------------------------------------------------


def test_session_form_choices_follow_the_interface_language(
    qtbot: QtBot, site: Site, qapp: QApplication
) -> None:
    from app.ui.i18n import available_languages, switch_language
    from app.ui.start.session_form import SessionForm

    form = SessionForm(site.workspace)
    qtbot.addWidget(form)
    ui = form.ui
    assert ui.evaluationTypeCombo.currentText() == "职业技能等级认定"
    assert ui.levelCombo.currentText() == "四级/中级工"
    if "en" not in available_languages():
        pytest.skip("the English translation is not built (tools/translations.py build)")
    try:
        switch_language(qapp, "en")  # live: the open form relabels its choices
        texts = [
            combo.itemText(i)
            for combo in (ui.evaluationTypeCombo, ui.levelCombo, ui.kindCombo, ui.rulebookCombo)
            for i in range(combo.count())
        ]
        assert [t for t in texts if CJK.search(t)] == []
        assert ui.levelCombo.currentText() == "Level 4 / Intermediate worker"
        assert ui.rulebookCombo.currentData() == "cn-national-2021"  # the id stays
        # What is stored stays the Chinese name the core checks against.
        assert ui.evaluationTypeCombo.currentData() == "职业技能等级认定"
        assert ui.levelCombo.currentData() == "四级/中级工"
    finally:
        switch_language(qapp, "zh_CN")
    assert ui.levelCombo.currentText() == "四级/中级工"
    assert ui.rulebookCombo.currentText().startswith("技能人才评价违纪违规行为处理工作指引")


def test_clause_titles_in_the_search_hits_and_rules_tree_are_english(
    qtbot: QtBot, site: Site, english: None, browser: object
) -> None:
    window = new_window(qtbot, site)
    _choose_staff_clause(qtbot, window, "赵强", "leaked questions", "10.3")
    ui = window.ui
    first_line = ui.hitsList.item(0).text().splitlines()[0]
    assert first_line == "10.3  Selling or providing questions or answers (Art. 10(3))"
    assert "Clause chosen: 10.3  Selling or providing questions or answers" in (
        ui.clauseText.text()
    )

    tree = browser.ui.clauseTree  # type: ignore[attr-defined]
    browser.select_clause("6.1")  # type: ignore[attr-defined]
    assert tree.currentItem().text(0) == "6.1  Using unauthorised electronic devices"
    article = tree.currentItem().parent().text(0)
    assert article.startswith("Art. 6 ") and not CJK.search(article)


def test_outcome_measures_and_heading_are_english(
    qtbot: QtBot, site: Site, english: None
) -> None:
    window = new_window(qtbot, site)
    _choose_staff_clause(qtbot, window, "赵强", "leaked questions", "10.3")
    ui = window.ui
    summary = ui.outcomeSummary.text()
    assert "Art. 10(3) (10.3)" in summary
    assert not CJK.search(re.sub("<[^>]+>", "", summary)), summary
    measures = ui.outcomeView.toHtml()
    assert "吊销" not in measures.split("Measures")[1].split("</tr>")[0]


def test_signing_texts_use_english_punctuation(
    qtbot: QtBot, site: Site, english: None
) -> None:
    window = new_window(qtbot, site)
    missing = window.signing.ui.missingLabel.text()
    assert missing.startswith("Still missing: ")
    assert not CJK.search(missing), missing
    line = window.signing._signature_line(
        {
            "kind": "staff",
            "signer_name": "王芳",
            "role": "exam_admin",
            "signed_at": "2026-01-01T10:00:00.000000Z",
        }
    )
    assert line.startswith("Staff signature: 王芳 (Exam administrator)"), line

    from app.ui.labels import fact_state_label, join_list

    assert join_list(["Reminded", "Refused"]) == "Reminded, Refused"
    assert "：" not in fact_state_label("severity", True)


def test_report_preview_title_follows_the_interface_language(
    site: Site, qapp: QApplication
) -> None:
    from app.core.reports.signed import incident_job
    from app.core.reports.views import Copy
    from app.ui.i18n import available_languages, switch_language
    from app.ui.reports.actions import window_title
    from tests.support.incident import confirmed_record

    job = incident_job(site.workspace, confirmed_record(site), Copy.INSTITUTION)
    number = job.view.record_number
    assert window_title(job) == job.title  # in Chinese: the document's own title
    if "en" not in available_languages():
        pytest.skip("the English translation is not built (tools/translations.py build)")
    try:
        switch_language(qapp, "en")
        assert window_title(job) == f"Exam-room violation record {number}, version 1 · " + (
            "institution's copy"
        )
    finally:
        switch_language(qapp, "zh_CN")


def test_the_rules_tab_relabels_its_rulebooks_on_a_live_switch(
    qtbot: QtBot, qapp: QApplication, request: pytest.FixtureRequest
) -> None:
    from app.ui.i18n import available_languages, switch_language

    browser = request.getfixturevalue("browser")
    combo = browser.ui.rulebookCombo
    assert combo.currentText().startswith("技能人才评价违纪违规行为处理工作指引")
    if "en" not in available_languages():
        pytest.skip("the English translation is not built (tools/translations.py build)")
    try:
        switch_language(qapp, "en")
        assert combo.currentText().startswith("Guidelines for Handling Violations")
        assert combo.currentData() == "cn-national-2021"
    finally:
        switch_language(qapp, "zh_CN")
    assert combo.currentText().startswith("技能人才评价违纪违规行为处理工作指引")


def test_clause_and_article_details_have_english_labels(
    english: None, national: object, extension: object
) -> None:
    from app.core.rulebook.model import Rulebook
    from app.ui.clause_detail import article_html, clause_html

    assert isinstance(national, Rulebook) and isinstance(extension, Rulebook)
    pages = [clause_html(national, clause) for clause in national.clauses.values()]
    pages += [article_html(national, article) for article in national.articles.values()]
    pages += [clause_html(extension, clause) for clause in extension.clauses.values()]
    text = "\n".join(pages)
    for label in ("适用人员", "无需另行查明的事实", "（无）"):
        assert label not in text, label
    assert "Applies to" in text
