"""Cases from an import: one per person per session, holding that person's records in force.

A record is in force when it is sealed (confirmed or exported), not voided and not replaced by
a newer version. The import hands in the ids of the records its bundle brought; the people
they concern get a case (``opened``), or their case a ``records_changed`` step when what it
holds changed. While a case is open (or with the regulator) its handling is the engine's
reading of what it holds, worked out when it is looked at (``outcome.live``); once determined,
the handling stays as it was and the step says the records changed (``views.show`` names it).

Built for a bundle of 10,000 records in one transaction: who each record concerns is read by
the database from the records' JSON (no record is parsed here), the rows are written in bulk
(``dialect.insert_rows``), and one audit entry covers the steps the import took.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from app.core.casework import cases
from app.core.casework.handling import sorted_clauses
from app.core.casework.states import Status, Step
from app.core.casework.tables import CaseRow
from app.core.records import audit, dialect
from app.core.records.casework_tables import CaseListRow, list_clauses
from app.core.records.status import SEALED
from app.core.records.tables import (
    ExamSession,
    to_utc_text,
)
from app.core.rulebook import DEFAULT_RULEBOOK_ID
from app.core.rulebook.model import Party
from app.core.seal.device_keys import DeviceKey

INSTITUTION_KEY = "institution"
_CHUNK = 500


@dataclass(frozen=True)
class _Person:
    party: str
    key: str  # candidate id, staff id, or "institution"
    name: str
    id_type: str | None
    id_number: str | None


def live_outcome(clauses: Sequence[str]) -> str:
    """The stored outcome of a case whose handling is worked out when it is looked at."""
    return cases.dumps({"live": True, "clauses": sorted_clauses(list(clauses))})


def _who(db: Session, ids: Sequence[str]) -> dict[str, _Person]:
    """Whom each record concerns. The session's roster names the person whose name is the
    record's (the record was made from it); where a name is not there once, the database reads
    the person out of the record's content, and only that small part is parsed."""
    if not ids:
        return {}
    sql = (
        "SELECT id, party, person_name, session_id FROM incident "
        f"WHERE id IN ({dialect.json_list_values(db)})"
    )
    rows = list(db.connection().exec_driver_sql(sql, (json.dumps(list(ids)),)))
    return _who_of_rows(db, [tuple(r) for r in rows])


def _who_of_rows(db: Session, rows: Sequence[tuple[Any, ...]]) -> dict[str, _Person]:
    """``_who`` for rows (id, party, person name, session id) already read."""
    rosters = {str(s): _roster(db, str(s)) for s in {r[3] for r in rows}}
    found: dict[str, _Person] = {}
    unsure: list[str] = []
    for ident, party, name, session_id in rows:
        roster = rosters[str(session_id)]
        entries = roster.get((party, name if party != Party.INSTITUTION else None), [])
        if len(entries) == 1:
            found[ident] = entries[0]
        else:
            unsure.append(ident)
    found.update(_who_by_content(db, unsure))
    return found


def _roster(db: Session, session_id: str) -> dict[tuple[str, str | None], list[_Person]]:
    """(party, name) -> the people of the session's roster of that name; the institution under
    (institution, None)."""
    roster: dict[tuple[str, str | None], list[_Person]] = {}
    # The columns only, not models: an import asks for its session's roster once per bundle.
    connection, mark = db.connection(), dialect.mark(db)
    for ident, name, id_type, id_number in connection.exec_driver_sql(
        f"SELECT id, name, id_type, id_number FROM candidate WHERE session_id = {mark}",
        (session_id,),
    ):
        person = _Person(Party.CANDIDATE, ident, name, id_type, id_number)
        roster.setdefault((Party.CANDIDATE, name), []).append(person)
    for ident, name, number in connection.exec_driver_sql(
        f"SELECT id, name, staff_number FROM staff WHERE session_id = {mark}", (session_id,)
    ):
        person = _Person(Party.STAFF, ident, name, "staff_number", number)
        roster.setdefault((Party.STAFF, name), []).append(person)
    institution = connection.exec_driver_sql(
        "SELECT i.name, i.filing_code FROM exam_session s JOIN institution i "
        f"ON i.id = s.institution_id WHERE s.id = {mark}",
        (session_id,),
    ).first()
    if institution is not None:
        name, filing_code = institution
        roster[(Party.INSTITUTION, None)] = [
            _Person(Party.INSTITUTION, INSTITUTION_KEY, name, "filing_code", filing_code)
        ]
    return roster


def _who_by_content(db: Session, ids: Sequence[str]) -> dict[str, _Person]:
    if not ids:
        return {}
    person = dialect.json_text(db, "c.content_json", "person")
    institution = dialect.json_text(db, "c.content_json", "session", "institution")
    sql = (
        f"SELECT i.id, i.party, CASE WHEN i.party = 'institution' THEN {institution} "
        f"ELSE {person} END FROM incident i JOIN incident_content c ON c.incident_id = i.id "
        f"WHERE i.id IN ({dialect.json_list_values(db)})"
    )
    found = {}
    for ident, party, text in db.connection().exec_driver_sql(sql, (json.dumps(list(ids)),)):
        value = json.loads(text) if text else None
        if not isinstance(value, dict):
            continue
        if party == Party.INSTITUTION:
            found[ident] = _Person(
                party, INSTITUTION_KEY, value["name"], "filing_code", value.get("filing_code")
            )
        elif party == Party.STAFF:
            found[ident] = _Person(
                party, value["id"], value["name"], "staff_number", value.get("staff_number")
            )
        else:
            found[ident] = _Person(
                party, value["id"], value["name"], value.get("id_type"), value.get("id_number")
            )
    return found


def _in_force(
    db: Session, session_id: str, names: Sequence[str], institution: bool
) -> list[tuple[str, str, str | None, str | None]]:
    """(id, party, person name, clause) of the session's records in force that concern one
    of ``names`` (or the institution)."""
    mark = dialect.mark(db)
    sealed = ", ".join(f"'{s.value}'" for s in SEALED)  # our own constants
    head = (
        "SELECT id, party, person_name, clause FROM incident "
        f"WHERE session_id = {mark} AND superseded_by_id IS NULL AND status IN ({sealed}) "
    )
    connection = db.connection()
    rows: list[tuple[str, str, str | None, str | None]] = []
    if names:
        sql = (
            head + f"AND party != 'institution' AND person_name IN ({dialect.json_list_values(db)})"
        )
        rows += [
            tuple(r) for r in connection.exec_driver_sql(sql, (session_id, json.dumps(list(names))))
        ]
    if institution:
        sql = head + "AND party = 'institution'"
        rows += [tuple(r) for r in connection.exec_driver_sql(sql, (session_id,))]
    return rows


def _relevant(db: Session, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    """The records ``ids`` and those they replace (a newer version arrived): (clause, in
    force, party, person name, session id) of each."""
    sealed = ", ".join(f"'{s.value}'" for s in SEALED)  # our own constants
    head = (
        f"SELECT id, clause, status IN ({sealed}) AND superseded_by_id IS NULL, party, "
        f"person_name, session_id FROM incident WHERE {{}} IN ({dialect.json_list_values(db)})"
    )
    listed = (json.dumps(list(ids)),)
    connection = db.connection()
    # Two lookups, each by its index (an OR of the two would read the whole table).
    rows = [
        *connection.exec_driver_sql(head.format("id"), listed),
        *connection.exec_driver_sql(head.format("superseded_by_id"), listed),
    ]
    return {str(r[0]): (r[1], bool(r[2]), r[3], r[4], r[5]) for r in rows}


def _holders(db: Session, ids: Sequence[str]) -> dict[str, CaseRow]:
    """Record id -> the case holding it, among ``ids``: which ones by one query on the key
    (most of an import's records are new, held by none), then the few cases themselves."""
    sql = (
        "SELECT incident_id, case_id FROM casework_case_record "
        f"WHERE incident_id IN ({dialect.json_list_values(db)})"
    )
    held: dict[str, str] = dict(
        db.connection().exec_driver_sql(sql, (json.dumps(list(ids)),)).all()
    )
    if not held:
        return {}
    found: dict[str, CaseRow] = {}
    case_ids = sorted(set(held.values()))
    for start in range(0, len(case_ids), _CHUNK):
        for row in db.exec(
            select(CaseRow)
            .where(col(CaseRow.id).in_(case_ids[start : start + _CHUNK]))
            .execution_options(populate_existing=True)
        ).all():
            found[row.id] = row
    return {str(incident): found[case] for incident, case in held.items()}


def _held_clauses(db: Session, case_id: str) -> list[str]:
    sql = (
        "SELECT DISTINCT i.clause FROM casework_case_record r JOIN incident i "
        f"ON i.id = r.incident_id WHERE r.case_id = {dialect.mark(db)}"
    )
    return [str(r[0]) for r in db.connection().exec_driver_sql(sql, (case_id,)) if r[0]]


def _clauses_after(
    db: Session,
    case: CaseRow,
    added: Sequence[str],
    removed: Sequence[str],
    relevant: Mapping[str, tuple[Any, ...]],
) -> list[str]:
    """The clauses a live case holds once the records ``added`` came and ``removed`` left
    (those are already taken out; the added ones are not written yet). When none left and its
    stored outcome is a live one (the clauses of the records it held), those and the added
    records' clauses: a person's case grows by one bundle's records without reading all it
    held before. Otherwise the clauses of the records it holds are read, with the added ones'."""
    joining = [str(relevant[i][0]) for i in added if relevant[i][0]]
    stored = cases.loads(case.outcome_json)
    if not removed and isinstance(stored, dict) and stored.get("live") is True:
        held = stored.get("clauses")
        if isinstance(held, list) and all(isinstance(c, str) for c in held):
            return [*held, *joining]
    return [*_held_clauses(db, case.id), *joining]


def open_cases_for_import(
    db: Session, device: DeviceKey, session_id: str, incident_ids: Sequence[str]
) -> list[str]:
    """Open or bring up to date the cases of the people the records ``incident_ids`` concern
    (those an import just added or changed), in the import's transaction; the ids of the
    cases opened or changed.

    Only those records (and the versions they replace) can have come into force or left it;
    a person's other records are looked for once, when the person's case is opened (records
    imported before casework existed)."""
    if not incident_ids:
        return []
    cases.begin(db)
    relevant = _relevant(db, list(dict.fromkeys(incident_ids)))
    ids = sorted(relevant)
    who = _who_of_rows(db, [(i, r[2], r[3], r[4]) for i, r in relevant.items()])
    holders = _holders(db, ids)  # record id -> the case holding it
    people: dict[tuple[str, str], _Person] = {
        (p.party, p.key): p for i, p in who.items() if relevant[i][1]
    }
    for row in holders.values():
        people.setdefault(
            (row.party, row.person_key),
            _Person(row.party, row.person_key, row.person_name, row.id_type, row.id_number),
        )
    if not people:
        return []
    existing: dict[str, CaseRow] = {c.person_key: c for c in holders.values()}
    keys = sorted({key for _party, key in people} - set(existing))
    for start in range(0, len(keys), _CHUNK):
        for row in db.exec(
            select(CaseRow)
            .where(
                col(CaseRow.session_id) == session_id,
                col(CaseRow.person_key).in_(keys[start : start + _CHUNK]),
            )
            .execution_options(populate_existing=True)
        ).all():
            existing[row.person_key] = row
    newcomers = [p for (_party, key), p in people.items() if key not in existing]
    first_records = _first_records(db, session_id, newcomers, who)
    session = db.get(ExamSession, session_id)
    rulebook_id = session.rulebook_id if session is not None else DEFAULT_RULEBOOK_ID
    at = cases.now()
    stamp = to_utc_text(at)
    new_cases: list[tuple[object, ...]] = []
    new_holdings: list[tuple[object, ...]] = []
    new_steps: list[tuple[object, ...]] = []
    new_listed: list[tuple[object, ...]] = []  # what the list keeps of each new case
    list_changes: list[tuple[str, str]] = []  # (case, clauses) of a case whose records changed
    opened: list[str] = []
    changed: list[list[object]] = []
    for (party, key), person in sorted(people.items()):
        case = existing.get(key)
        if case is None:
            records = first_records.get(key, {})
            if not records:
                continue
            case_id = cases.new_id()
            status = Status.WITH_REGULATOR if party == Party.INSTITUTION else Status.OPEN
            clauses = [c for c in records.values() if c]
            outcome = live_outcome(clauses)
            new_cases.append(
                (case_id, session_id, party, key, person.name, person.id_type, person.id_number,
                 status.value, 1, rulebook_id, "{}", outcome, stamp, stamp)
            )  # fmt: skip
            new_listed.append(
                (case_id, status.value, party, session_id, stamp, list_clauses(outcome))
            )
            new_holdings += [(case_id, i) for i in sorted(records)]
            details = {"from": "import", "incident_ids": sorted(records)}
            new_steps.append((case_id, 1, Step.OPENED.value, stamp, cases.dumps(details)))
            opened.append(case_id)
            continue
        belongs = {i for i, p in who.items() if p.key == key and relevant[i][1]}
        held = {i for i, holder in holders.items() if holder.id == case.id}
        added, removed = sorted(belongs - held), sorted(held - belongs)
        if not added and not removed:
            continue
        if removed:
            db.connection().exec_driver_sql(
                f"DELETE FROM casework_case_record WHERE case_id = {dialect.mark(db)} "
                f"AND incident_id IN ({dialect.json_list_values(db)})",
                (case.id, json.dumps(removed)),
            )
        new_holdings += [(case.id, i) for i in added]  # written with the others, below
        live = case.status in (Status.OPEN, Status.WITH_REGULATOR)
        changes: dict[str, str] = {}
        if live:
            outcome = live_outcome(_clauses_after(db, case, added, removed, relevant))
            changes = {"outcome_json": outcome}
            list_changes.append((case.id, list_clauses(outcome)))
        version = cases.bump(db, case, case.version, at, changes)
        change: dict[str, object] = {
            "added": added,
            "removed": removed,
            "status": case.status,
            "handling_recomputed": live,
        }
        new_steps.append((case.id, version, Step.RECORDS_CHANGED.value, stamp, cases.dumps(change)))
        changed.append([case.id, version])
    dialect.insert_rows(
        db,
        "casework_case",
        ["id", "session_id", "party", "person_key", "person_name", "id_type", "id_number",
         "status", "version", "rulebook_id", "facts_json", "outcome_json", "created_at",
         "updated_at"],
        new_cases,
    )  # fmt: skip
    dialect.insert_rows(db, "casework_case_record", ["case_id", "incident_id"], new_holdings)
    dialect.insert_rows(
        db,
        "casework_case_list",
        ["case_id", "status", "party", "session_id", "created_at", "clauses"],
        new_listed,
    )
    if list_changes:  # one statement for the cases whose records changed
        db.connection().execute(
            update(CaseListRow)
            .where(col(CaseListRow.case_id) == bindparam("changed"))
            .values(clauses=bindparam("shown")),
            [{"changed": case_id, "shown": shown} for case_id, shown in list_changes],
        )
    dialect.insert_rows(
        db, "casework_step", ["case_id", "case_version", "kind", "at", "details_json"], new_steps
    )
    if opened or changed:
        # One entry for the steps the import took (their account: none, the import's).
        audit.append(
            db,
            action="case_import",
            device=device,
            session_id=session_id,
            details={
                "account": None,
                "opened": opened,
                "changed": changed,
                "steps_sha256": cases.sha256_of(
                    cases.dumps([list(step) for step in new_steps]).encode("utf-8")
                ),
            },
            at=at,
        )
    return opened + [str(c[0]) for c in changed]


def _first_records(
    db: Session, session_id: str, newcomers: Sequence[_Person], who: dict[str, _Person]
) -> dict[str, dict[str, str | None]]:
    """Person key -> record id -> clause: all the records in force of the people who get
    their first case (the import's and any imported before)."""
    if not newcomers:
        return {}
    names = sorted({p.name for p in newcomers if p.party != Party.INSTITUTION})
    institution = any(p.party == Party.INSTITUTION for p in newcomers)
    rows = _in_force(db, session_id, names, institution)
    owner = {i: p.key for i, p in who.items()}
    unknown = [r[0] for r in rows if r[0] not in owner]
    owner.update({i: p.key for i, p in _who(db, unknown).items()})
    wanted = {p.key for p in newcomers}
    found: dict[str, dict[str, str | None]] = {}
    for ident, _party, _name, clause in rows:
        key = owner.get(ident)
        if key in wanted:
            found.setdefault(key, {})[ident] = clause
    return found
