"""The parsed rows handed to the records service: plain, immutable, already validated."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CandidateRow:
    name: str
    id_type: str  # an ``IdType`` value, e.g. "resident_id"
    id_number: str  # normalised: ASCII, upper-case, no spaces
    ticket_number: str
    room: str  # the room's key exactly as in the ``rooms`` mapping given to the parser
    seat: int
    photo: str | None  # as written in the file (a file name next to the roster), or None
    # Its row in the roster file (0: not from a file), to name it in problems; not content.
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class StaffRow:
    name: str
    role: str  # a ``StaffRole`` value, e.g. "exam_admin"
    staff_number: str  # 工号 or assessor certificate number
    pin: str | None  # 4–8 digits, or None when the file gives none
    # Its row in the roster file (0: not from a file), to name it in problems; not content.
    line: int = field(default=0, compare=False)
    employer: str = ""  # 工作单位, where the roster gives one (printed on a record about them)
    # An Argon2 hash made elsewhere (the demo's shared PIN), stored as given instead of ``pin``.
    pin_hash: str | None = field(default=None, compare=False, repr=False)
