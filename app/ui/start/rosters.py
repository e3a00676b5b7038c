"""Reading roster files for the start screen: every problem of every file, or nothing.

No Qt here beyond what the caller passes: these functions run in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import UserError

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.core.records.sessions import SessionSpec
    from app.core.rosters.rows import CandidateRow, StaffRow

Report = Callable[[int, str], None]


@dataclass(frozen=True)
class FileProblem:
    """One row of the problems table: which file, row and column, and why (both languages)."""

    path: str
    row: int | None
    column: str | None
    reason_zh: str
    reason_en: str


class RosterFilesRefused(UserError):
    """One or more roster files were refused; ``problems`` lists them all. Nothing imported."""

    def __init__(self, problems: Sequence[FileProblem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the roster files; nothing imported")


class MissingSiteHead(UserError):
    """Nobody to confirm records and unlock for staff without a PIN."""

    def __init__(self) -> None:
        super().__init__("site head: give the site head's name and number, or list one")


def read_rosters(
    candidates: Path | None, staff: Path | None, rooms: dict[str, int]
) -> tuple[list[CandidateRow], list[StaffRow]]:
    """Parse both files (either may be None); raise ``RosterFilesRefused`` listing every problem
    in both, so the site fixes everything in one pass."""
    from app.core.rosters.parse import parse_candidates, parse_staff
    from app.core.rosters.problems import RosterError

    problems: list[FileProblem] = []
    candidate_rows: list[CandidateRow] = []
    staff_rows: list[StaffRow] = []
    for path, kind in ((candidates, "candidates"), (staff, "staff")):
        if path is None:
            continue
        try:
            if kind == "candidates":
                candidate_rows = parse_candidates(path, rooms)
                count = len(candidate_rows)
            else:
                staff_rows = parse_staff(path)
                count = len(staff_rows)
        except RosterError as exc:
            problems.extend(
                FileProblem(path.name, p.row, p.column, p.reason_zh, p.reason_en)
                for p in exc.problems
            )
            continue
        except UserError as exc:
            problems.append(FileProblem(path.name, None, None, str(exc), str(exc)))
            continue
        if count == 0:
            problems.append(
                FileProblem(path.name, None, None, "只有表头，没有任何人员", "a header but no rows")
            )
    if problems:
        raise RosterFilesRefused(problems)
    return candidate_rows, staff_rows


def import_rows(
    workspace: Workspace,
    session_id: str,
    candidates: Sequence[CandidateRow],
    staff: Sequence[StaffRow],
    labels: tuple[str, str] = ("", ""),
) -> tuple[int, int]:
    """Import staff then candidates; a refusal by the records (a ticket or seat already in the
    session) becomes ``RosterFilesRefused`` too. ``labels`` names the files in the table."""
    from app.core.records.people import RosterImportError

    counts = [0, 0]
    for index, (rows, label) in enumerate(((staff, labels[1]), (candidates, labels[0]))):
        if not rows:
            continue
        try:
            if index == 0:
                counts[1] = workspace.import_staff(session_id, rows)  # type: ignore[arg-type]
            else:
                counts[0] = workspace.import_candidates(session_id, rows)  # type: ignore[arg-type]
        except RosterImportError as exc:
            raise RosterFilesRefused(
                [FileProblem(label, None, None, p, p) for p in exc.problems]
            ) from None
    return counts[0], counts[1]


def create_with_rosters(
    workspace: Workspace,
    spec: SessionSpec,
    head: StaffRow | None,
    candidates: Path | None,
    staff: Path | None,
    report: Report,
) -> str:
    """Check the rosters against the new rooms, then create the session and import them."""
    report(10, "rosters")
    rooms = {room.name: room.seats for room in spec.rooms}
    candidate_rows, staff_rows = read_rosters(candidates, staff, rooms)
    everyone = [head, *staff_rows] if head is not None else staff_rows
    if not any(s.role == "site_head" for s in everyone):
        raise MissingSiteHead()
    report(40, "session")
    session_id = workspace.create_session(spec)
    report(60, "import")
    import_rows(
        workspace,
        session_id,
        candidate_rows,
        everyone,
        (candidates.name if candidates else "", staff.name if staff else ""),
    )
    report(100, "done")
    return session_id
