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

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from app.core.records import staff_seal
from app.core.records.account_tables import AccountRow
from app.core.records.audit import (
    details_of,
    entry_signature_holds,
    verify_chain,
    verify_in_place,
    vouched_for,
    vouches,
)
from app.core.records.audit_replay import index_log, replayed_problems
from app.core.records.content_columns import column_mismatches
from app.core.records.file_store import evidence_problem
from app.core.records.signing import seal_facts, valid_signatures
from app.core.records.status import SEALED, is_record_status
from app.core.records.tables import (
    AuditEntry,
    Device,
    Incident,
    IncidentContent,
    Seal,
)
from app.core.seal.account_keys import INSTITUTION_KEY_ID, UNSIGNED_ACTIONS, read_certificate
from app.core.seal.canonical import CanonicalError, canonical_text, content_hash
from app.core.seal.record_seal import check_seal, seal_payload
from app.core.trust.anchor import Anchor, folder_key
from app.core.trust.anchor import resolve as resolve_anchor


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
    anchor: Anchor | None = None  # what vouches for the device key (none without a folder)

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
            "anchor": None if self.anchor is None else self.anchor.to_dict(),
        }


def _check_incident(
    db: Session, incident: Incident, keys: SealKeys, data_dir: Path | None, report: VerifyReport
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
        reason = keys.refusal(seal.device_id, seal.public_key)
        if reason:
            fail(reason)
    if data_dir is not None:
        for item in content.get("evidence", []):
            problem = evidence_problem(db, data_dir, str(item.get("sha256")))
            if problem:
                fail(f"evidence file {item.get('name')} {problem}")


@dataclass
class SealKeys:
    """Which key may have sealed a record: this device's own records its key (the anchored one
    where there is an anchor); records imported from another device the key that the signed
    ``import_bundle`` entry of this chain names for it (the ``device`` table's, for imports of
    earlier versions, whose entries named none)."""

    local_id: str | None
    local_key: str | None  # hex
    imported: dict[str, set[str]] = field(default_factory=dict)  # device id → keys (hex)
    table: dict[str, str] = field(default_factory=dict)  # the device table: id → key (hex)
    # At the institution (``AccountKeys``): which account keys sign its entries.
    accounts: AccountKeys | None = None

    def refusal(self, device_id: str, public_key: str) -> str:
        if self.local_key is not None and device_id == self.local_id:
            if public_key != self.local_key:
                return "its seal was made by another key than this device's"
            return ""
        allowed = self.imported.get(device_id) or (
            {self.table[device_id]} if device_id in self.table else set()
        )
        if public_key not in allowed:
            return "its seal was made by a device key this database does not know"
        return ""


@dataclass
class AccountKeys:
    """The account keys of an institution's database and whether each one's certificate chain
    leads to the institution's signing key (``root``): certified by it, or by an admin whose
    own key is certified so, and so on. Read from the accounts table, so a row added or edited
    without the institution's key or an admin's key is named, and so is each entry it signed.

    Entries signed by the institution's key itself (``account_keys.INSTITUTION_KEY_ID``) are
    checked against ``root``.

    ``from_seq``: the first entry signed by any account key (or the institution's). Entries
    after it are accepted only from those keys: the ``device`` table, which anyone who can write
    the database can extend, vouches only for the entries of an earlier version's device keys
    before it."""

    root: bytes
    valid: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # key id → (name, key)
    refused: dict[str, tuple[str, str]] = field(default_factory=dict)  # key id → (name, why)
    from_seq: int | None = None


def _account_keys(db: Session, root: bytes | None) -> AccountKeys | None:
    rows = [r for r in db.exec(select(AccountRow)).all() if r.key_id]
    if root is None:
        # No folder to read institution.json from (a copy checked on its own): the key the
        # first account's certificate names, which vouches for nothing outside the database.
        named = {
            cert.issuer.get("fingerprint", "")
            for r in rows
            if (cert := read_certificate(r.certificate, r.certificate_signature)) is not None
            and cert.issuer.get("kind") == "institution"
        }
        if len(named) != 1:
            return None
        try:
            root = bytes.fromhex(named.pop())
        except ValueError:
            return None
    keys = AccountKeys(root)
    by_id: dict[str, list[AccountRow]] = {}
    for row in rows:
        assert row.key_id is not None
        by_id.setdefault(row.key_id, []).append(row)
    verdicts: dict[str, str] = {}

    def judge(key_id: str, chain: tuple[str, ...]) -> str:
        if key_id in verdicts:
            return verdicts[key_id]
        verdicts[key_id] = why = _account_refusal(key_id, by_id, root, chain, judge)
        return why

    for key_id, found in by_id.items():
        why = judge(key_id, ())
        name = found[0].name
        if why:
            keys.refused[key_id] = (name, why)
        else:
            assert found[0].public_key is not None
            keys.valid[key_id] = (name, bytes.fromhex(found[0].public_key))
    keys.from_seq = db.exec(
        select(AuditEntry.seq)
        .where(col(AuditEntry.device_id).in_([*by_id, INSTITUTION_KEY_ID]))
        .order_by(col(AuditEntry.seq))
        .limit(1)
    ).first()
    return keys


def _account_refusal(
    key_id: str,
    by_id: dict[str, list[AccountRow]],
    root: bytes,
    chain: tuple[str, ...],
    judge: Any,
) -> str:
    """Why the key ``key_id`` is not certified up to ``root`` ("" when it is)."""
    rows = by_id[key_id]
    if len(rows) > 1:
        return "its key id is given to several accounts"
    row = rows[0]
    cert = read_certificate(row.certificate, row.certificate_signature)
    if cert is None:
        return "its key has no certificate (or an unreadable one)"
    if (
        cert.key_id != key_id
        or cert.account != row.name
        or row.public_key is None
        or cert.public_key.hex() != row.public_key
    ):
        return "its certificate is for another account or key"
    if cert.role != row.role:
        return f"its role ({row.role}) is not the one its certificate gives ({cert.role})"
    kind = cert.issuer.get("kind")
    if kind == "institution":
        if cert.issuer.get("fingerprint") != root.hex() or not cert.signed_by(root):
            return "its certificate is not signed by the institution's key"
        return ""
    if kind != "account":
        return "its certificate names an unknown issuer"
    issuer_id = cert.issuer.get("key_id", "")
    if issuer_id == key_id or issuer_id in chain:
        return "its certificate is signed by itself"
    if issuer_id not in by_id or len(by_id[issuer_id]) != 1:
        return "its certificate's issuer is no account here"
    issuer_row = by_id[issuer_id][0]
    issuer_cert = read_certificate(issuer_row.certificate, issuer_row.certificate_signature)
    if judge(issuer_id, (*chain, key_id)) or issuer_cert is None:
        return f"its certificate's issuer, account {issuer_row.name}, is not certified"
    if issuer_cert.account != cert.issuer.get("account"):
        return "its certificate names its issuer's account wrongly"
    if issuer_cert.role != "admin":
        return f"its certificate's issuer, account {issuer_row.name}, is no admin"
    if not cert.signed_by(issuer_cert.public_key):
        return f"its certificate is not signed by the key of account {issuer_row.name}"
    return ""


def _seal_keys(
    db: Session, entries: list[AuditEntry], anchor: Anchor | None, local_id: str | None
) -> SealKeys:
    table = {row.device_id: row.public_key for row in db.exec(select(Device)).all()}
    local_key = anchor.public_key.hex() if anchor is not None and anchor.public_key else None
    root = anchor.institution_key if anchor is not None and anchor.institution_key else None
    keys = SealKeys(local_id, local_key, table=table, accounts=_account_keys(db, root))
    for entry in entries:
        if entry.action == "import_bundle":
            details = details_of(entry.details_json)
            device, key = details.get("device_id"), details.get("public_key")
            if isinstance(device, str) and isinstance(key, str):
                keys.imported.setdefault(device, set()).add(key)
    return keys


def _signature_problems(entries: list[AuditEntry], keys: SealKeys) -> list[Problem]:
    """Each entry signed by its device's key, or at the institution by a certified account's
    key. Entries of versions before signing are allowed only before the first signed entry,
    which vouches for them (its hash covers them); a failed sign-in or a lockout, written with
    nobody signed in, anywhere (the next signed entry covers it); any other unsigned entry
    only where a signed entry after it says it vouches for it (``audit.vouched_for``: an
    import's entries, signed once every few hundred)."""
    problems: list[Problem] = []
    signed_from = next((e.seq for e in entries if e.signature), None)
    vouchers = {seq: e for e in entries for seq in vouched_for(e)}
    accounts = keys.accounts
    for entry in entries:
        label = f"audit log entry {entry.seq}"
        if not entry.signature:
            voucher = vouchers.get(entry.seq)
            if entry.action in UNSIGNED_ACTIONS or (voucher and vouches(voucher, entry)):
                continue
            if signed_from is None or entry.seq > signed_from:
                problems.append(
                    Problem(label, "it carries no device signature (added without the key)")
                )
            continue
        if accounts is not None and entry.device_id == INSTITUTION_KEY_ID:
            if not entry_signature_holds(entry, accounts.root):
                problems.append(
                    Problem(label, "its signature by the institution's key does not verify")
                )
            continue
        if accounts is not None and entry.device_id in accounts.valid:
            name, public = accounts.valid[entry.device_id]
            if not entry_signature_holds(entry, public):
                problems.append(
                    Problem(label, f"its signature by the key of account {name} does not verify")
                )
            continue
        if accounts is not None and entry.device_id in accounts.refused:
            name, why = accounts.refused[entry.device_id]
            problems.append(
                Problem(label, f"it is signed by the key of account {name}, which is not "
                        f"certified by the institution: {why}")
            )  # fmt: skip
            continue
        if accounts is not None and accounts.from_seq is not None and entry.seq > accounts.from_seq:
            problems.append(
                Problem(label, "it is signed by a key that is no certified account's (after the "
                        "accounts' keys began to sign, no device key signs here)")
            )  # fmt: skip
            continue
        key_hex = (
            keys.local_key
            if keys.local_key is not None and entry.device_id == keys.local_id
            else keys.table.get(entry.device_id)
        )
        if key_hex is None or not entry_signature_holds(entry, bytes.fromhex(key_hex)):
            problems.append(Problem(label, "its device signature does not verify"))
    if entries and signed_from is None and any(e.action not in UNSIGNED_ACTIONS for e in entries):
        problems.append(
            Problem(
                "audit log",
                "no entry carries the device's signature: written by an earlier version and "
                "not yet signed over (any change made with this version signs it), or "
                "signatures removed",
            )
        )
    return problems


def verify_database(
    db: Session, data_dir: Path | None = None, anchor: Anchor | None = None
) -> VerifyReport:
    """Check every incident, seal and the audit chain; ``data_dir`` also checks evidence files
    and finds the device key's anchor (``anchor.resolve``) unless ``anchor`` is given."""
    report = VerifyReport()
    local_id = None
    if data_dir is not None:
        anchor = anchor or resolve_anchor(data_dir)
        local_id = _local_id(data_dir)
    report.anchor = anchor
    if anchor is not None and anchor.problem:
        what = "institution key" if anchor.institution_key else "device key"
        report.problems.append(Problem(what, anchor.problem))
    created: set[str] = set()
    entries = list(db.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all())
    report.audit_entries = len(entries)
    for problem in verify_chain(entries):
        report.problems.append(Problem(f"audit log entry {problem.seq}", problem.reason))
    keys = _seal_keys(db, entries, anchor, local_id)
    if (
        keys.local_key is not None
        and local_id in keys.table
        and keys.table[local_id] != keys.local_key
    ):
        report.problems.append(
            Problem("device table", "it names another key for this device than its own")
        )
    if keys.accounts is not None:
        report.problems += [
            Problem(f"account {name}", why) for name, why in keys.accounts.refused.values()
        ]
    report.problems += _signature_problems(entries, keys)
    report.problems += [Problem(what, why) for what, why in staff_seal.problems(db)]
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
    local_id = anchor = None
    if data_dir is not None:
        anchor, local_id = resolve_anchor(data_dir), _local_id(data_dir)
    imports = db.exec(select(AuditEntry).where(col(AuditEntry.action) == "import_bundle")).all()
    keys = _seal_keys(db, list(imports), anchor, local_id)
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
    unsigned = [e for e in history if not e.signature and e.action not in UNSIGNED_ACTIONS]
    vouchers, between, inside = _vouchers(db, unsigned)
    for problem in verify_in_place(between, inside):
        problems.append(f"audit log entry {problem.seq}: {problem.reason}")
    signed = [e for e in history if e.signature]
    signed += [e for e in vouchers.values() if e.seq not in {s.seq for s in signed}]
    for found in _signature_problems(signed, keys):
        problems.append(f"{found.record}: {found.reason}")
    unvouched = [e for e in unsigned if e.seq not in vouchers]
    if unvouched and _unsigned_after_signing(db, unvouched):
        problems.append("an audit entry of its history carries no device signature")
    replayed = replayed_problems(db, [incident], index_log(history, set()))
    return problems + replayed.get(incident.id, [])


def _local_id(data_dir: Path) -> str | None:
    device = folder_key(data_dir)
    return None if device is None else device.device_id


def _vouchers(
    db: Session, unsigned: list[AuditEntry]
) -> tuple[dict[int, AuditEntry], list[AuditEntry], set[int]]:
    """The signed entry vouching for each of the ``unsigned`` entries that has one (the first
    signed entry after it, if it ``vouches`` for it), by the unsigned entry's ``seq``; and the
    chain between them to check in place: the entries from each unsigned one to its voucher
    (at most ``VOUCH_EVERY``), with the one on either side, and the ``seq`` of those."""
    vouchers: dict[int, AuditEntry] = {}
    spans: list[tuple[int, int]] = []
    for entry in unsigned:
        voucher = db.exec(
            select(AuditEntry)
            .where(col(AuditEntry.seq) > entry.seq, col(AuditEntry.signature).is_not(None))
            .where(col(AuditEntry.signature) != "")
            .order_by(col(AuditEntry.seq))
            .limit(1)
        ).first()
        if voucher is not None and vouches(voucher, entry):
            vouchers[entry.seq] = voucher
            spans.append((entry.seq, voucher.seq))
    inside = {seq for start, end in spans for seq in range(start, end + 1)}
    if not inside:
        return vouchers, [], inside
    around = sorted(inside | {seq - 1 for seq in inside} | {seq + 1 for seq in inside})
    between = db.exec(select(AuditEntry).where(col(AuditEntry.seq).in_(around))).all()
    return vouchers, list(between), inside


def _unsigned_after_signing(db: Session, history: list[AuditEntry]) -> bool:
    """Whether an unsigned entry of ``history`` comes after the log's first signed entry."""
    first = db.exec(
        select(AuditEntry.seq)
        .where(col(AuditEntry.signature).is_not(None))
        .order_by(col(AuditEntry.seq))
        .limit(1)
    ).first()
    return any(not e.signature and (first is None or e.seq > first) for e in history)


def _seq(entry: AuditEntry) -> int:
    return entry.seq
