"""Screening people against the register: who of them is barred on a day (or on any day of a
sitting), matched by the normalised ID number; a name that differs from the register's is
flagged, never a reason to pass over the match.

A roster file is read here as roster import reads it (``rosters.table``, the same columns and
row messages), but only for what screening needs (name, ID type, ID number): a row that cannot
be read is reported with its row and column and the rest are screened; a file that cannot be
read at all is a ``RosterError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from app.core.records.register_tables import RegisterEntry
from app.core.rosters.binding import RowView, bind
from app.core.rosters.columns import CANDIDATE_COLUMNS
from app.core.rosters.idtypes import (
    ID_TYPE_LABELS,
    IdType,
    check_id_number,
    normalize_id_number,
    parse_id_type,
)
from app.core.rosters.problems import Reason, RosterError, RosterProblem
from app.core.rosters.table import read_table
from app.core.rosters.text import clean, fold

_CHUNK = 500  # keys per IN (…): well under every engine's parameter limit
SCREEN_COLUMNS = tuple(c for c in CANDIDATE_COLUMNS if c.key in ("name", "id_type", "id_number"))


@dataclass(frozen=True)
class Person:
    """Someone to screen: a roster row (``row``: its row in the file) or a candidate."""

    row: int
    name: str
    id_type: str
    id_number: str  # normalised
    ref: str = ""  # the candidate's id, when it is one


@dataclass(frozen=True)
class Match:
    person: Person
    entry: RegisterEntry

    @property
    def name_mismatch(self) -> bool:
        return _name_key(self.person.name) != _name_key(self.entry.person_name)


def _name_key(name: str) -> str:
    return "".join(fold(name).split())


def active_clause(first: str, last: str) -> list[object]:
    """The conditions of an entry in force on some day of ``first``..``last`` (inclusive)."""
    return [
        col(RegisterEntry.superseded_by).is_(None),
        col(RegisterEntry.first_day).is_not(None),
        col(RegisterEntry.first_day) <= last,
        col(RegisterEntry.last_day) >= first,
    ]


def active_entries(db: Session, on: dt.date) -> list[RegisterEntry]:
    """The entries in force on ``on`` (first and last day included)."""
    day = on.isoformat()
    return list(
        db.exec(
            select(RegisterEntry)
            .where(*active_clause(day, day))  # type: ignore[arg-type]
            .order_by(
                col(RegisterEntry.person_name), col(RegisterEntry.id_key), col(RegisterEntry.id)
            )
        ).all()
    )


def screen(
    db: Session, people: Sequence[Person], first: dt.date, last: dt.date | None = None
) -> list[Match]:
    """The people barred on some day of ``first``..``last`` (one day when ``last`` is None),
    each with the entry whose ban lasts longest, in the order given."""
    days = (first.isoformat(), (last or first).isoformat())
    keys = sorted({p.id_number for p in people if p.id_number})
    found: dict[str, RegisterEntry] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        for entry in db.exec(
            select(RegisterEntry).where(
                col(RegisterEntry.id_key).in_(chunk),
                *active_clause(*days),  # type: ignore[arg-type]
            )
        ).all():
            held = found.get(entry.id_key)
            if held is None or (entry.last_day or "") > (held.last_day or ""):
                found[entry.id_key] = entry
    return [Match(p, found[p.id_number]) for p in people if p.id_number in found]


def read_people(path: Path) -> tuple[list[Person], list[RosterProblem]]:
    """The roster's readable rows, and a problem for each row that is not (as roster import
    words it); ``RosterError`` when the file itself cannot be read."""
    table = read_table(path)
    binding, problems = bind(table, SCREEN_COLUMNS)
    if problems:
        raise RosterError(str(path), problems)
    people: list[Person] = []
    for number, cells in table.rows:
        row = RowView(table, binding, number, cells, problems)
        person = _person(row)
        if person is not None:
            people.append(person)
    problems.sort(key=lambda p: (p.row or 0, binding.index.get(p.field or "", 0)))
    return people, problems


_EMPTY = Reason("不能为空，请填写", "must not be empty; fill it in")
_ROUNDED = Reason(
    "Excel 把它当作数字保存，末尾几位已变成0；请把本列设为“文本”格式后重新输入",
    "Excel saved it as a number and lost its last digits; format the column as Text and "
    "type it again",
)


def _person(row: RowView) -> Person | None:
    name = clean(row.raw("name"))
    if not name:
        row.report("name", _EMPTY)
    type_text = clean(row.raw("id_type"))
    id_type: IdType | None = IdType.RESIDENT_ID
    if type_text:
        id_type = parse_id_type(type_text)
        if id_type is None:
            row.report(
                "id_type",
                Reason(
                    f"无法识别的证件类型“{type_text}”，应为：{'、'.join(ID_TYPE_LABELS.values())}",
                    f"unknown ID type '{type_text}'; use one of: "
                    f"{', '.join(t.value for t in IdType)}",
                ),
            )
    number = ""
    if row.rounded("id_number"):
        row.report("id_number", _ROUNDED)
    else:
        number = normalize_id_number(row.raw("id_number"))
        if not number:
            row.report("id_number", _EMPTY)
        elif id_type is not None:
            reason = check_id_number(id_type, number)
            if reason is not None:
                row.report("id_number", reason)
                number = ""
    if not name or id_type is None or not number:
        return None
    return Person(row.number, name, id_type.value, number)


def people_of(candidates: Iterable[tuple[str, str, str, str]]) -> list[Person]:
    """Persons of (candidate id, name, ID type, ID number) rows, numbered from 1."""
    return [
        Person(i, name, id_type, normalize_id_number(number), ref)
        for i, (ref, name, id_type, number) in enumerate(candidates, start=1)
    ]
