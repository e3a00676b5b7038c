"""The interface in English (and in Chinese): rulebook titles, list separators and brackets follow
the interface language; the kit is called 考点包 everywhere; the Rules tab fits at 1366×768;
the drafted description is the Chinese record text of the chosen clause."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_incident_support import OFFSCREEN_NOISE

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
    assert browser.ui.rulebookCombo.currentText().startswith("技能人才评价违纪违规行为处理工作指引")
    assert _rules_fit(browser) == []
