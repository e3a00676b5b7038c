"""Candidate and staff rosters: formats, encodings, and every problem reported with row+column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from app.core.rosters import (
    CandidateRow,
    RosterError,
    RosterProblem,
    StaffRow,
    make_id_number,
    parse_candidates,
    parse_staff,
)

ROOMS = {"第1考场": 30, "第2考场": 2}
HEADER = ["姓名", "证件类型", "证件号码", "准考证号", "考场", "座位号", "照片"]
ID1 = make_id_number("110101", dt.date(1990, 3, 7), 451)
ID2 = make_id_number("440304", dt.date(2001, 12, 31), 122)
PASSPORT = "E12345678"
FIXTURES = Path(__file__).resolve().parents[1] / "data" / "rosters"


def id_with_check_x() -> str:
    """A valid number whose check character is X, for the "expected X" message."""
    for seq in range(1000):
        number = make_id_number("320102", dt.date(1985, 6, 1), seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives X")


ID_X = id_with_check_x()

GOOD_ROWS = [
    ["张三", "居民身份证", ID1, "20260001", "第1考场", "1", "zhangsan.jpg"],
    ["李四", "护照", PASSPORT, "20260002", "第1考场", "2", ""],
    ["王五", "", ID_X, "20260003", "第2考场", "2", ""],
]
EXPECTED = [
    CandidateRow("张三", "resident_id", ID1, "20260001", "第1考场", 1, "zhangsan.jpg"),
    CandidateRow("李四", "passport", PASSPORT, "20260002", "第1考场", 2, None),
    CandidateRow("王五", "resident_id", ID_X, "20260003", "第2考场", 2, None),
]

STAFF_HEADER = ["姓名", "角色", "工号/证书编号", "PIN"]
STAFF_ROWS = [
    ["赵老师", "考务管理人员", "KW001", "0123"],
    ["钱老师", "assessor", "KP-2026-07", ""],
    ["孙老师", "质量督导员", "DD01", "87654321"],
    ["周主任", "考场负责人", "FZ01", "2468"],
]
STAFF_EXPECTED = [
    StaffRow("赵老师", "exam_admin", "KW001", "0123"),
    StaffRow("钱老师", "assessor", "KP-2026-07", None),
    StaffRow("孙老师", "supervisor", "DD01", "87654321"),
    StaffRow("周主任", "site_head", "FZ01", "2468"),
]


def write_csv(path: Path, rows: Sequence[Sequence[str]], encoding: str = "utf-8") -> Path:
    text = "".join(",".join(row) + "\r\n" for row in rows)
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def problems_of(excinfo: pytest.ExceptionInfo[RosterError]) -> list[RosterProblem]:
    return excinfo.value.problems


def refused(path: Path, rooms: dict[str, int] | None = None) -> RosterError:
    with pytest.raises(RosterError) as excinfo:
        parse_candidates(path, ROOMS if rooms is None else rooms)
    return excinfo.value


# --- formats and encodings -------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_round_trip_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "c.csv", [HEADER, *GOOD_ROWS], encoding)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):  # the file really is not UTF-8
            path.read_bytes().decode("utf-8")
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert parse_candidates(path, ROOMS) == EXPECTED


def test_committed_csv_fixture_parses() -> None:
    rows = parse_candidates(FIXTURES / "candidates.csv", ROOMS)
    assert [r.ticket_number for r in rows] == ["20260101", "20260102", "20260103"]
    assert rows[2].id_type == "hk_macao_permit"
    staff = parse_staff(FIXTURES / "staff.csv")
    assert [s.role for s in staff] == ["exam_admin", "assessor", "supervisor", "site_head"]


def test_xlsx_round_trip_with_numbers_as_excel_stores_them(tmp_path: Path) -> None:
    rows: list[Sequence[object]] = [HEADER]
    for row in GOOD_ROWS:
        # Excel users type tickets and seats as numbers: they arrive as int/float.
        rows.append([row[0], row[1], row[2], int(row[3]), row[4], float(row[5]), row[6] or None])
    path = write_xlsx(tmp_path / "c.xlsx", rows)
    assert parse_candidates(path, ROOMS) == EXPECTED


def test_xlsx_reads_the_first_sheet_and_skips_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(GOOD_ROWS[0])
    sheet.append([])
    sheet.append(["", "  ", None])
    sheet.append(GOOD_ROWS[1])
    workbook.create_sheet("说明").append(["这里不是名单"])
    workbook.save(path)
    assert parse_candidates(path, ROOMS) == EXPECTED[:2]


def test_xlsx_problems_carry_excel_row_numbers_across_blank_rows(tmp_path: Path) -> None:
    bad = with_cell(GOOD_ROWS[1], "座位号", "0")
    path = write_xlsx(tmp_path / "c.xlsx", [HEADER, GOOD_ROWS[0], [], [None, None], bad])
    error = refused(path)
    assert [(p.row, p.column) for p in error.problems] == [(5, "座位号")]
    assert str(error.problems[0]).startswith("第5行 座位号: ")


def test_tab_separated_utf16_from_excel_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    text = "".join("\t".join(row) + "\r\n" for row in [HEADER, *GOOD_ROWS])
    path.write_bytes(text.encode("utf-16"))
    assert parse_candidates(path, ROOMS) == EXPECTED


def test_english_headers_extra_columns_and_optional_columns(tmp_path: Path) -> None:
    header = ["Name", "ID_Number", "备注", "ticket_number", "ROOM", "seat"]
    rows = [header, ["张三", ID1, "迟到", "T1", "第1考场", "5"]]
    path = write_csv(tmp_path / "c.csv", rows)
    assert parse_candidates(path, ROOMS) == [
        CandidateRow("张三", "resident_id", ID1, "T1", "第1考场", 5, None)
    ]


def test_full_width_digits_spaces_and_lower_case_x_are_normalised(tmp_path: Path) -> None:
    full_width_id = ID_X[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    header = [" 姓名 ", "证件号码*", "准考证号", "考场", "座位号"]
    rows = [header, ["  王五 ", f" {full_width_id} ", " ２０２６ ０００３ ", "第２考场", "２"]]
    path = write_csv(tmp_path / "c.csv", rows, "gb18030")
    assert parse_candidates(path, ROOMS) == [
        CandidateRow("王五", "resident_id", ID_X, "20260003", "第2考场", 2, None)
    ]


def test_header_only_file_is_an_empty_roster(tmp_path: Path) -> None:
    assert parse_candidates(write_csv(tmp_path / "c.csv", [HEADER, [""] * 7]), ROOMS) == []


# --- file-level problems ---------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"\r\n  \r\n,,,\r\n", b"\xef\xbb\xbf"])
def test_empty_csv_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(content)
    error = refused(path)
    assert len(error.problems) == 1
    assert error.problems[0].row is None
    assert "文件是空的" in str(error) and "the file is empty" in str(error)


def test_empty_xlsx_is_refused(tmp_path: Path) -> None:
    error = refused(write_xlsx(tmp_path / "c.xlsx", []))
    assert "文件是空的" in str(error)


def test_garbage_and_truncated_xlsx_are_refused_clearly(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"this is not a spreadsheet")
    good = write_xlsx(tmp_path / "good.xlsx", [HEADER, *GOOD_ROWS])
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    for path in (garbage, truncated):
        error = refused(path)
        assert "无法打开该 Excel 文件" in str(error)
        assert "damaged or not in .xlsx format" in str(error)


@pytest.mark.parametrize(
    ("name", "zh"),
    [
        ("roster.xls", "另存为 .xlsx"),
        ("roster.txt", "文件类型 .txt 不支持"),
        ("roster", "（无扩展名）"),
    ],
)
def test_wrong_extensions_are_refused(tmp_path: Path, name: str, zh: str) -> None:
    path = tmp_path / name
    path.write_text("姓名\n张三\n", encoding="utf-8")
    assert zh in str(refused(path))


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert "找不到该文件" in str(refused(tmp_path / "nowhere.csv"))
    assert "file not found" in str(refused(tmp_path / "nowhere.xlsx"))


def test_missing_required_columns_each_named_once(tmp_path: Path) -> None:
    rows = [["姓名", "准考证号", "座位号"], *[["张三", "T1", "1"]] * 5]
    error = refused(write_csv(tmp_path / "c.csv", rows))
    assert [(p.row, p.column, p.field) for p in error.problems] == [
        (1, "证件号码", "id_number"),
        (1, "考场", "room"),
    ]
    assert "第1行 证件号码: 缺少必需的列“证件号码”" in str(error)
    assert "(row 1, id_number: required column '证件号码' (id_number) is missing" in str(error)


def test_header_below_blank_rows_is_numbered_as_in_excel(tmp_path: Path) -> None:
    rows = [[""], ["姓名", "准考证号"], ["张三", "T1"]]
    error = refused(write_csv(tmp_path / "c.csv", rows))
    assert {p.row for p in error.problems} == {2}


def test_repeated_column_is_refused(tmp_path: Path) -> None:
    rows = [[*HEADER, "证件号"], GOOD_ROWS[0] + [ID2]]
    error = refused(write_csv(tmp_path / "c.csv", rows))
    assert [(p.row, p.column) for p in error.problems] == [(1, "证件号")]
    assert "与“证件号码”是同一列" in str(error)


# --- row problems: each with Excel's row number and the column's header ----------------------


def with_cell(row: list[str], column: str, value: str) -> list[str]:
    changed = list(row)
    changed[HEADER.index(column)] = value
    return changed


ROW_CASES = [
    ("姓名", "  ", "name", "不能为空", "must not be empty"),
    ("证件类型", "驾驶证", "id_type", "无法识别的证件类型“驾驶证”", "unknown ID type '驾驶证'"),
    ("证件号码", "", "id_number", "不能为空", "must not be empty"),
    (
        "证件号码",
        ID1[:-1] + "X",
        "id_number",
        "校验位错误，应为 4",
        "wrong check digit, expected 4",
    ),
    (
        "证件号码",
        ID_X[:-1] + "0",
        "id_number",
        "校验位错误，应为 X",
        "wrong check digit, expected X",
    ),
    ("证件号码", ID1[:-2], "id_number", "长度应为18位，实为16位", "must be 18 characters, got 16"),
    ("证件号码", "11010119901301451X", "id_number", "不是有效日期", "not a real date"),
    ("准考证号", "", "ticket_number", "不能为空", "must not be empty"),
    ("考场", "第9考场", "room", "本场次没有考场“第9考场”", "the session has no room '第9考场'"),
    ("座位号", "0", "seat", "应为正整数", "must be a positive whole number"),
    ("座位号", "-3", "seat", "应为正整数", "must be a positive whole number"),
    ("座位号", "1.5", "seat", "应为正整数", "must be a positive whole number"),
    ("座位号", "三", "seat", "应为正整数", "must be a positive whole number"),
    ("座位号", "31", "seat", "只有30个座位，座位号31超出范围", "has only 30 seats; seat 31"),
]


@pytest.mark.parametrize(("column", "value", "field", "zh", "en"), ROW_CASES)
def test_each_row_problem_names_row_and_column(
    tmp_path: Path, column: str, value: str, field: str, zh: str, en: str
) -> None:
    rows = [HEADER, GOOD_ROWS[1], with_cell(GOOD_ROWS[0], column, value), GOOD_ROWS[2]]
    error = refused(write_csv(tmp_path / "c.csv", rows))
    assert len(error.problems) == 1, error
    problem = error.problems[0]
    assert (problem.row, problem.column, problem.field) == (3, column, field)
    assert zh in problem.reason_zh and en in problem.reason_en
    text = str(problem)
    assert text.startswith(f"第3行 {column}: ")
    assert f"(row 3, {field}: " in text
    assert str(problem) in str(error)


def test_message_reads_as_the_site_expects(tmp_path: Path) -> None:
    bad = ["赵六", "", ID_X[:-1] + "1", "20260004", "第1考场", "9", ""]
    rows = [HEADER, GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[2], bad]
    error = refused(write_csv(tmp_path / "c.csv", rows))
    assert len(error.problems) == 1
    assert str(error.problems[0]).startswith("第5行 证件号码: 校验位错误，应为 X")
    assert "(row 5, id_number: wrong check digit, expected X" in str(error.problems[0])
    assert "nothing was imported" in str(error)


def test_duplicates_point_at_the_first_row(tmp_path: Path) -> None:
    rows = [
        HEADER,
        GOOD_ROWS[0],
        GOOD_ROWS[1],
        ["甲", "", ID2, "20260001", "第1考场", "3", ""],  # ticket of row 2
        ["乙", "身份证", ID1, "20260009", "第1考场", "4", ""],  # ID of row 2
        ["丙", "护照", "G7654321", "20260010", "第1考场", "2", ""],  # seat of row 3
    ]
    error = refused(write_csv(tmp_path / "c.csv", rows))
    assert [(p.row, p.field) for p in error.problems] == [
        (4, "ticket_number"),
        (5, "id_number"),
        (6, "seat"),
    ]
    assert "“20260001”与第2行重复" in error.problems[0].reason_zh
    assert "repeats row 2" in error.problems[1].reason_en
    assert "已分配给第3行的考生" in error.problems[2].reason_zh


def test_same_seat_number_in_different_rooms_is_fine(tmp_path: Path) -> None:
    rows = [HEADER, GOOD_ROWS[0], with_cell(GOOD_ROWS[2], "座位号", "1")]
    assert [r.seat for r in parse_candidates(write_csv(tmp_path / "c.csv", rows), ROOMS)] == [1, 1]


def test_every_problem_of_every_row_is_reported_in_sheet_order(tmp_path: Path) -> None:
    rows = [
        HEADER,
        ["", "", ID1[:-1] + "0", "", "第1考场", "x", ""],
        GOOD_ROWS[0],
        [],
        ["李四", "护照", "E1", "20260002", "第8考场", "1", ""],
    ]
    error = refused(write_csv(tmp_path / "c.csv", rows))
    assert [(p.row, p.column) for p in error.problems] == [
        (2, "姓名"),
        (2, "证件号码"),
        (2, "准考证号"),
        (2, "座位号"),
        (5, "证件号码"),
        (5, "考场"),
    ]
    assert "有 6 处问题" in str(error)


def test_one_bad_row_among_many_good_returns_nothing(tmp_path: Path) -> None:
    rows = [HEADER]
    for seat in range(1, 31):
        number = make_id_number("110101", dt.date(1990, 1, seat), seat)
        rows.append([f"考生{seat}", "", number, f"T{seat:04d}", "第1考场", str(seat), ""])
    path = write_csv(tmp_path / "c.csv", rows)
    assert len(parse_candidates(path, ROOMS)) == 30
    rows[17] = with_cell(rows[17], "考场", "第3考场")
    write_csv(path, rows)
    error = refused(path)
    assert [(p.row, p.column) for p in error.problems] == [(18, "考场")]


def test_unknown_room_lists_the_rooms_and_says_when_there_are_none(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [HEADER, GOOD_ROWS[0]])
    assert "应为：第A考场、第B考场" in str(refused(path, {"第A考场": 5, "第B考场": 5}))
    assert "本场次尚未设置考场" in str(refused(path, {}))


def test_rooms_match_despite_full_width_and_case(tmp_path: Path) -> None:
    rows = [HEADER, ["张三", "", ID1, "T1", " room ａ ", "1", ""]]
    result = parse_candidates(write_csv(tmp_path / "c.csv", rows), {"Room A": 2})
    assert result[0].room == "Room A"


def test_excel_rounded_id_number_is_caught(tmp_path: Path) -> None:
    # An 18-digit number typed into a General cell is stored as a float with 15 digits.
    row: list[object] = list(GOOD_ROWS[0])
    row[2] = float(ID1[:-1] + "0")
    path = write_xlsx(tmp_path / "c.xlsx", [HEADER, row])
    error = refused(path)
    assert [(p.row, p.column) for p in error.problems] == [(2, "证件号码")]
    assert "Excel 把它当作数字保存" in error.problems[0].reason_zh
    assert "format the column as Text" in error.problems[0].reason_en


# --- staff -----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_staff_csv_round_trip(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "s.csv", [STAFF_HEADER, *STAFF_ROWS], encoding)
    assert parse_staff(path) == STAFF_EXPECTED


def test_staff_xlsx_with_english_headers_and_role_codes(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["name", "role", "staff_number", "pin"],
        ["赵老师", "EXAM_ADMIN", "KW001", "0123"],
        ["钱老师", "考评人员", "KP-2026-07", None],
        ["孙老师", "质量督导人员", 9001, 87654321],
        ["周主任", "site_head", "FZ01", None],
    ]
    assert parse_staff(write_xlsx(tmp_path / "s.xlsx", rows)) == [
        StaffRow("赵老师", "exam_admin", "KW001", "0123"),
        StaffRow("钱老师", "assessor", "KP-2026-07", None),
        StaffRow("孙老师", "supervisor", "9001", "87654321"),
        StaffRow("周主任", "site_head", "FZ01", None),
    ]


def test_staff_pin_column_is_optional(tmp_path: Path) -> None:
    rows = [["姓名", "角色", "工号"], ["赵老师", "考务管理人员", "KW001"]]
    assert parse_staff(write_csv(tmp_path / "s.csv", rows)) == [
        StaffRow("赵老师", "exam_admin", "KW001", None)
    ]


def test_staff_employer_column_is_optional_and_bounded(tmp_path: Path) -> None:
    rows = [
        ["姓名", "角色", "工号", "所在单位"],
        ["赵老师", "考评人员", "KP001", "广州市技师学院"],
        ["钱老师", "考评人员", "KP002", ""],
    ]
    assert parse_staff(write_csv(tmp_path / "s.csv", rows)) == [
        StaffRow("赵老师", "assessor", "KP001", None, employer="广州市技师学院"),
        StaffRow("钱老师", "assessor", "KP002", None),
    ]
    rows[1][3] = "单" * 201
    with pytest.raises(RosterError) as caught:
        parse_staff(write_csv(tmp_path / "long.csv", rows))
    assert "工作单位不超过200个字符" in str(caught.value)


def test_staff_problems_are_all_reported(tmp_path: Path) -> None:
    rows = [
        STAFF_HEADER,
        ["赵老师", "监考", "KW001", "123"],
        ["钱老师", "assessor", "kw001", "123456789"],
        ["", "site_head", "", "12a4"],
        ["周主任", "", "FZ01", ""],
    ]
    with pytest.raises(RosterError) as excinfo:
        parse_staff(write_csv(tmp_path / "s.csv", rows))
    found = [(p.row, p.column, p.field) for p in problems_of(excinfo)]
    assert found == [
        (2, "角色", "role"),
        (2, "PIN", "pin"),
        (3, "工号/证书编号", "staff_number"),
        (3, "PIN", "pin"),
        (4, "姓名", "name"),
        (4, "工号/证书编号", "staff_number"),
        (4, "PIN", "pin"),
        (5, "角色", "role"),
    ]
    message = str(excinfo.value)
    roles = "考务管理人员、考评人员、质量督导员、考场负责人"
    assert f"第2行 角色: 无法识别的角色“监考”，应为：{roles}" in message
    assert "第3行 工号/证书编号: “kw001”与第2行重复" in message
    assert "(row 2, pin: the PIN must be 4–8 digits" in message


def test_staff_missing_header_is_one_clear_error(tmp_path: Path) -> None:
    rows = [["姓名", "PIN"], ["赵老师", "1234"]]
    with pytest.raises(RosterError) as excinfo:
        parse_staff(write_csv(tmp_path / "s.csv", rows))
    assert [p.column for p in problems_of(excinfo)] == ["角色", "工号/证书编号"]


def test_a_repeated_staff_number_is_quoted_as_written(tmp_path: Path) -> None:
    rows = [
        STAFF_HEADER,
        ["赵老师", "考务管理人员", "S101", ""],
        ["钱老师", "考评人员", "S101", ""],
    ]
    with pytest.raises(RosterError) as excinfo:
        parse_staff(write_csv(tmp_path / "s.csv", rows))
    assert "第3行 工号/证书编号: “S101”与第2行重复" in str(excinfo.value)


def test_parsed_rows_know_their_row_in_the_file(tmp_path: Path) -> None:
    rows = [
        STAFF_HEADER,
        ["赵老师", "考务管理人员", "S101", ""],
        ["钱老师", "考评人员", "S102", ""],
    ]
    parsed = parse_staff(write_csv(tmp_path / "s.csv", rows))
    assert [p.line for p in parsed] == [2, 3]
