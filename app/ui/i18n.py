"""Interface language: installing and switching translators, and finding clipped text.

The UI's source language is Simplified Chinese (every ``tr("…")`` string is Chinese), so
``zh_CN`` needs no file of ours, only Qt's own ``qtbase_zh_CN`` for its standard dialogs.
English and the pseudo-translation (long strings, to find layouts that clip) come from the
``.qm`` files ``tools/translations.py build`` and ``tools/translations.py pseudo`` make in
``resources/translations/``.

Switching is live: the old translators are removed, the new ones installed, and Qt sends every
widget a ``QEvent.LanguageChange``; widgets re-set their texts in ``changeEvent``.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import Qt as GuiQt  # Qt.mightBeRichText lives in QtGui
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionGroupBox,
    QToolButton,
    QWidget,
)

from app.core.errors import UserError
from app.core.resources import resource_path

SOURCE_LANGUAGE = "zh_CN"
APP_CATALOGUE = "proctor_desk"
# Language code → its name in that language, as a language menu shows it.
LANGUAGE_NAMES: dict[str, str] = {
    "zh_CN": "简体中文",
    "en": "English",
    "pseudo": "Pseudo (long strings)",
}
# The QLocale each language formats numbers and dates with.
_LOCALES = {"zh_CN": "zh_CN", "en": "en_US", "pseudo": "en_US"}
# Marks the translators this module installed, so a switch removes exactly those.
_MARK = "proctor-desk-i18n:"


class LanguageError(UserError):
    """A language that is unknown, or whose translation file has not been built."""


def translations_dir() -> Path:
    return resource_path("translations")


def qm_path(language: str) -> Path:
    """Where the app's compiled translation for ``language`` lives (zh_CN has none)."""
    return translations_dir() / f"{APP_CATALOGUE}_{language}.qm"


def available_languages(include_pseudo: bool = False) -> list[str]:
    """Language codes that can be installed now: the source language and every built ``.qm``.

    The pseudo-translation is a layout check for developers, listed only when asked for.
    """
    return [
        code
        for code in LANGUAGE_NAMES
        if (code != "pseudo" or include_pseudo)
        and (code == SOURCE_LANGUAGE or qm_path(code).is_file())
    ]


def _check(language: str) -> None:
    if language not in LANGUAGE_NAMES:
        known = ", ".join(LANGUAGE_NAMES)
        raise LanguageError(f"unknown interface language {language!r} (known: {known})")
    path = qm_path(language)
    if language != SOURCE_LANGUAGE and not path.is_file():
        raise LanguageError(
            f"the {LANGUAGE_NAMES[language]} translation is not built ({path.name} is missing); "
            "run: python tools/translations.py build"
            + (" && python tools/translations.py pseudo" if language == "pseudo" else "")
        )


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for ``language`` on ``app``; return them (parented to ``app``).

    Adds to whatever is installed: use ``switch_language`` to replace a language.
    Raises ``LanguageError`` for an unknown language or an unbuilt translation file.
    """
    _check(language)
    if language == SOURCE_LANGUAGE:
        # No file of ours; Qt's own strings (standard buttons, context menus) in Chinese when
        # the Qt installation ships them.
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        names = ["qtbase_zh_CN"] if Path(folder, "qtbase_zh_CN.qm").is_file() else []
    else:
        folder, names = str(translations_dir()), [qm_path(language).stem]
    installed = [_install(app, name, folder) for name in names]
    QLocale.setDefault(QLocale(_LOCALES[language]))
    return installed


def _install(app: QCoreApplication, name: str, folder: str) -> QTranslator:
    translator = QTranslator(app)  # parented: it lives as long as the app unless removed
    if not translator.load(name, folder):
        translator.setParent(None)
        raise LanguageError(f"the translation file {name}.qm in {folder} could not be read")
    translator.setObjectName(_MARK + name)
    app.installTranslator(translator)
    return translator


def installed_translators(app: QCoreApplication) -> list[QTranslator]:
    """The translators this module installed on ``app`` and that are still in use."""
    return [t for t in app.findChildren(QTranslator) if t.objectName().startswith(_MARK)]


def switch_language(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Replace the current interface language with ``language``; widgets retranslate live.

    Raises ``LanguageError`` (unknown or unbuilt language) before changing anything.
    """
    _check(language)
    for old in installed_translators(app):
        app.removeTranslator(old)
        old.setObjectName("")
        old.deleteLater()
    installed = install_translators(app, language)
    # Qt posts LanguageChange to each window; delivering it now means every widget shows the
    # new language when this returns, not at the next turn of the event loop.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return installed


# -- clipped text ------------------------------------------------------------------------------

_ACCEL = re.compile(r"&(&|(?=.))")


def display_text(text: str) -> str:
    """``text`` as drawn: accelerator markers removed, ``&&`` shown as ``&``."""
    return _ACCEL.sub(lambda m: "&" if m.group(1) == "&" else "", text)


def _text_width(widget: QWidget, text: str) -> int:
    metrics = widget.fontMetrics()
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _is_elided(text: str, tooltip: str) -> bool:
    # Elided text ends in "…" and the full text is kept for the tooltip.
    stem = text.rstrip("…")
    return text.endswith("…") and len(tooltip) > len(stem) and tooltip.startswith(stem)


def _label_need(label: QLabel) -> tuple[int, int] | None:
    """(needed, available) width for a plain, non-wrapping label; None when not measurable."""
    if label.wordWrap() or not label.pixmap().isNull():
        return None
    text = label.text()
    if not text:
        return None
    text_format = label.textFormat()
    if text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    ):
        return None
    shown = display_text(text) if label.buddy() is not None else text
    indent = label.indent()
    if indent < 0:  # Qt's default: half an "x" when the label has a frame
        indent = label.fontMetrics().horizontalAdvance("x") // 2 if label.frameWidth() > 0 else 0
    available = label.contentsRect().width() - 2 * label.margin() - indent
    return _text_width(label, shown), available


def _button_need(button: QAbstractButton) -> tuple[int, int] | None:
    text = display_text(button.text())
    if not text:
        return None
    if isinstance(button, (QCheckBox, QRadioButton)):
        # Their size hint is exactly indicator + spacing + text (+ icon), with no padding.
        return button.sizeHint().width(), button.width()
    style = button.style()
    need = _text_width(button, text)
    if not button.icon().isNull():
        need += button.iconSize().width() + 4
    if isinstance(button, (QPushButton, QToolButton)):
        # The padding Qt's own size hint adds around the text (before any minimum width).
        need += style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, button)
        need += 2 * style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, button)
    return need, button.width()


def _group_need(box: QGroupBox) -> tuple[int, int] | None:
    if not box.title():
        return None
    option = QStyleOptionGroupBox()
    box.initStyleOption(option)
    label = box.style().subControlRect(
        QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxLabel, box
    )
    return label.right() + 1, box.rect().right() + 1


def _describe(widget: QWidget, text: str) -> str:
    name = widget.objectName() or "(unnamed)"
    return f"{type(widget).__name__} {name} {text!r}"


def find_clipped_widgets(root: QWidget) -> list[str]:
    """Describe every visible label, button or group-box title under ``root`` whose text does
    not fit its width, or is shown elided. Show ``root`` and let its layout settle first.

    Word-wrapping and rich-text labels are skipped: they reflow instead of clipping.
    """
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        measured: tuple[int, int] | None
        if isinstance(widget, QLabel):
            text = widget.text()
            measured = _label_need(widget)
        elif isinstance(widget, QAbstractButton):
            text = widget.text()
            measured = _button_need(widget)
        elif isinstance(widget, QGroupBox):
            text = widget.title()
            measured = _group_need(widget)
        else:
            continue
        if _is_elided(text, widget.toolTip()):
            problems.append(f"{_describe(widget, text)} is elided")
        elif measured is not None and measured[0] > measured[1]:
            need, have = measured
            problems.append(f"{_describe(widget, text)} needs {need} px, has {have} px")
    return problems
