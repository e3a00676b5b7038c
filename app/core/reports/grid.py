"""Label/value grids (the sitting, the person, time and place), drawn as one flowable.

They were reportlab Tables; a Table computes and draws every cell through its general machinery
(spans, styles per cell, nested flowables), which cost as much as the rest of the first page.
``FieldGrid`` draws what that Table drew, top-aligned cells with 6 pt side and 3 pt top and
bottom padding, shaded label columns, a 0.5 pt grid, a short last row's value running to the
right edge, and a test compares the two pixel for pixel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from app.core.reports.layout import CELL_PAD, CONTENT_WIDTH, GRID, SHADE, cell, styles

PAD_Y = 3.0
LINE_WIDTH = 0.5


@dataclass
class _Cell:
    x: float
    width: float
    value: str | Paragraph
    label: bool
    height: float = 0.0


class FieldGrid(Flowable):  # type: ignore[misc]
    """Rows of label/value pairs in a bordered grid; kept whole on one page (a few rows).

    Unruled (``ruled=False``): the same without shading or lines, as a plain list.
    """

    def __init__(
        self,
        rows: Sequence[Sequence[tuple[str, str]]],
        label_width: float,
        *,
        width: float = CONTENT_WIDTH,
        ruled: bool = True,
        pad_y: float = PAD_Y,
    ) -> None:
        super().__init__()
        st = styles()
        self.label_style, self.value_style = st.label, st.cell
        self.ruled, self.pad_y = ruled, pad_y
        pairs = max(len(r) for r in rows)
        value_width = (width - pairs * label_width) / pairs
        self.width = width
        # Centred like a Table: 6 pt wider each side than the frame's padded width.
        self.hAlign = "CENTER"
        self.rows: list[list[_Cell]] = []
        for row in rows:
            cells: list[_Cell] = []
            x = 0.0
            for i, (label, value) in enumerate(row):
                cells.append(
                    _Cell(x, label_width, cell(label, st.label, label_width - 2 * CELL_PAD), True)
                )
                x += label_width
                # A short row's last value spans the columns it leaves empty.
                width = self.width - x if i == len(row) - 1 else value_width
                cells.append(_Cell(x, width, cell(value, st.cell, width - 2 * CELL_PAD), False))
                x += width
            self.rows.append(cells)
        self.row_heights: list[float] = []
        self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.row_heights = []
        for cells in self.rows:
            tallest = 0.0
            for c in cells:
                if isinstance(c.value, str):
                    style = self.label_style if c.label else self.value_style
                    c.height = style.leading
                else:
                    c.height = c.value.wrap(c.width - 2 * CELL_PAD, availHeight)[1]
                tallest = max(tallest, c.height)
            self.row_heights.append(tallest + 2 * self.pad_y)
        self.height = sum(self.row_heights)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        top = self.height
        tops = []
        for cells, height in zip(self.rows, self.row_heights, strict=True):
            tops.append(top)
            canv.setFillColor(SHADE)
            for c in cells:
                if c.label and self.ruled:
                    canv.rect(c.x, top - height, c.width, height, stroke=0, fill=1)
            top -= height
        for cells, top in zip(self.rows, tops, strict=True):
            for c in cells:
                if isinstance(c.value, str):
                    style = self.label_style if c.label else self.value_style
                    canv.setFillColor(style.textColor)
                    canv.setFont(style.fontName, style.fontSize, style.leading)
                    canv.drawString(c.x + CELL_PAD, top - self.pad_y - style.fontSize, c.value)
                else:
                    c.value.drawOn(canv, c.x + CELL_PAD, top - self.pad_y - c.height)
        if not self.ruled:
            canv.restoreState()
            return
        lines: list[tuple[float, float, float, float]] = []
        for cells, top, height in zip(self.rows, tops, self.row_heights, strict=True):
            lines += [(c.x, top - height, c.x, top) for c in cells[1:]]
            if top < self.height:
                lines.append((0, top, self.width, top))
        canv.setStrokeColor(GRID)
        canv.setLineWidth(LINE_WIDTH)
        canv.lines(lines)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canv.restoreState()


def field_grid(
    rows: Sequence[Sequence[tuple[str, str]]], label_width: float = 24 * mm
) -> FieldGrid:
    """A bordered grid of label/value pairs, one or two pairs a row."""
    return FieldGrid(rows, label_width)
