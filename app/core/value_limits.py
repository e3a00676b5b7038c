"""What a value read from outside (a bundle, a kit) may hold before it reaches the database or
a path: ids are UUIDs, text is bounded and free of control and direction-override characters,
integers fit SQLite's, instants lie between 2000 and (about) now.

A correct signature only says which device sent a value, not that the value is sane: a device
key in the wrong hands signs anything. These checks name the record and the field they refuse.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from app.core.errors import UserError

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
UUID_FORM = _UUID  # what an id column's text must match in full
# C0 and C1 controls, and the characters that reorder what is shown (U+202A–U+202E
# embeddings and overrides, U+2066–U+2069 isolates, U+200E/U+200F marks, U+061C): a name with
# U+202E shows "张三5432" as "张三2345", a file name "record\u202efdp.exe" as "recordexe.pdf".
_CONTROLS = "\x00-\x1f\x7f-\x9f"
_DIRECTION = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_FORBIDDEN = re.compile(f"[{_CONTROLS}{_DIRECTION}]")
# Free text (a reason, JSON held as text) may break lines and hold tabs, and keeps what the
# person typed otherwise: the rules on direction characters are for names, which lists and
# file names show side by side.
_FORBIDDEN_IN_FREE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

NAME_CHARS = 200  # a name, number, code, room, role: far above any real one
INT_MAX = 2**63 - 1  # SQLite's INTEGER
EARLIEST = "2000-01-01T00:00:00.000000Z"
# A laptop clock a little fast is not an attack; a record dated next year is.
CLOCK_SLACK = dt.timedelta(days=2)
PLAN_AHEAD = dt.timedelta(days=366)  # a session's sittings may be planned ahead

# Columns holding more than a name, per column name: (limit in characters, free text).
# JSON held as text is only bounded: it is never shown as it is, and strokes run long.
_TEXT: dict[str, tuple[int, bool | None]] = {
    "content_json": (16 * 1024 * 1024, None),  # canonical JSON: no raw controls in it
    "strokes_json": (4 * 1024 * 1024, None),
    "details_json": (4 * 1024 * 1024, None),
    "scope_json": (64 * 1024, None),
    "void_reason": (2000, True),
    "site_address": (500, False),
    "contact": (200, False),
}
# Columns that name a row: a UUID as the app makes them (lower-case, with hyphens).
UUID_COLUMNS = frozenset(
    {
        "id",
        "session_id",
        "institution_id",
        "incident_id",
        "device_id",
        "entry_device_id",
        "supersedes_id",
        "superseded_by_id",
        "staff_id",
        "candidate_id",
        "recorded_by",
    }
)
PLAN_INSTANTS = frozenset({"starts_at", "ends_at"})


class LimitViolation(UserError):
    """A value from outside beyond what the app accepts; the message names where."""


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def check_uuid(value: Any, what: str) -> str:
    if not is_uuid(value):
        raise LimitViolation(f"{what} is not an id of the form the app makes (a UUID)")
    return str(value)


def check_text(value: str, what: str, limit: int = NAME_CHARS, *, free: bool | None = False) -> str:
    """``value`` at most ``limit`` characters; a name (``free`` false) without control or
    direction characters, free text without controls but line breaks and tabs, JSON held
    as text (``free`` None) only bounded."""
    if len(value) > limit:
        raise LimitViolation(f"{what} is {len(value):,} characters long; the limit is {limit:,}")
    if free is None:
        return value
    found = (_FORBIDDEN_IN_FREE_TEXT if free else _FORBIDDEN).search(value)
    if found is not None:
        raise LimitViolation(
            f"{what} holds the control or direction character U+{ord(found.group()):04X}"
        )
    return value


def shown(text: str, limit: int = 80) -> str:
    """``text`` fit to quote in a message: controls and direction characters written as
    <U+202E>, so a name cannot reorder the message that names it; long text cut short."""
    cut = text[:limit] + ("…" if len(text) > limit else "")
    return _FORBIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", cut)


def check_int(value: int, what: str, low: int = 0, high: int = INT_MAX) -> int:
    if not low <= value <= high:
        raise LimitViolation(f"{what} is {value}, outside {low}…{high}")
    return value


_LATEST: dict[bool, tuple[float, str]] = {}


def latest(plan: bool = False, now: dt.datetime | None = None) -> str:
    """The latest instant accepted, as stored text (which sorts in time order); worked out
    once a minute (an import checks it for every instant of 10,000 records)."""
    clock = time.monotonic()
    cached = _LATEST.get(plan)
    if now is None and cached is not None and clock - cached[0] < 60:
        return cached[1]
    when = (now or dt.datetime.now(dt.UTC)) + (PLAN_AHEAD if plan else CLOCK_SLACK)
    text = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if now is None:
        _LATEST[plan] = (clock, text)
    return text


def check_instant_text(value: str, what: str, *, plan: bool = False) -> str:
    """``value`` in the stored form (checked by the caller) between 2000 and about now."""
    if value < EARLIEST or value > latest(plan):
        raise LimitViolation(
            f"{what} is {value[:10]}: not a date a record of this app can have "
            "(before 2000 or ahead of this computer's clock)"
        )
    return value


def text_rule(column: str) -> tuple[int, bool | None]:
    """(limit in characters, free) of a text column that is not an id, as ``check_column``
    holds it: ``free`` as in ``check_text``."""
    return _TEXT.get(column, _NAME)


def check_column(column: str, value: Any, what: str) -> None:
    """The limits of one column's value (its type already checked). The message is only
    built for a value refused: this runs for every column of 10,000 records."""
    kind = type(value)
    if kind is str:
        if column in UUID_COLUMNS:
            if _UUID.fullmatch(value) is None:
                check_uuid(value, f"{what}: field {column}")
            return
        limit, free = _TEXT.get(column, _NAME)
        # isprintable() is false for every control and direction character (and for a few
        # harmless ones, such as U+3000): only then is the slower search needed.
        if len(value) > limit or (free is not None and not value.isprintable()):
            check_text(value, f"{what}: field {column}", limit, free=free)
    elif kind is int and not 0 <= value <= INT_MAX:
        check_int(value, f"{what}: field {column}")


_NAME: tuple[int, bool | None] = (NAME_CHARS, False)
