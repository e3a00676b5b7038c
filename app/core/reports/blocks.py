"""Report parts used by more than one document: the sitting's details and signature cells."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Table

from app.core.reports import formatting
from app.core.reports.drawings import SignatureBlock
from app.core.reports.layout import (
    CONTENT_WIDTH,
    GRID,
    field_grid,
    table_style,
)
from app.core.reports.views import SessionHeaderView, SignatureView

SIGNATURE_HEIGHT = 20 * mm


def session_grid(session: SessionHeaderView) -> Table:
    round_ = f"{session.session_name}（{session.session_code}）"
    occupation = f"{session.occupation} {session.level}"
    when = formatting.span(session.starts_at, session.ends_at)
    return field_grid(
        [
            [("评价机构", session.institution_name), ("备案码", session.filing_code)],
            [("考点", session.site_name), ("场次", round_)],
            [("评价类型", session.evaluation_type), ("职业（工种）及等级", occupation)],
            [("科目", session.subject), ("评价时间", when)],
        ]
    )


def signature_cell(signature: SignatureView, width: float) -> SignatureBlock:
    """The drawn signature over its name, role and time."""
    return SignatureBlock(
        signature.strokes,
        f"{signature.name} · {signature.role}",
        formatting.when_seconds(signature.signed_at),
        width - 6,
        SIGNATURE_HEIGHT,
    )


def signature_row(signatures: Sequence[SignatureView], per_row: int = 3) -> Table:
    """Signature cells side by side, ``per_row`` to a row, in a bordered table."""
    width = CONTENT_WIDTH / per_row
    columns = min(per_row, max(1, len(signatures)))
    data: list[list[Any]] = []
    for start in range(0, len(signatures), per_row):
        chunk = [signature_cell(s, width) for s in signatures[start : start + per_row]]
        data.append(chunk + [""] * (columns - len(chunk)))
    table = Table(data, colWidths=[width] * columns, hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, GRID),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table
