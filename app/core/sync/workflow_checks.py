"""An import takes a record's standing (void, replaced by a later version) only where the
sending device's records and audit log show it.

Status and supersession travel as columns outside the signed content, so a laptop whose database
was edited could otherwise void a confirmed record at the institution, or hide one as replaced.
A void needs the device's audit entry with the same reason (in this bundle or one imported
before); "replaced by" must name a version that amends this one and is not itself void, and a
standing amendment must be named. "Exported" and "confirmed" need nothing here: the first
changes no handling, the second is proven by the seal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session, col, select

from app.core.sync.tables import ImportedAudit


def _reason(details_json: str) -> Any:
    try:
        details = json.loads(details_json)
    except ValueError:
        return None
    return details.get("reason") if isinstance(details, dict) else None


def _void_reasons(
    db: Session, device_id: str, audit: Sequence[Mapping[str, Any]], ids: set[str]
) -> dict[str, Any]:
    """Record id → the reason its voiding entry gives, from this bundle and earlier ones."""
    reasons = {
        str(e["incident_id"]): _reason(str(e["details_json"]))
        for e in audit
        if e["action"] == "void" and e["incident_id"] in ids
    }
    missing = ids - set(reasons)
    if missing:
        for entry in db.exec(
            select(ImportedAudit).where(
                col(ImportedAudit.device_id) == device_id,
                col(ImportedAudit.action) == "void",
                col(ImportedAudit.incident_id).in_(missing),
            )
        ).all():
            reasons[str(entry.incident_id)] = _reason(entry.details_json)
    return reasons


def _versions(db: Session, column: str, values: Sequence[str]) -> dict[str, tuple[str | None, str]]:
    """id → (supersedes_id, status) of the versions whose ``column`` is among ``values``
    (the whole list as one JSON parameter: a bundle may hold 10,000 of them)."""
    if not values:
        return {}
    rows = db.connection().exec_driver_sql(
        f"SELECT id, supersedes_id, status FROM incident WHERE {column} IN "
        "(SELECT value FROM json_each(?))",
        (json.dumps(list(values)),),
    )
    return {str(i): (s, str(st)) for i, s, st in rows}


def workflow_conflicts(
    db: Session,
    device_id: str,
    audit: Sequence[Mapping[str, Any]],
    standing: Sequence[Mapping[str, Any]],
    label: Mapping[str, str],
) -> list[str]:
    """What is wrong with the standing the bundle gives these rows (the rows it adds or
    updates); ``label`` names each row for the report."""
    if not standing:
        return []
    ids = {str(v["id"]) for v in standing}
    problems: list[str] = []
    voided = {str(v["id"]) for v in standing if v["status"] == "void"}
    reasons = _void_reasons(db, device_id, audit, voided)
    # Every version involved, as it will stand: the database's, then this bundle's over it.
    named = sorted({str(v["superseded_by_id"]) for v in standing if v["superseded_by_id"]})
    state = _versions(db, "id", named) | _versions(db, "supersedes_id", sorted(ids))
    state.update({str(v["id"]): (v["supersedes_id"], str(v["status"])) for v in standing})
    standing_amendments: dict[str, list[str]] = {}
    for other, (supersedes, status) in state.items():
        if supersedes is not None and status != "void":
            standing_amendments.setdefault(supersedes, []).append(other)
    for values in standing:
        ident, name = str(values["id"]), label[str(values["id"])]
        if values["status"] == "void":
            if ident not in reasons:
                problems.append(
                    f"{name}: void, but the device's audit log records no voiding of it "
                    "(export a full bundle from the laptop)"
                )
            elif reasons[ident] != values["void_reason"]:
                problems.append(f"{name}: its void reason is not the one its audit log records")
        amenders = standing_amendments.get(ident, [])
        replaced_by = values["superseded_by_id"]
        if replaced_by is not None and replaced_by not in amenders:
            problems.append(
                f"{name}: marked as replaced by {replaced_by}, which is no standing amendment of it"
            )
        elif replaced_by is None and amenders:
            problems.append(f"{name}: version {amenders[0]} amends it, but it is not marked so")
    return problems
