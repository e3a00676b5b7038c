"""Parsing and validating candidate and staff rosters: all rows are good, or nothing is returned.

Every problem in the file is collected before failing, so the site fixes the file in one pass.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from app.core.rosters.binding import Binding, RowView, bind
from app.core.rosters.columns import CANDIDATE_COLUMNS, STAFF_COLUMNS, Column
from app.core.rosters.idtypes import (
    ID_TYPE_LABELS,
    IdType,
    check_id_number,
    normalize_id_number,
    parse_id_type,
)
from app.core.rosters.problems import Reason, RosterError, RosterProblem
from app.core.rosters.roles import ROLE_LABELS, parse_role
from app.core.rosters.rows import CandidateRow, StaffRow
from app.core.rosters.table import RawTable, read_table
from app.core.rosters.text import clean, compact, fold

PIN_MIN, PIN_MAX = 4, 8
_ROOMS_LISTED = 10  # rooms named in an "unknown room" message before "…"


def parse_candidates(
    path: str | os.PathLike[str],
    rooms: Mapping[str, int],
    *,
    today: dt.date | None = None,
) -> list[CandidateRow]:
    """The candidates in the roster at ``path``; raises ``RosterError`` listing every problem.

    ``rooms`` maps each room of the session (as the 考场 column names it) to its seat count.
    ``today`` bounds birth dates in ID numbers (default: the real today).
    """
    file = Path(path)
    table, binding = _open(file, CANDIDATE_COLUMNS)
    problems: list[RosterProblem] = []
    room_keys = {fold(room): room for room in rooms}
    tickets: dict[str, int] = {}
    id_numbers: dict[str, int] = {}
    seats: dict[tuple[str, int], int] = {}
    result: list[CandidateRow] = []
    for number, cells in table.rows:
        row = RowView(table, binding, number, cells, problems)
        name = _required(row, "name", clean(row.raw("name")))
        id_type = _id_type(row)
        id_number = _id_number(row, id_type, today)
        ticket = _text_code(row, "ticket_number")
        room = _room(row, room_keys, rooms)
        seat = _seat(row, room, rooms)
        photo = clean(row.raw("photo")) or None
        if ticket and _is_repeat(row, "ticket_number", ticket, tickets):
            ticket = None
        if id_number and _is_repeat(row, "id_number", id_number, id_numbers):
            id_number = None
        if room is not None and seat is not None and (room, seat) in seats:
            row.report(
                "seat",
                Reason(
                    f"考场“{room}”的{seat}号座位已分配给第{seats[room, seat]}行的考生，"
                    "请调整座位号",
                    f"seat {seat} in room '{room}' is already given to the candidate in row "
                    f"{seats[room, seat]}; change the seat number",
                ),
            )
            seat = None
        elif room is not None and seat is not None:
            seats[room, seat] = number
        if name and id_type and id_number and ticket and room is not None and seat is not None:
            result.append(
                CandidateRow(name, id_type.value, id_number, ticket, room, seat, photo, number)
            )
    if problems:
        raise RosterError(str(file), _in_file_order(problems, binding))
    return result


MAX_EMPLOYER = 200  # as a name: the value limit every name column has


def parse_staff(path: str | os.PathLike[str]) -> list[StaffRow]:
    """The staff in the roster at ``path``; raises ``RosterError`` listing every problem."""
    file = Path(path)
    table, binding = _open(file, STAFF_COLUMNS)
    problems: list[RosterProblem] = []
    staff_numbers: dict[str, int] = {}
    result: list[StaffRow] = []
    for number, cells in table.rows:
        row = RowView(table, binding, number, cells, problems)
        name = _required(row, "name", clean(row.raw("name")))
        role = _role(row)
        staff_number = _text_code(row, "staff_number")
        if staff_number and _is_repeat(
            row, "staff_number", fold(staff_number), staff_numbers, as_written=staff_number
        ):
            staff_number = None
        pin, pin_ok = _pin(row)
        employer = clean(row.raw("employer"))
        employer_ok = len(employer) <= MAX_EMPLOYER
        if not employer_ok:
            row.report(
                "employer",
                Reason(
                    f"工作单位不超过{MAX_EMPLOYER}个字符",
                    f"the employer takes at most {MAX_EMPLOYER} characters",
                ),
            )
        if name and role and staff_number and pin_ok and employer_ok:
            result.append(StaffRow(name, role, staff_number, pin, number, employer))
    if problems:
        raise RosterError(str(file), _in_file_order(problems, binding))
    return result


def _open(file: Path, columns: tuple[Column, ...]) -> tuple[RawTable, Binding]:
    table = read_table(file)
    binding, problems = bind(table, columns)
    if problems:
        # Without the right columns every row would fail for the same reason: stop here.
        raise RosterError(str(file), problems)
    return table, binding


def _in_file_order(problems: list[RosterProblem], binding: Binding) -> list[RosterProblem]:
    """Row by row, and within a row left to right, as the person reads the sheet."""
    return sorted(problems, key=lambda p: (p.row or 0, binding.index.get(p.field or "", 0)))


def _required(row: RowView, key: str, value: str) -> str | None:
    if value:
        return value
    row.report(key, Reason("不能为空，请填写", "must not be empty; fill it in"))
    return None


def _text_code(row: RowView, key: str) -> str | None:
    """A number-like code (ticket, staff number): trimmed, full-width folded, spaces removed."""
    if row.rounded(key):
        row.report(key, _ROUNDED)
        return None
    return _required(row, key, compact(row.raw(key)))


_ROUNDED = Reason(
    "Excel 把它当作数字保存，末尾几位已变成0；请把本列设为“文本”格式后重新输入",
    "Excel saved it as a number and lost its last digits; format the column as Text and "
    "type it again",
)


def _id_type(row: RowView) -> IdType | None:
    text = clean(row.raw("id_type"))
    if not text:
        return IdType.RESIDENT_ID  # the column is optional: most candidates bring one
    id_type = parse_id_type(text)
    if id_type is None:
        names = "、".join(ID_TYPE_LABELS.values())
        row.report(
            "id_type",
            Reason(
                f"无法识别的证件类型“{text}”，应为：{names}",
                f"unknown ID type '{text}'; use one of: {', '.join(t.value for t in IdType)}",
            ),
        )
    return id_type


def _id_number(row: RowView, id_type: IdType | None, today: dt.date | None) -> str | None:
    if row.rounded("id_number"):
        row.report("id_number", _ROUNDED)
        return None
    number = _required(row, "id_number", normalize_id_number(row.raw("id_number")))
    if number is None or id_type is None:
        return None
    reason = check_id_number(id_type, number, today=today)
    if reason is not None:
        row.report("id_number", reason)
        return None
    return number


def _room(row: RowView, room_keys: Mapping[str, str], rooms: Mapping[str, int]) -> str | None:
    text = clean(row.raw("room"))
    if not _required(row, "room", text):
        return None
    room = room_keys.get(fold(text))
    if room is None:
        listed = list(rooms)[:_ROOMS_LISTED]
        more = "…" if len(rooms) > _ROOMS_LISTED else ""
        known_zh = "、".join(listed) + more if listed else "（本场次尚未设置考场）"
        known_en = ", ".join(listed) + more if listed else "(the session has no rooms yet)"
        row.report(
            "room",
            Reason(
                f"本场次没有考场“{text}”，应为：{known_zh}",
                f"the session has no room '{text}'; rooms: {known_en}",
            ),
        )
    return room


def _seat(row: RowView, room: str | None, rooms: Mapping[str, int]) -> int | None:
    text = compact(row.raw("seat"))
    if not _required(row, "seat", text):
        return None
    if not (text.isascii() and text.isdigit()) or int(text) == 0:
        row.report(
            "seat",
            Reason(
                f"座位号“{text}”应为正整数，请改为 1、2、3 这样的数字",
                f"seat '{text}' must be a positive whole number such as 1, 2, 3",
            ),
        )
        return None
    seat = int(text)
    if room is not None and seat > rooms[room]:
        row.report(
            "seat",
            Reason(
                f"考场“{room}”只有{rooms[room]}个座位，座位号{seat}超出范围",
                f"room '{room}' has only {rooms[room]} seats; seat {seat} is out of range",
            ),
        )
        return None
    return seat


def _is_repeat(
    row: RowView, key: str, value: str, seen: dict[str, int], as_written: str | None = None
) -> bool:
    """Report ``value`` if an earlier row had it; otherwise remember this row for it.
    ``as_written``: the text to quote when ``value`` is a folded form of it."""
    first = seen.get(value)
    if first is None:
        seen[value] = row.number
        return False
    shown = as_written or value
    row.report(
        key,
        Reason(
            f"“{shown}”与第{first}行重复，同一名单内不得重复，请核对",
            f"'{shown}' repeats row {first}; it must be unique in the roster, check both rows",
        ),
    )
    return True


def _role(row: RowView) -> str | None:
    text = clean(row.raw("role"))
    if not _required(row, "role", text):
        return None
    role = parse_role(text)
    if role is None:
        row.report(
            "role",
            Reason(
                f"无法识别的角色“{text}”，应为：{'、'.join(ROLE_LABELS.values())}",
                f"unknown role '{text}'; use one of: {', '.join(r.value for r in ROLE_LABELS)}",
            ),
        )
        return None
    return role.value


def _pin(row: RowView) -> tuple[str | None, bool]:
    """The PIN, or None when blank; the flag is False when a PIN was given but is unusable."""
    text = compact(row.raw("pin"))
    if not text:
        return None, True
    if not (text.isascii() and text.isdigit() and PIN_MIN <= len(text) <= PIN_MAX):
        row.report(
            "pin",
            Reason(
                f"PIN 应为{PIN_MIN}–{PIN_MAX}位数字；若开头的0丢失，"
                "请把本列设为“文本”格式后重新输入",
                f"the PIN must be {PIN_MIN}–{PIN_MAX} digits; if a leading 0 was lost, format "
                "the column as Text and type it again",
            ),
        )
        return None, False
    return text, True
