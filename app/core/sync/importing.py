"""Import, second half: each checked bundle goes into the institution database in one
transaction, or not at all.

Order-free and idempotent: a bundle id seen before changes nothing; rows already present and
identical are skipped; an incident's workflow state (status, supersession, void reason) is
taken from whichever copy was updated last; a bundle whose predecessor has not arrived is
imported and flagged as a gap. The same record id with other content is a conflict that
rejects the whole bundle.

The institution's own audit chain gets one entry per incident version the import adds (so
its ``verify`` knows how each record came into this database) and one for the bundle; the
device's own audit entries are kept as they were written, in ``sync_imported_audit``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import operator
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from app.core.bundles import BundleError
from app.core.bundles import formats as fmt
from app.core.casework import service as casework
from app.core.records import dialect, staff_seal, trust_rows
from app.core.records.audit import COVERS_FROM, GENESIS, VOUCH_EVERY, sign_entry
from app.core.records.content import IncidentError
from app.core.records.exchange_tables import DeviceTrust, ImportedAudit, ImportedBundle
from app.core.records.file_store import store_evidence
from app.core.records.service import Workspace
from app.core.records.status import RecordStatus
from app.core.records.tables import (
    AuditEntry,
    Device,
    Evidence,
    Incident,
    IncidentContent,
    Seal,
    SeizedReturn,
    Signature,
    from_utc_text,
    to_utc_text,
)
from app.core.register.kit_flags import screen_added_on_site
from app.core.seal.canonical import encode_checked
from app.core.sync.checking import (
    ADVICE,
    CONFLICT,
    MALFORMED,
    NOT_SAVED,
    AlreadyImported,
    ImportRejected,
    IncidentRecord,
    Prepared,
    already_imported,
    check_file,
)
from app.core.sync.collection import cycles_collected_later
from app.core.sync.proof_worker import ProofHelper
from app.core.sync.record_hashes import audit_hash
from app.core.sync.rows import row_to_json
from app.core.sync.session_rows import merge_session_rows
from app.core.sync.workflow_checks import workflow_conflicts
from app.core.trust import device_trust
from app.core.trust.institution import InstitutionIdentity
from app.core.value_limits import check_uuid

FAULT = (
    "this file could not be checked: the import met a fault it does not foresee "
    "(written to the log file); nothing of it was imported"
)
_log = logging.getLogger("proctor_desk.import")  # the log file; stderr with --verbose
IMPORTED, ALREADY, REJECTED = "imported", "already imported", "rejected"
Progress = Callable[[int, int, str], None]  # (done, total, file name)
_CHUNK = 500
_CACHE_KIB = 400_000
_GROUP_INCIDENTS = 10_000


@dataclass
class Outcome:
    """What became of one file."""

    path: Path
    status: str
    message: str = ""
    bundle_id: str | None = None
    device_fingerprint: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    gap: bool = False
    barred_on_site: list[str] = field(default_factory=list)  # names, from the register
    conflicts: list[str] = field(default_factory=list)
    reason: str | None = None  # why it was rejected, in one word (checking's constants)

    def line(self) -> str:
        head = f"{self.path.name}: {self.status}"
        if self.bundle_id:
            head += f" (bundle {self.bundle_id})"
        if self.status == IMPORTED:
            parts = [
                f"{self.counts.get('incidents_added', 0)} incident versions added",
                f"{self.counts.get('incidents_skipped', 0)} already here",
            ]
            head += ": " + ", ".join(parts)
            if self.gap:
                head += "; GAP: an earlier bundle of this device has not been imported yet"
            if self.barred_on_site:
                head += (
                    f"; BARRED: {len(self.barred_on_site)} candidate(s) added on site are in the "
                    f"register of barred candidates ({', '.join(self.barred_on_site)}): see "
                    "register screen --session"
                )
        elif self.message:
            head += f": {self.message}"
        if self.advice:
            head += f" — {self.advice}"
        return head

    @property
    def advice(self) -> str:
        """What a person can do about a refusal (empty otherwise)."""
        return ADVICE.get(self.reason or "", "") if self.status == REJECTED else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "status": self.status,
            "message": self.message,
            "bundle_id": self.bundle_id,
            "device_fingerprint": self.device_fingerprint,
            "counts": self.counts,
            "gap": self.gap,
            "conflicts": self.conflicts,
            "reason": self.reason,
            "advice": self.advice,
        }


class ConflictError(ImportRejected):
    def __init__(self, conflicts: list[str]) -> None:
        shown = "; ".join(conflicts[:5]) + (" …" if len(conflicts) > 5 else "")
        super().__init__(
            f"{len(conflicts)} conflict(s) with the records here or the device's own log: {shown}",
            CONFLICT,
        )
        self.conflicts = conflicts


def import_bundles(
    workspace: Workspace,
    identity: InstitutionIdentity,
    paths: Sequence[Path],
    *,
    trust: Sequence[str] = (),
    progress: Progress | None = None,
    at: dt.datetime | None = None,
) -> list[Outcome]:
    """Check every file first, then import each checked bundle in its own transaction.
    ``trust``: whole fingerprints of devices without kit to accept (``DeviceTrustError``
    else). ``at``: when the devices' certificate chains must be valid (default: now; an
    archived bundle is checked at the time it was written, after its certificates expired)."""
    # Whole fingerprints only: a device accepted for good must not be matched by a prefix.
    trust = [device_trust.whole_fingerprint(text) for text in trust]
    outcomes: dict[int, Outcome] = {}
    ready: list[tuple[int, Prepared]] = []
    total = len(paths) * 2
    # One helper process for every bundle's records, once they are worth it.
    helper = ProofHelper(len(paths))
    with tempfile.TemporaryDirectory(prefix="pdimport-") as work, cycles_collected_later():
        try:
            for index, path in enumerate(paths):
                path = Path(path)
                if progress is not None:
                    progress(index, total, path.name)
                try:
                    outcome, prepared = _check_one(
                        workspace, identity, path, Path(work), trust, at, helper
                    )
                except Exception:  # a fault is one file's, never the batch's
                    outcome, prepared = _fault(path), None
                if prepared is None:
                    outcomes[index] = outcome
                else:
                    ready.append((index, prepared))
            helper.finish_input()
            # Oldest first, so a device's bundles given together form their chain without gaps.
            ready.sort(key=lambda item: (item[1].bundle.created_at, item[0]))
            done = len(paths)
            for group in _groups(ready):
                outcomes.update(_import_ready(workspace, group, progress, done, total))
                done += len(group)
                for index, prepared in group:
                    if outcomes[index].status == IMPORTED:
                        _archive_reports(workspace, identity, prepared)
        finally:
            for _, prepared in ready:
                prepared.close()
            helper.close()
    if progress is not None:
        progress(total, total, "")
    return [outcomes[i] for i in range(len(paths))]


def _fault(path: Path) -> Outcome:
    """A file refused for a fault the checks did not foresee: written to the log with its
    traceback, and the other files are still imported and reported."""
    _log.exception("importing %s failed unexpectedly", path)
    outcome = Outcome(path, REJECTED, FAULT)
    outcome.reason = MALFORMED
    return outcome


def came_by_import(workspace: Workspace, session_id: str) -> bool:
    """Whether bundles brought this session's records here: the institution's copy of a
    site's session, to view, never to record in."""
    with workspace.reading() as db:
        found = db.exec(
            select(ImportedBundle.bundle_id)
            .where(col(ImportedBundle.session_id) == session_id)
            .limit(1)
        ).first()
    return found is not None


def _check_one(
    workspace: Workspace,
    identity: InstitutionIdentity,
    path: Path,
    work: Path,
    trust: Sequence[str],
    at: dt.datetime | None,
    helper: ProofHelper,
) -> tuple[Outcome, Prepared | None]:
    """Read and check one file (its records checked while it is read); nothing is written."""
    with workspace.reading() as db:
        try:
            prepared = check_file(
                db,
                path,
                identity.encryption_key,
                identity.public,
                workspace.data_dir,
                trust,
                work,
                at=at,
                defer=True,  # a large bundle's records are written while the helper checks them
                helper=helper,
            )
        except ImportRejected as exc:
            rejected = Outcome(path, REJECTED, str(exc), exc.bundle_id, exc.fingerprint)
            rejected.reason = exc.reason
            return rejected, None
    if isinstance(prepared, AlreadyImported):
        return Outcome(
            path, ALREADY, "nothing changed", prepared.bundle_id, prepared.fingerprint
        ), None
    return Outcome(path, IMPORTED), prepared


def _groups(ready: Sequence[tuple[int, Prepared]]) -> Iterator[list[tuple[int, Prepared]]]:
    """The checked bundles in order, in groups of about one large bundle's records
    (``_GROUP_INCIDENTS``): each group is one transaction, so an import of many bundles
    neither holds the write lock nor keeps its writes uncommitted for longer than a large
    bundle would."""
    group: list[tuple[int, Prepared]] = []
    size = 0
    for item in ready:
        group.append(item)
        size += len(item[1].incidents)
        if size >= _GROUP_INCIDENTS:
            yield group
            group, size = [], 0
    if group:
        yield group


def _import_ready(
    workspace: Workspace,
    ready: Sequence[tuple[int, Prepared]],
    progress: Progress | None,
    done_before: int,
    total: int,
) -> dict[int, Outcome]:
    """A group of checked bundles imported in one transaction, each within its own
    savepoint: a bundle refused (or failing) is rolled back alone and the others stand, and
    the group is written to disk once, not once per bundle (a commit is the costly part of a
    small bundle). The people's cases take in the group's records once, with its last bundle.
    Nothing of the group is imported until that commit; if it fails, none of its bundles is."""
    outcomes: dict[int, Outcome] = {}
    try:
        with workspace.bulk_transaction() as db, _large_cache(db):
            # One import at a time, from its first read: two computers importing the same
            # bundle at once would otherwise both find it new, and one would end in a conflict.
            dialect.lock_audit_chain(db)
            merged: set[str] = set()  # the session rows merged so far, by their entry's hash
            imported: list[Prepared] = []
            for done, (index, prepared) in enumerate(ready):
                if progress is not None:
                    progress(done_before + done, total, prepared.path.name)
                # The last bundle takes the group's records into the cases while the helper
                # still checks its own; refused, it takes them back with its savepoint.
                with_cases = imported if done == len(ready) - 1 else None
                try:
                    outcomes[index] = _import_one(workspace, db, prepared, merged, with_cases)
                except Exception:  # a fault is one file's, never the batch's
                    outcomes[index] = _fault(prepared.path)
                if outcomes[index].status == IMPORTED:
                    imported.append(prepared)
            if imported and outcomes[ready[-1][0]].status != IMPORTED:
                _open_cases(workspace, db, imported)
    except Exception:  # the commit itself (a full disk, a lost server): nothing was imported
        _log.exception("the import could not be committed")
        for index, prepared in ready:
            if index not in outcomes or outcomes[index].status == IMPORTED:
                outcomes[index] = _not_saved(prepared)
    return outcomes


def _not_saved(prepared: Prepared) -> Outcome:
    return _rejected(
        prepared, "the database could not save the import; nothing of it was imported", NOT_SAVED
    )


def _import_one(
    workspace: Workspace,
    db: Session,
    prepared: Prepared,
    merged: set[str],
    with_cases: Sequence[Prepared] | None,
) -> Outcome:
    """``with_cases``: the bundles imported before it in its group, whose records (with its
    own) the cases take in within its savepoint (None: not in it)."""
    outcome = Outcome(
        prepared.path,
        IMPORTED,
        "",
        prepared.bundle_id,
        prepared.fingerprint,
        dict(prepared.counts),
    )
    try:
        with db.begin_nested():
            if already_imported(db, prepared.bundle_id) is not None:
                return Outcome(
                    prepared.path,
                    ALREADY,
                    "nothing changed",
                    prepared.bundle_id,
                    prepared.fingerprint,
                )
            try:
                _merge(workspace, db, prepared, outcome, merged, with_cases)
            except Exception:
                # Written as they came while the helper checked them: a record it refuses
                # explains a conflict or failure it caused (and its savepoint rolls back).
                prepared.settle()
                raise
            prepared.settle()  # nothing unverified is committed
    except ConflictError as exc:
        return _rejected(prepared, str(exc), CONFLICT, exc.conflicts)
    except ImportRejected as exc:
        return _rejected(prepared, str(exc), exc.reason)
    except IntegrityError as exc:
        # A row unlike any here by id, yet clashing with one by a unique key (a roster number,
        # an incident number): a conflict like the others, and the transaction is rolled back.
        reason = str(exc.orig).splitlines()[0] if exc.orig is not None else "a unique key"
        message = f"conflicts with a record already here ({reason})"
        return _rejected(prepared, message, CONFLICT, [message])
    merged.add(_session_rows_key(prepared))  # in the transaction for good (its savepoint ended)
    return outcome


def _rejected(
    prepared: Prepared, message: str, reason: str, conflicts: Sequence[str] = ()
) -> Outcome:
    return Outcome(
        prepared.path,
        REJECTED,
        message,
        prepared.bundle_id,
        prepared.fingerprint,
        conflicts=list(conflicts),
        reason=reason,
    )


def _large_cache(db: Session) -> AbstractContextManager[None]:
    """Room for a large bundle's pages until the commit (up to about 400 MB), rather than
    spilling them to the WAL on the way; the connection's usual cache afterwards."""
    return dialect.large_cache(db, _CACHE_KIB)


def _merge(
    workspace: Workspace,
    db: Session,
    prepared: Prepared,
    outcome: Outcome,
    merged: set[str],
    with_cases: Sequence[Prepared] | None,
) -> None:
    now = dt.datetime.now(dt.UTC)
    conflicts: list[str] = []
    # The very rows an earlier bundle of this transaction merged (a laptop's bundles all carry
    # its session's rows) are here and unchanged since, and so is their staff entry.
    if _session_rows_key(prepared) not in merged:
        _, session_conflicts = merge_session_rows(db, prepared.session_rows)
        if not session_conflicts:
            staff_seal.record(db, workspace.device, prepared.session_id)
        conflicts += session_conflicts
    conflicts += _merge_device(db, prepared, now)
    added_ids, skipped, incident_conflicts = _merge_incidents(db, prepared)
    conflicts += incident_conflicts
    conflicts += _merge_audit(db, prepared)
    if conflicts:
        raise ConflictError(conflicts)
    if prepared.accepted_by == "--trust":
        key = prepared.signer_hex
        accepted = device_trust.accepting(db.get(DeviceTrust, key), key, "accepted at import")
        if accepted is not None:  # the row and its audit entry, as the admin's acceptance
            trust_rows.record_change(db, accepted, workspace.device)
    gap = prepared.previous_bundle_id is not None and (
        already_imported(db, prepared.previous_bundle_id) is None
    )
    counts = {**prepared.counts, "incidents_added": len(added_ids), "incidents_skipped": skipped}
    # Candidates added on site were never screened against the register of barred candidates
    # (the kit carried flags for its own roster only): the institution screens them now.
    barred = screen_added_on_site(db, prepared.session_id)
    if barred:
        counts["barred_added_on_site"] = len(barred)
        outcome.barred_on_site = sorted({str(b["name"]) for b in barred})
    db.add(
        ImportedBundle(
            bundle_id=prepared.bundle_id,
            session_id=prepared.session_id,
            device_id=prepared.device_id,
            signer_key=prepared.signer_hex,
            previous_bundle_id=prepared.previous_bundle_id,
            mode=str(prepared.bundle.fields["mode"]),  # one of fmt.MODES (checked)
            gap=gap,
            sha256=prepared.bundle.sha256,
            encrypted=prepared.bundle.encrypted,
            created_at=_instant(prepared.bundle.created_at),
            imported_at=now,
            counts_json=json.dumps(counts, sort_keys=True),
        )
    )
    _local_audit(workspace, db, prepared, added_ids, counts, gap, now)
    if with_cases is not None:
        _open_cases(workspace, db, [*with_cases, prepared])
    prepared.settle()  # files leave the transaction: every record checked first
    _store_evidence(workspace, db, prepared, now)
    _store_reports(workspace, prepared)
    outcome.counts, outcome.gap = counts, gap


def _session_rows_key(prepared: Prepared) -> str:
    """The SHA-256 of the bundle's session rows entry, as its verified manifest lists it."""
    return next(e.sha256 for e in prepared.bundle.entries if e.name == fmt.SESSION_RECORD)


def _open_cases(workspace: Workspace, db: Session, imported: Sequence[Prepared]) -> None:
    """The people's cases take in the records of the bundles just imported: once per session
    for the whole group (one step per case and one audit entry, not one per bundle)."""
    by_session: dict[str, list[str]] = {}
    for prepared in imported:
        ids = by_session.setdefault(prepared.session_id, [])
        ids += [r.incident["id"] for r in prepared.incidents]
    for session_id, ids in by_session.items():
        casework.open_cases_for_import(db, workspace.device, session_id, ids)


def _instant(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def _merge_device(db: Session, prepared: Prepared, now: dt.datetime) -> list[str]:
    row = db.get(Device, prepared.device_id)
    if row is None:
        db.add(
            Device(
                device_id=prepared.device_id,
                code=prepared.device_code,
                public_key=prepared.signer_hex,
                first_seen=now,
            )
        )
        return []
    if row.public_key != prepared.signer_hex:
        return [f"device {prepared.device_id}: already known here with another key"]
    return []


def _existing(db: Session, model: type[SQLModel], key: Any, ids: Iterable[str]) -> dict[str, Any]:
    """The rows of ``model`` among ``ids``: one query for which are here (the whole list as
    one JSON parameter), then rows only for those (usually none at a first import)."""
    ids = list(ids)
    if not ids:
        return {}
    sql = (
        f"SELECT {key.key} FROM {model.__tablename__} "
        f"WHERE {key.key} IN ({dialect.json_list_values(db)})"
    )
    here = [row[0] for row in db.connection().exec_driver_sql(sql, (json.dumps(ids),))]
    found: dict[str, Any] = {}
    for start in range(0, len(here), _CHUNK):
        rows = db.exec(select(model).where(col(key).in_(here[start : start + _CHUNK]))).all()
        for row in rows:
            found[getattr(row, key.key)] = row
    return found


_WORKFLOW = ("status", "superseded_by_id", "void_reason", "updated_at")


def _merge_incidents(db: Session, prepared: Prepared) -> tuple[list[str], int, list[str]]:
    records = prepared.incidents
    ids = [r.incident["id"] for r in records]
    have = _existing(db, Incident, Incident.id, ids)
    have_content = _existing(db, IncidentContent, IncidentContent.incident_id, have)
    sig_ids = [s["id"] for r in records for s in r.signatures]
    have_sigs = _existing(db, Signature, Signature.id, sig_ids)
    have_seals = _existing(db, Seal, Seal.incident_id, have)
    ret_ids = [x["id"] for r in records for x in r.returns]
    have_returns = _existing(db, SeizedReturn, SeizedReturn.id, ret_ids)
    conflicts: list[str] = []
    new_incidents, new_contents, new_sigs, new_seals, new_returns = [], [], [], [], []
    added: list[str] = []
    skipped = 0
    standing: list[dict[str, Any]] = []  # rows whose standing this bundle sets
    labels: dict[str, str] = {}
    for record in records:
        values, ident = record.incident, record.incident["id"]
        label = labels[ident] = f"incident {values['number']} v{values['version']} ({ident})"
        old = have.get(ident)
        if old is None:
            standing.append(values)
            new_incidents.append(values)
            new_contents.append({"incident_id": ident, "content_json": record.content_json})
            added.append(ident)
        else:
            content = have_content.get(ident)
            fixed = {k: v for k, v in values.items() if k not in _WORKFLOW}
            old_row = row_to_json(old)
            old_fixed = {k: old_row[k] for k in fixed}
            if content is None or content.content_json != record.content_json or old_fixed != fixed:
                conflicts.append(f"{label}: same id, different content")
                continue
            skipped += 1
            if values["updated_at"] > old_row["updated_at"]:
                standing.append(values)
                for name in _WORKFLOW:
                    value = values[name]
                    setattr(old, name, from_utc_text(value) if name == "updated_at" else value)
                db.add(old)
        for sig in record.signatures:
            existing = have_sigs.get(sig["id"])
            if existing is None:
                new_sigs.append(sig)
                continue
            mine = {k: v for k, v in sig.items() if k != "voided_at"}
            existing_row = row_to_json(existing)
            theirs = {k: existing_row[k] for k in mine}
            if mine != theirs:
                conflicts.append(f"{label}: signature {sig['id']} differs")
            elif sig["voided_at"] is not None and existing.voided_at is None:
                existing.voided_at = from_utc_text(sig["voided_at"])
                db.add(existing)
        if record.seal is not None:
            seal = have_seals.get(ident)
            if seal is None:
                new_seals.append(record.seal)
            elif row_to_json(seal) != record.seal:
                conflicts.append(f"{label}: sealed differently here")
        for ret in record.returns:
            existing_return = have_returns.get(ret["id"])
            if existing_return is None:
                new_returns.append(ret)
            elif row_to_json(existing_return) != ret:
                conflicts.append(f"{label}: seized-item return {ret['id']} differs")
    sealed_by = {r.incident["id"]: r.seal["device_id"] for r in records if r.seal is not None}
    conflicts += workflow_conflicts(
        db, prepared.device_id, prepared.audit, standing, set(added), labels, sealed_by
    )
    if conflicts:
        return added, skipped, conflicts
    db.flush()
    # Parents before children; versions amended by others first (supersedes_id references).
    # Within that, rows in the order of their primary key: the key's index then grows at its
    # end page by page instead of taking random ids all over (a third less time for 10,000).
    new_incidents.sort(key=lambda v: (v["version"], v["id"]))
    new_contents.sort(key=operator.itemgetter("incident_id"))
    new_sigs.sort(key=operator.itemgetter("id"))
    new_seals.sort(key=operator.itemgetter("incident_id"))
    new_returns.sort(key=operator.itemgetter("id"))
    for model, rows in (
        (Incident, new_incidents),
        (IncidentContent, new_contents),
        (Signature, new_sigs),
        (Seal, new_seals),
        (SeizedReturn, new_returns),
    ):
        if rows:
            _insert(db, model, rows)
    _derive_supersession(db, records)
    return added, skipped, conflicts


def _derive_supersession(db: Session, records: Sequence[IncidentRecord]) -> None:
    """Which version replaces which, worked out from the versions themselves: the newest one
    amending it that is not void. A laptop records an amendment (and the voiding of one) on the
    older version without touching its ``updated_at``, so that row alone would never carry it.
    Only versions a row of this bundle amends can change (amendments are few): one pass over
    the table finds their amendments."""
    targets = sorted(
        {str(r.incident["supersedes_id"]) for r in records if r.incident["supersedes_id"]}
    )
    if not targets:
        return
    connection = db.connection()
    rows = connection.exec_driver_sql(
        f"SELECT supersedes_id, id, version FROM incident WHERE status != {dialect.mark(db)} "
        f"AND supersedes_id IN ({dialect.json_list_values(db)})",
        (RecordStatus.VOID.value, json.dumps(targets)),
    )
    newest: dict[str, tuple[int, str]] = {}
    for target, ident, version in rows:
        if target not in newest or version > newest[target][0]:
            newest[target] = (int(version), str(ident))
    connection.exec_driver_sql(
        f"UPDATE incident SET superseded_by_id = NULL WHERE id IN ({dialect.json_list_values(db)})",
        (json.dumps([t for t in targets if t not in newest]),),
    )
    mark = dialect.mark(db)
    for target, (_, ident) in newest.items():
        connection.exec_driver_sql(
            f"UPDATE incident SET superseded_by_id = {mark} WHERE id = {mark}", (ident, target)
        )


def _insert(db: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Insert rows whose instants are already stored text, as they are (no ORM, no
    conversion): the bulk of an import of 10,000 records."""
    table = str(model.__tablename__)
    # The table's own column names, never the keys of a row (records may still be checked).
    columns = [name for name in model.model_fields if name in rows[0]]
    values = operator.itemgetter(*columns) if len(columns) > 1 else None
    params = list(map(values, rows)) if values else [(row[columns[0]],) for row in rows]
    dialect.insert_rows(db, table, columns, params)


def _merge_audit(db: Session, prepared: Prepared) -> list[str]:
    entries = prepared.audit
    if not entries:
        return []
    # The hashes of the device's entries already here in the range this bundle's fall in: a
    # device's bundles carry its log in order, so one range read by the key finds them all.
    seqs = [e["seq"] for e in entries]
    mark = dialect.mark(db)
    found = db.connection().exec_driver_sql(
        f"SELECT seq, hash FROM {ImportedAudit.__tablename__} WHERE device_id = {mark} "
        f"AND seq BETWEEN {mark} AND {mark}",
        (prepared.device_id, min(seqs), max(seqs)),
    )
    have: dict[int, str] = {seq: digest for seq, digest in found}
    conflicts: list[str] = []
    rows = []
    for entry in entries:
        old = have.get(entry["seq"])
        if old is None:
            rows.append(
                {
                    "device_id": prepared.device_id,
                    "seq": entry["seq"],
                    "at": entry["at"],
                    "action": entry["action"],
                    "session_id": entry["session_id"],
                    "incident_id": entry["incident_id"],
                    "actor_id": entry["actor_id"],
                    "entry_device_id": entry["device_id"],
                    "details_json": entry["details_json"],
                    "prev_hash": entry["prev_hash"],
                    "hash": entry["hash"],
                    "bundle_id": prepared.bundle_id,
                }
            )
        elif old != entry["hash"]:
            conflicts.append(f"audit entry {entry['seq']} of device {prepared.device_id} differs")
    if not conflicts and rows:
        _insert(db, ImportedAudit, rows)
    return conflicts


def _local_audit(
    workspace: Workspace,
    db: Session,
    prepared: Prepared,
    added: list[str],
    counts: dict[str, int],
    gap: bool,
    now: dt.datetime,
) -> None:
    """The institution's own chain, extended in bulk (one query for its end)."""
    last = db.exec(
        select(AuditEntry.seq, AuditEntry.hash).order_by(col(AuditEntry.seq).desc()).limit(1)
    ).first()
    seq, prev = (0, GENESIS) if last is None else (last[0], last[1])
    device_id = workspace.device.device_id
    versions = {r.incident["id"]: r.incident["version"] for r in prepared.incidents}
    plan: list[tuple[str, str | None, dict[str, Any]]] = [
        (
            "import_bundle",
            None,
            {
                "bundle_id": prepared.bundle_id,
                "device_id": prepared.device_id,
                # Signed into this chain: the key that anchors the records imported here.
                "public_key": prepared.signer_hex,
                "sha256": prepared.bundle.sha256,
                "gap": gap,
                **counts,
            },
        )
    ]
    for ident in added:
        # "create"/"amend" as on the laptop: this is how the record came into this database.
        action = "create" if versions[ident] == 1 else "amend"
        plan.append(
            (action, ident, {"imported_from": prepared.bundle_id, "device_id": prepared.device_id})
        )
    rows = []
    stamp = to_utc_text(now)
    unsigned_from: int | None = None  # the first entry since the last signed one
    for index, (action, incident_id, details) in enumerate(plan):
        seq += 1
        # The last entry is signed, and one in every VOUCH_EVERY; each signed entry vouches
        # for the unsigned ones before it (its hash covers them through the chain).
        signs = index == len(plan) - 1 or (index + 1) % VOUCH_EVERY == 0
        if signs and unsigned_from is not None:
            details = {**details, COVERS_FROM: unsigned_from}
        row: dict[str, Any] = {
            "seq": seq,
            "at": stamp,
            "action": action,
            "session_id": prepared.session_id,
            "incident_id": incident_id,
            "actor_id": None,
            "device_id": device_id,
            "details_json": encode_checked(details).decode("utf-8"),  # plain values, ours
            "prev_hash": prev,
        }
        row["hash"] = prev = audit_hash(row, stamp, details)
        row["signature"] = sign_entry(workspace.device, prev) if signs else None
        if signs:
            unsigned_from = None
        elif unsigned_from is None:
            unsigned_from = seq
        rows.append(row)
    _insert(db, AuditEntry, rows)


def _store_reports(workspace: Workspace, prepared: Prepared) -> None:
    """Signed PDFs into ``reports/<session>/<bundle>/`` (never overwriting, never via links).
    Both ids were checked to be UUIDs, so the folder is always one inside ``reports/``."""
    if not prepared.reports:
        return
    session, bundle = check_uuid(prepared.session_id, "the session id"), prepared.bundle_id
    target = workspace.data_dir / fmt.REPORTS_DIR / session / check_uuid(bundle, "the bundle id")
    try:
        prepared.bundle.extract_files(target, prepared.reports)
    except BundleError as exc:
        raise ImportRejected(f"signed PDFs cannot be stored: {exc}") from None


def _archive_reports(
    workspace: Workspace,
    identity: InstitutionIdentity,
    prepared: Prepared,
) -> None:
    """The institution's document timestamp and validation data on each signed PDF just
    stored (docs/archive.md), after the records are committed: a PDF that cannot be
    timestamped is kept as it came, listed with its problem, and tried again by
    ``report archived --renew``; the import itself stands. The timestamp states the real
    time, never the ``at`` a test or an old bundle's check was given."""
    if not prepared.reports:
        return
    from app.core.reports.archive import archive_bundle_reports

    target = workspace.data_dir / fmt.REPORTS_DIR / prepared.session_id / prepared.bundle_id
    try:
        archive_bundle_reports(
            workspace.data_dir,
            identity,
            prepared.session_id,
            prepared.bundle_id,
            [target / name for name in prepared.reports],
            engine=workspace.engine,  # a shared database keeps them for every computer
        )
    except Exception:  # never the import's fault: logged, and renewal catches up
        _log.exception("the signed PDFs of bundle %s were not archived", prepared.bundle_id)


def _store_evidence(
    workspace: Workspace, db: Session, prepared: Prepared, now: dt.datetime
) -> None:
    """Evidence files into the content-addressed store: the folder's (a file stored by an import
    that then fails is harmless: it is addressed by its hash and nothing refers to it), or a
    shared database's, in this transaction (gone with it when the import fails)."""
    rows = {r["sha256"]: r for r in prepared.evidence_rows}
    for sha, name in prepared.evidence_files.items():
        media_type = str(rows.get(sha, {}).get("media_type") or "application/octet-stream")
        with tempfile.TemporaryDirectory(prefix="pdevidence-") as tmp:
            source = Path(tmp) / "file"
            with prepared.bundle.open_file(name) as handle, source.open("wb") as out:
                while block := handle.read(1 << 20):
                    out.write(block)
            try:
                stored, _ = store_evidence(
                    db, workspace.data_dir, source, limit=1 << 62, media_type=media_type
                )
            except IncidentError as exc:  # larger than a shared database keeps
                raise ImportRejected(f"evidence {sha[:12]}…: {exc}") from None
        if stored != sha:
            raise ImportRejected(f"evidence {sha[:12]}… changed while it was imported")
    for sha, row in rows.items():
        if db.get(Evidence, sha) is None:
            db.add(Evidence(**{**row, "stored_at": from_utc_text(row["stored_at"])}))
