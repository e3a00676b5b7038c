"""Blank roster templates for the site to fill in: XLSX (with instructions) or CSV."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import IO

from app.core.errors import UserError
from app.core.rosters.columns import COLUMNS, Column, RosterKind
from app.core.rosters.idtypes import ID_TYPE_LABELS
from app.core.rosters.roles import ROLE_LABELS

SHEET_TITLES: dict[RosterKind, str] = {"candidates": "考生名单", "staff": "工作人员名单"}
INSTRUCTIONS_TITLE = "填写说明"
_LISTED_ROWS = 2000  # rows that get the drop-down lists and text format in the XLSX

# Drop-down choices per column key: the names people pick instead of typing.
_CHOICES: dict[str, tuple[str, ...]] = {
    "id_type": tuple(ID_TYPE_LABELS.values()),
    "role": tuple(ROLE_LABELS.values()),
}

_GENERAL_NOTES = (
    "第1行为表头，请勿修改或删除表头；从第2行起每行填写一人。",
    "带 * 的列为必填；其他列可留空。表中可另加列（如性别、备注），导入时忽略。",
    "证件号码、准考证号、工号、PIN 等列已设为文本格式，请勿改为数字格式，以免丢失末位或开头的0。",
    "导入时逐行检查，任何一行有误则整份名单都不导入，并列出所有问题所在的行和列。",
    "也可另存为 CSV（UTF-8 或 GB18030 编码均可）后导入。",
)


class TemplateError(UserError):
    """A template could not be written where the user asked."""


def write_template(
    kind: RosterKind, path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write a blank ``kind`` roster (headers only) to ``path``, as XLSX or CSV by its extension.

    CSV is written as UTF-8 with a BOM, which Excel needs to show Chinese correctly.
    """
    if kind not in COLUMNS:
        raise ValueError(f"unknown roster kind {kind!r}")
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in {".xlsx", ".csv"}:
        raise TemplateError(
            f"模板文件应以 .xlsx 或 .csv 结尾：{file} "
            f"(the template file must end in .xlsx or .csv: {file})"
        )
    columns = COLUMNS[kind]
    # "x" creates the file or fails if it exists, in one step: a file another program makes
    # between a look and the write is not written over either.
    mode = "w" if overwrite else "x"
    try:
        if suffix == ".csv":
            with file.open(mode, encoding="utf-8-sig", newline="") as stream:
                csv.writer(stream).writerow(_header(c) for c in columns)
        else:
            with file.open(mode + "b") as binary:
                _write_xlsx(kind, columns, binary)
    except FileExistsError:
        raise TemplateError(
            f"文件已存在，未覆盖：{file} (the file exists and was not overwritten: {file})"
        ) from None
    except OSError as exc:
        if not overwrite:  # the file is this call's own: a half-written one would block a retry
            file.unlink(missing_ok=True)
        raise TemplateError(
            f"无法写入 {file}：{exc.strerror} (cannot write {file}: {exc.strerror})"
        ) from exc
    return file


def _header(column: Column) -> str:
    # The "*" marks required columns for the person filling in; the parser ignores it.
    return f"{column.header}*" if column.required else column.header


def _write_xlsx(kind: RosterKind, columns: tuple[Column, ...], file: IO[bytes]) -> None:
    from openpyxl import Workbook  # imported here: only needed for Excel templates
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = SHEET_TITLES[kind]
    sheet.append([_header(c) for c in columns])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for position, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position)
        cell.font = bold
        cell.fill = fill
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = 24 if column.text else 16
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"
        choices = _CHOICES.get(column.key)
        if choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
            )
            validation.add(f"{letter}2:{letter}{_LISTED_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(INSTRUCTIONS_TITLE)
    notes.append(["列名", "是否必填", "填写要求", "英文列名（也可用作表头）"])
    for position in range(1, 5):
        notes.cell(row=1, column=position).font = bold
    for column in columns:
        notes.append(
            [column.header, "必填" if column.required else "选填", column.hint, column.key]
        )
    notes.append([])
    for note in _GENERAL_NOTES:
        notes.append([note])
    for letter, width in zip("ABCD", (16, 10, 60, 24), strict=True):
        notes.column_dimensions[letter].width = width
    workbook.save(file)
