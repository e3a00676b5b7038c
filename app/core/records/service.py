"""The facade the GUI and the CLI share: one workspace per data folder.

Each call is one transaction (committed with ``synchronous=FULL``, so a returned call has
reached the disk). Services underneath take a SQLModel ``Session`` and can be used directly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core import folder_lock
from app.core.paths import data_dir as default_data_dir
from app.core.paths import make_private
from app.core.records import (
    dialect,
    incidents,
    lifecycle,
    people,
    pin_guard,
    sessions,
    signing,
    staff_seal,
)
from app.core.records.checkpoints import BackgroundCheckpoint
from app.core.records.content import IncidentDraft, draft_from_content
from app.core.records.db import (
    DATABASE_URL_ENV,
    DB_FILE,
    check_ours,
    open_engine,
    open_url_engine,
)
from app.core.records.detail import incident_detail
from app.core.records.evidence import MAX_EVIDENCE_BYTES, attach_evidence
from app.core.records.incidents import Context, IncidentFilters, IncidentSummary
from app.core.records.sessions import SessionSpec
from app.core.records.signing import Strokes
from app.core.records.tables import Candidate, Incident, Seal, SeizedReturn, Signature, Staff
from app.core.records.verify import VerifyReport, record_problems, verify_database
from app.core.rulebook import DEFAULT_RULEBOOK_ID
from app.core.seal import account_keys, device_keys
from app.core.seal.device_keys import DeviceKey
from app.core.trust.presence import institution_here

if TYPE_CHECKING:
    from app.core.rosters.rows import CandidateRow, StaffRow
    from app.core.rulebook.model import Rulebook

DEVICE_DIR = "device"


def has_device(folder: Path) -> bool:
    """Whether ``folder`` has its device identity yet (a laptop makes it at its set-up)."""
    return (folder / DEVICE_DIR / device_keys.INFO_FILE).is_file()


def _folder_device(folder: Path, *, defer: bool) -> DeviceKey | None:
    """The folder's device key at opening: none where the institution's identity is (its
    accounts sign with their own keys, ``account_keys``). With ``defer`` (the app's window, a
    writer) a folder that has none yet makes it when it first needs it (``Workspace.device``,
    under the writer lock it holds), so a new computer made the institution's from the
    first-run page never gets one; otherwise it is made now, so that readers find it."""
    if institution_here(folder) or (defer and not has_device(folder)):
        return None
    return device_keys.load_or_create(folder / DEVICE_DIR)


def _needs_setup(folder: Path) -> bool:
    """Whether opening ``folder`` would write: a device id to make, a schema to migrate."""
    from app.core.records.db import current_revision, head_revision

    if not has_device(folder) and not institution_here(folder):
        return True
    return current_revision(folder / DB_FILE) != head_revision()


class Workspace:
    """The records of one data folder: database, signing key, evidence store.

    ``device`` signs every audit entry: on a site laptop its device key; where the
    institution's identity is, the signed-in account's key (``account_keys.signer_for``: with
    nobody signed in, one that signs nothing), never a device key."""

    def __init__(
        self, data_dir: Path, engine: Engine, device: DeviceKey | None, *, locked: bool = False
    ) -> None:
        self.data_dir = data_dir
        self.engine = engine
        self._device = device
        self._institution = device is None and institution_here(data_dir)
        self._locked = locked  # holds the folder's writer lock (released by close)
        self.evidence_limit = MAX_EVIDENCE_BYTES
        self._rulebooks: dict[str, Rulebook] = {}
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        self._checkpoint = BackgroundCheckpoint(Path(database)) if database else None

    @property
    def device(self) -> DeviceKey:
        if self._institution or institution_here(self.data_dir):
            self._institution = True
            return account_keys.signer_for(self.data_dir)
        if self._device is None:
            self._device = device_keys.load_or_create(self.data_dir / DEVICE_DIR)
        return self._device

    @device.setter
    def device(self, device: DeviceKey) -> None:
        self._device = device

    @property
    def _ctx(self) -> Context:
        return Context(self.device, self._classify)

    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        read_only: bool = False,
        database_url: str | None = None,
        defer_device: bool = False,
    ) -> Workspace:
        """Open the data folder (``--data-dir``, ``$PROCTOR_DESK_HOME`` or the platform's).

        A writer holds the folder's writer lock until ``close`` (``folder_lock``: another
        program is waited for briefly, then named in ``FolderBusyError``); ``read_only`` takes
        no lock, for the commands that only look. ``database_url`` (else
        ``$PROCTOR_DESK_DATABASE_URL``: an institution's shared PostgreSQL,
        ``postgresql+psycopg://…``) holds the records instead of the folder's SQLite file; the
        folder keeps this computer's keys, logs and settings. ``defer_device`` (the app's
        window): a writer on a new folder makes its device identity only when it first needs
        one, as the first-run page may make the computer the institution's, which has none."""
        folder = default_data_dir(data_dir)
        database_url = database_url or os.environ.get(DATABASE_URL_ENV) or None
        if database_url is not None:
            return cls._open_shared(folder, database_url, read_only, defer_device)
        # Another program's database, or (for a reader) an empty one, is named and left alone.
        check_ours(folder / DB_FILE, empty_ok=not read_only)
        # A reader still locks while it makes a key or migrates the schema (both write).
        locking = not read_only or _needs_setup(folder)
        if locking:
            folder_lock.acquire(folder)
        if not read_only:
            make_private(folder)
        try:
            device = _folder_device(folder, defer=defer_device and not read_only)
            workspace = cls(folder, open_engine(folder / DB_FILE), device, locked=not read_only)
        except BaseException:
            if locking:
                folder_lock.release(folder)
            raise
        if locking and read_only:
            folder_lock.release(folder)
        if not read_only:
            workspace.sign_over_earlier_log()
        return workspace

    @classmethod
    def _open_shared(
        cls, folder: Path, url: str, read_only: bool, defer_device: bool = False
    ) -> Workspace:
        """A workspace whose records are in a shared database: several computers write to it,
        each through its own folder (keys) and its own writer lock on that folder."""
        locking = not read_only or not (has_device(folder) or institution_here(folder))
        if locking:
            folder_lock.acquire(folder)
        try:
            if not read_only:
                make_private(folder)
            device = _folder_device(folder, defer=defer_device and not read_only)
            workspace = cls(folder, open_url_engine(url), device, locked=not read_only)
        except BaseException:
            if locking:
                folder_lock.release(folder)
            raise
        if locking and read_only:
            folder_lock.release(folder)
        return workspace

    def sign_over_earlier_log(self) -> None:
        """A log whose last entry an earlier version wrote (unsigned) gets a signed entry after
        it, which vouches for the whole chain before it; left for later while the keys are
        locked (the next change signs over it as well)."""
        from sqlmodel import col, select

        from app.core.records import audit
        from app.core.records.tables import AuditEntry, Staff
        from app.core.seal.key_vault import KeysLocked

        with self.reading() as db:
            last = db.exec(
                select(AuditEntry.seq, AuditEntry.signature)
                .order_by(col(AuditEntry.seq).desc())
                .limit(1)
            ).first()
        if last is None or last[1]:
            return
        try:
            with self.transaction() as db:
                audit.append(
                    db, action="sign_log", device=self.device, details={"signed_up_to": last[0]}
                )
                # Staff rows (PIN hashes) of earlier versions: recorded as they stand now.
                for session_id in sorted(set(db.exec(select(Staff.session_id)).all())):
                    if staff_seal.latest(db, session_id) is None:
                        staff_seal.record(db, self.device, session_id)
        except KeysLocked:
            pass

    def close(self) -> None:
        if self._checkpoint is not None:
            self._checkpoint.wait()
        self.engine.dispose()
        if self._locked:
            self._locked = False
            folder_lock.release(self.data_dir)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as db:
            yield db
            db.commit()

    @contextmanager
    def bulk_transaction(self) -> Iterator[Session]:
        """``transaction`` for a bulk write (an import): on SQLite its commit leaves copying
        the log into the database file to a checkpoint in the background (``checkpoints``)."""
        with Session(self.engine, expire_on_commit=False) as db, dialect.checkpoint_later(db):
            yield db
            db.commit()
        if self._checkpoint is not None:
            self._checkpoint.start()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session whose reads all see one snapshot of the database.

        The SQLite driver runs a SELECT outside any transaction, so each read would see the
        latest commit: ``verify`` could find a record confirmed by another program between two
        of its reads and its confirmation not yet in the log it read before. A deferred BEGIN
        makes the reads one read transaction (WAL lets writers go on meanwhile); it is rolled
        back when the session closes."""
        with Session(self.engine, expire_on_commit=False) as db, dialect.snapshot(db):
            yield db

    # Rule engine -------------------------------------------------------------------------

    def rulebook(self, ref: str) -> Rulebook:
        if ref not in self._rulebooks:
            from app.core.rulebook.loader import load_rulebook

            self._rulebooks[ref] = load_rulebook(ref)
        return self._rulebooks[ref]

    def _classify(
        self, rulebook_ref: str, facts: Mapping[str, Any]
    ) -> tuple[dict[str, Any], str, str]:
        from app.core.rulebook.engine import classify

        rulebook = self.rulebook(rulebook_ref)
        return classify(rulebook, facts).to_dict(), rulebook.id, rulebook.version

    # Device -----------------------------------------------------------------------------

    def set_device_code(self, code: str) -> None:
        """Set this laptop's short code (the prefix of its paper-log numbers)."""
        self.device = device_keys.set_code(self.data_dir / DEVICE_DIR, code)

    # Sessions and people -----------------------------------------------------------------

    def create_session(self, spec: SessionSpec) -> str:
        self.rulebook(spec.rulebook_id)  # refuse an unknown rulebook before saving anything
        with self.transaction() as db:
            return sessions.create_session(db, spec)

    def list_sessions(self) -> list[dict[str, Any]]:
        with self.reading() as db:
            return sessions.session_summaries(db)

    def session(self, ref: str) -> dict[str, Any]:
        with self.reading() as db:
            return sessions.session_detail(db, ref)

    def resolve_session_id(self, ref: str) -> str:
        with self.reading() as db:
            return sessions.resolve_session(db, ref).id

    def rooms(self, session_id: str) -> dict[str, int]:
        """Room name → seat count (what the roster parser needs)."""
        with self.reading() as db:
            return sessions.rooms_of(db, session_id)

    def import_candidates(self, session_id: str, rows: Sequence[CandidateRow]) -> int:
        with self.transaction() as db:
            sessions.resolve_session(db, session_id)
            sessions.refuse_if_purged(db, session_id)
            return people.import_candidates(db, session_id, rows)

    def import_staff(self, session_id: str, rows: Sequence[StaffRow]) -> int:
        with self.transaction() as db:
            sessions.resolve_session(db, session_id)
            sessions.refuse_if_purged(db, session_id)
            added = people.import_staff(db, session_id, rows)
            staff_seal.record(db, self.device, session_id)
            return added

    def refuse_if_purged(self, session_id: str) -> None:
        """``SessionPurgedError`` when this computer purged the session (``bundle purge``)."""
        with self.reading() as db:
            sessions.refuse_if_purged(db, session_id)

    def staff(self, session_id: str) -> list[Staff]:
        with self.reading() as db:
            return people.staff_of(db, session_id)

    def candidates(self, session_id: str) -> list[Candidate]:
        with self.reading() as db:
            return people.candidates_of(db, session_id)

    # Incidents ---------------------------------------------------------------------------

    def create_incident(
        self, session_id: str, draft: IncidentDraft, actor_id: str | None = None
    ) -> Incident:
        with self.transaction() as db:
            sessions.refuse_if_purged(db, session_id)
            return incidents.create_incident(db, self._ctx, session_id, draft, actor_id=actor_id)

    def update_draft(self, incident_id: str, draft: IncidentDraft) -> Incident:
        with self.transaction() as db:
            return incidents.update_draft(db, self._ctx, incident_id, draft)

    def draft_of(self, incident_id: str) -> IncidentDraft:
        with self.reading() as db:
            return draft_from_content(
                incidents.load_content(db, incidents.get_incident(db, incident_id))
            )

    def attach_evidence(self, incident_id: str, path: Path, name: str | None = None) -> Incident:
        with self.transaction() as db:
            return attach_evidence(
                db,
                self._ctx,
                self.data_dir,
                incident_id,
                path,
                name=name,
                limit=self.evidence_limit,
            )

    @contextmanager
    def _pin_attempt(self, where: str, staff_ids: Sequence[str]) -> Iterator[None]:
        """Refuse a person locked out by wrong PINs before anything is checked; audit a wrong
        PIN given in the block (``pin_guard``)."""
        for staff_id in staff_ids:
            pin_guard.refuse_if_locked(self, staff_id)
        try:
            yield
        except people.PinError as exc:
            if exc.reason == "wrong" and exc.staff_id is not None:
                pin_guard.record_failure(self, exc.staff_id, where)
            raise

    def check_pin(self, staff_id: str, pin: str | None) -> None:
        """Check a PIN before the act it is given for (a witness in the signing dialogs): the
        same lockout and audit as every other PIN; ``PinError`` when wrong."""
        with self._pin_attempt("check", [staff_id]):
            with self.reading() as db:
                staff = db.get(Staff, staff_id)
                if staff is not None:
                    staff_seal.refuse_if_altered(db, staff, self.device.public_bytes)
            if staff is None:
                raise people.PinError("PIN: no such staff member", staff_id, "wrong")
            people.check_pin(staff, pin)

    def sign(
        self, incident_id: str, staff_id: str, strokes: Strokes, pin: str | None = None
    ) -> Signature:
        with self._pin_attempt("sign", [staff_id]), self.transaction() as db:
            return signing.sign(db, self._ctx, incident_id, staff_id, strokes, pin)

    def acknowledge(self, incident_id: str, strokes: Strokes) -> Signature:
        with self.transaction() as db:
            return signing.acknowledge(db, self._ctx, incident_id, strokes)

    def refuse(
        self, incident_id: str, witnesses: Sequence[tuple[str, Strokes, str | None]]
    ) -> list[Signature]:
        with self._pin_attempt("refuse", [w[0] for w in witnesses]), self.transaction() as db:
            return signing.refuse(db, self._ctx, incident_id, witnesses)

    def record_departure(
        self, incident_id: str, witnesses: Sequence[tuple[str, Strokes, str | None]]
    ) -> list[Signature]:
        ids = [w[0] for w in witnesses]
        with self._pin_attempt("departure", ids), self.transaction() as db:
            return signing.record_departure(db, self._ctx, incident_id, witnesses)

    def confirm(
        self, incident_id: str, staff_id: str, strokes: Strokes, pin: str | None = None
    ) -> Seal:
        with self._pin_attempt("confirm", [staff_id]), self.transaction() as db:
            return signing.confirm(db, self._ctx, incident_id, staff_id, strokes, pin)

    def void(self, incident_id: str, staff_id: str, reason: str, pin: str | None = None) -> None:
        with self._pin_attempt("void", [staff_id]), self.transaction() as db:
            lifecycle.void(db, self._ctx, incident_id, staff_id, reason, pin)

    def amend(
        self,
        incident_id: str,
        draft: IncidentDraft,
        actor_id: str | None = None,
        reason: str | None = None,
    ) -> Incident:
        with self.transaction() as db:
            return lifecycle.amend(
                db, self._ctx, incident_id, draft, actor_id=actor_id, reason=reason
            )

    def mark_exported(self, incident_id: str, actor_id: str | None = None) -> None:
        with self.transaction() as db:
            lifecycle.mark_exported(db, self._ctx, incident_id, actor_id)

    def record_return(
        self,
        incident_id: str,
        receipt_number: str,
        returned_to: str,
        staff_id: str,
        strokes: Strokes,
        pin: str | None = None,
    ) -> SeizedReturn:
        with self._pin_attempt("return", [staff_id]), self.transaction() as db:
            return lifecycle.record_return(
                db, self._ctx, incident_id, receipt_number, returned_to, staff_id, strokes, pin
            )

    def list_incidents(
        self, filters: IncidentFilters, offset: int = 0, limit: int = 100
    ) -> list[IncidentSummary]:
        with self.reading() as db:
            return incidents.list_incidents(db, filters, offset, limit)

    def check_clause(self, clause: str, session_id: str | None = None) -> None:
        """Refuse a clause that no rulebook of the session (or of any session) has: a typo
        would otherwise list nothing, as if there were no such incidents."""
        from app.core.rulebook.model import RulebookError, UnknownClauseError

        recorded = IncidentFilters(session_id=session_id, clause=clause, current_only=False)
        with self.reading() as db:
            if incidents.count_incidents(db, recorded):
                return  # records carry it, whatever rulebooks are installed here
            refs = sessions.rulebook_ids(db, session_id) or [DEFAULT_RULEBOOK_ID]
        readable = 0
        for ref in refs:
            try:
                rulebook = self.rulebook(ref)
            except RulebookError:
                continue  # not installed here: it cannot tell us the clause is unknown
            readable += 1
            if clause in rulebook.clauses:
                return
        if readable:
            raise UnknownClauseError(clause, "、".join(refs))

    def count_incidents(self, filters: IncidentFilters) -> int:
        with self.reading() as db:
            return incidents.count_incidents(db, filters)

    def incident(self, ref: str, session_id: str | None = None) -> dict[str, Any]:
        """One record version in full (content, signatures, seal, returns, audit)."""
        with self.reading() as db:
            return incident_detail(db, incidents.resolve_incident(db, ref, session_id))

    def change_key_passphrase(self, new: str) -> None:
        """Rewrap this laptop's key vault under ``new`` (the vault must open first), audited."""
        from app.core.records import audit
        from app.core.seal import key_vault

        vault = key_vault.vault_for(self.data_dir)
        vault.unlock()
        vault.change_passphrase(new)
        with self.transaction() as db:
            audit.append(db, action="key_passphrase_changed", device=self.device)

    def verify(self, anchor: str | None = None) -> VerifyReport:
        """``verify_database``; ``anchor``: a fingerprint the device key must match (at the
        institution: the institution's, which every account key's certificate leads to)."""
        from app.core.trust.anchor import resolve

        found = resolve(self.data_dir, anchor)
        with self.reading() as db:
            return verify_database(db, self.data_dir, found)

    def record_problems(self, incident_id: str) -> list[str]:
        """Why this record fails ``verify`` (none when intact)."""
        with self.reading() as db:
            return record_problems(db, incident_id, self.data_dir)
