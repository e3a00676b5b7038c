"""Cases come into being: at import (one per person per session, holding that person's
records in force) and for a violation found after the evaluation (Art. 8) without a record.

A record is in force when it is sealed (confirmed or exported), not voided and not replaced by
a newer version. An import that changes what a case holds is a step of the case: while the
case is open (or with the regulator) its handling is worked out anew; after that the decided
handling stays as it was, and the step says the records changed (``views.show`` names it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session, col, select

from app.core.casework import cases
from app.core.casework.errors import CaseInputError
from app.core.casework.handling import handling
from app.core.casework.states import Status, Step
from app.core.casework.tables import CaseRecordRow, CaseRow
from app.core.errors import UserError
from app.core.records.status import SEALED
from app.core.records.tables import ExamSession, Incident, IncidentContent
from app.core.rulebook import DEFAULT_RULEBOOK_ID
from app.core.rulebook.facts import FactsError, parse_facts
from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import Party
from app.core.seal.device_keys import DeviceKey

_CHUNK = 500
INSTITUTION_KEY = "institution"


def _person(content: Mapping[str, Any]) -> tuple[str, str, str | None, str | None]:
    """(person key, name, id type, id number) of a record's content."""
    person = content.get("person")
    if person is None:  # an institution's record
        institution = content["session"]["institution"]
        return INSTITUTION_KEY, institution["name"], "filing_code", institution["filing_code"]
    if person.get("kind") == "staff":
        return person["id"], person["name"], "staff_number", person.get("staff_number")
    return person["id"], person["name"], person.get("id_type"), person.get("id_number")


def _contents(db: Session, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        for incident_id, text in db.exec(
            select(IncidentContent.incident_id, IncidentContent.content_json).where(
                col(IncidentContent.incident_id).in_(chunk)
            )
        ).all():
            found[incident_id] = json.loads(text)
    return found


def _in_force(db: Session, session_id: str, party: str, key: str, name: str) -> list[str]:
    """The ids of the person's records in force in the session."""
    query = select(Incident.id).where(
        col(Incident.session_id) == session_id,
        col(Incident.party) == party,
        col(Incident.superseded_by_id).is_(None),
        col(Incident.status).in_([s.value for s in SEALED]),
    )
    if party != Party.INSTITUTION:
        query = query.where(col(Incident.person_name) == name)
    ids = list(db.exec(query).all())
    if party == Party.INSTITUTION:
        return sorted(ids)
    contents = _contents(db, ids)
    return sorted(i for i in ids if _person(contents[i])[0] == key)


def _handling_of(db: Session, case: CaseRow) -> str:
    """The handling as it stands, or the problem that stops the engine (an import must not
    fail over it: the case shows the problem instead)."""
    try:
        result = handling(
            cases.rulebook_of(case),
            case.party,
            cases.parts_of(db, case),
            json.loads(case.facts_json),
        )
    except UserError as exc:
        result = {"party": case.party, "problem": str(exc), "clauses": [], "violation": None}
    return cases.dumps(result)


def open_cases_for_import(
    db: Session, device: DeviceKey, session_id: str, incident_ids: Sequence[str]
) -> list[str]:
    """Open or bring up to date the cases of the people whose records ``incident_ids`` are (the
    records an import just added or changed), in the import's transaction; the ids of the
    cases opened or changed."""
    ids = list(dict.fromkeys(incident_ids))
    if not ids:
        return []
    cases.begin(db)
    people: dict[tuple[str, str], str] = {}  # (party, key) -> name
    facts: dict[str, tuple[str, str | None, str | None]] = {}
    for content in _contents(db, ids).values():
        key, name, id_type, id_number = _person(content)
        people[(content["party"], key)] = name
        facts[key] = (name, id_type, id_number)
    for start in range(0, len(ids), _CHUNK):
        holders = db.exec(
            select(CaseRow)
            .join(CaseRecordRow, col(CaseRecordRow.case_id) == col(CaseRow.id))
            .where(col(CaseRecordRow.incident_id).in_(ids[start : start + _CHUNK]))
        ).all()
        for row in holders:
            people.setdefault((row.party, row.person_key), row.person_name)
    session = db.get(ExamSession, session_id)
    rulebook_id = session.rulebook_id if session is not None else DEFAULT_RULEBOOK_ID
    changed = []
    for (party, key), name in sorted(people.items()):
        in_force = _in_force(db, session_id, party, key, name)
        case = db.exec(
            select(CaseRow)
            .where(col(CaseRow.session_id) == session_id, col(CaseRow.person_key) == key)
            .execution_options(populate_existing=True)
        ).first()
        if case is None:
            if not in_force:
                continue
            _, id_type, id_number = facts.get(key, (name, None, None))
            at = cases.now()
            status = Status.WITH_REGULATOR if party == Party.INSTITUTION else Status.OPEN
            case = CaseRow(
                id=cases.new_id(),
                session_id=session_id,
                party=party,
                person_key=key,
                person_name=name,
                id_type=id_type,
                id_number=id_number,
                status=status.value,
                version=1,
                rulebook_id=rulebook_id,
                outcome_json="{}",
                created_at=at,
                updated_at=at,
            )
            cases.insert_case(
                db, device, case, in_force, None, {"from": "import", "incident_ids": in_force}
            )
            case.outcome_json = _handling_of(db, case)
            db.add(case)
            db.flush()
            changed.append(case.id)
            continue
        held = sorted(cases.held_ids(db, case.id))
        if held == in_force:
            continue
        added = sorted(set(in_force) - set(held))
        removed = sorted(set(held) - set(in_force))
        for incident_id in removed:
            record = db.get(CaseRecordRow, (case.id, incident_id))
            if record is not None:
                db.delete(record)
        for incident_id in added:
            db.add(CaseRecordRow(case_id=case.id, incident_id=incident_id))
        db.flush()
        recompute = case.status in (Status.OPEN, Status.WITH_REGULATOR)
        changes = {"outcome_json": _handling_of(db, case)} if recompute else {}
        cases.advance(
            db,
            device,
            case,
            case.version,
            None,
            Step.RECORDS_CHANGED,
            {
                "added": added,
                "removed": removed,
                "status": case.status,
                "handling_recomputed": recompute,
            },
            changes=changes,
        )
        changed.append(case.id)
    return changed


# -- Art. 8: found after the evaluation, without a site record ----------------------------------

_TOP = {
    "person": True,
    "clause": True,
    "date": True,
    "discovered_on": True,
    "certificate_issued": True,
    "description": True,
    "confirmed_by": True,
    "severity": False,
    "subject": False,
    "warned": False,
    "refused": False,
    "rulebook": False,
}
_PERSON = ("name", "id_type", "id_number")
_CONFIRMER = ("name", "role")


def _bad(field: str, detail: str) -> CaseInputError:
    return CaseInputError(f"{field}: {detail}; nothing was changed")


def _object(
    value: object, field: str, keys: Sequence[str], required: Sequence[str]
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(field, "expected a JSON object")
    unknown = [k for k in value if k not in keys]
    if unknown:
        where = f"{field}.{unknown[0]}" if field else unknown[0]
        raise _bad(where, f"unknown field; known: {', '.join(keys)}")
    for key in required:
        if key not in value:
            raise _bad(f"{field}.{key}" if field else key, "required")
    return value


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _bad(field, "expected a text that is not empty")
    return value.strip()


def parse_art8(document: object) -> dict[str, Any]:
    """The confirmed finding of an Art. 8 case, strictly checked: unknown fields, a missing
    one, fewer than two staff or no responsible person each refused naming the field."""
    doc = _object(document, "", list(_TOP), [k for k, need in _TOP.items() if need])
    person = _object(doc["person"], "person", _PERSON, _PERSON)
    clean_person = {k: _text(person[k], f"person.{k}") for k in _PERSON}
    confirmed = _object(
        doc["confirmed_by"], "confirmed_by", ("staff", "responsible"), ("staff", "responsible")
    )
    staff = confirmed["staff"]
    if not isinstance(staff, list):
        raise _bad("confirmed_by.staff", "expected a list of the staff who confirmed it")
    if len(staff) < 2:
        raise _bad(
            "confirmed_by.staff",
            f"{len(staff)} given; two or more staff must confirm it (Art. 16 ¶1)",
        )
    signers = []
    for index, member in enumerate(staff):
        where = f"confirmed_by.staff[{index}]"
        entry = _object(member, where, _CONFIRMER, _CONFIRMER)
        signers.append({k: _text(entry[k], f"{where}.{k}") for k in _CONFIRMER})
    if len({s["name"] for s in signers}) < 2:
        raise _bad("confirmed_by.staff", "two different people must confirm it (Art. 16 ¶1)")
    head = _object(confirmed["responsible"], "confirmed_by.responsible", _CONFIRMER, _CONFIRMER)
    responsible = {k: _text(head[k], f"confirmed_by.responsible.{k}") for k in _CONFIRMER}
    if not isinstance(doc["certificate_issued"], bool):
        raise _bad("certificate_issued", "expected true or false (Art. 8 asks)")
    rulebook_id = doc.get("rulebook", DEFAULT_RULEBOOK_ID)
    if not isinstance(rulebook_id, str):
        raise _bad("rulebook", "expected a rulebook id")
    facts: dict[str, Any] = {
        "party": Party.CANDIDATE.value,
        "clause": doc["clause"],
        "date": doc["date"],
        "discovered_after_exam": True,
        "certificate_issued": doc["certificate_issued"],
    }
    for optional in ("severity", "subject", "warned", "refused"):
        if optional in doc:
            facts[optional] = doc[optional]
    try:
        parsed = parse_facts(facts)
        rulebook = load_rulebook(rulebook_id)
        clause = rulebook.clause(parsed.clause)
    except FactsError as exc:
        raise _bad(exc.field, str(exc).split(": ", 1)[-1]) from None
    except UserError as exc:
        raise _bad("clause" if "clause" in str(exc) else "rulebook", str(exc)) from None
    if rulebook.articles[clause.article].party is not Party.CANDIDATE:
        raise _bad("clause", f"{clause.id} is no candidate clause: Art. 8 applies Art. 5–7")
    discovered = cases.parse_day(_text(doc["discovered_on"], "discovered_on"), "discovered_on")
    if discovered < parsed.date:
        raise _bad("discovered_on", f"{discovered} is before the evaluation ({parsed.date})")
    return {
        "person": clean_person,
        "facts": facts,
        "discovered_on": discovered.isoformat(),
        "description": _text(doc["description"], "description"),
        "confirmed_by": {"staff": signers, "responsible": responsible},
        "rulebook": rulebook.id,
    }


def open_without_record(db: Session, device: DeviceKey, account: str, document: object) -> CaseRow:
    """An Art. 8 case: a violation found after the evaluation and confirmed, without a site
    record; opened by ``account`` (an admin, checked by the caller)."""
    base = parse_art8(document)
    cases.begin(db)
    at = cases.now()
    person = base["person"]
    case = CaseRow(
        id=cases.new_id(),
        session_id=None,
        party=Party.CANDIDATE.value,
        person_key=f"art8:{cases.new_id()}",
        person_name=person["name"],
        id_type=person["id_type"],
        id_number=person["id_number"],
        status=Status.OPEN.value,
        version=1,
        rulebook_id=base["rulebook"],
        base_json=cases.dumps(base),
        outcome_json="{}",
        created_at=at,
        updated_at=at,
    )
    cases.insert_case(db, device, case, [], account, {"from": "art8", **base})
    case.outcome_json = _handling_of(db, case)
    db.add(case)
    db.flush()
    return case
