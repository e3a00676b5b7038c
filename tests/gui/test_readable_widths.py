"""Text that must be read whole, in both languages at 1366 px: the rulebook tree's clause and
article titles wrap instead of being cut off, and the session form's roster file fields are wide
enough to show a file path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QStyle, QTreeWidgetItemIterator
from pytestqt.qtbot import QtBot

from app.core.records.service import Workspace
from tests.support.incident import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE

LANGUAGES = ["zh_CN", "en"]


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    from app.ui.i18n import available_languages, switch_language

    if request.param not in available_languages():
        pytest.skip(f"the {request.param} translation is not built")
    switch_language(qapp, request.param)
    try:
        yield request.param
    finally:
        switch_language(qapp, "zh_CN")


def test_rulebook_tree_titles_are_shown_whole(
    qtbot: QtBot, language: str, cjk_family: str | None
) -> None:
    from app.ui.rulebook_browser import RulebookBrowser

    browser = RulebookBrowser()
    qtbot.addWidget(browser)
    browser.resize(1366, 740)
    browser.show()
    qtbot.waitExposed(browser)
    tree = browser.ui.clauseTree
    margin = 2 * (tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1)
    metrics = tree.fontMetrics()
    cut: list[str] = []
    wrapped = 0
    it = QTreeWidgetItemIterator(tree)
    while (item := it.value()) is not None:
        rect = tree.visualItemRect(item)
        text = item.text(0)
        needed = metrics.boundingRect(
            QRect(0, 0, rect.width() - margin, 100_000), Qt.TextFlag.TextWordWrap, text
        )
        if needed.height() > rect.height() or needed.width() > rect.width() - margin:
            cut.append(text)
        wrapped += rect.height() > metrics.lineSpacing() * 1.5
        if item.parent() is not None:  # an article or clause: its other-language title on hover
            assert item.toolTip(0).startswith(text)
        it += 1
    assert cut == []
    assert wrapped > 0  # long titles take two lines at this width
    browser.grab().save(f"/tmp/rulebook_tree_{language}.png")

    # Narrowed by the splitter, the rows grow taller; the text is still whole.
    before = sum(tree.visualItemRect(tree.topLevelItem(i)).height() for i in range(3))
    total = sum(browser.ui.splitter.sizes())
    browser.ui.splitter.setSizes([240, total - 240 - 400, 400])
    qtbot.waitUntil(
        lambda: sum(tree.visualItemRect(tree.topLevelItem(i)).height() for i in range(3)) >= before
    )
    first = browser.ui.clauseTree.topLevelItem(0).child(0).child(0)
    rect = tree.visualItemRect(first)
    needed = metrics.boundingRect(
        QRect(0, 0, rect.width() - margin, 100_000), Qt.TextFlag.TextWordWrap, first.text(0)
    )
    qtbot.waitUntil(lambda: tree.visualItemRect(first).height() >= needed.height())


def test_session_form_file_fields_show_a_path(
    qtbot: QtBot, language: str, ws_folder: Workspace
) -> None:
    from app.ui.start.session_form import SessionForm

    form = SessionForm(ws_folder)
    qtbot.addWidget(form)
    form.resize(1366, 700)
    form.show()
    qtbot.waitExposed(form)
    path = "D:/考点/2026-12 电工四级/考生名单.xlsx"
    for edit in (form.ui.candidatesFileEdit, form.ui.staffFileEdit):
        edit.setText(path)
        shown = edit.width() - 12  # the frame and text margins
        assert shown >= edit.fontMetrics().horizontalAdvance(path), (language, edit.width())
    assert form.minimumSizeHint().width() <= 1366
    form.grab().save(f"/tmp/session_form_{language}.png")


@pytest.fixture
def ws_folder(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "data") as workspace:
        yield workspace
