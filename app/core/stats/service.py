"""Statistics on a workspace: counted from one snapshot, with each clause's article read from
the rulebook its record was classified under (a provincial clause such as ``GD-5.5`` belongs
to the article its rulebook names)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import UserError
from app.core.stats.counts import ArticleOf, Stats, StatsError, count_decisions, count_records
from app.core.stats.register import register_rows
from app.core.stats.workbook import refuse_existing, write_workbook

if TYPE_CHECKING:
    from app.core.records.service import Workspace

BY = ("incident", "decision")


def article_lookup(ws: Workspace) -> ArticleOf:
    """(rulebook id, clause) → its article, each pair looked up once; a rulebook this computer
    does not have falls back to the clause's leading number (``6.1`` → 6)."""
    known: dict[tuple[str | None, str], int | None] = {}

    def article_of(rulebook_id: str | None, clause: str) -> int | None:
        key = (rulebook_id, clause)
        if key not in known:
            try:
                if rulebook_id is None:
                    raise LookupError(clause)
                known[key] = ws.rulebook(rulebook_id).clause(clause).article
            except (UserError, LookupError):
                leading = re.match(r"\d+", clause)
                known[key] = int(leading.group()) if leading else None
        return known[key]

    return article_of


def statistics(
    ws: Workspace,
    by: str = "incident",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Stats:
    """Counts of the records in force by incident date (``by="incident"``), or of the decided
    cases by decision date (``by="decision"``)."""
    if by not in BY:
        raise StatsError(f"stats: --by is one of {', '.join(BY)}")
    article_of = article_lookup(ws)
    with ws.reading() as db:
        if by == "decision":
            return count_decisions(db, article_of, date_from, date_to)
        return count_records(db, article_of, date_from, date_to)


def export_workbook(
    ws: Workspace,
    path: Path,
    by: str = "incident",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Stats:
    """The statistics and the register of the records in force within the dates, written to
    the new XLSX ``path`` (an existing file is refused before anything is counted)."""
    refuse_existing(path)
    if by not in BY:
        raise StatsError(f"stats: --by is one of {', '.join(BY)}")
    article_of = article_lookup(ws)
    with ws.reading() as db:
        if by == "decision":
            stats = count_decisions(db, article_of, date_from, date_to)
        else:
            stats = count_records(db, article_of, date_from, date_to)
        register = register_rows(db, article_of, date_from, date_to)
    write_workbook(path, stats, register)
    return stats
