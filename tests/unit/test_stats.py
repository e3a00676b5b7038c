"""Statistics of the records in force and of decided cases, checked against known records on
both engines, and the XLSX read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.records.service import Workspace
from app.core.stats import StatsError, export_workbook, statistics
from app.core.stats.workbook import REGISTER_TITLE, SHEET_TITLES, SUMMARY_TITLE
from tests.support.people_records import (
    EXPECTED_2024,
    EXPECTED_DECISIONS_2024,
    FORMULA_ID,
    ZHANG_ID,
    seed_known,
)

YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.fixture
def institution(tmp_path: Path, institution_db: str | None) -> Workspace:
    ws = Workspace.open(tmp_path / "inst", database_url=institution_db)
    seed_known(ws)
    yield ws  # type: ignore[misc]
    ws.close()


def test_records_in_force_of_a_year_by_every_breakdown(institution: Workspace) -> None:
    stats = statistics(institution, "incident", *YEAR)
    assert stats.total == EXPECTED_2024["total"]
    for name, expected in EXPECTED_2024.items():
        if name != "total":
            assert dict(stats.breakdowns[name]) == expected, name
    # Articles and months in their natural order, not as text sorts them (12 after 9).
    assert [key for key, _ in stats.breakdowns["article"]] == ["5", "6", "7", "9", "12"]


def test_open_dates_take_every_record_in_force_and_the_zone_decides_the_year(
    institution: Workspace,
) -> None:
    every = statistics(institution)
    assert every.total == EXPECTED_2024["total"] + 1
    # 00:30 on 1 January in Shanghai is 31 December in UTC: counted in January 2025.
    assert every.count("month", "2025-01") == 1
    assert statistics(institution, "incident", dt.date(2025, 1, 1)).total == 1
    march = statistics(institution, "incident", dt.date(2024, 3, 10), dt.date(2024, 3, 10))
    assert march.total == 1 and dict(march.breakdowns["clause"]) == {"6.2": 1}


def test_decided_cases_by_decision_date(institution: Workspace) -> None:
    stats = statistics(institution, "decision", *YEAR)
    assert stats.total == EXPECTED_DECISIONS_2024["total"]
    for name, expected in EXPECTED_DECISIONS_2024.items():
        if name != "total":
            assert dict(stats.breakdowns[name]) == expected, name
    every = statistics(institution, "decision")
    # The Art. 8 case without a session: its clause from its finding, its site none.
    assert every.total == 3 and every.count("site", "-") == 1 and every.count("clause", "6.1") == 1


def test_a_reversed_range_is_refused(institution: Workspace) -> None:
    with pytest.raises(StatsError, match="after"):
        statistics(institution, "incident", YEAR[1], YEAR[0])


def test_the_workbook_reads_back_as_chinese_excel_expects(
    institution: Workspace, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "统计.xlsx"
    export_workbook(institution, out, "incident", None, None)
    book = load_workbook(out)
    assert book.sheetnames == [SUMMARY_TITLE, *SHEET_TITLES.values(), REGISTER_TITLE]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.b, sheet.title
    by_article = book[SHEET_TITLES["article"]]
    rows = [(r[0].value, r[1].value) for r in by_article.iter_rows(min_row=2)]
    assert rows == [("5", 2), ("6", 2), ("7", 1), ("9", 1), ("12", 1)]  # counts are numbers
    parties = {r[0].value: r[1].value for r in book[SHEET_TITLES["party"]].iter_rows(min_row=2)}
    assert parties == {"参评人员": 5, "工作人员": 1, "评价机构": 1}
    assert book[SHEET_TITLES["site"]].column_dimensions["A"].width == 30

    register = book[REGISTER_TITLE]
    header = [c.value for c in register[1]]
    rows = [
        dict(zip(header, (c for c in row), strict=True)) for row in register.iter_rows(min_row=2)
    ]
    # One row per record in force: the amended record once, the void and the draft not at all.
    numbers = sorted(row["记录编号"].value for row in rows)
    assert numbers == ["A-001/2", "A-002/1", "A-004/1", "B-001/1", "B-002/1", "C-001/1", "C-002/1"]
    first = next(row for row in rows if row["记录编号"].value == "A-001/2")
    assert first["发生日期"].is_date and first["发生日期"].value.date() == dt.date(2024, 3, 10)
    assert first["发生日期"].number_format == "yyyy-mm-dd"
    assert first["证件号码/工号"].value == ZHANG_ID and first["证件号码/工号"].data_type == "s"
    assert first["证件号码/工号"].number_format == "@"
    assert first["证件类型"].value == "居民身份证"
    assert first["封存哈希（SHA-256）"].value.startswith("sealed-inc-A-001-v2")
    assert first["条"].value == "6" and first["条款项"].value == "6.2"
    formula = next(row for row in rows if row["证件号码/工号"].value == FORMULA_ID)
    assert formula["姓名"].value == "=1+1" and formula["姓名"].data_type == "s"
    assert formula["姓名"].quotePrefix
    local = next(row for row in rows if row["记录编号"].value == "A-002/1")
    assert local["条"].value == "5"  # GD-5.5: article 5, from its provincial rulebook
    staff = next(row for row in rows if row["记录编号"].value == "A-004/1")
    assert staff["证件号码/工号"].value == "S001" and staff["证件类型"].value == "工号"
    summary = {r[0].value: r[1] for r in book[SUMMARY_TITLE].iter_rows()}
    assert summary["合计"].value == 7


def test_an_existing_file_is_refused_and_left_as_it_was(
    institution: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "stats.xlsx"
    out.write_bytes(b"mine")
    with pytest.raises(StatsError, match="already exists"):
        export_workbook(institution, out, "incident", *YEAR)
    assert out.read_bytes() == b"mine"


def test_the_workbook_dates_of_a_range_are_date_cells(
    institution: Workspace, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "year.xlsx"
    stats = export_workbook(institution, out, "decision", *YEAR)
    assert stats.total == 2
    book = load_workbook(out)
    summary = {r[0].value: r[1] for r in book[SUMMARY_TITLE].iter_rows()}
    assert summary["起始日期"].is_date and summary["起始日期"].value.date() == YEAR[0]
    assert summary["合计"].value == 2
    # The register is of the records in force within the dates, whatever is counted.
    assert book[REGISTER_TITLE].max_row == 1 + EXPECTED_2024["total"]


def test_records_by_the_occupation_the_filing_names(institution: Workspace) -> None:
    """Attachment 1: the statistics break down by filed occupation; a session outside the
    filing (or before anything is filed) counts under "-"."""
    from app.core.institution.filing import FiledOccupation, Filing, save_filing

    before = statistics(institution, "incident", *YEAR)
    assert dict(before.breakdowns["filed_occupation"]) == {"-": EXPECTED_2024["total"]}
    filing = Filing(
        "S000044010620240137",
        "social_training_org",
        (FiledOccupation("电工", "", ("四级/中级工", "三级/高级工")),),
    )
    save_filing(institution, filing, actor="wang.admin")
    stats = statistics(institution, "incident", *YEAR)
    assert dict(stats.breakdowns["filed_occupation"]) == {"电工": 5, "-": 1}  # 育婴员 not filed
    decided = statistics(institution, "decision", *YEAR)
    assert sum(n for _, n in decided.breakdowns["filed_occupation"]) == decided.total
