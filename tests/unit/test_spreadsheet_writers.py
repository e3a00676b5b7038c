"""No name reaches a spreadsheet: a roster name such as ``=HYPERLINK(…)`` or ``@SUM(…)`` cannot run
as a formula in Excel because the app writes no spreadsheet holding names. The one spreadsheet it
writes is the blank roster template, whose every cell is the app's own text.

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
WRITERS_ALLOWED = {"app/core/rosters/template.py"}
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


def test_only_the_roster_template_writes_a_spreadsheet() -> None:
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
