"""Matching a file's header row to the roster's columns, and reading cells by column."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.rosters.columns import Column, header_key, lookup
from app.core.rosters.problems import Reason, RosterProblem
from app.core.rosters.table import RawTable


@dataclass(frozen=True)
class Binding:
    """Where each known column is in the file and what the file calls it."""

    index: dict[str, int]  # column key -> position in the row
    written: dict[str, str]  # column key -> header as written in the file


def bind(table: RawTable, columns: tuple[Column, ...]) -> tuple[Binding, list[RosterProblem]]:
    """Find the columns in the header row; problems for missing and repeated columns.

    Headers the roster does not know (性别, 备注 …) are ignored, so sites can keep their own
    columns in the file.
    """
    known = lookup(columns)
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    problems: list[RosterProblem] = []
    for position, header in enumerate(table.headers):
        column = known.get(header_key(header))
        if column is None:
            continue
        if column.key in index:
            problems.append(
                RosterProblem(
                    table.header_row,
                    header.strip(),
                    f"与“{written[column.key]}”是同一列，表头重复，请删除其中一列",
                    f"the same column as '{written[column.key]}' appears twice; delete one",
                    column.key,
                )
            )
            continue
        index[column.key] = position
        written[column.key] = header.strip()
    for column in columns:
        if column.required and column.key not in index:
            problems.append(
                RosterProblem(
                    table.header_row,
                    column.header,
                    f"缺少必需的列“{column.header}”，请在表头（第{table.header_row}行）添加该列",
                    f"required column '{column.header}' ({column.key}) is missing; add it to "
                    f"the header (row {table.header_row})",
                    column.key,
                )
            )
    return Binding(index, written), problems


class RowView:
    """One data row read through a binding; collects the row's problems as they are found."""

    def __init__(
        self, table: RawTable, binding: Binding, number: int, cells: list[str],
        problems: list[RosterProblem],
    ) -> None:  # fmt: skip
        self._table = table
        self._binding = binding
        self.number = number
        self._cells = cells
        self._problems = problems

    def raw(self, key: str) -> str:
        """The cell's text, or "" where the column is absent or the row is short."""
        position = self._binding.index.get(key)
        if position is None or position >= len(self._cells):
            return ""
        return self._cells[position]

    def rounded(self, key: str) -> bool:
        """Excel saved this cell as a number with more digits than it keeps."""
        position = self._binding.index.get(key)
        return position is not None and (self.number, position) in self._table.rounded

    def report(self, key: str, reason: Reason) -> None:
        self._problems.append(
            RosterProblem(self.number, self._binding.written[key], reason.zh, reason.en, key)
        )
