"""What an incident record says: the draft a person edits, and the canonical content built from it.

The content is what signatures and the seal cover; see ``docs/canonical-content.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from app.core.errors import UserError
from app.core.records.incident_time import OUTSIDE_CONFIRMED, outside_subject_times
from app.core.records.sessions import local_date
from app.core.records.stroke_codec import encode_strokes
from app.core.records.tables import (
    Candidate,
    ExamSession,
    Institution,
    Room,
    Staff,
    Subject,
    to_utc_text,
)
from app.core.rulebook.model import Party, StaffRole

SCHEMA = "proctor-desk/incident/1"
# Facts the person recording states; the others (party, clause, date, role, subject) are derived.
USER_FACTS = (
    "warned",
    "refused",
    "severity",
    "adverse_effect",
    "discovered_after_exam",
    "certificate_issued",
    "prior_warning",
    "decision_date",
)

# (rulebook id, facts) -> (outcome dict, rulebook id, rulebook version)
Classifier = Callable[[str, Mapping[str, Any]], tuple[dict[str, Any], str, str]]
FactValue = str | bool | int | None
Point = tuple[float, float] | tuple[float, float, float | None] | Sequence[float | None]


class IncidentError(UserError):
    """An incident that cannot be saved, signed or changed as asked."""


# How canonical content spells the key of its evidence list, and that list empty: in canonical
# JSON a key's quotes are never escaped, a string's always are.
_EVIDENCE_KEY = '"evidence":'
_NO_EVIDENCE = '"evidence":[]'


def lists_no_evidence(content_json: str) -> bool:
    """Whether canonical content surely lists no evidence, read without parsing it: it has no
    "evidence" key, or only one, holding an empty list (whatever its depth). False when it
    may list some."""
    return _EVIDENCE_KEY not in content_json or (
        _NO_EVIDENCE in content_json and content_json.count(_EVIDENCE_KEY) == 1
    )


@dataclass(frozen=True)
class SeizedItem:
    description: str
    receipt_number: str


@dataclass(frozen=True)
class VideoRef:
    camera: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class IncidentDraft:
    """The editable part of an incident. Unknown items may stay empty while it is a draft."""

    party: str
    occurred_at: dt.datetime
    subject: str | None = None
    room: str | None = None
    seat: int | None = None
    person_id: str | None = None  # candidate id or staff id; None for an institution
    clause: str | None = None
    facts: Mapping[str, FactValue] = field(default_factory=dict)
    description: str = ""
    statement: str | None = None  # the person's own statement
    seized_items: tuple[SeizedItem, ...] = ()
    videos: tuple[VideoRef, ...] = ()
    noted_by: str | None = None  # staff id of the quality supervisor (institution incidents)
    # The recorder confirms a time outside every subject's exam time (kept only where it is).
    time_outside_subjects_confirmed: bool = False


# Pads are a few thousand units wide and a signature takes seconds: far inside this.
_MAX_POINT_VALUE = 2**31


def normalise_strokes(strokes: Sequence[Sequence[Point]]) -> list[list[list[int | None]]]:
    """Strokes as whole numbers: ``[x, y, t_ms, pressure‰]`` (time and pressure may be null).

    Coordinates are rounded to whole pad units and pressure (0..1) to thousandths, so the
    strokes have one canonical form on every platform.
    """
    result: list[list[list[int | None]]] = []
    for stroke in strokes:
        points: list[list[int | None]] = []
        for point in stroke:
            values = list(point)
            if len(values) < 2 or values[0] is None or values[1] is None:
                raise IncidentError("signature: every point needs x and y")
            t = values[2] if len(values) > 2 else None
            p = values[3] if len(values) > 3 else None
            points.append(
                [
                    round(values[0]),
                    round(values[1]),
                    None if t is None else round(t),
                    None if p is None else round(p * 1000),
                ]
            )
        if points:
            result.append(points)
    if any(v is not None and abs(v) > _MAX_POINT_VALUE for s in result for p in s for v in p):
        raise IncidentError("signature: a point lies outside any signature pad")
    return result


def strokes_json(strokes: Sequence[Sequence[Point]]) -> str:
    """The stored text of a signature's strokes (``stroke_codec``: compact, in a JSON string)."""
    return encode_strokes(normalise_strokes(strokes))


NO_STROKES = encode_strokes([])  # what a pad with no handwriting gives


@dataclass(frozen=True)
class Header:
    """Identity of a record version: fixed when the record or its amendment is created."""

    id: str
    number: str
    version: int
    supersedes: str | None


def _person(db: Session, session_id: str, draft: IncidentDraft) -> dict[str, Any] | None:
    if draft.person_id is None:
        return None
    if draft.party == Party.CANDIDATE:
        cand = db.get(Candidate, draft.person_id)
        if cand is None or cand.session_id != session_id:
            raise IncidentError("person: that candidate is not on this session's roster")
        return {
            "kind": "candidate",
            "id": cand.id,
            "name": cand.name,
            "id_type": cand.id_type,
            "id_number": cand.id_number,
            "ticket_number": cand.ticket_number,
        }
    if draft.party == Party.STAFF:
        staff = db.get(Staff, draft.person_id)
        if staff is None or staff.session_id != session_id:
            raise IncidentError("person: that staff member is not on this session's staff list")
        return {
            "kind": "staff",
            "id": staff.id,
            "name": staff.name,
            "role": staff.role,
            "staff_number": staff.staff_number,
            # Only where the staff list names one: other records keep their content.
            **({"employer": staff.employer} if staff.employer else {}),
        }
    raise IncidentError("person: an institution incident concerns the institution, not a person")


def _check_place(db: Session, session: ExamSession, draft: IncidentDraft) -> None:
    if draft.subject is not None:
        found = db.exec(
            select(Subject.id).where(
                col(Subject.session_id) == session.id, col(Subject.name) == draft.subject
            )
        ).first()
        if found is None:
            raise IncidentError(f"subject: '{draft.subject}' is not a subject of this session")
    if draft.room is not None:
        seats = db.exec(
            select(Room.seats).where(
                col(Room.session_id) == session.id, col(Room.name) == draft.room
            )
        ).first()
        if seats is None:
            raise IncidentError(f"room: no room '{draft.room}' in this session")
        if draft.seat is not None and not 1 <= draft.seat <= seats:
            raise IncidentError(f"seat: {draft.room} has seats 1–{seats}, not {draft.seat}")


def derived_facts(
    draft: IncidentDraft, person: Mapping[str, Any] | None, date: str
) -> dict[str, FactValue]:
    """The facts mapping handed to the rule engine."""
    facts: dict[str, FactValue] = {"party": draft.party, "clause": draft.clause, "date": date}
    if draft.subject:
        facts["subject"] = draft.subject
    if person is not None and person["kind"] == "staff":
        facts["role"] = person["role"]
    for key in USER_FACTS:
        value = draft.facts.get(key)
        if value is not None:
            facts[key] = value
    unknown = set(draft.facts) - set(USER_FACTS)
    if unknown:
        raise IncidentError(f"facts: unknown {', '.join(sorted(unknown))}")
    return facts


def session_snapshot(db: Session, session: ExamSession) -> dict[str, Any]:
    """The sitting as the record states it: the signed report prints these details, so they
    are sealed with the record rather than read from tables an edit could change later."""
    institution = db.get(Institution, session.institution_id)
    assert institution is not None  # foreign key
    subjects = db.exec(
        select(Subject)
        .where(col(Subject.session_id) == session.id)
        .order_by(col(Subject.starts_at))
    ).all()
    return {
        "id": session.id,
        "timezone": session.timezone,
        "institution": {
            "name": institution.name,
            "filing_code": institution.filing_code,
            # Only where the plan gives one: records of sessions without keep their content.
            **({"contact": session.contact} if session.contact else {}),
        },
        "site": {"name": session.site_name, "address": session.site_address},
        "evaluation_type": session.evaluation_type,
        "occupation": session.occupation,
        "work_type": session.work_type,
        "level": session.level,
        "subjects": [
            {
                "name": s.name,
                "starts_at": to_utc_text(s.starts_at),
                "ends_at": to_utc_text(s.ends_at),
            }
            for s in subjects
        ],
    }


def build_content(
    db: Session,
    session: ExamSession,
    header: Header,
    draft: IncidentDraft,
    evidence: Sequence[Mapping[str, Any]],
    classify: Classifier,
) -> dict[str, Any]:
    """The canonical content of one record version (raises ``IncidentError`` on bad references)."""
    if draft.party not in {p.value for p in Party}:
        raise IncidentError(f"party: '{draft.party}'; use candidate, staff or institution")
    _check_place(db, session, draft)
    person = _person(db, session.id, draft)
    room, seat = draft.room, draft.seat
    if person is not None and person["kind"] == "candidate" and room is None:
        cand = db.get(Candidate, person["id"])
        assert cand is not None
        room, seat = cand.room, cand.seat
    if draft.noted_by is not None:
        noter = db.get(Staff, draft.noted_by)
        if noter is None or noter.session_id != session.id:
            raise IncidentError("noted by: not a staff member of this session")
        if noter.role != StaffRole.SUPERVISOR:
            raise IncidentError("noted by: institution incidents are noted by a quality supervisor")
    date = local_date(draft.occurred_at, session.timezone)
    facts = derived_facts(draft, person, date)
    outcome: dict[str, Any] | None = None
    rulebook: dict[str, str] | None = None
    if draft.clause:
        outcome, rb_id, rb_version = classify(session.rulebook_id, facts)
        rulebook = {"id": rb_id, "version": rb_version}
    content: dict[str, Any] = {
        "schema": SCHEMA,
        "id": header.id,
        "number": header.number,
        "version": header.version,
        "supersedes": header.supersedes,
        "session": session_snapshot(db, session),
        "party": draft.party,
        "subject": draft.subject,
        "occurred_at": to_utc_text(draft.occurred_at),
        "local_date": date,
        "room": room,
        "seat": seat,
        "person": person,
        "clause": draft.clause,
        "facts": facts,
        "description": draft.description,
        "statement": draft.statement,
        "seized_items": [
            {"description": s.description, "receipt_number": s.receipt_number}
            for s in draft.seized_items
        ],
        "videos": [
            {"camera": v.camera, "start": to_utc_text(v.start), "end": to_utc_text(v.end)}
            for v in draft.videos
        ],
        "evidence": [dict(e) for e in evidence],
        "noted_by": draft.noted_by,
        "outcome": outcome,
        "rulebook": rulebook,
        "regulator_flag": draft.party == Party.INSTITUTION,
    }
    # Only where it applies, so records without it keep the content they were signed with.
    if draft.time_outside_subjects_confirmed and outside_subject_times(content):
        content[OUTSIDE_CONFIRMED] = True
    return content


def draft_from_content(content: Mapping[str, Any]) -> IncidentDraft:
    """The editable draft a stored content came from (to amend or to edit further)."""
    from app.core.records.tables import from_utc_text

    facts = {k: v for k, v in content["facts"].items() if k in USER_FACTS}
    person = content["person"]
    return IncidentDraft(
        party=content["party"],
        occurred_at=from_utc_text(content["occurred_at"]),
        subject=content["subject"],
        room=content["room"],
        seat=content["seat"],
        person_id=None if person is None else person["id"],
        clause=content["clause"],
        facts=facts,
        description=content["description"],
        statement=content["statement"],
        seized_items=tuple(
            SeizedItem(s["description"], s["receipt_number"]) for s in content["seized_items"]
        ),
        videos=tuple(
            VideoRef(v["camera"], from_utc_text(v["start"]), from_utc_text(v["end"]))
            for v in content["videos"]
        ),
        noted_by=content["noted_by"],
        time_outside_subjects_confirmed=bool(content.get(OUTSIDE_CONFIRMED, False)),
    )


def missing_for_signing(content: Mapping[str, Any]) -> list[str]:
    """What a record still lacks before anyone may sign it."""
    missing = []
    if not content["clause"]:
        missing.append("clause")
    if content["party"] != Party.INSTITUTION and content["person"] is None:
        missing.append("person concerned")
    if content["party"] == Party.INSTITUTION and content["noted_by"] is None:
        missing.append("noted by (quality supervisor)")
    if not str(content["description"]).strip():
        missing.append("description")
    if outside_subject_times(content) and not content.get(OUTSIDE_CONFIRMED):
        missing.append("confirmation of a time outside every subject's exam time")
    # A return names its item by receipt number: each item needs its own.
    receipts = [str(s["receipt_number"]).strip() for s in content.get("seized_items", [])]
    if any(not r for r in receipts) or len(set(receipts)) != len(receipts):
        missing.append("seized items: a distinct receipt number each")
    outcome = content["outcome"]
    if outcome and not outcome.get("violation") and outcome.get("pending"):
        # Facts that decide whether there is a violation at all (e.g. a reminder refused).
        missing.append("facts " + ", ".join(outcome["pending"]))
    return missing
