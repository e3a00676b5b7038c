"""A case for a violation found after the evaluation and confirmed (Art. 8), without a site
record: its finding checked strictly (``parse_art8``), then opened (``open_without_record``).
Cases of imported records are opened by ``intake``.

The finding may list the certificates already issued to the person (``certificates``: number,
occupation and work type, level, issue date, whether the data is online): Art. 8 has them
declared invalid and their data handled, and the certificate list names them by number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from app.core.casework import cases
from app.core.casework.errors import CaseInputError
from app.core.casework.intake import live_outcome
from app.core.casework.states import Status
from app.core.casework.tables import CaseRow
from app.core.errors import UserError
from app.core.records.sessions import LEVELS
from app.core.rulebook import DEFAULT_RULEBOOK_ID
from app.core.rulebook.facts import FactsError, parse_facts
from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import Party
from app.core.seal.device_keys import DeviceKey
from app.core.value_limits import LimitViolation, check_text, shown

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
    "certificates": False,
}
_PERSON = ("name", "id_type", "id_number")
_CONFIRMER = ("name", "role")
_CERTIFICATE = ("number", "occupation", "work_type", "level", "issued_on", "online")
MAX_CERTIFICATES = 50  # far above the certificates one person holds from one evaluation


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


def _name_text(value: object, field: str, what_to_do: str, *, required: bool) -> str:
    """A bounded text on one line (a number, an occupation); "" when not required and empty."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _bad(field, f"expected a text; {what_to_do}")
    text = value.strip()
    if not text and required:
        raise _bad(field, f"empty; {what_to_do}")
    try:
        return check_text(text, field)
    except LimitViolation as exc:
        raise CaseInputError(f"{exc}; {what_to_do}; nothing was changed") from None


def _certificates(value: object, evaluated: dt.date, issued: bool) -> list[dict[str, Any]]:
    """The certificates already issued to the person, each checked, in the order given."""
    if not isinstance(value, list):
        raise _bad("certificates", "expected a list of the certificates issued (may be empty)")
    if len(value) > MAX_CERTIFICATES:
        raise _bad("certificates", f"{len(value)} given; list at most {MAX_CERTIFICATES}")
    if value and not issued:
        raise _bad(
            "certificates",
            f"{len(value)} given, but certificate_issued is false; set it to true, or leave "
            "the certificates out",
        )
    out: list[dict[str, Any]] = []
    numbers: dict[str, int] = {}
    for index, raw in enumerate(value):
        where = f"certificates[{index}]"
        if not isinstance(raw, dict):
            raise _bad(where, "expected a JSON object with the certificate's number and so on")
        unknown = [k for k in raw if k not in _CERTIFICATE]
        if unknown:
            raise _bad(f"{where}.{unknown[0]}", f"unknown field; known: {', '.join(_CERTIFICATE)}")
        if "number" not in raw:
            raise _bad(f"{where}.number", "required; give the number printed on the certificate")
        number = _name_text(
            raw["number"], f"{where}.number", "give the number printed on the certificate",
            required=True,
        )  # fmt: skip
        if number in numbers:
            raise _bad(
                f"{where}.number",
                f"'{number}' is already given as certificates[{numbers[number]}]; list each "
                "certificate once",
            )
        numbers[number] = index
        occupation = _name_text(
            raw.get("occupation"), f"{where}.occupation",
            "give the occupation as the certificate names it, or leave it out", required=False,
        )  # fmt: skip
        work_type = _name_text(
            raw.get("work_type"), f"{where}.work_type",
            "give the work type (工种) as the certificate names it, or leave it out",
            required=False,
        )  # fmt: skip
        level = raw.get("level")
        if level is None or level == "":
            level = ""
        elif level not in LEVELS:
            raise _bad(
                f"{where}.level",
                f"'{shown(str(level))}' is no level; use one of {'、'.join(LEVELS)}, or leave "
                "it out (专项职业能力考核 has none)",
            )
        issued_on = raw.get("issued_on")
        if issued_on is not None:
            if not isinstance(issued_on, str):
                raise _bad(f"{where}.issued_on", "expected a date YYYY-MM-DD, or leave it out")
            day = cases.parse_day(issued_on.strip(), f"{where}.issued_on")
            if day < evaluated:
                raise _bad(
                    f"{where}.issued_on",
                    f"{day} is before the evaluation ({evaluated}); give the date printed on "
                    "the certificate",
                )
            if day > cases.today():
                raise _bad(
                    f"{where}.issued_on",
                    f"{day} is in the future; give the date printed on the certificate",
                )
            issued_on = day.isoformat()
        online = raw.get("online")
        if online is not None and not isinstance(online, bool):
            raise _bad(
                f"{where}.online",
                "expected true (its data is online, 已上网), false, or null when not known",
            )
        out.append(
            {
                "number": number,
                "occupation": occupation,
                "work_type": work_type,
                "level": level,
                "issued_on": issued_on,
                "online": online,
            }
        )
    return out


def parse_art8(document: object) -> dict[str, Any]:
    """The confirmed finding of an Art. 8 case, strictly checked: unknown fields, a missing
    one, fewer than two staff or no responsible person each refused naming the field; so is
    a certificate listed without its number, or with a bad level or date."""
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
    certificates = _certificates(
        doc.get("certificates", []), parsed.date, doc["certificate_issued"]
    )
    return {
        "person": clean_person,
        "facts": facts,
        "discovered_on": discovered.isoformat(),
        "description": _text(doc["description"], "description"),
        "confirmed_by": {"staff": signers, "responsible": responsible},
        "rulebook": rulebook.id,
        "certificates": certificates,
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
    case.outcome_json = live_outcome([base["facts"]["clause"]])
    return cases.insert_case(db, device, case, [], account, {"from": "art8", **base})
