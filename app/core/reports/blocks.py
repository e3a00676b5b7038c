"""Report parts used by more than one document: the sitting's details and signature cells."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from app.core.reports import formatting
from app.core.reports.drawings import SignatureBlock
from app.core.reports.grid import field_grid
from app.core.reports.layout import (
    CONTENT_WIDTH,
    GRID,
)
from app.core.reports.views import SessionHeaderView, SignatureView

SIGNATURE_HEIGHT = 20 * mm


def session_grid(session: SessionHeaderView) -> Table:
    round_ = f"{session.session_name}（{session.session_code}）"
    occupation = f"{session.occupation} {session.level}"
    when = formatting.span(session.starts_at, session.ends_at, session.timezone)
    return field_grid(
        [
            [("评价机构", session.institution_name), ("备案码", session.filing_code)],
            [("考点", session.site_name), ("场次", round_)],
            [("评价类型", session.evaluation_type), ("职业（工种）及等级", occupation)],
            [("科目", session.subject), ("评价时间", when)],
        ]
    )


def signature_cell(
    signature: SignatureView, width: float, zone: str = formatting.SHANGHAI
) -> SignatureBlock:
    """The drawn signature over its name, role and time (in the session's ``zone``)."""
    return SignatureBlock(
        signature.strokes,
        f"{signature.name} · {signature.role}",
        formatting.when_seconds(signature.signed_at, zone),
        width - 6,
        SIGNATURE_HEIGHT,
    )


def signature_row(
    signatures: Sequence[SignatureView], per_row: int = 3, *, zone: str = formatting.SHANGHAI
) -> SignatureGrid:
    """Signature cells side by side, ``per_row`` to a row, in a bordered grid."""
    width = CONTENT_WIDTH / per_row
    columns = min(per_row, max(1, len(signatures)))
    blocks = [signature_cell(s, width, zone) for s in signatures]
    rows = [blocks[i : i + per_row] for i in range(0, len(blocks), per_row)]
    return SignatureGrid(rows, width, columns)


class SignatureGrid(Flowable):  # type: ignore[misc]
    """Rows of signature blocks in a bordered grid (what a Table of them drew: box, inner
    lines, 3 pt padding), drawn directly: a Table cost three times the signatures in it."""

    PAD = 3.0

    def __init__(self, rows: list[list[SignatureBlock]], cell_width: float, columns: int) -> None:
        super().__init__()
        self.rows = rows
        self.cell_width = cell_width
        self.columns = columns
        self.row_height = SIGNATURE_HEIGHT + SignatureBlock.CAPTION + 2 * self.PAD
        self.width = cell_width * columns
        self.height = self.row_height * len(rows)
        self.hAlign = "LEFT"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        fit = int(availHeight // self.row_height)
        if fit < 1 or fit >= len(self.rows):
            return []
        return [
            SignatureGrid(self.rows[:fit], self.cell_width, self.columns),
            SignatureGrid(self.rows[fit:], self.cell_width, self.columns),
        ]

    def draw(self) -> None:
        canv = self.canv
        for r, row in enumerate(self.rows):
            bottom = self.height - (r + 1) * self.row_height
            for c, block in enumerate(row):
                block.drawOn(canv, c * self.cell_width + self.PAD, bottom + self.PAD)
        canv.saveState()
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.5)
        lines = [
            (c * self.cell_width, 0, c * self.cell_width, self.height)
            for c in range(1, self.columns)
        ]
        lines += [
            (0, r * self.row_height, self.width, r * self.row_height)
            for r in range(1, len(self.rows))
        ]
        if lines:
            canv.lines(lines)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canv.restoreState()
