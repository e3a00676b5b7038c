"""The rare characters of names (CJK Extensions A to F) have a font on screen too: the reports'
fallback fonts follow the CJK font in the application font's families."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.core.demo.seed import ADMIN_NAME, CANDIDATE_NAMES, SITE_HEAD_NAME
from app.core.fonts import find_fallback_fonts

pytestmark = pytest.mark.skipif(
    not find_fallback_fonts(), reason="needs the fallback fonts (fonts-hanazono)"
)


def test_every_character_of_the_demo_names_has_a_font_in_the_chain(
    qapp: QApplication, cjk_family: str | None, qtbot: QtBot
) -> None:
    assert cjk_family is not None
    families = qapp.font().families()
    assert families[0] == cjk_family
    assert any(f.startswith("HanaMin") or f.startswith("SimSun-Ext") for f in families)
    metrics = [QFontMetrics(QFont(family)) for family in families]
    for name in (SITE_HEAD_NAME, ADMIN_NAME, *CANDIDATE_NAMES, "欧阳𠮷䶮龑"):
        for char in name:
            assert any(m.inFontUcs4(ord(char)) for m in metrics), f"U+{ord(char):04X} {char}"
    label = QLabel("欧阳𠮷䶮龑")
    qtbot.addWidget(label)
    label.show()
    assert label.text() == "欧阳𠮷䶮龑"
    assert not label.grab().isNull()
