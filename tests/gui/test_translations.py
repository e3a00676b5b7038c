"""UI strings can be translated: Qt Linguist finds them, and a translator changes what shows."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.rulebook_browser import RulebookBrowser

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent

PSEUDO_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context><name>Labels</name>
 <message><source>参评人员</source><translation>Candidates</translation></message>
</context>
<context><name>OutcomeView</name>
 <message><source>可能构成违纪违规（待评价机构认定）</source><translation>Violation</translation></message>
 <message><source>依据条款可能适用的处理（待评价机构认定）</source>
  <translation>Possible handling (pending determination)</translation></message>
</context>
<context><name>ClassifierPanel</name>
 <message><source>依据条款可能适用的处理（待评价机构认定）</source>
  <translation>Possible handling (pending determination)</translation></message>
</context>
</TS>
"""


def extracted(tmp_path: Path) -> set[tuple[str, str]]:
    ts = tmp_path / "all.ts"
    sources = [str(p) for p in sorted((ROOT / "app" / "ui").glob("*.py"))]
    sources += [str(p) for p in sorted((ROOT / "forms").glob("*.ui"))]
    subprocess.run(
        [str(TOOLS / "pyside6-lupdate"), *sources, "-ts", str(ts)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pairs = set()
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            pairs.add((name, message.findtext("source") or ""))
    return pairs


def test_lupdate_finds_the_strings_of_every_ui_module(tmp_path: Path) -> None:
    pairs = extracted(tmp_path)
    for expected in [
        ("ClassifierPanel", "依据条款可能适用的处理（待评价机构认定）"),
        ("ClassifierPanel", "情节严重"),
        ("RulebookBrowser", "搜索行为或条款号（Ctrl+F）"),
        ("RulebookBrowser", "共 %n 条"),
        ("MainWindow", "关于(&A)"),
        ("Labels", "参评人员"),
        ("Labels", "第%1条"),
        ("ClauseDetail", "原文"),
        ("OutcomeView", "按所填事实不构成违纪违规"),
    ]:
        assert expected in pairs


@pytest.fixture
def pseudo_translator(qapp: QApplication, tmp_path: Path) -> Iterator[QTranslator]:
    ts, qm = tmp_path / "pseudo.ts", tmp_path / "pseudo.qm"
    ts.write_text(PSEUDO_TS, encoding="utf-8")
    subprocess.run(
        [str(TOOLS / "pyside6-lrelease"), str(ts), "-qm", str(qm)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    translator = QTranslator()
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


def test_an_installed_translator_changes_the_browser(
    pseudo_translator: QTranslator, qtbot: QtBot
) -> None:
    browser = RulebookBrowser()
    qtbot.addWidget(browser)
    assert browser.ui.clauseTree.topLevelItem(0).text(0) == "Candidates"
    title = browser.classifier.ui.outcomeGroup.title()
    assert title == "Possible handling (pending determination)"
    browser.select_clause("5.4")
    assert browser.classifier.outcome_text().splitlines()[0] == "Violation"
