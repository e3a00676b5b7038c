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
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    TableStyle,
)
from reportlab.platypus.flowables import Spacer

from app.core.reports.typeface import report_font

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
    """Escape text for a Paragraph and keep line breaks."""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\r\n", "\n").replace("\n", "<br/>")


_templates: dict[int, tuple[ParagraphStyle, Any]] = {}


def _template_frag(style: ParagraphStyle) -> Any:
    """What reportlab's markup parser makes of one plain word in ``style``, to clone."""
    entry = _templates.get(id(style))
    if entry is None:
        entry = (style, Paragraph("x", style).frags[0])
        _templates[id(style)] = entry
    return entry[1]


def paragraph(value: str, style: ParagraphStyle) -> Paragraph:
    """A reportlab paragraph of plain text. A one-line value skips the markup parser: the
    fragment is what the parser makes of it, whitespace collapsed the same way."""
    if "\n" in value or "\r" in value or "\xa0" in value:
        return Paragraph(text(value), style)
    frag = _template_frag(style).clone(text=" ".join(value.split()))
    return Paragraph(text(value), style, frags=[frag])


class TextLine(Flowable):  # type: ignore[misc]
    """Plain text in a paragraph style: drawn as one string when it fits the width it is
    given, else handed to a reportlab Paragraph to break into lines.

    A report has about eighty paragraphs and most fit on one line; for those, the line
    breaking and fragment machinery was most of their cost. What is drawn is what the
    Paragraph draws for one line: same baseline (the font size below the top), indents,
    alignment, colour and shaded background.
    """

    def __init__(self, value: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = value
        self.style = style
        single = "\n" not in value and "\r" not in value and "\xa0" not in value
        self._line = " ".join(value.split()) if single else None
        self._natural = (
            stringWidth(self._line, style.fontName, style.fontSize) if self._line else 0.0
        )
        self._para: Paragraph | None = None

    def _fits(self, availWidth: float) -> bool:
        st = self.style
        room = availWidth - st.leftIndent - st.rightIndent - st.firstLineIndent
        return self._line is not None and self._natural <= room

    def _paragraph(self) -> Paragraph:
        if self._para is None:
            self._para = paragraph(self.text, self.style)
        return self._para

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._fits(availWidth):
            self._use_para = False
            self.width, self.height = availWidth, self.style.leading
            return self.width, self.height
        self._use_para = True
        w, h = self._paragraph().wrap(availWidth, availHeight)
        self.width, self.height = w, h
        return w, h

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self._fits(availWidth):
            return []  # one line cannot be split, as for a one-line Paragraph
        result: list[Flowable] = self._paragraph().split(availWidth, availHeight)
        return result

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        if getattr(self, "_use_para", False):
            self._paragraph().drawOn(canvas, x, y, _sW)
        else:
            super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        # drawOn has saved the graphics state and restores it after: no save/restore here.
        st, canv = self.style, self.canv
        if st.backColor:
            top, right, bottom, left = normalizeTRBL(st.borderPadding)
            fill(canv, st.backColor)
            canv.rect(
                st.leftIndent - left,
                -bottom,
                self.width - (st.leftIndent + st.rightIndent) + left + right,
                self.height + top + bottom,
                fill=1,
                stroke=0,
            )
        fill(canv, st.textColor)
        canv.setFont(st.fontName, st.fontSize, st.leading)
        y = self.height - st.fontSize
        if st.alignment == TA_CENTER:
            free = self.width - st.leftIndent - st.rightIndent - self._natural
            canv.drawString(st.leftIndent + free / 2, y, self._line)
        elif st.alignment == TA_RIGHT:
            canv.drawRightString(self.width - st.rightIndent, y, self._line)
        else:
            canv.drawString(st.leftIndent + st.firstLineIndent, y, self._line)


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


def cell(value: str, style: ParagraphStyle, width: float) -> str | Paragraph:
    """A table cell: the bare string when it fits on one line of ``width`` (the table draws
    it directly, in the font, size and colour its TableStyle gives), else a wrapping
    paragraph. Laying out and drawing a paragraph costs ten times a string's."""
    if "\n" not in value and stringWidth(value, style.fontName, style.fontSize) <= width:
        return value
    return paragraph(value, style)


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


def gap(height: float = 4 * mm) -> Spacer:
    return Spacer(1, height)


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

    def _furniture(self, number: int, total: int) -> None:
        font = styles().font
        frame = self._frame
        self.saveState()
        self.setFont(font, 9)
        self.setFillColor(colors.black)
        top = PAGE_HEIGHT - 13 * mm
        self.drawString(MARGIN_X, top, frame.title)
        self.drawRightString(PAGE_WIDTH - MARGIN_X, top, frame.reference)
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, top - 2.5 * mm, PAGE_WIDTH - MARGIN_X, top - 2.5 * mm)
        bottom = 11 * mm
        self.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
        self.setFont(font, 7)
        if frame.footer_note:
            self.drawString(MARGIN_X, bottom, frame.footer_note)
        self.setFont(font, 8)
        self.drawRightString(
            PAGE_WIDTH - MARGIN_X,
            bottom,
            f"第 {number} 页 / 共 {total} 页 · page {number} of {total}",
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
        topMargin=MARGIN_TOP,
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
