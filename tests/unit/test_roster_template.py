"""Blank roster templates: they re-read as empty rosters and accept rows filled in."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from app.core.rosters import (
    CandidateRow,
    StaffRow,
    TemplateError,
    make_id_number,
    parse_candidates,
    parse_staff,
    write_template,
)
from app.core.rosters.template import INSTRUCTIONS_TITLE

CANDIDATE_HEADERS = ["姓名*", "证件类型", "证件号码*", "准考证号*", "考场*", "座位号*", "照片"]
STAFF_HEADERS = ["姓名*", "角色*", "工号/证书编号*", "PIN", "工作单位"]
ID1 = make_id_number("110101", dt.date(1990, 3, 7), 451)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_templates_reread_as_empty_rosters(tmp_path: Path, suffix: str) -> None:
    candidates = write_template("candidates", tmp_path / f"c{suffix}")
    staff = write_template("staff", tmp_path / f"s{suffix}")
    assert parse_candidates(candidates, {"1": 10}) == []
    assert parse_staff(staff) == []


def test_csv_template_is_utf8_with_bom_and_only_the_header(tmp_path: Path) -> None:
    path = write_template("candidates", tmp_path / "c.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert rows == [CANDIDATE_HEADERS]


def test_xlsx_template_has_headers_text_columns_and_instructions(tmp_path: Path) -> None:
    path = write_template("staff", tmp_path / "s.xlsx")
    workbook = openpyxl.load_workbook(path)
    try:
        roster, notes = workbook.worksheets
        assert roster.title == "工作人员名单"
        assert [c.value for c in roster[1]] == STAFF_HEADERS
        assert roster.max_row == 1
        # 工号 and PIN keep leading zeros: their columns are formatted as text.
        assert roster.column_dimensions["C"].number_format == "@"
        assert roster.column_dimensions["D"].number_format == "@"
        assert roster.column_dimensions["A"].number_format != "@"
        choices = [v.formula1 for v in roster.data_validations.dataValidation]
        assert choices == ['"考务管理人员,考评人员,质量督导员,考场负责人"']
        assert notes.title == INSTRUCTIONS_TITLE
        listed = [row[0] for row in notes.iter_rows(min_row=2, max_row=6, values_only=True)]
        assert listed == ["姓名", "角色", "工号/证书编号", "PIN", "工作单位"]
    finally:
        workbook.close()


def test_filled_in_xlsx_template_imports(tmp_path: Path) -> None:
    path = write_template("candidates", tmp_path / "c.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook.worksheets[0].append(["张三", "居民身份证", ID1, "0001", "1", 3, None])
    workbook.save(path)
    workbook.close()
    assert parse_candidates(path, {"1": 10}) == [
        CandidateRow("张三", "resident_id", ID1, "0001", "1", 3, None)
    ]


def test_filled_in_csv_template_imports(tmp_path: Path) -> None:
    path = write_template("staff", tmp_path / "s.csv")
    with path.open("a", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerow(["赵老师", "考务管理人员", "007", "0420"])
    assert parse_staff(path) == [StaffRow("赵老师", "exam_admin", "007", "0420")]


def test_template_refuses_other_extensions_and_existing_files(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"\.xlsx 或 \.csv"):
        write_template("staff", tmp_path / "s.xls")
    existing = tmp_path / "s.csv"
    existing.write_text("mine", encoding="utf-8")
    with pytest.raises(TemplateError, match="文件已存在"):
        write_template("staff", existing)
    assert existing.read_text(encoding="utf-8") == "mine"
    write_template("staff", existing, overwrite=True)
    assert parse_staff(existing) == []


def test_template_into_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="无法写入"):
        write_template("candidates", tmp_path / "missing" / "c.csv")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_template_never_writes_over_a_file_made_after_the_check(
    tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another program creates the file between a look and the write: the write itself must
    # refuse (README: no command writes over an existing file), not only a check before it.
    existing = tmp_path / f"s{suffix}"
    existing.write_text("mine", encoding="utf-8")
    real_exists = Path.exists
    monkeypatch.setattr(
        Path, "exists", lambda self: False if self == existing else real_exists(self)
    )
    with pytest.raises(TemplateError, match="文件已存在"):
        write_template("staff", existing)
    assert existing.read_text(encoding="utf-8") == "mine"


def test_a_template_that_cannot_be_finished_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from app.core.rosters import template

    def full_disk(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(template, "_write_xlsx", full_disk)
    target = tmp_path / "c.xlsx"
    with pytest.raises(TemplateError, match="No space left"):
        write_template("candidates", target)
    assert not target.exists()  # so the same command can be run again once there is room
