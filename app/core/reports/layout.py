"""Page furniture shared by every report: A4, styles, header, "page x of y" footer, metadata.

Pages are numbered in one build: the canvas keeps each finished page's state and draws the
header and footer on all of them at ``save()``, when the page count is known.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.geomutils import normalizeTRBL
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    SimpleDocTemplate,
    TableStyle,
)
from reportlab.platypus.flowables import Spacer

from app.core.reports.linebreak import break_lines, metrics
from app.core.reports.textout import TextObject, write_lines
from app.core.reports.typeface import report_font, typeface

# Streams are zlib-compressed either way; ASCII85 on top only makes them 25 % larger and costs a
# fifth of the build time in reportlab's pure-Python encoder. (Process-wide: reportlab reads it
# when a document is saved, and every PDF this app makes is a report.)
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
GRID = colors.HexColor("#7a7a7a")
SHADE = colors.HexColor("#e9ecef")
CELL_PAD = 6  # reportlab's default left and right cell padding


@dataclass(frozen=True)
class PageFrame:
    """What the header and footer of every page say."""

    title: str  # header, left
    reference: str  # header, right (record number and version, or session code)
    footer_note: str = ""  # footer, left (record id, content hash)
    # Under the header of every page, boxed: a record that is void, a draft or replaced must
    # say so on each page, as a single page photocopied alone would otherwise not.
    banner: str = ""


@dataclass(frozen=True)
class PdfMeta:
    """Document information; ``subject`` and ``keywords`` carry the record id and hash."""

    title: str
    subject: str = ""
    keywords: str = ""
    author: str = "Proctor Desk"


class Styles:
    """Paragraph styles, all in the report font (Latin included)."""

    def __init__(self, font: str) -> None:
        self.font = font
        self.body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14)
        self.small = ParagraphStyle("small", fontName=font, fontSize=7.5, leading=10)
        self.label = ParagraphStyle(
            "label", fontName=font, fontSize=8.5, leading=12, textColor=colors.HexColor("#333333")
        )
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=12)
        self.head = ParagraphStyle("head", fontName=font, fontSize=8.5, leading=12)
        self.title = ParagraphStyle(
            "title", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=4
        )
        self.subtitle = ParagraphStyle(
            "subtitle", fontName=font, fontSize=9, leading=13, alignment=1, spaceAfter=6
        )
        self.section = ParagraphStyle(
            "section",
            fontName=font,
            fontSize=10.5,
            leading=15,
            backColor=SHADE,
            borderPadding=(3, 4, 3, 4),
            spaceBefore=9,
            spaceAfter=6,
        )
        self.quote = ParagraphStyle(
            "quote", fontName=font, fontSize=9.5, leading=14, leftIndent=8, spaceAfter=4
        )


_styles: Styles | None = None


def styles() -> Styles:
    """The shared styles (registers the font on first use)."""
    global _styles
    if _styles is None:
        _styles = Styles(report_font())
    return _styles


def text(value: str) -> str:
    """Escape text for a Paragraph and keep line breaks; characters the report font lacks in
    the fallback font that has them (raises ``MissingGlyphError`` if none has)."""
    face = typeface(styles().font)
    lines = value.replace("\r\n", "\n").split("\n")
    if face.covers("".join(lines)):
        return "<br/>".join(_escape(line) for line in lines)
    out = []
    for line in lines:
        runs = face.runs(line)
        out.append(
            "".join(
                _escape(run)
                if font is face.main
                else f'<font name="{font.fontName}">{_escape(run)}</font>'
                for font, run in runs
            )
        )
    return "<br/>".join(out)


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class TextLine(Flowable):  # type: ignore[misc]
    """Plain text in a paragraph style, broken into lines by our own line breaker
    (``linebreak.break_lines``: CJK, Latin words kept whole, the usual punctuation rules) and
    written as one text object.

    A report has about eighty paragraphs; reportlab's Paragraph (fragments, its own word
    splitting, a text object and an ``fp_str`` per line) was most of their cost. What is drawn
    is what a Paragraph draws: the first baseline the font size below the top, one leading
    per line, indents, alignment, colour and shaded background; split between lines across
    pages as a Paragraph splits (no single orphan line at a page foot).
    """

    def __init__(self, value: str, style: ParagraphStyle, lines: list[str] | None = None) -> None:
        super().__init__()
        if style.firstLineIndent:
            raise ValueError("TextLine does not indent first lines")
        self.text = value
        self.style = style
        self._fixed = lines  # a part of a split: its lines are already broken
        self._lines: list[str] = lines if lines is not None else []
        self._room = -1.0

    def _break(self, availWidth: float) -> list[str]:
        st = self.style
        room = availWidth - st.leftIndent - st.rightIndent
        if self._fixed is not None:
            return self._fixed
        if room != self._room:
            self._room = room
            self._lines = break_lines(self.text, st.fontName, st.fontSize, room)
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        lines = self._break(availWidth)
        self.width, self.height = availWidth, self.style.leading * len(lines)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self._break(availWidth)
        fit = int(availHeight / self.style.leading)
        if fit <= 1:  # no orphan line at a page foot (a Paragraph's allowOrphans=0)
            return []
        if len(lines) <= fit:
            return [self]
        return [
            TextLine(self.text, self.style, lines[:fit]),
            TextLine(self.text, self.style, lines[fit:]),
        ]

    def placed(self, x: float, y: float) -> list[tuple[float, float, str]]:
        """Each line's baseline start on the page when the block's lower left is (x, y)."""
        st = self.style
        measure = metrics(st.fontName)
        top = y + self.height - st.fontSize
        out: list[tuple[float, float, str]] = []
        for i, line in enumerate(self._lines if self._fixed is None else self._fixed):
            if st.alignment == TA_CENTER:
                free = self.width - st.leftIndent - st.rightIndent
                left = x + st.leftIndent + (free - measure.width(line, st.fontSize)) / 2
            elif st.alignment == TA_RIGHT:
                left = x + self.width - st.rightIndent - measure.width(line, st.fontSize)
            else:
                left = x + st.leftIndent
            out.append((left, top - i * st.leading, line))
        return out

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        # Drawn in page coordinates: no save/translate/restore around a few text lines. The
        # fill colour is set (only when it changes) before every use, here and in the grids.
        x = self._hAlignAdjust(x, _sW)
        st = self.style
        if st.backColor:
            top, right, bottom, left = normalizeTRBL(st.borderPadding)
            fill(canvas, st.backColor)
            canvas.rect(
                x + st.leftIndent - left,
                y - bottom,
                self.width - (st.leftIndent + st.rightIndent) + left + right,
                self.height + top + bottom,
                fill=1,
                stroke=0,
            )
        fill(canvas, st.textColor)
        write_lines(canvas, st.fontName, st.fontSize, self.placed(x, y))

    def draw(self) -> None:
        self.drawOn(self.canv, 0, 0)


def fill(canv: Canvas, color: colors.Color) -> None:
    """Set the fill colour unless it is already set: each change is written to the page with
    reportlab's (pure-Python) number formatting, and most text is black on black."""
    current = canv._fillColorObj
    if isinstance(current, colors.Color):
        current = current.rgb()
    if tuple(current) != color.rgb() or getattr(color, "alpha", 1) != 1:
        canv.setFillColor(color)


def para(value: str, style: ParagraphStyle | None = None) -> Flowable:
    """Plain text in ``style`` (the body style by default)."""
    return TextLine(value, style or styles().body)


def cell(value: str, style: ParagraphStyle, width: float) -> str | TextLine:
    """A table cell: the bare string when it fits on one line of ``width`` (drawn directly,
    in the style's font, size and colour), else a block of lines broken to ``width``."""
    if "\n" not in value and metrics(style.fontName).width(value, style.fontSize) <= width:
        return value
    return TextLine(value, style)


MIN_ROOM = 28 * mm  # a heading and a few lines of what it heads


class RoomFor(CondPageBreak):  # type: ignore[misc]
    """A page break unless there is room for a heading and the start of what follows it:
    at least ``MIN_ROOM``, and for a table its header and first row (``first_rows_height``),
    so a heading is never left alone at a page foot. (reportlab's keep-with-next would move a
    long table to a new page whole, leaving the rest of this one empty.)"""

    def __init__(self, then: Flowable | None, heading_height: float) -> None:
        super().__init__(MIN_ROOM)
        self.then = then
        self.heading_height = heading_height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        start = getattr(self.then, "first_rows_height", None)
        need = self.heading_height + (start(availWidth, availHeight) if start else 0.0)
        self.height = max(MIN_ROOM, need)
        result: tuple[float, float] = super().wrap(availWidth, availHeight)
        return result

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        pass  # nothing to draw: no empty save/translate/restore on the page


def section(title: str, then: Flowable | None = None) -> list[Flowable]:
    """A shaded section heading, moved to the next page rather than left alone at a foot;
    ``then``, the table that follows it, if any (its first row must fit too)."""
    st = styles().section
    heading = st.spaceBefore + st.leading + st.spaceAfter
    return [RoomFor(then, heading), para(title, st)]


def paras(value: str, style: ParagraphStyle | None = None) -> list[Flowable]:
    """One paragraph per line of ``value``, so long text can break between them."""
    lines = [line.strip() for line in value.replace("\r\n", "\n").split("\n")]
    return [para(line, style) for line in lines if line]


def table_style(commands: Sequence[Any]) -> TableStyle:
    """A TableStyle in the report font: a Table draws plain-string cells (even empty ones) in
    Helvetica by default, which would leave an unembedded font in the file."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), styles().font), *commands])


def text_cells(style: ParagraphStyle) -> list[Any]:
    """TableStyle commands that set plain-string cells like paragraphs in ``style``."""
    return [
        ("FONTSIZE", (0, 0), (-1, -1), style.fontSize),
        ("LEADING", (0, 0), (-1, -1), style.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), style.textColor),
    ]


class Gap(Spacer):  # type: ignore[misc]
    """Vertical space that writes nothing to the page (a Spacer writes an empty q … Q)."""

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        pass


def gap(height: float = 4 * mm) -> Spacer:
    return Gap(1, height)


BANNER_SIZE = 8.5
BANNER_LEADING = 11.5
BANNER_PAD = 2.5 * mm
BANNER_INK = colors.HexColor("#a4161a")
BANNER_FILL = colors.HexColor("#fbe9e9")


def banner_lines(banner: str) -> list[str]:
    """The banner broken to the page's width inside its box."""
    if not banner:
        return []
    return break_lines(banner, styles().font, BANNER_SIZE, CONTENT_WIDTH - 2 * BANNER_PAD)


def banner_height(banner: str) -> float:
    """The height the banner's box takes below the header rule (0 without a banner)."""
    lines = banner_lines(banner)
    return len(lines) * BANNER_LEADING + 2 * BANNER_PAD - 3 if lines else 0.0


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Keeps every page until ``save()`` so the header and footer can say "x of y"."""

    def __init__(self, *args: Any, frame: PageFrame, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._frame = frame
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._furniture(number, total)
            super().showPage()
        super().save()

    def _banner(self, banner: str, box_top: float) -> None:
        """The record's status in a red box across the page, below the header rule."""
        lines = banner_lines(banner)
        height = banner_height(banner)
        self.setFillColor(BANNER_FILL)
        self.setStrokeColor(BANNER_INK)
        self.setLineWidth(1)
        self.rect(MARGIN_X, box_top - height, CONTENT_WIDTH, height, stroke=1, fill=1)
        self.setFillColor(BANNER_INK)
        first = box_top - BANNER_PAD - BANNER_SIZE + 1
        placed = [
            (MARGIN_X + BANNER_PAD, first - i * BANNER_LEADING, line)
            for i, line in enumerate(lines)
        ]
        write_lines(self, styles().font, BANNER_SIZE, placed)
        self.setFillColor(colors.black)

    def _furniture(self, number: int, total: int) -> None:
        frame = self._frame
        self.saveState()
        self.setFillColor(colors.black)
        top = PAGE_HEIGHT - 13 * mm
        bottom = 11 * mm
        right = PAGE_WIDTH - MARGIN_X
        text = TextObject(self, styles().font, 9)
        text.line(MARGIN_X, top, frame.title)
        text.line(right - text.width(frame.reference), top, frame.reference)
        if frame.footer_note:
            text.resize(7)
            text.line(MARGIN_X, bottom, frame.footer_note)
        text.resize(8)
        count = f"第 {number} 页 / 共 {total} 页"
        text.line(right - text.width(count), bottom, count)
        text.close()
        if frame.banner:
            self._banner(frame.banner, top - 4.5 * mm)
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.lines(
            [
                (MARGIN_X, top - 2.5 * mm, right, top - 2.5 * mm),
                (MARGIN_X, bottom + 4 * mm, right, bottom + 4 * mm),
            ]
        )
        self.restoreState()


def render(story: list[Flowable], frame: PageFrame, meta: PdfMeta) -> bytes:
    """Lay the story out on A4 pages with header and footer; the PDF bytes."""
    font = styles().font
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        # Room for the status banner below the header on every page.
        topMargin=MARGIN_TOP + (banner_height(frame.banner) + 2 * mm if frame.banner else 0),
        bottomMargin=MARGIN_BOTTOM,
        title=meta.title,
        subject=meta.subject,
        keywords=meta.keywords,
        author=meta.author,
        creator="Proctor Desk",
        # The canvas's initial font goes into every page's preamble; the default would put an
        # unembedded Helvetica into the file even though no text uses it.
        initialFontName=font,
        initialFontSize=9.5,
        initialLeading=14,
    )

    def make_canvas(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*args, frame=frame, **kwargs)

    doc.build(story, canvasmaker=make_canvas)
    return buffer.getvalue()
