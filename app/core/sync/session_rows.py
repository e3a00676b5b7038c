"""A session's plan and rosters as JSON rows (kits carry them to the site, bundles carry them
back), and merging them into a database: missing rows are added, identical ones skipped, and a
row with the same identity but other content is a conflict.

PIN hashes never travel. Rooms and subjects have local integer ids, so they are matched by
(session, name) instead.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, SQLModel, col, select

from app.core.records.tables import Candidate, ExamSession, Institution, Room, Staff, Subject
from app.core.sync.rows import RowError, row_from_json, row_to_json

KEYS = ("institution", "session", "subjects", "rooms", "candidates", "staff")


def session_rows(db: Session, session_id: str) -> dict[str, Any]:
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
        "staff": rows(Staff, col(Staff.id), ("pin_hash",)),
    }


def _list(value: dict[str, Any], key: str) -> list[Any]:
    items = value.get(key)
    if not isinstance(items, list):
        raise RowError(f"session rows: {key} must be a list")
    return items


def parse_session_rows(value: Any) -> list[SQLModel]:
    """The rows in insertion order (parents first); refuses anything malformed."""
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
                raise RowError(f"{key}[{index}]: PIN hashes do not travel")
            out.append(row)
    return out


def _existing(db: Session, row: Any) -> SQLModel | None:
    if isinstance(row, Subject | Room):
        model = type(row)
        found: SQLModel | None = db.exec(
            select(model).where(
                col(model.session_id) == row.session_id, col(model.name) == row.name
            )
        ).first()
        return found
    found_row: SQLModel | None = db.get(type(row), row.id)
    return found_row


def _comparable(row: SQLModel) -> dict[str, Any]:
    drop: tuple[str, ...] = ("id",) if isinstance(row, Subject | Room) else ()
    if isinstance(row, Staff):
        drop = ("pin_hash",)
    return row_to_json(row, drop=drop)


def merge_session_rows(db: Session, rows: list[SQLModel]) -> tuple[int, list[str]]:
    """Add the missing rows in the caller's transaction; (rows added, conflicts)."""
    added, conflicts = 0, []
    for row in rows:
        found = _existing(db, row)
        if found is None:
            db.add(row)
            db.flush()
            added += 1
        elif _comparable(found) != _comparable(row):
            label = type(row).__name__.lower()
            key = "name" if isinstance(row, Subject | Room) else "id"
            ident = getattr(row, key)
            conflicts.append(f"{label} {ident}: differs from the one already in the database")
    return added, conflicts
