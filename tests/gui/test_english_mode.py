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
