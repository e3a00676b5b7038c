"""What a printed page leaves to the pen: boxes to tick, boxes to sign in, lines to write on.

Used by the blank paper form and by the session summary (实考人数, the signatures under it).
A tick box is a drawn square, not the "□" character: at the body size that glyph is barely
2.5 mm wide, too small to tick clearly on a form filled in standing up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table

from app.core.reports.layout import (
    CONTENT_WIDTH,
    GRID,
    fill,
    para,
    styles,
    table_style,
    text,
)
from app.core.reports.linebreak import break_lines, metrics
from app.core.reports.textout import write_lines

BOX: float = 3.2 * mm  # side of a tick box
BOX_TEXT_GAP = 1.5 * mm  # between a box and its label
ITEM_GAP = 5 * mm  # between one label and the next box, in a flowing line
ROW_SPACE: float = 2.2 * mm  # extra height of each row of boxes, for a pen's tick
WRITE_ROW = 8 * mm  # height of one handwritten line
SIGN_SPACE = 18 * mm  # blank height inside a signature box, for the signature itself


@dataclass
class _Item:
    x: float
    lines: list[str]


@dataclass
class _Row:
    height: float
    items: list[_Item]


class TickBoxes(Flowable):  # type: ignore[misc]
    """Labels, each after an empty square to tick. Flowing (``columns=0``): one after the
    other, onto another line when the next would not fit. In ``columns`` equal columns: row by
    row, a long label wrapping inside its column. Splits between rows across pages."""

    def __init__(
        self,
        labels: Sequence[str],
        style: ParagraphStyle | None = None,
        *,
        columns: int = 0,
    ) -> None:
        super().__init__()
        self.labels = list(labels)
        self.style = style or styles().cell
        self.columns = columns
        self.rows: list[_Row] = []
        self._laid_for = -1.0
        self.width = self.height = 0.0

    def _row_height(self, lines: int) -> float:
        leading = float(self.style.leading)
        return max(BOX, leading * lines) + ROW_SPACE

    def _lay_out(self, width: float) -> list[_Row]:
        st = self.style
        measure = metrics(st.fontName)
        rows: list[_Row] = []
        if self.columns:
            column = width / self.columns
            room = column - BOX - BOX_TEXT_GAP - 2 * mm
            for start in range(0, len(self.labels), self.columns):
                chunk = self.labels[start : start + self.columns]
                items = [
                    _Item(i * column, break_lines(label, st.fontName, st.fontSize, room))
                    for i, label in enumerate(chunk)
                ]
                tallest = max(len(item.lines) for item in items)
                rows.append(_Row(self._row_height(tallest), items))
            return rows
        x = 0.0
        current: list[_Item] = []
        for label in self.labels:
            need = BOX + BOX_TEXT_GAP + measure.width(label, st.fontSize)
            if current and x + need > width:
                rows.append(_Row(self._row_height(1), current))
                x, current = 0.0, []
            current.append(_Item(x, [label]))
            x += need + ITEM_GAP
        if current:
            rows.append(_Row(self._row_height(1), current))
        return rows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth != self._laid_for:
            self.rows = self._lay_out(availWidth)
            self._laid_for = availWidth
        self.width = availWidth
        self.height = sum(r.height for r in self.rows)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        used, fit = 0.0, 0
        for row in self.rows:
            if used + row.height > availHeight:
                break
            used += row.height
            fit += 1
        if fit == 0 or fit == len(self.rows):
            return []
        return [self._part(self.rows[:fit]), self._part(self.rows[fit:])]

    def _part(self, rows: list[_Row]) -> TickBoxes:
        part = TickBoxes(self.labels, self.style, columns=self.columns)
        part.rows, part._laid_for = rows, self._laid_for
        return part

    def draw(self) -> None:
        canv = self.canv
        st = self.style
        top = self.height
        spots: list[tuple[float, float, str]] = []
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.6)
        for row in self.rows:
            first_line = top - ROW_SPACE / 2 - st.fontSize  # baseline of the row's first line
            box_bottom = first_line - (BOX - st.fontSize * 0.8) / 2
            for item in row.items:
                canv.rect(item.x, box_bottom, BOX, BOX, stroke=1, fill=0)
                left = item.x + BOX + BOX_TEXT_GAP
                spots += [(left, first_line - i * st.leading, s) for i, s in enumerate(item.lines)]
            top -= row.height
        fill(canv, st.textColor)
        write_lines(canv, st.fontName, st.fontSize, spots)


def write_lines_table(count: int, width: float = CONTENT_WIDTH) -> Table:
    """``count`` ruled lines to write on."""
    table = Table([[""] for _ in range(count)], colWidths=[width], rowHeights=[WRITE_ROW] * count)
    table.setStyle(table_style([("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID)]))
    return table


def sign_boxes(labels: Sequence[str], *, printed_name: bool = True) -> Table:
    """Signature boxes, three to the page's width: a caption, room to sign, then lines for the
    name in block letters (a signature alone may not be legible when the form is transcribed)
    and the date and time."""
    lines = ["正楷姓名：________________"] if printed_name else []
    lines.append("日期时间：________________")
    return boxes([(label, lines) for label in labels])


def boxes(cells: Sequence[tuple[str, Sequence[str]]], per_row: int = 3) -> Table:
    """Boxes side by side, ``per_row`` to the page's width (more start another row), each a
    caption, blank room to sign or write in, and the given lines under it (small)."""
    width = CONTENT_WIDTH / per_row
    data: list[list[Table | str]] = []
    commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    for row, start in enumerate(range(0, len(cells), per_row)):
        chunk = [_box(caption, lines) for caption, lines in cells[start : start + per_row]]
        commands.append(("GRID", (0, row), (len(chunk) - 1, row), 0.5, GRID))
        # A short row is padded with empty, unruled cells: the table keeps the page's width
        # and lines up with the full-width tables and headings above it.
        data.append([*chunk, *[""] * (per_row - len(chunk))])
    table = Table(data, colWidths=[width] * per_row)
    table.setStyle(table_style(commands))
    return table


def _box(caption: str, lines: Sequence[str]) -> Table:
    st = styles()
    rows: list[list[Flowable | str]] = [[Paragraph(text(caption), st.label)], [""]]
    rows += [[para(line, st.small)] for line in lines]
    inner = Table(rows, rowHeights=[None, SIGN_SPACE] + [None] * len(lines))
    inner.setStyle(table_style([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return inner
