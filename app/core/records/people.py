"""Candidates and staff of a session: persisting roster rows, and checking staff PINs."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from sqlmodel import Session, col, select

from app.core.errors import UserError
from app.core.records.sessions import rooms_of
from app.core.records.tables import Candidate, Staff
from app.core.rulebook.model import StaffRole

if TYPE_CHECKING:
    from app.core.rosters.rows import CandidateRow, StaffRow


class RosterImportError(UserError):
    """An import refused as a whole; the message lists every problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__(
            "nothing imported; fix these rows and import again:\n  " + "\n  ".join(problems)
        )
        self.problems = list(problems)


class PinError(UserError):
    """A missing or wrong PIN, or a staff member who has none yet.

    ``name`` is the staff member's and ``reason`` is ``"missing"``, ``"wrong"`` or
    ``"no_pin"``, so an interface can say it in its own language; the message stays the CLI's
    English.
    """

    def __init__(
        self,
        message: str,
        name: str,
        reason: Literal["missing", "wrong", "no_pin"],
        staff_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.name = name
        self.reason = reason
        self.staff_id = staff_id  # whose PIN was wrong (``pin_guard`` counts it)


def hash_pin(pin: str) -> str:
    from argon2 import PasswordHasher

    return PasswordHasher().hash(pin)


# Successful checks only, keyed by an HMAC under a key that lives as long as the process: a
# proctor signing a second record is not made to wait for Argon2 again, a wrong PIN is always
# hashed (and counted), and a changed PIN has another hash, so another key.
_PROCESS_KEY = secrets.token_bytes(32)
_VERIFIED: set[bytes] = set()


def pin_matches(pin_hash: str | None, pin: str | None) -> bool:
    """Whether ``pin`` is the PIN ``pin_hash`` was made from (False without either)."""
    if not pin_hash or not pin:
        return False
    token = hmac.new(_PROCESS_KEY, f"{pin_hash}\0{pin}".encode(), hashlib.sha256).digest()
    if token in _VERIFIED:
        return True
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        PasswordHasher().verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
    _VERIFIED.add(token)
    return True


def check_pin(staff: Staff, pin: str | None) -> None:
    """Raise ``PinError`` unless ``pin`` is the staff member's own PIN.

    No one's name is recorded under a signature without their own PIN (Art. 16 asks for the
    staff's signatures): a staff member without a PIN cannot sign, witness, confirm or void
    until the site head gives them one.
    """
    if staff.pin_hash is None:
        raise PinError(
            f"PIN: {staff.name} has no PIN yet; the site head gives them one before they sign",
            staff.name,
            "no_pin",
            staff.id,
        )
    if not pin:
        raise PinError(f"PIN: {staff.name} has a PIN; enter it to sign", staff.name, "missing")
    if not pin_matches(staff.pin_hash, pin):
        raise PinError(
            f"PIN: wrong PIN for {staff.name}; try again", staff.name, "wrong", staff.id
        )


def _where(line: int, entry: int, name: str) -> tuple[str, str]:
    """Where a row is, as the roster checks say it: by its row in the file when it came from
    one (as the person sees it in the spreadsheet), else by its place in the list."""
    if line:
        return f"第{line}行（{name}）：", f"row {line}"
    return f"第{entry}条（{name}）：", f"entry {entry}"


def import_candidates(db: Session, session_id: str, rows: Sequence[CandidateRow]) -> int:
    """Add all rows or none (the caller commits); entries are numbered from 1 in file order."""
    rooms = rooms_of(db, session_id)
    existing = db.exec(
        select(Candidate.ticket_number, Candidate.id_number, Candidate.room, Candidate.seat).where(
            col(Candidate.session_id) == session_id
        )
    ).all()
    tickets = {t for t, _, _, _ in existing}
    ids = {i for _, i, _, _ in existing}
    seats = {(r, s) for _, _, r, s in existing}
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        zh, en = _where(row.line, number, row.name)
        if row.ticket_number in tickets:
            problems.append(
                f"{zh}准考证号{row.ticket_number}已在本场次名单中 "
                f"({en}: ticket {row.ticket_number} is already in this session)"
            )
        if row.id_number in ids:
            problems.append(
                f"{zh}证件号码{row.id_number}已在本场次名单中 "
                f"({en}: ID {row.id_number} is already in this session)"
            )
        if row.room not in rooms:
            problems.append(
                f"{zh}本场次没有考场“{row.room}” ({en}: no room '{row.room}' in this session)"
            )
        elif not 1 <= row.seat <= rooms[row.room]:
            problems.append(
                f"{zh}{row.room}没有{row.seat}号座位 "
                f"({en}: seat {row.seat} does not exist in {row.room})"
            )
        elif (row.room, row.seat) in seats:
            problems.append(
                f"{zh}{row.room}的{row.seat}号座位已有考生 "
                f"({en}: seat {row.seat} in {row.room} is already taken)"
            )
        tickets.add(row.ticket_number)
        ids.add(row.id_number)
        seats.add((row.room, row.seat))
    if problems:
        raise RosterImportError(problems)
    for row in rows:
        db.add(
            Candidate(
                id=str(uuid.uuid4()),
                session_id=session_id,
                name=row.name,
                id_type=row.id_type,
                id_number=row.id_number,
                ticket_number=row.ticket_number,
                room=row.room,
                seat=row.seat,
                photo=row.photo,
            )
        )
    return len(rows)


def import_staff(db: Session, session_id: str, rows: Sequence[StaffRow]) -> int:
    """Add all staff rows or none; PINs are stored only as argon2 hashes."""
    known_roles = {r.value for r in StaffRole}
    numbers = set(
        db.exec(select(Staff.staff_number).where(col(Staff.session_id) == session_id)).all()
    )
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        zh, en = _where(row.line, number, row.name)
        if row.role not in known_roles:
            problems.append(
                f"{zh}角色“{row.role}”无法识别 "
                f"({en}: unknown role '{row.role}'; use one of {', '.join(sorted(known_roles))})"
            )
        if row.staff_number in numbers:
            problems.append(
                f"{zh}工号{row.staff_number}已在本场次名单中 "
                f"({en}: staff number {row.staff_number} is already in this session)"
            )
        numbers.add(row.staff_number)
    if problems:
        raise RosterImportError(problems)
    for row in rows:
        db.add(
            Staff(
                id=str(uuid.uuid4()),
                session_id=session_id,
                name=row.name,
                role=row.role,
                staff_number=row.staff_number,
                pin_hash=row.pin_hash or (hash_pin(row.pin) if row.pin else None),
                employer=row.employer,
            )
        )
    return len(rows)


def staff_of(db: Session, session_id: str) -> list[Staff]:
    return list(db.exec(select(Staff).where(col(Staff.session_id) == session_id)).all())


def candidates_of(db: Session, session_id: str) -> list[Candidate]:
    return list(
        db.exec(
            select(Candidate)
            .where(col(Candidate.session_id) == session_id)
            .order_by(col(Candidate.room), col(Candidate.seat))
        ).all()
    )
