"""Translations: the build tool, live language switching, the pseudo-translation, clipped text."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.ui.i18n import (
    LanguageError,
    available_languages,
    installed_translators,
    qm_path,
    switch_language,
)
from app.ui.signature_pad import SignatureDialog
from tests.support.layout_check import display_text, find_clipped_widgets

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "translations.py"
EN_TS = ROOT / "resources" / "translations" / "proctor_desk_en.ts"
PLACEHOLDER = re.compile(r"%L?\d+|%n|\{[^{}]*\}")


def load_tool() -> ModuleType:
    # tools/ is not a package: load the script by path, as tests/conftest.py does for build_ui.
    spec = importlib.util.spec_from_file_location("translations_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def built() -> None:
    """The English and pseudo .qm files, built the way the Makefile builds them."""
    for command in ("build", "pseudo"):
        result = run_tool(command)
        assert result.returncode == 0, result.stderr


@pytest.fixture
def language(qapp: QApplication, built: None) -> Iterator[None]:
    """Whatever a test installs is removed afterwards, so later tests see the app as it was."""
    locale = QLocale()
    yield
    for translator in installed_translators(qapp):
        qapp.removeTranslator(translator)
        translator.setObjectName("")
    QLocale.setDefault(locale)


@pytest.fixture
def dialog(qtbot: QtBot, cjk_family: str | None) -> SignatureDialog:
    widget = SignatureDialog("张三", "考评人员")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def messages(ts: Path) -> list[tuple[str, str, str | None]]:
    """(context, source, finished translation or None) for every message of a .ts file.

    A message with plural forms (``numerus="yes"``) counts as finished when every form is
    filled in; its translation here is the last (plural) form, which keeps every placeholder.
    """
    rows = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            forms = [form.text or "" for form in translation.findall("numerusform")]
            text = forms[-1] if forms and all(forms) else None if forms else translation.text
            done = translation.get("type") is None and bool(text)
            rows.append((name, message.findtext("source") or "", text if done else None))
    return rows


def test_counted_messages_have_an_english_singular_and_plural() -> None:
    counted = [
        message
        for message in ET.parse(EN_TS).getroot().iter("message")
        if message.get("numerus") == "yes"
    ]
    assert len(counted) >= 6
    for message in counted:
        forms = [form.text or "" for form in message.iter("numerusform")]
        assert len(forms) == 2 and all(forms), message.findtext("source")
        assert "%n" in (message.findtext("source") or "") and "%n" in forms[1]


# -- the tool ----------------------------------------------------------------------------------


def test_build_makes_loadable_qm_files(built: None) -> None:
    qm = qm_path("en")
    assert qm.is_file()
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("SignatureDialog", "取消") == "Cancel"
    pseudo = QTranslator()
    assert pseudo.load(str(qm_path("pseudo")))
    assert "Çåñçéľ" in pseudo.translate("SignatureDialog", "取消")


def test_build_is_idempotent_and_rebuilds_a_changed_ts(tmp_path: Path) -> None:
    tool = load_tool()
    shutil.copy(EN_TS, tmp_path / EN_TS.name)
    first = tool.build(tmp_path)
    assert [p.name for p in first] == ["proctor_desk_en.qm"]
    built_at = first[0].stat().st_mtime_ns
    assert tool.build(tmp_path) == []  # nothing changed: nothing run
    assert first[0].stat().st_mtime_ns == built_at
    ts = tmp_path / EN_TS.name
    ts.write_text(ts.read_text(encoding="utf-8").replace(">Cancel<", ">Abort<"), encoding="utf-8")
    assert [p.name for p in tool.build(tmp_path)] == ["proctor_desk_en.qm"]
    translator = QTranslator()
    assert translator.load(str(tmp_path / "proctor_desk_en.qm"))
    assert translator.translate("SignatureDialog", "取消") == "Abort"
    assert not list(tmp_path.glob("*.partial"))


def test_second_build_run_prints_nothing(built: None) -> None:
    result = run_tool("build")
    assert result.returncode == 0 and result.stdout == ""


def test_every_ui_string_has_english(tmp_path: Path) -> None:
    """lupdate over the current sources finds nothing the committed English file lacks."""
    tool = load_tool()
    shutil.copy(EN_TS, tmp_path / EN_TS.name)
    [ts] = tool.update(tmp_path)
    rows = messages(ts)
    assert len(rows) > 50
    missing = [(context, source) for context, source, english in rows if english is None]
    assert missing == [], "run tools/translations.py update and translate these"
    sources = {(context, source) for context, source, _ in rows}
    assert ("SignatureDialog", "取消") in sources
    assert ("Labels", "考场负责人") in sources  # reached through a module's translate helper


def test_english_keeps_placeholders_and_accelerators() -> None:
    accelerator = re.compile(r"&[^&\s]")
    for context, source, english in messages(EN_TS):
        assert english is not None, (context, source)
        # Labels fills %1 with the Chinese numeral and %2 with the Arabic one: either may be used.
        if context != "Labels":
            assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(source)), (
                context,
                source,
                english,
            )
        has_key = accelerator.search(source) is not None
        assert (accelerator.search(english) is not None) == has_key, (context, source, english)


def test_helper_messages_reads_module_level_contexts() -> None:
    tool = load_tool()
    source = (
        "from PySide6.QtCore import QCoreApplication\n"
        '_CTX = "Labels"\n'
        "def _tr(text):\n"
        "    return QCoreApplication.translate(_CTX, text)\n"
        'A = _tr("考评人员")\n'
        'B = QCoreApplication.translate(_CTX, "否")\n'
        'C = QCoreApplication.translate("Literal", "是")\n'
        "D = _tr(variable)\n"
    )
    assert tool.helper_messages(source) == [("Labels", "考评人员"), ("Labels", "否")]


def test_helper_messages_reads_an_alias_of_translate_inside_f_strings() -> None:
    # lupdate does not look inside f-strings: clause_detail's labels were never translated.
    tool = load_tool()
    source = (
        "from PySide6.QtCore import QCoreApplication\n"
        "translate = QCoreApplication.translate\n"
        "A = f\"<p>{translate('ClauseDetail', '适用人员')}</p>\"\n"
        "B = translate('Labels', '、', 'a separator')\n"
    )
    assert tool.helper_messages(source) == [("ClauseDetail", "适用人员")]


def test_pseudo_text_keeps_placeholders_and_accelerators() -> None:
    tool = load_tool()
    text = tool.pseudo_text("&Clause %1 of {name}: <b>x</b> &amp;\nnext", "条款")
    for kept in ("&C", "%1", "{name}", "<b>", "</b>", "&amp;", "\n"):
        assert kept in text
    assert text.startswith("[") and text.endswith("]")
    assert tool.width_units(text) >= 1.4 * tool.width_units("&Clause %1 of {name}: <b>x</b>")
    assert tool.pseudo_text("") == ""


def test_update_and_bad_commands_report_errors() -> None:
    result = run_tool("frobnicate")
    assert result.returncode != 0 and "invalid choice" in result.stderr


# -- switching ---------------------------------------------------------------------------------


def test_switch_to_english_and_back_retranslates_live(
    qapp: QApplication, dialog: SignatureDialog, language: None
) -> None:
    assert dialog.cancel_button.text() == "取消"
    switch_language(qapp, "en")  # retranslated by the time it returns
    assert dialog.cancel_button.text() == "Cancel"
    assert dialog.pad.accessibleName() == "Signature box"
    assert dialog.clear_button.text() == "&Clear"
    assert dialog.windowTitle() == "Signature: 张三 (考评人员)"
    switch_language(qapp, "zh_CN")
    assert dialog.cancel_button.text() == "取消"
    assert dialog.windowTitle() == "签名：张三（考评人员）"


def test_switching_replaces_rather_than_stacks_translators(
    qapp: QApplication, language: None
) -> None:
    switch_language(qapp, "en")
    switch_language(qapp, "pseudo")
    switch_language(qapp, "en")
    names = [t.objectName() for t in installed_translators(qapp)]
    assert names == ["proctor-desk-i18n:proctor_desk_en"]
    assert QCoreApplication.translate("SignatureDialog", "确定") == "OK"


def test_unknown_language_is_refused_and_changes_nothing(
    qapp: QApplication, language: None
) -> None:
    switch_language(qapp, "en")
    with pytest.raises(LanguageError, match="unknown interface language 'xx'"):
        switch_language(qapp, "xx")
    assert QCoreApplication.translate("SignatureDialog", "取消") == "Cancel"


def test_unbuilt_translation_is_refused_with_the_command_to_build_it(
    qapp: QApplication, language: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch_language(qapp, "en")
    monkeypatch.setattr("app.ui.i18n.translations_dir", lambda: tmp_path)
    assert available_languages(include_pseudo=True) == ["zh_CN"]
    with pytest.raises(LanguageError, match=r"tools/translations\.py build"):
        switch_language(qapp, "pseudo")
    assert [t.objectName() for t in installed_translators(qapp)] == [
        "proctor-desk-i18n:proctor_desk_en"
    ]


def test_available_languages_lists_the_built_ones(built: None) -> None:
    assert available_languages() == ["zh_CN", "en"]
    assert available_languages(include_pseudo=True) == ["zh_CN", "en", "pseudo"]


def test_pseudo_lengthens_every_string_by_forty_percent(
    qapp: QApplication, cjk_family: str | None, language: None
) -> None:
    switch_language(qapp, "pseudo")
    metrics = QFontMetrics(qapp.font())
    short = []
    for context, source, english in messages(EN_TS):
        if "%n" in source:  # a counted message: its plural form, with the count filled in
            pseudo = QCoreApplication.translate(context, source, None, 2)
            source, english = source.replace("%n", "2"), (english or "").replace("%n", "2")
        else:
            pseudo = QCoreApplication.translate(context, source)
        if english == source:  # left as it is on purpose (a date format)
            assert pseudo == source
            continue
        assert pseudo != source, (context, source)
        base = max(
            metrics.horizontalAdvance(display_text(source)),
            metrics.horizontalAdvance(display_text(english or "")),
        )
        if metrics.horizontalAdvance(display_text(pseudo)) < 1.4 * base:
            short.append((context, source, pseudo))
        assert sorted(PLACEHOLDER.findall(pseudo)) == sorted(PLACEHOLDER.findall(english or ""))
        accelerator = re.search(r"&[^&\s]", english or "")
        if accelerator:
            assert accelerator.group() in pseudo
    assert short == []


# -- clipped text ------------------------------------------------------------------------------


def test_find_clipped_widgets_reports_narrow_widgets(qtbot: QtBot, cjk_family: str | None) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    narrow = QLabel("这是一段放不下的很长很长的说明文字")
    narrow.setObjectName("narrow")
    narrow.setFixedWidth(60)
    fits = QLabel("够宽")
    wrapped = QLabel("这是一段会自动换行的很长很长的说明文字")
    wrapped.setWordWrap(True)
    wrapped.setFixedWidth(60)
    button = QPushButton("一个按钮上写了太多的字")
    button.setObjectName("button")
    button.setFixedWidth(50)
    check = QCheckBox("一个复选框写了太多的字")
    check.setObjectName("check")
    check.setFixedWidth(50)
    box = QGroupBox("一个分组框的标题写得太长了")
    box.setObjectName("box")
    box.setFixedWidth(60)
    elided = QLabel("被省略的文…")
    elided.setObjectName("elided")
    elided.setToolTip("被省略的文字全文")
    hidden = QLabel("隐藏的标签也很长很长很长很长")
    hidden.setFixedWidth(20)
    for widget in (narrow, fits, wrapped, button, check, box, elided, hidden):
        layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
    hidden.hide()
    root.show()
    qtbot.waitExposed(root)
    found = find_clipped_widgets(root)
    names = sorted(line.split()[1] for line in found)
    assert names == ["box", "button", "check", "elided", "narrow"], found
    assert any("QLabel narrow" in line and "has 60 px" in line for line in found)


@pytest.mark.parametrize("code", ["zh_CN", "en", "pseudo"])
def test_signature_dialog_has_no_clipped_text(
    qapp: QApplication, qtbot: QtBot, dialog: SignatureDialog, language: None, code: str
) -> None:
    switch_language(qapp, code)
    QCoreApplication.processEvents()
    layout = dialog.layout()
    assert layout is not None
    layout.activate()  # lay out the new texts now rather than at the next event-loop turn
    assert find_clipped_widgets(dialog) == []
    if code == "pseudo":
        assert dialog.cancel_button.text().startswith("[Çåñçéľ")
