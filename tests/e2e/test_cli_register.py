"""``proctor-desk register list`` and ``register screen`` at the institution, as a reviewer:
the JSON exactly as documented, a roster screened as XLSX and as CSV (barred rows only, a name
that differs from the register's flagged, unreadable rows reported as roster import reports
them and the rest screened, exit 0), an unreadable file one line and exit 2, and a session's
candidates screened with those added on site named."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.support.accounts import act_as, first_admin
from tests.support.cli import Run, one_line_error
from tests.support.register import decide
from tests.support.sync import ADMIN_PASS, make_institution

READER, READER_PASSWORD = "rita", "reader-password-1"
WANG = ("王小明", "440106199001011235")
LI = ("李四", "110101198001010010")
CLEAR = ("赵六", "44010619920304123X")
HEADER = ["姓名", "证件类型", "证件号码", "准考证号", "考场", "座位号"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "institution"


@pytest.fixture
def cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, str]:
    """Two bans decided on 2026-03-10 (Wang: 7.4 minor, to 2028-03-10; Li: 7.5 serious, to
    2031-03-10); a reviewer acts from now on. The cases' ids by name."""
    inst = make_institution(tmp_path)
    with monkeypatch.context() as clock:
        refs = {
            "wang": decide(inst.ws, clock, WANG, "7.4", severity="minor"),
            "li": decide(inst.ws, clock, LI, "7.5", severity="serious"),
        }
        first = inst.ws.candidates(inst.session_id)[0]  # barred over the sitting (2024-06-15)
        refs["rostered"] = decide(
            inst.ws, clock, (first.name, first.id_number), "7.4",
            day="2024-03-10", sat_on="2023-11-01",
        )  # fmt: skip
        refs["session"], refs["candidate"] = inst.session_id, first.id
    inst.ws.close()
    first_admin(inst.ws.data_dir, monkeypatch, passphrase=ADMIN_PASS)
    monkeypatch.setenv("PROCTOR_DESK_NEW_PASSWORD", READER_PASSWORD)
    from app.cli import main

    folder = str(inst.ws.data_dir)
    assert main.run(["--data-dir", folder, "user", "add", READER, "--role", "reviewer"]) == 0
    act_as(monkeypatch, READER, READER_PASSWORD)
    capsys.readouterr()
    return refs


def _rows() -> list[list[str]]:
    return [
        HEADER,
        # Full-width digits and spaces, as people type them.
        ["王小明", "居民身份证", "４４０１０６ 1990 0101 1235", "T001", "第1考场", "1"],
        ["赵六", "", CLEAR[1].lower(), "T002", "第1考场", "2"],  # not barred
        ["", "身份证", "110101199001019999", "T003", "第1考场", "3"],  # no name, bad check digit
        ["李思", "身份证", LI[1], "T004", "第1考场", "4"],  # the name differs
    ]


def _xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in _rows():
        sheet.append(row)
    book.save(path)
    return path


def _csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(_rows())
    return path


def test_list_prints_the_bans_in_force_as_documented(cli: Run, cases: dict[str, str]) -> None:
    status, out, err = cli("register", "list", "--active-on", "2028-03-10", "--json")
    assert status == 0, err
    assert json.loads(out) == [
        {
            "name": "李四",
            "id_type": "resident_id",
            "id_number": "110101198001010010",
            "clause": "7.5",
            "first_day": "2026-03-11",
            "last_day": "2031-03-10",
            "case_id": cases["li"],
        },
        {
            "name": "王小明",
            "id_type": "resident_id",
            "id_number": "440106199001011235",
            "clause": "7.4",
            "first_day": "2026-03-11",
            "last_day": "2028-03-10",
            "case_id": cases["wang"],
        },
    ]
    status, out, _ = cli("register", "list", "--active-on", "2028-03-11", "--json")
    assert [e["name"] for e in json.loads(out)] == ["李四"]
    # The day of the two decisions: only the ban decided in 2024, on its last day.
    status, out, _ = cli("register", "list", "--active-on", "2026-03-10", "--json")
    assert [e["case_id"] for e in json.loads(out)] == [cases["rostered"]]
    status, out, _ = cli("register", "list")  # today (2026 or later): masked in the table
    assert status == 0 and "440106199001011235" not in out


@pytest.mark.parametrize("make", [_xlsx, _csv], ids=["xlsx", "csv"])
def test_screen_prints_the_barred_rows_only(
    cli: Run, cases: dict[str, str], tmp_path: Path, make: object
) -> None:
    assert callable(make)
    roster = make(tmp_path / f"roster.{make.__name__[1:]}")
    status, out, err = cli("register", "screen", str(roster), "--on", "2027-01-01", "--json")
    assert status == 0, err
    assert json.loads(out) == [
        {
            "row": 2,
            "name": "王小明",
            "id_type": "resident_id",
            "id_number": "440106199001011235",
            "clause": "7.4",
            "last_day": "2028-03-10",
            "case_id": cases["wang"],
            "name_mismatch": False,
        },
        {
            "row": 5,
            "name": "李思",
            "id_type": "resident_id",
            "id_number": "110101198001010010",
            "clause": "7.5",
            "last_day": "2031-03-10",
            "case_id": cases["li"],
            "name_mismatch": True,
        },
    ]
    # Row 4 as roster import reports it: row, column, Chinese and English.
    assert "第4行 姓名: 不能为空，请填写" in err
    assert "第4行 证件号码: 校验位错误" in err and "row 4, id_number: wrong check digit" in err
    # On a day no ban is in force: nothing barred, still exit 0.
    status, out, _ = cli("register", "screen", str(roster), "--on", "2031-03-11", "--json")
    assert status == 0 and json.loads(out) == []


def test_an_unreadable_roster_is_one_line_and_exit_2(
    cli: Run, cases: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "roster.xlsx"
    broken.write_bytes(b"this is no spreadsheet")
    status, out, err = cli("register", "screen", str(broken), "--json")
    assert status == 2 and out == ""
    one_line_error(err)
    no_id = tmp_path / "no-id.csv"
    no_id.write_text("姓名,考场\n王小明,第1考场\n", encoding="utf-8")
    status, _, err = cli("register", "screen", str(no_id))
    assert status == 2 and "证件号码" in one_line_error(err)
    status, _, err = cli("register", "screen", str(tmp_path / "missing.csv"))
    assert status == 2
    one_line_error(err)


def test_screen_a_session_names_its_barred_candidates(cli: Run, cases: dict[str, str]) -> None:
    status, out, err = cli("register", "screen", "--session", cases["session"], "--json")
    assert status == 0, err
    (found,) = json.loads(out)
    assert set(found) == {
        "candidate_id", "name", "id_type", "id_number", "clause", "last_day", "case_id",
        "name_mismatch", "added_on_site",
    }  # fmt: skip
    assert (found["candidate_id"], found["case_id"], found["last_day"]) == (
        cases["candidate"],
        cases["rostered"],
        "2026-03-10",
    )
    assert found["added_on_site"] is False  # the kit's roster held them
    status, _, err = cli("register", "screen")
    assert status == 2 and "give a roster file, or --session ID" in one_line_error(err)
