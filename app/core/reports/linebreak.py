"""Line breaking for the reports' text, mostly Chinese: exact widths from the font's metrics.

Breaks fall between any two CJK characters and at spaces; a run of Latin letters, digits and
symbols (a word, a number, a hash) stays whole unless it is wider than the line by itself, and
then it is cut where it must be. The usual line-start and line-end prohibitions hold: no line
starts with closing punctuation (，。、；：？！）》」』 …) and none ends with opening punctuation
(（《「『 …). Widths are summed from the font's per-character widths exactly as reportlab's
``stringWidth`` sums them, so a line measured here is the line reportlab would measure.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.reports.typeface import typeface

# Never at the start of a line: closing brackets and quotes, sentence and clause punctuation.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉〗〙”’…‥·・—～％‰°℃!),.:;?]}%｝］｜ー々〻")
# Never at the end of a line: opening brackets and quotes.
NO_LINE_END = frozenset("（《「『【〔〈〖〘“‘([{｛［")


def is_cjk(char: str) -> bool:
    """A character that may be broken before and after (ideographs, kana, hangul, CJK
    punctuation and full-width forms)."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, punctuation, kana, ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # vertical and compatibility forms
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3FFFF  # extension ideographs
        # Wide punctuation outside those blocks (… · — “ ” ‘ ’ ‰ ℃); ASCII punctuation
        # belongs to the word it touches ("IMG_0412.jpg", "09:41", "1.0.0").
        or (code > 0x7F and (char in NO_LINE_START or char in NO_LINE_END))
    )


class Metrics:
    """One typeface's character widths (in thousandths of the size), looked up once per
    character; a character the main font lacks is measured in the fallback font that draws
    it (``typeface.Typeface``)."""

    def __init__(self, font_name: str) -> None:
        self._face = typeface(font_name)
        self._widths: dict[str, float] = {}

    def units(self, char: str) -> float:
        width = self._widths.get(char)
        if width is None:
            width = self._face.units(char)
            if self._face.stable(char):
                self._widths[char] = width
        return width

    def width(self, text: str, size: float) -> float:
        """What ``pdfmetrics.stringWidth(text, font, size)`` says, to the last bit (the same
        widths summed in the same order), for text the main font draws; with the fallback
        fonts' widths for the characters they draw."""
        try:
            return 0.001 * size * sum(map(self._widths.__getitem__, text))
        except KeyError:
            return 0.001 * size * sum(map(self.units, text))


_metrics: dict[str, Metrics] = {}


def metrics(font_name: str) -> Metrics:
    """The shared metrics of a registered font."""
    found = _metrics.get(font_name)
    if found is None:
        found = _metrics[font_name] = Metrics(font_name)
    return found


def _atoms(text: str) -> list[tuple[str, bool]]:
    """Unbreakable pieces of one line of text, each with whether a space precedes it.

    A CJK character is a piece of its own, a run of other non-space characters is one piece;
    then a piece that may not start a line is glued to the one before it, and one that may not
    end a line to the one after it.
    """
    raw: list[tuple[str, bool]] = []
    word: list[str] = []
    spaced = False
    for char in text:
        if char.isspace() and char != "\xa0":  # a no-break space belongs to its word
            if word:
                raw.append(("".join(word), spaced))
                word = []
            spaced = bool(raw)
        elif is_cjk(char):
            if word:
                raw.append(("".join(word), spaced))
                word, spaced = [], False
            raw.append((char, spaced))
            spaced = False
        else:
            word.append(char)
    if word:
        raw.append(("".join(word), spaced))

    glued: list[tuple[str, bool]] = []
    for piece, space in raw:
        if glued and not space and (piece[0] in NO_LINE_START or glued[-1][0][-1] in NO_LINE_END):
            prev, prev_space = glued[-1]
            glued[-1] = (prev + piece, prev_space)
        else:
            glued.append((piece, space))
    return glued


def break_lines(text: str, font_name: str, size: float, width: float) -> list[str]:
    """``text`` set in lines no wider than ``width`` (a line break in the text starts a new
    line; runs of spaces count as one). A piece wider than a whole line is cut between
    characters; a single character wider than the line still gets a line of its own."""
    measure = metrics(font_name)
    units = measure.units
    scale = 0.001 * size
    if "\n" not in text and "\r" not in text and "\xa0" not in text:
        # Most text is one line that fits: no need to find where it could break.
        line = " ".join(text.split())
        if measure.width(line, size) <= width:
            return [line]
    lines: list[str] = []
    for hard in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines += _fill(_atoms(hard), units, scale, width)
    return lines


def _fill(
    atoms: list[tuple[str, bool]], units: Callable[[str], float], scale: float, width: float
) -> list[str]:
    """Greedy filling. Widths are running sums over the line's characters in order, the sum
    ``stringWidth`` makes of the finished line, so "fits" here means it fits there."""
    lines: list[str] = []
    line = ""
    used = 0.0
    for piece, spaced in atoms:
        candidate = (" " + piece) if (spaced and line) else piece
        total = used
        for char in candidate:
            total += units(char)
        if scale * total <= width:
            line, used = line + candidate, total
            continue
        if line:  # the piece starts the next line
            lines.append(line)
            line, used = "", 0.0
            total = 0.0
            for char in piece:
                total += units(char)
            if scale * total <= width:
                line, used = piece, total
                continue
        # Wider than a line by itself: cut it between characters.
        for char in piece:
            step = units(char)
            if line and scale * (used + step) > width:
                lines.append(line)
                line, used = "", 0.0
            line, used = line + char, used + step
    lines.append(line)
    return lines
