"""No two controls of one window share an Alt+letter shortcut (mnemonic), in either language."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.ui.i18n import switch_language
from tests.support.incident import OFFSCREEN_NOISE, Site, new_window

pytestmark = OFFSCREEN_NOISE

_MNEMONIC = re.compile(r"&([^&\s])")


def mnemonics(window: QWidget) -> Counter[str]:
    letters: Counter[str] = Counter()
    for widget in window.findChildren(QWidget):
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if not (isinstance(widget, QAbstractButton) or labelled):
            continue
        match = _MNEMONIC.search(widget.text().replace("&&", ""))
        if match:
            letters[match.group(1).lower()] += 1
    return letters


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_incident_window_mnemonics_are_unique(
    qtbot: QtBot, qapp: QApplication, site: Site, language: str
) -> None:
    switch_language(qapp, language)
    try:
        window = new_window(qtbot, site)
        letters = mnemonics(window)
        assert letters, "the window has no mnemonics at all"
        assert [k for k, n in letters.items() if n > 1] == []
    finally:
        switch_language(qapp, "zh_CN")
