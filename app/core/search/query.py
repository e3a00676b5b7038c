"""Find people, records and cases across every session the institution holds.

One box takes any of: an ID number (exactly, normalised as the rosters normalise it: full-width
to ASCII, spaces removed, letters upper-case), a ticket number, a staff number, a record number
(``A-007``), a case id (or its first characters), or the first characters of a name. Each is
read through a B-tree index (migration 0010), so a search costs a few index probes however many
records there are; a name matching thousands of people gives the first ``MAX_HITS`` by name.

Chinese names are matched from their first character (``张`` finds ``张三`` and ``张三丰``): by
prefix of the name as the roster wrote it, not inside it (a search box for people, not a
full-text search of descriptions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.core.errors import UserError
from app.core.records import dialect
from app.core.records.status import SEALED
from app.core.rosters.idcard import mask_id_number
from app.core.rosters.idtypes import ID_TYPE_LABELS, normalize_id_number

MAX_HITS = 50
MAX_QUERY = 100  # longer than any name or number
_ID_LABELS: dict[str, str] = {t.value: label for t, label in ID_TYPE_LABELS.items()}


class SearchError(UserError):
    """A search that cannot be run (empty or too long); the message is fit to show."""


@dataclass(frozen=True)
class Hit:
    type: str  # person | incident | case
    id: str
    label: str
    session_id: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "id": self.id,
            "label": self.label,
            "session_id": self.session_id,
        }


def clean(text: str) -> str:
    """The query as searched: trimmed; refused when empty or too long."""
    text = text.strip()
    if not text:
        raise SearchError("search: give a name, ID number, ticket, record number or case id")
    if len(text) > MAX_QUERY:
        raise SearchError(f"search: at most {MAX_QUERY} characters")
    return text


def as_id_number(text: str) -> str:
    """``text`` normalised as an ID number is stored (``11010119900307451x`` → ``…X``)."""
    return normalize_id_number(text)


def looks_like_id_number(text: str) -> bool:
    """Whether ``text`` could be an ID number of any document type (5–20 letters and digits,
    a digit among them): such a search is audited, whether it finds anyone or not."""
    number = as_id_number(text)
    return (
        5 <= len(number) <= 20
        and number.isascii()
        and number.isalnum()
        and any(c.isdigit() for c in number)
    )


def _sessions(db: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    import json

    sql = (
        "SELECT id, site_name, occupation, work_type, level, evaluation_type FROM exam_session "
        f"WHERE id IN ({dialect.json_list_values(db)})"
    )
    rows = db.connection().exec_driver_sql(sql, (json.dumps(sorted(ids)),)).all()
    labels = {}
    for sid, site, occupation, work_type, level, _kind in rows:
        trade = f"{occupation}（{work_type}）" if work_type else occupation
        labels[sid] = f"{site} {trade} {level}"
    return labels


def _rows(db: Session, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in db.connection().exec_driver_sql(sql, params).all()]


def find(db: Session, text: str) -> list[Hit]:
    """The people, records in their latest version and cases ``text`` finds: exact matches of
    numbers first, then names by prefix, at most ``MAX_HITS``."""
    text = clean(text)
    number = as_id_number(text)
    m = dialect.mark(db)
    # Not replaced, without taking an index on it: a search by number or name reads its own.
    latest = dialect.is_null_unindexed(db, "superseded_by_id")
    limit = MAX_HITS
    found: list[tuple[str, tuple[Any, ...]]] = []  # (kind, row)

    def run(kind: str, sql: str, params: tuple[Any, ...]) -> None:
        found.extend((kind, row) for row in _rows(db, f"{sql} LIMIT {limit}", params))

    cand = "SELECT id, session_id, name, id_type, id_number, ticket_number FROM candidate"
    staff = "SELECT id, session_id, name, role, staff_number FROM staff"
    incident = (
        "SELECT id, session_id, number, version, clause, person_name, local_date, status "
        "FROM incident"
    )
    case = "SELECT id, session_id, person_name, party, status, id_number FROM casework_case"
    # Exactly: ID numbers, tickets, staff numbers, record numbers, case ids.
    keys = tuple(dict.fromkeys((text, number)))
    ins = ", ".join([m] * len(keys))
    run("candidate", f"{cand} WHERE id_number = {m}", (number,))
    run("case", f"{case} WHERE id_number = {m}", (number,))
    run("candidate", f"{cand} WHERE ticket_number IN ({ins})", keys)
    run("staff", f"{staff} WHERE staff_number IN ({ins})", keys)
    numbers = tuple(dict.fromkeys((text, text.upper())))
    run(
        "incident",
        f"{incident} WHERE number IN ({', '.join([m] * len(numbers))}) AND {latest}",
        numbers,
    )
    run("case", f"{case} WHERE id = {m}", (text,))
    if len(text) >= 4 and all(c in "0123456789abcdef-" for c in text.lower()):
        # A case id (a UUID) by its first characters, as `case show` takes it.
        where, params = dialect.prefix_match(db, "id", text.lower())
        run("case", f"{case} WHERE {where}", params)
    # By prefix: names, as stored (a Chinese name from its first character).
    for column_sql, kind, column in (
        (cand, "candidate", "name"),
        (staff, "staff", "name"),
        (case, "case", "person_name"),
    ):
        where, params = dialect.prefix_match(db, column, text)
        order = dialect.prefix_order(db, column)
        run(kind, f"{column_sql} WHERE {where} ORDER BY {order}", params)
    sealed = ", ".join(f"'{s.value}'" for s in SEALED)  # our own constants
    where, params = dialect.prefix_match(db, "person_name", text)
    run(
        "incident",
        f"{incident} WHERE {where} AND {latest} AND status IN ({sealed}) "
        f"ORDER BY {dialect.prefix_order(db, 'person_name')}",
        params,
    )
    return _hits(db, found)[:MAX_HITS]


def _hits(db: Session, found: list[tuple[str, tuple[Any, ...]]]) -> list[Hit]:
    sessions = _sessions(db, {row[1] for _kind, row in found if row[1] is not None})
    hits: dict[tuple[str, str], Hit] = {}
    for kind, row in found:
        ident, session_id = row[0], row[1]
        where = sessions.get(session_id, "") if session_id else "（无场次）"
        if kind == "candidate":
            _, _, name, id_type, id_number, ticket = row
            document = _ID_LABELS.get(id_type, id_type)
            label = f"{name} · 考生 · 准考证 {ticket} · {document} {mask_id_number(id_number)}"
            hit = Hit("person", ident, f"{label} · {where}", session_id)
        elif kind == "staff":
            _, _, name, role, staff_number = row
            hit = Hit(
                "person",
                ident,
                f"{name} · 工作人员 {role} · 工号 {staff_number} · {where}",
                session_id,
            )
        elif kind == "incident":
            _, _, number, version, clause, person, day, status = row
            who = person or "评价机构"
            label = f"记录 {number}/{version} · {clause or '-'} · {who} · {day} · {status}"
            hit = Hit("incident", ident, f"{label} · {where}", session_id)
        else:
            _, _, person, party, status, id_number = row
            shown = f" · {mask_id_number(id_number)}" if id_number else ""
            label = f"案件 {ident[:8]} · {person}{shown} · {party} · {status}"
            hit = Hit("case", ident, f"{label} · {where}", session_id)
        hits.setdefault((hit.type, hit.id), hit)
    return list(hits.values())
