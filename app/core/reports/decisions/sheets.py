"""XLSX lists for Chinese Excel: a bold shaded header row, frozen; column widths that fit
Chinese text; dates as date cells; ID and document numbers as text; and a second sheet that
says what the list is and on what basis.

Text a person typed (a name, a note) is never taken for a formula: a cell that starts with
= + - @ (or a tab or carriage return) is stored as a string with Excel's quote prefix, so it
shows as typed and stays text even when the cell is edited.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = "DDEBF7"


class Kind(Enum):
    TEXT = "text"  # free text, wrapped
    CODE = "code"  # ID and document numbers: text format, never a number
    DATE = "date"


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # in Excel's character units; a Chinese character takes about two
    kind: Kind = Kind.TEXT


Cell = str | dt.date | None


def workbook(
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    about_title: str,
    about: Sequence[tuple[str, Cell]],
) -> bytes:
    """The XLSX bytes: sheet ``title`` with ``columns`` and ``rows``, then ``about_title``
    with label/value lines saying what the list is."""
    from openpyxl import Workbook  # only for the XLSX lists
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = title
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    for position, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position, value=column.header)
        cell.font, cell.fill = bold, fill
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = column.width
        if column.kind is Kind.CODE:
            # Rows typed in later keep text too (a number format would drop leading zeros).
            sheet.column_dimensions[letter].number_format = "@"
    for r, row in enumerate(rows, start=2):
        if len(row) != len(columns):
            raise ValueError(f"row {r - 1} has {len(row)} cells for {len(columns)} columns")
        for position, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            put_cell(sheet.cell(row=r, column=position), column.kind, value, wrap)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"

    notes = book.create_sheet(about_title)
    for r, (label, value) in enumerate(about, start=1):
        notes.cell(row=r, column=1, value=label).font = bold
        kind = Kind.DATE if isinstance(value, dt.date) else Kind.TEXT
        put_cell(notes.cell(row=r, column=2), kind, value, wrap)
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 90

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def put_cell(cell: Any, kind: Kind, value: Cell, wrap: Any) -> None:
    """Write ``value`` into an openpyxl cell as its column's kind: a date cell, an ID or code
    as text, other text wrapped; text that a spreadsheet would run as a formula is quoted."""
    if value is None or value == "":
        return
    if kind is Kind.DATE:
        if not isinstance(value, dt.date):
            raise TypeError(f"a date column holds dates, not {value!r}")
        cell.value = value
        cell.number_format = DATE_FORMAT
        return
    text = value if isinstance(value, str) else str(value)
    cell.value = text
    # openpyxl takes any string starting with "=" for a formula: force a plain string.
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    if kind is Kind.CODE:
        cell.number_format = "@"
    else:
        cell.alignment = wrap
