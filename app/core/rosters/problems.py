"""What can be wrong with a roster file, said in Chinese and English, row by row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.errors import UserError


@dataclass(frozen=True)
class Reason:
    """One failure explained twice: Chinese for the site, English for the log and support."""

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh} ({self.en})"


@dataclass(frozen=True)
class RosterProblem:
    """One problem in a roster file.

    ``row`` is the row number as Excel shows it (the header is row 1); ``column`` is the header as
    written in the file. Both are ``None`` for problems with the whole file. ``field`` is the
    column's English key (``id_number`` …), used in the English half of the message.
    """

    row: int | None
    column: str | None
    reason_zh: str
    reason_en: str
    field: str | None = None

    def __str__(self) -> str:
        zh_where: list[str] = []
        en_where: list[str] = []
        if self.row is not None:
            zh_where.append(f"第{self.row}行")
            en_where.append(f"row {self.row}")
        if self.column is not None:
            zh_where.append(self.column)
            en_where.append(self.field or self.column)
        if not zh_where:
            return f"{self.reason_zh} ({self.reason_en})"
        return f"{' '.join(zh_where)}: {self.reason_zh} ({', '.join(en_where)}: {self.reason_en})"


class RosterError(UserError):
    """A roster file was refused; ``problems`` lists every problem found, none was imported."""

    def __init__(self, path: str, problems: Sequence[RosterProblem]) -> None:
        self.path = path
        self.problems: list[RosterProblem] = list(problems)
        count = len(self.problems)
        lines = [
            f"名单文件 {path} 有 {count} 处问题，未导入任何记录，请修改后重新导入 "
            f"(roster file {path} has {count} problem(s); nothing was imported, "
            "fix the file and import again):"
        ]
        lines.extend(f"  {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))
