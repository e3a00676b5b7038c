"""Exam sessions (考试批次): the institution, site, rooms, subjects, rulebook and time zone."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core.errors import UserError

# The sync layer's table of purges (a model only: no import of the sync code itself).
from app.core.records.exchange_tables import PurgedSession
from app.core.records.tables import (
    Candidate,
    ExamSession,
    Incident,
    Institution,
    Room,
    Staff,
    Subject,
    from_utc_text,
    to_utc_text,
)
from app.core.rulebook import DEFAULT_RULEBOOK_ID

EVALUATION_TYPES = ("职业技能等级认定", "职业资格评价", "专项职业能力考核")
LEVELS = ("五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师")
INSTITUTION_KINDS = ("national_employer", "social_training_org")
DEFAULT_TIMEZONE = "Asia/Shanghai"


class SessionError(UserError):
    """A session that cannot be created as given, or one that is not there."""


@dataclass(frozen=True)
class ScopeEntry:
    occupation: str
    work_type: str = ""
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class InstitutionSpec:
    name: str
    kind: str
    filing_code: str
    scope: tuple[ScopeEntry, ...] = ()


@dataclass(frozen=True)
class RoomSpec:
    name: str
    seats: int
    responsible: str = ""


@dataclass(frozen=True)
class SubjectSpec:
    name: str  # 理论知识, 操作技能, 综合评审 …
    starts_at: dt.datetime  # aware
    ends_at: dt.datetime


@dataclass(frozen=True)
class SessionSpec:
    institution: InstitutionSpec
    evaluation_type: str
    occupation: str
    level: str
    site_name: str
    site_address: str
    rooms: tuple[RoomSpec, ...]
    subjects: tuple[SubjectSpec, ...]
    work_type: str = ""
    rulebook_id: str = DEFAULT_RULEBOOK_ID
    timezone: str = DEFAULT_TIMEZONE
    extra: dict[str, str] = field(default_factory=dict)
    contact: str = ""  # the institution's telephone, office or address for this session


MAX_CONTACT = 200

# Bounds that no real session reaches, inside what dates and SQLite's integers can hold: a
# room of 10**20 seats or a sitting in the year 1 or 9999 (whose time in UTC falls off the
# calendar) is a typing error.
MAX_SEATS = 10_000
FIRST_YEAR, LAST_YEAR = 2000, 2999
MAX_REF = 100  # ids are 36 characters, record numbers a few


def shown_ref(ref: str) -> str:
    """``ref`` as an error message quotes it: a very long one cut short."""
    return ref if len(ref) <= 40 else ref[:40] + "…"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SessionError(
            f"timezone: '{name}' is not a known time zone (e.g. Asia/Shanghai)"
        ) from None


def local_date(instant: dt.datetime, timezone: str) -> str:
    """The local calendar date of ``instant`` in ``timezone``: the date rules are judged by."""
    if instant.tzinfo is None:
        raise SessionError("time: give a time with its zone; a bare local time is ambiguous")
    return instant.astimezone(zone(timezone)).date().isoformat()


def _validate(spec: SessionSpec) -> None:
    inst = spec.institution
    problems: list[str] = []
    if not inst.name.strip():
        problems.append("institution name: empty; give the filed institution's name")
    if inst.kind not in INSTITUTION_KINDS:
        kinds = ", ".join(INSTITUTION_KINDS)
        problems.append(f"institution kind: '{inst.kind}'; use one of {kinds}")
    if not inst.filing_code.strip():
        problems.append("filing code (备案码): empty; copy it from the filing record")
    if spec.evaluation_type not in EVALUATION_TYPES:
        problems.append(
            f"evaluation type: '{spec.evaluation_type}'; use one of {'、'.join(EVALUATION_TYPES)}"
        )
    # 专项职业能力考核 has no level.
    levelless = spec.evaluation_type == EVALUATION_TYPES[2] and not spec.level
    if spec.level not in LEVELS and not levelless:
        problems.append(f"level: '{spec.level}'; use one of {'、'.join(LEVELS)}")
    for label, value in (
        ("occupation", spec.occupation),
        ("site name", spec.site_name),
        ("site address", spec.site_address),
    ):
        if not value.strip():
            problems.append(f"{label}: empty")
    if len(spec.contact) > MAX_CONTACT or any(ord(c) < 32 for c in spec.contact):
        problems.append(
            f"contact: at most {MAX_CONTACT} characters on one line (a telephone, an office)"
        )
    if not spec.rooms:
        problems.append("rooms: give at least one room (考场) with its number of seats")
    names = [r.name for r in spec.rooms]
    for room in spec.rooms:
        if not room.name.strip():
            problems.append("room: a room has no name")
        if not 1 <= room.seats <= MAX_SEATS:
            problems.append(f"room {room.name}: seats must be 1 to {MAX_SEATS}, got {room.seats}")
        if names.count(room.name) > 1:
            problems.append(f"room {room.name}: listed more than once")
    if not spec.subjects:
        problems.append("subjects: give at least one subject with its time window")
    # One row per subject and session: a repeated name would only fail at the database.
    subject_names = [s.name for s in spec.subjects]
    for subject in spec.subjects:
        if subject_names.count(subject.name) > 1:
            problems.append(
                f"subject {subject.name}: listed more than once; give each subject once "
                "with one time window"
            )
        if subject.starts_at.tzinfo is None or subject.ends_at.tzinfo is None:
            problems.append(f"subject {subject.name}: times need a time zone")
        elif not all(
            FIRST_YEAR <= t.year <= LAST_YEAR for t in (subject.starts_at, subject.ends_at)
        ):
            problems.append(
                f"subject {subject.name}: give times between the years {FIRST_YEAR} and {LAST_YEAR}"
            )
        elif missing := [t for t in (subject.starts_at, subject.ends_at) if _skipped(t)]:
            problems.append(
                f"subject {subject.name}: {missing[0]:%Y-%m-%d %H:%M} does not exist in its "
                "time zone (the clocks skip it); give a time outside the change"
            )
        elif subject.ends_at <= subject.starts_at:
            problems.append(f"subject {subject.name}: ends before it starts")
    if problems:
        raise SessionError("session not created:\n  " + "\n  ".join(dict.fromkeys(problems)))
    zone(spec.timezone)


def _skipped(instant: dt.datetime) -> bool:
    """Whether a wall-clock time falls in a gap its zone skips (daylight saving begins): it
    names no instant, and would be read as one an hour off."""
    wall = instant.replace(tzinfo=None)
    back = instant.astimezone(dt.UTC).astimezone(instant.tzinfo).replace(tzinfo=None)
    return back != wall


def create_session(db: Session, spec: SessionSpec, *, now: dt.datetime | None = None) -> str:
    """Add the session (and its institution, if new by filing code); returns the session id."""
    _validate(spec)
    inst = db.exec(
        select(Institution).where(col(Institution.filing_code) == spec.institution.filing_code)
    ).first()
    if inst is None:
        scope = [
            {"occupation": s.occupation, "work_type": s.work_type, "levels": list(s.levels)}
            for s in spec.institution.scope
        ]
        inst = Institution(
            id=str(uuid.uuid4()),
            name=spec.institution.name,
            kind=spec.institution.kind,
            filing_code=spec.institution.filing_code,
            scope_json=json.dumps(scope, ensure_ascii=False),
        )
        db.add(inst)
        db.flush()  # no ORM relationships, so rows go in in foreign-key order by hand
    session_id = str(uuid.uuid4())
    db.add(
        ExamSession(
            id=session_id,
            institution_id=inst.id,
            evaluation_type=spec.evaluation_type,
            occupation=spec.occupation,
            work_type=spec.work_type,
            level=spec.level,
            site_name=spec.site_name,
            site_address=spec.site_address,
            contact=spec.contact.strip(),
            rulebook_id=spec.rulebook_id,
            timezone=spec.timezone,
            created_at=now or dt.datetime.now(dt.UTC),
        )
    )
    db.flush()
    for room in spec.rooms:
        db.add(
            Room(
                session_id=session_id,
                name=room.name,
                seats=room.seats,
                responsible=room.responsible,
            )
        )
    for subject in spec.subjects:
        db.add(
            Subject(
                session_id=session_id,
                name=subject.name,
                starts_at=subject.starts_at,
                ends_at=subject.ends_at,
            )
        )
    return session_id


class SessionPurgedError(SessionError):
    """The session's personal data was purged here: nothing more is recorded for it."""


def refuse_if_purged(db: Session, session_id: str) -> None:
    """Refuse work on a session this laptop purged (``bundle purge``, after the institution
    confirmed it holds the records): new rosters or records would bring personal data back,
    and a report would show a session without its records."""
    purged = db.get(PurgedSession, session_id)  # one key lookup: runs on every new record
    if purged is not None:
        raise SessionPurgedError(
            f"session {session_id} was purged here on {purged.purged_at.date().isoformat()}, "
            "after the institution confirmed it holds its records; nothing more can be "
            "recorded, imported, reported or exported for it on this computer"
        )


def resolve_session(db: Session, ref: str) -> ExamSession:
    """The session with id ``ref`` or the only one whose id starts with it."""
    found = db.get(ExamSession, ref)
    if found is not None:
        return found
    matches: list[ExamSession] = []
    if len(ref) <= MAX_REF:  # a longer text is no id (and would make SQLite's LIKE give up)
        # ``%`` and ``_`` are characters of the id, not LIKE's wildcards.
        query = select(ExamSession).where(col(ExamSession.id).startswith(ref, autoescape=True))
        matches = list(db.exec(query).all())
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise SessionError(
            f"session: no session '{shown_ref(ref)}'; see `proctor-desk session list`"
        )
    raise SessionError(f"session: '{ref}' matches {len(matches)} sessions; give more of the id")


def rulebook_ids(db: Session, session_id: str | None = None) -> list[str]:
    """The rulebooks the session (or, without one, any session) judges incidents by."""
    query = select(ExamSession.rulebook_id).distinct()
    if session_id is not None:
        query = query.where(col(ExamSession.id) == session_id)
    return sorted(db.exec(query).all())


def rooms_of(db: Session, session_id: str) -> dict[str, int]:
    rows = db.exec(select(Room.name, Room.seats).where(col(Room.session_id) == session_id))
    return {name: seats for name, seats in rows}


def _purged_ids(db: Session) -> set[str]:
    """Sessions whose personal data this computer purged (``bundle purge``)."""
    return set(db.exec(select(PurgedSession.session_id)).all())


def _local_day(start: Any, timezone: str) -> str | None:
    """The exam's local date (its first subject's), or None for a session without subjects.
    ``start`` comes from an aggregate, so it may be the stored text rather than a datetime."""
    if start is None:
        return None
    instant = start if isinstance(start, dt.datetime) else from_utc_text(str(start))
    return local_date(instant, timezone)


def session_summaries(db: Session) -> list[dict[str, Any]]:
    """One dict per session, newest first, with counts (for lists and ``--json``)."""
    counts: dict[str, int] = {
        sid: n
        for sid, n in db.exec(
            select(Incident.session_id, func.count()).group_by(col(Incident.session_id))
        )
    }
    purged = _purged_ids(db)
    first_starts: dict[str, Any] = {
        sid: start
        for sid, start in db.exec(
            select(Subject.session_id, func.min(Subject.starts_at)).group_by(
                col(Subject.session_id)
            )
        )
    }
    rows = [
        (s, inst_name, counts.get(s.id, 0))
        for s, inst_name in db.exec(
            select(ExamSession, Institution.name)
            .join(Institution, col(Institution.id) == col(ExamSession.institution_id))
            .order_by(col(ExamSession.created_at).desc())
        )
    ]
    return [
        {
            "id": s.id,
            "institution": inst_name,
            "evaluation_type": s.evaluation_type,
            "occupation": s.occupation,
            "level": s.level,
            "site_name": s.site_name,
            "timezone": s.timezone,
            "rulebook_id": s.rulebook_id,
            "created_at": to_utc_text(s.created_at),
            "incidents": int(n or 0),
            "purged": s.id in purged,
            "exam_date": _local_day(first_starts.get(s.id), s.timezone),
        }
        for s, inst_name, n in rows
    ]


def session_detail(db: Session, session_id: str) -> dict[str, Any]:
    """Everything about one session, JSON-ready (PINs never included)."""
    s = resolve_session(db, session_id)
    inst = db.get(Institution, s.institution_id)
    assert inst is not None  # foreign key
    rooms = db.exec(select(Room).where(col(Room.session_id) == s.id).order_by(col(Room.name)))
    subjects = db.exec(
        select(Subject).where(col(Subject.session_id) == s.id).order_by(col(Subject.starts_at))
    )
    staff = db.exec(
        select(Staff)
        .where(col(Staff.session_id) == s.id)
        .order_by(col(Staff.role), col(Staff.name))
    )
    n_candidates = db.exec(
        select(func.count()).select_from(Candidate).where(col(Candidate.session_id) == s.id)
    ).one()
    return {
        "id": s.id,
        "institution": {
            "name": inst.name,
            "kind": inst.kind,
            "filing_code": inst.filing_code,
            "scope": json.loads(inst.scope_json),
        },
        "evaluation_type": s.evaluation_type,
        "occupation": s.occupation,
        "work_type": s.work_type,
        "level": s.level,
        "site": {"name": s.site_name, "address": s.site_address},
        "contact": s.contact,
        "rulebook_id": s.rulebook_id,
        "timezone": s.timezone,
        "created_at": to_utc_text(s.created_at),
        "rooms": [{"name": r.name, "seats": r.seats, "responsible": r.responsible} for r in rooms],
        "subjects": [
            {
                "name": x.name,
                "starts_at": to_utc_text(x.starts_at),
                "ends_at": to_utc_text(x.ends_at),
            }
            for x in subjects
        ],
        "staff": [
            {
                "id": p.id,
                "name": p.name,
                "role": p.role,
                "staff_number": p.staff_number,
                "pin_set": p.pin_hash is not None,
            }
            for p in staff
        ],
        "candidates": int(n_candidates),
        "purged": db.get(PurgedSession, s.id) is not None,
    }
