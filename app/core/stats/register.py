"""The incident register: one row per record in force, with the hash its seal covers.

The rows the statistics count (``counts``), each with its session's site and trade, the person
it concerns (ID number in full: the register is the institution's own, for its archive and its
regulator) and the seal's payload hash, by which a printed or exported row is matched to the
sealed record (``verify``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from app.core.records import dialect
from app.core.records.status import SEALED
from app.core.stats.counts import NONE, ArticleOf, check_range, date_range_sql


@dataclass(frozen=True)
class RegisterRow:
    incident_date: dt.date
    site: str
    trade: str  # occupation (work type) and level
    evaluation_type: str
    number: str  # paper-log number/version
    party: str
    article: str
    clause: str
    person: str
    id_type: str
    id_number: str  # of a candidate, or a staff member's staff number
    sealed_hash: str  # the seal's payload hash
    content_hash: str
    incident_id: str
    session_id: str


def register_rows(
    db: Session,
    article_of: ArticleOf,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[RegisterRow]:
    """The records in force within the dates, by date, site and number."""
    check_range(date_from, date_to)
    sealed = ", ".join(f"'{s.value}'" for s in SEALED)  # our own constants
    dates, params = date_range_sql(db, "i.local_date", date_from, date_to)
    id_type = dialect.json_text(db, "c.content_json", "person", "id_type")
    id_number = dialect.json_text(db, "c.content_json", "person", "id_number")
    staff_number = dialect.json_text(db, "c.content_json", "person", "staff_number")
    sql = (
        "SELECT i.local_date, s.site_name, s.occupation, s.work_type, s.level, "
        "s.evaluation_type, i.number, i.version, i.party, i.rulebook_id, i.clause, "
        f"i.person_name, {id_type}, {id_number}, {staff_number}, seal.payload_hash, "
        "i.content_hash, i.id, i.session_id "
        "FROM incident i "
        "JOIN exam_session s ON s.id = i.session_id "
        "LEFT JOIN incident_content c ON c.incident_id = i.id "
        "LEFT JOIN seal ON seal.incident_id = i.id "
        f"WHERE i.superseded_by_id IS NULL AND i.status IN ({sealed}){dates} "
        "ORDER BY i.local_date, s.site_name, i.number"
    )
    rows = []
    for (
        day, site, occupation, work_type, level, kind, number, version, party, rulebook_id,
        clause, person, doc_type, doc_number, staff_no, payload_hash, content_hash, iid, sid,
    ) in db.connection().exec_driver_sql(sql, tuple(params)):  # fmt: skip
        article = None if clause is None else article_of(rulebook_id, clause)
        trade = f"{occupation}（{work_type}）" if work_type else occupation
        rows.append(
            RegisterRow(
                incident_date=dt.date.fromisoformat(day),
                site=site,
                trade=f"{trade} {level}",
                evaluation_type=kind,
                number=f"{number}/{version}",
                party=party,
                article=NONE if article is None else str(article),
                clause=clause or NONE,
                person=person or "",
                id_type=doc_type or ("staff_number" if staff_no else ""),
                id_number=doc_number or staff_no or "",
                sealed_hash=payload_hash or "",
                content_hash=content_hash,
                incident_id=iid,
                session_id=sid,
            )
        )
    return rows
