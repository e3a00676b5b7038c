"""Input is bounded before it is read: a roster spreadsheet that would expand to far more than
a roster (a zip bomb) is refused from its zip directory before openpyxl opens it, and one with
more cells than a roster has is refused while it is read; ``rules classify`` reads at most a
bounded number of bytes (``/dev/zero`` included); JSON nested very deep, a number of thousands
of digits, a key given twice and a date at the calendar's end are each one line, exit 2."""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.core.rosters import table
from app.core.rosters.problems import RosterError
from tests.support.cli import Run, one_line_error

ROOT = Path(__file__).resolve().parents[2]
FACTS = '{"party":"candidate","clause":"7.4","date":"2026-06-12","severity":"minor"'


def _workbook(path: Path, rows: int = 3) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "证件号码", "准考证号", "考场", "座位号"])
    for n in range(rows):
        sheet.append([f"张{n}", "X", f"T{n:03d}", "第1考场", n + 1])
    book.save(path)
    return path


def _bomb(path: Path, megabytes: int) -> Path:
    """A real workbook whose first sheet carries ``megabytes`` of padding that compress to
    almost nothing."""
    source = _workbook(path.with_name("plain.xlsx"))
    with zipfile.ZipFile(source) as plain, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in plain.infolist():
            data = plain.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                with out.open(info.filename, "w") as member:
                    head, _, tail = data.partition(b"</sheetData>")
                    member.write(head)
                    chunk = b" " * (1 << 20)
                    for _ in range(megabytes):
                        member.write(chunk)
                    member.write(b"</sheetData>" + tail)
            else:
                out.writestr(info, data)
    return path


def test_an_xlsx_zip_bomb_is_refused_before_openpyxl_expands_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = _bomb(tmp_path / "名单.xlsx", 80)
    assert bomb.stat().st_size < 1_000_000

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to open the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(RosterError) as caught:
        table.read_table(bomb)
    [problem] = caught.value.problems
    assert "too large" in str(problem)


def test_a_sheet_with_more_cells_than_a_roster_is_refused_while_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table, "MAX_CELLS", 100)
    with pytest.raises(RosterError) as caught:
        table.read_table(_workbook(tmp_path / "名单.xlsx", rows=30))
    [problem] = caught.value.problems
    assert "too many cells" in str(problem)
    assert len(table.read_table(_workbook(tmp_path / "ok.xlsx", rows=10)).rows) == 10


def test_a_csv_larger_than_a_roster_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "名单.csv"
    big.write_text("姓名\n" + "张三\n" * 1000, encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        table.read_table(big)
    assert "too large" in str(caught.value.problems[0])


class _EndlessStdin:
    class buffer:  # stands for sys.stdin.buffer
        @staticmethod
        def read(size: int = -1) -> bytes:
            if size is None or size < 0:
                raise AssertionError("stdin read without a bound")
            return b"0" * size


def test_classify_reads_a_bounded_amount_of_stdin(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _EndlessStdin())
    status, out, err = cli("rules", "classify", "-")
    assert status == 2 and out == ""
    assert "too large" in one_line_error(err)


def test_classify_of_dev_zero_is_one_line_not_all_memory() -> None:
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    result = subprocess.run(
        [sys.executable, "-m", "app", "rules", "classify", "/dev/zero"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "too large" in one_line_error(result.stderr)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested"),
        (FACTS + ',"subject":' + "9" * 5000 + "}", "digits"),
        (FACTS + ',"clause":"5.1"}', "'clause' twice"),
        (FACTS + ',"decision_date":"9999-12-31"}', "decision_date"),
    ],
)
def test_hostile_json_is_one_line_exit_2(cli: Run, tmp_path: Path, text: str, named: str) -> None:
    source = tmp_path / "facts.json"
    source.write_text(text, encoding="utf-8")
    status, out, err = cli("rules", "classify", str(source))
    assert status == 2, err
    assert out == ""
    assert named in one_line_error(err)


def test_classify_still_reads_a_plain_object(cli: Run, tmp_path: Path) -> None:
    source = tmp_path / "facts.json"
    source.write_bytes(io.BytesIO((FACTS + "}").encode()).getvalue())
    status, out, err = cli("rules", "classify", str(source))
    assert status == 0, err
    assert '"ban_years": 2' in out
