"""A session's plan and rosters as JSON rows (kits carry them to the site, bundles carry them
back), and merging them into a database: missing rows are added, identical ones skipped, and a
row with the same identity but other content is a conflict.

PINs never travel. Their Argon2id hashes travel one way only: in the site kit, from the
institution to the laptop (the kit is encrypted under the site passphrase), so the proctors
sign at the site with the PINs they were given; never back in a bundle (laptop to
institution), which refuses them. A hash from the kit is taken for a staff member who has no
PIN on the laptop yet; a PIN already set on the laptop is never replaced (that would let the
kit's sender take over a signature). Whoever writes staff rows then appends the session's
signed ``staff_rows`` entry (``staff_seal.record``), or the PINs are refused as changed
outside the app. Rooms and subjects have local integer ids, so they are matched by (session,
name) instead.
"""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from app.core.records.tables import Candidate, ExamSession, Institution, Room, Staff, Subject
from app.core.sync.rows import RowError, row_from_json, row_to_json

# Ids per query (well under every engine's limit on parameters).
_CHUNK = 500

KEYS = ("institution", "session", "subjects", "rooms", "candidates", "staff")
# What an Argon2id hash looks like as argon2-cffi writes it ($argon2id$v=19$m=…,t=…,p=…$salt$hash):
# anything else in a kit's pin_hash (a PIN in the clear, another scheme) is refused.
ARGON2ID_HASH = re.compile(
    r"^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{16,}$"
)


def session_rows(db: Session, session_id: str, *, pin_hashes: bool = False) -> dict[str, Any]:
    """The session's rows as JSON; staff PIN hashes only with ``pin_hashes`` (the site kit)."""
    session = db.get(ExamSession, session_id)
    if session is None:
        raise RowError(f"session {session_id} is not in this database")
    institution = db.get(Institution, session.institution_id)
    assert institution is not None  # a foreign key

    def rows(model: Any, order: Any, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        query = select(model).where(model.session_id == session_id).order_by(order)
        return [row_to_json(r, drop=drop) for r in db.exec(query).all()]

    return {
        "institution": row_to_json(institution),
        "session": row_to_json(session),
        "subjects": rows(Subject, col(Subject.name), ("id",)),
        "rooms": rows(Room, col(Room.name), ("id",)),
        "candidates": rows(Candidate, col(Candidate.id)),
        "staff": rows(Staff, col(Staff.id), () if pin_hashes else ("pin_hash",)),
    }


def _list(value: dict[str, Any], key: str) -> list[Any]:
    items = value.get(key)
    if not isinstance(items, list):
        raise RowError(f"session rows: {key} must be a list")
    return items


def parse_session_rows(value: Any, *, pin_hashes: bool = False) -> list[SQLModel]:
    """The rows in insertion order (parents first); refuses anything malformed, and any PIN
    hash unless ``pin_hashes`` (a site kit), where each must be an Argon2id hash."""
    if not isinstance(value, dict) or set(value) != set(KEYS):
        raise RowError(f"session rows: expected exactly the keys {', '.join(KEYS)}")
    institution = row_from_json(Institution, value["institution"], "institution")
    session = row_from_json(ExamSession, value["session"], "session")
    if session.institution_id != institution.id:
        raise RowError("session rows: the session names another institution")
    out: list[SQLModel] = [institution, session]
    for key, model in (
        ("subjects", Subject),
        ("rooms", Room),
        ("candidates", Candidate),
        ("staff", Staff),
    ):
        for index, item in enumerate(_list(value, key)):
            row: Any = row_from_json(model, item, f"{key}[{index}]")
            if row.session_id != session.id:
                raise RowError(f"{key}[{index}]: belongs to another session")
            if isinstance(row, Staff) and row.pin_hash is not None:
                if not pin_hashes:
                    raise RowError(f"{key}[{index}]: PIN hashes do not travel")
                if not isinstance(row.pin_hash, str) or not ARGON2ID_HASH.match(row.pin_hash):
                    raise RowError(f"{key}[{index}]: pin_hash is not an Argon2id hash")
            out.append(row)
    return out


def _key(row: Any) -> tuple[Any, ...]:
    """What names a row here: a subject or room by its session and name, others by id."""
    if isinstance(row, Subject | Room):
        return (type(row), row.session_id, row.name)
    return (type(row), row.id)


def _existing(db: Session, rows: list[SQLModel]) -> dict[tuple[Any, ...], SQLModel]:
    """The rows already here that ``rows`` name, by ``_key``: a query per table (a roster's
    hundreds of rows arrive with every bundle of its session)."""
    by_model: dict[type[SQLModel], list[Any]] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    found: dict[tuple[Any, ...], SQLModel] = {}
    for model, group in by_model.items():
        named: Any = model  # every table here has the columns asked for
        if model in (Subject, Room):
            sessions = sorted({row.session_id for row in group})
            query = select(model).where(col(named.session_id).in_(sessions))
            found.update((_key(row), row) for row in db.exec(query).all())
            continue
        ids = sorted({row.id for row in group})
        for start in range(0, len(ids), _CHUNK):
            query = select(model).where(col(named.id).in_(ids[start : start + _CHUNK]))
            found.update((_key(row), row) for row in db.exec(query).all())
    return found


def _comparable(row: SQLModel) -> dict[str, Any]:
    drop: tuple[str, ...] = ("id",) if isinstance(row, Subject | Room) else ()
    if isinstance(row, Staff):
        # The employer came later: a laptop of a version without it sends "" for the same row.
        drop = ("pin_hash", "employer")
    if isinstance(row, ExamSession):
        # The institution's contact is the institution's to keep; a laptop of a version that
        # did not carry it sends "" for the same session.
        drop = ("contact",)
    return row_to_json(row, drop=drop)


def merge_session_rows(db: Session, rows: list[SQLModel]) -> tuple[int, list[str]]:
    """Add the missing rows in the caller's transaction; (rows added, conflicts). A staff row's
    PIN hash (a kit's) is taken where the laptop has none for that person. The caller appends
    ``staff_seal.record`` afterwards."""
    added, conflicts = 0, []
    here = _existing(db, rows)
    for row in rows:
        found = here.get(_key(row))
        if found is None:
            db.add(row)
            db.flush()
            here[_key(row)] = row  # a row given twice is compared with the first
            added += 1
        elif _comparable(found) != _comparable(row):
            label = type(row).__name__.lower()
            key = "name" if isinstance(row, Subject | Room) else "id"
            ident = getattr(row, key)
            conflicts.append(f"{label} {ident}: differs from the one already in the database")
        elif (
            isinstance(found, Staff)
            and isinstance(row, Staff)
            and found.pin_hash is None
            and row.pin_hash is not None
        ):
            found.pin_hash = row.pin_hash
            db.add(found)
            db.flush()
    return added, conflicts
