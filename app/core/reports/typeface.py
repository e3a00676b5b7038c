"""The one typeface of every report: the CJK TrueType font, registered once per process.

All text, Latin included, uses it, so no PDF we write refers to an unembedded base-14 font
(reportlab would otherwise fall back to Helvetica, which viewers substitute at will).
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.core.errors import UserError
from app.core.fonts import FontNotFoundError, find_cjk_font

FONT_NAME = "ProctorDeskCJK"

_lock = threading.Lock()
_registered = False


class ReportFontError(UserError):
    """No usable Chinese TrueType font for the reports."""


def report_font() -> str:
    """Register the CJK font with reportlab (first call only) and return its name."""
    global _registered
    if _registered:
        return FONT_NAME
    with _lock:
        if not _registered:
            try:
                found = find_cjk_font()
            except FontNotFoundError as exc:
                raise ReportFontError(str(exc)) from None
            try:
                font = TTFont(FONT_NAME, str(found.path), subfontIndex=found.subfont_index)
            except Exception as exc:  # reportlab raises plain Exception/TTFError on CFF fonts
                raise ReportFontError(
                    f"{found.path}: cannot be embedded in a PDF ({exc}); "
                    "use a TrueType font such as WenQuanYi Micro Hei"
                ) from None
            pdfmetrics.registerFont(font)
            # Bold/italic markup in paragraphs maps back to the same face: no synthetic font.
            pdfmetrics.registerFontFamily(
                FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME, boldItalic=FONT_NAME
            )
            _registered = True
    return FONT_NAME
