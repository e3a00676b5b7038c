"""The typeface of every report: the CJK TrueType font, registered once per process, and the
fallback fonts that draw the characters it lacks.

All text, Latin included, uses the CJK font, so no PDF we write refers to an unembedded
base-14 font (reportlab would otherwise fall back to Helvetica, which viewers substitute at
will). A character the CJK font has no glyph for (WenQuanYi lacks 䶮 U+4DAE, 𠮷 U+20BB7 and
the rest of CJK Extensions B to G) is drawn in the first fallback font that has it
(``app.core.fonts.find_fallback_fonts``: HanaMinA/HanaMinB, SimSun-ExtB/ExtG); text is split
into runs by font (``Typeface.runs``), and widths come from the font that draws each
character. A character no font has stops the PDF (``MissingGlyphError``): reportlab would
draw nothing or an empty box in its place, and a signed report must say what was recorded.
"""

from __future__ import annotations

import threading
import unicodedata

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from app.core.errors import UserError
from app.core.fonts import (
    FALLBACK_ADVICE,
    FALLBACK_ADVICE_ZH,
    FALLBACK_ENV_VAR,
    FontFile,
    FontNotFoundError,
    find_cjk_font,
    find_fallback_fonts,
)

FONT_NAME = "ProctorDeskCJK"

_lock = threading.Lock()
_registered = False
_family = ""  # the CJK font's family, for messages


class ReportFontError(UserError):
    """No usable Chinese TrueType font for the reports."""


class MissingGlyphError(ReportFontError):
    """A character in a report that none of the report fonts can draw."""

    def __init__(self, char: str, fonts: list[str], fallbacks_found: bool) -> None:
        self.char = char
        name = f"U+{ord(char):04X} {char}"
        searched = ", ".join(fonts)
        if not fallbacks_found:
            advice_zh = f"{FALLBACK_ADVICE_ZH}（见 README「Fonts」）"
            advice = f"{FALLBACK_ADVICE} (README, Fonts)"
        else:  # Extension G and beyond, or not a Chinese character at all
            advice_zh = (
                f"请安装含此字的 TrueType 字体并在 {FALLBACK_ENV_VAR} 中指定"
                "（SimSun-ExtG 含扩展 G 区），或删去此字（见 README「Fonts」）"
            )
            advice = (
                f"install a TrueType font that has it and name it in {FALLBACK_ENV_VAR} "
                "(SimSun-ExtG has Extension G), or remove it (README, Fonts)"
            )
        super().__init__(
            f"报告字体中没有字符 {name}（已查找：{searched}），不生成缺字的报告：{advice_zh}。"
            f"\nno report font has a glyph for {name} (searched: {searched}), so no PDF is "
            f"made with it missing: {advice}."
        )


def _invisible(char: str) -> str | None:
    """What stands for a character that needs no glyph when no font has one: a space for
    white space, nothing for control and format characters and variation selectors; None
    for a character that must be drawn."""
    if char.isspace():
        return " "
    code = ord(char)
    if unicodedata.category(char) in ("Cc", "Cf") or 0xFE00 <= code <= 0xFE0F:
        return ""
    if 0xE0100 <= code <= 0xE01EF:
        return ""
    return None


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ``makeToUnicodeCMap`` with characters beyond U+FFFF written as UTF-16
    surrogate pairs, as the PDF reference requires (reportlab writes five hex digits, and
    pdftotext then reads nothing for 𠮷 U+20BB7)."""

    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *(f"<{i:02X}> <{utf16(code)}>" for i, code in enumerate(subset)),
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


class Typeface:
    """A main font and its fallbacks: which font draws each character, and how wide it is.

    Fallback fonts are looked for and loaded only when a character the main font lacks comes
    along (most reports have none), and looked for again when what is installed (or
    ``$PROCTOR_DESK_FALLBACK_FONTS``) changes.
    """

    def __init__(self, main: TTFont, family: str, fallbacks: bool) -> None:
        self.main = main
        self.family = family
        self._fallbacks = fallbacks
        glyphs = main.face.charToGlyph
        self._covered = frozenset(map(chr, glyphs))
        self._main_widths = main.face.charWidths
        self._main_default = main.face.defaultWidth
        self._found: tuple[FontFile, ...] | None = None
        self._loaded: list[tuple[FontFile, TTFont]] = []
        self._choice: dict[str, TTFont | str | None] = {}

    def covers(self, text: str) -> bool:
        """Whether the main font has every character of ``text``."""
        return self._covered.issuperset(text)

    def _fallback_fonts(self) -> list[tuple[FontFile, TTFont]]:
        found = find_fallback_fonts() if self._fallbacks else ()
        if found != self._found:
            with _lock:
                loaded = []
                for font_file in found:
                    try:
                        loaded.append((font_file, _load_fallback(font_file)))
                    except ReportFontError:
                        continue  # not embeddable: as if absent (the refusal names the rest)
                self._loaded = loaded
                self._choice = {}
                self._found = found
        return self._loaded

    def _font_for(self, char: str) -> TTFont | str | None:
        """The fallback font that draws ``char``, else what stands for it (``_invisible``),
        else None. (Characters of the main font are not asked about.)"""
        fallbacks = self._fallback_fonts()
        try:
            return self._choice[char]
        except KeyError:
            pass
        code = ord(char)
        found: TTFont | str | None = next(
            (font for _, font in fallbacks if code in font.face.charToGlyph), None
        )
        if found is None:
            found = _invisible(char)
        self._choice[char] = found
        return found

    def runs(self, text: str) -> list[tuple[TTFont, str]]:
        """``text`` as runs of characters drawn in one font, in order; raises
        ``MissingGlyphError`` for a character that no font can draw."""
        if self._covered.issuperset(text):
            return [(self.main, text)]
        out: list[tuple[TTFont, str]] = []
        font: TTFont | None = None
        run: list[str] = []
        for char in text:
            if char in self._covered:
                use, drawn = self.main, char
            else:
                choice = self._font_for(char)
                if choice is None:
                    raise MissingGlyphError(char, self.searched(), bool(self._loaded))
                if isinstance(choice, str):
                    use, drawn = self.main, choice
                else:
                    use, drawn = choice, char
            if use is not font:
                if run and font is not None:
                    out.append((font, "".join(run)))
                font, run = use, []
            run.append(drawn)
        if run and font is not None:
            out.append((font, "".join(run)))
        return out

    def units(self, char: str) -> float:
        """The advance width of ``char`` in thousandths of the size, in the font that draws it
        (what ``stringWidth`` says for the main font's characters; the main font's default
        width for one no font has)."""
        code = ord(char)
        if char in self._covered:
            width: float = self._main_widths.get(code, self._main_default)
            return width
        choice = self._font_for(char)
        if choice is None:
            return float(self._main_default)
        if isinstance(choice, str):
            substitute: float = sum(
                self._main_widths.get(ord(c), self._main_default) for c in choice
            )
            return substitute
        fallback: float = choice.face.charWidths.get(code, choice.face.defaultWidth)
        return fallback

    def stable(self, char: str) -> bool:
        """Whether the width of ``char`` can be remembered: the main font's characters (what
        the fallbacks say may change with what is installed)."""
        return char in self._covered

    def searched(self) -> list[str]:
        return [self.family, *(f.family for f, _ in self._fallback_fonts())]


_fallback_fonts: dict[tuple[str, int], TTFont] = {}


def _load_fallback(font_file: FontFile) -> TTFont:
    """The fallback font registered with reportlab (first use of the file only)."""
    key = (str(font_file.path), font_file.subfont_index)
    font = _fallback_fonts.get(key)
    if font is None:
        name = f"{FONT_NAME}-{len(_fallback_fonts) + 1}"
        try:
            font = TTFont(name, str(font_file.path), subfontIndex=font_file.subfont_index)
        except Exception as exc:  # reportlab raises plain Exception/TTFError on CFF fonts
            raise ReportFontError(
                f"{font_file.path}: cannot be embedded in a PDF ({exc})"
            ) from None
        pdfmetrics.registerFont(font)
        _fallback_fonts[key] = font
    return font


_typefaces: dict[str, Typeface] = {}


def typeface(font_name: str) -> Typeface:
    """The typeface of a registered TrueType font: the report font with its fallbacks, any
    other font alone."""
    found = _typefaces.get(font_name)
    if found is None:
        font = pdfmetrics.getFont(font_name)
        if not isinstance(font, TTFont):
            raise TypeError(f"{font_name} is not a TrueType font")
        main = font_name == FONT_NAME
        found = Typeface(font, _family if main else font_name, fallbacks=main)
        _typefaces[font_name] = found
    return found


def report_font() -> str:
    """Register the CJK font with reportlab (first call only) and return its name."""
    global _registered, _family
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
            # Characters beyond U+FFFF (the fallback fonts' Extension B to G ideographs) need
            # surrogate pairs in the text layer; the same text for every other character.
            ttfonts.makeToUnicodeCMap = _to_unicode_cmap
            pdfmetrics.registerFont(font)
            # Bold/italic markup in paragraphs maps back to the same face: no synthetic font.
            pdfmetrics.registerFontFamily(
                FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME, boldItalic=FONT_NAME
            )
            _family = found.family
            _registered = True
    return FONT_NAME
