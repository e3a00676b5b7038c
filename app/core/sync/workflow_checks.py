"""An import takes a record's standing (void, replaced by a later version) only where the
sending device's records and audit log show it.

Status and supersession travel outside the sealed content, and a draft amendment is sealed by
nothing, so a laptop whose database was edited could otherwise void a confirmed record at the
institution, or hide one (even another laptop's) behind a made-up "amendment". So:

- a void needs the device's ``void`` entry with the same reason;
- a new version that amends another needs the device's ``amend`` entry saying so, and must be a
  later version of the same paper record (same session, number and device code);
- "replaced by" must name a standing (not void) amendment, and a standing amendment must be
  named.

A bundle carries every audit entry of the records it holds (``export``), so these entries are in
the bundle itself whatever order bundles arrive in; entries imported before count too.
"Exported" and "confirmed" need nothing here: the first changes no handling, the second is
proven by the seal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.core.records import dialect
from app.core.records.audit import details_of
from app.core.records.exchange_tables import ImportedAudit
from app.core.records.status import RecordStatus


@dataclass(frozen=True)
class _Version:
    supersedes_id: str | None
    status: str
    session_id: str
    number: str
    device_code: str
    version: int


def _entries(
    db: Session, device_id: str, audit: Sequence[Mapping[str, Any]], action: str, ids: set[str]
) -> dict[str, dict[str, Any]]:
    """Record id → the details of the device's ``action`` entry for it, from this bundle and
    from bundles imported before."""
    found = {
        str(e["incident_id"]): details_of(str(e["details_json"]))
        for e in audit
        if e["action"] == action and e["incident_id"] in ids
    }
    missing = ids - set(found)
    if missing:
        for entry in db.exec(
            select(ImportedAudit).where(
                col(ImportedAudit.device_id) == device_id,
                col(ImportedAudit.action) == action,
                col(ImportedAudit.incident_id).in_(missing),
            )
        ).all():
            found[str(entry.incident_id)] = details_of(entry.details_json)
    return found


def _versions(db: Session, column: str, values: Sequence[str]) -> dict[str, _Version]:
    """The versions whose ``column`` is among ``values`` (the whole list as one JSON parameter:
    a bundle may hold 10,000 of them; one pass over the table)."""
    if not values:
        return {}
    rows = db.connection().exec_driver_sql(
        "SELECT id, supersedes_id, status, session_id, number, device_code, version "
        f"FROM incident WHERE {column} IN ({dialect.json_list_values(db)})",
        (json.dumps(list(values)),),
    )
    return {str(r[0]): _Version(r[1], str(r[2]), r[3], r[4], r[5], int(r[6])) for r in rows}


def _sealers(db: Session, ids: Sequence[str]) -> dict[str, str]:
    """Record id → the device that sealed it, for the sealed ones among ``ids``."""
    if not ids:
        return {}
    rows = db.connection().exec_driver_sql(
        f"SELECT incident_id, device_id FROM seal WHERE incident_id IN "
        f"({dialect.json_list_values(db)})",
        (json.dumps(list(ids)),),
    )
    return {str(i): str(d) for i, d in rows}


def _version(values: Mapping[str, Any]) -> _Version:
    return _Version(
        values["supersedes_id"],
        str(values["status"]),
        str(values["session_id"]),
        str(values["number"]),
        str(values["device_code"]),
        int(values["version"]),
    )


def workflow_conflicts(
    db: Session,
    device_id: str,
    audit: Sequence[Mapping[str, Any]],
    standing: Sequence[Mapping[str, Any]],
    new_ids: set[str],
    label: Mapping[str, str],
    sealed_by: Mapping[str, str],
) -> list[str]:
    """What is wrong with the standing the bundle gives these rows (those it adds, ``new_ids``,
    or updates); ``label`` names each row for the report; ``sealed_by`` gives the sealing
    device of the bundle's sealed rows."""
    if not standing:
        return []
    ids = {str(v["id"]) for v in standing}
    voided = {str(v["id"]) for v in standing if v["status"] == RecordStatus.VOID}
    amending = {str(v["id"]) for v in standing if v["supersedes_id"] and v["id"] in new_ids}
    voids = _entries(db, device_id, audit, "void", voided)
    amends = _entries(db, device_id, audit, "amend", amending)
    # Every version involved, as it will stand: the database's, then this bundle's over it.
    named = {str(v["superseded_by_id"]) for v in standing if v["superseded_by_id"]}
    named |= {str(v["supersedes_id"]) for v in standing if v["supersedes_id"]}
    state = _versions(db, "id", sorted(named)) | _versions(db, "supersedes_id", sorted(ids))
    state.update({str(v["id"]): _version(v) for v in standing})
    targets = sorted({str(v["supersedes_id"]) for v in standing if str(v["id"]) in amending})
    sealers = {**_sealers(db, targets), **sealed_by}
    standing_amendments: dict[str, list[str]] = {}
    for other, version in state.items():
        if version.supersedes_id is not None and version.status != RecordStatus.VOID:
            standing_amendments.setdefault(version.supersedes_id, []).append(other)
    problems: list[str] = []
    for values in standing:
        ident, name = str(values["id"]), label[str(values["id"])]
        if ident in voided:
            if ident not in voids:
                problems.append(
                    f"{name}: void, but the device's audit log records no voiding of it "
                    "(import the laptop's earlier bundles first, or export a full bundle)"
                )
            elif voids[ident].get("reason") != values["void_reason"]:
                problems.append(f"{name}: its void reason is not the one its audit log records")
        if ident in amending:
            problems += _amendment_problems(
                name, _version(values), ident, state, amends, device_id, sealers
            )
        amenders = standing_amendments.get(ident, [])
        replaced_by = values["superseded_by_id"]
        if replaced_by is not None and replaced_by not in amenders:
            problems.append(
                f"{name}: marked as replaced by {replaced_by}, which is no standing amendment of it"
            )
        elif replaced_by is None and amenders:
            problems.append(f"{name}: version {amenders[0]} amends it, but it is not marked so")
    return problems


def _amendment_problems(
    name: str,
    amendment: _Version,
    ident: str,
    state: Mapping[str, _Version],
    amends: Mapping[str, Mapping[str, Any]],
    device_id: str,
    sealers: Mapping[str, str],
) -> list[str]:
    """A new version replaces only an earlier version of the same paper record that this very
    device sealed (only a confirmed record is amended, on the laptop that holds it), and only
    with the device's own ``amend`` entry. The seal, not the device-code column, says whose
    record it is: the column travels outside any signature."""
    target_id = str(amendment.supersedes_id)
    target = state.get(target_id)
    if target is None:
        return [f"{name}: amends {target_id}, which is neither here nor in the bundle"]
    if sealers.get(target_id) != device_id:
        return [f"{name}: amends {target_id}, a record this device did not seal"]
    same_record = (target.session_id, target.number, target.device_code) == (
        amendment.session_id,
        amendment.number,
        amendment.device_code,
    )
    if not same_record or target.version >= amendment.version:
        return [f"{name}: amends {target_id}, which is not an earlier version of the same record"]
    if amends.get(ident, {}).get("supersedes") != target_id:
        return [
            f"{name}: the device's audit log records no amendment of {target_id} by it "
            "(import the laptop's earlier bundles first, or export a full bundle)"
        ]
    return []
