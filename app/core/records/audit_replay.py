"""What the audit log says each record went through, held against what the tables say now.

The content hash and the seal cover what a record says and who signed it, but not where it
stands: its status, a void and its reason, which version replaced it, the seized-item returns,
and which signatures were made through the app before the seal. Those live in columns and rows
that an edit of the database file could change without touching any hash. Every one of them is
written together with an audit entry, and the entries are hash-chained (``verify_chain``), so
``verify`` replays the log here and names each record whose tables disagree with it.

Only records made on this computer are replayed: the institution's copies arrive by bundle, with
the devices' entries kept apart and possibly incomplete (a bundle may be lost).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlmodel import Session, col, select

from app.core.records import dialect
from app.core.records.audit import details_of
from app.core.records.status import SEALED, RecordStatus
from app.core.records.tables import AuditEntry, Incident, Seal, SeizedReturn, Signature

# Actions that change a record's content or signatures: none may follow its confirmation.
_BEFORE_CONFIRM = ("update", "sign", "acknowledge", "refuse", "departure", "confirm")


@dataclass
class _History:
    """One record's entries, in log order, with their details parsed."""

    entries: list[tuple[AuditEntry, dict[str, Any]]] = field(default_factory=list)

    def of(self, action: str) -> list[tuple[AuditEntry, dict[str, Any]]]:
        return [(e, d) for e, d in self.entries if e.action == action]


@dataclass
class Replay:
    """The log, indexed for the checks: entries by record, amendments by the version they
    replace, records a bundle export marked exported, records voided."""

    history: dict[str, _History]
    amendments: dict[str, list[str]]  # version id → ids of the versions amending it, in order
    exported: set[str]
    voided: set[str]
    imported: set[str]  # records that came by bundle: not replayed here


def index_log(entries: Iterable[AuditEntry], skip_sessions: set[str]) -> Replay:
    replay = Replay(defaultdict(_History), defaultdict(list), set(), set(), set())
    for entry in entries:
        if entry.session_id in skip_sessions:
            continue
        details = details_of(entry.details_json)
        if entry.action == "export" and entry.incident_id is None:
            replay.exported.update(str(i) for i in details.get("incidents", []))
        if not entry.incident_id:
            continue
        replay.history[entry.incident_id].entries.append((entry, details))
        if entry.action in ("create", "amend") and "imported_from" in details:
            replay.imported.add(entry.incident_id)
        if entry.action == "amend" and isinstance(details.get("supersedes"), str):
            replay.amendments[details["supersedes"]].append(entry.incident_id)
        if entry.action == "void":
            replay.voided.add(entry.incident_id)
        if entry.action == "export":
            replay.exported.add(entry.incident_id)
    return replay


class _SignatureRow(NamedTuple):
    id: str
    kind: str
    staff_id: str | None
    signer_name: str


class _ReturnRow(NamedTuple):
    receipt_number: str
    returned_to: str
    recorded_by: str


_SIGNATURE_COLUMNS = ("incident_id", "id", "kind", "staff_id", "signer_name")
_RETURN_COLUMNS = ("incident_id", "receipt_number", "returned_to", "recorded_by")


def _rows_of(
    db: Session,
    columns: tuple[str, ...],
    model: type[Signature] | type[SeizedReturn],
    ids: list[str],
) -> list[tuple[Any, ...]]:
    """The named columns of the rows of these records (no strokes: they are not replayed);
    the few records of one report by key, a whole verify in one pass."""
    selected = [getattr(model, c) for c in columns]
    if len(ids) <= 500:
        query = select(*selected).where(col(model.incident_id).in_(ids))
        return [tuple(r) for r in db.exec(query).all()]
    wanted = set(ids)
    return [tuple(r) for r in db.exec(select(*selected)).all() if r[0] in wanted]


def replayed_problems(
    db: Session, incidents: Sequence[Incident], replay: Replay
) -> dict[str, list[str]]:
    """Record id → how its status, void, supersession, signatures and returns disagree with
    the log, for the records made here (those that came by bundle are left out)."""
    local = [i for i in incidents if i.id not in replay.imported]
    if not local:
        return {}
    ids = [i.id for i in local]
    signatures: dict[str, list[_SignatureRow]] = defaultdict(list)
    for row in _rows_of(db, _SIGNATURE_COLUMNS, Signature, ids):
        signatures[row[0]].append(_SignatureRow(*row[1:]))
    returns: dict[str, list[_ReturnRow]] = defaultdict(list)
    for row in _rows_of(db, _RETURN_COLUMNS, SeizedReturn, ids):
        returns[row[0]].append(_ReturnRow(*row[1:]))
    amenders = _amenders(db, ids)
    found: dict[str, list[str]] = {}
    for incident in local:
        history = replay.history.get(incident.id, _History())
        problems = _status_problems(db, incident, history, replay)
        problems += _amendment_entry_problems(incident, history)
        problems += _supersession_problems(incident, replay, amenders.get(incident.id, []))
        problems += _signature_problems(signatures[incident.id], history)
        problems += _return_problems(returns[incident.id], history)
        if problems:
            found[incident.id] = problems
    return found


def _status_problems(
    db: Session, incident: Incident, history: _History, replay: Replay
) -> list[str]:
    problems: list[str] = []
    confirms = history.of("confirm")
    if len(confirms) > 1:
        seqs = ", ".join(str(e.seq) for e, _ in confirms)
        problems.append(f"the audit log confirms it more than once (entries {seqs})")
    if confirms:
        first = confirms[0][0].seq
        later = [e for e, _ in history.entries if e.seq > first and e.action in _BEFORE_CONFIRM]
        if later:
            problems.append(
                f"the audit log records a {later[0].action} (entry {later[0].seq}) after it was "
                "confirmed"
            )
    voids = history.of("void")
    if incident.status == RecordStatus.VOID:
        if not voids:
            problems.append("it is void, but the audit log records no voiding")
        elif incident.void_reason != voids[-1][1].get("reason"):
            problems.append("its void reason is not the one recorded when it was voided")
    elif voids:
        problems.append(f"the audit log records it voided, but it is {incident.status}")
    elif incident.void_reason is not None:
        problems.append("it has a void reason but is not void")
    if incident.status in SEALED:
        if not confirms:
            problems.append(f"it is {incident.status}, but the audit log records no confirmation")
        else:
            _, details = confirms[0]
            if details.get("content_hash") != incident.content_hash:
                problems.append("its content is not the content the site head confirmed")
            seal = db.get(Seal, incident.id)
            if seal is not None and details.get("payload_hash") != seal.payload_hash:
                problems.append("its seal is not the one made when it was confirmed")
    elif confirms and incident.status != RecordStatus.VOID:
        problems.append(f"the audit log records its confirmation, but it is {incident.status}")
    if incident.status == RecordStatus.EXPORTED and incident.id not in replay.exported:
        problems.append("it is exported, but the audit log records no export of it")
    return problems


def _amenders(db: Session, ids: list[str]) -> dict[str, list[tuple[int, str, str]]]:
    """Version id → (version, id, status) of the versions amending it: their ``supersedes``
    column, which each one's own check holds to its signed content."""
    found: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    rows = db.connection().exec_driver_sql(
        "SELECT supersedes_id, version, id, status FROM incident "
        f"WHERE supersedes_id IN ({dialect.json_list_values(db)})",
        (json.dumps(ids),),
    )
    for target, version, ident, status in rows:
        found[str(target)].append((int(version), str(ident), str(status)))
    return found


def _amendment_entry_problems(incident: Incident, history: _History) -> list[str]:
    """A version that amends another was made by the app's amend, naming that version."""
    if incident.supersedes_id is None:
        return []
    named = [d.get("supersedes") for _, d in history.of("amend")]
    if incident.supersedes_id in named:
        return []
    if named:
        return [f"its amendment entry names version {named[-1]}, not the one it amends"]
    return ["it amends an earlier version, but the audit log records no amendment"]


def _supersession_problems(
    incident: Incident, replay: Replay, amenders: list[tuple[int, str, str]]
) -> list[str]:
    """The version that replaces this one is its newest amendment that is not void and whose
    amend entry names this one."""
    recorded = set(replay.amendments.get(incident.id, []))
    standing = sorted(a for a in amenders if a[2] != RecordStatus.VOID and a[1] in recorded)
    expected = standing[-1][1] if standing else None
    if incident.superseded_by_id == expected:
        return []
    if expected is None:
        return [
            f"it is marked as replaced by {incident.superseded_by_id}, but the audit log "
            "records no standing amendment of it"
        ]
    return [f"the audit log says version {expected} replaces it, but it is not marked so"]


def _signature_problems(signatures: Sequence[_SignatureRow], history: _History) -> list[str]:
    """Each signature row was made through the app, with its audit entry."""
    signed = {d.get("signature_id") for _, d in history.of("sign")}
    acknowledged = {d.get("signature_id") for _, d in history.of("acknowledge")}
    witnesses = Counter(w for _, d in history.of("refuse") for w in d.get("witnesses", []))
    departure = Counter(w for _, d in history.of("departure") for w in d.get("witnesses", []))
    confirmers = Counter(e.actor_id for e, _ in history.of("confirm"))
    problems: list[str] = []
    for s in signatures:
        if s.kind == "staff":
            recorded = s.id in signed
        elif s.kind == "acknowledge":
            recorded = s.id in acknowledged
        elif s.kind == "refusal_witness":
            recorded = witnesses[s.staff_id] > 0
            witnesses[s.staff_id] -= 1
        elif s.kind == "departure_witness":
            recorded = departure[s.staff_id] > 0
            departure[s.staff_id] -= 1
        elif s.kind == "confirm":
            recorded = confirmers[s.staff_id] > 0
            confirmers[s.staff_id] -= 1
        else:
            recorded = False
        if not recorded:
            problems.append(
                f"signature {s.id} ({s.kind}, {s.signer_name}) was not made through the app: "
                "the audit log has no entry for it"
            )
    rows = {s.id for s in signatures}
    for gone in sorted(str(i) for i in (signed | acknowledged) - rows - {None}):
        problems.append(f"signature {gone} recorded in the audit log is gone")
    return problems


def _return_problems(returns: Sequence[_ReturnRow], history: _History) -> list[str]:
    """Each seized-item return, as recorded: receipt number, to whom, by whom."""
    recorded: Counter[tuple[Any, Any, Any]] = Counter(
        (d.get("receipt_number"), d.get("returned_to"), e.actor_id) for e, d in history.of("return")
    )
    present: Counter[tuple[Any, Any, Any]] = Counter(
        (r.receipt_number, r.returned_to, r.recorded_by) for r in returns
    )
    problems = [
        f"seized-item return {receipt} to {to} is not the one recorded"
        for (receipt, to, _), n in (present - recorded).items()
        for _ in range(n)
    ]
    problems += [
        f"seized-item return {receipt} to {to}, recorded in the audit log, is gone or changed"
        for (receipt, to, _), n in (recorded - present).items()
        for _ in range(n)
    ]
    return problems
