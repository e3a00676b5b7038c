"""No name runs as a formula: a roster name such as ``=HYPERLINK(…)`` or ``@SUM(…)`` reaches a
spreadsheet only through a writer that keeps it text. The writers are listed here: the blank
roster template (every cell the app's own text); the casework lists (``reports.decisions.
sheets``: XLSX cells as strings with Excel's quote prefix, read back in
``tests/unit/test_case_documents.py``); the statistics workbook (the same cells, read back in
``tests/unit/test_stats.py``); and the filing's CSV (a leading ``'``, read back below).

A new CSV or XLSX writer fails the first test: it must escape what it writes (a leading ``'``
before ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; XLSX cells as text) and be added
here with a test reading its file back.
"""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import openpyxl
import pytest

from app.core.rosters import write_template
from app.core.rosters.columns import RosterKind

ROOT = Path(__file__).resolve().parents[2]
WRITERS_ALLOWED = {
    "app/core/rosters/template.py",
    "app/core/reports/decisions/sheets.py",
    "app/core/stats/workbook.py",
    "app/core/institution/filing_csv.py",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _writes_spreadsheets(source: str) -> bool:
    """Whether a module calls ``csv.writer``/``csv.DictWriter`` or builds an openpyxl
    ``Workbook`` (reading, as the roster import does, is not writing)."""
    for node in ast.walk(ast.parse(source)):
        csv_writer = (
            isinstance(node, ast.Attribute)
            and node.attr in {"writer", "DictWriter"}
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        )
        workbook = (
            isinstance(node, ast.ImportFrom)
            and node.module == "openpyxl"
            and any(alias.name == "Workbook" for alias in node.names)
        )
        if csv_writer or workbook:
            return True
    return False


def test_only_the_listed_writers_write_a_spreadsheet() -> None:
    writers = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "app").rglob("*.py")
        if "generated" not in path.parts and _writes_spreadsheets(path.read_text(encoding="utf-8"))
    }
    assert writers == WRITERS_ALLOWED
    # The scan itself sees a writer, and tells reading from writing.
    assert _writes_spreadsheets("import csv\ncsv.writer(stream).writerow(row)")
    assert _writes_spreadsheets("from openpyxl import Workbook")
    assert not _writes_spreadsheets("import openpyxl\nopenpyxl.load_workbook(path)")


@pytest.mark.parametrize("kind", ["candidates", "staff"])
def test_the_template_holds_no_cell_that_excel_would_evaluate(
    tmp_path: Path, kind: RosterKind
) -> None:
    cells: list[str] = []
    with write_template(kind, tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as f:
        cells += [cell for row in csv.reader(f) for cell in row]
    workbook = openpyxl.load_workbook(write_template(kind, tmp_path / "t.xlsx"))
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells += [str(v) for v in row if v is not None]
    finally:
        workbook.close()
    assert cells and not [c for c in cells if c.startswith(FORMULA_START)]


def test_the_filing_csv_keeps_formula_like_text_as_text() -> None:
    from app.core.institution.filing import Branch, FiledOccupation, Filing
    from app.core.institution.filing_csv import filing_csv, parse_filing_csv

    filing = Filing(
        "S000044010620240137",
        "national_employer",
        (FiledOccupation('=HYPERLINK("x")', "@SUM(A1)", ("四级/中级工",)),),
        (Branch("S000044010620240138", "+分公司"),),
    )
    text = filing_csv(filing)
    cells = [cell for row in csv.reader(text.splitlines()) for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    back = parse_filing_csv(text)
    assert back.occupations[0].occupation == '=HYPERLINK("x")'
    assert back.occupations[0].work_type == "@SUM(A1)"
    assert back.branches[0].name == "+分公司"
