"""Text written to the page as PDF text objects, several lines to one object.

``canvas.drawString`` makes a text object per string and formats every number through
reportlab's pure-Python ``fp_str``; a report has about ninety strings. This writes what
drawString writes for each line (a text matrix, the font subset's ``Tf``, the string in the
subset's codes) but for many lines at once, in one ``BT … ET``. Characters go through the
font's own ``splitString``, so they land in the same subsets, and are embedded the same way.
A character the report font lacks is drawn in the fallback font that has it: a line is
written as runs by font (``Typeface.runs``), each with its own ``Tf``, one after the other
(the text position moves on by the widths of what was shown).
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from app.core.reports.linebreak import metrics
from app.core.reports.typeface import typeface

# What reportlab's escapePDF writes for each byte, as a table for ``str.translate``.
_ESCAPES = {
    c: (f"\\{c:03o}" if c < 32 or c >= 127 else ("\\" + chr(c) if chr(c) in "\\()" else chr(c)))
    for c in range(256)
}


def escape(chunk: bytes) -> str:
    """A PDF string literal's body for ``chunk``, byte for byte what ``escapePDF`` writes."""
    return chunk.decode("latin-1").translate(_ESCAPES)


def number(value: float) -> str:
    """A coordinate to a thousandth of a point, without trailing zeros (``fp_str`` keeps six
    significant digits; a thousandth of a point is far below any device's pixel)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class TextObject:
    """Lines of text in one font, each placed at its own baseline start."""

    def __init__(self, canv: Canvas, font_name: str, size: float) -> None:
        self._canv = canv
        self._face = typeface(font_name)
        self._font_name = font_name
        self._size = size
        self._code: list[str] = ["BT"]
        self._subset: tuple[str, int] | None = None

    def resize(self, size: float) -> None:
        """Following lines in ``size`` (the next line writes its ``Tf``)."""
        if size != self._size:
            self._size = size
            self._subset = None

    def width(self, text: str) -> float:
        """The width of ``text`` at the current size."""
        return metrics(self._font_name).width(text, self._size)

    def line(self, x: float, y: float, text: str) -> None:
        """``text`` from ``(x, y)``; raises ``MissingGlyphError`` (nothing written) for a
        character that no font can draw."""
        runs = self._face.runs(text)
        code = self._code
        code.append(f"1 0 0 1 {number(x)} {number(y)} Tm")
        doc = self._canv._doc
        for font, run in runs:
            for subset, chunk in font.splitString(run, doc):
                if (font.fontName, subset) != self._subset:
                    name = font.getSubsetInternalName(subset, doc)
                    code.append(f"{name} {number(self._size)} Tf")
                    self._subset = (font.fontName, subset)
                code.append(f"({escape(chunk)}) Tj")

    def close(self) -> None:
        """Write the object to the page (nothing if no line was added)."""
        if len(self._code) > 1:
            self._code.append("ET")
            self._canv.addLiteral(" ".join(self._code))
        self._code = ["BT"]
        self._subset = None


def write_lines(
    canv: Canvas, font_name: str, size: float, placed: list[tuple[float, float, str]]
) -> None:
    """Each ``(x, y, text)`` as one line of one text object."""
    out = TextObject(canv, font_name, size)
    for x, y, text in placed:
        out.line(x, y, text)
    out.close()
