"""The columns of each roster kind: the Chinese header we write and every name we accept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.core.rosters.text import fold

RosterKind = Literal["candidates", "staff"]


@dataclass(frozen=True)
class Column:
    key: str  # English name, also accepted as a header
    header: str  # the Chinese header written in templates
    aliases: tuple[str, ...] = ()
    required: bool = True
    hint: str = ""  # one line for the template's instructions sheet
    text: bool = False  # digits that must stay text in Excel (leading zeros, 18 digits)

    def names(self) -> tuple[str, ...]:
        return (self.header, self.key, *self.aliases)


CANDIDATE_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("考生姓名",), hint="参评人员姓名，与证件一致"),
    Column(
        "id_type",
        "证件类型",
        ("证件种类",),
        required=False,
        hint="居民身份证、港澳居民来往内地通行证、台湾居民来往大陆通行证、护照、"
        "外国人永久居留身份证；留空视为居民身份证",
    ),
    Column(
        "id_number",
        "证件号码",
        ("身份证号", "身份证号码", "证件号"),
        hint="居民身份证为18位，末位可为X；请将本列设为文本格式",
        text=True,
    ),
    Column(
        "ticket_number",
        "准考证号",
        ("准考证号码", "准考证", "ticket"),
        hint="本场次内不得重复",
        text=True,
    ),
    Column("room", "考场", ("考场号", "考场名称", "考场编号"), hint="须为本场次已设置的考场"),
    Column("seat", "座位号", ("座位", "座号"), hint="正整数，不超过该考场座位数；同一座位只能一人"),
    Column(
        "photo",
        "照片",
        ("照片文件", "photo_file"),
        required=False,
        hint="可选：照片文件名（与名单放在同一文件夹）",
    ),
)

STAFF_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("工作人员姓名",), hint="工作人员姓名"),
    Column(
        "role",
        "角色",
        ("岗位", "人员类别"),
        hint="考务管理人员、考评人员、质量督导员、考场负责人（或 exam_admin、assessor、"
        "supervisor、site_head）",
    ),
    Column(
        "staff_number",
        "工号/证书编号",
        ("工号", "证书编号", "编号", "staff_no"),
        hint="工号或考评员证书编号，本名单内不得重复",
        text=True,
    ),
    Column(
        "pin",
        "PIN",
        ("PIN码", "密码"),
        required=False,
        hint="可选：4–8位数字，用于签名确认；请将本列设为文本格式以保留开头的0",
        text=True,
    ),
    # Last, so that rosters read by position (no header row) keep their columns.
    Column(
        "employer",
        "工作单位",
        ("单位", "所在单位", "工作单位名称"),
        required=False,
        hint="可选：所在单位（外聘考评员等），印在涉及本人的记录上",
    ),
)

COLUMNS: dict[RosterKind, tuple[Column, ...]] = {
    "candidates": CANDIDATE_COLUMNS,
    "staff": STAFF_COLUMNS,
}


def header_key(header: str) -> str:
    """A header as compared: NFKC, case-folded, without spaces or the ``*`` of required marks."""
    return "".join(fold(header).split()).replace("*", "")


def lookup(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Every accepted header name (compared by ``header_key``) to its column."""
    table: dict[str, Column] = {}
    for column in columns:
        for name in column.names():
            table[header_key(name)] = column
    return table
