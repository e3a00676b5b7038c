"""Each record of a bundle checked on its own: exact columns and types, content canonical and
matching its hash and columns, the seal over exactly the signatures it covers, each audit
entry's hash. Pure computation on the parsed records and the sender the manifest names: no
database, so a large bundle's records are checked by the helper process (``proof_worker``)
while the import goes on, and a small one's in place, by the same code.

A records job carries a whole record entry to the helper as the JSON it was read as
(``orjson.Fragment``: no second encoding), with the sender; ``records_problem`` answers with
the first refusal, worded as the import words it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import orjson

# The institution's verify applies the same check; sharing it keeps the two from drifting.
from app.core.records.content_columns import column_mismatches
from app.core.records.status import SEALED, is_record_status
from app.core.seal.canonical import encode_checked, parse_if_canonical, sha256_hex
from app.core.sync.record_hashes import STRICT, instant
from app.core.sync.record_proofs import AUDITS, INCIDENTS, Job, audit_job, job_problem, seal_job
from app.core.sync.refusals import ImportRejected, malformed_records
from app.core.sync.row_checks import (
    Spec,
    check_row,
    rows_accepted,
    spec_from_json,
    spec_to_json,
)

# Deeper content is not refused, only checked the slow way (content is a handful of levels).
_CONTENT_DEPTH = 32
_INCIDENT_KEYS = {"incident", "content_json", "signatures", "seal", "returns"}

# Takes a proof (seal or audit hash) to check, with the label its refusal starts with.
AddProof = Callable[[str, Job], None]
# The columns of the tables a record fills, by table (``rows.spec_of``): given by the caller,
# so that this module, which the helper process imports, needs no database import.
Specs = Mapping[str, Spec]
INCIDENT, SIGNATURE, SEAL_ROW, RETURN, AUDIT_ENTRY = (
    "Incident",
    "Signature",
    "Seal",
    "SeizedReturn",
    "AuditEntry",
)
TABLES = (INCIDENT, SIGNATURE, SEAL_ROW, RETURN, AUDIT_ENTRY)


@dataclass(frozen=True)
class Sender:
    """Who sent the bundle, by its manifest: what every record must belong to."""

    session_id: str
    device_id: str
    signer_hex: str
    accepted_by: str


@dataclass
class IncidentRecord:
    incident: dict[str, Any]
    content_json: str
    # content_json parsed, once; None for records taken unchecked (the helper parses them).
    content: dict[str, Any] | None
    signatures: list[dict[str, Any]]
    seal: dict[str, Any] | None
    returns: list[dict[str, Any]]


def check_incidents(
    name: str, value: Any, sender: Sender, add: AddProof, specs: Specs
) -> list[IncidentRecord]:
    """The incident versions of one entry, each checked; raises ``ImportRejected``."""
    if not isinstance(value, list):
        raise ImportRejected(f"{name}: expected a list of incident versions")
    rows_checked = _incident_rows_accepted(value, specs)
    return [
        check_incident(f"{name}[{index}]", item, sender, add, specs, rows_checked)
        for index, item in enumerate(value)
    ]


def _incident_rows_accepted(items: list[Any], specs: Specs) -> bool:
    """Whether every row of these records (incident, signatures, seal, returns) passes
    ``check_row``, checked table by table over them all (``rows_accepted``); if not, each
    record's own check finds the first row refused and words it."""
    if not all(type(item) is dict and item.keys() == _INCIDENT_KEYS for item in items):
        return False
    signatures: list[Any] = []
    returns: list[Any] = []
    for item in items:
        if type(item["signatures"]) is not list or type(item["returns"]) is not list:
            return False
        signatures += item["signatures"]
        returns += item["returns"]
    return (
        rows_accepted(INCIDENT, specs[INCIDENT], [item["incident"] for item in items])
        and rows_accepted(SIGNATURE, specs[SIGNATURE], signatures)
        and rows_accepted(RETURN, specs[RETURN], returns)
        and rows_accepted(
            SEAL_ROW, specs[SEAL_ROW], [i["seal"] for i in items if i["seal"] is not None]
        )
    )


def check_audit_entries(
    name: str, value: Any, sender: Sender, add: AddProof, specs: Specs
) -> list[dict[str, Any]]:
    """The audit entries of one entry, each checked; raises ``ImportRejected``."""
    if not isinstance(value, list):
        raise ImportRejected(f"{name}: expected a list of audit entries")
    rows_checked = rows_accepted(AUDIT_ENTRY, specs[AUDIT_ENTRY], value)
    return [check_audit_entry(item, sender, add, specs, rows_checked) for item in value]


def check_incident(
    name: str,
    value: Any,
    sender: Sender,
    add: AddProof,
    specs: Specs,
    rows_checked: bool = False,
) -> IncidentRecord:
    """One incident version and its proofs; ``rows_checked``: its rows are known to pass
    ``check_row`` (``rows_accepted``), which is then not asked again row by row."""
    if not isinstance(value, dict) or value.keys() != _INCIDENT_KEYS:
        raise ImportRejected(f"{name}: not an incident record")
    row = _accepted if rows_checked else check_row
    incident = row(INCIDENT, specs[INCIDENT], value["incident"], name)
    ident = incident["id"]
    if incident["session_id"] != sender.session_id:
        raise ImportRejected(f"{name}: belongs to another session")
    if not is_record_status(incident["status"]):
        raise ImportRejected(f"{name}: unknown status")
    content_json = value["content_json"]
    if not isinstance(content_json, str):
        raise ImportRejected(f"{name}: content is not text")
    content_bytes = content_json.encode("utf-8")
    fast = parse_if_canonical(content_bytes, _CONTENT_DEPTH)
    content = fast[0] if fast is not None else _strict_content(name, content_json, content_bytes)
    if not isinstance(content, dict) or content.get("id") != ident:
        raise ImportRejected(f"{name}: content belongs to another incident")
    if sha256_hex(content_bytes) != incident["content_hash"]:
        raise ImportRejected(f"{name}: content does not match its hash")
    # The columns as attributes, which is all column_mismatches reads: building a model per
    # record costs more than the comparison itself.
    instant(incident["occurred_at"])  # a real date, not only the stored form
    wrong = column_mismatches(SimpleNamespace(**incident), content)
    if wrong:
        raise ImportRejected(f"{name}: column(s) {', '.join(wrong)} disagree with the content")
    signatures = [
        row(SIGNATURE, specs[SIGNATURE], s, f"{name} signature") for s in _list(value, "signatures")
    ]
    returns = [row(RETURN, specs[RETURN], r, f"{name} return") for r in _list(value, "returns")]
    if any(s["incident_id"] != ident for s in signatures + returns):
        raise ImportRejected(f"{name}: a signature or return belongs to another incident")
    seal = None
    if value["seal"] is not None:
        seal = row(SEAL_ROW, specs[SEAL_ROW], value["seal"], f"{name} seal")
        _check_seal(name, incident, signatures, seal, sender, add)
    elif incident["status"] in SEALED:
        raise ImportRejected(f"{name}: confirmed but not sealed")
    return IncidentRecord(incident, content_json, content, signatures, seal, returns)


def _accepted(_model: str, _spec: Spec, value: Any, _what: str) -> dict[str, Any]:
    """A row already known to pass ``check_row``."""
    row: dict[str, Any] = value
    return row


def _strict_content(name: str, content_json: str, content_bytes: bytes) -> Any:
    """The content parsed the slow, strict way, which names what makes it not canonical."""
    try:
        # No floats or constants; duplicate keys and any other spelling fail the comparison.
        content = STRICT.decode(content_json)
        canonical = encode_checked(content)
    except RecursionError:
        raise ImportRejected(f"{name}: content is nested too deeply to be a record") from None
    except ValueError as exc:
        raise ImportRejected(f"{name}: content is not canonical JSON ({exc})") from None
    if canonical != content_bytes:
        raise ImportRejected(f"{name}: content is not in canonical form")
    return content


def _list(value: dict[str, Any], key: str) -> list[Any]:
    items = value[key]
    if not isinstance(items, list):
        raise ImportRejected(f"{key}: expected a list")
    return items


def _check_seal(
    name: str,
    incident: dict[str, Any],
    signatures: list[dict[str, Any]],
    seal: dict[str, Any],
    sender: Sender,
    add: AddProof,
) -> None:
    if seal["incident_id"] != incident["id"]:
        raise ImportRejected(f"{name}: the seal belongs to another incident")
    if seal["public_key"] != sender.signer_hex or seal["device_id"] != sender.device_id:
        raise ImportRejected(f"{name}: sealed by another device than the one sending it")
    covered = [
        s
        for s in signatures
        if s["voided_at"] is None and s["content_hash"] == incident["content_hash"]
    ]
    add(name, seal_job(incident, covered, seal))


def check_audit_entry(
    item: Any, sender: Sender, add: AddProof, specs: Specs, rows_checked: bool = False
) -> dict[str, Any]:
    row = _accepted if rows_checked else check_row
    entry = row(AUDIT_ENTRY, specs[AUDIT_ENTRY], item, "audit entry")
    if entry["device_id"] != sender.device_id or entry["session_id"] != sender.session_id:
        raise ImportRejected(f"audit entry {entry['seq']}: from another device or session")
    add(f"audit entry {entry['seq']}", audit_job(entry))  # its hash
    return entry


def records_job(kind: str, name: str, sender: Sender, data: bytes, specs: Specs) -> Job:
    """A whole entry (``data``: the JSON the container verified and parsed) for the helper,
    with the sender and the tables' columns it is checked against."""
    return [
        kind,
        name,
        [sender.session_id, sender.device_id, sender.signer_hex],
        {table: spec_to_json(spec) for table, spec in specs.items()},
        orjson.Fragment(data),
    ]


def records_problem(job: Job) -> str:
    """The first refusal among the records of a records job and then their proofs, worded
    as the import words it, or ``""`` when every record and proof holds."""
    kind, name, (session_id, device_id, signer_hex), columns, value = job
    sender = Sender(str(session_id), str(device_id), str(signer_hex), "")
    specs = {table: spec_from_json(spec) for table, spec in columns.items()}
    if isinstance(value, orjson.Fragment):  # checked in place: the entry as it was read
        value = orjson.loads(orjson.dumps(value))
    proofs: list[tuple[str, Job]] = []

    def add(label: str, proof: Job) -> None:
        proofs.append((label, proof))

    try:
        with malformed_records():
            if kind == INCIDENTS:
                check_incidents(name, value, sender, add, specs)
            elif kind == AUDITS:
                check_audit_entries(name, value, sender, add, specs)
            else:
                raise ValueError(f"unknown kind of records {kind!r}")  # a bug, never input
    except ImportRejected as exc:
        return str(exc)
    for label, proof in proofs:
        reason = job_problem(proof)
        if reason:
            return f"{label}: {reason}"
    return ""
