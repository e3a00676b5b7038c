"""The register as the command line and the windows ask for it: each call one transaction that
first brings the register up to date (``refresh``), an account that may look (a reviewer) where
the workspace has accounts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.accounts import REVIEWER, Account, require_role
from app.core.records.service import Workspace
from app.core.records.sessions import local_date
from app.core.register import kit_flags
from app.core.register.refresh import refresh
from app.core.register.screening import active_entries, read_people, screen
from app.core.rosters.problems import RosterProblem

LOCAL_ZONE = "Asia/Shanghai"  # the day the institution reads a date in


def today() -> dt.date:
    """The institution's day now: what ``on`` defaults to."""
    return dt.date.fromisoformat(local_date(dt.datetime.now(dt.UTC), LOCAL_ZONE))


def _may_look(account: Account | None) -> None:
    if account is not None:
        require_role(account, REVIEWER)


def list_active(workspace: Workspace, account: Account | None, on: dt.date) -> list[dict[str, Any]]:
    """The register's entries in force on ``on`` (first and last day included)."""
    _may_look(account)
    with workspace.transaction() as db:
        refresh(db)
        entries = active_entries(db, on)
        return [
            {
                "name": e.person_name,
                "id_type": e.id_type,
                "id_number": e.id_number,
                "clause": e.clause,
                "first_day": e.first_day,
                "last_day": e.last_day,
                "case_id": e.case_id,
            }
            for e in entries
        ]


@dataclass(frozen=True)
class RosterScreen:
    barred: list[dict[str, Any]]
    problems: list[RosterProblem]
    screened: int  # rows read and screened


def screen_roster(
    workspace: Workspace, account: Account | None, path: Path, on: dt.date
) -> RosterScreen:
    """The roster's rows barred on ``on``; ``RosterError`` when the file cannot be read."""
    _may_look(account)
    people, problems = read_people(path)
    with workspace.transaction() as db:
        refresh(db)
        matches = screen(db, people, on)
        barred = [
            {
                "row": m.person.row,
                "name": m.person.name,
                "id_type": m.person.id_type,
                "id_number": m.person.id_number,
                "clause": m.entry.clause,
                "last_day": m.entry.last_day,
                "case_id": m.entry.case_id,
                "name_mismatch": m.name_mismatch,
            }
            for m in matches
        ]
    return RosterScreen(barred, problems, len(people))


def screen_session(
    workspace: Workspace, account: Account | None, session_ref: str
) -> list[dict[str, Any]]:
    """The session's barred candidates (``kit_flags.screen_session``)."""
    _may_look(account)
    session_id = workspace.resolve_session_id(session_ref)
    with workspace.transaction() as db:
        return kit_flags.screen_session(db, session_id)


def site_flags(workspace: Workspace, session_id: str) -> kit_flags.SiteFlags:
    """The session's screening as this workspace keeps it (the laptop: from its kit)."""
    with workspace.reading() as db:
        return kit_flags.site_flags(db, session_id)
