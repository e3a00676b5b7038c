"""Paper first, app later: a record written on the paper fallback form, entered afterwards.

When a laptop fails, the site records the incident on the blank paper form (``report
blank-form``) and the staff, the candidate and the site head sign it there. Afterwards the
site head transcribes it: a JSON file with what the paper says (``docs/transcription.md``)
and the scan of the signed form. The record is created, holds the scan as evidence and is
confirmed and sealed in one step, authorised by the site head's PIN.

The paper signatures have no strokes, and none are invented: the content states who signed on
paper (``transcription``: the form's number, the staff who signed it, the candidate's
acknowledgement or the refusal or departure and its witnesses, and who transcribed it), and
the only signature row is the site head's confirmation, made here with the PIN and no
handwriting. The signed report prints "依纸质记录誊录" with the form's number and these names.

The rules of an app-made record hold: the clause, person and description are there, the time
is not later than now and, outside every subject's exam time, confirmed; two different staff
signed (not the site head who confirms), a candidate signed or two staff witnessed their
refusal or departure; the site head has a PIN and gives it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from app.core.errors import UserError
from app.core.ids import new_id
from app.core.json_keys import refusing_duplicates
from app.core.records import dialect
from app.core.records.content import (
    NO_STROKES,
    USER_FACTS,
    Classifier,
    FactValue,
    Header,
    IncidentDraft,
    build_content,
    missing_for_signing,
)
from app.core.records.file_store import store_evidence
from app.core.records.incident_time import FUTURE_GRACE, is_future
from app.core.records.incidents import Context, _apply_content, next_number
from app.core.records.people import check_pin
from app.core.records.sessions import refuse_if_purged, resolve_session, zone
from app.core.records.signing import _audit, seal_record
from app.core.records.status import RecordStatus
from app.core.records.tables import (
    Candidate,
    Evidence,
    ExamSession,
    Incident,
    Signature,
    Staff,
)
from app.core.rulebook.model import Party, StaffRole

if TYPE_CHECKING:
    from app.core.records.service import Workspace

SCHEMA = "proctor-desk/transcription/1"
# The content key (present only on a transcribed record, so other records keep their content).
CONTENT_KEY = "transcription"
# A transcription is a page of text; a larger file is not one (and is not read into memory).
MAX_JSON_BYTES = 256 * 1024
# What a scan of a paper form is saved as, by file suffix.
SCAN_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}
SCAN_LABEL = "纸质记录表扫描件"
ACKNOWLEDGEMENTS = ("signed", "refused", "departed")
MAX_TEXT = 5000  # description and statement: a paper form holds far less
MAX_SHORT = 100  # names, numbers, references

_TOP_KEYS = {
    "schema",
    "session",
    "paper_form_number",
    "person",
    "clause",
    "facts",
    "occurred_at",
    "time_outside_subjects_confirmed",
    "subject",
    "room",
    "seat",
    "description",
    "statement",
    "signed_on_paper",
    "acknowledgement",
}
_REQUIRED = (
    "session",
    "paper_form_number",
    "person",
    "clause",
    "occurred_at",
    "description",
    "signed_on_paper",
    "acknowledgement",
)


class TranscriptionError(UserError):
    """A transcription file, scan or request that cannot be taken; the message names the field."""


@dataclass(frozen=True)
class PersonRef:
    """The candidate, by admission ticket number or ID number (exactly one)."""

    ticket_number: str | None = None
    id_number: str | None = None


@dataclass(frozen=True)
class TranscriptionSpec:
    """What the paper form says, as the JSON file gives it (not yet checked against the data)."""

    session: str
    paper_form_number: str
    person: PersonRef
    clause: str
    occurred_at: str  # ISO 8601; without an offset it is the session's local time
    description: str
    staff_signers: tuple[str, ...]  # staff who signed on paper: names or staff numbers
    acknowledgement: str  # signed, refused or departed
    witnesses: tuple[str, ...] = ()  # of a refusal or a departure
    facts: Mapping[str, FactValue] | None = None
    time_outside_subjects_confirmed: bool = False
    subject: str | None = None
    room: str | None = None
    seat: int | None = None
    statement: str | None = None


# -- the file -----------------------------------------------------------------------------------


def read_spec(path: Path) -> TranscriptionSpec:
    """The transcription file at ``path``, size-limited before it is read, strictly checked."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise TranscriptionError(f"{path}: no such file") from None
    except OSError as exc:
        raise TranscriptionError(f"{path}: cannot read ({exc.strerror})") from None
    if not path.is_file():
        raise TranscriptionError(f"{path}: not a file")
    if size > MAX_JSON_BYTES:
        raise TranscriptionError(
            f"{path.name}: {size} bytes; a transcription file is at most {MAX_JSON_BYTES} bytes"
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_JSON_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise TranscriptionError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_JSON_BYTES:
        raise TranscriptionError(
            f"{path.name}: a transcription file is at most {MAX_JSON_BYTES} bytes"
        )
    return parse_spec_text(data, path.name)


def parse_spec_text(data: bytes, where: str = "transcription") -> TranscriptionSpec:
    """The spec in ``data`` (UTF-8 JSON, a byte-order mark allowed)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TranscriptionError(
            f"{where}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None
    hook = refusing_duplicates(lambda key: TranscriptionError(f"{where}: key '{key}' given twice"))
    try:
        value = json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        raise TranscriptionError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise TranscriptionError(f"{where}: nested too deeply to be a transcription") from None
    return parse_spec(value)


def _text(value: object, field: str, *, limit: int = MAX_SHORT, blank_ok: bool = False) -> str:
    # Names and numbers are one line; only the long texts (limit MAX_TEXT) may break.
    if not isinstance(value, str):
        raise TranscriptionError(f"{field}: give text, not {_kind(value)}")
    text = value.strip()
    if not text and not blank_ok:
        raise TranscriptionError(f"{field}: empty")
    if len(text) > limit:
        raise TranscriptionError(f"{field}: {len(text)} characters; at most {limit}")
    allowed = "\n\t" if limit == MAX_TEXT else ""
    if any(ord(c) < 32 and c not in allowed for c in text):
        raise TranscriptionError(f"{field}: contains a control character or line break")
    return text


def _optional_text(obj: Mapping[str, Any], key: str, limit: int = MAX_SHORT) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    return _text(value, key, limit=limit, blank_ok=True) or None


def _kind(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list"}
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    return names.get(type(value), "text")


def _object(value: object, field: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TranscriptionError(f"{field}: give an object {{…}}, not {_kind(value)}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise TranscriptionError(
            f"{field}: unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})"
        )
    return value


def _names(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TranscriptionError(f"{field}: give a list of names, not {_kind(value)}")
    if len(value) > 20:
        raise TranscriptionError(f"{field}: {len(value)} names; at most 20")
    names = tuple(_text(v, f"{field}[{i}]") for i, v in enumerate(value))
    if len(set(names)) != len(names):
        raise TranscriptionError(f"{field}: a name is given twice")
    return names


def parse_spec(value: object) -> TranscriptionSpec:
    """The spec in a parsed JSON value: every key known, every value of its kind."""
    obj = _object(value, "transcription", _TOP_KEYS)
    missing = [key for key in _REQUIRED if key not in obj]
    if missing:
        raise TranscriptionError(f"{missing[0]}: missing (required: {', '.join(_REQUIRED)})")
    if "schema" in obj and obj["schema"] != SCHEMA:
        raise TranscriptionError(f"schema: '{obj['schema']}' is not '{SCHEMA}'")
    person = _object(obj["person"], "person", {"ticket_number", "id_number"})
    if len(person) != 1:
        raise TranscriptionError("person: give exactly one of ticket_number or id_number")
    ((key, ref),) = person.items()
    person_ref = PersonRef(**{key: _text(ref, f"person.{key}")})
    facts: dict[str, FactValue] | None = None
    if obj.get("facts") is not None:
        raw = _object(obj["facts"], "facts", set(USER_FACTS))
        facts = {}
        for name, fact in raw.items():
            if fact is not None and not isinstance(fact, str | bool | int):
                raise TranscriptionError(f"facts.{name}: give true/false or text")
            facts[name] = fact
    outside = obj.get("time_outside_subjects_confirmed", False)
    if not isinstance(outside, bool):
        raise TranscriptionError("time_outside_subjects_confirmed: give true or false")
    seat = obj.get("seat")
    if seat is not None and (isinstance(seat, bool) or not isinstance(seat, int)):
        raise TranscriptionError(f"seat: give a whole number, not {_kind(seat)}")
    signed = _object(obj["signed_on_paper"], "signed_on_paper", {"staff"})
    if "staff" not in signed:
        raise TranscriptionError("signed_on_paper.staff: missing (the staff who signed the form)")
    staff = _names(signed["staff"], "signed_on_paper.staff")
    ack = _object(obj["acknowledgement"], "acknowledgement", {"kind", "witnesses"})
    kind = ack.get("kind")
    if kind not in ACKNOWLEDGEMENTS:
        raise TranscriptionError(
            f"acknowledgement.kind: {json.dumps(kind, ensure_ascii=False)}; "
            f"use {', '.join(ACKNOWLEDGEMENTS)}"
        )
    witnesses = _names(ack.get("witnesses", []), "acknowledgement.witnesses")
    if kind == "signed" and witnesses:
        raise TranscriptionError(
            "acknowledgement.witnesses: only a refusal or a departure has witnesses"
        )
    return TranscriptionSpec(
        session=_text(obj["session"], "session"),
        paper_form_number=_text(obj["paper_form_number"], "paper_form_number", limit=40),
        person=person_ref,
        clause=_text(obj["clause"], "clause", limit=20),
        occurred_at=_text(obj["occurred_at"], "occurred_at", limit=40),
        description=_text(obj["description"], "description", limit=MAX_TEXT),
        staff_signers=staff,
        acknowledgement=str(kind),
        witnesses=witnesses,
        facts=facts,
        time_outside_subjects_confirmed=outside,
        subject=_optional_text(obj, "subject"),
        room=_optional_text(obj, "room"),
        seat=seat,
        statement=_optional_text(obj, "statement", MAX_TEXT),
    )


def check_scan(path: Path, limit: int) -> str:
    """The scan's media type; a ``TranscriptionError`` naming what is wrong with the file."""
    media_type = SCAN_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise TranscriptionError(
            f"scan: {path.name}: give the scan as PDF, PNG, JPEG or TIFF "
            f"({', '.join(sorted(SCAN_TYPES))})"
        )
    if not path.is_file():
        raise TranscriptionError(f"scan: {path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise TranscriptionError(f"scan: {path.name} is empty")
    if size > limit:
        raise TranscriptionError(
            f"scan: {path.name} is {size // (1024 * 1024)} MB; the limit is "
            f"{limit // (1024 * 1024)} MB (scan at 200–300 dpi in grey)"
        )
    return media_type


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


# -- against the data -------------------------------------------------------------------------


def _staff_of(db: Session, session_id: str) -> list[Staff]:
    return list(db.exec(select(Staff).where(col(Staff.session_id) == session_id)).all())


def find_staff(staff: Sequence[Staff], ref: str, field: str) -> Staff:
    """The staff member named ``ref`` (their staff number, or their name when it is unique)."""
    by_number = [s for s in staff if s.staff_number == ref]
    if by_number:
        return by_number[0]
    by_name = [s for s in staff if s.name == ref]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise TranscriptionError(
            f"{field}: several staff are called {ref}; give the staff number instead"
        )
    raise TranscriptionError(f"{field}: no staff member '{ref}' in this session's staff list")


def site_head_of(db: Session, session_ref: str, ref: str) -> Staff:
    """The site head ``ref`` (name or staff number) of the session ``session_ref``."""
    session = resolve_session(db, session_ref)
    head = find_staff(_staff_of(db, session.id), ref.strip(), "site head")
    if head.role != StaffRole.SITE_HEAD:
        raise TranscriptionError(
            f"site head: {head.name} is {head.role}; the site head transcribes a paper record"
        )
    if head.pin_hash is None:
        raise TranscriptionError(
            f"site head: {head.name} has no PIN; a transcription is authorised by the site "
            "head's PIN (set one on the lock screen, or in the staff roster)"
        )
    return head


def _candidate(db: Session, session_id: str, ref: PersonRef) -> Candidate:
    query = select(Candidate).where(col(Candidate.session_id) == session_id)
    if ref.ticket_number is not None:
        found = db.exec(query.where(col(Candidate.ticket_number) == ref.ticket_number)).all()
        what = f"person.ticket_number: no candidate with ticket number {ref.ticket_number}"
    else:
        wanted = (ref.id_number or "").upper()
        found = [c for c in db.exec(query).all() if c.id_number.upper() == wanted]
        what = f"person.id_number: no candidate with ID number {ref.id_number}"
    if not found:
        raise TranscriptionError(f"{what} on this session's roster")
    if len(found) > 1:
        raise TranscriptionError(f"{what.split(':')[0]}: several candidates; give ticket_number")
    return found[0]


def _occurred_at(text: str, timezone: str) -> dt.datetime:
    problem = f"occurred_at: '{text}' is not a time; write e.g. 2024-06-15T09:40 (local time)"
    # A date alone would read as midnight: the form has a time, and it is copied too.
    if len(text) < 16 or text[10] not in "T ":
        raise TranscriptionError(problem)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise TranscriptionError(problem) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone(timezone))
    return when.astimezone(dt.UTC)


def _already_transcribed(db: Session, session_id: str, number: str) -> str | None:
    """The record number of a standing record transcribed from this paper form, if any."""
    mark = dialect.mark(db)
    row = (
        db.connection()
        .exec_driver_sql(
            "SELECT i.number FROM incident i JOIN incident_content c ON c.incident_id = i.id "
            f"WHERE i.session_id = {mark} AND i.status != {mark} AND "
            f"{dialect.json_text(db, 'c.content_json', 'transcription', 'paper_form_number')} "
            f"= {mark}",
            (session_id, RecordStatus.VOID.value, number),
        )
        .first()
    )
    return None if row is None else str(row[0])


def _who(staff: Staff) -> dict[str, str]:
    return {"id": staff.id, "name": staff.name, "role": staff.role}


def _marking(
    spec: TranscriptionSpec,
    signers: Sequence[Staff],
    witnesses: Sequence[Staff],
    head: Staff,
    scan_sha256: str,
) -> dict[str, Any]:
    """What the content says of the paper: its number, who signed it there, who entered it."""
    return {
        "paper_form_number": spec.paper_form_number,
        "staff_signed_on_paper": [_who(s) for s in signers],
        "acknowledgement": {
            "kind": spec.acknowledgement,
            "witnesses": [_who(s) for s in witnesses],
        },
        "transcribed_by": _who(head),
        "scan_sha256": scan_sha256,
    }


def _check_people(
    spec: TranscriptionSpec, staff: Sequence[Staff]
) -> tuple[list[Staff], list[Staff]]:
    signers = [find_staff(staff, r, "signed_on_paper.staff") for r in spec.staff_signers]
    if len({s.id for s in signers}) < 2:
        raise TranscriptionError(
            "signed_on_paper.staff: two different staff sign a record (Art. 16); the paper "
            "form names fewer"
        )
    for s in signers:
        if s.role == StaffRole.SITE_HEAD:
            raise TranscriptionError(
                f"signed_on_paper.staff: {s.name} is the site head, who confirms the record "
                "and is not one of its signers"
            )
    witnesses = [find_staff(staff, r, "acknowledgement.witnesses") for r in spec.witnesses]
    if spec.acknowledgement != "signed" and len({w.id for w in witnesses}) < 2:
        what = "refusal to sign" if spec.acknowledgement == "refused" else "departure"
        raise TranscriptionError(
            f"acknowledgement.witnesses: two different staff witness the candidate's {what}"
        )
    return signers, witnesses


def transcribe(
    db: Session,
    ctx: Context,
    data_dir: Path,
    spec: TranscriptionSpec,
    scan: Path,
    site_head_id: str,
    pin: str | None,
    *,
    limit: int,
) -> Incident:
    """Create the record the paper form holds, with its scan, confirmed and sealed."""
    session = resolve_session(db, spec.session)
    refuse_if_purged(db, session.id)
    head = db.get(Staff, site_head_id)
    if head is None or head.session_id != session.id or head.role != StaffRole.SITE_HEAD:
        raise TranscriptionError("site head: not the site head of this session")
    if head.pin_hash is None:
        raise TranscriptionError(f"site head: {head.name} has no PIN")
    check_pin(head, pin)
    media_type = check_scan(scan, limit)
    candidate = _candidate(db, session.id, spec.person)
    signers, witnesses = _check_people(spec, _staff_of(db, session.id))
    earlier = _already_transcribed(db, session.id, spec.paper_form_number)
    if earlier is not None:
        raise TranscriptionError(
            f"paper_form_number: paper form {spec.paper_form_number} was already transcribed "
            f"as record {earlier}"
        )
    occurred = _occurred_at(spec.occurred_at, session.timezone)
    now = ctx.now()
    if is_future(occurred, now):
        minutes = int(FUTURE_GRACE.total_seconds() // 60)
        raise TranscriptionError(
            f"occurred_at: {spec.occurred_at} is later than now; a paper record is of something "
            f"that happened (clocks may differ by up to {minutes} minutes)"
        )
    draft = IncidentDraft(
        party=Party.CANDIDATE.value,
        occurred_at=occurred,
        subject=spec.subject,
        room=spec.room,
        seat=spec.seat,
        person_id=candidate.id,
        clause=spec.clause,
        facts=dict(spec.facts or {}),
        description=spec.description,
        statement=spec.statement,
        time_outside_subjects_confirmed=spec.time_outside_subjects_confirmed,
    )
    sha = _sha256(scan)
    entry = {
        "sha256": sha,
        "name": f"{SCAN_LABEL} · {scan.name}",
        "size": scan.stat().st_size,
        "media_type": media_type,
    }
    seq, number = next_number(db, session.id, ctx.device.code)
    header = Header(str(uuid.uuid4()), number, 1, None)
    content = build_content(db, session, header, draft, [entry], ctx.classify)
    content[CONTENT_KEY] = _marking(spec, signers, witnesses, head, sha)
    missing = missing_for_signing(content)
    if missing:
        raise TranscriptionError(f"the paper record lacks {', '.join(missing)}")
    # Everything is checked: now the scan goes into the evidence store (durably, before the
    # record that lists it is committed; on a shared database in this transaction).
    stored, size = store_evidence(db, data_dir, scan, limit, media_type)
    if stored != sha:
        raise TranscriptionError(f"scan: {scan.name} changed while it was read; try again")
    if db.get(Evidence, sha) is None:
        db.add(Evidence(sha256=sha, size=size, media_type=media_type, stored_at=now))
    return _save_confirmed(db, ctx, session, header, seq, content, head)


def _save_confirmed(
    db: Session,
    ctx: Context,
    session: ExamSession,
    header: Header,
    seq: int,
    content: dict[str, Any],
    head: Staff,
) -> Incident:
    now = ctx.now()
    incident = Incident(
        id=header.id,
        session_id=session.id,
        number=header.number,
        device_code=ctx.device.code,
        seq=seq,
        content_hash="",
        party=content["party"],
        local_date="",
        occurred_at=now,
        created_at=now,
        updated_at=now,
    )
    _apply_content(db, incident, content)
    form = content[CONTENT_KEY]["paper_form_number"]
    _audit(db, ctx, incident, "create", head.id, number=header.number, transcribed_from=form)
    # The confirmation is the site head's act here and now, authorised by the PIN: a
    # signature row without handwriting (the paper's signatures are in the content).
    db.add(
        Signature(
            id=new_id(),
            incident_id=incident.id,
            kind="confirm",
            staff_id=head.id,
            signer_name=head.name,
            role=head.role,
            signed_at=now,
            strokes_json=NO_STROKES,
            content_hash=incident.content_hash,
        )
    )
    db.flush()
    seal = seal_record(db, ctx, incident)
    incident.status = RecordStatus.CONFIRMED
    db.add(incident)
    _audit(
        db,
        ctx,
        incident,
        "confirm",
        head.id,
        payload_hash=seal.payload_hash,
        transcribed_from=form,
    )
    return incident


def transcribe_paper(
    ws: Workspace, spec: TranscriptionSpec, scan: Path, site_head: str, pin: str | None
) -> Incident:
    """What the CLI and the window call: the site head found and their PIN checked (with the
    lockout and audit every PIN has), then the record created, confirmed and sealed in one
    transaction."""
    with ws.reading() as db:
        head = site_head_of(db, spec.session, site_head)
    ws.check_pin(head.id, pin)
    ctx = Context(ws.device, _classifier(ws))
    with ws.transaction() as db:
        return transcribe(db, ctx, ws.data_dir, spec, scan, head.id, pin, limit=ws.evidence_limit)


def _classifier(ws: Workspace) -> Classifier:
    """The rule engine over the workspace's rulebooks, as every record's content is classified."""
    from app.core.rulebook.engine import classify

    def run(ref: str, facts: Mapping[str, Any]) -> tuple[dict[str, Any], str, str]:
        rulebook = ws.rulebook(ref)
        return classify(rulebook, facts).to_dict(), rulebook.id, rulebook.version

    return run


def transcription_of(content: Mapping[str, Any]) -> dict[str, Any] | None:
    """The paper record's marking in a record's content (None for a record made in the app)."""
    value = content.get(CONTENT_KEY)
    return dict(value) if isinstance(value, Mapping) else None


__all__ = [
    "CONTENT_KEY",
    "TranscriptionError",
    "TranscriptionSpec",
    "check_scan",
    "parse_spec",
    "read_spec",
    "site_head_of",
    "transcribe",
    "transcribe_paper",
    "transcription_of",
]
