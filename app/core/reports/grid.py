"""Label/value grids (the sitting, the person, time and place) and list tables (seized items,
evidence, staff, incidents), each drawn as one flowable.

They were reportlab Tables; a Table computes and draws every cell through its general machinery
(spans, styles per cell, nested flowables), which cost as much as the rest of the first page.
These draw what those Tables drew: top-aligned cells with 6 pt side and 3 pt top and bottom
padding, shaded label columns or header row, a 0.5 pt grid, a short last row's value running
to the right edge, a list table's header repeated after a page break; tests compare them with
the Tables pixel for pixel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.core.reports.layout import (
    CELL_PAD,
    CONTENT_WIDTH,
    GRID,
    SHADE,
    TextLine,
    cell,
    fill,
    styles,
)
from app.core.reports.textout import write_lines

PAD_Y = 3.0
LINE_WIDTH = 0.5


@dataclass
class _Cell:
    x: float
    width: float
    value: str | Flowable
    style: ParagraphStyle
    shaded: bool
    height: float = 0.0


class _Grid(Flowable):  # type: ignore[misc]
    """Rows of cells, top-aligned, drawn directly: shading, text or flowables, then lines."""

    def __init__(self, rows: list[list[_Cell]], width: float, ruled: bool, pad_y: float) -> None:
        super().__init__()
        self.rows = rows
        self.width = width
        self.ruled, self.pad_y = ruled, pad_y
        # Centred like a Table: 6 pt wider each side than the frame's padded width.
        self.hAlign = "CENTER"
        self.row_heights: list[float] = []
        self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.row_heights = [self._row_height(cells, availHeight) for cells in self.rows]
        self.height = sum(self.row_heights)
        return self.width, self.height

    def _row_height(self, cells: list[_Cell], availHeight: float) -> float:
        tallest = 0.0
        for c in cells:
            if isinstance(c.value, str):
                c.height = c.style.leading
            else:
                c.height = c.value.wrap(c.width - 2 * CELL_PAD, availHeight)[1]
            tallest = max(tallest, c.height)
        return tallest + 2 * self.pad_y

    def draw(self) -> None:
        canv = self.canv  # drawOn saved the graphics state and restores it
        top = self.height
        tops = []
        fill(canv, SHADE)
        for cells, height in zip(self.rows, self.row_heights, strict=True):
            tops.append(top)
            for c in cells:
                if c.shaded and self.ruled:
                    canv.rect(c.x, top - height, c.width, height, stroke=0, fill=1)
            top -= height
        # One text object per style (a style's colour set once), not one per cell.
        texts: dict[int, tuple[ParagraphStyle, list[tuple[float, float, str]]]] = {}
        for cells, top in zip(self.rows, tops, strict=True):
            for c in cells:
                value = c.value
                if isinstance(value, str):
                    st = c.style
                    spot = (c.x + CELL_PAD, top - self.pad_y - st.fontSize, value)
                    texts.setdefault(id(st), (st, []))[1].append(spot)
                elif isinstance(value, TextLine) and not value.style.backColor:
                    st = value.style
                    placed = value.placed(c.x + CELL_PAD, top - self.pad_y - c.height)
                    texts.setdefault(id(st), (st, []))[1].extend(placed)
                else:
                    value.drawOn(canv, c.x + CELL_PAD, top - self.pad_y - c.height)
        for st, spots in texts.values():
            fill(canv, st.textColor)
            write_lines(canv, st.fontName, st.fontSize, spots)
        if not self.ruled:
            return
        lines: list[tuple[float, float, float, float]] = []
        for cells, top, height in zip(self.rows, tops, self.row_heights, strict=True):
            lines += [(c.x, top - height, c.x, top) for c in cells[1:]]
            if top < self.height:
                lines.append((0, top, self.width, top))
        canv.setStrokeColor(GRID)
        canv.setLineWidth(LINE_WIDTH)
        if lines:
            canv.lines(lines)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)


class FieldGrid(_Grid):
    """Rows of label/value pairs in a bordered grid, label columns shaded; kept whole on one
    page (a few rows). Unruled (``ruled=False``): the same without shading or lines."""

    def __init__(
        self,
        rows: Sequence[Sequence[tuple[str, str]]],
        label_width: float,
        *,
        width: float = CONTENT_WIDTH,
        ruled: bool = True,
        pad_y: float = PAD_Y,
    ) -> None:
        st = styles()
        pairs = max(len(r) for r in rows)
        value_width = (width - pairs * label_width) / pairs
        grid: list[list[_Cell]] = []
        for row in rows:
            cells: list[_Cell] = []
            x = 0.0
            for i, (label, value) in enumerate(row):
                label_cell = cell(label, st.label, label_width - 2 * CELL_PAD)
                cells.append(_Cell(x, label_width, label_cell, st.label, True))
                x += label_width
                # A short row's last value spans the columns it leaves empty.
                w = width - x if i == len(row) - 1 else value_width
                cells.append(_Cell(x, w, cell(value, st.cell, w - 2 * CELL_PAD), st.cell, False))
                x += w
            grid.append(cells)
        super().__init__(grid, width, ruled, pad_y)


class ListTable(_Grid):
    """A table with a shaded header row; split between rows across pages, the header
    repeated on each (what a Table with ``repeatRows=1`` did)."""

    def __init__(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str | Flowable]],
        col_widths: Sequence[float],
    ) -> None:
        st = styles()
        xs = [sum(col_widths[:i]) for i in range(len(col_widths))]
        self.col_widths = list(col_widths)
        head = [
            _Cell(x, w, cell(h, st.head, w - 2 * CELL_PAD), st.head, True)
            for h, x, w in zip(header, xs, col_widths, strict=True)
        ]
        grid = [head]
        for row in rows:
            grid.append(
                [
                    _Cell(
                        x,
                        w,
                        cell(c, st.cell, w - 2 * CELL_PAD) if isinstance(c, str) else c,
                        st.cell,
                        False,
                    )
                    for c, x, w in zip(row, xs, col_widths, strict=True)
                ]
            )
        super().__init__(grid, sum(col_widths), True, PAD_Y)

    def first_rows_height(self, availWidth: float, availHeight: float) -> float:
        """The header and the first row: what must fit for the table to start on a page."""
        if not self.row_heights:
            self.wrap(availWidth, availHeight)
        return sum(self.row_heights[:2])

    @classmethod
    def _of(cls, rows: list[list[_Cell]], width: float) -> ListTable:
        part = cls.__new__(cls)
        _Grid.__init__(part, rows, width, True, PAD_Y)
        return part

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if not self.row_heights:
            self.wrap(availWidth, availHeight)
        used, fit = self.row_heights[0], 0
        for height in self.row_heights[1:]:
            if used + height > availHeight:
                break
            used += height
            fit += 1
        if fit == 0 or fit == len(self.rows) - 1:
            return []  # not even one row fits here, or everything does
        head = self.rows[0]
        return [
            ListTable._of([head, *self.rows[1 : fit + 1]], self.width),
            ListTable._of([head, *self.rows[fit + 1 :]], self.width),
        ]


class SideBySide(Flowable):  # type: ignore[misc]
    """Two flowables side by side, top-aligned, in a box: what a one-row Table with a BOX and
    default padding drew, without the Table machinery."""

    PAD_X, PAD_Y = CELL_PAD, 3.0

    def __init__(self, left: Flowable, right: Flowable, widths: Sequence[float]) -> None:
        super().__init__()
        self.left, self.right = left, right
        self.widths = list(widths)
        self.width = sum(widths)
        self.hAlign = "CENTER"  # as a Table
        self.heights = (0.0, 0.0)
        self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner = [w - 2 * self.PAD_X for w in self.widths]
        self.heights = (
            self.left.wrapOn(self.canv, inner[0], availHeight)[1],
            self.right.wrapOn(self.canv, inner[1], availHeight)[1],
        )
        self.height = max(self.heights) + 2 * self.PAD_Y
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        top = self.height - self.PAD_Y
        self.left.drawOn(canv, self.PAD_X, top - self.heights[0])
        self.right.drawOn(canv, self.widths[0] + self.PAD_X, top - self.heights[1])
        canv.setStrokeColor(GRID)
        canv.setLineWidth(LINE_WIDTH)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)


def list_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], col_widths: Sequence[float]
) -> ListTable:
    """A table with a shaded header row that repeats on every page it spans."""
    return ListTable(header, rows, col_widths)


def field_grid(
    rows: Sequence[Sequence[tuple[str, str]]], label_width: float = 24 * mm
) -> FieldGrid:
    """A bordered grid of label/value pairs, one or two pairs a row."""
    return FieldGrid(rows, label_width)
