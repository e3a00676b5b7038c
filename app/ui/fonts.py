"""Registers the app's CJK font so Chinese renders where the system has no Chinese font.

Qt ships no fonts; on a bare machine every Chinese character would be a box. The font file is
found by ``app.core.fonts.find_cjk_font()`` (the same one the PDF reports embed). The fallback
fonts the reports use for the rarer ideographs of names (``find_fallback_fonts()``: HanaMinA
and HanaMinB, SimSun-ExtB and SimSun-ExtG) come next in the application font's families, so
欧阳𠮷 and 王䶮 show on screen as they print; one that is not installed for Qt (named in
``$PROCTOR_DESK_FALLBACK_FONTS``) is registered with Qt first.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.core.fonts import FontNotFoundError, find_cjk_font, find_fallback_fonts

log = logging.getLogger(__name__)

# Tried after the registered font, for glyphs it lacks or when it could not be registered.
FALLBACK_FAMILIES: tuple[str, ...] = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)
# For the characters of CJK Extensions A to G that the fonts above lack.
RARE_FAMILIES: tuple[str, ...] = ("HanaMinA", "HanaMinB", "SimSun-ExtB", "SimSun-ExtG")


def register_cjk_font(app: QApplication) -> str | None:
    """Register the CJK font and make it the application font; return its family, or None.

    Without a font the app still starts (the user can read Latin text and fix the install);
    the reason is logged as a warning.
    """
    try:
        font_file = find_cjk_font()
    except FontNotFoundError as exc:
        log.warning("Chinese text may not render: %s", exc)
        _apply_families(app, [])
        return None
    if QFontDatabase.hasFamily(font_file.family):
        # Installed on the system already (Debian's fonts-wqy-microhei, Windows' SimHei):
        # registering the 5 MB file again would only cost start-up time.
        _apply_families(app, [font_file.family])
        return font_file.family
    font_id = QFontDatabase.addApplicationFont(str(font_file.path))
    if font_id < 0:
        log.warning("Chinese text may not render: Qt could not load the font %s", font_file.path)
        _apply_families(app, [])
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    # A .ttc holds several faces (WenQuanYi has a Mono one): prefer the one we asked for.
    family = font_file.family if font_file.family in families else families[0]
    _apply_families(app, [family])
    return family


def _rare_families() -> list[str]:
    """The families of the fallback fonts for rare characters, registered with Qt when the
    system has not got them (a file named in ``$PROCTOR_DESK_FALLBACK_FONTS``)."""
    families: list[str] = []
    for font_file in find_fallback_fonts():
        if QFontDatabase.hasFamily(font_file.family):
            families.append(font_file.family)
            continue
        font_id = QFontDatabase.addApplicationFont(str(font_file.path))
        if font_id < 0:
            log.warning("Rare characters may not render: Qt could not load %s", font_file.path)
            continue
        families += QFontDatabase.applicationFontFamilies(font_id)
    return [*families, *(f for f in RARE_FAMILIES if f not in families)]


def _apply_families(app: QApplication, first: list[str]) -> None:
    font = QFont(app.font())
    default_family = font.family()
    chain = [*first, *(f for f in FALLBACK_FAMILIES if f not in first)]
    chain += [f for f in _rare_families() if f not in chain]
    if default_family and default_family not in chain:
        chain.append(default_family)
    font.setFamilies(chain)
    app.setFont(font)
