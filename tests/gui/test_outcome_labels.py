"""The applied clause label in the outcome panel follows the interface language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from app.core.rulebook.model import Rulebook
from app.ui.i18n import switch_language
from app.ui.outcome_view import applied_label


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    switch_language(qapp, "en")
    yield
    switch_language(qapp, "zh_CN")


def test_chinese_label_uses_chinese_numerals(national: Rulebook) -> None:
    assert applied_label(national, "7.4") == "第七条第（四）项（7.4）"


def test_english_label_uses_arabic_item_numbers(national: Rulebook, english: None) -> None:
    label = applied_label(national, "7.4")
    assert "(4)" in label
    assert "四" not in label
