"""Interface language: installing and switching translators.

The UI's source language is Simplified Chinese (every ``tr("…")`` string is Chinese), so
``zh_CN`` needs no file of ours, only Qt's own ``qtbase_zh_CN`` for its standard dialogs.
English and the pseudo-translation (long strings, to find layouts that clip) come from the
``.qm`` files ``tools/translations.py build`` and ``tools/translations.py pseudo`` make in
``resources/translations/``.

Switching is live: the old translators are removed, the new ones installed, and Qt sends every
widget a ``QEvent.LanguageChange``; widgets re-set their texts in ``changeEvent``.

Only QtCore here: this module loads before the first window paints, and each QtWidgets class
a module names costs start-up time (``app.ui.layout_check`` finds clipped text).
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

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
# The translators installed here, kept in a list: ``findChildren(QTranslator)`` costs a few
# milliseconds of start-up (its type argument goes through PySide's signature machinery).
_installed: list[QTranslator] = []


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
    _installed.append(translator)
    return translator


def installed_translators(app: QCoreApplication) -> list[QTranslator]:
    """The translators this module installed on ``app`` and that are still in use."""
    _installed[:] = [t for t in _installed if shiboken6.isValid(t)]
    return [t for t in _installed if t.parent() is app and t.objectName().startswith(_MARK)]


def switch_language(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Replace the current interface language with ``language``; widgets retranslate live.

    Raises ``LanguageError`` (unknown or unbuilt language) before changing anything.
    """
    _check(language)
    for old in installed_translators(app):
        app.removeTranslator(old)
        old.setObjectName("")
        old.deleteLater()
        _installed.remove(old)
    installed = install_translators(app, language)
    # Qt posts LanguageChange to each window; delivering it now means every widget shows the
    # new language when this returns, not at the next turn of the event loop.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    return installed
