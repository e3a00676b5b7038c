"""The statistics as an XLSX for Chinese Excel: a summary, a sheet per breakdown, and the
incident register. Formatted as the institution's other lists are
(``reports/decisions/sheets.py``): bold shaded header row, frozen; widths that fit Chinese
text; dates as date cells; ID numbers and hashes as text; text a person typed never taken for
a formula. Written in openpyxl's streaming mode: a year's register is 200,000 rows."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.core.durable import create_durably
from app.core.reports.decisions.sheets import FORMULA_STARTS, HEADER_FILL, Column, Kind, put_cell
from app.core.rosters.idtypes import ID_TYPE_LABELS
from app.core.stats.counts import Stats, StatsError
from app.core.stats.register import RegisterRow

SUMMARY_TITLE = "概况"
REGISTER_TITLE = "违纪违规记录登记"
SHEET_TITLES = {
    "article": "按条",
    "clause": "按条款项",
    "party": "按当事人",
    "site": "按考点",
    "occupation_level": "按职业等级",
    "evaluation_type": "按评价类型",
    "month": "按月份",
    "filed_occupation": "按备案职业",
}
KEY_HEADERS = {
    "article": "条（第几条）",
    "clause": "条款项",
    "party": "当事人类别",
    "site": "考点",
    "occupation_level": "职业（工种）等级",
    "evaluation_type": "评价类型",
    "month": "月份",
    "filed_occupation": "备案职业（工种）（-：未备案或超出备案范围）",
}
ID_LABELS = {
    **{t.value: label for t, label in ID_TYPE_LABELS.items()},
    "staff_number": "工号",
}
PARTY_LABELS = {"candidate": "参评人员", "staff": "工作人员", "institution": "评价机构"}
BY_LABELS = {
    "incident": "违纪违规记录（按发生日期）",
    "decision": "已作出处理决定的案件（按决定日期）",
}
REGISTER_COLUMNS = (
    Column("发生日期", 12, Kind.DATE),
    Column("考点", 28),
    Column("职业（工种）等级", 24),
    Column("评价类型", 14),
    Column("记录编号", 12, Kind.CODE),
    Column("当事人类别", 12),
    Column("条", 6, Kind.CODE),
    Column("条款项", 9, Kind.CODE),
    Column("姓名", 12),
    Column("证件类型", 14),
    Column("证件号码/工号", 22, Kind.CODE),
    # Hex and UUIDs: text as they are (no digit-only value, nothing a formula starts with).
    Column("封存哈希（SHA-256）", 68),
    Column("内容哈希（SHA-256）", 68),
    Column("记录ID", 38),
)


def refuse_existing(path: Path) -> None:
    if path.exists():
        raise StatsError(f"stats: {path} already exists; give a new file name (nothing written)")


def write_workbook(path: Path, stats: Stats, register: Sequence[RegisterRow]) -> None:
    """Write the workbook to ``path``, which must not exist (whole or not at all)."""
    refuse_existing(path)
    data = workbook_bytes(stats, register)
    try:
        create_durably(path, data, 0o644)
    except FileExistsError:
        raise StatsError(
            f"stats: {path} already exists; give a new file name (nothing written)"
        ) from None
    except OSError as exc:
        raise StatsError(f"stats: cannot write {path}: {exc.strerror or exc}") from None


def workbook_bytes(stats: Stats, register: Sequence[RegisterRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> None:
        ws = book.create_sheet(title)
        for position, column in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(position)].width = column.width
        ws.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(ws, value=column.header)
            cell.font, cell.fill = bold, fill
            header.append(cell)
        ws.append(header)
        for row in rows:
            cells: list[Any] = []
            for column, value in zip(columns, row, strict=True):
                if isinstance(value, int) or value is None or value == "":
                    cells.append(value)  # a count stays a number
                elif (
                    column.kind is Kind.TEXT
                    and isinstance(value, str)
                    and not value.startswith(FORMULA_STARTS)
                ):
                    # Plain text needs no cell of its own (the register is 200,000 rows): only
                    # dates, numbers kept as text, and what could pass for a formula get one.
                    cells.append(value)
                else:
                    cell = WriteOnlyCell(ws)
                    kind = Kind.DATE if isinstance(value, dt.date) else column.kind
                    put_cell(cell, kind, value, wrap)
                    cells.append(cell)
            ws.append(cells)

    about: list[tuple[str, Any]] = [
        ("统计对象", BY_LABELS[stats.by]),
        ("起始日期", stats.date_from or "（不限）"),
        ("截止日期", stats.date_to or "（不限）"),
        ("合计", stats.total),
        ("说明", "仅统计有效记录：已确认封存、未作废、未被更正版本取代（更正的记录只计一次）。"),
        ("生成时间", dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")),
    ]
    sheet(
        SUMMARY_TITLE,
        (Column("项目", 12), Column("内容", 70)),
        [(label, value) for label, value in about],
    )
    for name, title in SHEET_TITLES.items():
        rows = [
            (PARTY_LABELS.get(key, key) if name == "party" else key, count)
            for key, count in stats.breakdowns[name]
        ]
        sheet(
            title,
            (
                Column(
                    KEY_HEADERS[name],
                    30,
                    Kind.CODE if name in ("article", "clause", "month") else Kind.TEXT,
                ),
                Column("数量", 10),
            ),
            rows,
        )
    sheet(
        REGISTER_TITLE,
        REGISTER_COLUMNS,
        [
            (
                r.incident_date,
                r.site,
                r.trade,
                r.evaluation_type,
                r.number,
                PARTY_LABELS.get(r.party, r.party),
                r.article,
                r.clause,
                r.person,
                ID_LABELS.get(r.id_type, r.id_type),
                r.id_number,
                r.sealed_hash,
                r.content_hash,
                r.incident_id,
            )
            for r in register
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
