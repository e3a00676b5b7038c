"""What a site kit carries of the register, and what a session's candidates are screened for.

At the institution the kit's roster is screened for the sitting's days before the kit is
written; the kit then carries, inside its encrypted content, only a flag (clause, last day) for
each of its own rostered candidates who is barred, named by the candidate's id in that roster:
no other entry of the register, and no ID number or hash of one (an ID number is too easy to
guess for a hash to hide it). The laptop keeps the flags with the session, and knows which
candidates the kit's roster held: one added on site was not screened, and the app says so; the
institution screens the session's candidates again when their records come in
(``screen_session``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from app.core.errors import UserError
from app.core.records.register_tables import KitCandidate, KitScreen
from app.core.records.sessions import local_date
from app.core.records.tables import Candidate, ExamSession, Subject
from app.core.register.refresh import refresh
from app.core.register.screening import Match, people_of, screen

KIT_KEY = "register"
_FLAG_KEYS = {"candidate_id", "clause", "last_day"}
_KEYS = {"first_day", "last_day", "flags"}


class KitRegisterError(UserError):
    """A kit's register part that is malformed, or names a candidate its roster does not."""


@dataclass(frozen=True)
class Flag:
    clause: str
    last_day: str


@dataclass(frozen=True)
class SiteFlags:
    """A session's screening as the laptop holds it: ``screened`` when the kit carried one;
    ``checked`` the candidates the kit's roster held; ``flags`` the barred among them."""

    screened: bool = False
    first_day: str | None = None
    last_day: str | None = None
    checked: frozenset[str] = frozenset()
    flags: Mapping[str, Flag] = field(default_factory=dict)

    def flag(self, candidate_id: str) -> Flag | None:
        return self.flags.get(candidate_id)

    def added_on_site(self, candidate_id: str) -> bool:
        """Not on the kit's screened roster: it could not be checked offline."""
        return self.screened and candidate_id not in self.checked


def sitting_days(db: Session, session_id: str) -> tuple[dt.date, dt.date]:
    """The first and last local day of the session's subjects (today if it has none)."""
    session = db.get(ExamSession, session_id)
    zone = session.timezone if session is not None else "Asia/Shanghai"
    subjects = db.exec(select(Subject).where(col(Subject.session_id) == session_id)).all()
    if not subjects:
        today = dt.date.fromisoformat(local_date(dt.datetime.now(dt.UTC), zone))
        return today, today
    first = min(dt.date.fromisoformat(local_date(s.starts_at, zone)) for s in subjects)
    last = max(dt.date.fromisoformat(local_date(s.ends_at, zone)) for s in subjects)
    return first, max(first, last)


def _candidates(db: Session, session_id: str) -> list[tuple[str, str, str, str]]:
    return [
        (c.id, c.name, c.id_type, c.id_number)
        for c in db.exec(
            select(Candidate)
            .where(col(Candidate.session_id) == session_id)
            .order_by(col(Candidate.room), col(Candidate.seat))
        ).all()
    ]


def _screen_candidates(db: Session, session_id: str) -> tuple[list[Match], dt.date, dt.date]:
    refresh(db)
    first, last = sitting_days(db, session_id)
    people = people_of(_candidates(db, session_id))
    return screen(db, people, first, last), first, last


def kit_register(db: Session, session_id: str) -> dict[str, Any]:
    """Screen the session's roster for its sitting and keep what was screened; the part of the
    kit that carries the flags (in ``db``'s transaction, which the caller commits)."""
    matches, first, last = _screen_candidates(db, session_id)
    barred = {m.person.ref: m for m in matches}
    _keep(
        db,
        session_id,
        first.isoformat(),
        last.isoformat(),
        {
            ref: (None if ref not in barred else _flag(barred[ref]))
            for ref, *_ in _candidates(db, session_id)
        },
    )
    return {
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "flags": [
            {"candidate_id": ref, "clause": m.entry.clause, "last_day": m.entry.last_day}
            for ref, m in sorted(barred.items())
        ],
    }


def _flag(match: Match) -> Flag:
    return Flag(match.entry.clause, str(match.entry.last_day))


def _keep(
    db: Session, session_id: str, first: str, last: str, screened: Mapping[str, Flag | None]
) -> None:
    held = site_flags(db, session_id)
    flags = {ref: flag for ref, flag in screened.items() if flag is not None}
    if (
        held.screened
        and (held.first_day, held.last_day) == (first, last)
        and held.checked == frozenset(screened)
        and dict(held.flags) == flags
    ):
        return  # the same screening again (the same kit imported twice): nothing changes
    # Core statements, not ORM objects: nothing of the screening stays in the session's
    # identity map to clash with the rows written anew.
    connection = db.connection()
    connection.execute(delete(KitCandidate).where(col(KitCandidate.session_id) == session_id))
    connection.execute(delete(KitScreen).where(col(KitScreen.session_id) == session_id))
    connection.execute(
        insert(KitScreen).values(
            session_id=session_id,
            first_day=first,
            last_day=last,
            screened_at=dt.datetime.now(dt.UTC),
        )
    )
    rows = [
        {
            "session_id": session_id,
            "candidate_id": ref,
            "clause": None if flag is None else flag.clause,
            "last_day": None if flag is None else flag.last_day,
        }
        for ref, flag in screened.items()
    ]
    if rows:
        connection.execute(insert(KitCandidate), rows)


def _day(value: object, what: str) -> str:
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise KitRegisterError(f"kit register: {what} is not a date") from None


def parse_kit_register(value: object, candidate_ids: Collection[str]) -> dict[str, Any]:
    """The kit's register part, checked: the flags name only candidates of its own roster."""
    if not isinstance(value, dict) or set(value) != _KEYS or not isinstance(value["flags"], list):
        raise KitRegisterError(f"kit register: expected exactly {', '.join(sorted(_KEYS))}")
    flags: dict[str, Flag] = {}
    for item in value["flags"]:
        if not isinstance(item, dict) or set(item) != _FLAG_KEYS:
            raise KitRegisterError("kit register: a flag holds other fields than it should")
        ref, clause = item["candidate_id"], item["clause"]
        if not isinstance(ref, str) or ref not in candidate_ids or ref in flags:
            raise KitRegisterError("kit register: a flag names no candidate of the kit's roster")
        if not isinstance(clause, str) or not clause:
            raise KitRegisterError("kit register: a flag names no clause")
        flags[ref] = Flag(clause, _day(item["last_day"], "a flag's last day"))
    return {
        "first_day": _day(value["first_day"], "the first day"),
        "last_day": _day(value["last_day"], "the last day"),
        "flags": flags,
    }


def store_kit_register(
    db: Session, session_id: str, parsed: Mapping[str, Any], candidate_ids: Collection[str]
) -> None:
    """Keep a kit's screening with its session on the laptop (the kit's candidates screened,
    the barred flagged); a later kit of the session replaces it."""
    flags: Mapping[str, Flag] = parsed["flags"]
    _keep(
        db,
        session_id,
        parsed["first_day"],
        parsed["last_day"],
        {ref: flags.get(ref) for ref in candidate_ids},
    )


def site_flags(db: Session, session_id: str) -> SiteFlags:
    """The session's screening as this workspace keeps it (nothing when no kit carried one)."""
    days = db.exec(
        select(KitScreen.first_day, KitScreen.last_day).where(
            col(KitScreen.session_id) == session_id
        )
    ).first()
    if days is None:
        return SiteFlags()
    rows = db.exec(
        select(KitCandidate.candidate_id, KitCandidate.clause, KitCandidate.last_day).where(
            col(KitCandidate.session_id) == session_id
        )
    ).all()
    return SiteFlags(
        True,
        days[0],
        days[1],
        frozenset(ref for ref, _clause, _last in rows),
        {
            ref: Flag(clause, last)
            for ref, clause, last in rows
            if clause is not None and last is not None
        },
    )


def screen_session(db: Session, session_id: str) -> list[dict[str, Any]]:
    """The session's barred candidates as the institution holds them now (after an import:
    those added on site too), each with ``added_on_site`` when the kit's roster did not hold
    them, so they were not screened before the sitting. In ``db``'s transaction."""
    matches, _first, _last = _screen_candidates(db, session_id)
    kit = site_flags(db, session_id)
    return [
        {
            "candidate_id": m.person.ref,
            "name": m.person.name,
            "id_type": m.person.id_type,
            "id_number": m.person.id_number,
            "clause": m.entry.clause,
            "last_day": m.entry.last_day,
            "case_id": m.entry.case_id,
            "name_mismatch": m.name_mismatch,
            "added_on_site": kit.added_on_site(m.person.ref),
        }
        for m in matches
    ]


def screen_added_on_site(db: Session, session_id: str) -> list[dict[str, Any]]:
    """``screen_session``'s barred candidates that were added on site. Without a kit's
    screening, or with every candidate on the kit's roster, there is none, and nothing is
    screened (an import asks this for each of its bundles)."""
    kit = site_flags(db, session_id)
    if not kit.screened:
        return []
    ids = db.exec(select(Candidate.id).where(col(Candidate.session_id) == session_id)).all()
    if all(ref in kit.checked for ref in ids):
        return []
    return [b for b in screen_session(db, session_id) if b["added_on_site"]]
