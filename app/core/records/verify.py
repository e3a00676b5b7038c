"""Recompute every content hash, seal and the audit chain; name each record that fails.

Catches hand edits of the database file: a changed column disagrees with the content, changed
content disagrees with its hash, content re-hashed by hand no longer matches its seal, and a
status, void, supersession, signature or seized-item return that the audit log does not record
(``audit_replay``) is named.

A laptop that purged a session (``bundle purge``, once the institution confirmed it holds the
data) has deleted that session's records on purpose: its ``purge`` audit entry, itself checked
as part of the chain, tells ``verify`` to skip them instead of calling them gone.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from app.core.records.audit_replay import index_log, replayed_problems
from app.core.records.evidence import evidence_path
from app.core.records.signing import seal_facts, valid_signatures
from app.core.records.status import SEALED, is_record_status
from app.core.records.tables import (
    AuditEntry,
    Device,
    Incident,
    IncidentContent,
    Seal,
    to_utc_text,
)
from app.core.seal.audit import verify_chain, verify_in_place
from app.core.seal.canonical import CanonicalError, canonical_text, content_hash
from app.core.seal.record_seal import check_seal, seal_payload


@dataclass(frozen=True)
class Problem:
    record: str  # "incident A-007 v1 (id)" or "audit log entry 12"
    reason: str

    def __str__(self) -> str:
        return f"{self.record}: {self.reason}"


@dataclass
class VerifyReport:
    incidents: int = 0
    seals: int = 0
    audit_entries: int = 0
    purged_sessions: int = 0  # sessions purged here; their records were skipped
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "incidents": self.incidents,
            "seals": self.seals,
            "audit_entries": self.audit_entries,
            "purged_sessions": self.purged_sessions,
            "problems": [{"record": p.record, "reason": p.reason} for p in self.problems],
        }


def column_mismatches(incident: Incident, content: dict[str, Any]) -> list[str]:
    """The incident's columns that disagree with its signed content (none when intact)."""
    person = content.get("person")
    rulebook = content.get("rulebook")
    expected: dict[str, Any] = {
        "id": content.get("id"),
        "number": content.get("number"),
        "version": content.get("version"),
        "supersedes_id": content.get("supersedes"),
        "session_id": (content.get("session") or {}).get("id"),
        "party": content.get("party"),
        "clause": content.get("clause"),
        "subject": content.get("subject"),
        "room": content.get("room"),
        "seat": content.get("seat"),
        "person_name": None if person is None else person.get("name"),
        "local_date": content.get("local_date"),
        "rulebook_id": None if rulebook is None else rulebook.get("id"),
        "rulebook_version": None if rulebook is None else rulebook.get("version"),
        "regulator_flag": content.get("regulator_flag"),
    }
    wrong = [name for name, value in expected.items() if getattr(incident, name) != value]
    if to_utc_text(incident.occurred_at) != content.get("occurred_at"):
        wrong.append("occurred_at")
    return wrong


def _check_incident(
    db: Session, incident: Incident, keys: set[str], data_dir: Path | None, report: VerifyReport
) -> None:
    label = f"incident {incident.number} v{incident.version} ({incident.id})"

    def fail(reason: str) -> None:
        report.problems.append(Problem(label, reason))

    row = db.get(IncidentContent, incident.id)
    if row is None:
        fail("its signed content is missing")
        return
    try:
        content = json.loads(row.content_json)
        canonical = canonical_text(content)
    except (ValueError, CanonicalError):
        fail("its content is not valid canonical JSON")
        return
    if canonical != row.content_json or content_hash(content) != incident.content_hash:
        fail("its content does not match its content hash (changed after it was saved)")
    wrong = column_mismatches(incident, content)
    if wrong:
        fail(f"column(s) {', '.join(wrong)} disagree with the signed content")
    if not is_record_status(incident.status):
        fail(f"unknown status '{incident.status}'")
    seal = db.get(Seal, incident.id)
    if incident.status in SEALED and seal is None:
        fail(f"it is {incident.status} but has no seal")
    if seal is not None:
        report.seals += 1
        signatures = valid_signatures(db, incident)
        if not any(s.kind == "confirm" for s in signatures):
            fail("it is sealed but its confirming signature is missing or changed")
        payload = seal_payload(incident.id, incident.content_hash, seal_facts(signatures))
        reason = check_seal(payload, seal.payload_hash, seal.signature, seal.public_key)
        if reason:
            fail(reason)
        if seal.public_key not in keys:
            fail("its seal was made by a device key this database does not know")
    if data_dir is not None:
        for item in content.get("evidence", []):
            path = evidence_path(data_dir, str(item.get("sha256")))
            if not path.is_file():
                fail(f"evidence file {item.get('name')} is missing from the data folder")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != item.get("sha256"):
                fail(f"evidence file {item.get('name')} has changed")


def verify_database(db: Session, data_dir: Path | None = None) -> VerifyReport:
    """Check every incident, seal and the audit chain; ``data_dir`` also checks evidence files."""
    report = VerifyReport()
    keys = set(db.exec(select(Device.public_key)).all())
    created: set[str] = set()
    entries = list(db.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all())
    report.audit_entries = len(entries)
    for problem in verify_chain(entries):
        report.problems.append(Problem(f"audit log entry {problem.seq}", problem.reason))
    purged = {e.session_id for e in entries if e.action == "purge" and e.session_id}
    report.purged_sessions = len(purged)
    for entry in entries:
        if entry.session_id in purged:
            continue  # its records were removed on purpose after the institution's receipt
        if entry.action in ("create", "amend") and entry.incident_id:
            created.add(entry.incident_id)
    seen: set[str] = set()
    incidents = list(db.exec(select(Incident).order_by(col(Incident.created_at))).all())
    incidents = [i for i in incidents if i.session_id not in purged]
    replayed = replayed_problems(db, incidents, index_log(entries, purged))
    for incident in incidents:
        report.incidents += 1
        seen.add(incident.id)
        _check_incident(db, incident, keys, data_dir, report)
        label = f"incident {incident.number} v{incident.version} ({incident.id})"
        if incident.id not in created:
            report.problems.append(Problem(label, "the audit log has no record of its creation"))
        report.problems += [Problem(label, reason) for reason in replayed.get(incident.id, [])]
    for missing in sorted(created - seen):
        report.problems.append(
            Problem(f"incident {missing}", "the audit log records it but it is gone")
        )
    return report


def record_problems(db: Session, incident_id: str, data_dir: Path | None = None) -> list[str]:
    """Why one record fails the checks ``verify_database`` makes of it (none when intact): its
    content, columns, seal and evidence, its creation in the audit log, the log around its
    entries, and its history replayed. Reads that record's part of the log, not all of it."""
    incident = db.get(Incident, incident_id)
    if incident is None:
        return ["it is not in this database"]
    keys = set(db.exec(select(Device.public_key)).all())
    report = VerifyReport()
    _check_incident(db, incident, keys, data_dir, report)
    problems = [p.reason for p in report.problems]
    session_entries = db.exec(
        select(AuditEntry).where(
            col(AuditEntry.session_id) == incident.session_id,
            col(AuditEntry.action).in_(("amend", "export", "purge")),
        )
    ).all()
    if any(e.action == "purge" for e in session_entries):
        return problems  # removed on purpose: verify skips the session likewise
    own = db.exec(select(AuditEntry).where(col(AuditEntry.incident_id) == incident.id)).all()
    if not any(e.action in ("create", "amend") for e in own):
        problems.append("the audit log has no record of its creation")
    amending = [e.incident_id for e in session_entries if e.action == "amend" and e.incident_id]
    voids = db.exec(
        select(AuditEntry).where(
            col(AuditEntry.action) == "void", col(AuditEntry.incident_id).in_(amending)
        )
    ).all()
    history = sorted({e.seq: e for e in [*own, *session_entries, *voids]}.values(), key=_seq)
    # Every entry the replay reads is checked in place: its hash, and its links both ways.
    near = {e.seq + step for e in history for step in (-1, 1)}
    neighbours = db.exec(select(AuditEntry).where(col(AuditEntry.seq).in_(near))).all()
    for problem in verify_in_place([*history, *neighbours], [e.seq for e in history]):
        problems.append(f"audit log entry {problem.seq}: {problem.reason}")
    replayed = replayed_problems(db, [incident], index_log(history, set()))
    return problems + replayed.get(incident.id, [])


def _seq(entry: AuditEntry) -> int:
    return entry.seq
